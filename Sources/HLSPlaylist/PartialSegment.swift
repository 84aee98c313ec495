/// `EXT-X-PART` (RFC 8216bis §4.4.4.9): a partial segment of Low-Latency HLS, a piece of a
/// media segment (one or more fMP4 fragments) published before the whole segment is. The
/// parts of a segment are listed before its `EXTINF`; the parts of the segment still being
/// written follow the last complete segment (``MediaPlaylist/pendingParts``).
public struct PartialSegment: Sendable, Hashable {
    /// URI of the part, relative to the playlist.
    public var uri: String
    /// `DURATION`, in seconds: at most the playlist's `PART-TARGET`.
    public var duration: Double
    /// `INDEPENDENT=YES`: the part starts with an independent frame (a key frame).
    public var independent: Bool
    /// `BYTERANGE`: the part is this sub-range of `uri` (the growing segment's file, say).
    public var byteRange: ByteRange?
    /// `GAP=YES`: the part is not available.
    public var gap: Bool

    public init(uri: String, duration: Double, independent: Bool = false, byteRange: ByteRange? = nil, gap: Bool = false) {
        self.uri = uri
        self.duration = duration
        self.independent = independent
        self.byteRange = byteRange
        self.gap = gap
    }
}

/// `EXT-X-PRELOAD-HINT` (RFC 8216bis §4.4.5.3): a resource the server will publish next (the
/// next part), which a client may request before it exists; the server holds the request.
public struct PreloadHint: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case part = "PART"
        case map = "MAP"
    }

    public var kind: Kind
    /// URI of the resource, relative to the playlist.
    public var uri: String
    /// `BYTERANGE-START`: where the hinted bytes start in `uri` (0 when absent).
    public var byteRangeStart: Int?
    /// `BYTERANGE-LENGTH`: how many bytes; absent means to the end of the resource.
    public var byteRangeLength: Int?

    public init(kind: Kind, uri: String, byteRangeStart: Int? = nil, byteRangeLength: Int? = nil) {
        self.kind = kind
        self.uri = uri
        self.byteRangeStart = byteRangeStart
        self.byteRangeLength = byteRangeLength
    }
}

/// `EXT-X-RENDITION-REPORT` (RFC 8216bis §4.4.5.4): where another rendition of the same
/// presentation stands, so a client switching to it can ask for its next part at once.
public struct RenditionReport: Sendable, Hashable {
    /// URI of the other rendition's media playlist, relative to this playlist.
    public var uri: String
    /// `LAST-MSN`: the media sequence number of its last segment (complete or in progress).
    public var lastMediaSequence: Int?
    /// `LAST-PART`: the index of its last part within that segment.
    public var lastPart: Int?

    public init(uri: String, lastMediaSequence: Int? = nil, lastPart: Int? = nil) {
        self.uri = uri
        self.lastMediaSequence = lastMediaSequence
        self.lastPart = lastPart
    }
}
