import Foundation
import HLSPlaylist
import ReelTestSupport
import Testing

/// One way of ingesting a fixture.
struct IngestCase: CustomTestStringConvertible, Sendable {
    let fixture: String
    let format: String
    let singleFile: Bool

    var arguments: [String] { ["--format", format] + (singleFile ? ["--single-file"] : []) }
    var testDescription: String { "\(fixture) \(format)\(singleFile ? " single-file" : "")" }

    /// Every good fixture in both formats, with and without single-file (VP9 cannot go in TS).
    static let all: [IngestCase] = Fixture.good.flatMap { fixture in
        ["fmp4", "ts"].flatMap { format in
            [false, true].map { IngestCase(fixture: fixture, format: format, singleFile: $0) }
        }
    }.filter { !($0.fixture.hasSuffix(".webm") && $0.format == "ts") }
}

/// `reel ingest` run as users run it, checked with ffprobe and ffmpeg as independent clients.
@Suite("reel ingest")
struct IngestCommandTests {
    @Test(arguments: IngestCase.all)
    func ingestIsValidExactAndMeasured(_ testCase: IngestCase) async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let result = try await ReelBinary.run(
            ["ingest", Fixture.path(testCase.fixture), "--library", library.path, "--name", "asset", "--progress", "never"] + testCase.arguments
        )
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdout.isEmpty && result.stderr.isEmpty, "--progress never prints nothing on success")
        let assetURL = library.appending("asset")

        let validation = try await ReelBinary.run(["validate", assetURL.path])
        #expect(validation.status == 0, "\(validation.stderrText)")

        let asset = try IngestedAsset(directory: assetURL)
        let source = try await FFprobe.formatAndStreams(Fixture.path(testCase.fixture))
        let sourceStreams = source["streams"] as? [[String: Any]] ?? []
        let hasVideo = sourceStreams.contains { $0["codec_type"] as? String == "video" }
        let frame = hasVideo
            ? 1 / (parseRational(sourceStreams.first { $0["codec_type"] as? String == "video" }?["avg_frame_rate"] as? String) ?? 25)
            : 1024.0 / 48000

        // The EXTINFs add up to the source's duration, within one frame.
        let sourceDuration = Double((source["format"] as? [String: Any])?["duration"] as? String ?? "") ?? 0
        #expect(abs(asset.media.duration - sourceDuration) <= frame + 0.001,
                "EXTINF sum \(asset.media.duration) vs source \(sourceDuration)")

        // Each segment starts with a keyframe and lasts what its EXTINF says, within one frame.
        let scratch = try TemporaryDirectory()
        var measured: [(bytes: Int, seconds: Double)] = []
        for (index, segment) in asset.media.segments.enumerated() {
            let path = try asset.standaloneSegment(index, in: scratch)
            let packets = try await FFprobe.packets(path, streams: hasVideo ? "v:0" : "a:0")
            let first = try #require(packets.min { ($0.dtsTime ?? 0) < ($1.dtsTime ?? 0) }, "segment \(index) has no packets")
            if hasVideo { #expect(first.isKeyframe, "segment \(index) of \(testCase) starts with a non-keyframe") }
            let start = packets.compactMap(\.ptsTime).min() ?? 0
            let end = packets.compactMap { packet in packet.ptsTime.map { $0 + (packet.durationTime ?? 0) } }.max() ?? 0
            let last = index == asset.media.segments.count - 1
            // The last segment also holds the other stream's tail, which can outlast video by a frame.
            #expect(abs((end - start) - segment.duration) <= frame + (last ? frame : 0) + 0.001,
                    "segment \(index): EXTINF \(segment.duration), measured \(end - start)")
            measured.append((try asset.segmentBytes(index).count, segment.duration))
        }

        // BANDWIDTH and AVERAGE-BANDWIDTH: within 10% of the rates measured from the files.
        let variant = try #require(asset.master.variants.first)
        let timed = measured.filter { $0.seconds > 0 }
        let peak = timed.map { Double($0.bytes) * 8 / $0.seconds }.max() ?? 0
        let average = Double(timed.reduce(0) { $0 + $1.bytes }) * 8 / timed.reduce(0) { $0 + $1.seconds }
        #expect(abs(Double(variant.bandwidth) - peak) <= peak * 0.1, "BANDWIDTH \(variant.bandwidth) vs \(peak)")
        #expect(abs(Double(variant.averageBandwidth ?? 0) - average) <= average * 0.1, "AVERAGE-BANDWIDTH vs \(average)")
        #expect(variant.codecs?.isEmpty == false)
        if hasVideo {
            #expect(variant.resolution != nil && variant.frameRate != nil)
            #expect(asset.master.iFrameStreams.count == 1)
        } else {
            #expect(asset.master.iFrameStreams.isEmpty)
        }

        // Round trip: decoding the HLS asset gives exactly the source's frames (stream copy).
        let stream = hasVideo ? "0:v:0" : "0:a:0"
        let original = try await FrameHashes.of(Fixture.path(testCase.fixture), stream: stream)
        let decoded = try await FrameHashes.of(assetURL.appendingPathComponent("master.m3u8").path, stream: stream)
        #expect(!original.isEmpty)
        // An MP4 edit list can hide AAC priming frames that a transport stream (or an fMP4
        // whose moov is written before the first packet) plays; those frames are the source's
        // own packets, so they may lead the copy.
        let priming = hasVideo ? 0 : try await FFprobe.packets(Fixture.path(testCase.fixture), streams: "a:0").filter { ($0.ptsTime ?? 0) < 0 }.count
        let copied = decoded.count == original.count + priming ? Array(decoded.dropFirst(priming)) : decoded
        let firstDifference = zip(original, copied).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(copied == original, "decoded \(copied.count) frames, source \(original.count); first difference at \(firstDifference.map(String.init) ?? "the end")")
    }

    @Test func iFramePlaylistAddressesEveryKeyframe() async throws {
        for format in ["fmp4", "ts"] {
            let library = try TemporaryDirectory(prefix: "library")
            let result = try await ReelBinary.run(["ingest", Fixture.path("h264-aac.mp4"), "--library", library.path, "--format", format, "--progress", "never"])
            #expect(result.status == 0, "\(result.stderrText)")
            let asset = try IngestedAsset(directory: library.appending("h264-aac"))
            let uri = try #require(asset.master.iFrameStreams.first?.uri)
            let iFrames = try MediaPlaylist(parsing: String(contentsOf: library.appending("h264-aac").appendingPathComponent(uri), encoding: .utf8))
            #expect(iFrames.iFramesOnly)
            let keyframes = try await FFprobe.packets(Fixture.path("h264-aac.mp4"), streams: "v:0").filter(\.isKeyframe)
            #expect(iFrames.segments.count == keyframes.count, "\(format): one entry per keyframe")
            // Each range, alone (after the init section), decodes to the source's keyframe, bit for bit.
            let sourceKeyframes = try await FrameHashes.of(Fixture.path("h264-aac.mp4"), stream: "0:v:0", keyframesOnly: true)
            #expect(sourceKeyframes.count == keyframes.count)
            let scratch = try TemporaryDirectory()
            let initData = try asset.initBytes()
            for (index, range) in iFrames.resolvedByteRanges().enumerated() {
                let range = try #require(range)
                let data = try Data(contentsOf: asset.mediaDirectory.appendingPathComponent(iFrames.segments[index].uri)).subdata(in: range)
                let url = scratch.appending("iframe-\(index).\(format == "ts" ? "ts" : "mp4")")
                try (initData + data).write(to: url)
                let decoded = try await FrameHashes.of(url.path, stream: "0:v:0", keyframesOnly: true)
                #expect(decoded.first == sourceKeyframes[index], "\(format) I-frame \(index) decodes to the source keyframe")
            }
        }
    }

    @Test func jsonResult() async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let result = try await ReelBinary.run(["ingest", Fixture.path("h264-aac.mp4"), "--library", library.path, "--json", "--name", "clip"])
        #expect(result.status == 0, "\(result.stderrText)")
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(object["name"] as? String == "clip")
        #expect(object["state"] as? String == "ready")
        #expect(abs((object["duration"] as? Double ?? 0) - 10) < 0.05)
        #expect((object["master"] as? String)?.hasSuffix("clip/master.m3u8") == true)
        #expect((object["renditions"] as? [[String: Any]])?.first?["name"] as? String == "copy")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: library.appending("clip/manifest.json"))) as? [String: Any])
        #expect(manifest["state"] as? String == "ready")
    }

    @Test func defaultNameIsMadeSafe() async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let inputs = try TemporaryDirectory()
        try FileManager.default.copyItem(at: Fixture.url("h264-aac.mp4"), to: inputs.appending("My Clip (1).mp4"))
        let result = try await ReelBinary.run(["ingest", inputs.appending("My Clip (1).mp4").path, "--library", library.path, "--progress", "never"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(FileManager.default.fileExists(atPath: library.appending("My-Clip-1/master.m3u8").path))
    }

    @Test func existingAssetNeedsForce() async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let base = ["ingest", Fixture.path("h264-aac.mp4"), "--library", library.path, "--name", "clip", "--progress", "never"]
        #expect(try await ReelBinary.run(base).status == 0)
        let before = try Data(contentsOf: library.appending("clip/copy/index.m3u8"))
        let refused = try await ReelBinary.run(base + ["--format", "ts"])
        #expect(refused.status == 1)
        #expect(refused.stderrText.contains("already exists"), "\(refused.stderrText)")
        #expect(try Data(contentsOf: library.appending("clip/copy/index.m3u8")) == before, "untouched without --force")
        let forced = try await ReelBinary.run(base + ["--format", "ts", "--force"])
        #expect(forced.status == 0, "\(forced.stderrText)")
        #expect(FileManager.default.fileExists(atPath: library.appending("clip/copy/seg-1-00000.ts").path), "generation 1's names")
        let replaced = try String(contentsOf: library.appending("clip/copy/index.m3u8"), encoding: .utf8)
        #expect(!replaced.contains("init") && !replaced.contains("seg-0"), "the new playlist names only the new files:\n\(replaced)")
        // The old files stay for players whose cached playlists name them (ReplacementTests).
        #expect(FileManager.default.fileExists(atPath: library.appending("clip/copy/init.mp4").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path) == ["clip"], "no staging left behind")
    }

    @Test(arguments: Fixture.bad.map(\.name))
    func badInputLeavesLibraryUntouched(name: String) async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let result = try await ReelBinary.run(["ingest", "fixtures/\(name)", "--library", library.path, "--progress", "never"], currentDirectory: Fixture.repositoryRoot)
        #expect(result.status == 1)
        #expect(!result.signaled)
        #expect(result.stderrLines.count == 1, "\(result.stderrText)")
        #expect(result.stderrText.hasPrefix("reel: fixtures/\(name): "), "\(result.stderrText)")
        let asset = String(name.prefix { $0 != "." })
        #expect(try leftInLibrary(library.url, besidesMarkOf: asset).isEmpty, "nothing left in the library")
    }

    @Test func unsupportedCodecForFormat() async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let result = try await ReelBinary.run(["ingest", Fixture.path("vp9-opus.webm"), "--library", library.path, "--format", "ts"])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("vp9 cannot be carried in MPEG-TS"), "\(result.stderrText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path).isEmpty)
    }

    @Test func unwritableLibrary() async throws {
        let scratch = try TemporaryDirectory()
        let notADirectory = scratch.appending("file")
        try Data("x".utf8).write(to: notADirectory)
        let result = try await ReelBinary.run(["ingest", Fixture.path("h264-aac.mp4"), "--library", notADirectory.path])
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1 && result.stderrText.contains("cannot write"), "\(result.stderrText)")
    }

    @Test("usage errors exit 2", arguments: [
        ["--name", "../escape"], ["--name", ".hidden"], ["--segment-duration", "0"], ["--segment-duration", "abc"],
        ["--format", "avi"], ["--renditions", "bogus"], ["--progress", "sometimes"],
    ])
    func usageErrors(arguments: [String]) async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let result = try await ReelBinary.run(["ingest", Fixture.path("h264-aac.mp4"), "--library", library.path] + arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderrText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path).isEmpty)
    }

    @Test func progressLine() async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let result = try await ReelBinary.run(["ingest", Fixture.path("h264-aac-30s.mp4"), "--library", library.path, "--progress", "always"])
        #expect(result.status == 0)
        #expect(result.stderrText.contains("100%"), "\(result.stderrText)")
        #expect(result.stderrText.contains("x"))
    }
}

/// Per-frame MD5s of one decoded stream (`-f framemd5`), timestamps left out.
enum FrameHashes {
    static func of(_ path: String, stream: String, keyframesOnly: Bool = false, inputOptions: [String] = []) async throws -> [String] {
        let skip = keyframesOnly ? ["-skip_frame", "nokey"] : []
        let arguments = ["-hide_banner", "-loglevel", "error"] + skip + inputOptions + ["-i", path, "-map", stream, "-f", "framemd5", "-"]
        let result = try await ProcessRunner.run("ffmpeg", arguments)
        guard result.status == 0 else { throw MissingValue(description: "ffmpeg failed on \(path): \(result.stderrText)") }
        return result.stdoutText.split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .compactMap { $0.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } }
    }
}

@Suite("reel ingest refuses inputs without audio or video")
struct IngestStreamlessInputTests {
    @Test func subtitlesOnly() async throws {
        let scratch = try TemporaryDirectory()
        let input = scratch.appending("captions.srt")
        try Data("1\n00:00:00,000 --> 00:00:02,000\nHello\n\n2\n00:00:02,000 --> 00:00:04,000\nWorld\n".utf8).write(to: input)
        let library = scratch.appending("library")
        let result = try await ReelBinary.run(["ingest", input.path, "--library", library.path])
        #expect(result.status == 1)
        #expect(result.stderrText == "reel: \(input.path): no audio or video stream\n")
        #expect(!FileManager.default.fileExists(atPath: library.appendingPathComponent("captions").path))
    }
}

@Suite("reel ingest cleans up after itself")
struct IngestCleanupTests {
    @Test func interruptedIngestPublishesNothing() async throws {
        let scratch = try TemporaryDirectory()
        let stream = scratch.appending("input.ts")
        let remux = try await ProcessRunner.run("ffmpeg", ["-v", "error", "-i", Fixture.path("h264-aac-30s.mp4"), "-c", "copy", "-f", "mpegts", stream.path])
        #expect(remux.status == 0)
        let bytes = try Data(contentsOf: stream)
        // A FIFO: the ingest blocks waiting for data, like a live source, until we finish it.
        let fifo = scratch.appending("live.ts")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        let library = scratch.appending("library")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ReelBinary.path)
        process.arguments = ["ingest", fifo.path, "--library", library.path, "--name", "live", "--progress", "never"]
        let errors = scratch.appending("stderr")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        try await Self.onThread {
            let writer = FileHandle(forWritingAtPath: fifo.path)!
            try writer.write(contentsOf: bytes.prefix(bytes.count / 2))
            Thread.sleep(forTimeInterval: 1)
            process.terminate()  // SIGTERM while the ingest waits for more input
            Thread.sleep(forTimeInterval: 0.5)
            try writer.close()
        }
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(process.terminationStatus == 1)
        #expect(process.terminationReason == .exit, "it stops by itself, not by the signal")
        let message = try String(contentsOf: errors, encoding: .utf8)
        #expect(message == "reel: \(fifo.path): interrupted; nothing was published\n", "\(message)")
        #expect(try leftInLibrary(library, besidesMarkOf: "live").isEmpty, "no asset, no staging left")
    }

    @Test func abandonedStagingIsRemovedLiveStagingKept() async throws {
        let library = try TemporaryDirectory(prefix: "library")
        // A process id above Linux's maximum cannot be running.
        let dead = library.appending(".staging-old-4194305-deadbeef")
        let alive = library.appending(".staging-busy-\(getpid())-cafecafe")
        try FileManager.default.createDirectory(at: dead, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: alive, withIntermediateDirectories: true)
        let result = try await ReelBinary.run(["ingest", Fixture.path("h264-aac.mp4"), "--library", library.path, "--progress", "never"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: alive.path), "another running ingest's staging is left alone")
    }

    /// Runs blocking work (a FIFO writer) on a thread of its own, off the cooperative pool.
    static func onThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

@Suite("reel ingest from live-like sources")
struct IngestLiveSourceTests {
    @Test(arguments: ["h264-aac.ts", "h264-aac.mkv"])
    func standardInput(fixture: String) async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let result = try await ReelBinary.run(
            ["ingest", "-", "--library", library.path, "--name", "piped", "--progress", "never"],
            stdin: try Data(contentsOf: Fixture.url(fixture))
        )
        #expect(result.status == 0, "\(result.stderrText)")
        let asset = library.appending("piped")
        #expect(try await ReelBinary.run(["validate", asset.path]).status == 0)
        let original = try await FrameHashes.of(Fixture.path(fixture), stream: "0:v:0")
        let copied = try await FrameHashes.of(asset.appendingPathComponent("master.m3u8").path, stream: "0:v:0")
        #expect(copied == original, "frames from standard input differ from the source's")
    }

    @Test func standardInputNeedsAName() async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let result = try await ReelBinary.run(["ingest", "-", "--library", library.path], stdin: Data())
        #expect(result.status == 2)
        #expect(result.stderrText.contains("--name is required"))
    }

    @Test func garbageOnStandardInput() async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let result = try await ReelBinary.run(["ingest", "-", "--library", library.path, "--name", "x"], stdin: Data("not a video\n".utf8))
        #expect(result.status == 1)
        #expect(result.stderrText.hasPrefix("reel: standard input: not a media file"), "\(result.stderrText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.path).isEmpty)
    }

    @Test func realtimeReadsAtMediaSpeed() async throws {
        let library = try TemporaryDirectory(prefix: "library")
        let started = ContinuousClock.now
        let result = try await ReelBinary.run(["ingest", Fixture.path("h264-aac.mkv"), "--library", library.path, "--realtime", "--progress", "never"])
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 0, "\(result.stderrText)")
        // 6 s of media: paced, it cannot finish much sooner (without pacing it takes ~0.1 s).
        #expect(elapsed >= .seconds(5), "\(elapsed)")
        #expect(elapsed < .seconds(30))
    }
}
