import HLSPlaylist

/// A playlist request's blocking-reload parameters (RFC 8216bis §6.2.5.2) and what the
/// server does with them. Pure: no I/O, tested directly.
enum BlockingReload: Equatable, Sendable {
    /// No `_HLS_msn`: answer at once.
    case none
    /// Hold the response until media segment `msn` is in the playlist, or with `part`, until
    /// part `part` of it is (Low-Latency HLS).
    case wait(msn: Int, part: Int?)
    /// Malformed parameters: 400.
    case invalid(String)

    /// Reads `_HLS_msn` and `_HLS_part` (values as decoded from the query string).
    init(msn: String?, part: String?) {
        guard let msn else {
            self = part == nil ? .none : .invalid("_HLS_part requires _HLS_msn")
            return
        }
        guard let number = Self.decimal(msn) else {
            self = .invalid("_HLS_msn must be a decimal integer")
            return
        }
        var partNumber: Int?
        if let part {
            guard let number = Self.decimal(part) else {
                self = .invalid("_HLS_part must be a decimal integer")
                return
            }
            partNumber = number
        }
        self = .wait(msn: number, part: partNumber)
    }

    private static func decimal(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// What to do with a request waiting for segment `msn` given the playlist as published now.
    enum Decision: Equatable, Sendable {
        /// Serve the playlist (it has the segment, is complete, or is not a growing media playlist).
        case serve
        /// More than two segments beyond the last one: 400.
        case tooFarAhead
        /// Nothing will ever add the segment (the ingest is gone): 503.
        case abandoned
        /// Keep waiting, at most this many seconds in all (about three target durations).
        case wait(timeout: Double)
    }

    /// - Parameters:
    ///   - part: the part of segment `msn` asked for (`_HLS_part`); ignored by a playlist
    ///     without parts, where a part of segment N is ready when segment N is.
    ///   - playlist: the media playlist as published, nil when it is missing or not a media playlist.
    ///   - ingestRunning: whether an ingest still holds the asset.
    ///
    /// RFC 8216bis §6.2.5.2: the request is answered once the playlist has segment `msn`, or
    /// part `part` of it, or anything later; it is refused (400) when `msn` is more than two
    /// segments beyond the last one, or `part` more than the Advance Part Limit beyond the last
    /// part listed (three seconds of parts: 3 / PART-TARGET when the target is under a second,
    /// else 3).
    static func decide(msn: Int, part: Int? = nil, playlist: MediaPlaylist?, ingestRunning: Bool) -> Decision {
        guard let playlist, !playlist.endList else { return .serve }
        let last = playlist.mediaSequence + (playlist.skippedSegments ?? 0) + playlist.segments.count - 1
        if msn <= last { return .serve }
        if msn > last + 2 { return .tooFarAhead }
        if let part, let partTarget = playlist.partTarget, partTarget > 0 {
            // The segment after the last complete one is being written; its parts are listed.
            let listed = playlist.pendingParts.count
            if msn == last + 1, part < listed { return .serve }
            // How many parts past the last one listed the request is (for segment last + 2, as
            // many as a segment of the target duration holds are still to come in last + 1).
            let perSegment = max(1, Int(Double(playlist.targetDuration) / partTarget))
            let ahead = msn == last + 1 ? part + 1 - listed : max(0, perSegment - listed) + part + 1
            let limit = partTarget < 1 ? Int((3 / partTarget).rounded(.up)) : 3
            if ahead > limit { return .tooFarAhead }
        }
        guard ingestRunning else { return .abandoned }
        return .wait(timeout: Double(3 * max(1, playlist.targetDuration)))
    }
}

extension BlockingReload {
    /// A GET of file `name`, missing when it arrived, that the playlist beside it hints
    /// (`EXT-X-PRELOAD-HINT`, RFC 8216bis §6.2.6): answered once the file exists, or once the
    /// playlist no longer hints it (it will not come: 404), is complete, or has lost its ingest.
    static func decideHinted(_ name: String, exists: Bool, playlist: MediaPlaylist?, ingestRunning: Bool) -> Decision {
        if exists { return .serve }
        guard let playlist, !playlist.endList, playlist.preloadHints.contains(where: { $0.uri == name }) else { return .serve }
        guard ingestRunning else { return .abandoned }
        return .wait(timeout: Double(3 * max(1, playlist.targetDuration)))
    }
}

/// A playlist request's delivery directives (RFC 8216bis §6.2.5): `_HLS_msn`, `_HLS_part` and
/// `_HLS_skip`, the first of each, values percent-decoded. Read once per request, by both paths.
struct DeliveryDirectives: Equatable, Sendable {
    var msn: String?
    var part: String?
    var skip: String?

    /// - Parameter query: the query string as sent, without the `?`, still percent-encoded.
    init(query: Substring?) {
        for pair in (query ?? "").split(separator: "&") where pair.hasPrefix("_HLS_") {
            let (name, value) = pair.firstIndex(of: "=").map { (pair[..<$0], pair[pair.index(after: $0)...]) } ?? (pair, "")
            let decoded = { RequestPath.decode(value) ?? String(value) }
            switch name {
            case "_HLS_msn" where msn == nil: msn = decoded()
            case "_HLS_part" where part == nil: part = decoded()
            case "_HLS_skip" where skip == nil: skip = decoded()
            default: break
            }
        }
    }

    /// The blocking reload asked for, if any.
    var reload: BlockingReload { BlockingReload(msn: msn, part: part) }

    /// A blocking reload was asked for (its answer is cached as one).
    var isBlockingReload: Bool { msn != nil }

    /// A Playlist Delta Update was asked for: `_HLS_skip=YES`, or `v2` (which may also skip
    /// date ranges; Reel's playlists have none).
    var asksDeltaUpdate: Bool { skip == "YES" || skip == "v2" }
}

/// What a request for a library file asks of blocking reload: both paths (the fast path and
/// Hummingbird's) read it here, then wait with ``PlaylistReloadMonitor``.
enum BlockingReloadRequest {
    /// Answer at once: not a playlist, or no `_HLS_msn`.
    case none
    /// 400.
    case invalid
    /// Hold the response until segment `msn` (or part `part` of it) of the playlist at
    /// `location` is published.
    case wait(PlaylistReloadMonitor.Awaited, at: PlaylistReloadMonitor.Location)

    /// - Parameter encodedPath: the path below the library's prefix, still percent-encoded.
    init(root: ServedRoot, encodedPath: Substring, directives: DeliveryDirectives) {
        guard LibraryLayout.isPlaylist(encodedPath) else { self = .none; return }
        switch directives.reload {
        case .none: self = .none
        case .invalid: self = .invalid
        case .wait(let msn, let part):
            // Only a media playlist inside an asset grows; any other path is answered as it is.
            guard let segments = RequestPath.segments(encodedPath), segments.count >= 2, AssetName.isValid(segments[0]) else {
                self = .none
                return
            }
            self = .wait(.segment(msn: msn, part: part), at: .init(root: root, segments: segments))
        }
    }
}

extension BlockingReloadRequest {
    /// A GET of a library file found missing: held when the media playlist beside it hints it
    /// (the next part of a Low-Latency rendition), else nil (404).
    static func hinted(root: ServedRoot, encodedPath: Substring) -> BlockingReloadRequest? {
        guard let segments = RequestPath.segments(encodedPath), segments.count >= 2, AssetName.isValid(segments[0]),
              let name = segments.last, !LibraryLayout.isPlaylist(name) else { return nil }
        let playlist = PlaylistReloadMonitor.Location(root: root, segments: segments.dropLast() + [LibraryLayout.mediaPlaylist])
        guard PlaylistReloadMonitor.shared.hints(name, at: playlist) else { return nil }
        return .wait(.hintedFile(name), at: playlist)
    }
}
