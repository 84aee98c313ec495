/// Why a playlist could not be parsed, and on which line.
public struct PlaylistParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// The first line is not `#EXTM3U`.
        case missingHeader
        /// The bytes are not UTF-8 text.
        case invalidEncoding
        /// A tag the playlist must contain is absent (e.g. `EXT-X-TARGETDURATION`).
        case missingTag(String)
        /// A tag's value is malformed (e.g. `#EXT-X-TARGETDURATION:six`).
        case malformedValue(tag: String, value: String)
        /// A tag's attribute list cannot be read.
        case malformedAttributeList(tag: String, detail: String)
        /// A required attribute is absent (e.g. `BANDWIDTH` of `EXT-X-STREAM-INF`).
        case missingAttribute(tag: String, attribute: String)
        /// An attribute has a value outside its type or enumeration.
        case invalidAttributeValue(tag: String, attribute: String, value: String)
        /// `EXTINF` or `EXT-X-STREAM-INF` is not followed by its URI line.
        case missingURI(tag: String)
        /// A URI line with no `EXTINF` (media) or `EXT-X-STREAM-INF` (multivariant) before it.
        case orphanURI(String)
        /// A tag that belongs to the other kind of playlist.
        case wrongPlaylistKind(tag: String)
        /// The text is neither recognisably a media nor a multivariant playlist.
        case unknownPlaylistKind
    }

    /// 1-based line number the error was found on.
    public var line: Int
    /// What went wrong.
    public var reason: Reason

    /// Creates a parse error.
    public init(line: Int, reason: Reason) {
        self.line = line
        self.reason = reason
    }

    /// A one-line explanation without the line number.
    public var message: String {
        switch reason {
        case .missingHeader: "first line is not #EXTM3U"
        case .invalidEncoding: "playlist is not UTF-8 text"
        case .missingTag(let tag): "missing #\(tag)"
        case .malformedValue(let tag, let value): "malformed #\(tag) value \"\(value)\""
        case .malformedAttributeList(let tag, let detail): "malformed #\(tag) attribute list: \(detail)"
        case .missingAttribute(let tag, let attribute): "#\(tag) lacks the required \(attribute) attribute"
        case .invalidAttributeValue(let tag, let attribute, let value):
            "#\(tag) has an invalid \(attribute) value \"\(value)\""
        case .missingURI(let tag): "#\(tag) is not followed by a URI line"
        case .orphanURI(let uri):
            "URI line \"\(uri)\" is not preceded by #EXTINF or #EXT-X-STREAM-INF"
        case .wrongPlaylistKind(let tag): "#\(tag) does not belong in this kind of playlist"
        case .unknownPlaylistKind: "cannot tell whether this is a media or a multivariant playlist"
        }
    }

    /// `line N: message`.
    public var description: String { "line \(line): \(message)" }
}
