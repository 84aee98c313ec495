/// `EXT-X-SERVER-CONTROL` (RFC 8216bis §4.4.3.8): what the server can do for
/// clients reloading this playlist.
///
/// A value with nothing set is not rendered at all, so it parses back as `nil`.
public struct ServerControl: Sendable, Hashable {
    /// `CAN-BLOCK-RELOAD=YES`: the server answers `_HLS_msn` blocking reloads.
    public var canBlockReload: Bool
    /// `HOLD-BACK`, in seconds: how far from the live edge clients should start.
    public var holdBack: Double?
    /// `PART-HOLD-BACK`, in seconds (low-latency HLS only).
    public var partHoldBack: Double?
    /// `CAN-SKIP-UNTIL`, in seconds: the server answers delta updates (`_HLS_skip=YES`) that
    /// skip segments older than this from the live edge.
    public var canSkipUntil: Double?
    /// `CAN-SKIP-DATERANGES=YES`: delta updates may also leave out old `EXT-X-DATERANGE`s.
    public var canSkipDateRanges: Bool

    /// Creates a server-control declaration.
    public init(
        canBlockReload: Bool = false, holdBack: Double? = nil, partHoldBack: Double? = nil, canSkipUntil: Double? = nil,
        canSkipDateRanges: Bool = false
    ) {
        self.canBlockReload = canBlockReload
        self.holdBack = holdBack
        self.partHoldBack = partHoldBack
        self.canSkipUntil = canSkipUntil
        self.canSkipDateRanges = canSkipDateRanges
    }

    /// Whether rendering this value would produce no attribute at all.
    var isEmpty: Bool { !canBlockReload && holdBack == nil && partHoldBack == nil && canSkipUntil == nil && !canSkipDateRanges }
}
