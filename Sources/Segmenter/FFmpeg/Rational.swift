import CFFmpeg

/// An exact fraction, FFmpeg's `AVRational` as a Swift value.
public struct Rational: Sendable, Hashable, Codable, CustomStringConvertible {
    public var numerator: Int32
    public var denominator: Int32

    public init(_ numerator: Int32, _ denominator: Int32) {
        self.numerator = numerator
        self.denominator = denominator
    }

    init(_ value: AVRational) {
        self.init(value.num, value.den)
    }

    var avRational: AVRational { AVRational(num: numerator, den: denominator) }

    /// Zero when the denominator is zero, as FFmpeg treats "unknown" (0/0).
    public var doubleValue: Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }

    /// True when FFmpeg left it unset (0/0 or n/0).
    public var isUnknown: Bool { denominator == 0 || numerator == 0 }

    public var description: String { "\(numerator)/\(denominator)" }
}
