/// Reads one HTTP/1.1 request head from raw bytes, for the fast path: strictly, and only the
/// requests the fast path answers (a GET or HEAD with no body). Anything else, or anything
/// unusual, is `.unsupported`, and the request goes to the full decoder (SwiftNIO's llhttp),
/// which accepts or rejects it by the book. Accepting less than RFC 9112 allows is always
/// safe here; accepting more never is, so every rule below errs toward `.unsupported`.
///
/// Accepted (RFC 9112 §2.2, §3, §5): optional empty lines before the request line;
/// `METHOD SP origin-form SP HTTP/1.x CRLF`; header lines `token ":" OWS value OWS CRLF` with
/// visible characters, spaces and tabs in the value; a `CRLF` ending the head. No obs-fold, no
/// bare LF, no whitespace before a colon, no `Transfer-Encoding`, `Content-Length` only as 0,
/// no `Expect` or `Upgrade`.
///
/// Pure: no I/O, fed bytes, tested on its own and against SwiftNIO's decoder.
enum RequestScanner {
    /// A head the fast path can answer.
    struct Request: Equatable, Sendable {
        var isHead: Bool
        /// The request target as sent (path and query, still percent-encoded).
        var target: String
        /// HTTP/1.1, or HTTP/1.0.
        var isHTTP11: Bool
        /// The connection stays open after the response (RFC 9112 §9.3).
        var keepAlive: Bool
        var conditions: FileRequestHeaders
        /// Bytes the head took, empty lines before it included.
        var length: Int
    }

    enum Result: Equatable, Sendable {
        case request(Request)
        /// The head is not complete yet.
        case incomplete
        /// Not for the fast path (another method, a body, an unusual form): `length` bytes, if
        /// known, are a complete request head with no body the full decoder can take as it is.
        case unsupported(length: Int?)
    }

    /// Scans the head at the start of `bytes`.
    static func scan(_ bytes: UnsafeRawBufferPointer) -> Result {
        var position = 0
        // Empty lines before a request line are ignored (RFC 9112 §2.2).
        while position + 1 < bytes.count, bytes[position] == cr, bytes[position + 1] == lf { position += 2 }
        let requestLineEnd: Int
        switch findLineEnd(bytes, from: position) {
        case .at(let end): requestLineEnd = end
        case .incomplete: return .incomplete
        case .malformed: return .unsupported(length: nil)
        }
        guard let line = requestLine(bytes, position..<requestLineEnd) else {
            return .unsupported(length: headEnd(bytes, from: position))
        }
        var request = Request(isHead: line.isHead, target: line.target, isHTTP11: line.isHTTP11, keepAlive: line.isHTTP11, conditions: FileRequestHeaders(isHead: line.isHead), length: 0)
        var connectionClose = false
        var connectionKeepAlive = false
        position = requestLineEnd + 2
        while true {
            let end: Int
            switch findLineEnd(bytes, from: position) {
            case .at(let found): end = found
            case .incomplete: return .incomplete
            case .malformed: return .unsupported(length: nil)
            }
            if end == position {
                request.length = end + 2
                request.keepAlive = !connectionClose && (request.isHTTP11 || connectionKeepAlive)
                guard line.eligible else { return .unsupported(length: request.length) }
                return .request(request)
            }
            guard let field = headerField(bytes, position..<end) else { return .unsupported(length: nil) }
            switch field.name {
            case .transferEncoding, .expect, .upgrade:
                return .unsupported(length: nil)
            case .contentLength:
                guard field.value == "0" else { return .unsupported(length: nil) }
            case .connection:
                for option in field.value.split(separator: ",") {
                    let token = option.trimmingSpaces().lowercased()
                    if token == "close" { connectionClose = true }
                    if token == "keep-alive" { connectionKeepAlive = true }
                }
            case .range: request.conditions.range = field.value
            case .ifMatch: request.conditions.ifMatch = join(request.conditions.ifMatch, field.value)
            case .ifNoneMatch: request.conditions.ifNoneMatch = join(request.conditions.ifNoneMatch, field.value)
            case .ifModifiedSince: request.conditions.ifModifiedSince = request.conditions.ifModifiedSince ?? field.value
            case .ifUnmodifiedSince: request.conditions.ifUnmodifiedSince = request.conditions.ifUnmodifiedSince ?? field.value
            case .ifRange: request.conditions.ifRange = request.conditions.ifRange ?? field.value
            case .other: break
            }
            position = end + 2
        }
    }

    // MARK: Lines

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    private enum LineEnd {
        /// The index of the line's CR.
        case at(Int)
        case incomplete
        /// A bare CR or LF: left to the full decoder.
        case malformed
    }

    /// Where the line starting at `start` ends (its CRLF).
    private static func findLineEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> LineEnd {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == cr {
                guard index + 1 < bytes.count else { return .incomplete }
                return bytes[index + 1] == lf ? .at(index) : .malformed
            }
            if byte == lf { return .malformed }
            index += 1
        }
        return .incomplete
    }

    /// The index of the CR of the line starting at `start`, nil when it is not complete or not CRLF.
    private static func lineEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        if case .at(let end) = findLineEnd(bytes, from: start) { return end }
        return nil
    }

    /// Where a complete head ends (just after its empty line), scanning CRLF lines only.
    private static func headEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var position = start
        while let end = lineEnd(bytes, from: position) {
            if end == position { return end + 2 }
            position = end + 2
        }
        return nil
    }

    private struct RequestLine {
        var isHead: Bool
        var target: String
        var isHTTP11: Bool
        /// GET or HEAD of a file below `/hls/` or `/media/` (blocking reloads included).
        var eligible: Bool
    }

    private static func requestLine(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> RequestLine? {
        let line = bytes[range]
        guard let firstSpace = line.firstIndex(of: UInt8(ascii: " ")),
              let lastSpace = line.lastIndex(of: UInt8(ascii: " ")), lastSpace > firstSpace + 1 else { return nil }
        let method = bytes[range.lowerBound..<firstSpace]
        let version = bytes[(lastSpace + 1)..<range.upperBound]
        let targetBytes = bytes[(firstSpace + 1)..<lastSpace]
        guard version.count == 8, version.starts(with: "HTTP/1.".utf8), version.last == UInt8(ascii: "1") || version.last == UInt8(ascii: "0"),
              targetBytes.first == UInt8(ascii: "/"), targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
              method.allSatisfy(isTokenByte) else { return nil }
        let isGet = method.elementsEqual("GET".utf8)
        let isHead = method.elementsEqual("HEAD".utf8)
        let target = String(decoding: targetBytes, as: UTF8.self)
        let isFile = target.utf8.starts(with: Route.libraryPrefix.utf8) || target.utf8.starts(with: Route.mediaPrefix.utf8)
        return RequestLine(isHead: isHead, target: target, isHTTP11: version.last == UInt8(ascii: "1"), eligible: (isGet || isHead) && isFile)
    }

    // MARK: Header fields

    private enum FieldName {
        case transferEncoding, contentLength, connection, expect, upgrade
        case range, ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince, ifRange
        case other
    }

    private static let names: [(bytes: [UInt8], name: FieldName)] = {
        let spelled: [(String, FieldName)] = [
            ("transfer-encoding", .transferEncoding), ("content-length", .contentLength), ("connection", .connection),
            ("expect", .expect), ("upgrade", .upgrade), ("range", .range), ("if-match", .ifMatch),
            ("if-none-match", .ifNoneMatch), ("if-modified-since", .ifModifiedSince),
            ("if-unmodified-since", .ifUnmodifiedSince), ("if-range", .ifRange),
        ]
        return spelled.map { (Array($0.0.utf8), $0.1) }
    }()

    private static func headerField(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> (name: FieldName, value: String)? {
        let line = bytes[range]
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > range.lowerBound else { return nil }
        let nameBytes = bytes[range.lowerBound..<colon]
        guard nameBytes.allSatisfy(isTokenByte) else { return nil }
        var valueStart = colon + 1
        var valueEnd = range.upperBound
        while valueStart < valueEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
        while valueEnd > valueStart, bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let valueBytes = bytes[valueStart..<valueEnd]
        // Visible characters, spaces, tabs and obs-text; no control characters (RFC 9110 §5.5).
        guard valueBytes.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }) else { return nil }
        let name = names.first { candidate in candidate.bytes.count == nameBytes.count && equalIgnoringCase(nameBytes, candidate.bytes) }?.name ?? .other
        guard name != .other else { return (.other, "") }
        return (name, String(decoding: valueBytes, as: UTF8.self))
    }

    /// Whether `bytes` spell `lowercase` in any case (ASCII letters only are folded).
    private static func equalIgnoringCase(_ bytes: Slice<UnsafeRawBufferPointer>, _ lowercase: [UInt8]) -> Bool {
        var index = bytes.startIndex
        for expected in lowercase {
            let byte = bytes[index]
            guard byte | (byte >= 0x41 && byte <= 0x5A ? 0x20 : 0) == expected else { return false }
            index += 1
        }
        return true
    }

    /// tchar (RFC 9110 §5.6.2).
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
        default: false
        }
    }

    private static func join(_ existing: String?, _ value: String) -> String {
        existing.map { $0 + ", " + value } ?? value
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " || result.first == "\t" { result = result.dropFirst() }
        while result.last == " " || result.last == "\t" { result = result.dropLast() }
        return result
    }
}
