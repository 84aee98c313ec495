/// What `reel probe` reports about an input: a stable, documented JSON shape.
///
/// Fields that the input does not determine (an audio stream's width, an unknown bit rate)
/// are omitted from the JSON rather than written as zero.
public struct ProbeReport: Sendable, Codable, Equatable {
    /// The input path as given.
    public var path: String
    /// FFmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2".
    public var container: String
    /// FFmpeg's descriptive demuxer name, e.g. "QuickTime / MOV".
    public var containerName: String
    /// Seconds, from the container (as ffprobe's format duration).
    public var duration: Double?
    /// Seconds.
    public var startTime: Double?
    /// Bits per second, overall.
    public var bitRate: Int64?
    /// Bytes.
    public var size: Int64
    /// For MP4/MOV: whether `moov` precedes `mdat`; omitted for other containers.
    public var faststart: Bool?
    public var streams: [Stream]

    /// One stream of the input.
    public struct Stream: Sendable, Codable, Equatable {
        public var index: Int
        /// "video", "audio", "subtitle", "data", "attachment" or "unknown".
        public var type: MediaType
        /// FFmpeg's codec name, e.g. "h264", "hevc", "aac".
        public var codec: String
        /// The container's codec tag, e.g. "avc1", "hvc1", "mp4a".
        public var codecTag: String?
        /// RFC 6381 string for an HLS CODECS attribute, e.g. "avc1.64001e", "mp4a.40.2".
        public var codecString: String?
        /// Profile name, e.g. "High", "Main", "LC".
        public var profile: String?
        /// Level as FFmpeg numbers it (H.264: 30 for 3.0; HEVC: 93 for 3.1).
        public var level: Int?
        public var width: Int?
        public var height: Int?
        public var pixelFormat: String?
        /// Average frame rate (frames per second), as ffprobe's avg_frame_rate.
        public var averageFrameRate: Double?
        /// Real base frame rate, as ffprobe's r_frame_rate.
        public var realFrameRate: Double?
        /// True when the stream has B-frames (frame reordering).
        public var hasBFrames: Bool?
        public var sampleRate: Int?
        public var channels: Int?
        /// Bits per second, as declared by the container.
        public var bitRate: Int64?
        /// Seconds.
        public var duration: Double?
        /// Seconds.
        public var startTime: Double?
        /// Packets read in a full scan.
        public var packets: Int
        /// Video only: keyframe packets counted in a full scan.
        public var keyframes: Int?
        /// Video only: time between consecutive keyframes, in seconds.
        public var keyframeInterval: KeyframeInterval?
        /// RFC 5646 tag of the language the container names (`eng` → `en`); omitted when it names none.
        public var language: String?
        /// The container's track title, e.g. "Commentary".
        public var title: String?
        /// The container marks the track as the default of its type.
        public var isDefault: Bool?
        /// The container marks the track as forced (subtitles shown even when off).
        public var forced: Bool?
        /// Video only: degrees the picture is turned clockwise for display (its display matrix), when it is.
        public var rotation: Int?
        /// Video only: `SDR`, `PQ` or `HLG`, from the transfer characteristics (HLS `VIDEO-RANGE`).
        public var videoRange: String?
        /// Subtitles only: whether the track is text that becomes a WebVTT rendition (false:
        /// bitmap subtitles, which an ingest skips).
        public var webVTT: Bool?

        enum CodingKeys: String, CodingKey {
            case index, type, codec, codecTag, codecString, profile, level, width, height, pixelFormat
            case averageFrameRate, realFrameRate, hasBFrames, sampleRate, channels, bitRate, duration, startTime
            case packets, keyframes, keyframeInterval, language, title, forced, webVTT, rotation, videoRange
            case isDefault = "default"
        }
    }
}
