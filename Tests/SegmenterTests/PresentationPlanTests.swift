import HLSPlaylist
import Testing
@testable import Segmenter

/// Which tracks become which renditions, decided from the streams alone.
@Suite("PresentationPlan")
struct PresentationPlanTests {
    static func stream(_ index: Int, _ type: MediaType, codec: String, language: String? = nil, isDefault: Bool = false, forced: Bool = false, channels: Int = 2) -> StreamInfo {
        var stream = StreamInfo(
            index: index, type: type, codecName: codec, codecID: 0, codecTag: nil, profile: nil, profileName: nil, level: nil,
            width: type == .video ? 320 : 0, height: type == .video ? 180 : 0, pixelFormat: nil, sampleRate: 48_000,
            channels: channels, bitRate: nil, timeBase: Rational(1, 1000), averageFrameRate: Rational(25, 1),
            realFrameRate: Rational(25, 1), duration: nil, startTime: nil, extradata: [], videoDelay: 0
        )
        stream.language = language
        stream.isDefault = isDefault
        stream.isForced = forced
        return stream
    }

    static func plan(_ streams: [StreamInfo], sidecars: [PresentationPlan.Sidecar] = [], format: SegmentFormat = .fmp4, copied: Set<MediaType> = [.video, .audio]) throws -> PresentationPlan {
        try PresentationPlan.make(
            streams: streams, sidecars: sidecars, format: format, copiedTypes: copied, input: "in.mkv",
            isTextSubtitle: { ["subrip", "mov_text", "ass", "webvtt"].contains($0) }
        )
    }

    @Test func threeAudioTracksBecomeNamedRenditionsWithOneDefault() throws {
        let plan = try Self.plan([
            Self.stream(0, .video, codec: "h264"),
            Self.stream(1, .audio, codec: "aac", language: "eng"),
            Self.stream(2, .audio, codec: "aac", language: "fra", isDefault: true, channels: 1),
            Self.stream(3, .audio, codec: "aac", language: "und"),
        ])
        #expect(plan.separatesAudioTracks)
        #expect(plan.audio.map(\.rendition) == ["audio-en", "audio-fr", "audio-und"])
        #expect(plan.audio.map(\.language) == ["en", "fr", nil])
        #expect(plan.audio.map(\.title) == ["English", "French", "Audio 3"])
        #expect(plan.audio.map(\.isDefault) == [false, true, false], "the track the input marks default")
    }

    @Test func withoutADefaultTheFirstTrackIsIt() throws {
        let plan = try Self.plan([Self.stream(0, .audio, codec: "aac", language: "ger"), Self.stream(1, .audio, codec: "aac", language: "deu")])
        #expect(plan.audio.map(\.isDefault) == [true, false])
        #expect(plan.audio.map(\.rendition) == ["audio-de", "audio-de-2"], "two tracks of one language get distinct directories")
        #expect(plan.audio.map(\.title) == ["German", "German 2"], "and distinct names")
    }

    @Test func oneAudioTrackKeepsTodaysLayout() throws {
        let plan = try Self.plan([Self.stream(0, .video, codec: "h264"), Self.stream(1, .audio, codec: "aac")])
        #expect(!plan.separatesAudioTracks)
        #expect(plan.streams.map(\.index) == [0, 1])
    }

    @Test func anAudioTrackTheFormatCannotCarryIsSkippedWithANotice() throws {
        let plan = try Self.plan([
            Self.stream(0, .video, codec: "h264"), Self.stream(1, .audio, codec: "aac", language: "eng"),
            Self.stream(2, .audio, codec: "opus", language: "fra"),
        ], format: .ts)
        #expect(plan.audio.map(\.stream.index) == [1])
        #expect(plan.notices.count == 1 && plan.notices[0].contains("opus"))
    }

    @Test func noCarriableAudioAtAllIsStillAnError() {
        #expect(throws: IngestError.self) {
            try Self.plan([Self.stream(0, .video, codec: "h264"), Self.stream(1, .audio, codec: "opus")], format: .ts)
        }
    }

    @Test func aTranscodedTrackNeedNotFitTheFormat() throws {
        let plan = try Self.plan([Self.stream(0, .video, codec: "vp9"), Self.stream(1, .audio, codec: "opus")], format: .ts, copied: [])
        #expect(plan.audio.count == 1 && plan.video != nil)
    }

    @Test func textSubtitlesAndSidecarsBecomeRenditionsAndBitmapsAreSkipped() throws {
        let plan = try Self.plan(
            [
                Self.stream(0, .video, codec: "h264"), Self.stream(1, .audio, codec: "aac"),
                Self.stream(2, .subtitle, codec: "subrip", language: "eng"),
                Self.stream(3, .subtitle, codec: "ass", language: "fre", forced: true),
                Self.stream(4, .subtitle, codec: "hdmv_pgs_subtitle", language: "eng"),
            ],
            sidecars: [.init(path: "in.srt", language: nil), .init(path: "in.en.vtt", language: "en")]
        )
        #expect(plan.subtitles.map(\.rendition) == ["subs-und", "subs-en", "subs-en-2", "subs-fr"])
        #expect(plan.subtitles.map(\.title) == ["Subtitles 1", "English", "English 2", "French (forced)"])
        #expect(plan.subtitles.map(\.forced) == [false, false, false, true])
        #expect(plan.notices.count == 1 && plan.notices[0].contains("hdmv_pgs_subtitle"))
        #expect(plan.streams.map(\.index) == [0, 1, 2, 3], "the skipped bitmap track is not read")
    }

    @Test func coverArtIsNotTheVideo() throws {
        var cover = Self.stream(0, .video, codec: "mjpeg")
        cover.isAttachedPicture = true
        let plan = try Self.plan([cover, Self.stream(1, .audio, codec: "aac")])
        #expect(plan.video == nil)
    }
}
