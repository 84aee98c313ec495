import Foundation

/// Validates a whole playlist tree: a multivariant playlist, every media and
/// I-frame playlist it references, and the segments and initialization
/// sections those reference.
///
/// On top of ``PlaylistValidator``'s per-playlist checks it reports URIs that are
/// absolute or climb out of the root, referenced files that do not exist,
/// `EXT-X-BYTERANGE`s (and `EXT-X-MAP` byte ranges) that extend past the end of
/// their file, variants whose playlist is I-frames-only (or I-frame streams whose
/// playlist is not), and references to a multivariant playlist from a
/// multivariant playlist. The playlist of a `TYPE=SUBTITLES` rendition must be a
/// WebVTT playlist, and its segments (small text files) are read to check their
/// `WEBVTT` signature and `X-TIMESTAMP-MAP`; other segment files are never read,
/// only their sizes asked for.
///
/// Violations name files by their path relative to the source's root, e.g.
/// `720p/index.m3u8:12`.
public struct PlaylistTreeValidator: Sendable {
    /// Where files are read from.
    public var source: any PlaylistSource
    /// The per-playlist validator.
    public var validator: PlaylistValidator

    /// Creates a tree validator reading from `source`.
    public init(source: any PlaylistSource, validator: PlaylistValidator = PlaylistValidator()) {
        self.source = source
        self.validator = validator
    }

    /// Validates the tree starting at `entry`: a multivariant or media playlist,
    /// or a directory (`""` for the root, or a path ending in `/`, or any path that
    /// is not a file), in which `master.m3u8` — failing that `index.m3u8` — is used.
    public func validate(entry: String = "") async -> [PlaylistViolation] {
        var walk = TreeWalk(source: source, validator: validator)
        if let path = await walk.entryPlaylist(entry) {
            await walk.visitEntry(path)
        }
        return walk.violations
    }
}

/// The mutable state of one validation run.
struct TreeWalk {
    let source: any PlaylistSource
    let validator: PlaylistValidator
    var violations: [PlaylistViolation] = []
    /// Cached sizes: a single-file rendition names the same file for every segment.
    var sizes: [String: Int?] = [:]
    /// What each playlist already visited turned out to be (`nil`: unusable), so that a
    /// second reference is still checked for its kind without validating the file again.
    var visitedPlaylists: [String: PlaylistKindSeen?] = [:]

    enum PlaylistKindSeen {
        case multivariant
        case media(iFramesOnly: Bool)
    }

    /// Where a reference was written, for violations about its target.
    struct Referrer {
        var file: String
        var line: Int?
    }

    init(source: any PlaylistSource, validator: PlaylistValidator) {
        self.source = source
        self.validator = validator
    }

    mutating func report(_ rule: PlaylistViolation.Rule, _ file: String, _ line: Int?, _ message: String) {
        violations.append(PlaylistViolation(rule: rule, file: file, line: line, message: message))
    }

    mutating func size(of path: String) async -> Result<Int?, any Error> {
        if let cached = sizes[path] { return .success(cached) }
        do {
            let size = try await source.size(of: path)
            sizes[path] = size
            return .success(size)
        } catch {
            return .failure(error)
        }
    }

    // MARK: Entry

    mutating func entryPlaylist(_ entry: String) async -> String? {
        var path = entry
        while path.hasPrefix("./") { path.removeFirst(2) }
        let looksLikeDirectory = path.isEmpty || path == "." || path.hasSuffix("/")
        if !looksLikeDirectory, case .success(_?) = await size(of: path) { return path }

        let directory = path == "." ? "" : (path.hasSuffix("/") ? String(path.dropLast()) : path)
        for name in ["master.m3u8", "index.m3u8"] {
            let candidate = directory.isEmpty ? name : "\(directory)/\(name)"
            if case .success(_?) = await size(of: candidate) { return candidate }
        }
        if looksLikeDirectory || !(path.hasSuffix(".m3u8") || path.hasSuffix(".m3u")) {
            report(.missingFile, directory.isEmpty ? "." : directory, nil, "no master.m3u8 or index.m3u8 found")
        } else {
            report(.missingFile, path, nil, "no such playlist")
        }
        return nil
    }

    mutating func visitEntry(_ path: String) async {
        visitedPlaylists[path] = .some(nil)
        guard let lexer = await readPlaylist(path, referrer: nil) else { return }
        switch PlaylistKind.detect(lexer) {
        case .multivariant?:
            visitedPlaylists[path] = .multivariant
            await visitMultivariant(lexer, path: path)
        case .media?:
            let report = validator.checkMedia(lexer, file: path)
            violations += report.violations
            if let playlist = report.playlist, let lines = report.lines {
                visitedPlaylists[path] = .media(iFramesOnly: playlist.iFramesOnly)
                await checkResources(of: playlist, lines: lines, path: path)
            }
        case nil:
            violations += validator.validate(lexer, file: path)
        }
    }

    // MARK: Playlists

    /// Reads and decodes a playlist, reporting problems at `referrer` (or the file itself).
    mutating func readPlaylist(_ path: String, referrer: Referrer?) async -> PlaylistLexer? {
        let at = referrer ?? Referrer(file: path, line: nil)
        switch await size(of: path) {
        case .failure(let error):
            report(.unreadableFile, at.file, at.line, "cannot read \"\(path)\": \(error)")
            return nil
        case .success(nil):
            report(.missingFile, at.file, at.line, "playlist \"\(path)\" does not exist")
            return nil
        case .success:
            break
        }
        let data: Data
        do {
            data = try await source.contents(of: path)
        } catch {
            report(.unreadableFile, at.file, at.line, "cannot read \"\(path)\": \(error)")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            report(.invalidEncoding, path, nil, "playlist is not UTF-8 text")
            return nil
        }
        return PlaylistLexer(text)
    }

    mutating func visitMultivariant(_ lexer: PlaylistLexer, path: String) async {
        let report = validator.checkMultivariant(lexer, file: path)
        violations += report.violations
        guard let playlist = report.playlist, let lines = report.lines else { return }

        for (rendition, line) in zip(playlist.media, lines.media) {
            guard let uri = rendition.uri else { continue }
            await visitMedia(uri, iFrames: false, subtitles: rendition.type == .subtitles, referrer: Referrer(file: path, line: line))
        }
        for (variant, line) in zip(playlist.variants, lines.variants) {
            await visitMedia(variant.uri, iFrames: false, referrer: Referrer(file: path, line: line.uri))
        }
        for (stream, line) in zip(playlist.iFrameStreams, lines.iFrameStreams) {
            await visitMedia(stream.uri, iFrames: true, referrer: Referrer(file: path, line: line))
        }
    }

    /// Visits the media playlist at `uri`, unless already visited. Renditions are
    /// visited before variants, so a playlist that a `TYPE=SUBTITLES` rendition names
    /// gets the subtitle checks even when a variant names it too.
    mutating func visitMedia(_ uri: String, iFrames: Bool, subtitles: Bool = false, referrer: Referrer) async {
        let path: String
        switch RelativeURI.resolve(uri, relativeTo: referrer.file) {
        case .unsafe(let reason):
            report(.unsafeURI, referrer.file, referrer.line, "URI \"\(uri)\": \(reason)")
            return
        case .path(let resolved):
            path = resolved
        }
        if let seen = visitedPlaylists[path] {
            if let seen { checkKind(seen, uri: uri, iFrames: iFrames, referrer: referrer) }
            return
        }
        visitedPlaylists[path] = .some(nil)
        guard let lexer = await readPlaylist(path, referrer: referrer) else { return }

        if PlaylistKind.detect(lexer) == .multivariant {
            visitedPlaylists[path] = .multivariant
            checkKind(.multivariant, uri: uri, iFrames: iFrames, referrer: referrer)
            return
        }
        let result = validator.checkMedia(lexer, file: path)
        violations += result.violations
        guard let playlist = result.playlist, let lines = result.lines else { return }
        visitedPlaylists[path] = .media(iFramesOnly: playlist.iFramesOnly)
        checkKind(.media(iFramesOnly: playlist.iFramesOnly), uri: uri, iFrames: iFrames, referrer: referrer)
        await checkResources(of: playlist, lines: lines, path: path)
        if subtitles { await checkSubtitles(playlist, lines: lines, path: path) }
    }

    /// A variant or rendition must lead to an ordinary media playlist, an I-frame
    /// stream to an I-frames-only one.
    mutating func checkKind(_ seen: PlaylistKindSeen, uri: String, iFrames: Bool, referrer: Referrer) {
        switch seen {
        case .multivariant:
            report(.wrongPlaylistKind, referrer.file, referrer.line, "\"\(uri)\" is a multivariant playlist, not a media playlist")
        case .media(let iFramesOnly) where iFramesOnly != iFrames:
            report(.wrongPlaylistKind, referrer.file, referrer.line, iFrames
                ? "I-frame stream \"\(uri)\" lacks #EXT-X-I-FRAMES-ONLY"
                : "\"\(uri)\" is an I-frames-only playlist; list it with #EXT-X-I-FRAME-STREAM-INF")
        case .media:
            break
        }
    }

    // MARK: Segments and initialization sections

    mutating func checkResources(of playlist: MediaPlaylist, lines: MediaPlaylistLines, path: String) async {
        var reported = Set<String>()

        if let map = playlist.map {
            await checkResource(map.uri, range: Self.range(map.byteRange), rangeLine: lines.map,
                                referrer: Referrer(file: path, line: lines.map), what: "initialization section", reported: &reported)
        }
        let ranges = playlist.resolvedByteRanges()
        for (index, segment) in playlist.segments.enumerated() where index < lines.segments.count {
            let segmentLines = lines.segments[index]
            if let map = segment.map {
                await checkResource(map.uri, range: Self.range(map.byteRange), rangeLine: segmentLines.map,
                                    referrer: Referrer(file: path, line: segmentLines.map), what: "initialization section", reported: &reported)
            }
            await checkResource(segment.uri, range: ranges[index], rangeLine: segmentLines.byteRange ?? segmentLines.uri,
                                referrer: Referrer(file: path, line: segmentLines.uri), what: "segment", reported: &reported)
        }
        await checkLowLatencyResources(of: playlist, lines: lines, path: path, reported: &reported)
        await checkKeys(of: playlist, lines: lines, path: path, reported: &reported)
    }

    /// Every AES-128 key a playlist names (in the `identity` format: the file is the key)
    /// exists and is 16 bytes.
    mutating func checkKeys(of playlist: MediaPlaylist, lines: MediaPlaylistLines, path: String, reported: inout Set<String>) async {
        for (segment, segmentLines) in zip(playlist.segments, lines.segments) {
            guard let key = segment.key, key.method == .aes128, let uri = key.uri, key.keyFormat ?? "identity" == "identity" else { continue }
            let referrer = Referrer(file: path, line: segmentLines.key)
            guard !reported.contains(uri) else { continue }
            await checkResource(uri, range: nil, rangeLine: nil, referrer: referrer, what: "key", reported: &reported)
            guard case .path(let resolved) = RelativeURI.resolve(uri, relativeTo: path), reported.insert(uri).inserted else { continue }
            if case .success(let size?) = await size(of: resolved), size != 16 {
                report(.invalidKey, path, segmentLines.key, "key \"\(uri)\" is \(size) bytes; an AES-128 key is 16")
            }
        }
    }

    /// Low-Latency HLS: every part that is not a gap exists (inside its file, for an explicit
    /// byte range), and every rendition report names a playlist that exists. A preload hint
    /// names what does not exist yet, so it is not checked.
    mutating func checkLowLatencyResources(of playlist: MediaPlaylist, lines: MediaPlaylistLines, path: String, reported: inout Set<String>) async {
        let parts = playlist.segments.flatMap(\.parts) + playlist.pendingParts
        for (part, line) in zip(parts, lines.parts) where !part.gap {
            await checkResource(part.uri, range: Self.range(part.byteRange), rangeLine: line,
                                referrer: Referrer(file: path, line: line), what: "part", reported: &reported)
        }
        for (report, line) in zip(playlist.renditionReports, lines.renditionReports) {
            await checkResource(report.uri, range: nil, rangeLine: line,
                                referrer: Referrer(file: path, line: line), what: "rendition report's playlist", reported: &reported)
        }
    }

    /// Checks that `uri` names an existing file and that `range` lies inside it.
    /// A missing or unsafe file is reported once per playlist, not once per segment.
    mutating func checkResource(
        _ uri: String, range: Range<Int>?, rangeLine: Int?, referrer: Referrer, what: String, reported: inout Set<String>
    ) async {
        let path: String
        switch RelativeURI.resolve(uri, relativeTo: referrer.file) {
        case .unsafe(let reason):
            if reported.insert(uri).inserted {
                report(.unsafeURI, referrer.file, referrer.line, "\(what) URI \"\(uri)\": \(reason)")
            }
            return
        case .path(let resolved):
            path = resolved
        }
        switch await size(of: path) {
        case .failure(let error):
            if reported.insert(path).inserted {
                report(.unreadableFile, referrer.file, referrer.line, "cannot read \(what) \"\(uri)\": \(error)")
            }
        case .success(nil):
            if reported.insert(path).inserted {
                report(.missingFile, referrer.file, referrer.line, "\(what) \"\(uri)\" does not exist")
            }
        case .success(let size?):
            if let range, range.upperBound > size {
                report(.byteRangeOutOfBounds, referrer.file, rangeLine,
                       "byte range \(range.count)@\(range.lowerBound) of \"\(uri)\" ends at \(range.upperBound), past its size \(size)")
            }
        }
    }

    /// An `EXT-X-MAP` byte range with an explicit offset; `nil` otherwise (a missing
    /// offset is reported by the playlist validator).
    static func range(_ byteRange: ByteRange?) -> Range<Int>? {
        guard let byteRange, let offset = byteRange.offset, offset >= 0, byteRange.length >= 0 else { return nil }
        let (end, overflow) = offset.addingReportingOverflow(byteRange.length)
        return overflow ? nil : offset..<end
    }
}
