/// One line of a playlist, classified the way RFC 8216 §4.1 does: a line is a
/// tag (starts with `#EXT`), a comment (any other `#` line), a URI, or blank.
///
/// The parsers and the validator share this lexer so that line numbers agree.
struct PlaylistLine: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case blank
        case comment
        /// `name` is without the `#` (e.g. `EXTINF`); `value` is what follows the first `:`.
        case tag(name: String, value: String?)
        case uri(String)
    }

    /// 1-based line number.
    var number: Int
    /// The line without its terminator and surrounding spaces.
    var text: String
    var kind: Kind

    var tagName: String? {
        if case .tag(let name, _) = kind { return name }
        return nil
    }
}

/// Splits playlist text into lines.
struct PlaylistLexer: Sendable {
    var lines: [PlaylistLine] = []
    /// The text started with a UTF-8 byte order mark (forbidden by RFC 8216 §4.1, stripped here).
    var hasByteOrderMark = false

    init(_ text: String) {
        var text = Substring(text)
        if text.unicodeScalars.first == "\u{FEFF}" {
            hasByteOrderMark = true
            text = Substring(text.unicodeScalars.dropFirst())
        }
        // Split on the LF byte rather than on Characters: Swift treats "\r\n" as a
        // single Character, so splitting on "\n" Characters would miss CRLF lines.
        var number = 0
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var line = Substring(rawLine)
            while let last = line.utf8.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") {
                line = Substring(line.utf8.dropLast())
            }
            while let first = line.utf8.first, first == UInt8(ascii: " ") {
                line = Substring(line.utf8.dropFirst())
            }
            lines.append(PlaylistLine(number: number, text: String(line), kind: Self.classify(line)))
        }
        // A final newline does not start another line.
        if let last = lines.last, last.kind == .blank, last.number > 1 { lines.removeLast() }
    }

    private static func classify(_ line: Substring) -> PlaylistLine.Kind {
        if line.isEmpty { return .blank }
        guard line.utf8.first == UInt8(ascii: "#") else { return .uri(String(line)) }
        guard line.utf8.starts(with: "#EXT".utf8) else { return .comment }
        let body = line.utf8.dropFirst()
        if let colon = body.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(Substring(body[..<colon]))
            let value = String(Substring(body[body.index(after: colon)...]))
            return .tag(name: name, value: value)
        }
        return .tag(name: String(Substring(body)), value: nil)
    }
}
