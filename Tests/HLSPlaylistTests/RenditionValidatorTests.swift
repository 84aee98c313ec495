import Testing
import HLSPlaylist

@Suite("Rendition groups, languages, VIDEO-RANGE and audio codecs")
struct RenditionValidatorTests {
    let validator = PlaylistValidator()

    static let video = "avc1.64001f"
    static let audio = "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"English\",LANGUAGE=\"en\",DEFAULT=YES,AUTOSELECT=YES,URI=\"a/en.m3u8\""
    static let french = "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"French\",LANGUAGE=\"fr\",DEFAULT=NO,AUTOSELECT=YES,URI=\"a/fr.m3u8\""
    static let subtitles = "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",NAME=\"English\",LANGUAGE=\"en\",AUTOSELECT=YES,URI=\"s/en.m3u8\""
    static let angle = "#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"cams\",NAME=\"Angle 2\",URI=\"angle2.m3u8\""
    static let variant = "#EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720"
    static let iFrames = "#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100000,CODECS=\"avc1.64001f\",URI=\"i.m3u8\""

    /// `#EXT-X-STREAM-INF` with `CODECS` and more attributes.
    static func streamInf(_ codecs: String, _ more: String = "") -> String {
        "#EXT-X-STREAM-INF:BANDWIDTH=1000000,CODECS=\"\(codecs)\"" + more
    }

    @Test("each rule has a failing and a passing case", arguments: [
        // Group references of variants and I-frame streams.
        RuleCase(rule: .undefinedGroup,
                 failing: ["#EXTM3U", variant + ",VIDEO=\"cams\"", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", angle, variant + ",VIDEO=\"cams\"", "v.m3u8"]),
        RuleCase(rule: .undefinedGroup,
                 failing: ["#EXTM3U", subtitles, variant + ",VIDEO=\"subs\"", "v.m3u8"], line: 3,
                 passing: ["#EXTM3U", subtitles, variant + ",SUBTITLES=\"subs\"", "v.m3u8"]),
        RuleCase(rule: .undefinedGroup,
                 failing: ["#EXTM3U", variant, "v.m3u8", iFrames + ",VIDEO=\"cams\""], line: 4,
                 passing: ["#EXTM3U", angle, variant, "v.m3u8", iFrames + ",VIDEO=\"cams\""]),
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", variant + ",CLOSED-CAPTIONS=cc", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", "#EXT-X-MEDIA:TYPE=CLOSED-CAPTIONS,GROUP-ID=\"cc\",NAME=\"CC1\",INSTREAM-ID=\"CC1\"",
                           variant + ",CLOSED-CAPTIONS=\"cc\"", "v.m3u8"]),
        // Language tags.
        RuleCase(rule: .malformedLanguageTag,
                 failing: ["#EXTM3U", audio.replacingOccurrences(of: "\"en\"", with: "\"en_GB\""), variant + ",AUDIO=\"aud\"", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", audio.replacingOccurrences(of: "\"en\"", with: "\"en-US\""), variant + ",AUDIO=\"aud\"", "v.m3u8"]),
        RuleCase(rule: .malformedLanguageTag,
                 failing: ["#EXTM3U", audio + ",ASSOC-LANGUAGE=\"en_US\"", variant + ",AUDIO=\"aud\"", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", audio + ",ASSOC-LANGUAGE=\"en-US\"", variant + ",AUDIO=\"aud\"", "v.m3u8"]),
        // Groups: one DEFAULT, AUTOSELECT with DEFAULT, FORCED for subtitles only.
        RuleCase(rule: .multipleDefaultRenditions,
                 failing: ["#EXTM3U", audio, french.replacingOccurrences(of: "DEFAULT=NO", with: "DEFAULT=YES"), variant + ",AUDIO=\"aud\"", "v.m3u8"], line: 3,
                 passing: ["#EXTM3U", audio, french, variant + ",AUDIO=\"aud\"", "v.m3u8"]),
        RuleCase(rule: .multipleDefaultRenditions,
                 failing: ["#EXTM3U", subtitles + ",DEFAULT=YES", subtitles.replacingOccurrences(of: "English", with: "Deutsch") + ",DEFAULT=YES",
                           variant + ",SUBTITLES=\"subs\"", "v.m3u8"], line: 3,
                 passing: ["#EXTM3U", subtitles + ",DEFAULT=YES", subtitles.replacingOccurrences(of: "\"subs\"", with: "\"subs2\"") + ",DEFAULT=YES",
                           variant + ",SUBTITLES=\"subs\"", "v.m3u8"]),
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", audio.replacingOccurrences(of: ",AUTOSELECT=YES", with: ""), variant + ",AUDIO=\"aud\"", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", audio, variant + ",AUDIO=\"aud\"", "v.m3u8"]),
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", audio + ",FORCED=NO", variant + ",AUDIO=\"aud\"", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", subtitles + ",FORCED=YES", variant + ",SUBTITLES=\"subs\"", "v.m3u8"]),
        // VIDEO-RANGE.
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", variant + ",VIDEO-RANGE=XYZ", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", variant + ",VIDEO-RANGE=PQ", "v.m3u8"]),
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", variant + ",VIDEO-RANGE=\"HLG\"", "v.m3u8"], line: 2,
                 passing: ["#EXTM3U", variant + ",VIDEO-RANGE=HLG", "v.m3u8"]),
        RuleCase(rule: .invalidAttribute,
                 failing: ["#EXTM3U", variant, "v.m3u8", iFrames + ",VIDEO-RANGE=HDR10"], line: 4,
                 passing: ["#EXTM3U", variant, "v.m3u8", iFrames + ",VIDEO-RANGE=SDR"]),
        // CODECS and the AUDIO group.
        RuleCase(rule: .missingAudioCodec,
                 failing: ["#EXTM3U", audio, streamInf(video, ",AUDIO=\"aud\""), "v.m3u8"], line: 3,
                 passing: ["#EXTM3U", audio, streamInf(video + ",ec-3", ",AUDIO=\"aud\""), "v.m3u8"]),
        RuleCase(rule: .missingAudioCodec,
                 failing: ["#EXTM3U", audio, french, streamInf("hvc1.2.4.L123.B0", ",AUDIO=\"aud\""), "v.m3u8"], line: 4,
                 passing: ["#EXTM3U", audio.replacingOccurrences(of: ",URI=\"a/en.m3u8\"", with: ""),
                           streamInf("hvc1.2.4.L123.B0", ",AUDIO=\"aud\""), "v.m3u8"]),
        RuleCase(rule: .inconsistentAudioCodecs,
                 failing: ["#EXTM3U", audio, streamInf(video + ",mp4a.40.2", ",AUDIO=\"aud\""), "a.m3u8",
                           streamInf("avc1.4d401e,ec-3", ",AUDIO=\"aud\""), "b.m3u8"], line: 5,
                 passing: ["#EXTM3U", audio, streamInf(video + ",mp4a.40.2", ",AUDIO=\"aud\""), "a.m3u8",
                           streamInf("mp4a.40.2,avc1.4d401e", ",AUDIO=\"aud\""), "b.m3u8"]),
    ])
    func rule(testCase: RuleCase) {
        let failing = validator.validateMultivariantPlaylist(playlistText(testCase.failing), file: "master.m3u8")
        let matching = failing.filter { $0.rule == testCase.rule }
        #expect(matching.count == 1, "\(failing)")
        #expect(matching.first?.line == testCase.line)
        let passing = validator.validateMultivariantPlaylist(playlistText(testCase.passing), file: "master.m3u8")
        #expect(passing.isEmpty, "\(passing)")
    }

    @Test("messages are one clear line")
    func messages() {
        let text = playlistText([
            "#EXTM3U",
            Self.audio.replacingOccurrences(of: "\"en\"", with: "\"en-\""),
            Self.french.replacingOccurrences(of: "DEFAULT=NO", with: "DEFAULT=YES") + ",FORCED=YES",
            Self.streamInf(Self.video, ",AUDIO=\"aud\",VIDEO-RANGE=XYZ"), "a.m3u8",
            Self.streamInf(Self.video + ",mp4a.40.2", ",AUDIO=\"aud\""), "b.m3u8",
            Self.streamInf("avc1.4d401e,ec-3,mp4a.40.2", ",AUDIO=\"aud\""), "c.m3u8",
        ])
        #expect(validator.validateMultivariantPlaylist(text, file: "master.m3u8").map(\.description) == [
            "master.m3u8:2: LANGUAGE \"en-\" is not a well-formed RFC 5646 language tag",
            "master.m3u8:3: group \"aud\" already has a DEFAULT=YES rendition (line 2)",
            "master.m3u8:3: FORCED is only allowed with TYPE=SUBTITLES",
            "master.m3u8:4: VIDEO-RANGE=XYZ is not SDR, PQ or HLG",
            "master.m3u8:4: CODECS names no audio codec, but the renditions of AUDIO=\"aud\" are separate audio streams",
            "master.m3u8:8: audio codecs ec-3,mp4a.40.2 differ from mp4a.40.2 of the variant on line 6, which names the same AUDIO group \"aud\"",
        ])
    }

    @Test("audio codec strings", arguments: [
        ("mp4a.40.2", true), ("mp4a.40.5", true), ("mp4a.40.34", true), ("mp4a.6B", true), ("mp4a.A6", true),
        ("ac-3", true), ("ec-3", true), ("ac-4.02.01.01", true), ("Opus", true), ("fLaC", true), ("alac", true),
        ("dtsx", true), ("mhm1.0x0D", true),
        ("avc1.64001f", false), ("hvc1.2.4.L123.B0", false), ("dvh1.05.06", false), ("av01.0.08M.08", false),
        ("wvtt", false), ("stpp.ttml.im1t", false), ("mp3", false), ("", false),
    ])
    func audioCodecs(codec: String, isAudio: Bool) {
        let text = playlistText(["#EXTM3U", Self.audio, Self.streamInf("avc1.64001f," + codec, ",AUDIO=\"aud\""), "v.m3u8"])
        let violations = validator.validateMultivariantPlaylist(text)
        #expect(violations.contains { $0.rule == .missingAudioCodec } == !isAudio, "\(violations)")
    }
}
