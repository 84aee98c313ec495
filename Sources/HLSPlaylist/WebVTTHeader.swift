import Foundation

/// The header a WebVTT media segment needs in HLS (RFC 8216 §3.5): the `WEBVTT`
/// signature (after an optional UTF-8 byte order mark), then, among the header
/// lines before the first blank line, an `X-TIMESTAMP-MAP` that ties the cue times
/// to the MPEG-2 timestamps of the other renditions, e.g.
/// `X-TIMESTAMP-MAP=MPEGTS:900000,LOCAL:00:00:00.000` (the two in either order).
enum WebVTTHeader {
    /// What is wrong with a segment's header.
    enum Problem: Hashable, Sendable, CustomStringConvertible {
        case notUTF8
        case missingSignature
        case missingTimestampMap
        /// The `X-TIMESTAMP-MAP` line's value.
        case malformedTimestampMap(String)

        /// Completes "WebVTT segment "…" ".
        var description: String {
            switch self {
            case .notUTF8: "is not UTF-8 text"
            case .missingSignature: "does not start with WEBVTT"
            case .missingTimestampMap: "has no X-TIMESTAMP-MAP line before the first blank line"
            case .malformedTimestampMap(let value):
                "has a malformed X-TIMESTAMP-MAP=\(value) (expected MPEGTS:<integer>,LOCAL:<hh:mm:ss.mmm>)"
            }
        }

        /// The problem without its details, to group segments with the same fault.
        var kind: Kind {
            switch self {
            case .notUTF8: .notUTF8
            case .missingSignature: .missingSignature
            case .missingTimestampMap: .missingTimestampMap
            case .malformedTimestampMap: .malformedTimestampMap
            }
        }

        /// The cases of ``Problem``, without details.
        enum Kind: Hashable, Sendable {
            case notUTF8, missingSignature, missingTimestampMap, malformedTimestampMap
        }
    }

    static let timestampMapPrefix = "X-TIMESTAMP-MAP="

    /// The first problem with the header of the WebVTT file `data`, or `nil` when it is fine.
    static func problem(in data: Data) -> Problem? {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8) else { return .notUTF8 }
        // "\r\n" is a single Character, so CRLF, LF and CR all end a line.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let signature = lines.first, signature.hasPrefix("WEBVTT"),
              signature.count == 6 || signature.dropFirst(6).first.map({ $0 == " " || $0 == "\t" }) == true
        else { return .missingSignature }

        let header = lines.dropFirst().prefix { !$0.isEmpty }
        guard let line = header.first(where: { $0.hasPrefix(timestampMapPrefix) }) else { return .missingTimestampMap }
        let value = String(line.dropFirst(timestampMapPrefix.count))
        return isValidTimestampMap(value) ? nil : .malformedTimestampMap(value)
    }

    /// `MPEGTS:<non-negative integer>` and `LOCAL:<WebVTT timestamp>`, comma-separated, in either order.
    static func isValidTimestampMap(_ value: String) -> Bool {
        var mpegts = false
        var local = false
        let parts = value.split(separator: ",", omittingEmptySubsequences: false)
        for part in parts {
            if part.hasPrefix("MPEGTS:"), !mpegts {
                let digits = part.dropFirst("MPEGTS:".count)
                guard !digits.isEmpty, digits.utf8.allSatisfy(isDigit) else { return false }
                mpegts = true
            } else if part.hasPrefix("LOCAL:"), !local {
                guard isTimestamp(part.dropFirst("LOCAL:".count)) else { return false }
                local = true
            } else {
                return false
            }
        }
        return parts.count == 2 && mpegts && local
    }

    /// A WebVTT timestamp: `hh:mm:ss.ttt` (two or more hour digits) or `mm:ss.ttt`,
    /// minutes and seconds below 60.
    static func isTimestamp(_ text: Substring) -> Bool {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 2 || fields.count == 3 else { return false }
        if fields.count == 3 {
            guard fields[0].utf8.count >= 2, fields[0].utf8.allSatisfy(isDigit) else { return false }
        }
        let minutes = fields[fields.count - 2]
        let seconds = fields[fields.count - 1].split(separator: ".", omittingEmptySubsequences: false)
        guard seconds.count == 2, seconds[1].utf8.count == 3, seconds[1].utf8.allSatisfy(isDigit) else { return false }
        return isSexagesimal(minutes) && isSexagesimal(seconds[0])
    }

    /// Two digits, `00` to `59`.
    private static func isSexagesimal(_ text: Substring) -> Bool {
        text.utf8.count == 2 && text.utf8.allSatisfy(isDigit) && text.utf8.first! < UInt8(ascii: "6")
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
