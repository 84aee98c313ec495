/// The layout of a `multipart/byteranges` body (RFC 9110 §14.6): part headers interleaved
/// with file bytes, so the body can stream from disk.
public struct MultipartByteRanges: Sendable, Hashable {
    public let boundary: String
    public let ranges: [Range<Int64>]
    public let size: Int64
    public let partContentType: String

    public init(ranges: [Range<Int64>], size: Int64, partContentType: String, boundary: String = MultipartByteRanges.randomBoundary()) {
        self.ranges = ranges
        self.size = size
        self.partContentType = partContentType
        self.boundary = boundary
    }

    /// 32 random characters from the boundary alphabet.
    public static func randomBoundary() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    /// The response's Content-Type.
    public var contentType: String { "multipart/byteranges; boundary=\(boundary)" }

    /// The text before part `index`'s bytes.
    public func header(ofPart index: Int) -> String {
        let range = ranges[index]
        return "\r\n--\(boundary)\r\nContent-Type: \(partContentType)\r\nContent-Range: \(ContentRange.bytes(range, size: size))\r\n\r\n"
    }

    /// The text after the last part.
    public var closing: String { "\r\n--\(boundary)--\r\n" }

    /// The exact body length, for Content-Length.
    public var contentLength: Int64 {
        ranges.indices.reduce(Int64(closing.utf8.count)) { $0 + Int64(header(ofPart: $1).utf8.count) + Int64(ranges[$1].count) }
    }
}

/// Content-Range values (RFC 9110 §14.4).
public enum ContentRange {
    /// `bytes first-last/size`.
    public static func bytes(_ range: Range<Int64>, size: Int64) -> String {
        // Written digit by digit into one buffer: this is on every 206's path, and interpolating
        // three integers costs several times as much.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 72) { text in
            var count = 0
            func append(_ byte: UInt8) {
                text[count] = byte
                count += 1
            }
            func append(_ value: Int64) {
                let start = count
                var rest = UInt64(max(value, 0))
                repeat {
                    append(UInt8(ascii: "0") + UInt8(rest % 10))
                    rest /= 10
                } while rest > 0
                text[start..<count].reverse()
            }
            for byte in "bytes ".utf8 { append(byte) }
            append(range.lowerBound)
            append(UInt8(ascii: "-"))
            append(range.upperBound - 1)
            append(UInt8(ascii: "/"))
            append(size)
            return String(decoding: UnsafeBufferPointer(rebasing: text[..<count]), as: UTF8.self)
        }
    }

    /// `bytes */size`, for 416.
    public static func unsatisfied(size: Int64) -> String { "bytes */\(size)" }
}
