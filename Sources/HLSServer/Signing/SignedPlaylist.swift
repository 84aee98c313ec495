/// A playlist as served to a request that carried a signature: every URI it names carries the
/// signature's query too, so a player given one signed master plays the whole asset. Pure: a
/// function of the playlist's text.
///
/// Rewritten: URI lines, and the `URI="…"` attribute of the tags that name files
/// (`EXT-X-MEDIA`, `EXT-X-I-FRAME-STREAM-INF`, `EXT-X-MAP`, `EXT-X-KEY`, `EXT-X-SESSION-KEY`,
/// `EXT-X-PART`, `EXT-X-PRELOAD-HINT`, `EXT-X-RENDITION-REPORT`). A URI with a query gets `&`
/// and the signature, one without `?` and the signature, before any fragment. Left alone:
/// comments, blank lines, other tags and attributes, and URIs with a scheme
/// (`https://cdn.example/…`, `skd://…`) or a network-path reference (`//host/…`): they name
/// other servers, or this one by a name it cannot tell is its own. Line endings are kept.
public enum SignedPlaylist {
    /// Tags whose `URI` attribute names a file the player fetches from this server.
    static let tagsWithURI: Set<Substring> = [
        "#EXT-X-MEDIA", "#EXT-X-I-FRAME-STREAM-INF", "#EXT-X-MAP", "#EXT-X-KEY", "#EXT-X-SESSION-KEY",
        "#EXT-X-PART", "#EXT-X-PRELOAD-HINT", "#EXT-X-RENDITION-REPORT",
    ]

    /// `text` with `query` (`exp=…&scope=…&sig=…`) added to every URI it names.
    public static func rewrite(_ text: String, query: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count + 64 * query.utf8.count)
        var first = true
        // By bytes: "\r\n" is one Character, which a split on "\n" would not see.
        for bytes in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if !first { output += "\n" }
            first = false
            let hasCR = bytes.last == UInt8(ascii: "\r")
            let line = Substring(hasCR ? bytes.dropLast() : bytes)
            output += rewriteLine(line, query: query)
            if hasCR { output += "\r" }
        }
        return output
    }

    /// One line, without its line ending.
    static func rewriteLine(_ line: Substring, query: String) -> Substring {
        if line.allSatisfy({ $0 == " " || $0 == "\t" }) { return line }
        guard line.hasPrefix("#") else {
            let leading = line.prefix { $0 == " " || $0 == "\t" }
            let trailing = line.reversed().prefix { $0 == " " || $0 == "\t" }.count
            let uri = line.dropFirst(leading.count).dropLast(trailing)
            return Substring(leading + signed(uri, query: query) + line.suffix(trailing))
        }
        guard let colon = line.firstIndex(of: ":"), tagsWithURI.contains(line[..<colon]) else { return line }
        return Substring(line[...colon] + rewriteAttributes(line[line.index(after: colon)...], query: query))
    }

    /// An attribute list (RFC 8216 §4.2) with its `URI` value signed; quoted values may hold
    /// commas and `=`, so the list is walked attribute by attribute.
    static func rewriteAttributes(_ list: Substring, query: String) -> String {
        var output = ""
        var rest = list
        while let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals]
            output += rest[...equals]
            rest = rest[rest.index(after: equals)...]
            let close = rest.hasPrefix("\"") ? rest.dropFirst().firstIndex(of: "\"") : nil
            let value = close.map { rest[...$0] } ?? rest.prefix { $0 != "," }
            if close != nil, name.drop(while: { $0 == " " }) == "URI" {
                output += "\"" + signed(value.dropFirst().dropLast(), query: query) + "\""
            } else {
                output += value
            }
            rest = rest[value.endIndex...]
            // Up to and including the next comma: the next attribute starts after it.
            guard let comma = rest.firstIndex(of: ",") else { return output + rest }
            output += rest[...comma]
            rest = rest[rest.index(after: comma)...]
        }
        return output + rest
    }

    /// `uri` with `query` added, unless it names another server (a scheme, or `//host`).
    public static func signed(_ uri: Substring, query: String) -> String {
        if uri.isEmpty || uri.hasPrefix("//") || hasScheme(uri) { return String(uri) }
        let fragment = uri.firstIndex(of: "#")
        let resource = fragment.map { uri[..<$0] } ?? uri
        let separator = resource.contains("?") ? (resource.hasSuffix("?") || resource.hasSuffix("&") ? "" : "&") : "?"
        return resource + separator + query + (fragment.map { uri[$0...] } ?? "")
    }

    /// RFC 3986 §3.1: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"` before any `/`, `?` or `#`.
    static func hasScheme(_ uri: Substring) -> Bool {
        guard let first = uri.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        for scalar in uri.unicodeScalars.dropFirst() {
            if scalar == ":" { return true }
            let allowed = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "+-.".unicodeScalars.contains(scalar))
            if !allowed { return false }
        }
        return false
    }
}
