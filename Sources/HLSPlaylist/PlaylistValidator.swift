import Foundation

/// Checks one playlist's text against RFC 8216 and Reel's strict authoring
/// profile (which also makes `CODECS`, I-frame byte ranges, and `AUTOSELECT=YES`
/// beside `DEFAULT=YES`, mandatory).
///
/// Checks run at two levels: on the raw tags, so that duplicated or misplaced
/// tags are caught although the model cannot represent them; and on the parsed
/// model (durations, byte ranges, end list). When the text cannot be parsed, the
/// first parse error is reported and the model-level checks are skipped.
///
/// To check a model you are about to publish, validate its rendering:
/// `PlaylistValidator().validate(playlist.render(), file: "index.m3u8")`.
public struct PlaylistValidator: Sendable {
    /// The text is a delta update (a server's answer to `_HLS_skip`), where `EXT-X-SKIP` belongs.
    public var deltaUpdate: Bool

    /// Creates a validator; `deltaUpdate` for the answer to a `_HLS_skip` request.
    public init(deltaUpdate: Bool = false) {
        self.deltaUpdate = deltaUpdate
    }

    /// Validates `text`, detecting whether it is a media or a multivariant playlist.
    /// `file` only labels the violations' locations.
    public func validate(_ text: String, file: String = "") -> [PlaylistViolation] {
        validate(PlaylistLexer(text), file: file)
    }

    func validate(_ lexer: PlaylistLexer, file: String) -> [PlaylistViolation] {
        switch PlaylistKind.detect(lexer) {
        case .media?: return checkMedia(lexer, file: file).violations
        case .multivariant?: return checkMultivariant(lexer, file: file).violations
        case nil:
            var violations = commonViolations(lexer, file: file, kind: nil)
            violations.append(PlaylistViolation(
                rule: .unknownPlaylistKind, file: file, line: nil,
                message: "neither a media playlist (no EXTINF or EXT-X-TARGETDURATION) nor a multivariant playlist (no EXT-X-STREAM-INF)"
            ))
            return violations
        }
    }

    /// Validates `text` as a media playlist.
    public func validateMediaPlaylist(_ text: String, file: String = "") -> [PlaylistViolation] {
        checkMedia(PlaylistLexer(text), file: file).violations
    }

    /// Validates `text` as a multivariant (master) playlist.
    public func validateMultivariantPlaylist(_ text: String, file: String = "") -> [PlaylistViolation] {
        checkMultivariant(PlaylistLexer(text), file: file).violations
    }
}

// MARK: - Checks shared by both kinds

extension PlaylistValidator {
    /// Encoding, header, duplicate and misplaced tags, and the version requirement.
    func commonViolations(_ lexer: PlaylistLexer, file: String, kind: PlaylistKind?) -> [PlaylistViolation] {
        var violations: [PlaylistViolation] = []
        func report(_ rule: PlaylistViolation.Rule, _ line: Int?, _ message: String) {
            violations.append(PlaylistViolation(rule: rule, file: file, line: line, message: message))
        }

        if lexer.hasByteOrderMark { report(.invalidEncoding, 1, "playlist starts with a byte order mark") }
        if lexer.lines.first?.kind != .tag(name: PlaylistTags.header, value: nil) {
            report(.missingHeader, 1, "first line is not #EXTM3U")
        }

        var seen: [String: Int] = [:]
        var declaredVersion: (value: Int?, line: Int)?
        for line in lexer.lines {
            if line.text.unicodeScalars.contains(where: Self.isForbiddenControl) {
                report(.invalidEncoding, line.number, "line contains a control character")
            }
            guard case .tag(let name, let value) = line.kind else { continue }
            if name == PlaylistTags.header, line.number != 1 {
                report(.misplacedTag, line.number, "#EXTM3U may only be the first line")
            }
            if PlaylistTags.atMostOnce.contains(name) {
                if let first = seen[name] {
                    report(.duplicateTag, line.number, "#\(name) repeats line \(first); it may appear only once")
                } else {
                    seen[name] = line.number
                }
            }
            if name == PlaylistTags.version {
                declaredVersion = (DecimalNumber.integer(value ?? ""), line.number)
            }
            switch kind {
            case .media? where PlaylistTags.multivariantOnly.contains(name):
                report(.misplacedTag, line.number, "#\(name) is a multivariant playlist tag; it must not appear in a media playlist")
            case .multivariant? where PlaylistTags.mediaOnly.contains(name):
                report(.misplacedTag, line.number, "#\(name) is a media playlist tag; it must not appear in a multivariant playlist")
            default:
                break
            }
        }

        if let required = VersionRequirement.highest(in: lexer) {
            if let declaredVersion {
                if let value = declaredVersion.value, value < required.version {
                    report(.versionTooLow, declaredVersion.line,
                           "EXT-X-VERSION is \(value) but \(required.feature) (line \(required.line)) requires at least \(required.version)")
                }
            } else {
                report(.versionTooLow, nil,
                       "no EXT-X-VERSION (so version 1) but \(required.feature) (line \(required.line)) requires at least \(required.version)")
            }
        }
        return violations
    }

    /// Adds a parse error as a violation unless its line was already reported:
    /// the raw checks usually describe the same problem with more context.
    func merging(_ error: PlaylistParseError, into violations: inout [PlaylistViolation], file: String) {
        guard !violations.contains(where: { $0.line == error.line }) else { return }
        violations.append(PlaylistViolation(rule: .init(error.reason), file: file, line: error.line, message: error.message))
    }

    /// Orders violations by line (file-level ones first), keeping discovery order on ties.
    func sorted(_ violations: [PlaylistViolation]) -> [PlaylistViolation] {
        violations.enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            .map(\.element)
    }

    /// RFC 8216 §4.1: no control characters other than CR and LF (which the lexer removed).
    private static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
