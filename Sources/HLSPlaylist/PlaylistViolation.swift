/// One breach of RFC 8216 (or of Reel's stricter authoring profile) found by
/// ``PlaylistValidator`` or ``PlaylistTreeValidator``.
public struct PlaylistViolation: Sendable, Hashable, CustomStringConvertible {
    /// The rule that was broken; stable, for tests and tooling.
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        /// The first line is not `#EXTM3U` (§4.3.1.1).
        case missingHeader
        /// Not UTF-8, a byte order mark, or control characters (§4.1).
        case invalidEncoding
        /// A tag's value or attribute list cannot be parsed.
        case malformedTag
        /// A tag that may appear once appears again.
        case duplicateTag
        /// A media playlist tag in a multivariant playlist, or the reverse (§4.3.3, §4.3.4).
        case misplacedTag
        /// Neither a media nor a multivariant playlist.
        case unknownPlaylistKind
        /// `EXT-X-TARGETDURATION` is absent (§4.3.3.1).
        case missingTargetDuration
        /// A segment's `EXTINF`, rounded to the nearest integer, exceeds the target duration (§4.3.3.1).
        case segmentExceedsTargetDuration
        /// `EXT-X-VERSION` is lower than the features used require (§7).
        case versionTooLow
        /// `EXT-X-MEDIA-SEQUENCE` or `EXT-X-DISCONTINUITY-SEQUENCE` after the first segment (§4.3.3.2, §4.3.3.3).
        case tagAfterFirstSegment
        /// A URI line with no `EXTINF` / `EXT-X-STREAM-INF` before it.
        case orphanURI
        /// `EXTINF` / `EXT-X-STREAM-INF` without the URI line after it.
        case missingURI
        /// `EXT-X-BYTERANGE` without offset and no previous sub-range of the same resource (§4.3.2.2).
        case byteRangeWithoutOffset
        /// A `VOD` playlist without `EXT-X-ENDLIST`.
        case missingEndList
        /// A segment of an I-frames-only playlist without `EXT-X-BYTERANGE` (Reel profile).
        case iFrameSegmentWithoutByteRange
        /// A required attribute is absent (e.g. `BANDWIDTH`).
        case missingAttribute
        /// An attribute is not allowed on this tag, or contradicts another.
        case invalidAttribute
        /// `EXT-X-STREAM-INF` or `EXT-X-I-FRAME-STREAM-INF` without `CODECS` (a SHOULD; required by Reel's profile).
        case missingCodecs
        /// `AUDIO`, `VIDEO`, `SUBTITLES` or `CLOSED-CAPTIONS` (of a variant, or `VIDEO` of an
        /// I-frame stream) names no `EXT-X-MEDIA` group of that type.
        case undefinedGroup
        /// Two renditions of one group share a `NAME` (§4.3.4.1.1).
        case duplicateRenditionName
        /// More than one rendition of a group has `DEFAULT=YES` (§4.3.4.1.1).
        case multipleDefaultRenditions
        /// `LANGUAGE` or `ASSOC-LANGUAGE` is not a well-formed RFC 5646 tag (§4.3.4.1).
        case malformedLanguageTag
        /// A variant whose `AUDIO` group has separate audio renditions lists no audio codec in `CODECS` (§4.3.4.2).
        case missingAudioCodec
        /// Variants naming the same `AUDIO` group list different audio codecs.
        case inconsistentAudioCodecs
        /// A multivariant playlist with no `EXT-X-STREAM-INF`.
        case noVariants
        /// A URI that is absolute or leaves the tree being validated.
        case unsafeURI
        /// A referenced playlist, segment or initialization section does not exist.
        case missingFile
        /// A byte range extends past the end of its file.
        case byteRangeOutOfBounds
        /// A referenced file exists but cannot be read.
        case unreadableFile
        /// A URI leads to the wrong kind of playlist (e.g. a variant to an I-frames-only playlist).
        case wrongPlaylistKind
        /// The playlist of a `TYPE=SUBTITLES` rendition is not a WebVTT playlist: I-frames only,
        /// `EXT-X-MAP`, or segment URIs not ending in `.vtt` or `.webvtt` (§3.5).
        case invalidSubtitlePlaylist
        /// A WebVTT segment does not start with `WEBVTT` or lacks a valid `X-TIMESTAMP-MAP` header (§3.5).
        case invalidWebVTTSegment
        /// Low-Latency HLS: `EXT-X-PART` without `EXT-X-PART-INF`, or `EXT-X-PART-INF` without
        /// `PART-HOLD-BACK` in `EXT-X-SERVER-CONTROL` (RFC 8216bis §4.4.3.7, §4.4.3.8).
        case missingPartInformation
        /// A part's `DURATION` exceeds `PART-TARGET` (RFC 8216bis §4.4.3.7).
        case partExceedsPartTarget
        /// `PART-HOLD-BACK` under twice `PART-TARGET`, `HOLD-BACK` under three target
        /// durations, or `CAN-SKIP-UNTIL` under six (RFC 8216bis §4.4.3.8).
        case holdBackTooShort
        /// An `EXT-X-PRELOAD-HINT` before the last segment or part, or two of one `TYPE`
        /// (RFC 8216bis §4.4.5.3).
        case misplacedPreloadHint
        /// `EXT-X-SKIP` outside a delta update (a playlist file, or a server that does not
        /// declare `CAN-SKIP-UNTIL`) (RFC 8216bis §4.4.5.2).
        case skipOutsideDeltaUpdate
        /// An `EXT-X-KEY` that a player cannot use: an unknown `METHOD`, no `URI` for a method
        /// other than `NONE`, attributes with `NONE`, an `IV` that is not 128 bits, an encrypted
        /// `EXT-X-MAP` without an `IV` (RFC 8216 §4.3.2.4, §4.3.2.5), or an AES-128 key file that
        /// is not 16 bytes.
        case invalidKey
    }

    /// The rule that was broken.
    public var rule: Rule
    /// Path of the playlist (or file) concerned, as given to the validator; may be empty.
    public var file: String
    /// 1-based line in `file`, when the violation has one.
    public var line: Int?
    /// A human-readable explanation.
    public var message: String

    /// Creates a violation.
    public init(rule: Rule, file: String, line: Int?, message: String) {
        self.rule = rule
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line`, `file`, `line N`, or `playlist`, depending on what is known.
    public var location: String {
        switch (file.isEmpty, line) {
        case (false, let line?): "\(file):\(line)"
        case (false, nil): file
        case (true, let line?): "line \(line)"
        case (true, nil): "playlist"
        }
    }

    /// `location: message`, the form `reel validate` prints.
    public var description: String { "\(location): \(message)" }
}

extension PlaylistViolation.Rule {
    /// The rule reported for a parse error.
    init(_ reason: PlaylistParseError.Reason) {
        switch reason {
        case .missingHeader: self = .missingHeader
        case .invalidEncoding: self = .invalidEncoding
        case .missingTag: self = .missingTargetDuration
        case .malformedValue, .malformedAttributeList: self = .malformedTag
        case .missingAttribute: self = .missingAttribute
        case .invalidAttributeValue: self = .invalidAttribute
        case .missingURI: self = .missingURI
        case .orphanURI: self = .orphanURI
        case .wrongPlaylistKind: self = .misplacedTag
        case .unknownPlaylistKind: self = .unknownPlaylistKind
        }
    }
}
