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
        "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(size)"
    }

    /// `bytes */size`, for 416.
    public static func unsatisfied(size: Int64) -> String { "bytes */\(size)" }
}
