/// A Media Playlist (RFC 8216 §4.3.3): the segments of one rendition.
///
/// A pure value: build it, ``render()`` it, or parse it with
/// `init(parsing:)` (text). No I/O happens here.
public struct MediaPlaylist: Sendable, Hashable {
    /// `EXT-X-VERSION`. ``render()`` never writes less than ``minimumVersion``.
    public var version: Int
    /// `EXT-X-TARGETDURATION`, in whole seconds: every segment's duration rounded
    /// to the nearest integer must not exceed it.
    public var targetDuration: Int
    /// `EXT-X-MEDIA-SEQUENCE`: the sequence number of the first segment.
    public var mediaSequence: Int
    /// `EXT-X-DISCONTINUITY-SEQUENCE`; written only when not zero.
    public var discontinuitySequence: Int
    /// `EXT-X-PLAYLIST-TYPE`, or `nil` for a live (sliding-window) playlist.
    public var playlistType: PlaylistType?
    /// `EXT-X-INDEPENDENT-SEGMENTS`: every segment starts with a key frame.
    public var independentSegments: Bool
    /// `EXT-X-I-FRAMES-ONLY`: each segment is a single I-frame (trick play).
    public var iFramesOnly: Bool
    /// `EXT-X-SERVER-CONTROL`.
    public var serverControl: ServerControl?
    /// The `EXT-X-MAP` that applies from the first segment on (fMP4 `init.mp4`).
    public var map: MediaInitializationSection?
    /// The segments, in playback order.
    public var segments: [MediaSegment]
    /// `EXT-X-ENDLIST`: no segment will be added.
    public var endList: Bool
    /// `EXT-X-PART-INF:PART-TARGET`, in seconds: the longest a part may be (Low-Latency HLS).
    public var partTarget: Double?
    /// `EXT-X-SKIP:SKIPPED-SEGMENTS`: in a delta update, how many segments after
    /// ``mediaSequence`` were left out; ``segments`` are the ones after them.
    public var skippedSegments: Int?
    /// The `EXT-X-PART`s after the last complete segment: the segment being written.
    public var pendingParts: [PartialSegment]
    /// `EXT-X-PRELOAD-HINT`s: what will be published next (at most one of each type).
    public var preloadHints: [PreloadHint]
    /// `EXT-X-RENDITION-REPORT`s: the other renditions' last segment and part.
    public var renditionReports: [RenditionReport]
    /// Unrecognised tag lines (verbatim) found before the first segment; written
    /// after the header tags.
    public var unknownTags: [String]
    /// Unrecognised tag lines found after the last segment's URI; written before `EXT-X-ENDLIST`.
    public var trailingTags: [String]

    /// Creates a media playlist. With `version` `nil`, the version is the
    /// ``minimumVersion`` of the playlist as given.
    public init(
        version: Int? = nil,
        targetDuration: Int,
        mediaSequence: Int = 0,
        discontinuitySequence: Int = 0,
        playlistType: PlaylistType? = nil,
        independentSegments: Bool = false,
        iFramesOnly: Bool = false,
        serverControl: ServerControl? = nil,
        map: MediaInitializationSection? = nil,
        segments: [MediaSegment] = [],
        endList: Bool = false,
        unknownTags: [String] = [],
        trailingTags: [String] = [],
        partTarget: Double? = nil,
        skippedSegments: Int? = nil,
        pendingParts: [PartialSegment] = [],
        preloadHints: [PreloadHint] = [],
        renditionReports: [RenditionReport] = []
    ) {
        self.version = 1
        self.targetDuration = targetDuration
        self.mediaSequence = mediaSequence
        self.discontinuitySequence = discontinuitySequence
        self.playlistType = playlistType
        self.independentSegments = independentSegments
        self.iFramesOnly = iFramesOnly
        self.serverControl = serverControl
        self.map = map
        self.segments = segments
        self.endList = endList
        self.unknownTags = unknownTags
        self.trailingTags = trailingTags
        self.partTarget = partTarget
        self.skippedSegments = skippedSegments
        self.pendingParts = pendingParts
        self.preloadHints = preloadHints
        self.renditionReports = renditionReports
        self.version = version ?? minimumVersion
    }

    /// Total duration of the segments, in seconds.
    public var duration: Double {
        segments.reduce(0) { $0 + $1.duration }
    }

    /// The smallest target duration that satisfies RFC 8216 §4.3.3.1 for
    /// segments of these durations: the largest duration rounded to the nearest
    /// integer (at least 1).
    ///
    /// An `EVENT` playlist must keep its target duration while it grows, so
    /// compute it from the planned segment durations, not the ones written so far.
    public static func minimumTargetDuration(forSegmentDurations durations: some Sequence<Double>) -> Int {
        var result = 1.0
        for duration in durations where duration.isFinite {
            result = max(result, duration.rounded(.toNearestOrAwayFromZero))
        }
        return Int(min(result, Double(Int32.max)))
    }

    /// Where each segment's bytes lie in its resource: `offset..<offset+length`,
    /// following `EXT-X-BYTERANGE` offsets that chain from the previous segment.
    /// `nil` for a segment without a byte range, or whose implicit offset cannot be
    /// resolved (no previous sub-range of the same resource) or would overflow.
    public func resolvedByteRanges() -> [Range<Int>?] {
        var result: [Range<Int>?] = []
        result.reserveCapacity(segments.count)
        var previous: (uri: String, end: Int)?
        for segment in segments {
            guard let byteRange = segment.byteRange else {
                result.append(nil)
                previous = nil
                continue
            }
            let start: Int? = byteRange.offset ?? (previous?.uri == segment.uri ? previous?.end : nil)
            guard let start, start >= 0, byteRange.length >= 0 else {
                result.append(nil)
                previous = nil
                continue
            }
            let (end, overflow) = start.addingReportingOverflow(byteRange.length)
            if overflow {
                result.append(nil)
                previous = nil
            } else {
                result.append(start..<end)
                previous = (segment.uri, end)
            }
        }
        return result
    }
}
