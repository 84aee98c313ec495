import HLSPlaylist

extension AssetSummary {
    /// An audio rendition as a language to choose.
    public struct AudioTrack: Codable, Sendable, Equatable {
        /// The rendition's directory name, as in `renditions`.
        public var name: String
        /// RFC 5646 language tag.
        public var language: String?
        /// The rendition's `NAME` in the master playlist: the language's name, or "Audio 2".
        public var title: String?
        public var channels: Int?
        /// The group's `DEFAULT=YES` rendition (`default` in JSON).
        public var isDefault: Bool

        enum CodingKeys: String, CodingKey {
            case name, language, title, channels, isDefault = "default"
        }

        init(_ rendition: AssetManifest.Rendition) {
            name = rendition.name
            language = rendition.language
            title = rendition.title
            channels = rendition.channels
            isDefault = rendition.isDefault ?? false
        }
    }

    /// A WebVTT subtitle rendition.
    public struct SubtitleTrack: Codable, Sendable, Equatable {
        /// The rendition's directory name, as in `renditions`.
        public var name: String
        /// RFC 5646 language tag.
        public var language: String?
        /// The rendition's `NAME` in the master playlist.
        public var title: String?
        /// Subtitles the input marks forced (shown only where the dialogue is foreign).
        public var forced: Bool

        init(_ rendition: AssetManifest.Rendition) {
            name = rendition.name
            language = rendition.language
            title = rendition.title
            forced = rendition.forced ?? false
        }
    }
}
