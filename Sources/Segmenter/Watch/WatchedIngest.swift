import Foundation
import HLSPlaylist
import Logging

/// One file of a watch folder, ingested with the default options and then moved: into the
/// media folder on success, into the `failed` folder on failure, nowhere when interrupted.
/// Blocking: `WatchFolder` runs it on a thread of its own.
struct WatchedIngest: Sendable {
    /// What became of the file.
    enum Outcome: Sendable, Equatable {
        /// Published as `asset`; the file moved to `movedTo`, or stayed where it was (nil) when it could not be moved.
        case ingested(asset: String, movedTo: URL?)
        /// Not ingested; the file moved to `movedTo`, or stayed where it was (nil) when it could not be moved.
        case failed(movedTo: URL?)
        /// Stopped by cancellation; nothing was published and the file was not touched.
        case interrupted
        /// The file was gone before the ingest began.
        case vanished
    }

    let file: URL
    let library: URL
    let media: URL
    let failed: URL
    let logger: Logger

    /// The asset name for `fileName` on the given attempt: the name `reel ingest` derives
    /// (`My Clip.mp4` → `My-Clip`; `asset` when nothing usable is left), then `name-2`,
    /// `name-3`, ..., shortened so the suffix fits the 128-character limit.
    static func assetName(for fileName: String, attempt: Int) -> String {
        let base = AssetName.derived(fromInput: fileName) ?? "asset"
        guard attempt > 1 else { return base }
        let suffix = "-\(attempt)"
        // Derived names are ASCII: one byte per character.
        return String(base.prefix(128 - suffix.count)) + suffix
    }

    func perform(isCancelled: () -> Bool) -> Outcome {
        guard FileSnapshot(path: file.path) != nil else {
            logger.debug("watch: \(file.path) is gone; skipped")
            return .vanished
        }
        let manager = FileManager.default
        for attempt in 1...FileMover.maximumAttempts {
            if isCancelled() { return .interrupted }
            let name = Self.assetName(for: file.lastPathComponent, attempt: attempt)
            // Never overwrite (no --force): an asset, a half-written one or anything else of that name is taken.
            if manager.fileExists(atPath: library.appendingPathComponent(name).path) { continue }
            let result: IngestResult
            do {
                result = try IngestPipeline(IngestRequest(input: file.path, name: name, library: library)).run(isCancelled: isCancelled)
            } catch .exists {
                continue  // taken meanwhile, by a `reel ingest` running next to us
            } catch .interrupted where isCancelled() {
                logger.notice("watch: stopped ingesting \(file.path); it stays in \(file.deletingLastPathComponent().path)")
                return .interrupted
            } catch {
                return fail(error)
            }
            return succeed(result)
        }
        return fail(.write(path: library.path, reason: "no free asset name for \(file.lastPathComponent)"))
    }

    private func succeed(_ result: IngestResult) -> Outcome {
        let segments = result.renditions.first?.segments ?? 0
        do {
            let destination = try FileMover.move(file, into: media)
            logger.info("watch: ingested \(file.path) as \(result.name) (\(segments) segment\(segments == 1 ? "" : "s"), \(String(format: "%.3f", result.duration)) s); moved to \(destination.path)")
            return .ingested(asset: result.name, movedTo: destination)
        } catch {
            logger.error("watch: ingested \(file.path) as \(result.name), but \(error.description); it stays in the watch folder")
            return .ingested(asset: result.name, movedTo: nil)
        }
    }

    private func fail(_ error: IngestError) -> Outcome {
        let reason = error.description
        let line = reason.hasPrefix(file.path) ? reason : "\(file.path): \(reason)"
        do {
            let destination = try FileMover.move(file, into: failed)
            logger.warning("watch: \(line); moved to \(destination.path)")
            return .failed(movedTo: destination)
        } catch {
            logger.error("watch: \(line); and \(error.description)")
            return .failed(movedTo: nil)
        }
    }
}
