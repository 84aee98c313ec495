/// Where a transcoded rendition's segments begin, so every rendition of a ladder cuts at the
/// same instants.
///
/// Fed the presentation times of a stream in order, it says which one starts a new segment:
/// the first at or after each boundary. Boundaries lie on the grid of the segment duration
/// (a transcode-only ladder, where Reel forces an IDR at each), or are the cut points that the
/// `copy` rendition chose on the input's own keyframes (`append`ed as it decides them).
///
/// Pure: no FFmpeg, tested on its own.
struct CutSchedule: Sendable {
    private enum Source: Sendable {
        case grid(SegmentPlanner)
        case explicit(cuts: [Double], next: Int)
    }

    private var source: Source
    /// A time within this much before a boundary counts as reaching it: timestamps converted
    /// from different time bases differ by rounding.
    let tolerance: Double

    /// Boundaries every `duration` seconds from 0.
    static func grid(duration: Double) -> CutSchedule {
        var planner = SegmentPlanner(duration: duration)
        planner.start(at: 0)
        return CutSchedule(source: .grid(planner), tolerance: 1e-6)
    }

    /// Boundaries given one by one with `append`; `tolerance` should be under half a frame.
    static func explicit(tolerance: Double) -> CutSchedule {
        CutSchedule(source: .explicit(cuts: [], next: 0), tolerance: tolerance)
    }

    /// Adds the next boundary (after every boundary appended before).
    mutating func append(_ time: Double) {
        guard case .explicit(var cuts, let next) = source else { return }
        cuts.append(time)
        source = .explicit(cuts: cuts, next: next)
    }

    /// Whether the sample at `time` (times in increasing order) is the first at or after a
    /// boundary not yet reached. Boundaries passed over together start one segment.
    mutating func startsSegment(at time: Double) -> Bool {
        switch source {
        case .grid(var planner):
            let cut = planner.shouldCut(atCutPoint: time)
            source = .grid(planner)
            return cut
        case .explicit(let cuts, var next):
            guard next < cuts.count, time >= cuts[next] - tolerance else { return false }
            while next < cuts.count, time >= cuts[next] - tolerance { next += 1 }
            source = .explicit(cuts: cuts, next: next)
            return true
        }
    }
}
