extension MultivariantPlaylist {
    /// Writes the playlist in canonical form: `#EXTM3U`, `EXT-X-VERSION`,
    /// `EXT-X-INDEPENDENT-SEGMENTS`, unknown tags, every `EXT-X-MEDIA`, every
    /// `EXT-X-STREAM-INF` with its URI line, then every `EXT-X-I-FRAME-STREAM-INF`.
    /// Each line ends in `\n`.
    ///
    /// Quoted-string attributes (`URI`, `CODECS`, `GROUP-ID`, `NAME`, `AUDIO`,
    /// `LANGUAGE`, `CHARACTERISTICS`, `CHANNELS`, `INSTREAM-ID`, a `CLOSED-CAPTIONS`
    /// group) are quoted; enumerated ones (`TYPE`, `DEFAULT`, `AUTOSELECT`, `FORCED`,
    /// `VIDEO-RANGE`, `CLOSED-CAPTIONS=NONE`) and numbers are not. `FRAME-RATE` has
    /// three decimals. `DEFAULT` and `AUTOSELECT` are always written, `FORCED` always
    /// for `TYPE=SUBTITLES` and never otherwise (RFC 8216 §4.3.4.1 allows it only there).
    public func render() -> String {
        var out = "#EXTM3U\n"
        out += "#EXT-X-VERSION:\(max(version, minimumVersion))\n"
        if independentSegments { out += "#EXT-X-INDEPENDENT-SEGMENTS\n" }
        for tag in unknownTags { out += LineSafety.tagLine(tag) }
        for rendition in media { out += "#EXT-X-MEDIA:\(Self.attributes(rendition).rendered)\n" }
        for variant in variants {
            out += "#EXT-X-STREAM-INF:\(Self.attributes(variant).rendered)\n"
            out += LineSafety.uriLine(variant.uri) + "\n"
        }
        for stream in iFrameStreams {
            out += "#EXT-X-I-FRAME-STREAM-INF:\(Self.attributes(stream).rendered)\n"
        }
        return out
    }

    static func attributes(_ rendition: Rendition) -> AttributeList {
        var list = AttributeList()
        list.appendUnquoted("TYPE", rendition.type.rawValue)
        list.appendQuoted("GROUP-ID", rendition.groupId)
        list.appendQuoted("NAME", rendition.name)
        if let language = rendition.language { list.appendQuoted("LANGUAGE", language) }
        list.appendUnquoted("DEFAULT", rendition.isDefault ? "YES" : "NO")
        list.appendUnquoted("AUTOSELECT", rendition.autoselect ? "YES" : "NO")
        if rendition.type == .subtitles { list.appendUnquoted("FORCED", rendition.forced ? "YES" : "NO") }
        if let instreamId = rendition.instreamId { list.appendQuoted("INSTREAM-ID", instreamId) }
        if let characteristics = rendition.characteristics { list.appendQuoted("CHARACTERISTICS", characteristics) }
        if let channels = rendition.channels { list.appendQuoted("CHANNELS", channels) }
        if let uri = rendition.uri { list.appendQuoted("URI", LineSafety.uriAttribute(uri)) }
        return list
    }

    static func attributes(_ variant: VariantStream) -> AttributeList {
        var list = AttributeList()
        appendCommon(
            to: &list, bandwidth: variant.bandwidth, averageBandwidth: variant.averageBandwidth,
            codecs: variant.codecs, resolution: variant.resolution
        )
        if let frameRate = variant.frameRate {
            list.appendUnquoted("FRAME-RATE", DecimalNumber.fixed(max(0, frameRate), fractionDigits: 3))
        }
        if let videoRange = variant.videoRange { list.appendUnquoted("VIDEO-RANGE", videoRange.rawValue) }
        if let audio = variant.audio { list.appendQuoted("AUDIO", audio) }
        if let video = variant.video { list.appendQuoted("VIDEO", video) }
        if let subtitles = variant.subtitles { list.appendQuoted("SUBTITLES", subtitles) }
        switch variant.closedCaptions {
        case .none?: list.appendUnquoted("CLOSED-CAPTIONS", "NONE")
        case .group(let id)?: list.appendQuoted("CLOSED-CAPTIONS", id)
        case nil: break
        }
        return list
    }

    static func attributes(_ stream: IFrameStream) -> AttributeList {
        var list = AttributeList()
        appendCommon(
            to: &list, bandwidth: stream.bandwidth, averageBandwidth: stream.averageBandwidth,
            codecs: stream.codecs, resolution: stream.resolution
        )
        if let videoRange = stream.videoRange { list.appendUnquoted("VIDEO-RANGE", videoRange.rawValue) }
        list.appendQuoted("URI", LineSafety.uriAttribute(stream.uri))
        return list
    }

    private static func appendCommon(
        to list: inout AttributeList, bandwidth: Int, averageBandwidth: Int?, codecs: [String]?, resolution: Resolution?
    ) {
        list.appendUnquoted("BANDWIDTH", String(max(0, bandwidth)))
        if let averageBandwidth { list.appendUnquoted("AVERAGE-BANDWIDTH", String(max(0, averageBandwidth))) }
        if let codecs { list.appendQuoted("CODECS", codecs.joined(separator: ",")) }
        if let resolution { list.appendUnquoted("RESOLUTION", resolution.rendered) }
    }
}
