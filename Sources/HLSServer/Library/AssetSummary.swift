import HLSPlaylist

/// One asset as `/api/assets` describes it.
public struct AssetSummary: Codable, Sendable, Equatable {
    public struct Rendition: Codable, Sendable, Equatable {
        public var name: String
        /// URL path of the media playlist.
        public var playlist: String
        public var bandwidth: Int
        public var averageBandwidth: Int
        public var codecs: [String]
        /// "WIDTHxHEIGHT" for video.
        public var resolution: String?
        public var frameRate: Double?
    }

    public var name: String
    /// "ingesting", "ready" or "failed".
    public var state: AssetManifest.State
    /// Seconds.
    public var duration: Double
    /// URL path of the master playlist.
    public var master: String
    public var format: SegmentFormat
    public var renditions: [Rendition]
    public var codecs: [String]
    public var created: String

    init(manifest: AssetManifest) {
        let base = "/hls/\(manifest.name)/"
        name = manifest.name
        state = manifest.state
        duration = manifest.duration
        master = base + manifest.master
        format = manifest.format
        renditions = manifest.renditions.map { rendition in
            Rendition(
                name: rendition.name,
                playlist: base + rendition.playlist,
                bandwidth: rendition.bandwidth,
                averageBandwidth: rendition.averageBandwidth,
                codecs: rendition.codecs,
                resolution: rendition.width.flatMap { width in rendition.height.map { "\(width)x\($0)" } },
                frameRate: rendition.frameRate
            )
        }
        var seen = Set<String>()
        codecs = manifest.renditions.flatMap(\.codecs).filter { seen.insert($0).inserted }
        created = manifest.created
    }
}
