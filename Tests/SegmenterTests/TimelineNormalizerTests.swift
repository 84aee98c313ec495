import Testing
@testable import Segmenter

/// The timeline every packet is put on before muxing: origin, synthesized decoding times,
/// restarts and wraps.
@Suite("TimelineNormalizer")
struct TimelineNormalizerTests {
    /// 1/1000 time base, 40 ms frames (Matroska's millisecond clock at 25 fps).
    static let millisecond = Rational(1, 1000)

    static func video(depth: Int = 2) -> TimelineNormalizer.Stream {
        TimelineNormalizer.Stream(index: 0, timeBase: millisecond, reorderDepth: depth, frameDuration: 40)
    }

    static func audio(_ index: Int = 1) -> TimelineNormalizer.Stream {
        TimelineNormalizer.Stream(index: index, timeBase: Rational(1, 48_000))
    }

    @Test func theOriginBecomesZero() {
        var timeline = TimelineNormalizer(streams: [Self.video(depth: 0)], origin: 10, detectsBreaks: false)
        #expect(timeline.normalize(stream: 0, pts: 10_000, dts: 10_000, duration: 40) == .init(pts: 0, dts: 0))
        #expect(timeline.normalize(stream: 0, pts: 10_040, dts: 10_040, duration: 40) == .init(pts: 40, dts: 40))
    }

    @Test func decodingTimesAreMadeFromPresentationTimes() {
        // I0 P4 B2 b1 b3 (frames of 40 ms) in decoding order, as Matroska stores them: no DTS.
        var timeline = TimelineNormalizer(streams: [Self.video()], origin: 0, detectsBreaks: false)
        let presentation: [Int64] = [0, 160, 80, 40, 120, 320, 240, 200, 280]
        let result = presentation.map { timeline.normalize(stream: 0, pts: $0, dts: nil, duration: 40)! }
        #expect(result.map(\.pts) == presentation, "presentation times stay as they are")
        #expect(result.map(\.dts) == [-80, -40, 0, 40, 80, 120, 160, 200, 240])
        for (packet, next) in zip(result, result.dropFirst()) { #expect(packet.dts < next.dts) }
        #expect(result.allSatisfy { $0.dts <= $0.pts })
    }

    @Test func aDeeperGuessStaysValid() {
        // Depth 3 where the stream needs 2: decoding times are earlier, still increasing, never after presentation.
        var timeline = TimelineNormalizer(streams: [Self.video(depth: 3)], origin: 0, detectsBreaks: false)
        let presentation: [Int64] = [0, 160, 80, 40, 120, 320, 240, 200, 280]
        let result = presentation.map { timeline.normalize(stream: 0, pts: $0, dts: nil, duration: 40)! }
        for (packet, next) in zip(result, result.dropFirst()) { #expect(packet.dts < next.dts) }
        #expect(result.allSatisfy { $0.dts <= $0.pts })
    }

    @Test func storedDecodingTimesAreKept() {
        var timeline = TimelineNormalizer(streams: [Self.video()], origin: 0, detectsBreaks: false)
        #expect(timeline.normalize(stream: 0, pts: 80, dts: 0, duration: 40) == .init(pts: 80, dts: 0))
        #expect(timeline.normalize(stream: 0, pts: 240, dts: 40, duration: 40) == .init(pts: 240, dts: 40))
    }

    @Test func packetsWithoutTimestampsOrOfOtherStreamsAreSkipped() {
        var timeline = TimelineNormalizer(streams: [Self.video()], origin: 0, detectsBreaks: false)
        #expect(timeline.normalize(stream: 0, pts: nil, dts: nil, duration: 40) == nil)
        #expect(timeline.normalize(stream: 7, pts: 0, dts: 0, duration: 40) == nil)
    }

    @Test func aRestartContinuesWhereTheTimelineLeftOff() {
        // Two 90 kHz captures joined: video and audio both restart at 1.4 s.
        let video = TimelineNormalizer.Stream(index: 0, timeBase: Rational(1, 90_000), frameDuration: 3600)
        let audio = TimelineNormalizer.Stream(index: 1, timeBase: Rational(1, 90_000))
        var timeline = TimelineNormalizer(streams: [video, audio], origin: 1.4, detectsBreaks: true)
        var times: [(Int, Int64)] = []
        for frame in Int64(0)..<75 {
            times.append((0, timeline.normalize(stream: 0, pts: 126_000 + frame * 3600, dts: 126_000 + frame * 3600, duration: 3600)!.dts))
            if frame % 2 == 0 {
                let audioTime = 126_000 + frame * 3600
                times.append((1, timeline.normalize(stream: 1, pts: audioTime, dts: audioTime, duration: 7200)!.dts))
            }
        }
        // The second capture: video first, then audio a frame later.
        let restartedVideo = timeline.normalize(stream: 0, pts: 126_000, dts: 126_000, duration: 3600)!
        #expect(restartedVideo.dts == 75 * 3600, "video goes on where it stopped: \(restartedVideo)")
        let restartedAudio = timeline.normalize(stream: 1, pts: 126_000 + 3600, dts: 126_000 + 3600, duration: 7200)!
        #expect(restartedAudio.dts == 75 * 3600 + 3600, "audio shares the video's shift, so the two stay in sync")
        let later = timeline.normalize(stream: 0, pts: 126_000 + 3600, dts: 126_000 + 3600, duration: 3600)!
        #expect(later.dts == 76 * 3600)
    }

    @Test func aLatePacketOfTheOldTimelineKeepsItsStreamsShift() {
        let video = TimelineNormalizer.Stream(index: 0, timeBase: Rational(1, 90_000), frameDuration: 3600)
        let audio = TimelineNormalizer.Stream(index: 1, timeBase: Rational(1, 90_000))
        var timeline = TimelineNormalizer(streams: [video, audio], origin: 0, detectsBreaks: true)
        _ = timeline.normalize(stream: 0, pts: 900_000, dts: 900_000, duration: 3600)
        _ = timeline.normalize(stream: 1, pts: 900_000, dts: 900_000, duration: 1920)
        _ = timeline.normalize(stream: 0, pts: 0, dts: 0, duration: 3600)  // video restarts
        let oldAudio = timeline.normalize(stream: 1, pts: 901_920, dts: 901_920, duration: 1920)!
        #expect(oldAudio.dts == 901_920, "the old timeline's last audio packet is not shifted")
    }

    @Test func smallStepsBackAreClampedNotBreaks() {
        var timeline = TimelineNormalizer(streams: [Self.audio()], origin: 0, detectsBreaks: true)
        _ = timeline.normalize(stream: 1, pts: 48_000, dts: 48_000, duration: 1024)
        let jitter = timeline.normalize(stream: 1, pts: 48_000 - 10, dts: 48_000 - 10, duration: 1024)!
        #expect(jitter.dts == 48_001, "decoding times only increase")
        let next = timeline.normalize(stream: 1, pts: 50_048, dts: 50_048, duration: 1024)!
        #expect(next.dts == 50_048, "no shift after jitter")
    }

    @Test func forwardGapsWithinTheLimitAreKept() {
        var timeline = TimelineNormalizer(streams: [Self.audio()], origin: 0, detectsBreaks: true)
        _ = timeline.normalize(stream: 1, pts: 0, dts: 0, duration: 1024)
        let gap = timeline.normalize(stream: 1, pts: 48_000 * 5, dts: 48_000 * 5, duration: 1024)!
        #expect(gap.dts == 48_000 * 5, "a 5 s gap is a gap, not a break")
        let jump = timeline.normalize(stream: 1, pts: 48_000 * 60, dts: 48_000 * 60, duration: 1024)!
        #expect(jump.dts == 48_000 * 5 + 1024, "a jump beyond 10 s continues the timeline")
    }

    @Test func breaksAreIgnoredWhereTheContainerCannotHaveThem() {
        var timeline = TimelineNormalizer(streams: [Self.audio()], origin: 0, detectsBreaks: false)
        _ = timeline.normalize(stream: 1, pts: 0, dts: 0, duration: 1024)
        let jump = timeline.normalize(stream: 1, pts: 48_000 * 60, dts: 48_000 * 60, duration: 1024)!
        #expect(jump.dts == 48_000 * 60)
    }
}
