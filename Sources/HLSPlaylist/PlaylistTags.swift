/// Tag names, grouped by where RFC 8216 (and its 2nd edition draft) allows them.
enum PlaylistTags {
    static let header = "EXTM3U"
    static let version = "EXT-X-VERSION"
    static let independentSegments = "EXT-X-INDEPENDENT-SEGMENTS"
    static let start = "EXT-X-START"
    static let define = "EXT-X-DEFINE"

    static let targetDuration = "EXT-X-TARGETDURATION"
    static let mediaSequence = "EXT-X-MEDIA-SEQUENCE"
    static let discontinuitySequence = "EXT-X-DISCONTINUITY-SEQUENCE"
    static let endList = "EXT-X-ENDLIST"
    static let playlistType = "EXT-X-PLAYLIST-TYPE"
    static let iFramesOnly = "EXT-X-I-FRAMES-ONLY"
    static let serverControl = "EXT-X-SERVER-CONTROL"
    static let partInf = "EXT-X-PART-INF"

    static let extinf = "EXTINF"
    static let byteRange = "EXT-X-BYTERANGE"
    static let discontinuity = "EXT-X-DISCONTINUITY"
    static let key = "EXT-X-KEY"
    static let map = "EXT-X-MAP"
    static let part = "EXT-X-PART"
    static let skip = "EXT-X-SKIP"
    static let preloadHint = "EXT-X-PRELOAD-HINT"
    static let renditionReport = "EXT-X-RENDITION-REPORT"

    static let media = "EXT-X-MEDIA"
    static let streamInf = "EXT-X-STREAM-INF"
    static let iFrameStreamInf = "EXT-X-I-FRAME-STREAM-INF"
    static let sessionData = "EXT-X-SESSION-DATA"
    static let sessionKey = "EXT-X-SESSION-KEY"

    /// Media Playlist tags (§4.3.3 and 2nd edition §4.4.3): only in media playlists.
    static let mediaPlaylistOnly: Set<String> = [
        targetDuration, mediaSequence, discontinuitySequence, endList, playlistType,
        iFramesOnly, serverControl, partInf,
    ]

    /// Media Segment tags (§4.3.2) and the low-latency ones: only in media playlists.
    static let mediaSegment: Set<String> = [
        extinf, byteRange, discontinuity, key, map, "EXT-X-PROGRAM-DATE-TIME", "EXT-X-DATERANGE",
        "EXT-X-GAP", "EXT-X-BITRATE", part, skip, preloadHint, renditionReport,
    ]

    /// Multivariant (master) Playlist tags (§4.3.4): only in multivariant playlists.
    static let multivariantOnly: Set<String> = [
        media, streamInf, iFrameStreamInf, sessionData, sessionKey, "EXT-X-CONTENT-STEERING",
    ]

    /// Tags that MUST NOT appear more than once in a playlist.
    static let atMostOnce: Set<String> = [
        version, independentSegments, start, targetDuration, mediaSequence, discontinuitySequence,
        endList, playlistType, iFramesOnly, serverControl, partInf, skip, "EXT-X-CONTENT-STEERING",
    ]

    /// Tags whose presence marks a playlist as a media playlist.
    static let mediaOnly: Set<String> = mediaPlaylistOnly.union(mediaSegment)
}
