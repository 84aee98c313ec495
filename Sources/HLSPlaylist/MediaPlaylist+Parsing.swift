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
        var state = State()
        for line in lexer.lines.dropFirst() {
            switch line.kind {
            case .blank, .comment:
                continue
            case .uri(let uri):
                try state.segment(uri: uri, line: line.number)
            case .tag(let name, let value):
                let value = value ?? ""
                if name == PlaylistTags.header { continue }
                if try state.playlistTag(name, value, line: line.number) { continue }
                if try state.segmentTag(name, value, line: line.number) { continue }
                if PlaylistTags.multivariantOnly.contains(name) {
                    if lenient { continue }
                    throw PlaylistParseError(line: line.number, reason: .wrongPlaylistKind(tag: name))
                }
                state.pendingUnknown.append(line.text)
            }
        }
        return try state.finish(lenient: lenient)
    }

    /// The playlist as parsed so far, and the segment tags seen since the previous URI line.
    private struct State {
        var playlist = MediaPlaylist(version: 1, targetDuration: 0)
        var lines = MediaPlaylistLines()
        var sawVersion = false
        var pendingInf: (duration: Double, title: String, line: Int)?
        var pendingByteRange: (ByteRange, Int)?
        var pendingDiscontinuity = false
        var pendingMap: (MediaInitializationSection, Int)?
        var pendingKey: (EncryptionKey, Int)?
        var pendingUnknown: [String] = []
        var pendingParts: [PartialSegment] = []

        /// A URI line: the segment the pending tags describe.
        mutating func segment(uri: String, line: Int) throws(PlaylistParseError) {
            guard let inf = pendingInf else { throw PlaylistParseError(line: line, reason: .orphanURI(uri)) }
            let isFirst = playlist.segments.isEmpty
            playlist.segments.append(MediaSegment(
                uri: uri, duration: inf.duration, title: inf.title, byteRange: pendingByteRange?.0,
                discontinuity: pendingDiscontinuity, map: pendingMap?.0, key: pendingKey?.0,
                unknownTags: isFirst ? [] : pendingUnknown, parts: pendingParts
            ))
            if isFirst { playlist.unknownTags += pendingUnknown }
            lines.segments.append(.init(extinf: inf.line, byteRange: pendingByteRange?.1, map: pendingMap?.1, key: pendingKey?.1, uri: line))
            (pendingInf, pendingByteRange, pendingDiscontinuity, pendingMap, pendingKey) = (nil, nil, false, nil, nil)
            pendingUnknown = []
            pendingParts = []
            lines.lastMedia = line
        }

        /// A tag about the whole playlist; false when `name` is not one.
        mutating func playlistTag(_ name: String, _ value: String, line: Int) throws(PlaylistParseError) -> Bool {
            typealias Parser = MediaPlaylistParser
            switch name {
            case PlaylistTags.version:
                playlist.version = try Parser.integer(value, tag: name, line: line)
                sawVersion = true
            case PlaylistTags.targetDuration:
                playlist.targetDuration = try Parser.integer(value, tag: name, line: line)
                lines.targetDuration = line
            case PlaylistTags.mediaSequence:
                playlist.mediaSequence = try Parser.integer(value, tag: name, line: line)
            case PlaylistTags.discontinuitySequence:
                playlist.discontinuitySequence = try Parser.integer(value, tag: name, line: line)
            case PlaylistTags.playlistType:
                guard let type = PlaylistType(rawValue: value) else {
                    throw PlaylistParseError(line: line, reason: .malformedValue(tag: name, value: value))
                }
                playlist.playlistType = type
                lines.playlistType = line
            case PlaylistTags.independentSegments:
                playlist.independentSegments = true
            case PlaylistTags.iFramesOnly:
                playlist.iFramesOnly = true
            case PlaylistTags.endList:
                playlist.endList = true
            case PlaylistTags.serverControl:
                playlist.serverControl = try Parser.serverControl(value, line: line)
            default:
                return try lowLatencyTag(name, value, line: line)
            }
            return true
        }

        /// A Low-Latency HLS tag about the whole playlist; false when `name` is not one.
        mutating func lowLatencyTag(_ name: String, _ value: String, line: Int) throws(PlaylistParseError) -> Bool {
            typealias Parser = MediaPlaylistParser
            switch name {
            case PlaylistTags.partInf:
                let attributes = try Parser.attributes(value, tag: name, line: line)
                playlist.partTarget = try AttributeValues.required(
                    AttributeValues.float(attributes, "PART-TARGET", tag: name, line: line), "PART-TARGET", tag: name, line: line
                )
                lines.partInf = line
            case PlaylistTags.skip:
                let attributes = try Parser.attributes(value, tag: name, line: line)
                playlist.skippedSegments = try AttributeValues.required(
                    AttributeValues.integer(attributes, "SKIPPED-SEGMENTS", tag: name, line: line), "SKIPPED-SEGMENTS", tag: name, line: line
                )
                lines.skip = line
            case PlaylistTags.preloadHint:
                playlist.preloadHints.append(try Parser.preloadHint(value, line: line))
                lines.preloadHints.append(line)
            case PlaylistTags.renditionReport:
                playlist.renditionReports.append(try Parser.renditionReport(value, line: line))
                lines.renditionReports.append(line)
            default:
                return false
            }
            return true
        }

        /// A tag about the next segment (or, for `EXT-X-MAP` before the first, the playlist);
        /// false when `name` is not one.
        mutating func segmentTag(_ name: String, _ value: String, line: Int) throws(PlaylistParseError) -> Bool {
            typealias Parser = MediaPlaylistParser
            switch name {
            case PlaylistTags.extinf:
                if let pending = pendingInf { throw PlaylistParseError(line: pending.line, reason: .missingURI(tag: name)) }
                let (duration, title) = try Parser.extinf(value, line: line)
                pendingInf = (duration, title, line)
            case PlaylistTags.byteRange:
                guard let byteRange = ByteRange(parsing: value) else {
                    throw PlaylistParseError(line: line, reason: .malformedValue(tag: name, value: value))
                }
                pendingByteRange = (byteRange, line)
            case PlaylistTags.discontinuity:
                pendingDiscontinuity = true
            case PlaylistTags.part:
                pendingParts.append(try Parser.part(value, line: line))
                lines.parts.append(line)
                lines.lastMedia = line
            case PlaylistTags.key:
                pendingKey = (try Parser.key(value, line: line), line)
            case PlaylistTags.map:
                let map = try Parser.map(value, line: line)
                if playlist.segments.isEmpty {
                    (playlist.map, lines.map) = (map, line)
                } else {
                    pendingMap = (map, line)
                }
            default:
                return false
            }
            return true
        }

        /// The playlist, once every line is read.
        func finish(lenient: Bool) throws(PlaylistParseError) -> (playlist: MediaPlaylist, lines: MediaPlaylistLines) {
            if let pending = pendingInf {
                throw PlaylistParseError(line: pending.line, reason: .missingURI(tag: PlaylistTags.extinf))
            }
            var playlist = playlist
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
