extension MediaPlaylist {
    /// Writes the playlist in canonical form: `#EXTM3U`, then `EXT-X-VERSION`,
    /// `TARGETDURATION`, `MEDIA-SEQUENCE`, `DISCONTINUITY-SEQUENCE` (if not 0),
    /// `PLAYLIST-TYPE`, `INDEPENDENT-SEGMENTS`, `I-FRAMES-ONLY`, `SERVER-CONTROL`,
    /// `PART-INF`, `MAP`, unknown header tags, `SKIP`, the segments (each after its parts, its
    /// `DISCONTINUITY`, `MAP` and `KEY`),
    /// the parts of the segment in progress, trailing tags, `PRELOAD-HINT`s,
    /// `RENDITION-REPORT`s and `ENDLIST`, each line ending in `\n` — the order Apple's
    /// and FFmpeg's segmenters use.
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
            if let canSkipUntil = serverControl.canSkipUntil {
                attributes.appendUnquoted("CAN-SKIP-UNTIL", DecimalNumber.fixed(max(0, canSkipUntil), fractionDigits: 3))
            }
            if serverControl.canSkipDateRanges { attributes.appendUnquoted("CAN-SKIP-DATERANGES", "YES") }
            out += "#EXT-X-SERVER-CONTROL:\(attributes.rendered)\n"
        }
        if let partTarget {
            out += "#EXT-X-PART-INF:PART-TARGET=\(DecimalNumber.fixed(max(0, partTarget), fractionDigits: 5))\n"
        }
        if let map { out += Self.renderMap(map) }
        for tag in unknownTags { out += LineSafety.tagLine(tag) }
        if let skippedSegments { out += "#EXT-X-SKIP:SKIPPED-SEGMENTS=\(max(0, skippedSegments))\n" }

        for segment in segments {
            for tag in segment.unknownTags { out += LineSafety.tagLine(tag) }
            for part in segment.parts { out += Self.renderPart(part) }
            if segment.discontinuity { out += "#EXT-X-DISCONTINUITY\n" }
            if let map = segment.map { out += Self.renderMap(map) }
            if let key = segment.key { out += Self.renderKey(key) }
            let duration = DecimalNumber.fixed(max(0, segment.duration), fractionDigits: 6)
            out += "#EXTINF:\(duration),\(LineSafety.singleLine(segment.title))\n"
            if let byteRange = segment.byteRange { out += "#EXT-X-BYTERANGE:\(byteRange.rendered)\n" }
            out += LineSafety.uriLine(segment.uri) + "\n"
        }

        for part in pendingParts { out += Self.renderPart(part) }
        for tag in trailingTags { out += LineSafety.tagLine(tag) }
        for hint in preloadHints { out += Self.renderPreloadHint(hint) }
        for report in renditionReports { out += Self.renderRenditionReport(report) }
        if endList { out += "#EXT-X-ENDLIST\n" }
        return out
    }

    static func renderPart(_ part: PartialSegment) -> String {
        var attributes = AttributeList()
        attributes.appendUnquoted("DURATION", DecimalNumber.fixed(max(0, part.duration), fractionDigits: 5))
        attributes.appendQuoted("URI", LineSafety.uriAttribute(part.uri))
        if part.independent { attributes.appendUnquoted("INDEPENDENT", "YES") }
        if let byteRange = part.byteRange { attributes.appendQuoted("BYTERANGE", byteRange.rendered) }
        if part.gap { attributes.appendUnquoted("GAP", "YES") }
        return "#EXT-X-PART:\(attributes.rendered)\n"
    }

    static func renderPreloadHint(_ hint: PreloadHint) -> String {
        var attributes = AttributeList()
        attributes.appendUnquoted("TYPE", hint.kind.rawValue)
        attributes.appendQuoted("URI", LineSafety.uriAttribute(hint.uri))
        if let start = hint.byteRangeStart { attributes.appendUnquoted("BYTERANGE-START", String(max(0, start))) }
        if let length = hint.byteRangeLength { attributes.appendUnquoted("BYTERANGE-LENGTH", String(max(0, length))) }
        return "#EXT-X-PRELOAD-HINT:\(attributes.rendered)\n"
    }

    static func renderRenditionReport(_ report: RenditionReport) -> String {
        var attributes = AttributeList()
        attributes.appendQuoted("URI", LineSafety.uriAttribute(report.uri))
        if let msn = report.lastMediaSequence { attributes.appendUnquoted("LAST-MSN", String(max(0, msn))) }
        if let part = report.lastPart { attributes.appendUnquoted("LAST-PART", String(max(0, part))) }
        return "#EXT-X-RENDITION-REPORT:\(attributes.rendered)\n"
    }

    static func renderKey(_ key: EncryptionKey) -> String {
        var attributes = AttributeList()
        attributes.appendUnquoted("METHOD", key.method.rawValue)
        if let uri = key.uri { attributes.appendQuoted("URI", LineSafety.uriAttribute(uri)) }
        if let iv = key.iv { attributes.appendUnquoted("IV", EncryptionKey.hexadecimal(iv)) }
        if let format = key.keyFormat { attributes.appendQuoted("KEYFORMAT", format) }
        if let versions = key.keyFormatVersions { attributes.appendQuoted("KEYFORMATVERSIONS", versions) }
        return "#EXT-X-KEY:\(attributes.rendered)\n"
    }

    static func renderMap(_ map: MediaInitializationSection) -> String {
        var attributes = AttributeList()
        attributes.appendQuoted("URI", LineSafety.uriAttribute(map.uri))
        if let byteRange = map.byteRange { attributes.appendQuoted("BYTERANGE", byteRange.rendered) }
        return "#EXT-X-MAP:\(attributes.rendered)\n"
    }
}
