import Foundation
import HLSPlaylist
import ReelTestSupport
import Testing

/// One ladder ingest of the 640x360 25 fps fixture.
struct LadderCase: CustomTestStringConvertible, Sendable {
    let renditions: String
    let format: String
    let singleFile: Bool

    var arguments: [String] {
        ["--renditions", renditions, "--format", format, "--segment-duration", "2"] + (singleFile ? ["--single-file"] : [])
    }
    var testDescription: String { "\(renditions) \(format)\(singleFile ? " single-file" : "")" }
    var includesCopy: Bool { renditions.hasPrefix("copy") }

    static let all = [
        LadderCase(renditions: "480p,360p,240p", format: "fmp4", singleFile: false),
        LadderCase(renditions: "480p,360p,240p", format: "ts", singleFile: false),
        LadderCase(renditions: "360p,240p", format: "fmp4", singleFile: true),
        LadderCase(renditions: "copy,240p", format: "fmp4", singleFile: false),
        LadderCase(renditions: "copy,240p", format: "ts", singleFile: false),
    ]
}

/// `reel ingest --renditions LADDER`: transcoded renditions checked with ffprobe and ffmpeg.
@Suite("reel ingest --renditions (ladder)")
struct LadderIngestTests {
    static let fixture = "h264-aac.mp4"
    static let sourceFrames = 250

    @Test(arguments: LadderCase.all)
    func ladderIsAlignedValidAndMeasured(_ testCase: LadderCase) async throws {
        let library = try TemporaryDirectory(prefix: "ladder")
        let scratch = try TemporaryDirectory(prefix: "ladder-scratch")
        let result = try await ReelBinary.run(
            ["ingest", Fixture.path(Self.fixture), "--library", library.path, "--name", "asset", "--progress", "never"] + testCase.arguments
        )
        #expect(result.status == 0, "\(result.stderrText)")
        if testCase.renditions.contains("480p") {
            #expect(result.stderrText.contains("480p skipped"), "a rung taller than the source is skipped with a notice: \(result.stderrText)")
        }
        let assetURL = library.appending("asset")
        let validation = try await ReelBinary.run(["validate", assetURL.path])
        #expect(validation.status == 0, "\(validation.stdoutText)\(validation.stderrText)")

        let master = try IngestedAsset(directory: assetURL).master
        let expected: [(name: String, width: Int, height: Int)] = (testCase.includesCopy ? [("copy", 640, 360)] : [("360p", 640, 360)]) + [("240p", 426, 240)]
        #expect(master.variants.map(\.uri) == expected.map { "\($0.name)/index.m3u8" }, "variants highest first")
        #expect(master.iFrameStreams.map(\.uri) == expected.map { "\($0.name)/iframes.m3u8" })
        if testCase.format == "fmp4" {
            #expect(master.media.map(\.uri) == ["audio/index.m3u8"])
            #expect(master.media.first?.type == .audio && master.media.first?.groupId == "audio")
            #expect(master.variants.allSatisfy { $0.audio == "audio" })
        } else {
            #expect(master.media.isEmpty, "TS muxes the audio into every variant")
        }

        var segmentStarts: [[Double]] = []
        for (variant, rung) in zip(master.variants, expected) {
            #expect(variant.resolution == Resolution(width: rung.width, height: rung.height))
            #expect(variant.frameRate == 25)
            #expect(variant.codecs?.count == 2 && variant.codecs?.first?.hasPrefix("avc1.") == true && variant.codecs?.last == "mp4a.40.2")
            let rendition = try IngestedAsset(directory: assetURL, playlist: variant.uri)

            // Every segment starts with a keyframe, at the same time in every rendition.
            var starts: [Double] = []
            for index in rendition.media.segments.indices {
                let packets = try await FFprobe.packets(try rendition.standaloneSegment(index, in: scratch), streams: "v:0")
                let first = try requireValue(packets.first, "\(variant.uri) segment \(index) has no video")
                #expect(first.isKeyframe, "\(variant.uri) segment \(index) starts with an IDR")
                starts.append(packets.compactMap(\.ptsTime).min() ?? -1)
            }
            segmentStarts.append(starts)

            // Picture size, frame rate and every frame there, decoded by ffmpeg from the playlist.
            let whole = try rendition.wholeStream(in: scratch, name: rung.name)
            let probe = try await FFprobe.formatAndStreams(whole)
            let video = try requireValue((probe["streams"] as? [[String: Any]])?.first { $0["codec_type"] as? String == "video" }, "no video in \(variant.uri)")
            #expect(video["width"] as? Int == rung.width && video["height"] as? Int == rung.height)
            #expect(parseRational(video["r_frame_rate"] as? String) == 25)
            #expect(video["pix_fmt"] as? String == "yuv420p")
            let frames = try await FFprobe.decodedFrameCount(assetURL.appendingPathComponent(variant.uri).path, streams: "v:0")
            #expect(frames == Self.sourceFrames, "\(variant.uri): \(frames) frames")

            // BANDWIDTH: the measured peak over segments (with the audio group's segment), within 10%.
            let audio = testCase.format == "fmp4" ? try IngestedAsset(directory: assetURL, playlist: "audio/index.m3u8") : nil
            var peak = 0.0
            for (index, segment) in rendition.media.segments.enumerated() where segment.duration > 0 {
                var bytes = try rendition.segmentBytes(index).count
                if let audio, index < audio.media.segments.count { bytes += try audio.segmentBytes(index).count }
                peak = max(peak, Double(bytes) * 8 / segment.duration)
            }
            let declared = Double(variant.bandwidth)
            #expect(declared >= peak * 0.999 && declared <= peak * 1.1, "\(variant.uri): BANDWIDTH \(declared) vs measured peak \(peak)")
        }
        if let reference = segmentStarts.first {
            for (starts, rung) in zip(segmentStarts, expected) {
                #expect(starts.count == reference.count, "\(rung.name) has as many segments")
                for (start, expectedStart) in zip(starts, reference) {
                    #expect(abs(start - expectedStart) < 0.001, "\(rung.name) segment starts at \(start), first rendition at \(expectedStart)")
                }
            }
        }
        if !testCase.includesCopy {
            let starts = segmentStarts.first ?? []
            #expect(starts.map { (($0 - starts[0]) * 1000).rounded() / 1000 } == [0, 2, 4, 6, 8], "IDRs on the 2 s grid: \(starts)")
        }

        let play = try await ProcessRunner.run("ffmpeg", ["-v", "error", "-i", assetURL.appendingPathComponent("master.m3u8").path, "-map", "0", "-f", "null", "-"])
        #expect(play.status == 0 && play.stderr.isEmpty, "ffmpeg plays the master: \(play.stderrText)")
    }

    @Test func videoBitrateOverrideSetsTheRate() async throws {
        let library = try TemporaryDirectory(prefix: "ladder-rate")
        let result = try await ReelBinary.run([
            "ingest", Fixture.path(Self.fixture), "--library", library.path, "--name", "asset", "--progress", "never",
            "--renditions", "240p", "--video-bitrate", "240p=150", "--format", "ts", "--json",
        ])
        #expect(result.status == 0, "\(result.stderrText)")
        let json = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] ?? [:]
        let rendition = try requireValue((json["renditions"] as? [[String: Any]])?.first, "no rendition in \(result.stdoutText)")
        let average = Double(rendition["averageBandwidth"] as? Int ?? 0)
        // 150 kb/s of video, 128 kb/s of AAC, and MPEG-TS overhead.
        #expect(average > 200_000 && average < 420_000, "average \(average) b/s")
    }

    @Test func transcodesACodecTheSegmentFormatCannotCarry() async throws {
        let library = try TemporaryDirectory(prefix: "ladder-vp9")
        let result = try await ReelBinary.run([
            "ingest", Fixture.path("vp9-opus.webm"), "--library", library.path, "--name", "asset", "--progress", "never",
            "--renditions", "240p", "--format", "ts", "--segment-duration", "2",
        ])
        #expect(result.status == 0, "\(result.stderrText)")
        let validation = try await ReelBinary.run(["validate", library.appending("asset").path])
        #expect(validation.status == 0, "\(validation.stdoutText)")
    }

    /// An input that cannot give the ladder fails with one line and leaves the library empty.
    @Test(arguments: [
        ("audio-only.m4a", "360p,240p", "no video stream"),
        ("h264-aac.mp4", "1080p,720p", "taller than the 360-pixel-high source"),
        ("truncated-tail.mp4", "240p", "truncated-tail.mp4"),
    ])
    func refusedLadderLeavesNothing(_ fixture: String, _ renditions: String, _ reason: String) async throws {
        let library = try TemporaryDirectory(prefix: "ladder-refused")
        let result = try await ReelBinary.run([
            "ingest", Fixture.path(fixture), "--library", library.path, "--name", "asset", "--progress", "never", "--renditions", renditions,
        ])
        #expect(result.status == 1)
        #expect(result.stderrText.contains(reason), "\(result.stderrText)")
        let left = try leftInLibrary(library.url, besidesMarkOf: "asset")
        #expect(left.isEmpty, "nothing published: \(left)")
    }

    @Test(arguments: ["copy,copy", "240p,copy", "720", "360p,360p", "0p", ""])
    func badRenditionsAreUsageErrors(_ renditions: String) async throws {
        let library = try TemporaryDirectory(prefix: "ladder-usage")
        let result = try await ReelBinary.run(["ingest", Fixture.path(Self.fixture), "--library", library.path, "--renditions", renditions])
        #expect(result.status == 2, "\(renditions): \(result.stderrText)")
    }
}

/// Timed: runs in the serial phase of `make test` (a realtime ladder must keep up with 1x).
@Suite("ladder published progressively")
struct LadderProgressiveTests {
    /// Like a stream copy, a ladder is live from its first segments: every rendition's EVENT
    /// playlist grows while the (realtime-paced) ingest runs.
    @Test func ladderIsPublishedProgressively() async throws {
        let library = try TemporaryDirectory(prefix: "ladder-live")
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: ReelBinary.path)
        ingest.arguments = [
            "ingest", Fixture.path("h264-aac-30s.mp4"), "--library", library.path, "--name", "asset", "--progress", "never",
            "--renditions", "240p,144p", "--segment-duration", "2", "--realtime",
        ]
        try ingest.run()
        defer { if ingest.isRunning { ingest.terminate() } }
        let master = library.appending("asset/master.m3u8")
        let deadline = ContinuousClock.now + .seconds(20)
        while !FileManager.default.fileExists(atPath: master.path), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(ingest.isRunning, "the asset went live before the ingest ended")
        for playlist in ["240p/index.m3u8", "144p/index.m3u8", "audio/index.m3u8"] {
            let text = try String(contentsOf: library.appending("asset/\(playlist)"), encoding: .utf8)
            let media = try MediaPlaylist(parsing: text)
            #expect(media.playlistType == .event && !media.endList && !media.segments.isEmpty, "\(playlist) is growing: \(text)")
        }
        let manifest = try AssetManifest(json: Data(contentsOf: library.appending("asset/manifest.json")))
        #expect(manifest.state == .ingesting)
        while ingest.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(ingest.terminationStatus == 0)
        let final = try MediaPlaylist(parsing: String(contentsOf: library.appending("asset/240p/index.m3u8"), encoding: .utf8))
        #expect(final.playlistType == .vod && final.endList && final.segments.count == 12)
    }
}
