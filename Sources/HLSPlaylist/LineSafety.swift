/// Keeps rendered playlists well-formed whatever strings the model holds: no value
/// may add a line, turn a URI line into a comment, or end a quoted-string early.
enum LineSafety {
    /// Replaces line breaks so a title cannot split its `EXTINF` line.
    static func singleLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return text }
        return String(text.unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : Character($0) })
    }

    /// A URI line: percent-escapes line breaks, and a leading `#` (which would turn
    /// the line into a comment), so the line structure survives any input.
    static func uriLine(_ uri: String) -> String {
        var result = ""
        for scalar in uri.unicodeScalars {
            switch scalar {
            case "\n": result += "%0A"
            case "\r": result += "%0D"
            case "#" where result.isEmpty: result += "%23"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A URI inside a quoted-string attribute: percent-escapes `"` and line breaks.
    static func uriAttribute(_ uri: String) -> String {
        guard uri.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else { return uri }
        var result = ""
        for scalar in uri.unicodeScalars {
            switch scalar {
            case "\"": result += "%22"
            case "\n": result += "%0A"
            case "\r": result += "%0D"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// An unknown tag kept verbatim; dropped if it is not a single `#EXT` line.
    static func tagLine(_ tag: String) -> String {
        guard tag.hasPrefix("#EXT"), !tag.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return "" }
        return tag + "\n"
    }
}
