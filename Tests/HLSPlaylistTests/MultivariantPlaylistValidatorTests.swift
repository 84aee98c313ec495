import Testing
import HLSPlaylist

@Suite("Multivariant playlist validation")
struct MultivariantPlaylistValidatorTests {
    let validator = PlaylistValidator()

    static let audio = "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"English\",DEFAULT=YES,AUTOSELECT=YES,URI=\"a/index.m3u8\""
    static let variant = "#EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720"

    @Test("the golden master is valid")
    func goldenIsValid() {
        #expect(validator.validateMultivariantPlaylist(Fixtures.masterText).isEmpty)
        #expect(validator.validateMultivariantPlaylist(Fixtures.master.render()).isEmpty)
    }

    @Test("each rule has a failing and a passing case", arguments: [
        RuleCase(rule: .missingHeader,
                 failing: [variant, "v.m3u8"], line: 1,
                 passing: ["#EXTM3U", variant, "v.m3u8"]),
        RuleCase(rule: .missingAttribute,
                 failing: ["#EXTM3U", "#EXT-X-STREAM-INF:CODECS=\"avc1.64001f\"", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1.64001f\"", "v.m3u8"]),
        RuleCase(rule: .missingCodecs,
                 failing: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"mp4a.40.2\"", "v.m3u8"]),
        RuleCase(rule: .missingCodecs,
                 failing: ["#EXTM3U", variant, "v.m3u8", "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,URI=\"i.m3u8\""], line: 4,
                 passing: ["#EXTM3U", variant, "v.m3u8", "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,CODECS=\"avc1.64001f\",URI=\"i.m3u8\""]),
        RuleCase(rule: .missingURI,
                 failing: ["#EXTM3U", variant, "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,CODECS=\"a\",URI=\"i.m3u8\"", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", variant, "v.m3u8", "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,CODECS=\"a\",URI=\"i.m3u8\""]),
        RuleCase(rule: .missingURI,
                 failing: ["#EXTM3U", variant], line: 2,
                 passing: ["#EXTM3U", variant, "v.m3u8"]),
        RuleCase(rule: .orphanURI,
                 failing: ["#EXTM3U", variant, "v.m3u8", "w.m3u8"], line: 4,
                 passing: ["#EXTM3U", variant, "v.m3u8"]),
        RuleCase(rule: .missingAttribute,
                 failing: ["#EXTM3U", variant, "v.m3u8", "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,CODECS=\"a\""], line: 4,
                 passing: ["#EXTM3U", variant, "v.m3u8", "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,CODECS=\"a\",URI=\"i.m3u8\""]),
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", audio, variant + ",AUDIO=\"aud\"", "v.m3u8",
                           "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,CODECS=\"a\",AUDIO=\"aud\",URI=\"i.m3u8\""], line: 5,
                 passing: ["#EXTM3U", audio, variant + ",AUDIO=\"aud\"", "v.m3u8",
                           "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=1,CODECS=\"a\",URI=\"i.m3u8\""]),
        RuleCase(rule: .undefinedGroup,
                 failing: ["#EXTM3U", audio, variant + ",AUDIO=\"audio\"", "v.m3u8"], line: 3,
                 passing: ["#EXTM3U", audio, variant + ",AUDIO=\"aud\"", "v.m3u8"]),
        RuleCase(rule: .undefinedGroup,
                 failing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"aud\",NAME=\"en\",URI=\"s.m3u8\"",
                           variant + ",AUDIO=\"aud\"", "v.m3u8"], line: 3,
                 passing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"aud\",NAME=\"en\",URI=\"s.m3u8\"",
                           variant + ",SUBTITLES=\"aud\"", "v.m3u8"]),
        RuleCase(rule: .undefinedGroup,
                 failing: ["#EXTM3U", variant + ",CLOSED-CAPTIONS=\"cc\"", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", variant + ",CLOSED-CAPTIONS=NONE", "v.m3u8"]),
        RuleCase(rule: .misplacedTag,
                 failing: ["#EXTM3U", variant, "v.m3u8", "#EXT-X-ENDLIST"], line: 4,
                 passing: ["#EXTM3U", variant, "v.m3u8"]),
        RuleCase(rule: .misplacedTag,
                 failing: ["#EXTM3U", "#EXT-X-MAP:URI=\"init.mp4\"", "#EXT-X-VERSION:6", variant, "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-VERSION:6", variant, "v.m3u8"]),
        RuleCase(rule: .noVariants,
                 failing: ["#EXTM3U", audio], line: nil,
                 passing: ["#EXTM3U", audio, variant + ",AUDIO=\"aud\"", "v.m3u8"]),
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"CC1\",INSTREAM-ID=\"CC1\",URI=\"c.m3u8\"",
                           variant, "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"CC1\",INSTREAM-ID=\"CC1\"",
                           variant, "v.m3u8"]),
        RuleCase(rule: .missingAttribute,
                 failing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"CC1\"", variant, "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"CC1\",INSTREAM-ID=\"CC1\"", variant, "v.m3u8"]),
        RuleCase(rule: .missingAttribute,
                 failing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"s\",NAME=\"en\"", variant, "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"s\",NAME=\"en\",URI=\"s.m3u8\"", variant, "v.m3u8"]),
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",INSTREAM-ID=\"CC1\"", variant, "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\"", variant, "v.m3u8"]),
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",DEFAULT=YES,AUTOSELECT=NO", variant, "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",DEFAULT=YES,AUTOSELECT=YES", variant, "v.m3u8"]),
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=TEXT,GROUP-ID=\"a\",NAME=\"en\"", variant, "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\"", variant, "v.m3u8"]),
        RuleCase(rule: .duplicateRenditionName,
                 failing: ["#EXTM3U", audio, audio.replacingOccurrences(of: "DEFAULT=YES", with: "DEFAULT=NO"), variant, "v.m3u8"], line: 3,
                 passing: ["#EXTM3U", audio, audio.replacingOccurrences(of: "DEFAULT=YES", with: "DEFAULT=NO")
                               .replacingOccurrences(of: "English", with: "Commentary"), variant, "v.m3u8"]),
        RuleCase(rule: .duplicateTag,
                 failing: ["#EXTM3U", "#EXT-X-INDEPENDENT-SEGMENTS", "#EXT-X-INDEPENDENT-SEGMENTS", variant, "v.m3u8"], line: 3,
                 passing: ["#EXTM3U", "#EXT-X-INDEPENDENT-SEGMENTS", variant, "v.m3u8"]),
        RuleCase(rule: .versionTooLow,
                 failing: ["#EXTM3U", "#EXT-X-VERSION:6",
                           "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"S1\",INSTREAM-ID=\"SERVICE1\"", variant, "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-VERSION:7",
                           "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"S1\",INSTREAM-ID=\"SERVICE1\"", variant, "v.m3u8"]),
        RuleCase(rule: .malformedTag,
                 failing: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"a", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"a\"", "v.m3u8"]),
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"a\",RESOLUTION=big", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS=\"a\",RESOLUTION=640x360", "v.m3u8"]),
    ])
    func rule(testCase: RuleCase) {
        let failing = validator.validateMultivariantPlaylist(playlistText(testCase.failing), file: "master.m3u8")
        let matching = failing.filter { $0.rule == testCase.rule }
        #expect(matching.count == 1, "\(failing)")
        #expect(matching.first?.line == testCase.line)
        let passing = validator.validateMultivariantPlaylist(playlistText(testCase.passing), file: "master.m3u8")
        #expect(passing.isEmpty, "\(passing)")
    }
}
