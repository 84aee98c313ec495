/// A box's four-character type (ISO/IEC 14496-12 §4.2): `moov`, `mdat`, `moof`.
public struct BoxType: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The four bytes as they appear in the file, read big-endian.
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The type spelled by four bytes.
    public init(_ bytes: some Collection<UInt8>) {
        precondition(bytes.count == 4, "a box type is four bytes")
        rawValue = bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A type written as its four ASCII characters: `"moov"`.
    public init(stringLiteral value: String) {
        self.init(Array(value.utf8))
    }

    /// The four characters, bytes outside printable ASCII shown as `.`.
    public var description: String {
        let bytes = (0..<4).reversed().map { UInt8(truncatingIfNeeded: rawValue >> (8 * UInt32($0))) }
        return String(decoding: bytes.map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
    }
}
