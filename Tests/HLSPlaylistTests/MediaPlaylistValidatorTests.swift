import Testing
import HLSPlaylist

/// One rule, one playlist that breaks it (and where), and one that keeps it.
struct RuleCase: Sendable, CustomTestStringConvertible {
    var rule: PlaylistViolation.Rule
    var failing: [String]
    var line: Int?
    var passing: [String]
    var testDescription: String { rule.rawValue }
}

@Suite("Media playlist validation")
struct MediaPlaylistValidatorTests {
    let validator = PlaylistValidator()

    static let header = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:6"]
    /// What a Low-Latency playlist needs before its parts (part target 1 s).
    static let lowLatencyHeader = ["#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=3", "#EXT-X-PART-INF:PART-TARGET=1"]

    /// A delta update (the answer to `_HLS_skip=YES`) may skip segments, when the server says it
    /// can and the version is 9; a playlist file may not.
    @Test func deltaUpdatesMaySkip() {
        let delta = playlistText(["#EXTM3U", "#EXT-X-VERSION:9", "#EXT-X-TARGETDURATION:6", "#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=36",
                                  "#EXT-X-MEDIA-SEQUENCE:4", "#EXT-X-SKIP:SKIPPED-SEGMENTS=3", "#EXTINF:6,", "a.m4s"])
        #expect(PlaylistValidator(deltaUpdate: true).validateMediaPlaylist(delta, file: "d.m3u8").isEmpty)
        let withoutControl = delta.replacingOccurrences(of: "#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=36\n", with: "")
        #expect(PlaylistValidator(deltaUpdate: true).validateMediaPlaylist(withoutControl, file: "d.m3u8").map(\.rule) == [.skipOutsideDeltaUpdate])
        let lowVersion = delta.replacingOccurrences(of: "VERSION:9", with: "VERSION:6")
        #expect(PlaylistValidator(deltaUpdate: true).validateMediaPlaylist(lowVersion, file: "d.m3u8").map(\.rule) == [.versionTooLow])
    }

    @Test("playlists the writer produces are valid", arguments: Fixtures.allMediaPlaylists)
    func writerOutputIsValid(playlist: MediaPlaylist) {
        let violations = validator.validateMediaPlaylist(playlist.render(), file: "index.m3u8")
        // The live TS fixture deliberately references an absolute URL, which only the tree validator rejects.
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test("each rule has a failing and a passing case", arguments: [
        RuleCase(rule: .missingHeader,
                 failing: ["#EXT-X-TARGETDURATION:6", "#EXTINF:6,", "a.ts"], line: 1,
                 passing: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXTINF:6,", "a.ts"]),
        RuleCase(rule: .invalidEncoding,
                 failing: ["\u{FEFF}#EXTM3U", "#EXT-X-TARGETDURATION:6"], line: 1,
                 passing: ["#EXTM3U", "#EXT-X-TARGETDURATION:6"]),
        RuleCase(rule: .invalidEncoding,
                 failing: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXTINF:6,\ttab", "a.ts"], line: 3,
                 passing: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXTINF:6,no tab", "a.ts"]),
        RuleCase(rule: .missingTargetDuration,
                 failing: ["#EXTM3U", "#EXTINF:6,", "a.ts"], line: nil,
                 passing: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXTINF:6,", "a.ts"]),
        RuleCase(rule: .segmentExceedsTargetDuration,
                 failing: header + ["#EXTINF:6.000000,", "a.ts", "#EXTINF:6.500000,", "b.ts"], line: 6,
                 passing: header + ["#EXTINF:6.000000,", "a.ts", "#EXTINF:6.499999,", "b.ts"]),
        RuleCase(rule: .versionTooLow,
                 failing: ["#EXTM3U", "#EXT-X-VERSION:5", "#EXT-X-TARGETDURATION:6", "#EXT-X-MAP:URI=\"i.mp4\""], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-TARGETDURATION:6", "#EXT-X-MAP:URI=\"i.mp4\""]),
        RuleCase(rule: .versionTooLow,
                 failing: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXTINF:5.5,", "a.ts"], line: nil,
                 passing: ["#EXTM3U", "#EXT-X-TARGETDURATION:6", "#EXTINF:5,", "a.ts"]),
        RuleCase(rule: .versionTooLow,
                 failing: ["#EXTM3U", "#EXT-X-VERSION:4", "#EXT-X-TARGETDURATION:6", "#EXT-X-I-FRAMES-ONLY",
                           "#EXT-X-MAP:URI=\"i.mp4\"", "#EXTINF:6,", "#EXT-X-BYTERANGE:1@0", "a.m4s"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-VERSION:5", "#EXT-X-TARGETDURATION:6", "#EXT-X-I-FRAMES-ONLY",
                           "#EXT-X-MAP:URI=\"i.mp4\"", "#EXTINF:6,", "#EXT-X-BYTERANGE:1@0", "a.m4s"]),
        RuleCase(rule: .versionTooLow,
                 failing: ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:6", "#EXTINF:6,", "#EXT-X-BYTERANGE:1@0", "a.ts"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-VERSION:4", "#EXT-X-TARGETDURATION:6", "#EXTINF:6,", "#EXT-X-BYTERANGE:1@0", "a.ts"]),
        RuleCase(rule: .versionTooLow,
                 failing: ["#EXTM3U", "#EXT-X-VERSION:4", "#EXT-X-TARGETDURATION:6",
                           "#EXT-X-KEY:METHOD=SAMPLE-AES,URI=\"k\",KEYFORMAT=\"identity\"", "#EXTINF:6,", "a.ts"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-VERSION:2", "#EXT-X-TARGETDURATION:6",
                           "#EXT-X-KEY:METHOD=AES-128,URI=\"k\",IV=0x000102030405060708090a0b0c0d0e0f", "#EXTINF:6,", "a.ts"]),
        RuleCase(rule: .tagAfterFirstSegment,
                 failing: header + ["#EXTINF:6,", "a.ts", "#EXT-X-MEDIA-SEQUENCE:4"], line: 6,
                 passing: header + ["#EXT-X-MEDIA-SEQUENCE:4", "#EXTINF:6,", "a.ts"]),
        RuleCase(rule: .tagAfterFirstSegment,
                 failing: header + ["#EXT-X-DISCONTINUITY", "#EXT-X-DISCONTINUITY-SEQUENCE:2", "#EXTINF:6,", "a.ts"], line: 5,
                 passing: header + ["#EXT-X-DISCONTINUITY-SEQUENCE:2", "#EXT-X-DISCONTINUITY", "#EXTINF:6,", "a.ts"]),
        RuleCase(rule: .duplicateTag,
                 failing: header + ["#EXT-X-TARGETDURATION:6", "#EXTINF:6,", "a.ts"], line: 4,
                 passing: header + ["#EXTINF:6,", "a.ts"]),
        RuleCase(rule: .duplicateTag,
                 failing: header + ["#EXTINF:6,", "a.ts", "#EXT-X-ENDLIST", "#EXT-X-ENDLIST"], line: 7,
                 passing: header + ["#EXTINF:6,", "a.ts", "#EXT-X-ENDLIST"]),
        RuleCase(rule: .misplacedTag,
                 failing: header + ["#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"a\"", "#EXTINF:6,", "a.ts"], line: 4,
                 passing: header + ["#EXTINF:6,", "a.ts"]),
        RuleCase(rule: .misplacedTag,
                 failing: header + ["#EXTM3U"], line: 4,
                 passing: header),
        RuleCase(rule: .orphanURI,
                 failing: header + ["#EXTINF:6,", "a.ts", "b.ts"], line: 6,
                 passing: header + ["#EXTINF:6,", "a.ts", "#EXTINF:6,", "b.ts"]),
        RuleCase(rule: .missingURI,
                 failing: header + ["#EXTINF:6,", "#EXTINF:6,", "b.ts"], line: 4,
                 passing: header + ["#EXTINF:6,", "b.ts"]),
        RuleCase(rule: .malformedTag,
                 failing: header + ["#EXT-X-MEDIA-SEQUENCE:first"], line: 4,
                 passing: header + ["#EXT-X-MEDIA-SEQUENCE:1"]),
        RuleCase(rule: .byteRangeWithoutOffset,
                 failing: header + ["#EXTINF:6,", "#EXT-X-BYTERANGE:100", "a.ts"], line: 5,
                 passing: header + ["#EXTINF:6,", "#EXT-X-BYTERANGE:100@0", "a.ts", "#EXTINF:6,", "#EXT-X-BYTERANGE:100", "a.ts"]),
        RuleCase(rule: .byteRangeWithoutOffset,
                 failing: header + ["#EXTINF:6,", "#EXT-X-BYTERANGE:100@0", "a.ts", "#EXTINF:6,", "#EXT-X-BYTERANGE:100", "b.ts"], line: 8,
                 passing: header + ["#EXTINF:6,", "#EXT-X-BYTERANGE:100@0", "a.ts", "#EXTINF:6,", "#EXT-X-BYTERANGE:100@0", "b.ts"]),
        RuleCase(rule: .byteRangeWithoutOffset,
                 failing: header + ["#EXT-X-MAP:URI=\"m.mp4\",BYTERANGE=\"700\"", "#EXTINF:6,", "a.ts"], line: 4,
                 passing: header + ["#EXT-X-MAP:URI=\"m.mp4\",BYTERANGE=\"700@0\"", "#EXTINF:6,", "a.ts"]),
        RuleCase(rule: .missingEndList,
                 failing: header + ["#EXT-X-PLAYLIST-TYPE:VOD", "#EXTINF:6,", "a.ts"], line: 4,
                 passing: header + ["#EXT-X-PLAYLIST-TYPE:EVENT", "#EXTINF:6,", "a.ts"]),
        RuleCase(rule: .iFrameSegmentWithoutByteRange,
                 failing: header + ["#EXT-X-I-FRAMES-ONLY", "#EXTINF:6,", "a.ts"], line: 6,
                 passing: header + ["#EXT-X-I-FRAMES-ONLY", "#EXTINF:6,", "#EXT-X-BYTERANGE:10@0", "a.ts"]),
        RuleCase(rule: .missingPartInformation,
                 failing: header + ["#EXTINF:6,", "a.m4s", "#EXT-X-PART:DURATION=1,URI=\"p.m4s\""], line: 6,
                 passing: header + lowLatencyHeader + ["#EXTINF:6,", "a.m4s", "#EXT-X-PART:DURATION=1,URI=\"p.m4s\""]),
        RuleCase(rule: .missingPartInformation,
                 failing: header + ["#EXT-X-PART-INF:PART-TARGET=1", "#EXTINF:6,", "a.m4s"], line: 4,
                 passing: header + lowLatencyHeader + ["#EXTINF:6,", "a.m4s"]),
        RuleCase(rule: .partExceedsPartTarget,
                 failing: header + lowLatencyHeader + ["#EXT-X-PART:DURATION=1.2,URI=\"p0.m4s\"", "#EXTINF:6,", "a.m4s"], line: 6,
                 passing: header + lowLatencyHeader + ["#EXT-X-PART:DURATION=1.00000,URI=\"p0.m4s\"", "#EXTINF:6,", "a.m4s"]),
        RuleCase(rule: .holdBackTooShort,
                 failing: header + ["#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5", "#EXT-X-PART-INF:PART-TARGET=1"], line: nil,
                 passing: header + ["#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=2", "#EXT-X-PART-INF:PART-TARGET=1"]),
        RuleCase(rule: .holdBackTooShort,
                 failing: header + ["#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=30"], line: nil,
                 passing: header + ["#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=36"]),
        RuleCase(rule: .holdBackTooShort,
                 failing: header + ["#EXT-X-SERVER-CONTROL:HOLD-BACK=12"], line: nil,
                 passing: header + ["#EXT-X-SERVER-CONTROL:HOLD-BACK=18"]),
        RuleCase(rule: .misplacedPreloadHint,
                 failing: header + ["#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p.m4s\"", "#EXTINF:6,", "a.m4s"], line: 4,
                 passing: header + ["#EXTINF:6,", "a.m4s", "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p.m4s\""]),
        RuleCase(rule: .misplacedPreloadHint,
                 failing: header + ["#EXTINF:6,", "a.m4s", "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p.m4s\"", "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"q.m4s\""], line: 7,
                 passing: header + ["#EXTINF:6,", "a.m4s", "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p.m4s\"", "#EXT-X-PRELOAD-HINT:TYPE=MAP,URI=\"i.mp4\""]),
        RuleCase(rule: .skipOutsideDeltaUpdate,
                 failing: ["#EXTM3U", "#EXT-X-VERSION:9", "#EXT-X-TARGETDURATION:6", "#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=36", "#EXT-X-SKIP:SKIPPED-SEGMENTS=3", "#EXTINF:6,", "a.m4s"], line: 5,
                 passing: ["#EXTM3U", "#EXT-X-VERSION:9", "#EXT-X-TARGETDURATION:6", "#EXT-X-SERVER-CONTROL:CAN-SKIP-UNTIL=36", "#EXTINF:6,", "a.m4s"]),
    ])
    func rule(testCase: RuleCase) {
        let failing = validator.validateMediaPlaylist(playlistText(testCase.failing), file: "v/index.m3u8")
        let matching = failing.filter { $0.rule == testCase.rule }
        #expect(matching.count == 1, "\(failing)")
        #expect(matching.first?.line == testCase.line)
        #expect(matching.first?.file == "v/index.m3u8")
        let passing = validator.validateMediaPlaylist(playlistText(testCase.passing), file: "v/index.m3u8")
        #expect(passing.isEmpty, "\(passing)")
    }

    @Test("locations read file:line")
    func locations() {
        let violations = validator.validate(playlistText(Self.header + ["#EXTINF:7.2,", "a.ts"]), file: "720p/index.m3u8")
        #expect(violations.map(\.description) == [
            "720p/index.m3u8:4: EXTINF 7.200000 rounds to 7, more than EXT-X-TARGETDURATION 6",
        ])
        #expect(PlaylistViolation(rule: .noVariants, file: "", line: 3, message: "m").location == "line 3")
        #expect(PlaylistViolation(rule: .noVariants, file: "", line: nil, message: "m").location == "playlist")
        #expect(PlaylistViolation(rule: .noVariants, file: "a.m3u8", line: nil, message: "m").description == "a.m3u8: m")
    }

    @Test("several problems are all reported, in line order")
    func severalProblems() {
        let violations = validator.validateMediaPlaylist(playlistText([
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            "#EXT-X-TARGETDURATION:4",
            "#EXT-X-PLAYLIST-TYPE:VOD",
            "#EXT-X-MAP:URI=\"init.mp4\"",
            "#EXTINF:6.006,",
            "a.m4s",
            "#EXT-X-MEDIA-SEQUENCE:1",
            "#EXT-X-TARGETDURATION:4",
        ]))
        #expect(violations.map(\.rule) == [
            .versionTooLow, .missingEndList, .segmentExceedsTargetDuration, .tagAfterFirstSegment, .duplicateTag,
        ])
        #expect(violations.map(\.line) == [2, 4, 6, 8, 9])
    }

    @Test("a parse error is reported once, at its line, when no other check saw it")
    func parseErrorsAreMerged() {
        let violations = validator.validateMediaPlaylist(playlistText(Self.header + ["#EXT-X-PLAYLIST-TYPE:LIVE"]))
        #expect(violations.map(\.rule) == [.malformedTag])
        #expect(violations.first?.message == "malformed #EXT-X-PLAYLIST-TYPE value \"LIVE\"")
        #expect(violations.first?.line == 4)
    }

    @Test("generic validation detects the kind, or reports that it cannot")
    func unknownKind() {
        #expect(validator.validate(Fixtures.singleFileVODText).isEmpty)
        #expect(validator.validate(Fixtures.masterText).isEmpty)
        let violations = validator.validate("#EXTM3U\n#EXT-X-VERSION:3\n")
        #expect(violations.map(\.rule) == [.unknownPlaylistKind])
        #expect(validator.validate("").map(\.rule) == [.missingHeader, .unknownPlaylistKind])
    }
}
