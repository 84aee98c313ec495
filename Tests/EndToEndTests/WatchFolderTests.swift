import Foundation
import ReelTestSupport
import Testing

/// `reel serve --watch DIR` run as users run it: files dropped into the folder are ingested
/// while the server serves, then moved into the media folder (or `DIR/failed/`).
@Suite("reel serve --watch")
struct WatchFolderTests {
    /// A scratch tree: an empty library and media folder, and the path of a watch folder that
    /// does not exist yet (the server creates it).
    struct Tree {
        let scratch: TemporaryDirectory
        var library: URL { scratch.appending("library") }
        var media: URL { scratch.appending("media") }
        var watch: URL { scratch.appending("incoming") }
        var failed: URL { watch.appendingPathComponent("failed") }

        init() throws {
            scratch = try TemporaryDirectory(prefix: "watch")
            try FileManager.default.createDirectory(at: scratch.appending("library"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: scratch.appending("media"), withIntermediateDirectories: true)
        }

        func serve() async throws -> ServedReel {
            try await ServedReel(library: library, media: media, arguments: ["--watch", watch.path])
        }
    }

    @Test func aGoodFileIsIngestedMovedIntoMediaAndServed() async throws {
        let tree = try Tree()
        let server = try await tree.serve()
        #expect(FileManager.default.fileExists(atPath: tree.failed.path), "the watch folder and its failed/ are created")
        try FileManager.default.copyItem(at: Fixture.url("h264-aac.mp4"), to: tree.watch.appendingPathComponent("My Clip.mp4"))

        let asset = try await Self.waitForAsset("My-Clip", on: server)
        #expect(asset["state"] as? String == "ready")
        #expect(asset["master"] as? String == "/hls/My-Clip/master.m3u8")
        let moved = tree.media.appendingPathComponent("My Clip.mp4")
        try await Self.waitUntil("the file moves into the media folder", server) { FileManager.default.fileExists(atPath: moved.path) }
        #expect(try Data(contentsOf: moved) == Data(contentsOf: Fixture.url("h264-aac.mp4")))
        #expect(try Self.entries(tree.watch) == ["failed"], "nothing is left in the watch folder")

        let fetched = tree.scratch.appending("fetched.mp4")
        let download = try await ProcessRunner.run("curl", ["-sf", "-o", fetched.path, "\(server.base)/media/My%20Clip.mp4"])
        #expect(download.status == 0, "\(download.stderrText)")
        #expect(try Data(contentsOf: fetched) == Data(contentsOf: moved), "served under /media/")
        let master = try await ProcessRunner.run("curl", ["-sf", "\(server.base)/hls/My-Clip/master.m3u8"])
        #expect(master.status == 0 && master.stdoutText.hasPrefix("#EXTM3U"), "the asset is served under /hls/")
        #expect(await server.stop() == 0)
    }

    @Test func badInputsGoToFailedAndTheServerKeepsServing() async throws {
        let tree = try Tree()
        let server = try await tree.serve()
        // Left alone: a dotfile, a partial download, a directory (all playable files).
        let ignored = [".hidden.mp4", "movie.mp4.part", "movie.crdownload", "sub/clip.mp4"]
        try FileManager.default.createDirectory(at: tree.watch.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for name in ignored {
            try FileManager.default.copyItem(at: Fixture.url("h264-aac.mp4"), to: tree.watch.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: Fixture.url("not-media.txt"), to: tree.watch.appendingPathComponent("notes.mp4"))
        try FileManager.default.copyItem(at: Fixture.url("truncated.mp4"), to: tree.watch.appendingPathComponent("broken.mp4"))

        try await Self.waitUntil("both bad inputs move into failed/", server) {
            try Self.entries(tree.failed) == ["broken.mp4", "notes.mp4"]
        }
        #expect(try Data(contentsOf: tree.failed.appendingPathComponent("notes.mp4")) == Data(contentsOf: Fixture.url("not-media.txt")))
        #expect(try Data(contentsOf: tree.failed.appendingPathComponent("broken.mp4")) == Data(contentsOf: Fixture.url("truncated.mp4")))
        // The line is logged just after the move.
        func logLines(naming name: String) -> [Substring] {
            server.stderr.split(separator: "\n").filter { $0.contains(tree.watch.appendingPathComponent(name).path) }
        }
        try await Self.waitUntil("both failures are logged", server) { !logLines(naming: "notes.mp4").isEmpty && !logLines(naming: "broken.mp4").isEmpty }
        for name in ["notes.mp4", "broken.mp4"] {
            let lines = logLines(naming: name)
            #expect(lines.count == 1 && lines[0].contains("not a media file"), "one log line names \(name) and the reason: \(server.stderr)")
        }
        let health = try await ProcessRunner.run("curl", ["-sf", "\(server.base)/healthz"])
        #expect(health.status == 0, "still serving")
        #expect(try await Self.assets(on: server).isEmpty)
        #expect(try Self.entries(tree.library).isEmpty, "the library is as it was")
        #expect(try Self.entries(tree.media).isEmpty)
        for name in ignored {
            #expect(FileManager.default.fileExists(atPath: tree.watch.appendingPathComponent(name).path), "\(name) is left alone")
        }
        #expect(await server.stop() == 0)
    }

    @Test func aFileStillBeingWrittenIsNotPickedUp() async throws {
        let tree = try Tree()
        let server = try await tree.serve()
        let source = try Data(contentsOf: Fixture.url("h264-aac.mp4"))
        let chunkSize = source.count / 10 + 1
        let chunks = stride(from: 0, to: source.count, by: chunkSize).map { source[$0..<min(source.count, $0 + chunkSize)] }
        // Two writers, about 2.5 s each, neither depending on timing: one keeps the file open
        // from creation to the end (no close, no event); the other writes as browsers do, into
        // `*.part` (closed and reopened between chunks: events, for a name that is ignored),
        // renamed when done. (That a file must also stay unchanged for a second after its
        // close is covered by the CompletionTracker unit tests: here it would hang on timing.)
        let held = tree.watch.appendingPathComponent("held.mp4")
        let descriptor = open(held.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        #expect(descriptor >= 0)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let partial = tree.watch.appendingPathComponent("download.mp4.part")
        _ = FileManager.default.createFile(atPath: partial.path, contents: nil)
        for chunk in chunks {
            try handle.write(contentsOf: chunk)
            let appender = try FileHandle(forWritingTo: partial)
            try appender.seekToEnd()
            try appender.write(contentsOf: chunk)
            try appender.close()
            #expect(try Self.entries(tree.library).isEmpty, "no ingest starts while the files are being written")
            #expect(try Self.entries(tree.failed).isEmpty, "no partial file is taken for a broken one")
            try await Task.sleep(for: .milliseconds(250))
        }
        try handle.close()
        try FileManager.default.moveItem(at: partial, to: tree.watch.appendingPathComponent("download.mp4"))

        _ = try await Self.waitForAsset("held", on: server)
        _ = try await Self.waitForAsset("download", on: server)
        try await Self.waitUntil("both files move into the media folder", server) {
            try Self.entries(tree.media) == ["download.mp4", "held.mp4"]
        }
        for name in ["download.mp4", "held.mp4"] {
            #expect(try Data(contentsOf: tree.media.appendingPathComponent(name)) == source, "\(name) was ingested whole")
        }
        #expect(try Self.entries(tree.failed).isEmpty)
        #expect(await server.stop() == 0)
    }

    @Test func twoFilesWithTheSameStemGetTwoAssets() async throws {
        let tree = try Tree()
        let server = try await tree.serve()
        try FileManager.default.copyItem(at: Fixture.url("h264-aac.mp4"), to: tree.watch.appendingPathComponent("clip.mp4"))
        try FileManager.default.copyItem(at: Fixture.url("h264-aac.mkv"), to: tree.watch.appendingPathComponent("clip.mkv"))

        let first = try await Self.waitForAsset("clip", on: server)
        let second = try await Self.waitForAsset("clip-2", on: server)
        #expect(first["state"] as? String == "ready" && second["state"] as? String == "ready")
        // One is the MP4 (10 s), the other the Matroska file (its own, shorter duration).
        let durations = Set([first, second].compactMap { ($0["duration"] as? Double).map { ($0 * 10).rounded() / 10 } })
        #expect(durations.count == 2, "two different inputs: \(durations)")
        try await Self.waitUntil("both files move into the media folder", server) {
            try Self.entries(tree.media) == ["clip.mkv", "clip.mp4"]
        }
        #expect(await server.stop() == 0)
    }

    @Test func filesPresentBeforeStartAreIngestedWithoutOverwritingAnything() async throws {
        let tree = try Tree()
        // Before the server starts: an asset `clip`, a media file `clip.mp4`, and `clip.mp4`
        // waiting in the watch folder (which exists, but has no failed/ yet).
        let existing = try await ReelBinary.run(["ingest", Fixture.path("video-only.mp4"), "--library", tree.library.path, "--name", "clip", "--progress", "never"])
        #expect(existing.status == 0, "\(existing.stderrText)")
        let existingManifest = try Data(contentsOf: tree.library.appendingPathComponent("clip/manifest.json"))
        try FileManager.default.copyItem(at: Fixture.url("audio-only.m4a"), to: tree.media.appendingPathComponent("clip.mp4"))
        try FileManager.default.createDirectory(at: tree.watch, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixture.url("h264-aac.mp4"), to: tree.watch.appendingPathComponent("clip.mp4"))

        let server = try await tree.serve()
        let asset = try await Self.waitForAsset("clip-2", on: server)
        #expect(asset["state"] as? String == "ready")
        let moved = tree.media.appendingPathComponent("clip-2.mp4")
        try await Self.waitUntil("the file moves into the media folder as clip-2.mp4", server) { FileManager.default.fileExists(atPath: moved.path) }
        #expect(try Data(contentsOf: moved) == Data(contentsOf: Fixture.url("h264-aac.mp4")))
        #expect(try Data(contentsOf: tree.media.appendingPathComponent("clip.mp4")) == Data(contentsOf: Fixture.url("audio-only.m4a")), "the media file already there is untouched")
        #expect(try Data(contentsOf: tree.library.appendingPathComponent("clip/manifest.json")) == existingManifest, "the existing asset is untouched")
        #expect(try Self.entries(tree.watch) == ["failed"])
        #expect(await server.stop() == 0)
    }

    @Test func sigtermDuringAnIngestLeavesTheFileInPlaceAndExitsZero() async throws {
        let tree = try Tree()
        let (long, size) = try await Self.longInput(in: tree)
        let server = try await tree.serve()
        let input = tree.watch.appendingPathComponent("long.mp4")
        try FileManager.default.moveItem(at: long, to: input)  // moved in: one inotify event, complete at once

        // The ingest has begun once anything (its staging directory) appears in the library.
        let deadline = ContinuousClock.now + .seconds(30)
        var began = false
        while !began, ContinuousClock.now < deadline {
            began = try !Self.entries(tree.library, includingHidden: true).isEmpty
            if !began { try await Task.sleep(for: .milliseconds(5)) }
        }
        let status = await server.stop()
        #expect(began, "the ingest began: \(server.stderr)")
        #expect(status == 0, "reel serve exits 0 on SIGTERM: \(server.stderr)")
        #expect(FileManager.default.fileExists(atPath: input.path), "the input stays in the watch folder")
        #expect(try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int == size, "whole")
        #expect(try Self.entries(tree.media).isEmpty, "the ingest was stopped, not finished: \(server.stderr)")
        #expect(try Self.entries(tree.failed).isEmpty, "an interrupted ingest is no failure")
        // The mark of the generation it withdrew stays if it had gone live (ReplacementTests).
        #expect(try leftInLibrary(tree.library, besidesMarkOf: "long").isEmpty, "what was staged is removed")
    }

    /// kill -9 of the server mid-ingest: no chance to clean up, yet no input is lost. The next
    /// start reports the half-published asset as failed and ingests the file again.
    @Test func killedServerLosesNoInputAndTheNextStartIngestsIt() async throws {
        let tree = try Tree()
        let (long, size) = try await Self.longInput(in: tree)
        let server = try await tree.serve()
        let input = tree.watch.appendingPathComponent("long.mp4")
        try FileManager.default.moveItem(at: long, to: input)
        // Killed once the asset is live (served while ingesting).
        let live = await eventually(within: .seconds(30)) {
            FileManager.default.fileExists(atPath: tree.library.appendingPathComponent("long/master.m3u8").path)
        }
        kill(server.process.processIdentifier, SIGKILL)
        _ = await server.stop()
        #expect(live, "the asset never went live: \(server.stderr)")
        #expect(FileManager.default.fileExists(atPath: input.path), "the input stays in the watch folder")
        #expect(try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? Int == size, "whole")
        #expect(try Self.entries(tree.media).isEmpty)

        let restarted = try await tree.serve()
        let again = try await Self.waitForAsset("long-2", on: restarted, timeout: .seconds(120))
        #expect(again["state"] as? String == "ready")
        let abandoned = try await Self.assets(on: restarted).first { $0["name"] as? String == "long" }
        #expect(abandoned?["state"] as? String == "failed", "\(String(describing: abandoned))")
        try await Self.waitUntil("the input is in the media folder", restarted) { try Self.entries(tree.media) == ["long.mp4"] }
        #expect(!FileManager.default.fileExists(atPath: input.path))
        #expect(await restarted.stop() == 0)
    }

    @Test func theWatchFolderCannotBeTheMediaFolder() async throws {
        let tree = try Tree()
        let result = try await ReelBinary.run(
            ["serve", "--library", tree.library.path, "--media", tree.media.path, "--watch", tree.media.path, "--port", "0"], timeout: .seconds(20)
        )
        #expect(result.status == 2)
        #expect(result.stderrLines.count == 1 && result.stderrText.contains("the watch folder cannot also be the media folder"), "\(result.stderrText)")
    }

    // MARK: - Helpers

    /// About 1.5 hours of media in 60 MB, stream-copied from the 30 s fixture in a second: an
    /// ingest that takes about a second (debug build), long enough to be interrupted. Returns
    /// the file (outside the watch folder) and its size.
    static func longInput(in tree: Tree) async throws -> (URL, Int?) {
        let long = tree.scratch.appending("long.mp4")
        let made = try await ProcessRunner.run("ffmpeg", ["-v", "error", "-stream_loop", "179", "-i", Fixture.path("h264-aac-30s.mp4"), "-c", "copy", "-y", long.path])
        #expect(made.status == 0, "\(made.stderrText)")
        return (long, try FileManager.default.attributesOfItem(atPath: long.path)[.size] as? Int)
    }

    /// Sorted names in `directory` (dotfiles only when asked); empty when it does not exist.
    static func entries(_ directory: URL, includingHidden: Bool = false) throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { includingHidden || !$0.hasPrefix(".") }
            .sorted()
    }

    /// The assets `/api/assets` lists.
    static func assets(on server: ServedReel) async throws -> [[String: Any]] {
        let result = try await ProcessRunner.run("curl", ["-sf", "\(server.base)/api/assets"], timeout: .seconds(20))
        guard result.status == 0 else { throw MissingValue(description: "GET /api/assets failed: \(result.stderrText)") }
        let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        return object?["assets"] as? [[String: Any]] ?? []
    }

    /// Polls `/api/assets` until it lists `name` as ready.
    static func waitForAsset(_ name: String, on server: ServedReel, timeout: Duration = .seconds(60)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let asset = try await assets(on: server).first(where: { $0["name"] as? String == name }), asset["state"] as? String == "ready" {
                return asset
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw MissingValue(description: "asset \(name) never became ready; server log:\n\(server.stderr)")
    }

    /// Polls `condition` until it holds; a test failure (with the server's log) at the deadline.
    static func waitUntil(_ what: String, _ server: ServedReel, timeout: Duration = .seconds(60), _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting until \(what); server log:\n\(server.stderr)")
    }
}
