/// The result of checking one media playlist: its violations and, when it could
/// be parsed, the model with line numbers (used by the tree validator).
struct MediaPlaylistReport: Sendable {
    var violations: [PlaylistViolation]
    var playlist: MediaPlaylist?
    var lines: MediaPlaylistLines?
}

extension PlaylistValidator {
    func checkMedia(_ lexer: PlaylistLexer, file: String) -> MediaPlaylistReport {
        var violations = commonViolations(lexer, file: file, kind: .media)
        func report(_ rule: PlaylistViolation.Rule, _ line: Int?, _ message: String) {
            violations.append(PlaylistViolation(rule: rule, file: file, line: line, message: message))
        }

        // Tag-level structure.
        if !lexer.lines.contains(where: { $0.tagName == PlaylistTags.targetDuration }) {
            report(.missingTargetDuration, nil, "missing #EXT-X-TARGETDURATION, which every media playlist requires")
        }
        var firstSegmentLine: Int?
        var firstDiscontinuityLine: Int?
        var pendingInf: Int?
        for line in lexer.lines {
            switch line.kind {
            case .uri(let uri):
                firstSegmentLine = firstSegmentLine ?? line.number
                if pendingInf == nil {
                    report(.orphanURI, line.number, "segment URI \"\(uri)\" has no #EXTINF before it")
                }
                pendingInf = nil
            case .tag(let name, _):
                switch name {
                case PlaylistTags.extinf:
                    firstSegmentLine = firstSegmentLine ?? line.number
                    if let pending = pendingInf {
                        report(.missingURI, pending, "#EXTINF is not followed by a segment URI")
                    }
                    pendingInf = line.number
                case PlaylistTags.discontinuity:
                    firstDiscontinuityLine = firstDiscontinuityLine ?? line.number
                case PlaylistTags.mediaSequence, PlaylistTags.discontinuitySequence:
                    if let first = firstSegmentLine {
                        report(.tagAfterFirstSegment, line.number, "#\(name) must appear before the first segment (line \(first))")
                    } else if name == PlaylistTags.discontinuitySequence, let discontinuity = firstDiscontinuityLine {
                        report(.tagAfterFirstSegment, line.number,
                               "#\(name) must appear before any #EXT-X-DISCONTINUITY (line \(discontinuity))")
                    }
                default:
                    break
                }
            case .blank, .comment:
                break
            }
        }
        if let pending = pendingInf {
            report(.missingURI, pending, "#EXTINF is not followed by a segment URI")
        }

        // Model-level checks.
        let parsed: (playlist: MediaPlaylist, lines: MediaPlaylistLines)
        do {
            parsed = try MediaPlaylistParser(lenient: true).parse(lexer)
        } catch {
            merging(error, into: &violations, file: file)
            return MediaPlaylistReport(violations: sorted(violations))
        }
        violations += modelViolations(parsed.playlist, lines: parsed.lines, file: file)
        return MediaPlaylistReport(violations: sorted(violations), playlist: parsed.playlist, lines: parsed.lines)
    }

    private func modelViolations(_ playlist: MediaPlaylist, lines: MediaPlaylistLines, file: String) -> [PlaylistViolation] {
        var violations: [PlaylistViolation] = []
        func report(_ rule: PlaylistViolation.Rule, _ line: Int?, _ message: String) {
            violations.append(PlaylistViolation(rule: rule, file: file, line: line, message: message))
        }

        if lines.targetDuration != nil {
            // Compared as Double: a hostile duration may not fit in an Int.
            let target = Double(playlist.targetDuration)
            for (segment, segmentLines) in zip(playlist.segments, lines.segments) {
                let rounded = segment.duration.rounded(.toNearestOrAwayFromZero)
                if rounded > target {
                    report(.segmentExceedsTargetDuration, segmentLines.extinf,
                           "EXTINF \(DecimalNumber.fixed(segment.duration, fractionDigits: 6)) rounds to \(DecimalNumber.fixed(rounded, fractionDigits: 0)), more than EXT-X-TARGETDURATION \(playlist.targetDuration)")
                }
            }
        }

        var previous: MediaSegment?
        for (segment, segmentLines) in zip(playlist.segments, lines.segments) {
            if let byteRange = segment.byteRange, byteRange.offset == nil,
               previous?.byteRange == nil || previous?.uri != segment.uri {
                report(.byteRangeWithoutOffset, segmentLines.byteRange ?? segmentLines.uri,
                       "EXT-X-BYTERANGE has no offset but the previous segment is not a sub-range of \"\(segment.uri)\"")
            }
            if let map = segment.map, let range = map.byteRange, range.offset == nil {
                report(.byteRangeWithoutOffset, segmentLines.map, "EXT-X-MAP BYTERANGE needs an explicit offset")
            }
            if playlist.iFramesOnly, segment.byteRange == nil {
                report(.iFrameSegmentWithoutByteRange, segmentLines.uri,
                       "segment \"\(segment.uri)\" of an I-frames-only playlist has no EXT-X-BYTERANGE")
            }
            previous = segment
        }
        if let range = playlist.map?.byteRange, range.offset == nil {
            report(.byteRangeWithoutOffset, lines.map, "EXT-X-MAP BYTERANGE needs an explicit offset")
        }

        if playlist.playlistType == .vod, !playlist.endList {
            report(.missingEndList, lines.playlistType, "a VOD playlist must end with #EXT-X-ENDLIST")
        }
        violations += lowLatencyViolations(playlist, lines: lines, file: file)
        violations += keyViolations(playlist, lines: lines, file: file)
        return violations
    }

    /// The rules of `EXT-X-KEY` (RFC 8216 §4.3.2.4) and of an `EXT-X-MAP` it encrypts (§4.3.2.5).
    private func keyViolations(_ playlist: MediaPlaylist, lines: MediaPlaylistLines, file: String) -> [PlaylistViolation] {
        var violations: [PlaylistViolation] = []
        func report(_ line: Int?, _ message: String) {
            violations.append(PlaylistViolation(rule: .invalidKey, file: file, line: line, message: message))
        }
        let encryptedMap = "EXT-X-MAP encrypted with METHOD=AES-128 needs an IV on the EXT-X-KEY that applies to it"
        // The playlist's own EXT-X-MAP, written after the first segment's key.
        if playlist.map != nil, let first = playlist.segments.first?.key, first.method == .aes128, first.iv == nil,
           let keyLine = lines.segments.first?.key, let mapLine = lines.map, keyLine < mapLine {
            report(mapLine, encryptedMap)
        }
        var inEffect: EncryptionKey?
        for (segment, segmentLines) in zip(playlist.segments, lines.segments) {
            let keyFirst = (segmentLines.key ?? .max) < (segmentLines.map ?? .max)
            if keyFirst { inEffect = segment.key ?? inEffect }
            if segment.map != nil, let key = inEffect, key.method == .aes128, key.iv == nil {
                report(segmentLines.map, encryptedMap)
            }
            inEffect = segment.key ?? inEffect
            guard let key = segment.key else { continue }
            let methods = EncryptionKey.Method.known.map(\.rawValue).sorted().joined(separator: ", ")
            if !EncryptionKey.Method.known.contains(key.method) {
                report(segmentLines.key, "EXT-X-KEY METHOD=\(key.method.rawValue) is not one of \(methods)")
            } else if key.method == .none {
                if key.uri != nil || key.iv != nil || key.keyFormat != nil || key.keyFormatVersions != nil {
                    report(segmentLines.key, "EXT-X-KEY METHOD=NONE must have no other attributes")
                }
            } else if key.uri == nil {
                report(segmentLines.key, "EXT-X-KEY METHOD=\(key.method.rawValue) requires a URI")
            }
            if let iv = key.iv, iv.count != 16 {
                report(segmentLines.key, "EXT-X-KEY IV is \(iv.count * 8) bits; it must be 128 (0x and 32 hexadecimal digits)")
            }
        }
        return violations
    }

    /// The rules of Low-Latency HLS (RFC 8216bis §4.4.3.7, §4.4.3.8, §4.4.4.9, §4.4.5).
    private func lowLatencyViolations(_ playlist: MediaPlaylist, lines: MediaPlaylistLines, file: String) -> [PlaylistViolation] {
        var violations: [PlaylistViolation] = []
        func report(_ rule: PlaylistViolation.Rule, _ line: Int?, _ message: String) {
            violations.append(PlaylistViolation(rule: rule, file: file, line: line, message: message))
        }
        let parts = playlist.segments.flatMap(\.parts) + playlist.pendingParts
        if let partTarget = playlist.partTarget {
            // Durations are written with five decimals: allow for their rounding.
            for (part, line) in zip(parts, lines.parts) where part.duration > partTarget + 0.000_01 {
                report(.partExceedsPartTarget, line,
                       "EXT-X-PART DURATION \(DecimalNumber.fixed(part.duration, fractionDigits: 5)) exceeds PART-TARGET \(DecimalNumber.fixed(partTarget, fractionDigits: 5))")
            }
            if let partHoldBack = playlist.serverControl?.partHoldBack {
                if partHoldBack < 2 * partTarget {
                    report(.holdBackTooShort, nil,
                           "PART-HOLD-BACK \(DecimalNumber.fixed(partHoldBack, fractionDigits: 3)) is less than twice PART-TARGET \(DecimalNumber.fixed(partTarget, fractionDigits: 5))")
                }
            } else {
                report(.missingPartInformation, lines.partInf, "EXT-X-PART-INF requires PART-HOLD-BACK in EXT-X-SERVER-CONTROL")
            }
        } else if let first = lines.parts.first {
            report(.missingPartInformation, first, "EXT-X-PART requires EXT-X-PART-INF")
        }
        let target = Double(playlist.targetDuration)
        if let holdBack = playlist.serverControl?.holdBack, holdBack < 3 * target {
            report(.holdBackTooShort, nil, "HOLD-BACK \(DecimalNumber.fixed(holdBack, fractionDigits: 3)) is less than three target durations (\(3 * playlist.targetDuration))")
        }
        if let canSkipUntil = playlist.serverControl?.canSkipUntil, canSkipUntil < 6 * target {
            report(.holdBackTooShort, nil, "CAN-SKIP-UNTIL \(DecimalNumber.fixed(canSkipUntil, fractionDigits: 3)) is less than six target durations (\(6 * playlist.targetDuration))")
        }
        var hintTypes: Set<PreloadHint.Kind> = []
        for (hint, line) in zip(playlist.preloadHints, lines.preloadHints) {
            if let last = lines.lastMedia, line < last {
                report(.misplacedPreloadHint, line, "EXT-X-PRELOAD-HINT must follow the last segment and part (line \(last))")
            }
            if !hintTypes.insert(hint.kind).inserted {
                report(.misplacedPreloadHint, line, "a second EXT-X-PRELOAD-HINT of TYPE=\(hint.kind.rawValue)")
            }
        }
        if let skip = lines.skip {
            if !deltaUpdate {
                report(.skipOutsideDeltaUpdate, skip, "EXT-X-SKIP belongs only in a delta update (a response to _HLS_skip), never in a playlist file")
            } else if playlist.serverControl?.canSkipUntil == nil {
                report(.skipOutsideDeltaUpdate, skip, "EXT-X-SKIP in a playlist whose EXT-X-SERVER-CONTROL has no CAN-SKIP-UNTIL")
            }
        }
        return violations
    }
}
