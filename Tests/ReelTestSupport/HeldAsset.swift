import Foundation
import HLSPlaylist

/// An asset "being ingested" by the test itself: it holds the asset's ingest lock and
/// publishes EVENT playlists the way the segmenter does (written aside, renamed into place).
public final class HeldAsset: Sendable {
    public let directory: URL
    public let targetDuration: Int
    private let lock: IngestLock

    public init(library: URL, name: String = "live", targetDuration: Int) throws {
        directory = library.appendingPathComponent(name)
        self.targetDuration = targetDuration
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("copy"), withIntermediateDirectories: true)
        guard let lock = try IngestLock.acquire(inAssetDirectory: directory.path) else { throw CocoaError(.fileLocking) }
        self.lock = lock
    }

    deinit { lock.release(removingFileIn: nil) }

    /// Publishes `copy/index.m3u8` with `segments` segments; returns when it is in place.
    @discardableResult
    public func publish(segments: Int, endList: Bool = false) throws -> ContinuousClock.Instant {
        let playlist = MediaPlaylist(
            targetDuration: targetDuration, playlistType: endList ? .vod : .event,
            serverControl: endList ? nil : ServerControl(canBlockReload: true),
            segments: (0..<segments).map { MediaSegment(uri: "seg-\($0).ts", duration: Double(targetDuration)) }, endList: endList
        )
        let aside = directory.appendingPathComponent("copy/.index.m3u8.tmp")
        try Data(playlist.render().utf8).write(to: aside)
        guard rename(aside.path, directory.appendingPathComponent("copy/index.m3u8").path) == 0 else {
            throw CocoaError(.fileWriteUnknown)
        }
        return ContinuousClock.now
    }

    /// The ingest process "dies": its lock file is closed without a `ready` manifest.
    public func die() {
        lock.release(removingFileIn: nil)
    }
}
