import Foundation
import Testing
import HLSPlaylist

@Suite("Multivariant playlists")
struct MultivariantPlaylistTests {
    @Test("golden rendering")
    func golden() {
        #expect(Fixtures.master.render() == Fixtures.masterText)
    }

    @Test("parses the golden text into the model")
    func parseGolden() throws {
        #expect(try MultivariantPlaylist(parsing: Fixtures.masterText) == Fixtures.master)
        let crlf = Fixtures.masterText.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try MultivariantPlaylist(parsing: Data(crlf.utf8)) == Fixtures.master)
    }

    @Test("lenient attribute forms from other packagers")
    func lenientForms() throws {
        let playlist = try MultivariantPlaylist(parsing: playlistText([
            "#EXTM3U",
            "#EXT-X-SESSION-DATA:DATA-ID=\"com.example.title\",VALUE=\"Clip\"",
            "#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS=\"avc1.4d401e, mp4a.40.2\",RESOLUTION=640x360",
            "# a comment between the tag and its URI",
            "",
            "360p/index.m3u8",
        ]))
        #expect(playlist.version == 1)
        #expect(playlist.variants == [VariantStream(uri: "360p/index.m3u8", bandwidth: 800_000,
                                                    codecs: ["avc1.4d401e", "mp4a.40.2"],
                                                    resolution: Resolution(width: 640, height: 360))])
        #expect(playlist.unknownTags == ["#EXT-X-SESSION-DATA:DATA-ID=\"com.example.title\",VALUE=\"Clip\""])
        #expect(playlist.media.isEmpty && playlist.iFrameStreams.isEmpty)
    }

    @Test("minimum version is 7 only for INSTREAM-ID=SERVICEn")
    func minimumVersion() {
        #expect(MultivariantPlaylist().minimumVersion == 1)
        #expect(MultivariantPlaylist().version == 1)
        let services = MultivariantPlaylist(media: [
            Rendition(type: .closedCaptions, groupId: "cc", name: "Service 1", instreamId: "SERVICE1"),
        ])
        #expect(services.minimumVersion == 7)
        #expect(services.render().contains("#EXT-X-VERSION:7\n"))
    }

    @Test("FORCED, CHARACTERISTICS and VIDEO-RANGE are written and read back")
    func subtitlesAndVideoRange() throws {
        let playlist = MultivariantPlaylist(
            media: [
                Rendition(type: .audio, groupId: "aud", name: "English", language: "en", isDefault: true, autoselect: true,
                          forced: true, characteristics: "public.accessibility.describes-video", channels: "6", uri: "a/index.m3u8"),
                Rendition(type: .subtitles, groupId: "subs", name: "Français (forcé)", language: "fr", autoselect: true,
                          forced: true, uri: "subs-fr/index.m3u8"),
                Rendition(type: .subtitles, groupId: "subs", name: "English", language: "en", uri: "subs-en/index.m3u8"),
            ],
            variants: [
                VariantStream(uri: "v/index.m3u8", bandwidth: 9_000_000, codecs: ["hvc1.2.4.L150.B0", "ec-3"],
                              audio: "aud", subtitles: "subs", videoRange: .pq),
            ],
            iFrameStreams: [IFrameStream(uri: "v/iframes.m3u8", bandwidth: 900_000, codecs: ["hvc1.2.4.L150.B0"], videoRange: .hlg)]
        )
        let text = playlist.render()
        #expect(text == playlistText([
            "#EXTM3U",
            "#EXT-X-VERSION:1",
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=YES,AUTOSELECT=YES,CHARACTERISTICS=\"public.accessibility.describes-video\",CHANNELS=\"6\",URI=\"a/index.m3u8\"",
            "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"Français (forcé)\",LANGUAGE=\"fr\",DEFAULT=NO,AUTOSELECT=YES,FORCED=YES,URI=\"subs-fr/index.m3u8\"",
            "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=NO,AUTOSELECT=NO,FORCED=NO,URI=\"subs-en/index.m3u8\"",
            "#EXT-X-STREAM-INF:BANDWIDTH=9000000,CODECS=\"hvc1.2.4.L150.B0,ec-3\",VIDEO-RANGE=PQ,AUDIO=\"aud\",SUBTITLES=\"subs\"",
            "v/index.m3u8",
            "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=900000,CODECS=\"hvc1.2.4.L150.B0\",VIDEO-RANGE=HLG,URI=\"v/iframes.m3u8\"",
        ]), "FORCED is written for subtitles only")
        var expected = playlist
        expected.media[0].forced = false
        #expect(try MultivariantPlaylist(parsing: text) == expected)
        #expect(PlaylistValidator().validateMultivariantPlaylist(text).isEmpty)
    }

    @Test("every VIDEO-RANGE reads back; an unknown one reads as nil", arguments: VideoRange.allCases.map(Optional.some) + [nil])
    func videoRanges(range: VideoRange?) throws {
        let variant = VariantStream(uri: "v.m3u8", bandwidth: 1, codecs: ["avc1.64001f"], videoRange: range)
        let text = MultivariantPlaylist(variants: [variant]).render()
        #expect(try MultivariantPlaylist(parsing: text).variants == [variant])
        let unknown = playlistText(["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1,VIDEO-RANGE=XYZ", "v.m3u8",
                                    "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,VIDEO-RANGE=\"\",URI=\"i.m3u8\""])
        let parsed = try MultivariantPlaylist(parsing: unknown)
        #expect(parsed.variants.first?.videoRange == nil && parsed.iFrameStreams.first?.videoRange == nil)
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var lines: [String]
        var line: Int
        var reason: PlaylistParseError.Reason
        var testDescription: String { "\(reason)" }
    }

    @Test("errors carry the line number and reason", arguments: [
        ErrorCase(lines: ["#EXT-X-STREAM-INF:BANDWIDTH=1", "a.m3u8"], line: 1, reason: .missingHeader),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-STREAM-INF:CODECS=\"avc1.64001f\"", "a.m3u8"], line: 2,
                  reason: .missingAttribute(tag: "EXT-X-STREAM-INF", attribute: "BANDWIDTH")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=lots", "a.m3u8"], line: 2,
                  reason: .invalidAttributeValue(tag: "EXT-X-STREAM-INF", attribute: "BANDWIDTH", value: "lots")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1", "#EXT-X-STREAM-INF:BANDWIDTH=2", "a.m3u8"], line: 2,
                  reason: .missingURI(tag: "EXT-X-STREAM-INF")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1"], line: 2, reason: .missingURI(tag: "EXT-X-STREAM-INF")),
        ErrorCase(lines: ["#EXTM3U", "a.m3u8"], line: 2, reason: .orphanURI("a.m3u8")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=1920*1080", "a.m3u8"], line: 2,
                  reason: .invalidAttributeValue(tag: "EXT-X-STREAM-INF", attribute: "RESOLUTION", value: "1920*1080")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1,CLOSED-CAPTIONS=cc", "a.m3u8"], line: 2,
                  reason: .invalidAttributeValue(tag: "EXT-X-STREAM-INF", attribute: "CLOSED-CAPTIONS", value: "cc")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1,FRAME-RATE=-30", "a.m3u8"], line: 2,
                  reason: .invalidAttributeValue(tag: "EXT-X-STREAM-INF", attribute: "FRAME-RATE", value: "-30")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-TARGETDURATION:6"], line: 2, reason: .wrongPlaylistKind(tag: "EXT-X-TARGETDURATION")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1"], line: 2,
                  reason: .missingAttribute(tag: "EXT-X-I-FRAME-STREAM-INF", attribute: "URI")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\""], line: 2,
                  reason: .missingAttribute(tag: "EXT-X-MEDIA", attribute: "NAME")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=TEXT,GROUP-ID=\"a\",NAME=\"x\""], line: 2,
                  reason: .invalidAttributeValue(tag: "EXT-X-MEDIA", attribute: "TYPE", value: "TEXT")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"x\",DEFAULT=yes"], line: 2,
                  reason: .invalidAttributeValue(tag: "EXT-X-MEDIA", attribute: "DEFAULT", value: "yes")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"s\",NAME=\"x\",FORCED=1,URI=\"s.m3u8\""], line: 2,
                  reason: .invalidAttributeValue(tag: "EXT-X-MEDIA", attribute: "FORCED", value: "1")),
        ErrorCase(lines: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=AUDIO,TYPE=VIDEO"], line: 2,
                  reason: .malformedAttributeList(tag: "EXT-X-MEDIA", detail: "duplicate attribute TYPE")),
    ])
    func errors(testCase: ErrorCase) {
        #expect(throws: PlaylistParseError(line: testCase.line, reason: testCase.reason)) {
            try MultivariantPlaylist(parsing: playlistText(testCase.lines))
        }
    }

    @Test("kind detection", arguments: [
        (Fixtures.masterText, PlaylistKind.multivariant),
        (Fixtures.singleFileVODText, .media),
        ("#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"a\",URI=\"a.m3u8\"\n", .multivariant),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:6\n", .media),
        ("#EXTM3U\n#EXT-X-VERSION:3\n", nil),
        ("", nil),
        ("garbage", nil),
    ] as [(String, PlaylistKind?)])
    func detect(text: String, kind: PlaylistKind?) {
        #expect(PlaylistKind.detect(text) == kind)
    }

    @Test("Playlist parses either kind")
    func eitherKind() throws {
        #expect(try Playlist(parsing: Fixtures.masterText) == .multivariant(Fixtures.master))
        let media = try Playlist(parsing: Data(Fixtures.singleFileVODText.utf8))
        #expect(media == .media(Fixtures.singleFileVOD))
        #expect(media.kind == .media)
        #expect(media.render() == Fixtures.singleFileVODText)
        #expect(throws: PlaylistParseError(line: 1, reason: .unknownPlaylistKind)) { try Playlist(parsing: "#EXTM3U\n") }
        #expect(throws: PlaylistParseError(line: 1, reason: .missingHeader)) { try Playlist(parsing: "hello\n") }
    }
}
