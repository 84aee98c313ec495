import HLSPlaylist

/// The path below a route prefix, checked so it can never name anything outside the root.
public enum RequestPath {
    /// Splits the still-percent-encoded `encoded` on "/" first, then decodes each segment once,
    /// so an encoded slash (`%2F`) can never create a segment boundary. Returns nil (404) for
    /// empty segments, `.` and `..`, dotfiles, NUL, backslashes, control characters, invalid
    /// escapes or invalid UTF-8. Double encoding (`%252e%252e`) decodes once to the literal
    /// name `%2e%2e`, which is harmless: no such file exists.
    public static func segments(_ encoded: some StringProtocol) -> [String]? {
        let encoded = Substring(encoded)
        let pieces = encoded.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard !pieces.isEmpty else { return nil }
        var segments: [String] = []
        segments.reserveCapacity(pieces.count)
        for piece in pieces {
            guard let segment = decode(Substring(piece)), isSafe(segment) else { return nil }
            segments.append(segment)
        }
        return segments
    }

    /// The segments of ``segments(_:)`` joined by "/": a path relative to a served root. A path
    /// with no escapes is checked in one pass over its bytes and used as it is.
    public static func relative(_ encoded: some StringProtocol) -> String? {
        let encoded = Substring(encoded)
        var segmentStart = true
        for byte in encoded.utf8 {
            if byte == UInt8(ascii: "%") { return segments(encoded)?.joined(separator: "/") }
            if byte == UInt8(ascii: "/") {
                // An empty segment.
                if segmentStart { return nil }
                segmentStart = true
                continue
            }
            // A dotfile (or `.` and `..`), control characters, DEL and backslashes.
            if segmentStart, byte == UInt8(ascii: ".") { return nil }
            if byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\\") { return nil }
            segmentStart = false
        }
        return segmentStart ? nil : String(encoded)
    }

    static func decode(_ piece: Substring) -> String? {
        // Most paths have no escapes at all: the bytes are the name (checked by `isSafe`).
        guard piece.utf8.contains(UInt8(ascii: "%")) else { return String(piece) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(piece.utf8.count)
        var iterator = piece.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(HexadecimalDigit.value), let low = iterator.next().flatMap(HexadecimalDigit.value) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func isSafe(_ segment: String) -> Bool {
        guard let first = segment.utf8.first, first != UInt8(ascii: ".") else { return false }
        return segment.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "\\") }
    }
}
