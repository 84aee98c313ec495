/// An `EXT-X-I-FRAME-STREAM-INF` tag (RFC 8216 §4.3.4.3): an I-frame (trick
/// play) media playlist of a ``MultivariantPlaylist``.
public struct IFrameStream: Sendable, Hashable {
    /// `URI` of the I-frames-only media playlist, relative to the multivariant playlist.
    public var uri: String
    /// `BANDWIDTH`: peak I-frame bit rate, in bits per second.
    public var bandwidth: Int
    /// `AVERAGE-BANDWIDTH`, in bits per second.
    public var averageBandwidth: Int?
    /// `CODECS`.
    public var codecs: [String]?
    /// `RESOLUTION`.
    public var resolution: Resolution?
    /// `VIDEO-RANGE`: `SDR`, `PQ` or `HLG`; `nil` when absent (or, when parsed, not
    /// one of those: ``PlaylistValidator`` reports such a value).
    public var videoRange: VideoRange?

    /// Creates an I-frame stream.
    public init(
        uri: String,
        bandwidth: Int,
        averageBandwidth: Int? = nil,
        codecs: [String]? = nil,
        resolution: Resolution? = nil,
        videoRange: VideoRange? = nil
    ) {
        self.uri = uri
        self.bandwidth = bandwidth
        self.averageBandwidth = averageBandwidth
        self.codecs = codecs
        self.resolution = resolution
        self.videoRange = videoRange
    }
}
