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
    static let tagsWithURI: [[UInt8]] = [
        "#EXT-X-MEDIA", "#EXT-X-I-FRAME-STREAM-INF", "#EXT-X-MAP", "#EXT-X-KEY", "#EXT-X-SESSION-KEY",
        "#EXT-X-PART", "#EXT-X-PRELOAD-HINT", "#EXT-X-RENDITION-REPORT",
    ].map { Array($0.utf8) }

    private typealias Bytes = ArraySlice<UInt8>
    private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r"), quote = UInt8(ascii: "\"")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), comma = UInt8(ascii: ","), equals = UInt8(ascii: "=")

    /// `text` with `query` (`exp=…&scope=…&sig=…`) added to every URI it names.
    public static func rewrite(_ text: String, query: String) -> String {
        String(decoding: rewrite(bytes: Array(text.utf8), query: Array(query.utf8)), as: UTF8.self)
    }

    /// ``rewrite(_:query:)`` on a playlist's bytes: what the server does per signed request, a
    /// pass over bytes (a Character-by-Character one served a fifth as many playlists).
    public static func rewrite(bytes text: [UInt8], query: [UInt8]) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(text.count + 64 * (query.count + 1))
        var lineStart = text.startIndex
        while lineStart <= text.endIndex {
            let end = text[lineStart...].firstIndex(of: newline) ?? text.endIndex
            var line = text[lineStart..<end]
            let hasCR = line.last == carriageReturn
            if hasCR { line = line.dropLast() }
            rewriteLine(line, query: query, into: &output)
            if hasCR { output.append(carriageReturn) }
            guard end < text.endIndex else { break }
            output.append(newline)
            lineStart = end + 1
        }
        return output
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// One line, without its line ending.
    private static func rewriteLine(_ line: Bytes, query: [UInt8], into output: inout [UInt8]) {
        if line.allSatisfy(isBlank) { return output.append(contentsOf: line) }
        guard line.first == UInt8(ascii: "#") else {
            let leading = line.prefix(while: isBlank).count
            let trailing = line.reversed().prefix(while: isBlank).count
            output.append(contentsOf: line.prefix(leading))
            appendSigned(line.dropFirst(leading).dropLast(trailing), query: query, into: &output)
            return output.append(contentsOf: line.suffix(trailing))
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), tagsWithURI.contains(where: { $0.elementsEqual(line[..<colon]) }) else {
            return output.append(contentsOf: line)
        }
        output.append(contentsOf: line[...colon])
        rewriteAttributes(line[(colon + 1)...], query: query, into: &output)
    }

    /// An attribute list (RFC 8216 §4.2) with its `URI` value signed; quoted values may hold
    /// commas and `=`, so the list is walked attribute by attribute.
    private static func rewriteAttributes(_ list: Bytes, query: [UInt8], into output: inout [UInt8]) {
        var rest = list
        while let equalsAt = rest.firstIndex(of: equals) {
            let name = rest[..<equalsAt].drop(while: { $0 == space })
            output.append(contentsOf: rest[...equalsAt])
            rest = rest[(equalsAt + 1)...]
            let close = rest.first == quote ? rest.dropFirst().firstIndex(of: quote) : nil
            let value = close.map { rest[...$0] } ?? rest.prefix { $0 != comma }
            if close != nil, name.elementsEqual("URI".utf8) {
                output.append(quote)
                appendSigned(value.dropFirst().dropLast(), query: query, into: &output)
                output.append(quote)
            } else {
                output.append(contentsOf: value)
            }
            rest = rest[value.endIndex...]
            // Up to and including the next comma: the next attribute starts after it.
            guard let commaAt = rest.firstIndex(of: comma) else { break }
            output.append(contentsOf: rest[...commaAt])
            rest = rest[(commaAt + 1)...]
        }
        output.append(contentsOf: rest)
    }

    /// `uri` with `query` added, unless it names another server (a scheme, or `//host`).
    public static func signed(_ uri: Substring, query: String) -> String {
        var output = [UInt8]()
        appendSigned(ArraySlice(uri.utf8), query: Array(query.utf8), into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func appendSigned(_ uri: Bytes, query: [UInt8], into output: inout [UInt8]) {
        if uri.isEmpty || uri.starts(with: "//".utf8) || hasScheme(uri) { return output.append(contentsOf: uri) }
        let fragment = uri.firstIndex(of: UInt8(ascii: "#"))
        let resource = fragment.map { uri[..<$0] } ?? uri
        output.append(contentsOf: resource)
        if !resource.contains(UInt8(ascii: "?")) {
            output.append(UInt8(ascii: "?"))
        } else if resource.last != UInt8(ascii: "?") && resource.last != UInt8(ascii: "&") {
            output.append(UInt8(ascii: "&"))
        }
        output.append(contentsOf: query)
        if let fragment { output.append(contentsOf: uri[fragment...]) }
    }

    /// RFC 3986 §3.1: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"` before any `/`, `?` or `#`.
    static func hasScheme(_ uri: some Collection<UInt8>) -> Bool {
        func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        guard let first = uri.first, isAlpha(first) else { return false }
        for byte in uri.dropFirst() {
            if byte == UInt8(ascii: ":") { return true }
            let allowed = isAlpha(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            if !allowed { return false }
        }
        return false
    }
}
