import Foundation

/// A strict reader of `multipart/byteranges` bodies (RFC 9110 §14.6), independent of the
/// server's writer, for checking what it sends.
enum MultipartByteRangesParser {
    struct Part: Equatable {
        var contentType: String?
        var contentRange: String?
        var range: ClosedRange<Int>
        var body: Data
    }

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(body: Data, contentType: String) throws -> [Part] {
        guard contentType.hasPrefix("multipart/byteranges; boundary="),
              case let boundary = String(contentType.dropFirst("multipart/byteranges; boundary=".count)), !boundary.isEmpty else {
            throw Malformed(description: "content type \(contentType)")
        }
        let bytes = [UInt8](body)
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        var index = try find(delimiter, in: bytes, from: 0)
        while true {
            index += delimiter.count
            if bytes[index...].starts(with: Array("--".utf8)) { break }
            guard bytes[index...].starts(with: [13, 10]) else { throw Malformed(description: "no CRLF after delimiter") }
            index += 2
            let headerEnd = try find([13, 10, 13, 10], in: bytes, from: index)
            let headerText = String(decoding: bytes[index..<headerEnd], as: UTF8.self)
            var headers: [String: String] = [:]
            for line in headerText.components(separatedBy: "\r\n") {
                let pieces = line.split(separator: ":", maxSplits: 1)
                guard pieces.count == 2 else { throw Malformed(description: "header line \(line)") }
                headers[pieces[0].lowercased()] = pieces[1].trimmingCharacters(in: .whitespaces)
            }
            let contentRange = headers["content-range"] ?? ""
            let numbers = contentRange.dropFirst("bytes ".count).split(whereSeparator: { $0 == "-" || $0 == "/" }).compactMap { Int($0) }
            guard numbers.count == 3 else { throw Malformed(description: "content range \(contentRange)") }
            let start = headerEnd + 4
            let end = start + numbers[1] - numbers[0] + 1
            guard end + 2 <= bytes.count, bytes[end] == 13, bytes[end + 1] == 10 else { throw Malformed(description: "part length") }
            parts.append(Part(contentType: headers["content-type"], contentRange: contentRange, range: numbers[0]...numbers[1], body: Data(bytes[start..<end])))
            index = try find(delimiter, in: bytes, from: end + 2)
            guard index == end + 2 else { throw Malformed(description: "junk between parts") }
        }
        return parts
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) throws -> Int {
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        throw Malformed(description: "delimiter not found")
    }
}
