import HLSPlaylist

/// What `reel ingest --json` prints: the published asset.
public struct IngestResult: Sendable, Codable {
    public var name: String
    public var state: AssetManifest.State
    /// Seconds of media.
    public var duration: Double
    /// Path of master.m3u8.
    public var master: String
    /// Path of the asset directory.
    public var path: String
    public var format: SegmentFormat
    public var renditions: [AssetManifest.Rendition]
    /// `aes-128` when the segments are encrypted (`--encrypt`); absent when clear.
    public var encryption: String?
    /// Wall-clock seconds the ingest took.
    public var elapsed: Double
}
