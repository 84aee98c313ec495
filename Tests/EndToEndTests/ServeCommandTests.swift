import Foundation
import ReelTestSupport
import Testing

/// `reel serve` run as users run it, with real clients: ffmpeg as the HLS player, curl for
/// resumable downloads, raw sockets for the limits.
@Suite("reel serve")
struct ServeCommandTests {
    /// A library with the main fixture ingested in both formats, and a media folder.
    static func makeLibrary() async throws -> (scratch: TemporaryDirectory, library: URL, media: URL) {
        let scratch = try TemporaryDirectory(prefix: "serve-tree")
        let library = scratch.appending("library")
        let media = scratch.appending("media")
        try FileManager.default.createDirectory(at: media, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixture.url("h264-aac.mp4"), to: media.appendingPathComponent("clip.mp4"))
        for format in ["fmp4", "ts"] {
            let result = try await ReelBinary.run(["ingest", Fixture.path("h264-aac.mp4"), "--library", library.path, "--name", "clip-\(format)", "--format", format, "--progress", "never"])
            guard result.status == 0 else { throw MissingValue(description: result.stderrText) }
        }
        return (scratch, library, media)
    }

    @Test(arguments: ["fmp4", "ts"])
    func ffmpegPlaysOverHTTPBitExact(format: String) async throws {
        let tree = try await Self.makeLibrary()
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let original = try await FrameHashes.of(Fixture.path("h264-aac.mp4"), stream: "0:v:0")
        let played = try await FrameHashes.of("\(server.base)/hls/clip-\(format)/master.m3u8", stream: "0:v:0")
        #expect(played.count == original.count)
        #expect(played == original, "frames decoded over HTTP differ from the source's")
        #expect(await server.stop() == 0)
    }

    @Test func validateOverHTTP() async throws {
        let tree = try await Self.makeLibrary()
        let server = try await ServedReel(library: tree.library, media: tree.media)
        for url in ["\(server.base)/hls/clip-fmp4/master.m3u8", "\(server.base)/hls/clip-ts/", "\(server.base)/hls/clip-ts/copy/iframes.m3u8"] {
            let result = try await ReelBinary.run(["validate", url])
            #expect(result.status == 0, "\(url): \(result.stderrText)")
        }
        // A segment that vanished from the server is a violation naming it.
        try FileManager.default.removeItem(at: tree.library.appendingPathComponent("clip-ts/copy/seg-00001.ts"))
        let broken = try await ReelBinary.run(["validate", "\(server.base)/hls/clip-ts/master.m3u8"])
        #expect(broken.status == 1)
        #expect(broken.stderrText.contains("seg-00001.ts"), "\(broken.stderrText)")
        let unreachable = try await ReelBinary.run(["validate", "http://127.0.0.1:\(try ServedReel.freePort())/hls/x/master.m3u8"])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderrLines.count == 1 && unreachable.stderrText.contains("connection refused"), "\(unreachable.stderrText)")
    }

    @Test func curlResumesABrokenDownload() async throws {
        let tree = try await Self.makeLibrary()
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let output = tree.scratch.appending("download.mp4")
        // A download cut off part-way, as after a dropped connection.
        let partial = try await ProcessRunner.run("curl", ["-sf", "-r", "0-99999", "-o", output.path, "\(server.base)/media/clip.mp4"])
        #expect(partial.status == 0)
        #expect(try Data(contentsOf: output).count == 100_000)
        let resumed = try await ProcessRunner.run("curl", ["-sf", "-C", "-", "-o", output.path, "\(server.base)/media/clip.mp4"])
        #expect(resumed.status == 0, "\(resumed.stderrText)")
        #expect(try Data(contentsOf: output) == Data(contentsOf: Fixture.url("h264-aac.mp4")), "resumed download is byte-identical")
    }

    @Test func requestLineOver8KiBGets414() async throws {
        let tree = try await Self.makeLibrary()
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let request = Array("GET /hls/\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        let (response, closed) = try await RawHTTP.exchange(port: server.port, request: request)
        #expect(response.hasPrefix("HTTP/1.1 414"), "\(response)")
        #expect(closed)
    }

    @Test func headersOver64KiBGet431() async throws {
        let tree = try await Self.makeLibrary()
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let headers = (0..<80).map { "X-Filler-\($0): \(String(repeating: "b", count: 1000))\r\n" }.joined()
        let request = Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\(headers)\r\n".utf8)
        let (response, closed) = try await RawHTTP.exchange(port: server.port, request: request)
        #expect(response.hasPrefix("HTTP/1.1 431"), "\(response)")
        #expect(closed)
    }

    @Test func keepAliveServesSeveralRequests() async throws {
        let tree = try await Self.makeLibrary()
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        let (response, _) = try await RawHTTP.exchange(port: server.port, request: Array((one + one + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").utf8))
        #expect(response.components(separatedBy: "HTTP/1.1 200").count - 1 == 3, "\(response)")
    }

    @Test func portInUseIsAClearError() async throws {
        let tree = try await Self.makeLibrary()
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let second = try await ReelBinary.run(["serve", "--library", tree.library.path, "--media", tree.media.path, "--port", String(server.port)], timeout: .seconds(20))
        #expect(second.status == 1)
        #expect(second.stderrText.contains("address already in use"), "\(second.stderrText)")
    }

    @Test func missingRootIsAClearError() async throws {
        let result = try await ReelBinary.run(["serve", "--library", "/nonexistent/library", "--port", "0"], timeout: .seconds(20))
        #expect(result.status == 1)
        #expect(result.stderrText == "reel: /nonexistent/library: no such directory\n", "\(result.stderrText)")
    }

    @Test func slowClientAskingToCloseGetsTheWholeBody() async throws {
        let tree = try await Self.makeLibrary()
        let big = tree.media.appendingPathComponent("slow.bin")
        try Data((0..<6_000_000).map { UInt8($0 % 253) }).write(to: big)
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let output = tree.scratch.appending("slow.out")
        let result = try await ProcessRunner.run(
            "curl", ["-sf", "-H", "Connection: close", "--limit-rate", "3M", "-o", output.path, "\(server.base)/media/slow.bin"],
            timeout: .seconds(60)
        )
        #expect(result.status == 0, "curl: \(result.stderrText)")
        #expect(try Data(contentsOf: output) == Data(contentsOf: big), "the tail of the body survives the close")
    }

    @Test func sigtermFinishesInFlightResponsesAndExitsZero() async throws {
        let tree = try await Self.makeLibrary()
        // A 40 MB file fetched at 4 MB/s takes about 10 s: still in flight when SIGTERM arrives.
        let big = tree.media.appendingPathComponent("big.bin")
        try Data(count: 40_000_000).write(to: big)
        let server = try await ServedReel(library: tree.library, media: tree.media)
        let output = tree.scratch.appending("big.out")
        async let download = ProcessRunner.run("curl", ["-sf", "--limit-rate", "4M", "-o", output.path, "\(server.base)/media/big.bin"], timeout: .seconds(60))
        try await Task.sleep(for: .seconds(2))
        let status = await server.stop()
        let result = try await download
        #expect(status == 0, "reel serve exits 0 on SIGTERM")
        #expect(result.status == 0, "the in-flight download completed: \(result.stderrText)")
        #expect(try FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int == 40_000_000)
    }
}
