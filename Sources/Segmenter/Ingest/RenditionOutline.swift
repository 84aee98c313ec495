/// What one rendition of an asset is, fixed before its first segment: enough to write its
/// entries in the master playlist and the manifest.
struct RenditionOutline: Sendable {
    /// The rendition's directory: `copy`, `720p`, `audio`.
    var name: String
    /// RFC 6381 strings of the rendition's own streams.
    var codecs: [String]
    var width: Int?
    var height: Int?
    var frameRate: Double?
    /// Video renditions get an I-frame playlist.
    var hasVideo: Bool
    /// An alternate rendition (`EXT-X-MEDIA`) in this group; nil for a variant.
    var group: String? = nil
    /// A variant whose audio comes from this group of alternate renditions.
    var audioGroup: String? = nil
    /// Audio channels (an alternate audio rendition's `CHANNELS`).
    var channels: Int? = nil
    /// Bits per second the rendition should peak at (a container's or an encoder's figure): a
    /// floor for BANDWIDTH while only a few segments are measured.
    var nominalBitRate: Int? = nil

    var playlist: String { "\(name)/index.m3u8" }
    var iFramePlaylist: String? { hasVideo ? "\(name)/iframes.m3u8" : nil }
}

/// What a rendition's writer has completed so far.
struct RenditionSegments: Sendable {
    var segments: [SegmentRecord] = []
    var initSection: (uri: String, offset: Int64, length: Int64)?
}
