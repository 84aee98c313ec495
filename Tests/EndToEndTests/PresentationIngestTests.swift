import Foundation
import ReelTestSupport
import Testing

// Complete presentations (issue 13): every audio track, text subtitles and sidecars, rotation,
// HDR and odd timelines reach the HLS output. Reel's output is judged by ffprobe/ffmpeg and by
// small text parsers of our own (PresentationSupport.swift), never by Reel's own parser.

/// The fixtures added for issue 13 (see fixtures/make-fixtures.sh).
enum PresentationFixture {
    static let all = [
        "bframes-aac.mkv", "late-start.mp4", "rotated.mp4", "two-languages.mp4", "subtitles.mp4", "subtitles.mkv",
        "sidecar.mp4", "hdr-pq.mp4", "hdr-hlg.mp4", "ts-restart.ts", "ts-wrap.ts",
    ]

    /// Decoded pictures in each fixture (ffprobe -count_frames on the source says the same).
    static func frames(_ fixture: String) -> Int {
        ["hdr-pq.mp4", "hdr-hlg.mp4", "ts-wrap.ts"].contains(fixture) ? 100 : 150
    }

    /// `VIDEO-RANGE` a variant of this fixture must declare; nil for SDR (absent or `SDR`).
    static func videoRange(_ fixture: String) -> String? {
        switch fixture {
        case "hdr-pq.mp4": "PQ"
        case "hdr-hlg.mp4": "HLG"
        default: nil
        }
    }

    /// The 90 kHz timestamp media time 0 has in the segments: fMP4 0, MPEG-TS 1.4 s.
    static func origin(_ format: String) -> Double { format == "ts" ? 1.4 : 0 }
}

/// One ingest of one fixture.
struct PresentationCase: CustomTestStringConvertible, Sendable {
    let fixture: String
    let format: String
    let renditions: String

    var isLadder: Bool { renditions != "copy" }
    var extra: [String] { ["--format", format, "--renditions", renditions] }
    var testDescription: String { "\(fixture) \(format) \(renditions)" }

    func ingest(_ more: [String] = []) async throws -> PresentationIngest {
        try await PresentationIngest.run(input: Fixture.path(fixture), extra + more)
    }

    /// Every new fixture in both formats, stream copy and a ladder that fits the 180-pixel sources.
    static let everything: [PresentationCase] = PresentationFixture.all.flatMap { fixture in
        ["fmp4", "ts"].flatMap { format in
            ["copy", "180p,144p"].map { PresentationCase(fixture: fixture, format: format, renditions: $0) }
        }
    }

    static func matrix(_ fixtures: [String], formats: [String] = ["fmp4", "ts"], renditions: [String]) -> [PresentationCase] {
        fixtures.flatMap { fixture in
            formats.flatMap { format in renditions.map { PresentationCase(fixture: fixture, format: format, renditions: $0) } }
        }
    }
}

// MARK: - 1. Every fixture, every way

@Suite("Presentation: every new fixture ingests, validates and plays")
struct PresentationPlaybackTests {
    @Test(arguments: PresentationCase.everything)
    func ingestValidatesAndPlays(_ testCase: PresentationCase) async throws {
        let ingest = try await testCase.ingest()
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let warnsOfRotation = testCase.fixture == "rotated.mp4" && testCase.format == "ts" && !testCase.isLadder
        if !warnsOfRotation {
            #expect(ingest.result.stderr.isEmpty, "--progress never prints nothing on success: \(ingest.result.stderrText)")
        }

        let validation = try await ReelBinary.run(["validate", ingest.asset.path])
        #expect(validation.status == 0, "reel validate accepts the asset: \(validation.stdoutText)\(validation.stderrText)")

        // ffmpeg plays every video and audio rendition the master names, and reads every subtitle
        // playlist (its HLS demuxer opens no subtitle group from a master).
        let play = try await tool("ffmpeg", ["-v", "error", "-i", ingest.masterURL.path, "-map", "0", "-f", "null", "-"])
        #expect(play.status == 0 && play.stderr.isEmpty, "ffmpeg plays every rendition of the master without an error: \(play.summary)")
        for subtitles in try ingest.master().media where subtitles["TYPE"] == "SUBTITLES" {
            let uri = subtitles["URI"] ?? ""
            let read = try await tool("ffmpeg", ["-v", "error", "-i", ingest.asset.appendingPathComponent(uri).path, "-f", "webvtt", "-"])
            #expect(read.status == 0 && read.stderr.isEmpty && !read.stdout.isEmpty, "ffmpeg reads the subtitle playlist \(uri) without an error: \(read.summary)")
        }

        // RFC 8216 4.3.3.1: every EXTINF, rounded to the nearest integer, is at most the target duration.
        for uri in try ingest.allMediaPlaylistURIs() {
            let playlist = try ingest.playlist(uri)
            let target = try #require(playlist.targetDuration, "\(uri) has EXT-X-TARGETDURATION")
            for (index, segment) in playlist.segments.enumerated() {
                #expect(Int(segment.duration.rounded()) <= target,
                        "\(uri) segment \(index): EXTINF \(segment.duration) rounds above EXT-X-TARGETDURATION \(target)")
            }
            #expect(!playlist.hasDiscontinuity, "\(uri) has no EXT-X-DISCONTINUITY (timestamps are continuous)")
            #expect(playlist.endList, "\(uri) is finished with EXT-X-ENDLIST")
        }

        // Every video variant has every picture of the source.
        let sourceFrames = try await decodedVideoFrames(Fixture.path(testCase.fixture))
        #expect(sourceFrames == PresentationFixture.frames(testCase.fixture), "the fixture decodes to \(PresentationFixture.frames(testCase.fixture)) pictures: \(sourceFrames)")
        let master = try ingest.master()
        #expect(!master.variants.isEmpty, "the master lists variants")
        for variant in master.variants {
            let frames = try await decodedVideoFrames(ingest.asset.appendingPathComponent(variant.uri).path)
            #expect(frames == sourceFrames, "\(variant.uri) decodes to \(frames) pictures, the source to \(sourceFrames)")
            let range = variant.attributes["VIDEO-RANGE"]
            if let expected = PresentationFixture.videoRange(testCase.fixture) {
                #expect(range == expected, "\(variant.uri) of an HDR source says VIDEO-RANGE=\(expected), not \(range ?? "nothing")")
            } else {
                #expect(range == nil || range == "SDR", "\(variant.uri) of an SDR source has VIDEO-RANGE \(range ?? "absent") (absent or SDR)")
            }
        }
    }
}

// MARK: - 2. Audio languages

struct ExpectedAudio: Sendable {
    let directory: String
    let language: String?
    let name: String
    let channels: Int
    let tone: Double
    let isDefault: Bool

    /// two-languages.mp4: eng stereo 440 Hz, fra mono 880 Hz (marked default), untagged stereo 660 Hz.
    static let twoLanguages = [
        ExpectedAudio(directory: "audio-en", language: "en", name: "English", channels: 2, tone: 440, isDefault: false),
        ExpectedAudio(directory: "audio-fr", language: "fr", name: "French", channels: 1, tone: 880, isDefault: true),
        ExpectedAudio(directory: "audio-und", language: nil, name: "Audio 3", channels: 2, tone: 660, isDefault: false),
    ]
}

@Suite("Presentation: every audio track is a language rendition")
struct PresentationAudioTests {
    @Test(arguments: PresentationCase.matrix(["two-languages.mp4"], renditions: ["copy", "180p,144p"]))
    func audioTracksBecomeRenditions(_ testCase: PresentationCase) async throws {
        let ingest = try await testCase.ingest()
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let master = try ingest.master()
        let audio = master.media.filter { $0["TYPE"] == "AUDIO" }
        #expect(audio.count == 3, "three EXT-X-MEDIA TYPE=AUDIO renditions, one per track: \(audio)")
        #expect(audio.filter { $0["DEFAULT"] == "YES" }.count == 1, "exactly one audio rendition is DEFAULT=YES")
        #expect(Set(audio.compactMap { $0["NAME"] }).count == audio.count, "NAMEs are unique in the group")

        for expected in ExpectedAudio.twoLanguages {
            let uri = "\(expected.directory)/index.m3u8"
            guard let rendition = audio.first(where: { $0["URI"] == uri }) else {
                Issue.record("no audio rendition with URI \(uri) in the master:\n\(master.text)")
                continue
            }
            #expect(rendition["GROUP-ID"] == "audio", "\(uri) is in GROUP-ID audio")
            if let language = expected.language {
                #expect(rendition["LANGUAGE"] == language, "\(uri) LANGUAGE is \(language) (RFC 5646), not \(rendition["LANGUAGE"] ?? "absent")")
            } else {
                #expect(rendition["LANGUAGE"] == nil || rendition["LANGUAGE"] == "und", "untagged \(uri) has no language: \(rendition["LANGUAGE"] ?? "")")
            }
            #expect(rendition["NAME"] == expected.name, "\(uri) NAME is \(expected.name), not \(rendition["NAME"] ?? "absent")")
            #expect(rendition["CHANNELS"] == String(expected.channels), "\(uri) CHANNELS is \(expected.channels), not \(rendition["CHANNELS"] ?? "absent")")
            #expect((rendition["DEFAULT"] == "YES") == expected.isDefault, "\(uri) DEFAULT is \(expected.isDefault ? "YES" : "NO") (the input marks fra default)")
            #expect(rendition["AUTOSELECT"] == "YES", "\(uri) is AUTOSELECT=YES")

            // The right track is in the right rendition: its channel count and its tone.
            let playlistPath = ingest.asset.appendingPathComponent(uri).path
            let streams = try await probeStreams(playlistPath)
            let stream = try #require(firstStream(streams, "audio"), "\(uri) has an audio stream")
            #expect(firstStream(streams, "video") == nil, "\(uri) is audio only")
            #expect(stream["codec_name"] as? String == "aac", "\(uri) is AAC")
            #expect(stream["channels"] as? Int == expected.channels, "\(uri) has \(expected.channels) channels (ffprobe), not \(stream["channels"] ?? "?")")
            let samples = try await Tone.samples(playlistPath)
            let seconds = Double(samples.count) / 48000
            #expect(abs(seconds - 6) < 0.2, "\(uri) decodes to about 6 s of sound, not \(seconds) s")
            let frequency = Tone.frequency(samples, from: 0.5, to: 5.5)
            #expect(abs(frequency - expected.tone) <= expected.tone * 0.03, "\(uri) carries the \(expected.tone) Hz track, measured \(frequency) Hz")
        }

        // The variants carry video only, name the group, and count the audio in CODECS and BANDWIDTH.
        #expect(!master.variants.isEmpty, "the master lists variants")
        let audioPlaylists = try audio.compactMap { $0["URI"] }.map { (uri: $0, playlist: try ingest.playlist($0)) }
        for variant in master.variants {
            #expect(variant.attributes["AUDIO"] == "audio", "\(variant.uri) says AUDIO=\"audio\"")
            #expect(variant.attributes.codecList.contains { $0.hasPrefix("mp4a.40.") }, "\(variant.uri) CODECS names the group's AAC: \(variant.attributes["CODECS"] ?? "")")
            let streams = try await probeStreams(ingest.asset.appendingPathComponent(variant.uri).path)
            #expect(firstStream(streams, "audio") == nil, "\(variant.uri) carries no audio of its own (it is in the renditions)")
            #expect(firstStream(streams, "video") != nil, "\(variant.uri) carries video")

            // BANDWIDTH is at least the peak of this variant's segments plus the largest audio rendition's.
            let video = try ingest.playlist(variant.uri)
            let videoDirectory = ingest.asset.appendingPathComponent(variant.uri).deletingLastPathComponent()
            var floor = 0.0
            for (audioURI, audioPlaylist) in audioPlaylists {
                let audioDirectory = ingest.asset.appendingPathComponent(audioURI).deletingLastPathComponent()
                for (index, segment) in video.segments.enumerated() where segment.duration > 0 && index < audioPlaylist.segments.count {
                    let bytes = try fileSize(videoDirectory.appendingPathComponent(segment.uri))
                        + fileSize(audioDirectory.appendingPathComponent(audioPlaylist.segments[index].uri))
                    floor = max(floor, Double(bytes) * 8 / segment.duration)
                }
            }
            let bandwidth = Double(variant.attributes["BANDWIDTH"] ?? "") ?? 0
            #expect(bandwidth >= floor * 0.97, "\(variant.uri) BANDWIDTH \(bandwidth) includes the largest audio rendition (peak video+audio \(floor))")
            #expect(bandwidth <= floor * 1.5, "\(variant.uri) BANDWIDTH \(bandwidth) is not far above the measured peak \(floor)")
        }
    }

    /// Two English tracks, neither marked default: `audio-en` and `audio-en-2`, the first is DEFAULT.
    @Test(arguments: ["fmp4", "ts"])
    func duplicateLanguagesAndNoDefault(format: String) async throws {
        let inputs = try TemporaryDirectory(prefix: "presentation-inputs")
        let input = inputs.appending("twice-english.mp4").path
        // two-languages.mp4's 440 Hz English track, then its 660 Hz untagged track tagged English too.
        let made = try await tool("ffmpeg", [
            "-v", "error", "-nostdin", "-i", Fixture.path("two-languages.mp4"), "-map", "0:v", "-map", "0:a:0", "-map", "0:a:2", "-c", "copy",
            "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=eng", "-disposition:a:0", "0", "-disposition:a:1", "0", input,
        ])
        try #require(made.status == 0, "ffmpeg makes the input: \(made.summary)")
        let ingest = try await PresentationIngest.run(input: input, ["--format", format])
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let audio = try ingest.master().media.filter { $0["TYPE"] == "AUDIO" }
        #expect(audio.compactMap { $0["URI"] } == ["audio-en/index.m3u8", "audio-en-2/index.m3u8"], "renditions audio-en and audio-en-2, in track order: \(audio.compactMap { $0["URI"] })")
        #expect(audio.allSatisfy { $0["LANGUAGE"] == "en" }, "both say LANGUAGE=en: \(audio.map { $0["LANGUAGE"] ?? "absent" })")
        #expect(Set(audio.compactMap { $0["NAME"] }).count == 2, "their NAMEs differ: \(audio.map { $0["NAME"] ?? "absent" })")
        #expect(audio.map { $0["DEFAULT"] == "YES" } == [true, false], "with no track marked default, the first is DEFAULT=YES: \(audio.map { $0["DEFAULT"] ?? "absent" })")
        for (uri, tone) in [("audio-en/index.m3u8", 440.0), ("audio-en-2/index.m3u8", 660.0)] where audio.contains(where: { $0["URI"] == uri }) {
            let samples = try await Tone.samples(ingest.asset.appendingPathComponent(uri).path)
            let frequency = Tone.frequency(samples, from: 0.5, to: 5.5)
            #expect(abs(frequency - tone) <= tone * 0.03, "\(uri) carries the \(tone) Hz track, measured \(frequency) Hz")
        }
    }

    /// `reel probe --json`: each stream's RFC 5646 language, default and forced flags, and
    /// whether a subtitle track can become WebVTT.
    @Test func probeDescribesLanguagesAndDispositions() async throws {
        func streams(_ fixture: String) async throws -> [[String: Any]] {
            let result = try await ReelBinary.run(["probe", "--json", Fixture.path(fixture)])
            #expect(result.status == 0, "reel probe \(fixture): \(result.summary)")
            let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] ?? [:]
            return object["streams"] as? [[String: Any]] ?? []
        }
        let audio = try await streams("two-languages.mp4").filter { $0["type"] as? String == "audio" }
        #expect(audio.count == 3, "three audio streams in two-languages.mp4")
        #expect(audio.map { $0["language"] as? String } == ["en", "fr", nil], "languages en, fr, none: \(audio.map { $0["language"] ?? "-" })")
        #expect(audio.map { $0["default"] as? Bool } == [false, true, false], "only the French track is default")
        // `forced` may be left out when false (Reel writes it for subtitle streams only).
        #expect(audio.allSatisfy { $0["forced"] as? Bool != true }, "no audio track is forced")

        let subtitles = try await streams("subtitles.mkv").filter { $0["type"] as? String == "subtitle" }
        #expect(subtitles.map { $0["language"] as? String } == ["en", "fr", "de"], "subtitle languages en, fr (fre), de (ger)")
        #expect(subtitles.map { $0["forced"] as? Bool } == [false, true, false], "only the ASS track is forced")
        #expect(subtitles.allSatisfy { $0["webVTT"] as? Bool == true }, "SubRip, ASS and WebVTT all become WebVTT")
        let movText = try await streams("subtitles.mp4").filter { $0["type"] as? String == "subtitle" }
        #expect(movText.count == 1 && movText.first?["webVTT"] as? Bool == true && movText.first?["language"] as? String == "en",
                "mov_text English becomes WebVTT: \(movText)")
    }
}

private func fileSize(_ url: URL) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
}

// MARK: - 3. Subtitles

/// A subtitle rendition a fixture must give, and where its cues come from.
struct ExpectedSubtitles: Sendable {
    let directory: String
    let language: String?
    /// nil: any non-empty NAME (a sidecar without a language).
    let name: String?
    let forced: Bool
    let source: String
    /// The subtitle stream in `source` (`0:s:K`), nil for a sidecar file.
    let stream: String?

    static func of(_ fixture: String) -> [ExpectedSubtitles] {
        switch fixture {
        case "subtitles.mp4":
            [ExpectedSubtitles(directory: "subs-en", language: "en", name: "English", forced: false, source: Fixture.path(fixture), stream: "0:s:0")]
        case "subtitles.mkv":
            [
                ExpectedSubtitles(directory: "subs-en", language: "en", name: "English", forced: false, source: Fixture.path(fixture), stream: "0:s:0"),
                ExpectedSubtitles(directory: "subs-fr", language: "fr", name: "French (forced)", forced: true, source: Fixture.path(fixture), stream: "0:s:1"),
                ExpectedSubtitles(directory: "subs-de", language: "de", name: "German", forced: false, source: Fixture.path(fixture), stream: "0:s:2"),
            ]
        case "sidecar.mp4":
            [
                ExpectedSubtitles(directory: "subs-und", language: nil, name: nil, forced: false, source: Fixture.path("sidecar.srt"), stream: nil),
                ExpectedSubtitles(directory: "subs-fr", language: "fr", name: "French", forced: false, source: Fixture.path("sidecar.fr.vtt"), stream: nil),
            ]
        default: []
        }
    }
}

@Suite("Presentation: text subtitles and sidecars become segmented WebVTT")
struct PresentationSubtitleTests {
    static let cases = PresentationCase.matrix(["subtitles.mp4", "subtitles.mkv", "sidecar.mp4"], renditions: ["copy"])
        + PresentationCase.matrix(["subtitles.mkv", "sidecar.mp4"], renditions: ["180p,144p"])

    @Test(arguments: cases)
    func subtitlesAreSegmentedWebVTT(_ testCase: PresentationCase) async throws {
        let ingest = try await testCase.ingest()
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let master = try ingest.master()
        let expectedTracks = ExpectedSubtitles.of(testCase.fixture)
        let subtitles = master.media.filter { $0["TYPE"] == "SUBTITLES" }
        #expect(subtitles.count == expectedTracks.count, "one TYPE=SUBTITLES rendition per text track or sidecar: \(subtitles)")
        #expect(Set(subtitles.compactMap { $0["NAME"] }).count == subtitles.count, "subtitle NAMEs are unique")
        for variant in master.variants {
            #expect(variant.attributes["SUBTITLES"] == "subs", "\(variant.uri) says SUBTITLES=\"subs\"")
        }

        // The media: the first video variant's segments and its first picture's timestamp.
        let videoURI = try #require(master.variants.first?.uri, "the master has a variant")
        let videoPlaylist = try ingest.playlist(videoURI)
        let firstSegment = try ingest.wholeStream(videoURI, segments: 1)
        let videoStart = try #require(try await probePackets(firstSegment, streams: "v:0").compactMap(\.ptsTime).min(),
                                      "the first video segment has timestamps")
        let origin = PresentationFixture.origin(testCase.format)
        // The source's reference: its first picture.
        let sourceVideoStart = try #require(try await probePackets(Fixture.path(testCase.fixture), streams: "v:0").compactMap(\.ptsTime).min(), "the source has video timestamps")

        for expected in expectedTracks {
            let uri = "\(expected.directory)/index.m3u8"
            guard let rendition = subtitles.first(where: { $0["URI"] == uri }) else {
                Issue.record("no subtitle rendition with URI \(uri) in the master:\n\(master.text)")
                continue
            }
            #expect(rendition["GROUP-ID"] == "subs", "\(uri) is in GROUP-ID subs")
            if let language = expected.language {
                #expect(rendition["LANGUAGE"] == language, "\(uri) LANGUAGE is \(language), not \(rendition["LANGUAGE"] ?? "absent")")
            } else {
                #expect(rendition["LANGUAGE"] == nil || rendition["LANGUAGE"] == "und", "\(uri) (no language) has no LANGUAGE: \(rendition["LANGUAGE"] ?? "")")
            }
            if let name = expected.name {
                #expect(rendition["NAME"] == name, "\(uri) NAME is \(name), not \(rendition["NAME"] ?? "absent")")
            } else {
                #expect(rendition["NAME"]?.isEmpty == false, "\(uri) has a NAME")
            }
            #expect(rendition["AUTOSELECT"] == "YES", "\(uri) is AUTOSELECT=YES")
            #expect(rendition["DEFAULT"] != "YES", "\(uri) is not DEFAULT (subtitles are off until chosen)")
            #expect((rendition["FORCED"] == "YES") == expected.forced, "\(uri) FORCED=\(expected.forced ? "YES" : "NO"): \(rendition["FORCED"] ?? "absent")")

            // Segments aligned with the video's.
            let playlist = try ingest.playlist(uri)
            #expect(playlist.segments.count == videoPlaylist.segments.count,
                    "\(uri) has \(playlist.segments.count) segments, the video \(videoPlaylist.segments.count)")
            for (index, (subtitle, video)) in zip(playlist.segments, videoPlaylist.segments).enumerated() {
                #expect(abs(subtitle.duration - video.duration) <= 0.04, "\(uri) segment \(index) EXTINF \(subtitle.duration), video \(video.duration)")
                #expect(subtitle.uri.hasSuffix(".vtt"), "\(uri) segment \(index) is a .vtt file: \(subtitle.uri)")
            }

            // Every segment: the header and X-TIMESTAMP-MAP, cues in media time.
            let expectedMPEGTS = Int((origin * 90000).rounded())
            let directory = ingest.asset.appendingPathComponent(expected.directory)
            var segmentCues: [[PlainWebVTT.Cue]] = []
            for (index, segment) in playlist.segments.enumerated() {
                let text = try String(contentsOf: directory.appendingPathComponent(segment.uri), encoding: .utf8)
                let header = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:\(expectedMPEGTS),LOCAL:00:00:00.000\n"
                #expect(text.hasPrefix(header), "\(uri) segment \(index) begins with \(header.debugDescription): \(String(text.prefix(80)).debugDescription)")
                let vtt = PlainWebVTT(text: text)
                let map = try #require(vtt.timestampMap, "\(uri) segment \(index) has X-TIMESTAMP-MAP")
                // Media time of a cue = MPEGTS/90000 + (cue time - LOCAL).
                let shift = Double(map.mpegts) / 90000 - map.local
                segmentCues.append(vtt.cues.map { PlainWebVTT.Cue(start: $0.start + shift, end: $0.end + shift, text: $0.text) })
            }
            // MPEGTS is the timestamp of media time 0, where the video starts.
            #expect(abs(videoStart - origin) <= 0.1, "\(videoURI) starts at \(videoStart) s, media time 0 is \(origin) s")

            // Cues: deduplicated across segments, in order, same texts (escaped) and times as the source's.
            var cues: [PlainWebVTT.Cue] = []
            for cue in segmentCues.joined() where !cues.contains(cue) { cues.append(cue) }
            cues.sort { $0.start < $1.start }
            let sourceCues = try await PlainWebVTT.cues(of: expected.source, stream: expected.stream)
            #expect(cues.map { PlainWebVTT.unescaped($0.text) } == sourceCues.map(\.text),
                    "\(uri) cue texts \(cues.map(\.text)) equal the source's \(sourceCues.map(\.text))")
            let sourceZero = expected.stream == nil ? 0 : sourceVideoStart
            for (cue, source) in zip(cues, sourceCues) {
                let start = cue.start - videoStart
                let end = cue.end - videoStart
                #expect(abs(start - (source.start - sourceZero)) <= 0.04 && abs(end - (source.end - sourceZero)) <= 0.04,
                        "\(uri) cue \(source.text.debugDescription) at \(start)–\(end) s after the first picture; source \(source.start - sourceZero)–\(source.end - sourceZero) s")
                // Escaping: &, < and > are character references, tags such as <i> stay tags.
                let raw = cue.text.replacingOccurrences(of: "<i>", with: "").replacingOccurrences(of: "</i>", with: "")
                #expect(!raw.contains("<") && !raw.contains(">"), "\(uri) cue text is escaped: \(cue.text.debugDescription)")
                #expect(raw.replacingOccurrences(of: "&amp;", with: "").replacingOccurrences(of: "&lt;", with: "").replacingOccurrences(of: "&gt;", with: "").contains("&") == false,
                        "\(uri) cue text has no bare &: \(cue.text.debugDescription)")
            }
            // ffmpeg, as an independent HLS/WebVTT reader of the playlist, finds the same texts.
            let read = try await PlainWebVTT.cues(of: ingest.asset.appendingPathComponent(uri).path, stream: nil)
            #expect(read.map(\.text) == sourceCues.map(\.text), "ffmpeg reads \(uri) as \(read.map(\.text)), the source has \(sourceCues.map(\.text))")
            let texts = cues.map(\.text)
            if sourceCues.contains(where: { $0.text == "Tom & Jerry: 1 < 2" }) {
                #expect(texts.contains("Tom &amp; Jerry: 1 &lt; 2"), "\(uri) escapes Tom &amp; Jerry: 1 &lt; 2: \(texts)")
            }
            if sourceCues.contains(where: { $0.text == "<i>Across the cut</i>" }) {
                #expect(texts.contains("<i>Across the cut</i>"), "\(uri) keeps the italic tag: \(texts)")
            }

            // A cue is in every segment it overlaps, and in no other.
            var segmentStart = origin
            for (index, segment) in playlist.segments.enumerated() {
                let segmentEnd = segmentStart + segment.duration
                for cue in cues {
                    let overlap = min(cue.end, segmentEnd) - max(cue.start, segmentStart)
                    let present = segmentCues[index].contains(cue)
                    if overlap > 0.05 {
                        #expect(present, "\(uri) segment \(index) (\(segmentStart)–\(segmentEnd) s) repeats the cue \(cue.text.debugDescription) it overlaps")
                    } else if overlap < -0.05 {
                        #expect(!present, "\(uri) segment \(index) (\(segmentStart)–\(segmentEnd) s) holds the cue \(cue.text.debugDescription) it does not overlap")
                    }
                }
                segmentStart = segmentEnd
            }
        }
    }
}

// MARK: - 4. Timestamps

@Suite("Presentation: late, DTS-less, restarting and wrapping timelines")
struct PresentationTimestampTests {
    /// Matroska without DTS (B-frames): the copy is bit-exact and complete.
    @Test(arguments: ["fmp4", "ts"])
    func matroskaWithoutDTS(format: String) async throws {
        let ingest = try await PresentationCase(fixture: "bframes-aac.mkv", format: format, renditions: "copy").ingest()
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let original = try await FrameHashes.of(Fixture.path("bframes-aac.mkv"), stream: "0:v:0")
        let copied = try await FrameHashes.of(ingest.masterURL.path, stream: "0:v:0")
        #expect(original.count == 150, "the source has 150 pictures")
        #expect(copied == original, "the copy decodes to the source's 150 pictures bit for bit: \(copied.count) pictures")
        let variant = try #require(try ingest.master().variants.first?.uri, "the master lists a variant")
        let whole = try ingest.wholeStream(variant)
        try await expectContinuous(whole, frames: 150, duration: 6, "\(format) copy of bframes-aac.mkv")
    }

    /// A timeline starting 10 s late is a 6 s asset starting at media time 0.
    @Test(arguments: ["fmp4", "ts"])
    func lateStartIsSixSeconds(format: String) async throws {
        let ingest = try await PresentationCase(fixture: "late-start.mp4", format: format, renditions: "copy").ingest(["--json"])
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let json = try JSONSerialization.jsonObject(with: ingest.result.stdout) as? [String: Any] ?? [:]
        let jsonDuration = json["duration"] as? Double ?? -1
        #expect(abs(jsonDuration - 6) < 0.1, "--json duration is about 6 s (not 16): \(jsonDuration)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: ingest.asset.appendingPathComponent("manifest.json"))) as? [String: Any] ?? [:]
        let manifestDuration = manifest["duration"] as? Double ?? -1
        #expect(abs(manifestDuration - 6) < 0.1, "manifest.json duration is about 6 s (not 16): \(manifestDuration)")
        let variant = try #require(try ingest.master().variants.first?.uri, "the master lists a variant")
        let playlist = try ingest.playlist(variant)
        #expect(abs(playlist.totalDuration - 6) < 0.1, "the EXTINFs add up to about 6 s: \(playlist.totalDuration)")
        let start = try await probePackets(try ingest.wholeStream(variant, segments: 1), streams: "v:0").compactMap(\.ptsTime).min() ?? -1
        #expect(abs(start - PresentationFixture.origin(format)) < 0.1, "the video starts at media time 0 (\(PresentationFixture.origin(format)) s in \(format)), not \(start) s")
        try await expectContinuous(try ingest.wholeStream(variant), frames: 150, duration: 6, "\(format) copy of late-start.mp4")
    }

    /// Two captures concatenated: one continuous timeline, the first tone then the second.
    @Test(arguments: PresentationCase.matrix(["ts-restart.ts"], renditions: ["copy", "180p,144p"]))
    func restartingTransportStream(_ testCase: PresentationCase) async throws {
        let ingest = try await testCase.ingest()
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let master = try ingest.master()
        for uri in try ingest.allMediaPlaylistURIs() {
            #expect(!(try ingest.playlist(uri).hasDiscontinuity), "\(uri) has no EXT-X-DISCONTINUITY")
        }
        for variant in master.variants {
            try await expectContinuous(try ingest.wholeStream(variant.uri), frames: 150, duration: 6, "\(testCase) \(variant.uri)")
        }
        // The sound: muxed into the variant, or its own rendition.
        let audioURI = master.media.first { $0["TYPE"] == "AUDIO" }?["URI"] ?? master.variants.first?.uri ?? ""
        let samples = try await Tone.samples(try ingest.wholeStream(audioURI))
        let seconds = Double(samples.count) / 48000
        #expect(abs(seconds - 6) < 0.2, "\(audioURI) decodes to about 6 s of sound: \(seconds) s")
        let first = Tone.frequency(samples, from: 0.3, to: 2.7)
        let second = Tone.frequency(samples, from: 3.3, to: 5.7)
        #expect(abs(first - 440) < 440 * 0.03, "\(audioURI): 440 Hz in the first capture, measured \(first) Hz")
        #expect(abs(second - 660) < 660 * 0.03, "\(audioURI): 660 Hz in the second capture, measured \(second) Hz")
    }

    /// A 33-bit PTS wrap 2 s in: timestamps keep increasing.
    @Test(arguments: PresentationCase.matrix(["ts-wrap.ts"], renditions: ["copy", "180p,144p"]))
    func wrappingTransportStream(_ testCase: PresentationCase) async throws {
        let ingest = try await testCase.ingest()
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        for variant in try ingest.master().variants {
            try await expectContinuous(try ingest.wholeStream(variant.uri), frames: 100, duration: 4, "\(testCase) \(variant.uri)")
        }
        for uri in try ingest.allMediaPlaylistURIs() {
            #expect(!(try ingest.playlist(uri).hasDiscontinuity), "\(uri) has no EXT-X-DISCONTINUITY")
        }
    }

    /// The video of `path`: `frames` pictures, DTS strictly increasing in file order, PTS in
    /// presentation order one frame apart (no jump back or forward), spanning `duration` s.
    func expectContinuous(_ path: String, frames: Int, duration: Double, _ what: String) async throws {
        let packets = try await probePackets(path, streams: "v:0")
        #expect(packets.count == frames, "\(what): \(packets.count) video packets, expected \(frames)")
        let dts = packets.compactMap(\.dtsTime)
        #expect(dts.count == packets.count, "\(what): every video packet has a DTS")
        let backwards = zip(dts, dts.dropFirst()).enumerated().first { $0.element.1 <= $0.element.0 }
        #expect(backwards == nil, "\(what): DTS strictly increasing; packet \((backwards?.offset ?? 0) + 1) goes from \(backwards?.element.0 ?? 0) to \(backwards?.element.1 ?? 0)")
        let pts = packets.compactMap(\.ptsTime).sorted()
        #expect(pts.count == packets.count, "\(what): every video packet has a PTS")
        let gaps = zip(pts, pts.dropFirst()).map { $1 - $0 }
        let bad = gaps.enumerated().first { $0.element < 0.035 || $0.element > 0.045 }
        #expect(bad == nil, "\(what): PTS one frame (40 ms) apart; after picture \(bad?.offset ?? 0) the gap is \(bad?.element ?? 0) s")
        if let first = pts.first, let last = pts.last {
            #expect(abs(last - first + 0.04 - duration) < 0.05, "\(what): the pictures span \(last - first + 0.04) s, expected \(duration) s")
        }
    }
}

// MARK: - 5. Rotation and HDR

@Suite("Presentation: rotation")
struct PresentationRotationTests {
    /// fMP4 stream copy keeps the display matrix in the init segment.
    @Test func fmp4CopyKeepsTheDisplayMatrix() async throws {
        let ingest = try await PresentationCase(fixture: "rotated.mp4", format: "fmp4", renditions: "copy").ingest()
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let source = try #require(firstStream(try await probeStreams(Fixture.path("rotated.mp4")), "video"), "ffprobe finds a video stream")
        let sourceRotation = try #require(rotation(of: source), "ffprobe reports the source's rotation")
        let variant = try #require(try ingest.master().variants.first?.uri, "the master lists a variant")
        for (label, path) in [("init + first segment", try ingest.wholeStream(variant, segments: 1)), ("init + all segments", try ingest.wholeStream(variant))] {
            let stream = try #require(firstStream(try await probeStreams(path), "video"), "ffprobe finds a video stream")
            #expect(rotation(of: stream) == sourceRotation,
                    "\(variant) \(label): rotation side data \(rotation(of: stream).map { "\($0)" } ?? "absent"), the source's is \(sourceRotation)")
        }
    }

    /// MPEG-TS has no display matrix: the copy says so.
    @Test func tsCopyWarnsThatRotationIsLost() async throws {
        let ingest = try await PresentationCase(fixture: "rotated.mp4", format: "ts", renditions: "copy").ingest()
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let stderr = ingest.result.stderrText
        #expect(stderr.lowercased().contains("rotat") && stderr.contains("MPEG-TS"), "a warning on stderr mentions rotation and MPEG-TS: \(stderr.debugDescription)")
    }

    /// Ladder rungs are upright: portrait sizes, no side data, and the picture turned the right way.
    @Test(arguments: ["fmp4", "ts"])
    func ladderRungsAreUpright(format: String) async throws {
        let ingest = try await PresentationCase(fixture: "rotated.mp4", format: format, renditions: "240p,144p").ingest()
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let master = try ingest.master()
        #expect(master.variants.map(\.uri) == ["240p/index.m3u8", "144p/index.m3u8"], "two rungs, tallest first: \(master.variants.map(\.uri))")
        for variant in master.variants {
            let height = Int(variant.uri.prefix { $0.isNumber }) ?? 0
            let exactWidth = Double(height) * 180 / 320
            let resolution = try #require(variant.attributes.resolution, "\(variant.uri) has RESOLUTION")
            #expect(resolution.height == height && resolution.width % 2 == 0 && abs(Double(resolution.width) - exactWidth) <= 1,
                    "\(variant.uri) RESOLUTION is portrait \(Int(exactWidth))±1 (even) x \(height): \(resolution.width)x\(resolution.height)")
            let whole = try ingest.wholeStream(variant.uri)
            let stream = try #require(firstStream(try await probeStreams(whole), "video"), "ffprobe finds a video stream")
            #expect(stream["width"] as? Int == resolution.width && stream["height"] as? Int == resolution.height,
                    "\(variant.uri) coded size \(stream["width"] ?? "?")x\(stream["height"] ?? "?") is its RESOLUTION")
            #expect(rotation(of: stream) == nil, "\(variant.uri) has no rotation side data (it is upright): \(rotation(of: stream) ?? 0)")

            // The pictures against the source as ffmpeg shows it (display matrix applied), and
            // against two wrong orientations: turned the other way (180° off) and not turned.
            let width = stream["width"] as? Int ?? resolution.width
            let right = try await psnr(whole, reference: "scale=\(width):\(height)")
            let reversed = try await psnr(whole, reference: "scale=\(width):\(height),hflip,vflip")
            let unturned = try await psnr(whole, reference: "scale=\(width):\(height)", referenceOptions: ["-noautorotate"])
            #expect(right >= 30, "\(variant.uri) matches the upright source: PSNR \(right) dB (wrong orientations: \(reversed), \(unturned) dB)")
            #expect(reversed <= 20 && unturned <= 20, "\(variant.uri): the wrong orientations do not match (PSNR \(reversed), \(unturned) dB; right \(right) dB)")
        }
    }

    /// Average PSNR (dB) of `path`'s pictures against rotated.mp4 filtered by `reference`.
    func psnr(_ path: String, reference: String, referenceOptions: [String] = []) async throws -> Double {
        let graph = "[0:v]setpts=PTS-STARTPTS[a];[1:v]\(reference),setpts=PTS-STARTPTS[b];[a][b]psnr"
        let result = try await tool("ffmpeg", ["-hide_banner", "-nostats", "-i", path] + referenceOptions + ["-i", Fixture.path("rotated.mp4"),
                                              "-filter_complex", graph, "-f", "null", "-"])
        guard result.status == 0, let line = result.stderrLines.last(where: { $0.contains("PSNR y:") }),
              let range = line.range(of: "average:") else {
            throw MissingValue(description: "ffmpeg psnr of \(path) against \(reference): \(result.stderrText)")
        }
        let value = line[range.upperBound...].prefix { !$0.isWhitespace }
        return value == "inf" ? .infinity : Double(value) ?? 0
    }
}

@Suite("Presentation: HDR")
struct PresentationHDRTests {
    static let fixtures = [("hdr-pq.mp4", "PQ", "smpte2084"), ("hdr-hlg.mp4", "HLG", "arib-std-b67")]

    struct HDRCase: CustomTestStringConvertible, Sendable {
        let fixture: String
        let range: String
        let transfer: String
        let format: String
        let renditions: String
        var testDescription: String { "\(fixture) \(format) \(renditions)" }
    }

    static let cases: [HDRCase] = fixtures.flatMap { fixture in
        ["fmp4", "ts"].flatMap { format in
            ["copy", "180p,144p"].map { HDRCase(fixture: fixture.0, range: fixture.1, transfer: fixture.2, format: format, renditions: $0) }
        }
    }

    @Test(arguments: cases)
    func hdrStaysHDR(_ testCase: HDRCase) async throws {
        let ingest = try await PresentationCase(fixture: testCase.fixture, format: testCase.format, renditions: testCase.renditions).ingest()
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let master = try ingest.master()
        let expectedNames = testCase.renditions == "copy" ? ["copy/index.m3u8"] : ["180p/index.m3u8", "144p/index.m3u8"]
        #expect(master.variants.map(\.uri) == expectedNames, "variants \(master.variants.map(\.uri))")
        for variant in master.variants {
            #expect(variant.attributes["VIDEO-RANGE"] == testCase.range, "\(variant.uri) says VIDEO-RANGE=\(testCase.range): \(variant.attributes["VIDEO-RANGE"] ?? "absent")")
            let codec = variant.attributes.codecList.first ?? ""
            #expect(codec.hasPrefix("hvc1.2.4.L"), "\(variant.uri) CODECS names HEVC Main 10 (hvc1.2.4.L…): \(variant.attributes["CODECS"] ?? "")")
            let stream = try #require(firstStream(try await probeStreams(try ingest.wholeStream(variant.uri)), "video"), "ffprobe finds a video stream")
            #expect(stream["codec_name"] as? String == "hevc", "\(variant.uri) is HEVC: \(stream["codec_name"] ?? "?")")
            #expect(stream["profile"] as? String == "Main 10", "\(variant.uri) is Main 10: \(stream["profile"] ?? "?")")
            #expect(stream["pix_fmt"] as? String == "yuv420p10le", "\(variant.uri) is 10-bit 4:2:0: \(stream["pix_fmt"] ?? "?")")
            #expect(stream["color_transfer"] as? String == testCase.transfer, "\(variant.uri) transfer is \(testCase.transfer): \(stream["color_transfer"] ?? "?")")
            #expect(stream["color_primaries"] as? String == "bt2020", "\(variant.uri) primaries are BT.2020: \(stream["color_primaries"] ?? "?")")
            if testCase.renditions != "copy" {
                let height = Int(variant.uri.prefix { $0.isNumber }) ?? 0
                let width = stream["width"] as? Int ?? 0
                #expect(stream["height"] as? Int == height && abs(Double(width) - Double(height) * 16 / 9) <= 1.5 && width % 2 == 0,
                        "\(variant.uri) is \(height) pixels high, 16:9 with even sides: \(width)x\(stream["height"] ?? "?")")
            }
        }
    }
}

// MARK: - 6. Serving

@Suite("Presentation: served by reel serve")
struct PresentationServingTests {
    /// two-languages.mp4 with two sidecars (no language, French): three audio renditions and two
    /// subtitle renditions, served and validated over HTTP.
    @Test func servedPresentation() async throws {
        let inputs = try TemporaryDirectory(prefix: "presentation-inputs")
        try FileManager.default.copyItem(at: Fixture.url("two-languages.mp4"), to: inputs.appending("both.mp4"))
        try FileManager.default.copyItem(at: Fixture.url("sidecar.srt"), to: inputs.appending("both.srt"))
        try FileManager.default.copyItem(at: Fixture.url("sidecar.fr.vtt"), to: inputs.appending("both.fr.vtt"))
        let ingest = try await PresentationIngest.run(input: inputs.appending("both.mp4").path, name: "both", ["--format", "fmp4"])
        try #require(ingest.result.status == 0, "ingest succeeds: \(ingest.report)")
        let media = try TemporaryDirectory(prefix: "presentation-media")
        let server = try await ServedReel(library: ingest.library.url, media: media.url)

        let api = try await tool("curl", ["-sf", "--max-time", "10", "\(server.base)/api/assets/both"], timeout: .seconds(15))
        #expect(api.status == 0, "GET /api/assets/both: \(api.summary)")
        let asset = try JSONSerialization.jsonObject(with: api.stdout) as? [String: Any] ?? [:]
        let duration = asset["duration"] as? Double ?? -1
        #expect(abs(duration - 6) < 0.1, "the asset's duration is about 6 s: \(duration)")
        let renditions = asset["renditions"] as? [[String: Any]] ?? []
        let languages = Dictionary(renditions.compactMap { rendition in (rendition["name"] as? String).map { ($0, rendition["language"] as? String) } },
                                   uniquingKeysWith: { first, _ in first })
        for (name, language) in [("audio-en", "en"), ("audio-fr", "fr"), ("subs-fr", "fr")] {
            #expect(languages[name] == .some(language), "rendition \(name) has language \(language): \(languages[name].map { $0 ?? "null" } ?? "no such rendition") in \(languages.keys.sorted())")
        }
        #expect(languages.keys.contains("audio-und") && languages.keys.contains("subs-und"), "renditions audio-und and subs-und listed: \(languages.keys.sorted())")

        let validation = try await ReelBinary.run(["validate", "\(server.base)/hls/both/master.m3u8"])
        #expect(validation.status == 0, "reel validate over HTTP: \(validation.stdoutText)\(validation.stderrText)")

        let subtitles = try ingest.playlist("subs-fr/index.m3u8")
        let segment = try #require(subtitles.segments.first?.uri, "subs-fr has segments")
        let head = try await tool("curl", ["-s", "--max-time", "10", "-o", "/dev/null", "-D", "-", "\(server.base)/hls/both/subs-fr/\(segment)"], timeout: .seconds(15))
        let contentType = head.stdoutText.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-type:") }
        #expect(head.stdoutText.hasPrefix("HTTP/1.1 200"), "GET of a .vtt segment is 200: \(head.stdoutText)")
        #expect(contentType.map { $0.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces).hasPrefix("text/vtt") } == true,
                "a .vtt segment is served as text/vtt: \(contentType.map(String.init) ?? "no Content-Type")")

        let play = try await tool("ffmpeg", ["-v", "error", "-i", "\(server.base)/hls/both/master.m3u8", "-map", "0", "-c:s", "copy", "-f", "null", "-"])
        #expect(play.status == 0 && play.stderr.isEmpty, "ffmpeg plays every rendition over HTTP: \(play.summary)")
        #expect(await server.stop() == 0, "reel serve exits 0 on SIGTERM")
    }
}
