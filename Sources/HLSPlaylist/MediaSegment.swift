/// One Media Segment of a ``MediaPlaylist``: its `EXTINF`, the segment tags that
/// precede its URI, and the URI line itself.
public struct MediaSegment: Sendable, Hashable {
    /// URI of the segment, relative to the playlist.
    public var uri: String
    /// Duration in seconds (`EXTINF`). Written rounded to the microsecond.
    public var duration: Double
    /// The `EXTINF` title; empty when absent.
    public var title: String
    /// `EXT-X-BYTERANGE`: the part of `uri` holding this segment; `nil` means the whole resource.
    public var byteRange: ByteRange?
    /// `EXT-X-DISCONTINUITY` precedes this segment.
    public var discontinuity: Bool
    /// An `EXT-X-MAP` that takes effect from this segment on, replacing the
    /// playlist's ``MediaPlaylist/map``. Leave `nil` on the first segment and set
    /// ``MediaPlaylist/map`` instead: a map written before the first segment is
    /// parsed back as the playlist's map.
    public var map: MediaInitializationSection?
    /// An `EXT-X-KEY` written just before this segment: it applies to this segment and the
    /// ones after it, up to the next segment that has one.
    public var key: EncryptionKey?
    /// Unrecognised tag lines (verbatim, e.g. `#EXT-X-PROGRAM-DATE-TIME:…`) found
    /// between the previous segment's URI and this one's. They are written just
    /// before this segment's `EXTINF`.
    public var unknownTags: [String]
    /// `EXT-X-PART`s of this segment (Low-Latency HLS), in order; written before its `EXTINF`.
    public var parts: [PartialSegment]

    /// Creates a media segment.
    public init(
        uri: String,
        duration: Double,
        title: String = "",
        byteRange: ByteRange? = nil,
        discontinuity: Bool = false,
        map: MediaInitializationSection? = nil,
        key: EncryptionKey? = nil,
        unknownTags: [String] = [],
        parts: [PartialSegment] = []
    ) {
        self.uri = uri
        self.duration = duration
        self.title = title
        self.byteRange = byteRange
        self.discontinuity = discontinuity
        self.map = map
        self.key = key
        self.unknownTags = unknownTags
        self.parts = parts
    }
}
