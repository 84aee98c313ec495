import Foundation
import Testing
@testable import HLSPlaylist

@Suite("WebVTT subtitle renditions in a playlist tree")
struct SubtitleTreeValidatorTests {
    static let cue = "00:00.000 --> 00:02.000\nHello\n"
    static let segment = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n" + cue

    static let subtitlePlaylist = MediaPlaylist(
        targetDuration: 6,
        playlistType: .vod,
        segments: [
            MediaSegment(uri: "seg-00000.vtt", duration: 6),
            MediaSegment(uri: "seg-00001.vtt", duration: 6),
            MediaSegment(uri: "seg-00002.vtt", duration: 2),
        ],
        endList: true
    )

    static let master = MultivariantPlaylist(
        independentSegments: true,
        media: [
            Rendition(type: .subtitles, groupId: "subs", name: "English", language: "en", isDefault: true, autoselect: true,
                      uri: "subs-en/index.m3u8"),
            Rendition(type: .subtitles, groupId: "subs", name: "English (forced)", language: "en", autoselect: true, forced: true,
                      uri: "subs-en-forced/index.m3u8"),
        ],
        variants: [VariantStream(uri: "copy/index.m3u8", bandwidth: 1_000_000, codecs: ["avc1.64001f"], subtitles: "subs")]
    )

    /// A valid asset: one variant and two WebVTT renditions.
    static func asset(segments: [String]? = nil) -> [String: Data] {
        let texts = segments ?? Array(repeating: segment, count: 3)
        var files: [String: Data] = [
            "master.m3u8": Data(master.render().utf8),
            "copy/index.m3u8": Data(MediaPlaylist(targetDuration: 6, playlistType: .vod, segments: [
                MediaSegment(uri: "seg-00000.ts", duration: 6),
            ], endList: true).render().utf8),
            "copy/seg-00000.ts": Data(count: 188),
            "subs-en/index.m3u8": Data(subtitlePlaylist.render().utf8),
            "subs-en-forced/index.m3u8": Data(subtitlePlaylist.render().utf8),
        ]
        for (index, text) in texts.enumerated() {
            files["subs-en/seg-0000\(index).vtt"] = Data(text.utf8)
            files["subs-en-forced/seg-0000\(index).vtt"] = Data(segment.utf8)
        }
        return files
    }

    func validate(_ files: [String: Data]) async -> [PlaylistViolation] {
        await PlaylistTreeValidator(source: InMemoryPlaylistSource(files: files)).validate()
    }

    @Test("an asset with WebVTT renditions is valid")
    func validAsset() async {
        let violations = await validate(Self.asset())
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test("header variants WebVTT allows", arguments: [
        "\u{FEFF}WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000\n\n",
        "WEBVTT\r\nX-TIMESTAMP-MAP=LOCAL:00:00.000,MPEGTS:0\r\n\r\n",
        "WEBVTT - Reel\nKind: captions\nX-TIMESTAMP-MAP=MPEGTS:8589934592,LOCAL:100:59:59.999\n",
        "WEBVTT\tx\rX-TIMESTAMP-MAP=MPEGTS:1,LOCAL:00:01.500",
    ])
    func validHeaders(header: String) {
        #expect(WebVTTHeader.problem(in: Data(header.utf8)) == nil)
    }

    @Test("header problems", arguments: [
        ("", WebVTTHeader.Problem.missingSignature),
        ("WEBVT\n", .missingSignature),
        ("WEBVTTX\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00.000\n", .missingSignature),
        ("\n WEBVTT\n", .missingSignature),
        ("WEBVTT\n\n" + cue, .missingTimestampMap),
        ("WEBVTT\n\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00.000\n", .missingTimestampMap),
        ("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:-1,LOCAL:00:00.000\n", .malformedTimestampMap("MPEGTS:-1,LOCAL:00:00.000")),
        ("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:90000\n", .malformedTimestampMap("MPEGTS:90000")),
        ("WEBVTT\nX-TIMESTAMP-MAP=LOCAL:00:00.000\n", .malformedTimestampMap("LOCAL:00:00.000")),
        ("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:0:00.000\n", .malformedTimestampMap("MPEGTS:0,LOCAL:0:00.000")),
        ("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:60.000\n", .malformedTimestampMap("MPEGTS:0,LOCAL:00:60.000")),
        ("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.00\n", .malformedTimestampMap("MPEGTS:0,LOCAL:00:00:00.00")),
        ("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00,000\n", .malformedTimestampMap("MPEGTS:0,LOCAL:00:00:00,000")),
        ("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,MPEGTS:0\n", .malformedTimestampMap("MPEGTS:0,MPEGTS:0")),
        ("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0, LOCAL:00:00.000\n", .malformedTimestampMap("MPEGTS:0, LOCAL:00:00.000")),
        ("WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00.000,X:1\n", .malformedTimestampMap("MPEGTS:0,LOCAL:00:00.000,X:1")),
    ] as [(String, WebVTTHeader.Problem)])
    func headerProblems(text: String, problem: WebVTTHeader.Problem) {
        #expect(WebVTTHeader.problem(in: Data(text.utf8)) == problem)
    }

    @Test("a WebVTT segment that is not UTF-8")
    func notUTF8() {
        #expect(WebVTTHeader.problem(in: Data([0x57, 0x45, 0x42, 0x56, 0x54, 0x54, 0x0A, 0xFF, 0xFE])) == .notUTF8)
    }

    @Test("segments without X-TIMESTAMP-MAP are reported once, with a count")
    func missingTimestampMap() async {
        let bare = "WEBVTT\n\n" + Self.cue
        let violations = await validate(Self.asset(segments: [bare, Self.segment, bare]))
        #expect(violations.map(\.description) == [
            "subs-en/index.m3u8:7: WebVTT segment \"seg-00000.vtt\" has no X-TIMESTAMP-MAP line before the first blank line (and 1 other segment)",
        ])
        #expect(violations.map(\.rule) == [.invalidWebVTTSegment])
    }

    @Test("each kind of header problem is reported")
    func differentProblems() async {
        let violations = await validate(Self.asset(segments: [
            "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:abc,LOCAL:00:00.000\n", "1\n00:00.000 --> 00:01.000\nHi\n", Self.segment,
        ]))
        #expect(violations.map(\.description) == [
            "subs-en/index.m3u8:7: WebVTT segment \"seg-00000.vtt\" has a malformed X-TIMESTAMP-MAP=MPEGTS:abc,LOCAL:00:00.000 (expected MPEGTS:<integer>,LOCAL:<hh:mm:ss.mmm>)",
            "subs-en/index.m3u8:9: WebVTT segment \"seg-00001.vtt\" does not start with WEBVTT",
        ])
    }

    @Test("a subtitles playlist must not have EXT-X-MAP or segments other than .vtt/.webvtt")
    func notWebVTTPlaylist() async {
        var playlist = Self.subtitlePlaylist
        playlist.map = MediaInitializationSection(uri: "init.mp4")
        playlist.segments = playlist.segments.map { segment in
            var segment = segment
            segment.uri = segment.uri.replacingOccurrences(of: ".vtt", with: ".m4s")
            return segment
        }
        var files = Self.asset()
        files["subs-en/index.m3u8"] = Data(playlist.render().utf8)
        files["subs-en/init.mp4"] = Data(count: 10)
        for index in 0..<3 { files["subs-en/seg-0000\(index).m4s"] = Data(count: 10) }
        let violations = await validate(files)
        #expect(violations.map(\.description) == [
            "subs-en/index.m3u8:6: a subtitles playlist must not have #EXT-X-MAP: WebVTT segments have no initialization section",
            "subs-en/index.m3u8:8: subtitle segment URI \"seg-00000.m4s\" does not end in .vtt or .webvtt (and 2 other segments)",
        ])
        #expect(violations.allSatisfy { $0.rule == .invalidSubtitlePlaylist })
    }

    @Test(".webvtt, upper case and queries are WebVTT names", arguments: [
        ("seg.vtt", true), ("seg.webvtt", true), ("SEG.VTT", true), ("seg.vtt?token=1", true), ("seg.vtt#t=1", true),
        ("seg.m4s", false), ("seg.vtt.m4s", false), ("vtt", false), ("seg.txt?x=.vtt", false),
    ])
    func webVTTNames(uri: String, expected: Bool) {
        #expect(TreeWalk.hasWebVTTExtension(uri) == expected)
    }

    @Test("an I-frames-only subtitles playlist is the wrong kind, and its segments are not read")
    func iFramesOnly() async {
        var playlist = Self.subtitlePlaylist
        playlist.iFramesOnly = true
        playlist.segments = playlist.segments.map { segment in
            var segment = segment
            segment.byteRange = ByteRange(length: 10, offset: 0)
            return segment
        }
        var files = Self.asset(segments: Array(repeating: "not a WebVTT file", count: 3))
        files["subs-en/index.m3u8"] = Data(playlist.render().utf8)
        let violations = await validate(files)
        #expect(violations.map(\.rule) == [.wrongPlaylistKind])
        #expect(violations.first?.location == "master.m3u8:4")
    }

    @Test("missing and unreadable WebVTT segments")
    func unreadableSegments() async {
        struct Flaky: PlaylistSource {
            let files: InMemoryPlaylistSource
            struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
            func contents(of path: String) async throws -> Data {
                if path == "subs-en/seg-00001.vtt" { throw Boom() }
                return try await files.contents(of: path)
            }
            func size(of path: String) async throws -> Int? { try await files.size(of: path) }
        }
        var files = Self.asset()
        files["subs-en/seg-00002.vtt"] = nil
        let violations = await PlaylistTreeValidator(source: Flaky(files: InMemoryPlaylistSource(files: files))).validate()
        #expect(violations.map(\.description) == [
            "subs-en/index.m3u8:11: segment \"seg-00002.vtt\" does not exist",
            "subs-en/index.m3u8:9: cannot read segment \"seg-00001.vtt\": boom",
        ])
    }

    @Test("WebVTT segments addressed by byte ranges are checked range by range")
    func byteRanges() async {
        let second = "WEBVTT\n\n" + Self.cue
        let data = Data((Self.segment + second).utf8)
        var playlist = Self.subtitlePlaylist
        playlist.segments = [
            MediaSegment(uri: "subs.vtt", duration: 6, byteRange: ByteRange(length: Self.segment.utf8.count, offset: 0)),
            MediaSegment(uri: "subs.vtt", duration: 6, byteRange: ByteRange(length: second.utf8.count)),
        ]
        var files = Self.asset()
        files["subs-en/index.m3u8"] = Data(playlist.render().utf8)
        files["subs-en/subs.vtt"] = data
        let violations = await validate(files)
        #expect(violations.map(\.rule) == [.invalidWebVTTSegment])
        #expect(violations.first?.line == 11)
    }
}
