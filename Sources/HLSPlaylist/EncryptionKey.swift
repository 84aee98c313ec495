/// `EXT-X-KEY` (RFC 8216 §4.3.2.4): how the media segments that follow it, up to the next
/// `EXT-X-KEY`, are encrypted, and where the key is.
///
/// With `METHOD=AES-128` each segment is encrypted whole with AES-128-CBC and PKCS#7 padding
/// (§5.2); the IV is ``iv`` when given, else the segment's media sequence number.
public struct EncryptionKey: Sendable, Hashable {
    /// `METHOD`: an enumerated string.
    public struct Method: RawRepresentable, Sendable, Hashable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let none = Method(rawValue: "NONE")
        public static let aes128 = Method(rawValue: "AES-128")
        public static let sampleAES = Method(rawValue: "SAMPLE-AES")
        public static let sampleAESCTR = Method(rawValue: "SAMPLE-AES-CTR")
        /// The methods RFC 8216 and its second edition define.
        public static let known: Set<Method> = [.none, .aes128, .sampleAES, .sampleAESCTR]
    }

    public var method: Method
    /// `URI` of the key, relative to the playlist; required unless the method is `NONE`.
    public var uri: String?
    /// `IV`: the 128-bit initialization vector, 16 bytes (`IV=0x` and 32 hexadecimal digits).
    public var iv: [UInt8]?
    /// `KEYFORMAT`; absent means `identity` (the key file holds the 16 key bytes).
    public var keyFormat: String?
    /// `KEYFORMATVERSIONS`.
    public var keyFormatVersions: String?

    public init(method: Method, uri: String? = nil, iv: [UInt8]? = nil, keyFormat: String? = nil, keyFormatVersions: String? = nil) {
        self.method = method
        self.uri = uri
        self.iv = iv
        self.keyFormat = keyFormat
        self.keyFormatVersions = keyFormatVersions
    }

    /// `0x` and the IV's 32 lowercase hexadecimal digits.
    public static func hexadecimal(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]("0x".utf8)
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]] }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of a hexadecimal-sequence (`0x` or `0X`, then an even number of digits); nil
    /// when `text` is not one.
    public static func bytes(hexadecimal text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count > 2, utf8[0] == UInt8(ascii: "0"), utf8[1] | 0x20 == UInt8(ascii: "x"), utf8.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        var index = 2
        while index < utf8.count {
            guard let high = HexadecimalDigit.value(utf8[index]), let low = HexadecimalDigit.value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

}

/// A hexadecimal digit's value: one place for the playlist's hexadecimal-sequences and the
/// server's percent-decoding.
public enum HexadecimalDigit {
    /// 0-15 for `0-9`, `a-f`, `A-F`; nil for any other byte.
    @inlinable
    public static func value(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
