/// What was written for one media segment.
public struct SegmentRecord: Sendable, Hashable, Codable {
    /// Position in the playlist, from 0.
    public var index: Int
    /// File name relative to the rendition directory.
    public var uri: String
    /// Presentation time of the segment's first cut point, in seconds from the input's origin.
    public var start: Double
    /// Seconds, from packet timestamps (set when the next segment starts or the input ends).
    public var duration: Double
    /// Byte offset in `uri` (non-zero only in single-file layouts).
    public var offset: Int64
    /// Bytes.
    public var length: Int64
    /// The keyframes in this segment, for the I-frame playlist.
    public var keyframes: [KeyframeRecord]
    /// Its parts, in order (Low-Latency HLS): the segment's file is their bytes one after another.
    public var parts: [PartRecord] = []
    /// How the segment is encrypted (`--encrypt aes-128`); nil when it is clear.
    public var key: SegmentKeyRecord?
}

/// The key and IV one segment is encrypted with (AES-128-CBC, RFC 8216 §5.2).
public struct SegmentKeyRecord: Sendable, Hashable, Codable {
    /// The key file's name, relative to the rendition directory.
    public var uri: String
    /// The segment's own random 16-byte IV.
    public var iv: [UInt8]
}

/// One part of a segment (`EXT-X-PART`, Low-Latency HLS): a file of whole fMP4 fragments.
public struct PartRecord: Sendable, Hashable, Codable {
    /// File name relative to the rendition directory.
    public var uri: String
    /// Seconds.
    public var duration: Double
    /// It starts with a key frame (or the rendition has no video): `INDEPENDENT=YES`.
    public var independent: Bool
}

/// Where one keyframe's data lies, for an `EXT-X-I-FRAMES-ONLY` playlist entry.
public struct KeyframeRecord: Sendable, Hashable, Codable {
    /// Presentation time in seconds from the input's origin.
    public var time: Double
    /// Byte offset of the range in the segment's file.
    public var offset: Int64
    /// Bytes: enough to decode the keyframe on its own.
    public var length: Int64
}
