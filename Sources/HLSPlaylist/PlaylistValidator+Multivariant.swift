/// The result of checking one multivariant playlist; see ``MediaPlaylistReport``.
struct MultivariantPlaylistReport: Sendable {
    var violations: [PlaylistViolation]
    var playlist: MultivariantPlaylist?
    var lines: MultivariantPlaylistLines?
}

extension PlaylistValidator {
    func checkMultivariant(_ lexer: PlaylistLexer, file: String) -> MultivariantPlaylistReport {
        var violations = commonViolations(lexer, file: file, kind: .multivariant)
        func report(_ rule: PlaylistViolation.Rule, _ line: Int?, _ message: String) {
            violations.append(PlaylistViolation(rule: rule, file: file, line: line, message: message))
        }

        // Every check here works on the attribute lists so that all problems are
        // reported, not just the first one the parser would stop at.
        struct GroupKey: Hashable { var type: String; var id: String }
        var groups = Set<GroupKey>()
        var renditionNames: [GroupKey: [String: Int]] = [:]
        var streamInfs: [(attributes: AttributeList, line: Int)] = []
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
                continue
            case .tag(let name, let value):
                if let pending = pendingStreamInf {
                    report(.missingURI, pending, "#EXT-X-STREAM-INF must be followed by the variant's URI line")
                    pendingStreamInf = nil
                }
                guard [PlaylistTags.media, PlaylistTags.streamInf, PlaylistTags.iFrameStreamInf].contains(name) else { continue }
                let attributes: AttributeList
                do {
                    attributes = try AttributeList(parsing: value ?? "")
                } catch {
                    report(.malformedTag, line.number, "malformed #\(name) attribute list: \(error.detail)")
                    if name == PlaylistTags.streamInf { pendingStreamInf = line.number }
                    continue
                }
                func require(_ attribute: String) {
                    if !attributes.contains(attribute) {
                        report(.missingAttribute, line.number, "#\(name) lacks the required \(attribute) attribute")
                    }
                }

                switch name {
                case PlaylistTags.streamInf:
                    pendingStreamInf = line.number
                    streamInfs.append((attributes, line.number))
                    require("BANDWIDTH")
                    if !attributes.contains("CODECS") {
                        report(.missingCodecs, line.number, "#EXT-X-STREAM-INF has no CODECS attribute")
                    }
                case PlaylistTags.iFrameStreamInf:
                    require("URI")
                    require("BANDWIDTH")
                    if !attributes.contains("CODECS") {
                        report(.missingCodecs, line.number, "#EXT-X-I-FRAME-STREAM-INF has no CODECS attribute")
                    }
                    for forbidden in ["FRAME-RATE", "AUDIO", "SUBTITLES", "CLOSED-CAPTIONS"] where attributes.contains(forbidden) {
                        report(.invalidAttribute, line.number, "#EXT-X-I-FRAME-STREAM-INF must not have a \(forbidden) attribute")
                    }
                default:
                    require("TYPE")
                    require("GROUP-ID")
                    require("NAME")
                    guard let type = attributes["TYPE"]?.text, let groupId = attributes["GROUP-ID"]?.text else { continue }
                    guard let renditionType = RenditionType(rawValue: type) else {
                        report(.invalidAttribute, line.number, "#EXT-X-MEDIA TYPE \(type) is not AUDIO, VIDEO, SUBTITLES or CLOSED-CAPTIONS")
                        continue
                    }
                    let key = GroupKey(type: type, id: groupId)
                    groups.insert(key)
                    if let renditionName = attributes["NAME"]?.text {
                        if let first = renditionNames[key]?[renditionName] {
                            report(.duplicateRenditionName, line.number,
                                   "rendition NAME \"\(renditionName)\" is already used in group \"\(groupId)\" (line \(first))")
                        } else {
                            renditionNames[key, default: [:]][renditionName] = line.number
                        }
                    }
                    checkRendition(renditionType, attributes, line: line.number, report: report)
                }
            }
        }
        if let pending = pendingStreamInf {
            report(.missingURI, pending, "#EXT-X-STREAM-INF must be followed by the variant's URI line")
        }

        if streamInfs.isEmpty {
            report(.noVariants, nil, "multivariant playlist has no #EXT-X-STREAM-INF")
        }
        for (attributes, line) in streamInfs {
            // Each group attribute is named after the TYPE of the group it refers to.
            for type in ["AUDIO", "VIDEO", "SUBTITLES", "CLOSED-CAPTIONS"] {
                guard let value = attributes[type], value != .unquoted("NONE") || type != "CLOSED-CAPTIONS" else { continue }
                if !groups.contains(GroupKey(type: type, id: value.text)) {
                    report(.undefinedGroup, line, "\(type)=\"\(value.text)\" names no #EXT-X-MEDIA group with TYPE=\(type)")
                }
            }
        }

        let parsed: (playlist: MultivariantPlaylist, lines: MultivariantPlaylistLines)
        do {
            parsed = try MultivariantPlaylistParser(lenient: true).parse(lexer)
        } catch {
            merging(error, into: &violations, file: file)
            return MultivariantPlaylistReport(violations: sorted(violations))
        }
        return MultivariantPlaylistReport(violations: sorted(violations), playlist: parsed.playlist, lines: parsed.lines)
    }

    /// RFC 8216 §4.3.4.1 constraints that tie `EXT-X-MEDIA` attributes together.
    private func checkRendition(
        _ type: RenditionType, _ attributes: AttributeList, line: Int,
        report: (PlaylistViolation.Rule, Int?, String) -> Void
    ) {
        switch type {
        case .closedCaptions:
            if attributes.contains("URI") {
                report(.invalidAttribute, line, "#EXT-X-MEDIA with TYPE=CLOSED-CAPTIONS must not have a URI")
            }
            if !attributes.contains("INSTREAM-ID") {
                report(.missingAttribute, line, "#EXT-X-MEDIA with TYPE=CLOSED-CAPTIONS requires INSTREAM-ID")
            }
        case .subtitles:
            if !attributes.contains("URI") {
                report(.missingAttribute, line, "#EXT-X-MEDIA with TYPE=SUBTITLES requires a URI")
            }
            fallthrough
        case .audio, .video:
            if attributes.contains("INSTREAM-ID") {
                report(.invalidAttribute, line, "INSTREAM-ID is only allowed with TYPE=CLOSED-CAPTIONS")
            }
        }
        if attributes["DEFAULT"]?.text == "YES", attributes["AUTOSELECT"]?.text == "NO" {
            report(.invalidAttribute, line, "DEFAULT=YES requires AUTOSELECT=YES")
        }
    }
}
