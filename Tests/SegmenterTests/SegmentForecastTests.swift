import Foundation
import HLSPlaylist
import ReelTestSupport
import Testing
@testable import Segmenter

@Suite("Target duration forecast")
struct SegmentForecastTests {
    @Test func regularKeyframes() {
        let forecast = SegmentForecast(keyframes: stride(from: 0.0, to: 24, by: 2).map { $0 }, end: 24, segmentDuration: 6)
        #expect(forecast.durations == [6, 6, 6, 6])
        #expect(forecast.targetDuration == 6)
    }

    @Test func sparseKeyframesRaiseTheTarget() {
        let forecast = SegmentForecast(keyframes: [0, 10, 20, 30], end: 34, segmentDuration: 6)
        #expect(forecast.durations == [10, 10, 10, 4])
        #expect(forecast.targetDuration == 10)
    }

    @Test func oneLongGapDecides() {
        // A scene with no keyframe for 9 s in an otherwise regular 2 s GOP.
        let keyframes: [Double] = [0, 2, 4, 6, 8, 17, 19, 21, 23]
        let forecast = SegmentForecast(keyframes: keyframes, end: 24, segmentDuration: 6)
        #expect(forecast.targetDuration == 11, "\(forecast.durations)")
    }

    @Test func lastSegmentCounts() {
        // Keyframes stop at 6 s but the media runs to 15 s: the last segment is 9 s.
        let forecast = SegmentForecast(keyframes: [0, 2, 4, 6], end: 15, segmentDuration: 6)
        #expect(forecast.durations == [6, 9])
        #expect(forecast.targetDuration == 9)
    }

    @Test(arguments: [(6.0, 6), (2.0, 2), (0.5, 1), (6.45, 7), (6.3, 6), (10.0, 10)])
    func withoutKeyframeIndex(segmentDuration: Double, target: Int) {
        // Audio-only and standard input: segments last about the configured duration.
        #expect(SegmentForecast(segmentDuration: segmentDuration).targetDuration == target)
    }

    @Test func matchesWhatThePlannerCuts() {
        // The forecast replays the planner: its durations are exactly the ingest's segments.
        let keyframes = (0..<200).map { Double($0) * 1.001 * 2.5 }
        let forecast = SegmentForecast(keyframes: keyframes, end: 500.5, segmentDuration: 4)
        var planner = SegmentPlanner(duration: 4)
        planner.start(at: 0)
        var starts = [0.0]
        for time in keyframes.dropFirst() where planner.shouldCut(atCutPoint: time) { starts.append(time) }
        #expect(forecast.durations.count == starts.count)
        for (duration, rounded) in zip(forecast.durations, forecast.durations.map { $0.rounded() }) {
            #expect(Int(rounded) <= forecast.targetDuration, "\(duration)")
        }
    }
}

@Suite("Keyframe times from an MP4's sample index")
struct IndexedKeyframeTests {
    static func fullRead(_ file: InputFile) throws -> [Int64] {
        let demuxer = try MediaInput.open(file)
        let video = try #require(demuxer.streams.first { $0.type == .video })
        demuxer.keepOnly(streams: [video.index])
        var result: [Int64] = []
        let packet = Packet()
        while try demuxer.read(into: packet) {
            if packet.streamIndex == video.index, packet.isKeyframe, let pts = packet.pts { result.append(pts) }
        }
        return result
    }

    /// Seeking keyframe to keyframe through the index must find exactly the presentation
    /// timestamps a full read sees, or the forecast could disagree with the ingest's cuts.
    @Test(arguments: ["h264-aac.mp4", "h264-aac-30s.mp4", "hevc-aac.mp4", "video-only.mp4", "moov-at-end.mp4", "sparse-keyframes.mp4"])
    func indexMatchesAFullRead(fixture: String) throws {
        let file = try InputFile(path: Fixture.path(fixture))
        let demuxer = try MediaInput.open(file)
        let video = try #require(demuxer.streams.first { $0.type == .video })
        let indexed = try #require(try demuxer.keyframeTimestampsFromIndex(ofStream: video.index))
        let all = try Self.fullRead(file)
        #expect(!all.isEmpty)
        #expect(indexed == all, "\(indexed.prefix(6)) vs \(all.prefix(6))")
    }

    @Test(arguments: ["h264-aac.mkv", "h264-aac.ts", "vp9-opus.webm"])
    func otherContainersNeedAFullRead(fixture: String) throws {
        let demuxer = try MediaInput.open(try InputFile(path: Fixture.path(fixture)))
        let video = try #require(demuxer.streams.first { $0.type == .video })
        #expect(try demuxer.keyframeTimestampsFromIndex(ofStream: video.index) == nil)
    }
}
