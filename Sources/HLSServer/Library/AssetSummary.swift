import HLSPlaylist

/// One asset as `/api/assets` describes it.
///
/// A rendition's optional facts (`kind`, `language`, `title`, `channels`, `default`, `forced`,
/// `videoRange`, `group`) appear only when the manifest records them: manifests written before
/// Reel did leave them out. `audio` and `subtitles` list the asset's alternate audio and
/// subtitle renditions, so a client need not filter `renditions`; they are empty when it has
/// none.
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
        /// "video", "audio" or "subtitles".
        public var kind: AssetManifest.Kind?
        /// RFC 5646 language tag.
        public var language: String?
        /// The rendition's `NAME` in the master playlist.
        public var title: String?
        public var channels: Int?
        /// `DEFAULT=YES` in its group (`default` in JSON).
        public var isDefault: Bool?
        /// Forced subtitles.
        public var forced: Bool?
        /// "SDR", "PQ" or "HLG".
        public var videoRange: String?
        /// The group of an alternate rendition (`EXT-X-MEDIA` `GROUP-ID`).
        public var group: String?

        enum CodingKeys: String, CodingKey {
            case name, playlist, bandwidth, averageBandwidth, codecs, resolution, frameRate
            case kind, language, title, channels, isDefault = "default", forced, videoRange, group
        }
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
    /// The audio renditions (languages), in the master playlist's order.
    public var audio: [AudioTrack]
    /// The subtitle renditions, in the master playlist's order.
    public var subtitles: [SubtitleTrack]
    public var codecs: [String]
    public var created: String
    /// `aes-128` when its segments are encrypted (`reel ingest --encrypt`); absent when clear.
    public var encryption: String?

    init(manifest: AssetManifest) {
        let base = "/hls/\(manifest.name)/"
        name = manifest.name
        state = manifest.state
        duration = manifest.duration
        master = base + manifest.master
        format = manifest.format
        renditions = manifest.renditions.map { Rendition($0, base: base) }
        audio = manifest.renditions.filter { $0.kind == .audio }.map(AudioTrack.init)
        subtitles = manifest.renditions.filter { $0.kind == .subtitles }.map(SubtitleTrack.init)
        var seen = Set<String>()
        codecs = manifest.renditions.flatMap(\.codecs).filter { seen.insert($0).inserted }
        created = manifest.created
        encryption = manifest.encryption
    }

    /// The same asset, its URLs (master, rendition playlists) carrying `signedQuery` (nil: as it is).
    func carrying(_ signedQuery: String?) -> AssetSummary {
        guard let signedQuery else { return self }
        var asset = self
        asset.master = SignedPlaylist.signed(master[...], query: signedQuery)
        for index in asset.renditions.indices {
            asset.renditions[index].playlist = SignedPlaylist.signed(asset.renditions[index].playlist[...], query: signedQuery)
        }
        return asset
    }

    /// The HDR transfer of its video ("PQ", "HLG"), nil for SDR or when unknown.
    var highDynamicRange: String? {
        renditions.lazy.compactMap(\.videoRange).first { $0 != "SDR" }
    }
}

extension AssetSummary.Rendition {
    /// A manifest's rendition, its playlist as a URL path below `base`.
    init(_ rendition: AssetManifest.Rendition, base: String) {
        name = rendition.name
        playlist = base + rendition.playlist
        bandwidth = rendition.bandwidth
        averageBandwidth = rendition.averageBandwidth
        codecs = rendition.codecs
        resolution = rendition.width.flatMap { width in rendition.height.map { "\(width)x\($0)" } }
        frameRate = rendition.frameRate
        kind = rendition.kind
        language = rendition.language
        title = rendition.title
        channels = rendition.channels
        isDefault = rendition.isDefault
        forced = rendition.forced
        videoRange = rendition.videoRange
        group = rendition.group
    }
}
