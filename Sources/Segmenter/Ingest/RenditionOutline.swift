import HLSPlaylist

/// What one rendition of an asset is, fixed before its first segment: enough to write its
/// entries in the master playlist and the manifest.
struct RenditionOutline: Sendable {
    /// The rendition's directory (``LibraryLayout``): `copy`, `720p`, `audio-en`, `subs-fr`.
    var name: String
    var kind: AssetManifest.Kind
    /// RFC 6381 strings of the rendition's own streams.
    var codecs: [String]
    var width: Int? = nil
    var height: Int? = nil
    var frameRate: Double? = nil
    /// `VIDEO-RANGE` of a video rendition; nil for SDR.
    var videoRange: VideoRange? = nil
    /// An alternate rendition (`EXT-X-MEDIA`) in this group; nil for a variant.
    var group: String? = nil
    /// A variant whose audio comes from this group of alternate renditions.
    var audioGroup: String? = nil
    /// A variant whose subtitles come from this group of alternate renditions.
    var subtitleGroup: String? = nil
    /// Audio channels (an alternate audio rendition's `CHANNELS`).
    var channels: Int? = nil
    /// RFC 5646 tag of an alternate rendition's language.
    var language: String? = nil
    /// An alternate rendition's `NAME`.
    var title: String? = nil
    /// `DEFAULT=YES` in its group.
    var isDefault = false
    /// Subtitles shown even when subtitles are off (`FORCED=YES`).
    var forced = false
    /// Segments are byte ranges of one file (`--single-file`); WebVTT renditions never are.
    var singleFile = false
    /// Bits per second the rendition should peak at (a container's or an encoder's figure): a
    /// floor for BANDWIDTH while only a few segments are measured.
    var nominalBitRate: Int? = nil

    /// Its media segments are encrypted whole (`--encrypt`).
    var encrypted = false

    /// Video renditions get an I-frame playlist, unless their segments are encrypted whole: an
    /// I-frame's byte range inside an AES-CBC segment cannot be decrypted on its own.
    var hasVideo: Bool { kind == .video }
    var playlist: String { LibraryLayout.mediaPlaylist(of: name) }
    var iFramePlaylist: String? { hasVideo && !encrypted ? LibraryLayout.iFramePlaylist(of: name) : nil }
}

extension RenditionOutline {
    /// Its segments are written in parts when the ingest makes Low-Latency HLS: every
    /// rendition but WebVTT subtitles.
    var hasParts: Bool { kind != .subtitles }
}

/// What a rendition's writer has completed so far.
struct RenditionSegments: Sendable {
    var segments: [SegmentRecord] = []
    var initSection: (uri: String, offset: Int64, length: Int64)?
    /// The parts of the segment being written (Low-Latency HLS).
    var pendingParts: [PartRecord] = []

    /// Parts completed, in every segment.
    var partCount: Int { segments.reduce(0) { $0 + $1.parts.count } + pendingParts.count }

    /// This rendition as it stood when its first `parts` parts were complete: the segments
    /// all of whose parts are among them, and the rest as the parts of the next segment.
    func prefix(parts count: Int) -> RenditionSegments {
        var shown = RenditionSegments(initSection: initSection)
        var remaining = count
        for segment in segments {
            guard segment.parts.count <= remaining else {
                shown.pendingParts = Array(segment.parts.prefix(remaining))
                return shown
            }
            shown.segments.append(segment)
            remaining -= segment.parts.count
        }
        shown.pendingParts = Array(pendingParts.prefix(remaining))
        return shown
    }
}
