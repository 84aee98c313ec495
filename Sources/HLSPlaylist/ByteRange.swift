/// A sub-range of a resource, as written by `EXT-X-BYTERANGE` and the `BYTERANGE`
/// attribute of `EXT-X-MAP` (RFC 8216 §4.3.2.2): `<length>[@<offset>]`.
public struct ByteRange: Sendable, Hashable {
    /// Number of bytes in the range.
    public var length: Int
    /// Offset of the first byte from the start of the resource. `nil` means the
    /// range starts right after the previous segment's sub-range of the same resource.
    public var offset: Int?

    /// Creates a byte range of `length` bytes starting at `offset` (or chained after the previous segment when `nil`).
    public init(length: Int, offset: Int? = nil) {
        self.length = length
        self.offset = offset
    }

    /// Parses `<n>[@<o>]` where both parts are decimal integers; `nil` when malformed.
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        guard let length = DecimalNumber.integer(parts[0]) else { return nil }
        var offset: Int?
        if parts.count == 2 {
            guard let value = DecimalNumber.integer(parts[1]) else { return nil }
            offset = value
        }
        self.init(length: length, offset: offset)
    }

    /// The canonical text form: `length@offset`, or `length` alone when the offset is implicit.
    public var rendered: String {
        let length = String(max(0, self.length))
        guard let offset else { return length }
        return "\(length)@\(max(0, offset))"
    }
}
