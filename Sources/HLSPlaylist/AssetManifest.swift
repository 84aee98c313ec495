import Foundation

/// `manifest.json`: what an asset is and whether its ingest finished. Written by the
/// segmenter, read by the server.
public struct AssetManifest: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case ingesting, ready, failed
    }

    public struct Source: Sendable, Codable, Equatable {
        /// The input path as given to `reel ingest`.
        public var path: String
        public var size: Int64?

        public init(path: String, size: Int64?) {
            self.path = path
            self.size = size
        }
    }

    public struct Rendition: Sendable, Codable, Equatable {
        /// Directory name inside the asset: "copy" or a ladder rung such as "720p".
        public var name: String
        /// Media playlist path relative to the asset directory.
        public var playlist: String
        /// I-frame playlist path relative to the asset directory (video renditions only).
        public var iFramePlaylist: String?
        /// Peak segment bit rate, bits per second (the master's BANDWIDTH).
        public var bandwidth: Int
        /// Mean bit rate, bits per second (AVERAGE-BANDWIDTH).
        public var averageBandwidth: Int
        /// RFC 6381 codec strings.
        public var codecs: [String]
        public var width: Int?
        public var height: Int?
        public var frameRate: Double?
        public var segments: Int
        /// An alternate rendition (`EXT-X-MEDIA`): the group it belongs to, e.g. `audio`; nil for a variant.
        public var group: String?
        /// A variant whose audio is an alternate rendition: that group (`AUDIO=`).
        public var audioGroup: String?

        public init(
            name: String, playlist: String, iFramePlaylist: String?, bandwidth: Int, averageBandwidth: Int,
            codecs: [String], width: Int?, height: Int?, frameRate: Double?, segments: Int,
            group: String? = nil, audioGroup: String? = nil
        ) {
            self.name = name
            self.playlist = playlist
            self.iFramePlaylist = iFramePlaylist
            self.bandwidth = bandwidth
            self.averageBandwidth = averageBandwidth
            self.codecs = codecs
            self.width = width
            self.height = height
            self.frameRate = frameRate
            self.segments = segments
            self.group = group
            self.audioGroup = audioGroup
        }
    }

    public var name: String
    public var state: State
    public var source: Source
    /// Seconds.
    public var duration: Double
    public var format: SegmentFormat
    /// The configured target, seconds.
    public var segmentDuration: Double
    /// The media playlists' `EXT-X-TARGETDURATION`, fixed before the first one is published.
    public var targetDuration: Int?
    public var singleFile: Bool
    /// Master playlist path relative to the asset directory.
    public var master: String
    public var renditions: [Rendition]
    /// ISO 8601.
    public var created: String

    public init(
        name: String, state: State, source: Source, duration: Double, format: SegmentFormat,
        segmentDuration: Double, targetDuration: Int? = nil, singleFile: Bool, master: String,
        renditions: [Rendition], created: String
    ) {
        self.name = name
        self.state = state
        self.source = source
        self.duration = duration
        self.format = format
        self.segmentDuration = segmentDuration
        self.targetDuration = targetDuration
        self.singleFile = singleFile
        self.master = master
        self.renditions = renditions
        self.created = created
    }

    /// Reads a manifest from its JSON.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(AssetManifest.self, from: json)
    }

    /// The JSON written to disk: stable key order, human-readable.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
