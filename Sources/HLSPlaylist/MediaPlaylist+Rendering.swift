extension MediaPlaylist {
    /// Writes the playlist in canonical form: `#EXTM3U`, then `EXT-X-VERSION`,
    /// `TARGETDURATION`, `MEDIA-SEQUENCE`, `DISCONTINUITY-SEQUENCE` (if not 0),
    /// `PLAYLIST-TYPE`, `INDEPENDENT-SEGMENTS`, `I-FRAMES-ONLY`, `SERVER-CONTROL`,
    /// `MAP`, unknown header tags, the segments, trailing tags and `ENDLIST`, each
    /// line ending in `\n` — the order Apple's and FFmpeg's segmenters use.
    ///
    /// `EXTINF` durations have exactly six decimals (`#EXTINF:6.006000,`), computed
    /// without locale. The version written is `max(version, minimumVersion)`.
    /// Negative numbers are written as 0, and characters that would break the
    /// line structure are escaped (see ``AttributeList/appendQuoted(_:_:)``).
    public func render() -> String {
        var out = "#EXTM3U\n"
        out += "#EXT-X-VERSION:\(max(version, minimumVersion))\n"
        out += "#EXT-X-TARGETDURATION:\(max(0, targetDuration))\n"
        out += "#EXT-X-MEDIA-SEQUENCE:\(max(0, mediaSequence))\n"
        if discontinuitySequence > 0 {
            out += "#EXT-X-DISCONTINUITY-SEQUENCE:\(discontinuitySequence)\n"
        }
        if let playlistType { out += "#EXT-X-PLAYLIST-TYPE:\(playlistType.rawValue)\n" }
        if independentSegments { out += "#EXT-X-INDEPENDENT-SEGMENTS\n" }
        if iFramesOnly { out += "#EXT-X-I-FRAMES-ONLY\n" }
        if let serverControl, !serverControl.isEmpty {
            var attributes = AttributeList()
            if serverControl.canBlockReload { attributes.appendUnquoted("CAN-BLOCK-RELOAD", "YES") }
            if let holdBack = serverControl.holdBack {
                attributes.appendUnquoted("HOLD-BACK", DecimalNumber.fixed(max(0, holdBack), fractionDigits: 3))
            }
            if let partHoldBack = serverControl.partHoldBack {
                attributes.appendUnquoted("PART-HOLD-BACK", DecimalNumber.fixed(max(0, partHoldBack), fractionDigits: 3))
            }
            out += "#EXT-X-SERVER-CONTROL:\(attributes.rendered)\n"
        }
        if let map { out += Self.renderMap(map) }
        for tag in unknownTags { out += LineSafety.tagLine(tag) }

        for segment in segments {
            for tag in segment.unknownTags { out += LineSafety.tagLine(tag) }
            if segment.discontinuity { out += "#EXT-X-DISCONTINUITY\n" }
            if let map = segment.map { out += Self.renderMap(map) }
            let duration = DecimalNumber.fixed(max(0, segment.duration), fractionDigits: 6)
            out += "#EXTINF:\(duration),\(LineSafety.singleLine(segment.title))\n"
            if let byteRange = segment.byteRange { out += "#EXT-X-BYTERANGE:\(byteRange.rendered)\n" }
            out += LineSafety.uriLine(segment.uri) + "\n"
        }

        for tag in trailingTags { out += LineSafety.tagLine(tag) }
        if endList { out += "#EXT-X-ENDLIST\n" }
        return out
    }

    static func renderMap(_ map: MediaInitializationSection) -> String {
        var attributes = AttributeList()
        attributes.appendQuoted("URI", LineSafety.uriAttribute(map.uri))
        if let byteRange = map.byteRange { attributes.appendQuoted("BYTERANGE", byteRange.rendered) }
        return "#EXT-X-MAP:\(attributes.rendered)\n"
    }
}
