/// A Multivariant (master) Playlist (RFC 8216 §4.3.4): the variants of one
/// asset, their alternative renditions and I-frame playlists.
public struct MultivariantPlaylist: Sendable, Hashable {
    /// `EXT-X-VERSION`. ``render()`` never writes less than ``minimumVersion``.
    public var version: Int
    /// `EXT-X-INDEPENDENT-SEGMENTS`, applying to every media playlist.
    public var independentSegments: Bool
    /// `EXT-X-MEDIA` renditions.
    public var media: [Rendition]
    /// `EXT-X-STREAM-INF` variants, in the order written (highest first by convention).
    public var variants: [VariantStream]
    /// `EXT-X-I-FRAME-STREAM-INF` I-frame playlists.
    public var iFrameStreams: [IFrameStream]
    /// Unrecognised tag lines, verbatim; written after the header tags.
    public var unknownTags: [String]

    /// Creates a multivariant playlist. With `version` `nil`, the version is the
    /// ``minimumVersion`` of the playlist as given.
    public init(
        version: Int? = nil,
        independentSegments: Bool = false,
        media: [Rendition] = [],
        variants: [VariantStream] = [],
        iFrameStreams: [IFrameStream] = [],
        unknownTags: [String] = []
    ) {
        self.version = 1
        self.independentSegments = independentSegments
        self.media = media
        self.variants = variants
        self.iFrameStreams = iFrameStreams
        self.unknownTags = unknownTags
        self.version = version ?? minimumVersion
    }

    /// The lowest `EXT-X-VERSION` this playlist needs (RFC 8216 §7): 7 when a
    /// rendition has an `INSTREAM-ID` of `SERVICE`n, otherwise 1. `FORCED`,
    /// `CHARACTERISTICS` and `VIDEO-RANGE` need no particular version (rfc8216bis §8
    /// names none). Tags kept verbatim in ``unknownTags`` are not considered.
    public var minimumVersion: Int {
        media.contains { $0.instreamId?.hasPrefix("SERVICE") == true } ? 7 : 1
    }
}
