/// A `decimal-resolution` (RFC 8216 §4.2): the `RESOLUTION=WxH` attribute.
public struct Resolution: Sendable, Hashable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// Creates a resolution.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `<width>x<height>`; `nil` when malformed.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let width = DecimalNumber.integer(parts[0]),
              let height = DecimalNumber.integer(parts[1])
        else { return nil }
        self.init(width: width, height: height)
    }

    /// The attribute value, `WxH`.
    public var rendered: String { "\(max(0, width))x\(max(0, height))" }
}
