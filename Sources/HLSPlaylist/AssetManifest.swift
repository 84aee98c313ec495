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

    /// What a rendition carries.
    public enum Kind: String, Sendable, Codable {
        /// A variant with video (and its muxed audio, if any).
        case video
        /// Audio: an audio-only variant, or an alternate rendition of an audio group.
        case audio
        /// WebVTT subtitles, an alternate rendition of a subtitles group.
        case subtitles
    }

    public struct Rendition: Sendable, Codable, Equatable {
        /// Directory name inside the asset (``LibraryLayout``): "copy", a ladder rung such as
        /// "720p", "audio", "audio-en", "subs-fr".
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
        /// A variant whose subtitles are alternate renditions: that group (`SUBTITLES=`).
        public var subtitleGroup: String?
        /// What the rendition carries; nil in manifests written before Reel recorded it.
        public var kind: Kind?
        /// RFC 5646 language tag (`en`, `fr`), nil when the input does not say.
        public var language: String?
        /// The `NAME` of an alternate rendition: the language's name, or "Audio 2".
        public var title: String?
        /// Audio channels.
        public var channels: Int?
        /// `DEFAULT=YES` in its group.
        public var isDefault: Bool?
        /// Subtitles the input marks forced (`FORCED=YES`).
        public var forced: Bool?
        /// `VIDEO-RANGE`: "SDR", "PQ" or "HLG".
        public var videoRange: String?

        public init(
            name: String, playlist: String, iFramePlaylist: String?, bandwidth: Int, averageBandwidth: Int,
            codecs: [String], width: Int?, height: Int?, frameRate: Double?, segments: Int,
            group: String? = nil, audioGroup: String? = nil, subtitleGroup: String? = nil, kind: Kind? = nil,
            language: String? = nil, title: String? = nil, channels: Int? = nil, isDefault: Bool? = nil,
            forced: Bool? = nil, videoRange: String? = nil
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
            self.subtitleGroup = subtitleGroup
            self.kind = kind
            self.language = language
            self.title = title
            self.channels = channels
            self.isDefault = isDefault
            self.forced = forced
            self.videoRange = videoRange
        }
    }

    /// A replaced generation whose files the asset keeps (SPEC "Library layout": a player that
    /// started before a `--force` replacement is not cut off while its playlists are fresh).
    public struct RetainedGeneration: Sendable, Codable, Equatable {
        public var generation: Int
        /// ISO 8601: when the last playlist naming its files that a cache may hold goes stale.
        /// Until then every `--force` replacement keeps its files; after it, they go with the
        /// asset the next replacement swaps out.
        public var until: String

        public init(generation: Int, until: String) {
            self.generation = generation
            self.until = until
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
    /// Which ingest of the asset's name this is: 0 for the first, the replaced asset's
    /// generation + 1 for a `--force` replacement. Its segments, init sections and single-file
    /// media carry it in their names (``LibraryLayout``). 0 in manifests written before Reel
    /// had generations.
    public var generation: Int
    /// Older generations whose files this asset keeps, and until when; empty for a first ingest.
    public var retained: [RetainedGeneration]
    /// `aes-128` when its audio and video segments are encrypted (`--encrypt`); nil when clear.
    public var encryption: String?

    public init(
        name: String, state: State, source: Source, duration: Double, format: SegmentFormat,
        segmentDuration: Double, targetDuration: Int? = nil, singleFile: Bool, master: String,
        renditions: [Rendition], created: String, generation: Int = 0, retained: [RetainedGeneration] = [],
        encryption: String? = nil
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
        self.generation = generation
        self.retained = retained
        self.encryption = encryption
    }

    private enum CodingKeys: String, CodingKey {
        case name, state, source, duration, format, segmentDuration, targetDuration, singleFile, master, renditions, created
        case generation, retained, encryption
    }

    /// Decodes a manifest; one written before Reel had generations is generation 0, keeping nothing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        state = try container.decode(State.self, forKey: .state)
        source = try container.decode(Source.self, forKey: .source)
        duration = try container.decode(Double.self, forKey: .duration)
        format = try container.decode(SegmentFormat.self, forKey: .format)
        segmentDuration = try container.decode(Double.self, forKey: .segmentDuration)
        targetDuration = try container.decodeIfPresent(Int.self, forKey: .targetDuration)
        singleFile = try container.decode(Bool.self, forKey: .singleFile)
        master = try container.decode(String.self, forKey: .master)
        renditions = try container.decode([Rendition].self, forKey: .renditions)
        created = try container.decode(String.self, forKey: .created)
        generation = try container.decodeIfPresent(Int.self, forKey: .generation) ?? 0
        retained = try container.decodeIfPresent([RetainedGeneration].self, forKey: .retained) ?? []
        encryption = try container.decodeIfPresent(String.self, forKey: .encryption)
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
