import Foundation
import HLSPlaylist
import ReelTestSupport
import Testing

/// Play while ingesting: `reel ingest --realtime` publishes a growing EVENT playlist that
/// `reel serve` serves (with blocking reloads) to real clients.
@Suite("Progressive serving")
struct ProgressiveServingTests {
    static let source = "h264-aac-30s.mp4"

    static func makeTree() throws -> (scratch: TemporaryDirectory, library: URL, media: URL) {
        let scratch = try TemporaryDirectory(prefix: "progressive")
        let library = scratch.appending("library")
        let media = scratch.appending("media")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        return (scratch, library, media)
    }

    @Test func ffmpegPlaysWhileTheIngestRuns() async throws {
        let tree = try Self.makeTree()
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let original = try await FrameHashes.of(Fixture.path(Self.source), stream: "0:v:0")
        let ingest = try LiveIngest([Fixture.path(Self.source), "--library", tree.library.path, "--name", "live", "--segment-duration", "2", "--realtime"])
        let played = try await ingest.videoPlayedWhileRunning(master: "\(server.base)/hls/live/master.m3u8")
        #expect(played.count == original.count)
        #expect(played == original, "frames played while ingesting differ from the source's")
        #expect(await server.stop() == 0)
    }

    /// Readers poll the growing playlist and fetch every segment it lists; nothing they get
    /// may be torn: each playlist parses, keeps its target duration, and each segment is a
    /// whole sequence of MP4 boxes.
    @Test func concurrentReadersNeverSeeATornFile() async throws {
        let tree = try Self.makeTree()
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let ingest = try LiveIngest([Fixture.path(Self.source), "--library", tree.library.path, "--name", "live", "--segment-duration", "1", "--realtime"])
        let base = "\(server.base)/hls/live/copy/"
        let readers = 50
        let results = try await withThrowingTaskGroup(of: ReaderReport.self) { group in
            for _ in 0..<readers {
                group.addTask { try await Self.read(base: base) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(await ingest.exitStatus() == 0, "\(ingest.stderr)")
        let problems = results.flatMap(\.problems)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(results.allSatisfy { $0.sawGrowing && $0.sawComplete }, "readers did not watch the playlist grow")
        #expect(Set(results.map(\.targetDuration)).count == 1, "target duration changed")
        // The fixture's keyframes are 2 s apart: 12 segments and the init segment.
        #expect(results.map(\.segmentsChecked).min() ?? 0 >= 13)
        #expect(await server.stop() == 0)
    }

    struct ReaderReport: Sendable {
        var problems: [String] = []
        var sawGrowing = false
        var sawComplete = false
        var targetDuration = 0
        var segmentsChecked = 0
    }

    static func read(base: String) async throws -> ReaderReport {
        var report = ReaderReport()
        var checked = Set<String>()
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            let (status, body) = try await HTTP.get(base + "index.m3u8")
            if status == 404 {
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            guard status == 200 else {
                report.problems.append("playlist status \(status)")
                break
            }
            let playlist: MediaPlaylist
            do {
                playlist = try MediaPlaylist(parsing: body)
            } catch {
                report.problems.append("torn playlist: \(error)")
                break
            }
            if report.targetDuration == 0 { report.targetDuration = playlist.targetDuration }
            if playlist.targetDuration != report.targetDuration { report.problems.append("target duration changed") }
            for segment in playlist.segments where Int(segment.duration.rounded()) > playlist.targetDuration {
                report.problems.append("\(segment.uri) lasts \(segment.duration) s, over the target")
            }
            for uri in [playlist.map?.uri].compactMap({ $0 }) + playlist.segments.map(\.uri) where !checked.contains(uri) {
                let (segmentStatus, bytes) = try await HTTP.get(base + uri)
                if segmentStatus != 200 || !MP4Boxes.isComplete(bytes) {
                    report.problems.append("\(uri): status \(segmentStatus), \(bytes.count) bytes, not whole MP4 boxes")
                }
                checked.insert(uri)
            }
            report.segmentsChecked = checked.count
            if playlist.endList {
                report.sawComplete = true
                break
            }
            report.sawGrowing = true
            try await Task.sleep(for: .milliseconds(150))
        }
        return report
    }

    @Test func killedIngestIsFailedAndForceReplacesIt() async throws {
        let tree = try Self.makeTree()
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let arguments = [Fixture.path(Self.source), "--library", tree.library.path, "--name", "live", "--segment-duration", "2"]
        let ingest = try LiveIngest(arguments + ["--realtime"])
        let command = ["ingest"] + arguments
        let playlistURL = "\(server.base)/hls/live/copy/index.m3u8"
        #expect(await eventually(within: .seconds(10)) { (try? await HTTP.get(playlistURL))?.status == 200 })
        let current = try MediaPlaylist(parsing: try await HTTP.get(playlistURL).body)
        // A reload blocked on the next segment, then the ingest dies without a chance to clean up.
        async let blocked = HTTP.get("\(playlistURL)?_HLS_msn=\(current.segments.count)")
        try await Task.sleep(for: .milliseconds(300))
        ingest.kill(SIGKILL)
        let killed = ContinuousClock.now
        #expect(await ingest.exitStatus() != 0)
        let released = try await blocked
        // The segment may have landed before the kill; either way the request is not held on.
        #expect(released.status == 503 || released.status == 200)
        #expect(ContinuousClock.now - killed < .seconds(2), "blocked reload held after the ingest died")

        let asset = try JSONSerialization.jsonObject(with: try await HTTP.get("\(server.base)/api/assets/live").body) as? [String: Any]
        #expect(asset?["state"] as? String == "failed")
        let abandoned = try MediaPlaylist(parsing: try await HTTP.get(playlistURL).body)
        #expect(!abandoned.endList)
        let next = try await HTTP.get("\(playlistURL)?_HLS_msn=\(abandoned.segments.count)")
        #expect(next.status == 503)

        let refused = try await ReelBinary.run(command + ["--progress", "never"])
        #expect(refused.status == 1)
        #expect(refused.stderrText.contains("already exists"), "\(refused.stderrText)")
        let replaced = try await ReelBinary.run(command + ["--force", "--progress", "never"])
        #expect(replaced.status == 0, "\(replaced.stderrText)")
        let ready = try JSONSerialization.jsonObject(with: try await HTTP.get("\(server.base)/api/assets/live").body) as? [String: Any]
        #expect(ready?["state"] as? String == "ready")
        #expect(try MediaPlaylist(parsing: try await HTTP.get(playlistURL).body).endList)
        // Nothing of the killed ingest is left behind.
        let entries = try FileManager.default.contentsOfDirectory(atPath: tree.library.path)
        #expect(entries == ["live"], "\(entries)")
        let assetEntries = try FileManager.default.contentsOfDirectory(atPath: tree.library.appendingPathComponent("live").path).sorted()
        #expect(assetEntries == ["copy", "manifest.json", "master.m3u8"], "\(assetEntries)")
        #expect(await server.stop() == 0)
    }

    /// 1000 reloads parked on the next segment are all answered when it is published, and the
    /// server's memory stays flat: about 78 MB for this debug build (58 MB of it before any
    /// connection), where it was 88 MB when each parked reload was a Hummingbird task.
    @Test func thousandBlockedReloadsAreAllAnswered() async throws {
        let tree = try Self.makeTree()
        // The test plays the ingest: it holds the asset's lock and publishes the playlist.
        let ingest = try HeldAsset(library: tree.library, targetDuration: 20)
        func publish(_ segments: Int) throws { try ingest.publish(segments: segments) }
        try publish(1)
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let count = 1000
        async let statuses = ManyConnections.get(port: server.port, target: "/hls/live/copy/index.m3u8?_HLS_msn=1", count: count)
        // Every request is parked before the segment arrives.
        let parked = await eventually(within: .seconds(30)) {
            let metrics = String(decoding: (try? await HTTP.get("\(server.base)/metrics").body) ?? Data(), as: UTF8.self)
            return metrics.split(separator: "\n").contains { $0.hasPrefix("reel_hls_blocking_reloads_waiting ") && Double($0.split(separator: " ").last ?? "") == Double(count) }
        }
        #expect(parked, "not all \(count) requests were waiting")
        let resident = try Self.residentMegabytes(of: server.process.processIdentifier)
        try publish(2)
        let answered = try await statuses
        #expect(answered.count == count)
        #expect(answered.allSatisfy { $0 == 200 }, "statuses: \(Dictionary(grouping: answered, by: { $0 }).mapValues(\.count))")
        #expect(resident < 82, "server resident memory \(resident) MB with \(count) blocked reloads")
        #expect(await server.stop() == 0)
        withExtendedLifetime(ingest) {}
    }

    /// SIGTERM does not wait for parked reloads (they could hold it for three target durations).
    @Test func shutdownReleasesParkedReloads() async throws {
        let tree = try Self.makeTree()
        let ingest = try HeldAsset(library: tree.library, targetDuration: 20)
        try ingest.publish(segments: 1)
        let server = try await ServedReel(library: tree.library, media: tree.media)
        async let parked = HTTP.get("\(server.base)/hls/live/copy/index.m3u8?_HLS_msn=1")
        #expect(await eventually(within: .seconds(10)) {
            let metrics = String(decoding: (try? await HTTP.get("\(server.base)/metrics").body) ?? Data(), as: UTF8.self)
            return metrics.contains("reel_hls_blocking_reloads_waiting 1.0")
        })
        let stopping = ContinuousClock.now
        #expect(await server.stop() == 0)
        #expect(ContinuousClock.now - stopping < .seconds(5), "shutdown waited for the parked reload")
        #expect(try await parked.status == 503)
        withExtendedLifetime(ingest) {}
    }

    static func residentMegabytes(of pid: Int32) throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kilobytes / 1024
    }

    @Test func failedReplacementRestoresThePreviousAsset() async throws {
        let tree = try Self.makeTree()
        let first = try await ReelBinary.run([Fixture.path("h264-aac.mp4"), "--library", tree.library.path, "--name", "clip", "--segment-duration", "1", "--progress", "never"].withIngest)
        #expect(first.status == 0, "\(first.stderrText)")
        let asset = tree.library.appendingPathComponent("clip")
        let before = try Self.snapshot(asset)
        // Truncated: the damage shows only at the end, after the replacement went live.
        let failed = try await ReelBinary.run([Fixture.path("truncated-tail.mp4"), "--library", tree.library.path, "--name", "clip", "--segment-duration", "1", "--force", "--progress", "never"].withIngest)
        #expect(failed.status == 1)
        #expect(try Self.snapshot(asset) == before, "the previous asset was not restored exactly")
        #expect(try leftInLibrary(tree.library, besidesMarkOf: "clip") == ["clip"])
    }

    /// Every file of a directory tree: relative path → contents.
    static func snapshot(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return files
    }
}

private extension Array where Element == String {
    var withIngest: [String] { ["ingest"] + self }
}

/// Checks that bytes are a whole sequence of ISO BMFF boxes (a torn file ends mid-box).
enum MP4Boxes {
    static func isComplete(_ data: Data) -> Bool {
        let bytes = [UInt8](data)
        var offset = 0
        while offset + 8 <= bytes.count {
            var size = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            if size == 1, offset + 16 <= bytes.count {
                size = bytes[offset + 8..<offset + 16].reduce(0) { $0 << 8 | Int($1) }
            }
            guard size >= 8 else { return false }
            offset += size
        }
        return offset == bytes.count && !bytes.isEmpty
    }
}
