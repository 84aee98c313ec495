import Foundation
import HLSPlaylist
import ReelTestSupport
import Testing

/// What a failed ingest of `name` left in `library` besides the mark of the generation it
/// withdrew (``LibraryLayout/generationMark(of:)``, there when the asset had gone live: its URLs
/// may be in caches, and no later ingest of the name may reuse them). Empty: nothing visible.
func leftInLibrary(_ library: URL, besidesMarkOf name: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: library.path).filter { $0 != LibraryLayout.generationMark(of: name) }
}

/// One `--force` replacement: what the asset was ingested from, then what replaced it.
struct Replacement: Sendable, CustomTestStringConvertible {
    var label: String
    var first: [String]
    var second: [String]

    var testDescription: String { label }

    static let cases = [
        Replacement(label: "fMP4, another codec", first: ["h264-aac.mp4"], second: ["hevc-aac.mp4"]),
        Replacement(label: "MPEG-TS, shorter segments, durable", first: ["h264-aac.mp4", "--format", "ts"], second: ["h264-aac.mp4", "--format", "ts", "--segment-duration", "2", "--durable"]),
        Replacement(label: "single file", first: ["h264-aac.mp4", "--single-file"], second: ["hevc-aac.mp4", "--single-file"]),
        Replacement(label: "subtitles dropped", first: ["sidecar.mp4"], second: ["h264-aac.mp4"]),
        Replacement(label: "ladder to copy", first: ["h264-aac.mp4", "--renditions", "copy,240p"], second: ["h264-aac.mp4", "--segment-duration", "2"]),
    ]
}

/// `reel ingest --force` publishes under new names and keeps what cached playlists name
/// (SPEC "Library layout"): checked over HTTP against `reel serve`.
@Suite("reel ingest --force keeps every immutable URL")
struct ReplacementTests {
    /// Ingests `arguments` (a fixture, then options) into `library` as `clip`.
    static func ingest(_ arguments: [String], into library: URL, force: Bool = false) async throws {
        let result = try await ReelBinary.run(
            ["ingest", Fixture.path(arguments[0])] + arguments.dropFirst()
                + ["--library", library.path, "--name", "clip", "--progress", "never"] + (force ? ["--force"] : [])
        )
        #expect(result.status == 0, "\(arguments): \(result.stderrText)")
    }

    static func manifest(_ library: URL) throws -> AssetManifest {
        try AssetManifest(json: Data(contentsOf: library.appendingPathComponent("clip/manifest.json")))
    }

    /// ``AssetTree/walk(_:)``, saying on failure what the server logged and the library holds.
    static func walk(_ base: String, of server: ServedReel, library: URL) async throws -> AssetTree {
        do {
            return try await AssetTree.walk(base)
        } catch {
            let files = FileManager.default.enumerator(atPath: library.path)?.allObjects as? [String] ?? []
            Issue.record("walking \(base): \(error)\nserver (running: \(server.process.isRunning)): \(server.stderr)\nlibrary: \(files.sorted())")
            throw error
        }
    }

    @Test(arguments: Replacement.cases)
    func everyURLOfTheReplacedAssetStillAnswersWithItsBytes(_ replacement: Replacement) async throws {
        let scratch = try TemporaryDirectory(prefix: "replace")
        let library = scratch.appending("library")
        try await Self.ingest(replacement.first, into: library)
        let server = try await ServedReel(library: library, media: scratch.url)
        let base = "\(server.base)/hls/clip"
        let old = try await Self.walk(base, of: server, library: library)
        for (path, playlist) in old.playlists {
            // The retention covers the longest a cache may hold a playlist.
            #expect(try #require(playlist.maxAge) <= LibraryLayout.longestPlaylistMaxAge, "\(path): \(playlist.cacheControl ?? "")")
        }
        var bytes: [String: Data] = [:]
        for path in old.mediaFiles {
            let response = try await HTTP.fetch("\(base)/\(path)")
            #expect(response.status == 200 && response.cacheControl == Fetched.immutable, "\(path): \(response.status) \(response.cacheControl ?? "")")
            bytes[path] = response.body
        }

        try await Self.ingest(replacement.second, into: library, force: true)

        for (path, before) in bytes.sorted(by: { $0.key < $1.key }) {
            let response = try await HTTP.fetch("\(base)/\(path)")
            #expect(response.status == 200, "\(path) after the replacement: \(response.status)")
            #expect(response.body == before, "\(path) names other bytes after the replacement")
            #expect(response.cacheControl == Fetched.immutable, "\(path): \(response.cacheControl ?? "")")
        }
        let new = try await Self.walk(base, of: server, library: library)
        // A player holding the old master still finds the media playlists the new asset lacks.
        for (path, before) in old.playlists where new.playlists[path] == nil {
            let response = try await HTTP.fetch("\(base)/\(path)")
            #expect(response.status == 200 && response.body == before.body, "\(path) of a rendition the replacement lacks: \(response.status)")
        }
        for path in new.mediaFiles {
            #expect(LibraryLayout.generation(ofMediaFile: path.split(separator: "/").last ?? "") == 1, "\(path) is not of generation 1")
            let response = try await HTTP.fetch("\(base)/\(path)")
            #expect(response.status == 200 && response.cacheControl == Fetched.immutable, "\(path): \(response.status)")
        }
        #expect(Set(new.mediaFiles).isDisjoint(with: bytes.keys))
        let manifest = try Self.manifest(library)
        #expect(manifest.generation == 1)
        #expect(manifest.retained.map(\.generation) == [0])
        let validation = try await ReelBinary.run(["validate", library.appendingPathComponent("clip").path])
        #expect(validation.status == 0, "\(validation.stdoutText)\(validation.stderrText)")
        let overHTTP = try await ReelBinary.run(["validate", "\(base)/master.m3u8"])
        #expect(overHTTP.status == 0, "\(overHTTP.stdoutText)\(overHTTP.stderrText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path) == ["clip"], "no staging, no mark left")
        #expect(await server.stop() == 0)
    }

    /// Generations follow one another; each replacement carries forward the older ones whose
    /// time has not run out, and lets the others go with the asset it swaps out.
    @Test func keptGenerationsExpire() async throws {
        let library = try TemporaryDirectory(prefix: "generations")
        let copy = library.appending("clip/copy")
        func names() throws -> Set<String> { Set(try FileManager.default.contentsOfDirectory(atPath: copy.path)) }
        try await Self.ingest(["h264-aac.mp4"], into: library.url)
        try await Self.ingest(["hevc-aac.mp4"], into: library.url, force: true)
        try await Self.ingest(["h264-aac.mp4", "--segment-duration", "2"], into: library.url, force: true)
        var manifest = try Self.manifest(library.url)
        #expect(manifest.generation == 2)
        #expect(manifest.retained.map(\.generation) == [1, 0])
        #expect(try names().isSuperset(of: ["init.mp4", "seg-00000.m4s", "init-1.mp4", "seg-1-00000.m4s", "init-2.mp4", "seg-2-00000.m4s"]))

        // Generation 0's time runs out (as an hour passing would have it).
        manifest.retained[1].until = "2000-01-01T00:00:00Z"
        try manifest.encoded().write(to: library.appending("clip/manifest.json"))
        try await Self.ingest(["hevc-aac.mp4"], into: library.url, force: true)
        manifest = try Self.manifest(library.url)
        #expect(manifest.generation == 3)
        #expect(manifest.retained.map(\.generation) == [2, 1])
        let left = try names()
        #expect(left.isSuperset(of: ["init-1.mp4", "seg-1-00000.m4s", "init-2.mp4", "seg-2-00000.m4s", "init-3.mp4", "seg-3-00000.m4s"]))
        #expect(left.allSatisfy { LibraryLayout.generation(ofMediaFile: $0) != 0 }, "generation 0 is gone: \(left.sorted())")
        #expect(try await ReelBinary.run(["validate", library.appending("clip").path]).status == 0)
    }

    /// With `--durable`, a link is a directory entry like a rename's: every directory that
    /// gains links (or a new rendition directory) is flushed after them and before the exchange
    /// that makes the replacement visible. Seen by strace.
    @Test func aDurableReplacementFlushesWhatItLinksBeforeTheExchange() async throws {
        let scratch = try TemporaryDirectory(prefix: "durable-replace")
        let library = scratch.appending("library")
        // Subtitles the replacement lacks: their rendition directories are created to keep them.
        try await Self.ingest(["sidecar.mp4"], into: library)
        let log = scratch.appending("strace.txt").path
        let traced = try await ProcessRunner.run("strace", [
            "-f", "-qq", "-y", "-e", "trace=fsync,link,mkdir,renameat2", "-o", log, ReelBinary.path,
            "ingest", Fixture.path("h264-aac.mp4"), "--library", library.path, "--name", "clip", "--force", "--durable", "--progress", "never",
        ])
        #expect(traced.status == 0, "\(traced.stderrText)")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").filter { $0.hasSuffix("= 0") }
        let exchange = try #require(lines.firstIndex { $0.contains("renameat2(") && $0.contains("RENAME_EXCHANGE") })
        func quoted(_ line: Substring, _ index: Int) -> String { String(line.split(separator: "\"")[index]) }
        func directory(_ path: String) -> String { (path as NSString).deletingLastPathComponent }
        let flushed = lines.indices.compactMap { index -> (Int, String)? in
            let line = lines[index]
            guard line.contains("fsync("), let start = line.firstIndex(of: "<"), let end = line.lastIndex(of: ">") else { return nil }
            return (index, String(line[line.index(after: start)..<end]))
        }
        // (position, directory that gained an entry)
        var changes = lines[..<exchange].indices.compactMap { index in lines[index].contains("link(") ? (index, directory(quoted(lines[index], 3))) : nil }
        let linkedInto = Set(changes.map(\.1))
        changes += lines[..<exchange].indices.compactMap { index in
            guard lines[index].contains("mkdir(") else { return nil }
            let created = quoted(lines[index], 1)
            return linkedInto.contains(created) ? (index, directory(created)) : nil
        }
        #expect(linkedInto.contains { $0.hasSuffix("/subs-fr") } && changes.count > linkedInto.count, "links into new directories: \(changes)")
        let unflushed = changes.filter { change in !flushed.contains { $0.0 > change.0 && $0.0 < exchange && $0.1 == change.1 } }
        #expect(unflushed.isEmpty, "not flushed between the change and the exchange: \(unflushed)")
        #expect(try Self.manifest(library).retained.map(\.generation) == [0])
    }

    /// A generation that went live and was withdrawn may be in caches: no later ingest of the
    /// name reuses it, whether or not there was an asset to restore.
    @Test func aWithdrawnGenerationIsNotReused() async throws {
        let library = try TemporaryDirectory(prefix: "withdrawn")
        let mark = library.appending(LibraryLayout.generationMark(of: "clip"))
        // Truncated: found only at the end, after the asset went live.
        let truncated = ["truncated-tail.mp4", "--segment-duration", "1"]
        let refused = try await ReelBinary.run(["ingest", Fixture.path(truncated[0]), "--segment-duration", "1", "--library", library.path, "--name", "clip", "--progress", "never"])
        #expect(refused.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path) == [mark.lastPathComponent], "no asset, only the mark")
        #expect(try String(contentsOf: mark, encoding: .utf8) == "0\n")

        try await Self.ingest(["h264-aac.mp4"], into: library.url)
        #expect(try Self.manifest(library.url).generation == 1)
        #expect(FileManager.default.fileExists(atPath: library.appending("clip/copy/seg-1-00000.m4s").path))
        #expect(!FileManager.default.fileExists(atPath: library.appending("clip/copy/seg-00000.m4s").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path) == ["clip"], "the mark goes once the manifest records the generation")

        let before = try ProgressiveServingTests.snapshot(library.appending("clip"))
        let failed = try await ReelBinary.run(["ingest", Fixture.path(truncated[0])] + truncated.dropFirst() + ["--library", library.path, "--name", "clip", "--force", "--progress", "never"])
        #expect(failed.status == 1)
        #expect(try ProgressiveServingTests.snapshot(library.appending("clip")) == before, "the replaced asset is restored untouched")
        #expect(try String(contentsOf: mark, encoding: .utf8) == "2\n")

        try await Self.ingest(["hevc-aac.mp4"], into: library.url, force: true)
        let manifest = try Self.manifest(library.url)
        #expect(manifest.generation == 3)
        #expect(manifest.retained.map(\.generation) == [1])
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path) == ["clip"])
    }
}
