import HLSPlaylist

/// The segment durations an ingest will produce, worked out before muxing, so a growing
/// `EVENT` playlist can declare an `EXT-X-TARGETDURATION` it never has to change
/// (RFC 8216 §6.2.1 forbids changing it).
///
/// Pure: fed keyframe times from a packet scan, it replays ``SegmentPlanner`` exactly as the
/// ingest will run it.
public struct SegmentForecast: Sendable, Equatable {
    /// Planned segment durations, in seconds.
    public let durations: [Double]
    /// The target duration to declare.
    public let targetDuration: Int

    /// Slack added before rounding: the last segment's end is the container's declared
    /// duration, which can differ from the packets' by a frame or two.
    static let margin = 0.1

    /// Segments of a video input cut on `keyframes` (seconds from the origin, in order) and
    /// ending at `end`.
    public init(keyframes: [Double], end: Double, segmentDuration: Double) {
        var planner = SegmentPlanner(duration: segmentDuration)
        planner.start(at: 0)
        // The first segment starts at 0, like the ingest's, whatever its first keyframe's time.
        var starts = [0.0]
        for time in keyframes.dropFirst() where planner.shouldCut(atCutPoint: time) {
            starts.append(time)
        }
        var durations = zip(starts.dropFirst(), starts).map { $0 - $1 }
        durations.append(max(0, end - starts[starts.count - 1]))
        self.durations = durations
        targetDuration = Self.target(forLongest: durations.max() ?? segmentDuration)
    }

    /// An input whose keyframes cannot be known in advance (standard input) or that has no
    /// video (every audio packet is a cut point): segments last about `segmentDuration`.
    public init(segmentDuration: Double) {
        durations = []
        targetDuration = Self.target(forLongest: segmentDuration)
    }

    private static func target(forLongest duration: Double) -> Int {
        MediaPlaylist.minimumTargetDuration(forSegmentDurations: [duration + margin])
    }
}
