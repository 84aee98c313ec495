import Foundation
import ReelTestSupport
import Testing
@testable import Segmenter

/// The cues `fixtures/make-fixtures.sh` writes into every English source (`subs.srt`).
private let englishCues = [
    SubtitleCue(start: 0.5, end: 1.8, text: "Hello, world!"),
    SubtitleCue(start: 2.0, end: 3.5, text: "Tom &amp; Jerry: 1 &lt; 2"),
    SubtitleCue(start: 3.6, end: 4.4, text: "<i>Across the cut</i>"),
    SubtitleCue(start: 5.0, end: 5.9, text: "Last line\nsecond row"),
]

/// The cues of `subs.fr.vtt`.
private let frenchCues = [
    SubtitleCue(start: 0.4, end: 1.6, text: "Bonjour !"),
    SubtitleCue(start: 2.2, end: 3.0, text: "Poivre &amp; sel"),
    SubtitleCue(start: 4.5, end: 5.5, text: "Au revoir"),
]

/// Checks `cues` against `expected`: same count, text and order, times within `tolerance` seconds.
private func expectCues(_ cues: [SubtitleCue], _ expected: [SubtitleCue], tolerance: Double = 0.001, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(cues.map(\.text) == expected.map(\.text), sourceLocation: sourceLocation)
    guard cues.count == expected.count else { return }
    for (cue, reference) in zip(cues, expected) {
        #expect(abs(cue.start - reference.start) <= tolerance, "start of \(cue.text)", sourceLocation: sourceLocation)
        #expect(abs(cue.end - reference.end) <= tolerance, "end of \(cue.text)", sourceLocation: sourceLocation)
    }
}

@Suite("Subtitle transcoding")
struct SubtitleTranscoderTests {
    /// How packets reach the transcoder in a test: as given, without a duration (the decoder
    /// still knows it), or with no duration anywhere (open-ended cues).
    enum Timing { case asGiven, decoderDuration, openEnded }

    /// The cues of stream `index` of `fixture`, timed as the caller would: media time 0 is the
    /// video's first presentation time (Matroska shifts every stream by the audio's priming).
    private func cues(_ fixture: String, stream index: Int, timing: Timing = .asGiven, mediaEnd: Double? = nil) throws -> [SubtitleCue] {
        let demuxer = try Demuxer(url: Fixture.path(fixture))
        let stream = demuxer.streams[index]
        #expect(stream.type == .subtitle)
        let origin = demuxer.streams.first { $0.type == .video }?.startSeconds ?? 0
        let transcoder = try SubtitleTranscoder(parameters: demuxer.codecParameters(ofStream: index), timeBase: stream.timeBase)
        let seconds = stream.timeBase.doubleValue
        var cues: [SubtitleCue] = []
        let packet = Packet()
        while try demuxer.read(into: packet) {
            guard packet.streamIndex == index, let pts = packet.pts else { continue }
            var duration: Double? = Double(packet.duration) * seconds
            if timing != .asGiven { duration = nil }
            if timing == .openEnded { packet.pointer.pointee.duration = 0 }
            cues += try transcoder.cues(from: packet, start: Double(pts) * seconds - origin, duration: duration)
        }
        return cues + transcoder.finish(endingAt: mediaEnd)
    }

    @Test func subRipSidecar() throws {
        expectCues(try SubtitleFile.cues(path: Fixture.path("sidecar.srt")), englishCues)
    }

    @Test func webVTTSidecar() throws {
        expectCues(try SubtitleFile.cues(path: Fixture.path("sidecar.fr.vtt")), frenchCues)
    }

    @Test func matroskaSubRip() throws {
        expectCues(try cues("subtitles.mkv", stream: 2), englishCues)
    }

    @Test func matroskaASS() throws {
        expectCues(try cues("subtitles.mkv", stream: 3), englishCues)
    }

    @Test func matroskaWebVTT() throws {
        expectCues(try cues("subtitles.mkv", stream: 4), frenchCues)
    }

    @Test func mp4MovText() throws {
        // mov_text fills the gaps between cues with empty samples: they make no cue.
        expectCues(try cues("subtitles.mp4", stream: 2), englishCues)
    }

    @Test func everyEnglishSourceGivesTheSameCues() throws {
        let sources = try [
            SubtitleFile.cues(path: Fixture.path("sidecar.srt")),
            cues("subtitles.mkv", stream: 2), cues("subtitles.mkv", stream: 3), cues("subtitles.mp4", stream: 2),
        ]
        for source in sources.dropFirst() { expectCues(source, sources[0]) }
        // The French WebVTT, in a sidecar and in Matroska.
        expectCues(try cues("subtitles.mkv", stream: 4), try SubtitleFile.cues(path: Fixture.path("sidecar.fr.vtt")))
    }

    @Test func endFromTheDecoderWhenThePacketGivesNone() throws {
        expectCues(try cues("subtitles.mkv", stream: 2, timing: .decoderDuration), englishCues)
        expectCues(try cues("subtitles.mp4", stream: 2, timing: .decoderDuration), englishCues)
    }

    @Test func openEndedCuesEndWhereTheNextBegins() throws {
        var expected = englishCues
        for index in expected.indices.dropLast() { expected[index].end = expected[index + 1].start }
        expected[3].end = 6
        expectCues(try cues("subtitles.mkv", stream: 2, timing: .openEnded, mediaEnd: 6), expected)
        // mov_text's empty samples clear the screen: each cue ends where the next sample starts,
        // the last (no sample follows it) at the media end.
        var movText = englishCues
        movText[3].end = 6
        expectCues(try cues("subtitles.mp4", stream: 2, timing: .openEnded, mediaEnd: 6), movText)
        // Without a media end the last cue ends where it starts.
        expected[3].end = expected[3].start
        expectCues(try cues("subtitles.mkv", stream: 2, timing: .openEnded), expected)
    }

    @Test func codecKinds() throws {
        for name in ["mov_text", "subrip", "srt", "ass", "ssa", "webvtt", "text"] {
            #expect(SubtitleTranscoder.canDecodeAsText(codecName: name))
            #expect(!SubtitleTranscoder.isBitmap(codecName: name))
        }
        for name in ["hdmv_pgs_subtitle", "dvb_subtitle", "dvd_subtitle", "xsub", "dvb_teletext"] {
            #expect(!SubtitleTranscoder.canDecodeAsText(codecName: name))
            #expect(SubtitleTranscoder.isBitmap(codecName: name))
        }
        #expect(!SubtitleTranscoder.canDecodeAsText(codecName: "eia_608"))
        #expect(!SubtitleTranscoder.isBitmap(codecName: "eia_608"))
    }

    @Test func skipNotices() throws {
        let streams = try Demuxer(url: Fixture.path("subtitles.mkv")).streams
        #expect(streams.map(SubtitleTranscoder.skipNotice(for:)) == [nil, nil, nil, nil, nil])
        var pgs = streams[2]
        pgs.codecName = "hdmv_pgs_subtitle"
        #expect(SubtitleTranscoder.skipNotice(for: pgs) == "subtitle stream 2 (hdmv_pgs_subtitle, eng) skipped: bitmap subtitles cannot become WebVTT")
        pgs.codecName = "eia_608"
        pgs.language = nil
        #expect(SubtitleTranscoder.skipNotice(for: pgs) == "subtitle stream 2 (eia_608) skipped: not a text subtitle format Reel converts")
    }

    @Test func refusesStreamsThatAreNotTextSubtitles() throws {
        let demuxer = try Demuxer(url: Fixture.path("subtitles.mkv"))
        #expect(throws: FFmpegError.self) {
            try SubtitleTranscoder(parameters: demuxer.codecParameters(ofStream: 1), timeBase: demuxer.streams[1].timeBase)
        }
    }
}

@Suite("Subtitle transcoding: WebVTT text")
struct SubtitleTextTests {
    private static let header = """
        [Script Info]\r
        ScriptType: v4.00+\r
        PlayResX: 384\r
        PlayResY: 288\r
        \r
        [V4+ Styles]\r
        Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, \
        Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\r
        Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0\r
        Style: Slanted,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,-1,0,0,100,100,0,0,1,1,0,2,10,10,10,0\r
        \r
        [Events]\r
        Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\r

        """

    @Test("ASS events become escaped WebVTT payloads", arguments: [
        ("Hello, world!", "Hello, world!"),
        ("Tom & Jerry: 1 < 2", "Tom &amp; Jerry: 1 &lt; 2"),
        ("a > b --> c <-- d", "a &gt; b --&gt; c &lt;-- d"),
        ("x &amp; y", "x &amp;amp; y"),
        ("<i>not markup</i>", "&lt;i&gt;not markup&lt;/i&gt;"),
        (#"{\i1}Across the cut{\i0}"#, "<i>Across the cut</i>"),
        (#"{\b1}bold {\i1}both{\i0}{\b0} {\u1}under{\u0}"#, "<b>bold <i>both</i></b> <u>under</u>"),
        (#"{\i1}left open"#, "<i>left open</i>"),
        (#"{\s1}struck{\s0}"#, "struck"),
        (#"{\an8}{\c&HFF0000&}{\pos(10,20)}{\fnArial}top & co"#, "top &amp; co"),
        (#"{\i1}\Nitalic line"#, "<i>\nitalic line</i>"),
        (#"Last line\Nsecond row"#, "Last line\nsecond row"),
        (#"one\N\N\ntwo\N"#, "one\ntwo"),
        (#"\N  \N\Nthree"#, "three"),
        (#"hard\hspace"#, "hard\u{A0}space"),
        (#"\{not a block\} {neither}"#, "{not a block} {neither}"),
        ("a,b,,c, commas", "a,b,,c, commas"),
        ("caf\u{E9} \u{1F600} \u{202B}", "caf\u{E9} \u{1F600} \u{202B}"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("", ""),
        (#"{\i1}{\i0}"#, ""),
        (#"{\b1} \N {\b0}"#, ""),
    ])
    func payload(text: String, expected: String) throws {
        let encoder = try WebVTTEncoder(subtitleHeader: Array(Self.header.utf8))
        let payload = try encoder.encode(dialog: "0,0,Default,,0,0,0,," + text)
        #expect(payload == expected)
        #expect(!payload.contains("-->"))
        #expect(!payload.contains("\n\n"))
    }

    @Test func styleOfTheEventApplies() throws {
        let encoder = try WebVTTEncoder(subtitleHeader: Array(Self.header.utf8))
        #expect(try encoder.encode(dialog: "0,0,Slanted,,0,0,0,,lean & mean") == "<i>lean &amp; mean</i>")
        #expect(try encoder.encode(dialog: "1,0,Default,Bob,0,0,0,,upright") == "upright")
    }

    @Test func longEventsGrowTheBuffer() throws {
        // 28 kB out of a 16 kB buffer (libavcodec's splitter is quadratic in the event's length: kept short).
        let encoder = try WebVTTEncoder(subtitleHeader: [])
        let words = String(repeating: "<&> ", count: 2_000)
        let payload = try encoder.encode(dialog: "0,0,Default,,0,0,0,," + words + "end")
        #expect(payload == String(repeating: "&lt;&amp;&gt; ", count: 2_000) + "end")
    }

    @Test func escapingLeavesTheFieldsBeforeTheText() {
        #expect(WebVTTCueText.escapingText(ofDialog: "0,0,A&B,<x>,0,0,0,,a<b") == "0,0,A&B,<x>,0,0,0,,a&lt;b")
        #expect(WebVTTCueText.escapingText(ofDialog: "0,0,no text") == "0,0,no text")
        // A brace before a backslash opens a block, as libavcodec's splitter reads it.
        #expect(WebVTTCueText.escapingText(ofDialog: #"0,0,,,0,0,0,,\{\i1}x&"#) == #"0,0,,,0,0,0,,\{\i1}x&amp;"#)
        #expect(WebVTTCueText.escapingText(ofDialog: #"0,0,,,0,0,0,,{\c&H0&}&"#) == #"0,0,,,0,0,0,,{\c&H0&}&amp;"#)
    }
}

@Suite("Subtitle files")
struct SubtitleFileTests {
    @Test func trickyTextThroughSubRipAndWebVTT() throws {
        let directory = try TemporaryDirectory(prefix: "reel-subtitle-file")
        let srt = directory.appending("tricky.srt")
        try Data("""
            1
            00:00:01,000 --> 00:00:02,000
            A & B < C > D
            <b>bold</b> <font color="red">red</font>
            x --> y

            2
            00:00:03,000 --> 00:00:04,000
            {\\an8}top

            """.utf8).write(to: srt)
        #expect(try SubtitleFile.cues(path: srt.path) == [
            SubtitleCue(start: 1, end: 2, text: "A &amp; B &lt; C &gt; D\n<b>bold</b> red\nx --&gt; y"),
            SubtitleCue(start: 3, end: 4, text: "top"),
        ])
        let vtt = directory.appending("tricky.vtt")
        try Data("""
            WEBVTT

            cue-1
            00:00:01.000 --> 00:00:02.500 align:start
            A &amp; B &lt; C &gt; D&nbsp;E {brace}
            <i>it</i> <c.red>cls</c> <v Bob>voice</v>

            00:00:00.500 --> 00:00:03.000
            earlier

            """.utf8).write(to: vtt)
        #expect(try SubtitleFile.cues(path: vtt.path) == [
            SubtitleCue(start: 0.5, end: 3, text: "earlier"),
            SubtitleCue(start: 1, end: 2.5, text: "A &amp; B &lt; C &gt; D\u{A0}E {brace}\n<i>it</i> cls voice"),
        ])
    }

    @Test func byteOrderMarkAndCRLF() throws {
        let directory = try TemporaryDirectory(prefix: "reel-subtitle-file")
        let srt = directory.appending("windows.srt")
        try Data(([0xEF, 0xBB, 0xBF] as [UInt8]) + Array("1\r\n00:00:01,000 --> 00:00:02,000\r\nTwo\r\nlines\r\n\r\n".utf8)).write(to: srt)
        #expect(try SubtitleFile.cues(path: srt.path) == [SubtitleCue(start: 1, end: 2, text: "Two\nlines")])
    }

    @Test func textThatIsNotUTF8IsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "reel-subtitle-file")
        let srt = directory.appending("latin1.srt")
        try Data(Array("1\n00:00:01,000 --> 00:00:02,000\nCaf".utf8) + [0xE9] + Array("\n\n".utf8)).write(to: srt)
        #expect(throws: InputError.self) { try SubtitleFile.cues(path: srt.path) }
        do {
            _ = try SubtitleFile.cues(path: srt.path)
        } catch {
            #expect(error.description == "\(srt.path): corrupt or truncated media (Invalid data found when processing input)")
        }
    }

    @Test("files that are not subtitles", arguments: [
        ("not-media.txt", "not a subtitle file (SubRip or WebVTT)"),
        ("empty.mp4", "not a subtitle file (SubRip or WebVTT)"),
        ("sidecar.mp4", "not a subtitle file (SubRip or WebVTT)"),
        ("subtitles.mkv", "not a subtitle file (SubRip or WebVTT)"),
        ("no-such-file.srt", "no such file"),
    ])
    func refused(fixture: String, reason: String) {
        let path = Fixture.path(fixture)
        #expect(throws: InputError.self) { try SubtitleFile.cues(path: path) }
        do {
            _ = try SubtitleFile.cues(path: path)
        } catch {
            #expect(error.description == "\(path): \(reason)")
        }
    }

    @Test func aDirectoryIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "reel-subtitle-file")
        #expect(throws: InputError(path: directory.path, reason: .isDirectory)) { try SubtitleFile.cues(path: directory.path) }
    }

    @Test func segmentsOfTheSidecarAcrossTheCut() throws {
        let cues = try SubtitleFile.cues(path: Fixture.path("sidecar.srt"))
        let segments = SubtitleSegmentation.segments(of: cues, segmentStarts: [0, 4], mediaEnd: 6)
        #expect(segments.map(\.count) == [3, 2])
        #expect(WebVTTSegment.render(cues: segments[1], mpegTimestamp: 126_000) == """
            WEBVTT
            X-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000

            00:00:03.600 --> 00:00:04.400
            <i>Across the cut</i>

            00:00:05.000 --> 00:00:05.900
            Last line
            second row


            """)
    }
}
