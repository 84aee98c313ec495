/// An `EXT-X-STREAM-INF` tag and the URI line after it (RFC 8216 §4.3.4.2):
/// one variant of a ``MultivariantPlaylist``.
public struct VariantStream: Sendable, Hashable {
    /// URI of the variant's media playlist, relative to the multivariant playlist.
    public var uri: String
    /// `BANDWIDTH`: peak segment bit rate, in bits per second.
    public var bandwidth: Int
    /// `AVERAGE-BANDWIDTH`, in bits per second.
    public var averageBandwidth: Int?
    /// `CODECS`, e.g. `["avc1.64001f", "mp4a.40.2"]`.
    public var codecs: [String]?
    /// `RESOLUTION`.
    public var resolution: Resolution?
    /// `FRAME-RATE`, written with three decimals.
    public var frameRate: Double?
    /// `AUDIO`: the `GROUP-ID` of `EXT-X-MEDIA` tags with `TYPE=AUDIO`.
    public var audio: String?
    /// `VIDEO`: the `GROUP-ID` of `EXT-X-MEDIA` tags with `TYPE=VIDEO`.
    public var video: String?
    /// `SUBTITLES`: the `GROUP-ID` of `EXT-X-MEDIA` tags with `TYPE=SUBTITLES`.
    public var subtitles: String?
    /// `CLOSED-CAPTIONS`.
    public var closedCaptions: ClosedCaptions?
    /// `VIDEO-RANGE`: `SDR`, `PQ` or `HLG`; `nil` when absent (or, when parsed, not
    /// one of those: ``PlaylistValidator`` reports such a value).
    public var videoRange: VideoRange?

    /// Creates a variant stream.
    public init(
        uri: String,
        bandwidth: Int,
        averageBandwidth: Int? = nil,
        codecs: [String]? = nil,
        resolution: Resolution? = nil,
        frameRate: Double? = nil,
        audio: String? = nil,
        video: String? = nil,
        subtitles: String? = nil,
        closedCaptions: ClosedCaptions? = nil,
        videoRange: VideoRange? = nil
    ) {
        self.uri = uri
        self.bandwidth = bandwidth
        self.averageBandwidth = averageBandwidth
        self.codecs = codecs
        self.resolution = resolution
        self.frameRate = frameRate
        self.audio = audio
        self.video = video
        self.subtitles = subtitles
        self.closedCaptions = closedCaptions
        self.videoRange = videoRange
    }
}
