import HLSPlaylist

/// A playlist request's blocking-reload parameters (RFC 8216bis §6.2.5.2) and what the
/// server does with them. Pure: no I/O, tested directly.
enum BlockingReload: Equatable, Sendable {
    /// No `_HLS_msn`: answer at once.
    case none
    /// Hold the response until media segment `msn` is in the playlist.
    case wait(msn: Int)
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
        // Reel publishes whole segments only: a part of segment N is ready when segment N is.
        if let part, Self.decimal(part) == nil {
            self = .invalid("_HLS_part must be a decimal integer")
            return
        }
        self = .wait(msn: number)
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
    ///   - playlist: the media playlist as published, nil when it is missing or not a media playlist.
    ///   - ingestRunning: whether an ingest still holds the asset.
    static func decide(msn: Int, playlist: MediaPlaylist?, ingestRunning: Bool) -> Decision {
        guard let playlist, !playlist.endList else { return .serve }
        let last = playlist.mediaSequence + playlist.segments.count - 1
        if msn <= last { return .serve }
        if msn > last + 2 { return .tooFarAhead }
        guard ingestRunning else { return .abandoned }
        return .wait(timeout: Double(3 * max(1, playlist.targetDuration)))
    }
}
