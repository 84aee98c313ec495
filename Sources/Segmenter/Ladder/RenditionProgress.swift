import Synchronization

/// What one rendition's writer has completed, shared between the thread writing it and the
/// thread publishing playlists; and the error that stopped it, if one did.
final class RenditionProgress: Sendable {
    private struct State: Sendable {
        var written = RenditionSegments()
        /// `written.partCount`, counted once per update rather than once per packet read.
        var partCount = 0
        var failure: IngestError?
        var videoCodec: String?
    }

    private let state = Mutex(State())

    /// The segments completed so far.
    var written: RenditionSegments { state.withLock { $0.written } }

    /// How many segments are completed.
    var segmentCount: Int { state.withLock { $0.written.segments.count } }

    /// How many parts are completed, in every segment (Low-Latency HLS).
    var partCount: Int { state.withLock { $0.partCount } }

    /// Why the rendition's writer stopped early, nil while it is fine.
    var failure: IngestError? { state.withLock { $0.failure } }

    /// The RFC 6381 string of the rendition's video, once the encoder's first keyframe shows it
    /// (MPEG-TS carries the parameter sets in-band only).
    var videoCodec: String? {
        get { state.withLock { $0.videoCodec } }
        set { state.withLock { $0.videoCodec = newValue } }
    }

    func update(_ written: RenditionSegments) {
        let parts = written.partCount
        state.withLock {
            $0.written = written
            $0.partCount = parts
        }
    }

    func fail(_ error: IngestError) {
        state.withLock { if $0.failure == nil { $0.failure = error } }
    }
}
