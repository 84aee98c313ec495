import Foundation
import ReelTestSupport
import Testing

/// `reel ingest --durable`: every published file flushed to disk before its rename, seen by
/// strace; the default flushes none (as ffmpeg).
@Suite("reel ingest --durable")
struct DurabilityTests {
    /// What `reel ingest` flushed and renamed, in order: `fsync` of a path (strace's `-y`
    /// resolves descriptors) or `rename` from a path to a path.
    enum Event: Equatable {
        case synced(String)
        case renamed(String, String)
    }

    static func trace(_ arguments: [String], in scratch: TemporaryDirectory) async throws -> [Event] {
        let log = scratch.appending("strace.txt").path
        let result = try await ProcessRunner.run(
            "strace", ["-f", "-qq", "-y", "-e", "trace=fsync,rename", "-o", log, ReelBinary.path] + arguments, timeout: .seconds(120)
        )
        #expect(result.status == 0, "ingest under strace: \(result.stderrText)")
        return try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap { line -> Event? in
            guard line.hasSuffix("= 0") else { return nil }
            if line.contains("fsync("), let start = line.firstIndex(of: "<"), let end = line.lastIndex(of: ">") {
                return .synced(String(line[line.index(after: start)..<end]))
            }
            let quoted = line.split(separator: "\"")
            if line.contains("rename("), quoted.count >= 4 { return .renamed(String(quoted[1]), String(quoted[3])) }
            return nil
        }
    }

    /// Every file renamed into place was flushed before its rename, and its directory after it.
    static func unflushed(_ events: [Event]) -> [String] {
        events.enumerated().compactMap { position, event in
            guard case let .renamed(source, destination) = event else { return nil }
            let directory = (destination as NSString).deletingLastPathComponent
            let before = events[..<position].contains(.synced(source)) || FileManager.default.fileExists(atPath: destination) && isDirectory(destination)
            let after = events[(position + 1)...].contains { if case .synced(let path) = $0 { return path == directory || path.hasSuffix("/" + (directory as NSString).lastPathComponent) } else { return false } }
            return before && after ? nil : destination
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    @Test(arguments: ["fmp4", "ts"])
    func everyPublishedFileIsFlushedFirst(format: String) async throws {
        let scratch = try TemporaryDirectory(prefix: "durable")
        let library = scratch.appending("library").path
        let base = ["ingest", Fixture.path("two-languages.mp4"), "--library", library, "--format", format, "--segment-duration", "2", "--progress", "never"]

        let durable = try await Self.trace(base + ["--name", "durable", "--durable"], in: scratch)
        let renamed = durable.compactMap { event -> String? in if case .renamed(_, let destination) = event { return destination } else { return nil } }
        #expect(renamed.contains { $0.hasSuffix("seg-00002.\(format == "fmp4" ? "m4s" : "ts")") }, "segments are renamed into place: \(renamed)")
        #expect(Self.unflushed(durable).isEmpty, "flushed before the rename and the directory after: \(Self.unflushed(durable))")
        let validation = try await ReelBinary.run(["validate", scratch.appending("library/durable").path])
        #expect(validation.status == 0, "\(validation.stdoutText)")

        let buffered = try await Self.trace(base + ["--name", "buffered"], in: scratch)
        #expect(!buffered.contains { if case .synced = $0 { return true } else { return false } }, "the default flushes nothing, as ffmpeg does")
    }
}
