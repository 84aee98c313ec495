import HLSPlaylist

extension SegmentFormat {
    /// FFmpeg muxer name.
    var muxerName: String { self == .fmp4 ? "mp4" : "mpegts" }

    /// Codecs HLS players accept in this container (FFmpeg codec names).
    public func supports(codec: String) -> Bool {
        switch self {
        case .fmp4: ["h264", "hevc", "av1", "vp9", "aac", "mp3", "ac3", "eac3", "opus", "flac", "alac"].contains(codec)
        case .ts: ["h264", "hevc", "aac", "mp3", "ac3", "eac3"].contains(codec)
        }
    }
}
