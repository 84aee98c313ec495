import Foundation
import ReelTestSupport
import Testing

/// `reel sign` and `reel serve --secret-file` as users run them, with ffmpeg as the player and
/// curl for ranges.
@Suite("Signed URLs (reel sign, reel serve --secret-file)")
struct SignedURLTests {
    /// A secret file of `bytes` random bytes with `mode`.
    static func secretFile(in scratch: TemporaryDirectory, bytes: Int = 32, mode: Int = 0o600, name: String = "secret") throws -> String {
        let path = scratch.appending(name).path
        var generator = SystemRandomNumberGenerator()
        #expect(FileManager.default.createFile(atPath: path, contents: Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })))
        #expect(chmod(path, mode_t(mode)) == 0)
        return path
    }

    static func sign(_ path: String, secret: String, _ more: [String] = []) async throws -> String {
        let result = try await ReelBinary.run(["sign", path, "--secret-file", secret] + more)
        guard result.status == 0 else { throw MissingValue(description: "reel sign \(path): \(result.stderrText)") }
        #expect(result.stderrText.isEmpty)
        return result.stdoutText.trimmingCharacters(in: .newlines)
    }

    /// curl's status for `url`, with more curl arguments.
    static func status(_ url: String, _ more: [String] = []) async throws -> Int {
        let result = try await ProcessRunner.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}"] + more + [url])
        return Int(result.stdoutText) ?? -1
    }

    @Test func signPrintsThePathWithItsSignature() async throws {
        let scratch = try TemporaryDirectory(prefix: "sign")
        let secret = try Self.secretFile(in: scratch)
        // The expiry is counted from when `reel sign` ran: between these two clocks.
        func clock() -> Int64 { Int64(Date().timeIntervalSince1970) }
        var before = clock()
        let master = try await Self.sign("/hls/clip/master.m3u8", secret: secret, ["--expires", "60"])
        let pattern = /^\/hls\/clip\/master\.m3u8\?exp=(\d+)&scope=\/hls\/clip\/&sig=[A-Za-z0-9_-]{43}$/
        let match = try #require(master.wholeMatch(of: pattern), "\(master)")
        #expect((before + 60...clock() + 60).contains(Int64(match.1)!))
        // The default is an hour.
        before = clock()
        let defaulted = try await Self.sign("/hls/clip/", secret: secret)
        let expiry = try #require(defaulted.firstMatch(of: /exp=(\d+)/)).1
        #expect((before + 3600...clock() + 3600).contains(Int64(expiry)!))
        #expect(try await Self.sign("/media/sub dir/a.mp4", secret: secret).hasPrefix("/media/sub%20dir/a.mp4?exp="))
        #expect(try await Self.sign("/media/sub dir/a.mp4", secret: secret).contains("&scope=/media/sub%20dir/a.mp4&sig="))
        #expect(try await Self.sign("/", secret: secret).contains("&scope=/&sig="))
        // The same inputs, the same signature: nothing random in it.
        let fixed = ["--now", "1700000000"]
        #expect(try await Self.sign("/hls/clip/", secret: secret, fixed) == Self.sign("/hls/clip/master.m3u8", secret: secret, fixed).replacingOccurrences(of: "master.m3u8", with: ""))
    }

    @Test(arguments: ["/api/assets", "/hls/", "/hls/bad name/", "/media/", "/media/dir/", "/hls/clip/../x/", "relative.mp4"])
    func signRefusesOtherPaths(path: String) async throws {
        let scratch = try TemporaryDirectory(prefix: "sign")
        let result = try await ReelBinary.run(["sign", path, "--secret-file", try Self.secretFile(in: scratch)])
        #expect(result.status == 2)
        #expect(result.stderrLines.count == 1 && result.stderrText.contains(path), "\(result.stderrText)")
        #expect(result.stdout.isEmpty)
    }

    /// `reel sign` and `reel serve` read the secret file with the same checks: one line naming
    /// the file and the fix, exit 1.
    @Test(arguments: [(32, 0o644, "chmod 600"), (64, 0o604, "chmod 600"), (31, 0o600, "at least"), (0, 0o600, "at least")])
    func badSecretFilesAreRefused(bytes: Int, mode: Int, fix: String) async throws {
        let scratch = try TemporaryDirectory(prefix: "sign")
        let secret = try Self.secretFile(in: scratch, bytes: bytes, mode: mode)
        let library = scratch.appending("library")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        let serve = try await ReelBinary.run(
            ["serve", "--library", library.path, "--media", library.path, "--port", "0", "--secret-file", secret], timeout: .seconds(20)
        )
        let sign = try await ReelBinary.run(["sign", "/", "--secret-file", secret])
        for result in [serve, sign] {
            #expect(result.status == 1)
            #expect(result.stderrLines.count == 1, "\(result.stderrText)")
            #expect(result.stderrText.contains(secret) && result.stderrText.contains(fix), "\(result.stderrText)")
        }
    }

    @Test func ffmpegPlaysASignedMasterAndNothingElseOpens() async throws {
        let tree = try await ServeCommandTests.makeLibrary()
        let secret = try Self.secretFile(in: tree.scratch)
        let server = try await ServedReel(library: tree.library, media: tree.media, arguments: ["--secret-file", secret])
        let master = try await Self.sign("/hls/clip-fmp4/master.m3u8", secret: secret)
        let original = try await FrameHashes.of(Fixture.path("h264-aac.mp4"), stream: "0:v:0")
        let played = try await FrameHashes.of(server.base + master, stream: "0:v:0")
        #expect(played.count == original.count && played == original, "frames decoded over signed URLs differ from the source's")

        let query = String(master.split(separator: "?")[1])
        #expect(try await Self.status("\(server.base)/hls/clip-fmp4/master.m3u8") == 403)
        #expect(try await Self.status("\(server.base)/hls/clip-fmp4/copy/index.m3u8?\(query)") == 200)
        #expect(try await Self.status("\(server.base)/hls/clip-ts/master.m3u8?\(query)") == 403, "another asset")
        var tampered = master
        let first = try #require(tampered.range(of: "sig=")).upperBound
        tampered.replaceSubrange(first...first, with: tampered[first] == "A" ? "B" : "A")
        #expect(try await Self.status(server.base + tampered) == 403)
        let expired = try await Self.sign("/hls/clip-fmp4/master.m3u8", secret: secret, ["--now", "1700000000", "--expires", "60"])
        #expect(try await Self.status(server.base + expired) == 403)
        let otherSecret = try Self.secretFile(in: tree.scratch, name: "other")
        #expect(try await Self.status(server.base + Self.sign("/hls/clip-fmp4/master.m3u8", secret: otherSecret)) == 403)
        #expect(try await Self.status("\(server.base)/api/assets?\(query)") == 403)

        let file = try await Self.sign("/media/clip.mp4", secret: secret)
        let ranged = try await ProcessRunner.run("curl", ["-s", "-r", "0-99", "-D", "-", "-o", tree.scratch.appending("range").path, server.base + file])
        #expect(ranged.stdoutText.hasPrefix("HTTP/1.1 206"), "\(ranged.stdoutText)")
        #expect(try Data(contentsOf: tree.scratch.appending("range")) == Data(contentsOf: Fixture.url("h264-aac.mp4")).prefix(100))
        #expect(try await Self.status("\(server.base)/media/clip.mp4") == 403)

        let metrics = try await ProcessRunner.run("curl", ["-sf", "\(server.base)/metrics"]).stdoutText
        for (reason, count) in [("missing", 2), ("expired", 1), ("invalid", 2), ("scope", 2)] {
            #expect(metrics.contains("reel_http_signature_rejections_total{reason=\"\(reason)\"} \(count)\n"), "\(reason): \(metrics)")
        }
        #expect(await server.stop() == 0)
    }

    @Test func theSignedPageOpensTheAPIAndItsURLsPlay() async throws {
        let tree = try await ServeCommandTests.makeLibrary()
        let secret = try Self.secretFile(in: tree.scratch)
        let server = try await ServedReel(library: tree.library, media: tree.media, arguments: ["--secret-file", secret])
        let page = try await Self.sign("/", secret: secret, ["--expires", "86400"])
        #expect(try await Self.status("\(server.base)/") == 403)
        #expect(try await Self.status(server.base + page) == 200)
        #expect(try await Self.status("\(server.base)/healthz") == 200)
        let query = String(page.split(separator: "?")[1])
        let api = try await ProcessRunner.run("curl", ["-sf", "\(server.base)/api/assets/clip-ts?\(query)"]).stdoutText
        let master = try #require(api.firstMatch(of: /"master":"([^"]+)"/)).1
        #expect(master == "/hls/clip-ts/master.m3u8?\(query)")
        let frames = try await FFprobe.decodedFrameCount(server.base + master, streams: "v:0")
        #expect(frames > 0)
        #expect(await server.stop() == 0)
    }
}
