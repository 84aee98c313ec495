/// Drops pictures so a rendition's frame rate stays at or under a cap (60 fps for the ladder),
/// keeping every picture that must start a segment.
///
/// Pure: fed presentation times in increasing order.
struct FrameRateLimit: Sendable {
    /// The shortest spacing kept, in seconds.
    let interval: Double
    private var lastKept: Double?

    init(maximumRate: Double) {
        interval = 1 / maximumRate
    }

    /// Whether the picture at `time` is kept. A picture that starts a segment always is.
    mutating func admits(_ time: Double, startsSegment: Bool) -> Bool {
        // A thousandth of a frame of slack: 1/60 s steps in a 1/90000 time base are not exact.
        if startsSegment || lastKept.map({ time - $0 >= interval * 0.999 }) ?? true {
            lastKept = time
            return true
        }
        return false
    }
}
