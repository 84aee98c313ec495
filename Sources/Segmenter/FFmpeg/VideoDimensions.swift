/// A picture size in pixels.
public struct VideoDimensions: Sendable, Hashable, Codable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var description: String { "\(width)x\(height)" }

    /// The size of a ladder rung `height` pixels tall cut from a `source` picture whose pixels
    /// have the shape `sampleAspectRatio`: square pixels, the source's display aspect ratio,
    /// both sides even (4:2:0 chroma needs it), each rounded to the nearest even number.
    ///
    /// - Returns: nil when the rung would upscale (it is taller than the source), or when
    ///   either size is not positive.
    ///
    /// An unknown aspect ratio (0/x or x/0) counts as square pixels. The width may exceed the
    /// source's for an anamorphic source: widening its pixels to square is not an upscale.
    public static func rung(height: Int, source: VideoDimensions, sampleAspectRatio: Rational = Rational(1, 1)) -> VideoDimensions? {
        guard height > 0, source.width > 0, source.height > 0, height <= source.height else { return nil }
        let square = sampleAspectRatio.numerator <= 0 || sampleAspectRatio.denominator <= 0
        let pixelWidth = Int64(square ? 1 : sampleAspectRatio.numerator)
        let pixelHeight = Int64(square ? 1 : sampleAspectRatio.denominator)
        // An odd requested height rounds down: rounding up could pass the source's height.
        let evenHeight = height / 2 * 2
        guard evenHeight > 0 else { return nil }
        // width = height * display aspect ratio, exactly, in integers; then to the nearest even.
        let numerator = Int64(evenHeight) * Int64(source.width) * pixelWidth
        let denominator = Int64(source.height) * pixelHeight
        let halfWidth = (numerator + denominator) / (2 * denominator)
        guard halfWidth > 0 else { return nil }
        return VideoDimensions(width: Int(halfWidth * 2), height: evenHeight)
    }
}
