import Foundation

extension MultivariantPlaylist {
    /// Parses a multivariant playlist. Accepts LF or CRLF line ends, ignores
    /// comments and blank lines (also between `EXT-X-STREAM-INF` and its URI), and
    /// keeps unrecognised tags in ``unknownTags``. An unrecognised `VIDEO-RANGE` value
    /// reads as `nil` (``PlaylistValidator`` reports it).
    ///
    /// Throws when the first line is not `#EXTM3U`, a media playlist tag appears,
    /// a recognised tag is malformed or lacks a required attribute, or a URI line
    /// is missing or unexpected.
    public init(parsing text: String) throws(PlaylistParseError) {
        self = try MultivariantPlaylistParser(lenient: false).parse(PlaylistLexer(text)).playlist
    }

    /// Parses UTF-8 playlist data; see `init(parsing:)` (text).
    public init(parsing data: Data) throws(PlaylistParseError) {
        guard let text = String(data: data, encoding: .utf8) else {
            throw PlaylistParseError(line: 1, reason: .invalidEncoding)
        }
        try self.init(parsing: text)
    }
}

/// Line numbers of the parts of a parsed multivariant playlist, for the validators.
struct MultivariantPlaylistLines: Sendable {
    /// For each variant: the `EXT-X-STREAM-INF` line and its URI line.
    var variants: [(tag: Int, uri: Int)] = []
    var iFrameStreams: [Int] = []
    var media: [Int] = []
}

/// The multivariant playlist parser; `lenient` skips media playlist tags instead
/// of throwing (the validator reports them itself).
struct MultivariantPlaylistParser: Sendable {
    var lenient: Bool

    func parse(_ lexer: PlaylistLexer) throws(PlaylistParseError) -> (playlist: MultivariantPlaylist, lines: MultivariantPlaylistLines) {
        guard let first = lexer.lines.first, first.kind == .tag(name: PlaylistTags.header, value: nil) else {
            throw PlaylistParseError(line: 1, reason: .missingHeader)
        }
        var playlist = MultivariantPlaylist(version: 1)
        var lines = MultivariantPlaylistLines()
        var pendingVariant: (attributes: AttributeList, line: Int)?

        for line in lexer.lines.dropFirst() {
            switch line.kind {
            case .blank, .comment:
                continue
            case .uri(let uri):
                guard let pending = pendingVariant else {
                    throw PlaylistParseError(line: line.number, reason: .orphanURI(uri))
                }
                playlist.variants.append(try Self.variant(pending.attributes, uri: uri, line: pending.line))
                lines.variants.append((pending.line, line.number))
                pendingVariant = nil
            case .tag(let name, let value):
                if let pending = pendingVariant {
                    throw PlaylistParseError(line: pending.line, reason: .missingURI(tag: PlaylistTags.streamInf))
                }
                let value = value ?? ""
                let number = line.number
                switch name {
                case PlaylistTags.header:
                    continue
                case PlaylistTags.version:
                    playlist.version = try MediaPlaylistParser.integer(value, tag: name, line: number)
                case PlaylistTags.independentSegments:
                    playlist.independentSegments = true
                case PlaylistTags.media:
                    let attributes = try MediaPlaylistParser.attributes(value, tag: name, line: number)
                    playlist.media.append(try Self.rendition(attributes, line: number))
                    lines.media.append(number)
                case PlaylistTags.streamInf:
                    pendingVariant = (try MediaPlaylistParser.attributes(value, tag: name, line: number), number)
                case PlaylistTags.iFrameStreamInf:
                    let attributes = try MediaPlaylistParser.attributes(value, tag: name, line: number)
                    playlist.iFrameStreams.append(try Self.iFrameStream(attributes, line: number))
                    lines.iFrameStreams.append(number)
                default:
                    if PlaylistTags.mediaOnly.contains(name) {
                        if lenient { continue }
                        throw PlaylistParseError(line: number, reason: .wrongPlaylistKind(tag: name))
                    }
                    playlist.unknownTags.append(line.text)
                }
            }
        }
        if let pending = pendingVariant {
            throw PlaylistParseError(line: pending.line, reason: .missingURI(tag: PlaylistTags.streamInf))
        }
        return (playlist, lines)
    }

    static func rendition(_ attributes: AttributeList, line: Int) throws(PlaylistParseError) -> Rendition {
        let tag = PlaylistTags.media
        let typeText = try AttributeValues.required(attributes["TYPE"]?.text, "TYPE", tag: tag, line: line)
        guard let type = RenditionType(rawValue: typeText) else {
            throw PlaylistParseError(line: line, reason: .invalidAttributeValue(tag: tag, attribute: "TYPE", value: typeText))
        }
        var rendition = Rendition(
            type: type,
            groupId: try AttributeValues.required(attributes["GROUP-ID"]?.text, "GROUP-ID", tag: tag, line: line),
            name: try AttributeValues.required(attributes["NAME"]?.text, "NAME", tag: tag, line: line)
        )
        rendition.language = attributes["LANGUAGE"]?.text
        if let text = attributes["DEFAULT"]?.text {
            rendition.isDefault = try AttributeValues.yesNo(text, tag: tag, attribute: "DEFAULT", line: line)
        }
        if let text = attributes["AUTOSELECT"]?.text {
            rendition.autoselect = try AttributeValues.yesNo(text, tag: tag, attribute: "AUTOSELECT", line: line)
        }
        if let text = attributes["FORCED"]?.text {
            rendition.forced = try AttributeValues.yesNo(text, tag: tag, attribute: "FORCED", line: line)
        }
        rendition.instreamId = attributes["INSTREAM-ID"]?.text
        rendition.characteristics = attributes["CHARACTERISTICS"]?.text
        rendition.channels = attributes["CHANNELS"]?.text
        rendition.uri = attributes["URI"]?.text
        return rendition
    }

    static func variant(_ attributes: AttributeList, uri: String, line: Int) throws(PlaylistParseError) -> VariantStream {
        let tag = PlaylistTags.streamInf
        let bandwidth = try AttributeValues.integer(attributes, "BANDWIDTH", tag: tag, line: line)
        var variant = VariantStream(
            uri: uri,
            bandwidth: try AttributeValues.required(bandwidth, "BANDWIDTH", tag: tag, line: line)
        )
        variant.averageBandwidth = try AttributeValues.integer(attributes, "AVERAGE-BANDWIDTH", tag: tag, line: line)
        variant.codecs = attributes["CODECS"].map { codecList($0.text) }
        variant.resolution = try resolution(attributes, tag: tag, line: line)
        variant.frameRate = try AttributeValues.float(attributes, "FRAME-RATE", tag: tag, line: line)
        variant.videoRange = videoRange(attributes)
        variant.audio = attributes["AUDIO"]?.text
        variant.video = attributes["VIDEO"]?.text
        variant.subtitles = attributes["SUBTITLES"]?.text
        switch attributes["CLOSED-CAPTIONS"] {
        case .quoted(let id)?: variant.closedCaptions = .group(id)
        case .unquoted("NONE")?: variant.closedCaptions = ClosedCaptions.none
        case .unquoted(let other)?:
            throw PlaylistParseError(line: line, reason: .invalidAttributeValue(tag: tag, attribute: "CLOSED-CAPTIONS", value: other))
        case nil: break
        }
        return variant
    }

    static func iFrameStream(_ attributes: AttributeList, line: Int) throws(PlaylistParseError) -> IFrameStream {
        let tag = PlaylistTags.iFrameStreamInf
        let bandwidth = try AttributeValues.integer(attributes, "BANDWIDTH", tag: tag, line: line)
        var stream = IFrameStream(
            uri: try AttributeValues.required(attributes["URI"]?.text, "URI", tag: tag, line: line),
            bandwidth: try AttributeValues.required(bandwidth, "BANDWIDTH", tag: tag, line: line)
        )
        stream.averageBandwidth = try AttributeValues.integer(attributes, "AVERAGE-BANDWIDTH", tag: tag, line: line)
        stream.codecs = attributes["CODECS"].map { codecList($0.text) }
        stream.resolution = try resolution(attributes, tag: tag, line: line)
        stream.videoRange = videoRange(attributes)
        return stream
    }

    /// `CODECS="avc1.64001f, mp4a.40.2"` → `["avc1.64001f", "mp4a.40.2"]`.
    static func codecList(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
    }

    /// `VIDEO-RANGE`; an unknown value reads as `nil` rather than failing the whole
    /// playlist (new ranges may appear; ``PlaylistValidator`` reports the value).
    private static func videoRange(_ attributes: AttributeList) -> VideoRange? {
        attributes["VIDEO-RANGE"].flatMap { VideoRange(rawValue: $0.text) }
    }

    private static func resolution(_ attributes: AttributeList, tag: String, line: Int) throws(PlaylistParseError) -> Resolution? {
        guard let text = attributes["RESOLUTION"]?.text else { return nil }
        guard let resolution = Resolution(parsing: text) else {
            throw PlaylistParseError(line: line, reason: .invalidAttributeValue(tag: tag, attribute: "RESOLUTION", value: text))
        }
        return resolution
    }
}
