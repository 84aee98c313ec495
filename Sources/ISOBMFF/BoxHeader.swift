/// A box's header (ISO/IEC 14496-12 §4.2): its type, and where the box and its payload lie.
///
/// ```
/// size (32 bits) | type (4 bytes) [| largesize (64 bits), when size is 1]
/// ```
///
/// A size of 0 means the box runs to the end of its container (the file, for a top-level
/// box). A `uuid` box's payload begins with its 16-byte extended type.
public struct BoxHeader: Hashable, Sendable {
    public let type: BoxType
    /// The whole box, header included, as offsets in the file.
    public let range: Range<Int64>
    /// Bytes of header: 8, or 16 with a 64-bit size.
    public let headerLength: Int64

    /// The most bytes a header takes (with a 64-bit size): read this many at a box's offset
    /// (fewer are enough when the box has a 32-bit size).
    public static let maximumLength = 16

    /// The box's total size in bytes, header included.
    public var size: Int64 { range.upperBound - range.lowerBound }

    /// What follows the header: the box's fields, or its children for a container box.
    public var payload: Range<Int64> { (range.lowerBound + headerLength)..<range.upperBound }

    /// Parses the header at the start of `bytes`, those of a box at `offset` inside a container
    /// that ends at `end` (`Int64.max` when unknown).
    ///
    /// Nil when `bytes` are too few for the header, when the size is smaller than the header
    /// itself (sizes 2...7, or a largesize under 16), or when the box would run past `end`.
    public init?(_ bytes: some Collection<UInt8>, at offset: Int64, end: Int64) {
        let bytes = Array(bytes.prefix(Self.maximumLength))
        guard bytes.count >= 8, offset < end else { return nil }
        let declared = Self.integer(bytes[0..<4])
        var size: Int64
        var headerLength: Int64 = 8
        switch declared {
        case 0:
            size = end - offset
        case 1:
            guard bytes.count >= 16 else { return nil }
            size = Int64(clamping: Self.integer(bytes[8..<16]))
            headerLength = 16
        default:
            size = Int64(declared)
        }
        guard size >= headerLength, size <= end - offset else { return nil }
        self.type = BoxType(bytes[4..<8])
        self.range = offset..<(offset + size)
        self.headerLength = headerLength
    }

    /// A big-endian unsigned integer.
    private static func integer(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
