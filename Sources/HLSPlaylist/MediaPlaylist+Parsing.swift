import Foundation

extension MediaPlaylist {
    /// Parses a media playlist. Accepts LF or CRLF line ends and ignores comments
    /// and blank lines; unrecognised tags are kept in ``unknownTags``,
    /// ``MediaSegment/unknownTags`` and ``trailingTags``.
    ///
    /// Throws when the text is not a media playlist (first line not `#EXTM3U`,
    /// multivariant tags present), lacks `EXT-X-TARGETDURATION`, or a recognised tag
    /// is malformed. Duplicated tags are not errors here (the last one wins); the
    /// ``PlaylistValidator`` reports them.
    public init(parsing text: String) throws(PlaylistParseError) {
        self = try MediaPlaylistParser(lenient: false).parse(PlaylistLexer(text)).playlist
    }

    /// Parses UTF-8 playlist data; see `init(parsing:)` (text).
    public init(parsing data: Data) throws(PlaylistParseError) {
        guard let text = String(data: data, encoding: .utf8) else {
            throw PlaylistParseError(line: 1, reason: .invalidEncoding)
        }
        try self.init(parsing: text)
    }
}

/// Line numbers of the parts of a parsed media playlist, for the validators.
struct MediaPlaylistLines: Sendable {
    struct Segment: Sendable {
        var extinf: Int
        var byteRange: Int?
        var map: Int?
        var key: Int?
        var uri: Int
    }

    var targetDuration: Int?
    var playlistType: Int?
    var map: Int?
    var segments: [Segment] = []
    /// Low-Latency HLS: `EXT-X-PART-INF`, every `EXT-X-PART` (in order, parts of complete
    /// segments and pending ones alike), `EXT-X-SKIP`, the preload hints and rendition reports.
    var partInf: Int?
    var parts: [Int] = []
    var skip: Int?
    var preloadHints: [Int] = []
    var renditionReports: [Int] = []
    /// The last line of a segment or part (URI or `EXT-X-PART`).
    var lastMedia: Int?
}

/// The media playlist parser, shared by the public initialiser (strict) and the
/// validator (lenient: it tolerates a missing target duration and tags of the
/// other playlist kind, which it reports itself with better context).
struct MediaPlaylistParser: Sendable {
    var lenient: Bool

    func parse(_ lexer: PlaylistLexer) throws(PlaylistParseError) -> (playlist: MediaPlaylist, lines: MediaPlaylistLines) {
        guard let first = lexer.lines.first, first.kind == .tag(name: PlaylistTags.header, value: nil) else {
            throw PlaylistParseError(line: 1, reason: .missingHeader)
        }

        var playlist = MediaPlaylist(version: 1, targetDuration: 0)
        var lines = MediaPlaylistLines()
        var sawVersion = false

        // Segment tags seen since the previous URI line.
        var pendingInf: (duration: Double, title: String, line: Int)?
        var pendingByteRange: (ByteRange, Int)?
        var pendingDiscontinuity = false
        var pendingMap: (MediaInitializationSection, Int)?
        var pendingKey: (EncryptionKey, Int)?
        var pendingUnknown: [String] = []
        var pendingParts: [PartialSegment] = []

        for line in lexer.lines.dropFirst() {
            switch line.kind {
            case .blank, .comment:
                continue

            case .uri(let uri):
                guard let inf = pendingInf else {
                    throw PlaylistParseError(line: line.number, reason: .orphanURI(uri))
                }
                let isFirst = playlist.segments.isEmpty
                playlist.segments.append(MediaSegment(
                    uri: uri,
                    duration: inf.duration,
                    title: inf.title,
                    byteRange: pendingByteRange?.0,
                    discontinuity: pendingDiscontinuity,
                    map: pendingMap?.0,
                    key: pendingKey?.0,
                    unknownTags: isFirst ? [] : pendingUnknown,
                    parts: pendingParts
                ))
                if isFirst { playlist.unknownTags += pendingUnknown }
                lines.segments.append(.init(extinf: inf.line, byteRange: pendingByteRange?.1, map: pendingMap?.1, key: pendingKey?.1, uri: line.number))
                pendingInf = nil
                pendingByteRange = nil
                pendingDiscontinuity = false
                pendingMap = nil
                pendingKey = nil
                pendingUnknown = []
                pendingParts = []
                lines.lastMedia = line.number

            case .tag(let name, let value):
                let value = value ?? ""
                let number = line.number
                switch name {
                case PlaylistTags.header:
                    continue
                case PlaylistTags.version:
                    playlist.version = try Self.integer(value, tag: name, line: number)
                    sawVersion = true
                case PlaylistTags.targetDuration:
                    playlist.targetDuration = try Self.integer(value, tag: name, line: number)
                    lines.targetDuration = number
                case PlaylistTags.mediaSequence:
                    playlist.mediaSequence = try Self.integer(value, tag: name, line: number)
                case PlaylistTags.discontinuitySequence:
                    playlist.discontinuitySequence = try Self.integer(value, tag: name, line: number)
                case PlaylistTags.playlistType:
                    guard let type = PlaylistType(rawValue: value) else {
                        throw PlaylistParseError(line: number, reason: .malformedValue(tag: name, value: value))
                    }
                    playlist.playlistType = type
                    lines.playlistType = number
                case PlaylistTags.independentSegments:
                    playlist.independentSegments = true
                case PlaylistTags.iFramesOnly:
                    playlist.iFramesOnly = true
                case PlaylistTags.endList:
                    playlist.endList = true
                case PlaylistTags.serverControl:
                    playlist.serverControl = try Self.serverControl(value, line: number)
                case PlaylistTags.extinf:
                    if let pending = pendingInf {
                        throw PlaylistParseError(line: pending.line, reason: .missingURI(tag: name))
                    }
                    let (duration, title) = try Self.extinf(value, line: number)
                    pendingInf = (duration, title, number)
                case PlaylistTags.byteRange:
                    guard let byteRange = ByteRange(parsing: value) else {
                        throw PlaylistParseError(line: number, reason: .malformedValue(tag: name, value: value))
                    }
                    pendingByteRange = (byteRange, number)
                case PlaylistTags.discontinuity:
                    pendingDiscontinuity = true
                case PlaylistTags.partInf:
                    let attributes = try Self.attributes(value, tag: name, line: number)
                    playlist.partTarget = try AttributeValues.required(
                        AttributeValues.float(attributes, "PART-TARGET", tag: name, line: number), "PART-TARGET", tag: name, line: number
                    )
                    lines.partInf = number
                case PlaylistTags.part:
                    pendingParts.append(try Self.part(value, line: number))
                    lines.parts.append(number)
                    lines.lastMedia = number
                case PlaylistTags.skip:
                    let attributes = try Self.attributes(value, tag: name, line: number)
                    playlist.skippedSegments = try AttributeValues.required(
                        AttributeValues.integer(attributes, "SKIPPED-SEGMENTS", tag: name, line: number), "SKIPPED-SEGMENTS", tag: name, line: number
                    )
                    lines.skip = number
                case PlaylistTags.preloadHint:
                    playlist.preloadHints.append(try Self.preloadHint(value, line: number))
                    lines.preloadHints.append(number)
                case PlaylistTags.renditionReport:
                    playlist.renditionReports.append(try Self.renditionReport(value, line: number))
                    lines.renditionReports.append(number)
                case PlaylistTags.key:
                    pendingKey = (try Self.key(value, line: number), number)
                case PlaylistTags.map:
                    let map = try Self.map(value, line: number)
                    if playlist.segments.isEmpty {
                        playlist.map = map
                        lines.map = number
                    } else {
                        pendingMap = (map, number)
                    }
                default:
                    if PlaylistTags.multivariantOnly.contains(name) {
                        if lenient { continue }
                        throw PlaylistParseError(line: number, reason: .wrongPlaylistKind(tag: name))
                    }
                    pendingUnknown.append(line.text)
                }
            }
        }

        if let pending = pendingInf {
            throw PlaylistParseError(line: pending.line, reason: .missingURI(tag: PlaylistTags.extinf))
        }
        if playlist.segments.isEmpty {
            playlist.unknownTags += pendingUnknown
        } else {
            playlist.trailingTags = pendingUnknown
        }
        playlist.pendingParts = pendingParts
        if lines.targetDuration == nil, !lenient {
            throw PlaylistParseError(line: 1, reason: .missingTag(PlaylistTags.targetDuration))
        }
        // RFC 8216 §4.3.1.2: a playlist without EXT-X-VERSION is version 1.
        if !sawVersion { playlist.version = 1 }
        return (playlist, lines)
    }

    static func integer(_ value: String, tag: String, line: Int) throws(PlaylistParseError) -> Int {
        guard let number = DecimalNumber.integer(value) else {
            throw PlaylistParseError(line: line, reason: .malformedValue(tag: tag, value: value))
        }
        return number
    }

    /// `#EXTINF:<duration>,[<title>]`. The comma is required by the RFC but often
    /// missing in the wild, so it is tolerated.
    static func extinf(_ value: String, line: Int) throws(PlaylistParseError) -> (Double, String) {
        let parts = value.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        guard let duration = DecimalNumber.floatingPoint(parts[0]) else {
            throw PlaylistParseError(line: line, reason: .malformedValue(tag: PlaylistTags.extinf, value: value))
        }
        return (duration, parts.count == 2 ? String(parts[1]) : "")
    }

    static func attributes(_ value: String, tag: String, line: Int) throws(PlaylistParseError) -> AttributeList {
        do {
            return try AttributeList(parsing: value)
        } catch {
            throw PlaylistParseError(line: line, reason: .malformedAttributeList(tag: tag, detail: error.detail))
        }
    }

    static func map(_ value: String, line: Int) throws(PlaylistParseError) -> MediaInitializationSection {
        let tag = PlaylistTags.map
        let attributes = try attributes(value, tag: tag, line: line)
        guard let uri = attributes["URI"]?.text else {
            throw PlaylistParseError(line: line, reason: .missingAttribute(tag: tag, attribute: "URI"))
        }
        var byteRange: ByteRange?
        if let text = attributes["BYTERANGE"]?.text {
            guard let parsed = ByteRange(parsing: text) else {
                throw PlaylistParseError(line: line, reason: .invalidAttributeValue(tag: tag, attribute: "BYTERANGE", value: text))
            }
            byteRange = parsed
        }
        return MediaInitializationSection(uri: uri, byteRange: byteRange)
    }

    static func key(_ value: String, line: Int) throws(PlaylistParseError) -> EncryptionKey {
        let tag = PlaylistTags.key
        let attributes = try attributes(value, tag: tag, line: line)
        let method = try AttributeValues.required(attributes["METHOD"]?.text, "METHOD", tag: tag, line: line)
        var key = EncryptionKey(method: EncryptionKey.Method(rawValue: method), uri: attributes["URI"]?.text)
        if let text = attributes["IV"]?.text {
            guard let iv = EncryptionKey.bytes(hexadecimal: text) else {
                throw PlaylistParseError(line: line, reason: .invalidAttributeValue(tag: tag, attribute: "IV", value: text))
            }
            key.iv = iv
        }
        key.keyFormat = attributes["KEYFORMAT"]?.text
        key.keyFormatVersions = attributes["KEYFORMATVERSIONS"]?.text
        return key
    }

    static func part(_ value: String, line: Int) throws(PlaylistParseError) -> PartialSegment {
        let tag = PlaylistTags.part
        let attributes = try attributes(value, tag: tag, line: line)
        let uri = try AttributeValues.required(attributes["URI"]?.text, "URI", tag: tag, line: line)
        let duration = try AttributeValues.required(AttributeValues.float(attributes, "DURATION", tag: tag, line: line), "DURATION", tag: tag, line: line)
        var part = PartialSegment(uri: uri, duration: duration)
        if let text = attributes["INDEPENDENT"]?.text {
            part.independent = try AttributeValues.yesNo(text, tag: tag, attribute: "INDEPENDENT", line: line)
        }
        if let text = attributes["GAP"]?.text {
            part.gap = try AttributeValues.yesNo(text, tag: tag, attribute: "GAP", line: line)
        }
        if let text = attributes["BYTERANGE"]?.text {
            guard let byteRange = ByteRange(parsing: text) else {
                throw PlaylistParseError(line: line, reason: .invalidAttributeValue(tag: tag, attribute: "BYTERANGE", value: text))
            }
            part.byteRange = byteRange
        }
        return part
    }

    static func preloadHint(_ value: String, line: Int) throws(PlaylistParseError) -> PreloadHint {
        let tag = PlaylistTags.preloadHint
        let attributes = try attributes(value, tag: tag, line: line)
        let type = try AttributeValues.required(attributes["TYPE"]?.text, "TYPE", tag: tag, line: line)
        guard let kind = PreloadHint.Kind(rawValue: type) else {
            throw PlaylistParseError(line: line, reason: .invalidAttributeValue(tag: tag, attribute: "TYPE", value: type))
        }
        return PreloadHint(
            kind: kind, uri: try AttributeValues.required(attributes["URI"]?.text, "URI", tag: tag, line: line),
            byteRangeStart: try AttributeValues.integer(attributes, "BYTERANGE-START", tag: tag, line: line),
            byteRangeLength: try AttributeValues.integer(attributes, "BYTERANGE-LENGTH", tag: tag, line: line)
        )
    }

    static func renditionReport(_ value: String, line: Int) throws(PlaylistParseError) -> RenditionReport {
        let tag = PlaylistTags.renditionReport
        let attributes = try attributes(value, tag: tag, line: line)
        return RenditionReport(
            uri: try AttributeValues.required(attributes["URI"]?.text, "URI", tag: tag, line: line),
            lastMediaSequence: try AttributeValues.integer(attributes, "LAST-MSN", tag: tag, line: line),
            lastPart: try AttributeValues.integer(attributes, "LAST-PART", tag: tag, line: line)
        )
    }

    static func serverControl(_ value: String, line: Int) throws(PlaylistParseError) -> ServerControl {
        let tag = PlaylistTags.serverControl
        let attributes = try attributes(value, tag: tag, line: line)
        var control = ServerControl()
        if let text = attributes["CAN-BLOCK-RELOAD"]?.text {
            control.canBlockReload = try AttributeValues.yesNo(text, tag: tag, attribute: "CAN-BLOCK-RELOAD", line: line)
        }
        control.holdBack = try AttributeValues.float(attributes, "HOLD-BACK", tag: tag, line: line)
        control.partHoldBack = try AttributeValues.float(attributes, "PART-HOLD-BACK", tag: tag, line: line)
        control.canSkipUntil = try AttributeValues.float(attributes, "CAN-SKIP-UNTIL", tag: tag, line: line)
        if let text = attributes["CAN-SKIP-DATERANGES"]?.text {
            control.canSkipDateRanges = try AttributeValues.yesNo(text, tag: tag, attribute: "CAN-SKIP-DATERANGES", line: line)
        }
        return control
    }
}
