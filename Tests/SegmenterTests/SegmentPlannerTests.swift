import Foundation
import HLSPlaylist
import Testing
@testable import Segmenter

@Suite("Segment planning on a cumulative grid")
struct SegmentPlannerTests {
    /// Feeds cut points (seconds) and returns the times at which segments start.
    private func starts(_ cutPoints: [Double], duration: Double) -> [Double] {
        var planner = SegmentPlanner(duration: duration)
        planner.start(at: 0)
        var result = [0.0]
        for time in cutPoints where time > 0 && planner.shouldCut(atCutPoint: time) {
            result.append(time)
        }
        return result
    }

    @Test func keyframesOnTheGrid() {
        let keyframes = stride(from: 0.0, through: 20, by: 2).map { $0 }
        #expect(starts(keyframes, duration: 6) == [0, 6, 12, 18])
    }

    @Test func sparseKeyframesMakeLongerSegmentsWithoutTinyOnes() {
        #expect(starts([0, 10, 20, 30], duration: 6) == [0, 10, 20, 30])
        #expect(starts([0, 7, 14, 21, 28], duration: 6) == [0, 7, 14, 21, 28])
    }

    @Test func errorsDoNotDrift() {
        // 29.97 fps GOPs of 15 frames: a naive "duration since last cut" would drift.
        let keyframes = (0..<400).map { Double($0) * 15 * 1001 / 30000 }
        let segmentStarts = starts(keyframes, duration: 6)
        for (k, start) in segmentStarts.enumerated().dropFirst() {
            #expect(start >= Double(k) * 6 - 1e-9, "segment \(k) starts before its grid point")
            #expect(start < Double(k) * 6 + 15 * 1001 / 30000, "segment \(k) starts later than one GOP after the grid point")
        }
    }

    @Test func exactGridPointDespiteRounding() {
        // 0.1 added 60 times is 5.999999999999999 in Double; it must still close the 6 s segment.
        var time = 0.0
        var cutPoints: [Double] = []
        for _ in 0..<60 { time += 0.1; cutPoints.append(time) }
        #expect(starts(cutPoints, duration: 6).count == 2)
    }

    @Test(arguments: [0.5, 1, 2, 4, 6, 10])
    func everySegmentReachesTheTarget(duration: Double) {
        let keyframes = stride(from: 0.0, through: 60, by: 0.5).map { $0 }
        let segmentStarts = starts(keyframes, duration: duration)
        for (previous, next) in zip(segmentStarts, segmentStarts.dropFirst()) {
            #expect(next - previous >= duration - 0.5 - 1e-9)
        }
    }
}

@Suite("Asset names")
struct AssetNameTests {
    @Test(arguments: ["a", "clip", "My-Clip", "v1.2_final", "0", String(repeating: "x", count: 128)])
    func valid(name: String) {
        #expect(AssetName.isValid(name))
    }

    @Test(arguments: ["", ".hidden", "-dash", "_under", "a/b", "..", "a b", "ü", String(repeating: "x", count: 129), "a\u{0}b"])
    func invalid(name: String) {
        #expect(!AssetName.isValid(name))
    }

    @Test(arguments: [
        ("My Clip.ts", "My-Clip"), ("/videos/holiday 2024 (1).mp4", "holiday-2024-1"), ("clip.tar.gz", "clip.tar"),
        (".hidden.mp4", "hidden"), ("ünïcödé.mkv", "n-c-d"), ("no-extension", "no-extension"),
    ])
    func derived(input: String, expected: String) {
        #expect(AssetName.derived(fromInput: input) == expected)
    }

    @Test(arguments: ["...mp4", "ü.mp4", "/"])
    func nothingUsable(input: String) {
        #expect(AssetName.derived(fromInput: input) == nil)
    }
}

@Suite("Measured bit rates")
struct BitRateTests {
    @Test func peakAndAverage() {
        let rates = PlaylistBuilder.bitRates([(bytes: 750_000, seconds: 6), (bytes: 250_000, seconds: 4), (bytes: 1_000, seconds: 0)])
        #expect(rates.peak == 1_000_000)
        #expect(rates.average == 800_000)
    }

    @Test func emptyIsZero() {
        #expect(PlaylistBuilder.bitRates([]) == (0, 0))
    }
}

@Suite("Manifest timestamps")
struct TimestampTests {
    @Test func iso8601() {
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.iso8601(Date(timeIntervalSince1970: 1_795_000_000.7)) == "2026-11-18T11:06:40Z")
    }
}
