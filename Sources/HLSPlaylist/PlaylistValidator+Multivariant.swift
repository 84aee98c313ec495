/// The result of checking one multivariant playlist; see ``MediaPlaylistReport``.
struct MultivariantPlaylistReport: Sendable {
    var violations: [PlaylistViolation]
    var playlist: MultivariantPlaylist?
    var lines: MultivariantPlaylistLines?
}

extension PlaylistValidator {
    func checkMultivariant(_ lexer: PlaylistLexer, file: String) -> MultivariantPlaylistReport {
        var check = MultivariantCheck(file: file, violations: commonViolations(lexer, file: file, kind: .multivariant))
        check.visit(lexer)
        check.checkVariants()
        var violations = check.violations

        let parsed: (playlist: MultivariantPlaylist, lines: MultivariantPlaylistLines)
        do {
            parsed = try MultivariantPlaylistParser(lenient: true).parse(lexer)
        } catch {
            merging(error, into: &violations, file: file)
            return MultivariantPlaylistReport(violations: sorted(violations))
        }
        return MultivariantPlaylistReport(violations: sorted(violations), playlist: parsed.playlist, lines: parsed.lines)
    }
}

/// One run of the multivariant checks. Every check works on the attribute lists
/// so that all problems are reported, not just the first one the parser would stop at.
///
/// Tags are checked as they are met (``visit(_:)``); what ties variants to groups
/// is checked once every `EXT-X-MEDIA` is known (``checkVariants()``).
struct MultivariantCheck {
    /// A rendition group: `TYPE` and `GROUP-ID`.
    struct GroupKey: Hashable {
        var type: String
        var id: String
    }

    /// What the `EXT-X-MEDIA` tags of one group declared.
    struct Group {
        /// The line of each `NAME`.
        var names: [String: Int] = [:]
        /// The line of the first rendition with `DEFAULT=YES`.
        var defaultLine: Int?
        /// Whether a member has a `URI` (its media is outside the variant's stream).
        var hasURI = false
    }

    /// A tag's attribute list and line.
    struct Tag {
        var attributes: AttributeList
        var line: Int
    }

    let file: String
    var violations: [PlaylistViolation]
    var groups: [GroupKey: Group] = [:]
    var streamInfs: [Tag] = []
    var iFrameStreamInfs: [Tag] = []

    mutating func report(_ rule: PlaylistViolation.Rule, _ line: Int?, _ message: String) {
        violations.append(PlaylistViolation(rule: rule, file: file, line: line, message: message))
    }

    /// Checks each line: URI lines after `EXT-X-STREAM-INF`, and the attributes of
    /// `EXT-X-MEDIA`, `EXT-X-STREAM-INF` and `EXT-X-I-FRAME-STREAM-INF`.
    mutating func visit(_ lexer: PlaylistLexer) {
        var pendingStreamInf: Int?
        for line in lexer.lines {
            switch line.kind {
            case .blank, .comment:
                continue
            case .uri(let uri):
                if pendingStreamInf == nil {
                    report(.orphanURI, line.number, "URI line \"\(uri)\" has no #EXT-X-STREAM-INF before it")
                }
                pendingStreamInf = nil
            case .tag(let name, let value):
                if let pending = pendingStreamInf {
                    report(.missingURI, pending, "#EXT-X-STREAM-INF must be followed by the variant's URI line")
                    pendingStreamInf = nil
                }
                guard [PlaylistTags.media, PlaylistTags.streamInf, PlaylistTags.iFrameStreamInf].contains(name) else { continue }
                if name == PlaylistTags.streamInf { pendingStreamInf = line.number }
                do {
                    visitTag(name, Tag(attributes: try AttributeList(parsing: value ?? ""), line: line.number))
                } catch {
                    report(.malformedTag, line.number, "malformed #\(name) attribute list: \(error.detail)")
                }
            }
        }
        if let pending = pendingStreamInf {
            report(.missingURI, pending, "#EXT-X-STREAM-INF must be followed by the variant's URI line")
        }
    }

    private mutating func visitTag(_ name: String, _ tag: Tag) {
        func require(_ attribute: String) {
            if !tag.attributes.contains(attribute) {
                report(.missingAttribute, tag.line, "#\(name) lacks the required \(attribute) attribute")
            }
        }
        switch name {
        case PlaylistTags.streamInf:
            streamInfs.append(tag)
            require("BANDWIDTH")
            if !tag.attributes.contains("CODECS") {
                report(.missingCodecs, tag.line, "#EXT-X-STREAM-INF has no CODECS attribute")
            }
            checkVideoRange(tag)
        case PlaylistTags.iFrameStreamInf:
            iFrameStreamInfs.append(tag)
            require("URI")
            require("BANDWIDTH")
            if !tag.attributes.contains("CODECS") {
                report(.missingCodecs, tag.line, "#EXT-X-I-FRAME-STREAM-INF has no CODECS attribute")
            }
            for forbidden in ["FRAME-RATE", "AUDIO", "SUBTITLES", "CLOSED-CAPTIONS"] where tag.attributes.contains(forbidden) {
                report(.invalidAttribute, tag.line, "#EXT-X-I-FRAME-STREAM-INF must not have a \(forbidden) attribute")
            }
            checkVideoRange(tag)
        default:
            require("TYPE")
            require("GROUP-ID")
            require("NAME")
            visitRendition(tag)
        }
    }
}
