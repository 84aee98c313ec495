import Foundation
import ReelTestSupport
import Testing

/// `reel probe` run as a user runs it: the built binary, real files, exit statuses.
@Suite("reel probe")
struct ProbeCommandTests {
    @Test(arguments: Fixture.good)
    func jsonOutput(fixture: String) async throws {
        let result = try await ReelBinary.run(["probe", "--json", Fixture.path(fixture)])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderr.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(object["duration"] is Double)
        let streams = try #require(object["streams"] as? [[String: Any]])
        #expect(!streams.isEmpty)
        for stream in streams {
            #expect(stream["codec"] is String)
            if stream["type"] as? String == "video" {
                #expect(stream["width"] is Int && stream["height"] is Int && stream["keyframes"] is Int)
            }
        }
    }

    @Test func textSummary() async throws {
        let result = try await ReelBinary.run(["probe", Fixture.path("h264-aac.mp4")])
        #expect(result.status == 0)
        let text = result.stdoutText
        for expected in ["faststart", "h264 High@3.0", "avc1.64001e", "yuv420p", "mp4a.40.2", "5 keyframes", "avg 2.000 s"] {
            #expect(text.contains(expected), "missing \(expected) in\n\(text)")
        }
    }

    @Test(arguments: Fixture.bad.map(\.name))
    func badInputExitsOneWithOneLine(name: String) async throws {
        let reason = Fixture.bad.first { $0.name == name }!.reason
        let result = try await ReelBinary.run(["probe", "fixtures/\(name)"], currentDirectory: Fixture.repositoryRoot)
        #expect(result.status == 1)
        #expect(!result.signaled)
        #expect(result.stderrLines.count == 1, "\(result.stderrText)")
        #expect(result.stderrLines.first?.hasPrefix("reel: fixtures/\(name): \(reason)") == true, "\(result.stderrText)")
        #expect(result.stdout.isEmpty)
    }

    @Test func missingFileAndDirectorySaySo() async throws {
        let missing = try await ReelBinary.run(["probe", "/nonexistent/clip.mp4"])
        #expect(missing.status == 1)
        #expect(missing.stderrText == "reel: /nonexistent/clip.mp4: no such file\n")
        let directory = try await ReelBinary.run(["probe", "fixtures"], currentDirectory: Fixture.repositoryRoot)
        #expect(directory.status == 1)
        #expect(directory.stderrText == "reel: fixtures: is a directory, not a media file\n")
    }

    @Test func relativeNameWithColon() async throws {
        let scratch = try TemporaryDirectory()
        try FileManager.default.copyItem(at: Fixture.url("h264-aac.mp4"), to: scratch.appending("a:b.mp4"))
        let result = try await ReelBinary.run(["probe", "a:b.mp4"], currentDirectory: scratch.url)
        #expect(result.status == 0, "\(result.stderrText)")
    }

    @Test("usage errors exit 2", arguments: [
        ["probe"], ["probe", "a.mp4", "b.mp4"], ["probe", "--no-such-flag", "a.mp4"], ["no-such-command"],
    ])
    func usageErrors(arguments: [String]) async throws {
        let result = try await ReelBinary.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderrText)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func helpExitsZero() async throws {
        let result = try await ReelBinary.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdoutText.contains("probe"))
    }
}
