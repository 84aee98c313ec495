/// One transcoded rung as planned: its height as asked, its picture size and its bit rate.
struct LadderRung: Sendable, Hashable {
    var height: Int
    var dimensions: VideoDimensions
    /// Average video bit rate, bits per second.
    var bitRate: Int

    var name: String { RenditionLadder.name(ofHeight: height) }

    /// The highest frame rate a rung keeps.
    static let maximumFrameRate = 60

    /// The rungs' frame rate: the source's (its average, else its base rate, else 25), at most 60.
    static func outputFrameRate(source: StreamInfo) -> Rational {
        let candidates = [source.averageFrameRate, source.realFrameRate].filter { !$0.isUnknown && $0.doubleValue > 0 }
        guard let rate = candidates.first else { return Rational(25, 1) }
        return rate.doubleValue > Double(maximumFrameRate) ? Rational(Int32(maximumFrameRate), 1) : rate
    }
}
