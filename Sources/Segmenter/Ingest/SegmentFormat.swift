/// The container media segments are written in.
public enum SegmentFormat: String, Sendable, Codable, CaseIterable {
    /// Fragmented MP4 / CMAF: an init segment (`EXT-X-MAP`) and `.m4s` fragments.
    case fmp4
    /// MPEG-2 transport stream `.ts` segments.
    case ts

    /// File extension of media segments.
    public var segmentExtension: String { self == .fmp4 ? "m4s" : "ts" }

    /// FFmpeg muxer name.
    var muxerName: String { self == .fmp4 ? "mp4" : "mpegts" }

    /// Human name for messages.
    public var displayName: String { self == .fmp4 ? "fMP4" : "MPEG-TS" }

    /// Codecs HLS players accept in this container (FFmpeg codec names).
    public func supports(codec: String) -> Bool {
        switch self {
        case .fmp4: ["h264", "hevc", "av1", "vp9", "aac", "mp3", "ac3", "eac3", "opus", "flac", "alac"].contains(codec)
        case .ts: ["h264", "hevc", "aac", "mp3", "ac3", "eac3"].contains(codec)
        }
    }
}
