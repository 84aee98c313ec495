import Foundation

/// Which kind of playlist a text is.
public enum PlaylistKind: String, Sendable, Hashable, CaseIterable {
    /// A media playlist: segments (`EXTINF`, `EXT-X-TARGETDURATION`, …).
    case media
    /// A multivariant (master) playlist: variants and renditions.
    case multivariant

    /// Tells the kind of `text` from its tags, without parsing values: any
    /// `EXT-X-STREAM-INF`, `EXT-X-I-FRAME-STREAM-INF`, `EXT-X-MEDIA` or
    /// `EXT-X-SESSION-*` tag means multivariant, else any media playlist or media
    /// segment tag means media. `nil` when neither appears (the `#EXTM3U` header is
    /// not required here).
    public static func detect(_ text: String) -> PlaylistKind? {
        detect(PlaylistLexer(text))
    }

    static func detect(_ lexer: PlaylistLexer) -> PlaylistKind? {
        var sawMediaTag = false
        for line in lexer.lines {
            guard let name = line.tagName else { continue }
            if PlaylistTags.multivariantOnly.contains(name) { return .multivariant }
            if PlaylistTags.mediaOnly.contains(name) { sawMediaTag = true }
        }
        return sawMediaTag ? .media : nil
    }
}

/// A playlist of either kind, for code that reads whatever a URL points at.
public enum Playlist: Sendable, Hashable {
    /// A media playlist.
    case media(MediaPlaylist)
    /// A multivariant (master) playlist.
    case multivariant(MultivariantPlaylist)

    /// Detects the kind (``PlaylistKind/detect(_:)``) and parses accordingly.
    public init(parsing text: String) throws(PlaylistParseError) {
        let lexer = PlaylistLexer(text)
        switch PlaylistKind.detect(lexer) {
        case .media?: self = .media(try MediaPlaylistParser(lenient: false).parse(lexer).playlist)
        case .multivariant?: self = .multivariant(try MultivariantPlaylistParser(lenient: false).parse(lexer).playlist)
        case nil:
            if lexer.lines.first?.kind != .tag(name: PlaylistTags.header, value: nil) {
                throw PlaylistParseError(line: 1, reason: .missingHeader)
            }
            throw PlaylistParseError(line: 1, reason: .unknownPlaylistKind)
        }
    }

    /// Parses UTF-8 playlist data; see `init(parsing:)` (text).
    public init(parsing data: Data) throws(PlaylistParseError) {
        guard let text = String(data: data, encoding: .utf8) else {
            throw PlaylistParseError(line: 1, reason: .invalidEncoding)
        }
        try self.init(parsing: text)
    }

    /// The kind of this playlist.
    public var kind: PlaylistKind {
        switch self {
        case .media: .media
        case .multivariant: .multivariant
        }
    }

    /// Renders the playlist; see ``MediaPlaylist/render()`` and ``MultivariantPlaylist/render()``.
    public func render() -> String {
        switch self {
        case .media(let playlist): playlist.render()
        case .multivariant(let playlist): playlist.render()
        }
    }
}
