/// Decides where media segments end, on a cumulative grid of the target duration.
///
/// Segment k ends at the first cut point (a video keyframe, or any audio packet in an
/// audio-only input) at or after `origin + (k + 1) × duration`, so rounding never drifts
/// across a long input. When cut points are sparser than the grid, the grid points a
/// segment swallowed are skipped rather than producing a run of tiny segments.
public struct SegmentPlanner: Sendable {
    /// The configured segment duration, in seconds.
    public let duration: Double
    /// The time of the first packet seen; grid points are measured from it.
    public private(set) var origin: Double?
    /// How many grid intervals have been closed so far.
    public private(set) var closedIntervals = 0

    // Timestamps are exact in their time base but arrive here as Double seconds; this
    // tolerance keeps a keyframe at exactly 6.000 s from missing the 6 s grid point.
    private let tolerance = 1e-6

    public init(duration: Double) {
        precondition(duration > 0, "segment duration must be positive")
        self.duration = duration
    }

    /// The time the current segment should end at or after.
    public var nextBoundary: Double? {
        origin.map { $0 + Double(closedIntervals + 1) * duration }
    }

    /// Notes the start of the input (the earliest timestamp of the first packet).
    public mutating func start(at time: Double) {
        if origin == nil { origin = time }
    }

    /// Whether a new segment starts with the packet at `time` (a cut point).
    public mutating func shouldCut(atCutPoint time: Double) -> Bool {
        guard let origin else {
            self.origin = time
            return false
        }
        guard let boundary = nextBoundary, time >= boundary - tolerance else { return false }
        closedIntervals = max(closedIntervals + 1, Int(((time - origin) / duration + tolerance).rounded(.down)))
        return true
    }
}
