import Foundation
import ReelTestSupport
import Testing

/// `reel probe` run as a user runs it: the built binary, real files, exit statuses.
@Suite("reel probe")
struct ProbeCommandTests {
    /// `reel probe --json`, as printed, field by field against `ffprobe -of json`.
    @Test(arguments: Fixture.good)
    func jsonMatchesFFprobe(fixture: String) async throws {
        let result = try await ReelBinary.run(["probe", "--json", Fixture.path(fixture)])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stderr.isEmpty)
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let reference = try await FFprobe.formatAndStreams(Fixture.path(fixture))
        let format = try #require(reference["format"] as? [String: Any])
        let duration = try #require(object["duration"] as? Double)
        #expect(abs(duration - (Double(format["duration"] as? String ?? "") ?? -1)) <= 0.001)
        let streams = try #require(object["streams"] as? [[String: Any]])
        let referenceStreams = try #require(reference["streams"] as? [[String: Any]])
        #expect(streams.count == referenceStreams.count)
        let packets = try await FFprobe.packets(Fixture.path(fixture))
        for (ours, theirs) in zip(streams, referenceStreams) {
            #expect(ours["codec"] as? String == theirs["codec_name"] as? String)
            guard ours["type"] as? String == "video" else { continue }
            #expect(ours["width"] as? Int == theirs["width"] as? Int)
            #expect(ours["height"] as? Int == theirs["height"] as? Int)
            let index = ours["index"] as? Int ?? -1
            #expect(ours["keyframes"] as? Int == packets.filter { $0.streamIndex == index && $0.isKeyframe }.count)
            let rate = ours["averageFrameRate"] as? Double ?? 0
            #expect(abs(rate - (parseRational(theirs["avg_frame_rate"] as? String) ?? 0)) < 0.001)
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
