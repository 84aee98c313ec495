/// The container an asset's media segments are written in.
public enum SegmentFormat: String, Sendable, Codable, CaseIterable {
    /// Fragmented MP4 / CMAF: an init section (`EXT-X-MAP`) and `.m4s` fragments.
    case fmp4
    /// MPEG-2 transport stream `.ts` segments.
    case ts

    /// File extension of media segments.
    public var segmentExtension: String { self == .fmp4 ? "m4s" : "ts" }

    /// Human name for messages.
    public var displayName: String { self == .fmp4 ? "fMP4" : "MPEG-TS" }
}
