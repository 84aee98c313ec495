import CFFmpeg

/// SMPTE ST 2086 mastering display colour volume: the display an HDR10 master was graded on
/// (FFmpeg's `AVMasteringDisplayMetadata`, HEVC's mastering display SEI, MP4's `mdcv`).
public struct MasteringDisplay: Sendable, Hashable {
    /// A CIE 1931 xy chromaticity.
    public struct Chromaticity: Sendable, Hashable {
        public var x: Rational
        public var y: Rational

        public init(x: Rational, y: Rational) {
            self.x = x
            self.y = y
        }
    }

    public var red: Chromaticity
    public var green: Chromaticity
    public var blue: Chromaticity
    public var whitePoint: Chromaticity
    /// Darkest luminance of the display, in cd/m².
    public var minLuminance: Rational
    /// Brightest luminance of the display, in cd/m².
    public var maxLuminance: Rational

    public init(red: Chromaticity, green: Chromaticity, blue: Chromaticity, whitePoint: Chromaticity, minLuminance: Rational, maxLuminance: Rational) {
        self.red = red
        self.green = green
        self.blue = blue
        self.whitePoint = whitePoint
        self.minLuminance = minLuminance
        self.maxLuminance = maxLuminance
    }

    /// The metadata FFmpeg holds, nil unless it has both the primaries and the luminances
    /// (the SEI, and so x265's `master-display`, needs all of them).
    init?(_ metadata: AVMasteringDisplayMetadata) {
        guard metadata.has_primaries != 0, metadata.has_luminance != 0 else { return nil }
        let primaries = metadata.display_primaries  // red, green, blue
        func point(_ xy: (AVRational, AVRational)) -> Chromaticity { Chromaticity(x: Rational(xy.0), y: Rational(xy.1)) }
        self.init(
            red: point(primaries.0), green: point(primaries.1), blue: point(primaries.2), whitePoint: point(metadata.white_point),
            minLuminance: Rational(metadata.min_luminance), maxLuminance: Rational(metadata.max_luminance)
        )
    }

    /// x265's `master-display` value, `G(x,y)B(x,y)R(x,y)WP(x,y)L(max,min)`, in the units of the
    /// HEVC SEI: chromaticities in steps of 0.00002, luminances in steps of 0.0001 cd/m²
    /// (each rounded to the nearest step).
    public var x265Value: String {
        func point(_ value: Chromaticity) -> String { "(\(Self.steps(value.x, per: 50_000)),\(Self.steps(value.y, per: 50_000)))" }
        let luminance = "L(\(Self.steps(maxLuminance, per: 10_000)),\(Self.steps(minLuminance, per: 10_000)))"
        return "G" + point(green) + "B" + point(blue) + "R" + point(red) + "WP" + point(whitePoint) + luminance
    }

    /// `value` counted in steps of 1/`per`, rounded to the nearest (0 for an unknown or negative value).
    private static func steps(_ value: Rational, per unitsPerOne: Int64) -> Int64 {
        guard value.denominator > 0, value.numerator > 0 else { return 0 }
        let denominator = Int64(value.denominator)
        return (Int64(value.numerator) * unitsPerOne + denominator / 2) / denominator
    }
}

/// CTA-861.3 content light levels (FFmpeg's `AVContentLightMetadata`, HEVC's content light
/// level SEI, MP4's `clli`), in cd/m²; 0 means unknown.
public struct ContentLightLevel: Sendable, Hashable {
    /// MaxCLL: the brightest pixel of the whole programme.
    public var maxContentLightLevel: Int
    /// MaxFALL: the brightest frame of the programme, by its average light level.
    public var maxFrameAverageLightLevel: Int

    public init(maxContentLightLevel: Int, maxFrameAverageLightLevel: Int) {
        self.maxContentLightLevel = maxContentLightLevel
        self.maxFrameAverageLightLevel = maxFrameAverageLightLevel
    }

    init(_ metadata: AVContentLightMetadata) {
        self.init(maxContentLightLevel: Int(metadata.MaxCLL), maxFrameAverageLightLevel: Int(metadata.MaxFALL))
    }

    /// x265's `max-cll` value: `MaxCLL,MaxFALL`, each clamped to the SEI's 16 bits.
    public var x265Value: String {
        func clamped(_ value: Int) -> Int { min(max(value, 0), Int(UInt16.max)) }
        return "\(clamped(maxContentLightLevel)),\(clamped(maxFrameAverageLightLevel))"
    }
}
