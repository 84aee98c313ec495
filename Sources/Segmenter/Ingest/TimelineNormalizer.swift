/// Turns an input's packet timestamps into one continuous timeline that starts at 0, the way
/// ffmpeg's command line prepares them for a muxer:
///
/// - **Origin.** Every timestamp is measured from the input's start (its earliest presentation
///   time), so an input whose timeline starts late (an MP4 shifted by `-output_ts_offset 10`)
///   is a presentation that starts at 0 and lasts as long as its media.
/// - **Decoding timestamps.** A stream whose container stores none (Matroska) gets them from the
///   presentation timestamps: with a reordering depth of D pictures, a packet decodes at the
///   time of the D-th picture before it in presentation order, which is the smallest
///   presentation time not yet used once D + 1 pictures are known; the first D are spaced one
///   frame apart before it. A container that drops a few (libavformat fills most) gets the same
///   values for every packet of that stream.
/// - **Restarts and wraps.** In a container whose timestamps may jump (MPEG-TS: a capture
///   restarted, two recordings joined with `cat`, the 33-bit clock wrapping where libavformat
///   did not unwrap it), a decoding time that goes back, or forward by more than
///   `forwardGapLimit`, is a break: from it on, the stream's timestamps are shifted to continue
///   where they left off. Streams that break together (within `forwardGapLimit` of each other
///   in the new timeline) share one shift, so audio and video stay in sync. The result is
///   continuous timestamps, no EXT-X-DISCONTINUITY.
/// - **Monotonic decoding times** per stream, and a presentation time never before its
///   decoding time, as muxers require.
///
/// Integer arithmetic in each stream's time base: timestamps come out exact.
///
/// Pure: no FFmpeg, fed packet timestamps in demuxing order.
struct TimelineNormalizer: Sendable {
    /// What the normalizer needs to know about one stream.
    struct Stream: Sendable {
        var index: Int
        var timeBase: Rational
        /// Pictures of reordering delay (B-frames); 0 for audio and subtitles.
        var reorderDepth: Int = 0
        /// One frame's duration in the time base, for packets that carry none.
        var frameDuration: Int64 = 0
        /// Whether the stream's breaks can shift timestamps and set the shift of streams that
        /// break after it (audio and video, not sparse subtitles).
        var leadsBreaks: Bool = true
    }

    /// A normalized packet's timestamps, in its stream's time base.
    struct Timestamps: Sendable, Equatable {
        var pts: Int64
        var dts: Int64
    }

    /// A jump forward larger than this (seconds) in a discontinuous container is a break
    /// (ffmpeg's `-dts_delta_threshold` for such inputs is 10 s).
    static let forwardGapLimit = 10.0
    /// A decoding time this much (seconds) or more before the previous one is a break; smaller
    /// steps back are rounding or muxer jitter and are clamped.
    static let backwardStepLimit = 0.5

    private struct State: Sendable {
        let stream: Stream
        /// Ticks added to every timestamp (starts as minus the origin).
        var shift: Int64
        /// Decoding timestamps are made from presentation timestamps.
        var synthesizesDecodeTimes: Bool?
        /// Presentation times seen and not yet used as decoding times (synthesis), ascending.
        var pending: [Int64] = []
        var packetsSeen = 0
        var firstPresentation: Int64?
        /// The last normalized decoding time and where the next one is expected.
        var lastDecode: Int64?
        var expectedDecode: Int64?
        var lastDuration: Int64 = 0
    }

    /// A break: where (in seconds on the input's raw timeline) a stream's new timeline began,
    /// and the shift (seconds) it was given.
    private struct Break: Sendable {
        var stream: Int
        var rawTime: Double
        var shift: Double
    }

    private var states: [Int: State] = [:]
    private var breaks: [Break] = []
    private let detectsBreaks: Bool

    /// - Parameters:
    ///   - origin: the input's start in seconds (its earliest presentation time).
    ///   - detectsBreaks: true for containers whose timestamps may restart or wrap (libavformat's
    ///     `AVFMT_TS_DISCONT`: MPEG-TS and MPEG-PS).
    init(streams: [Stream], origin: Double, detectsBreaks: Bool) {
        self.detectsBreaks = detectsBreaks
        for stream in streams {
            states[stream.index] = State(stream: stream, shift: -Self.ticks(origin, stream.timeBase))
        }
    }

    /// Total shift applied to `stream` so far, in seconds (minus the origin until a break).
    func shift(ofStream index: Int) -> Double? {
        states[index].map { Double($0.shift) * $0.stream.timeBase.doubleValue }
    }

    /// The normalized timestamps of a packet of stream `index` that has `pts` and/or `dts`
    /// and lasts `duration` ticks (0 when unknown); nil for a packet with neither timestamp or
    /// of a stream the normalizer was not given.
    mutating func normalize(stream index: Int, pts: Int64?, dts: Int64?, duration: Int64) -> Timestamps? {
        guard var state = states[index], let rawPresentation = pts ?? dts else { return nil }
        if state.synthesizesDecodeTimes == nil {
            // A stream whose first packet has no decoding time is from a container that stores none.
            state.synthesizesDecodeTimes = dts == nil && state.stream.reorderDepth > 0
        }
        let frame = duration > 0 ? duration : (state.stream.frameDuration > 0 ? state.stream.frameDuration : state.lastDuration)
        var rawDecode: Int64
        if state.synthesizesDecodeTimes == true {
            rawDecode = Self.synthesizeDecodeTime(&state, presentation: rawPresentation, frame: frame)
        } else if let dts {
            rawDecode = dts
        } else if state.stream.reorderDepth > 0, let expected = state.expectedDecode {
            // One packet without a decoding time in a stream that has them: the next one due.
            rawDecode = expected - state.shift
        } else {
            rawDecode = rawPresentation
        }
        rawDecode = min(rawDecode, rawPresentation)
        if detectsBreaks { detectBreak(&state, rawDecode: rawDecode) }
        var decode = rawDecode + state.shift
        if let last = state.lastDecode, decode <= last { decode = last + 1 }
        let presentation = max(rawPresentation + state.shift, decode)
        state.lastDecode = decode
        if frame > 0 { state.lastDuration = frame }
        state.expectedDecode = decode + max(frame, 0)
        state.packetsSeen += 1
        states[index] = state
        return Timestamps(pts: presentation, dts: decode)
    }

    /// The smallest pending presentation time once `reorderDepth + 1` are known; before that,
    /// the first presentation time minus one frame per picture still to come.
    private static func synthesizeDecodeTime(_ state: inout State, presentation: Int64, frame: Int64) -> Int64 {
        let depth = state.stream.reorderDepth
        let position = state.pending.firstIndex { $0 > presentation } ?? state.pending.count
        state.pending.insert(presentation, at: position)
        if state.firstPresentation == nil { state.firstPresentation = presentation }
        if state.pending.count > depth {
            return state.pending.removeFirst()
        }
        let first = min(state.firstPresentation ?? presentation, state.pending[0])
        return first - Int64(depth - state.packetsSeen) * max(frame, 1)
    }

    /// Shifts the stream's timeline when its decoding time jumps back, or forward by more than
    /// the gap limit, from where it was expected.
    private mutating func detectBreak(_ state: inout State, rawDecode: Int64) {
        guard let expected = state.expectedDecode, let last = state.lastDecode else { return }
        let timeBase = state.stream.timeBase.doubleValue
        let candidate = rawDecode + state.shift
        let back = Double(last - candidate) * timeBase
        let forward = Double(candidate - expected) * timeBase
        guard back >= Self.backwardStepLimit || forward > Self.forwardGapLimit else { return }
        let rawTime = Double(rawDecode) * timeBase
        let shared = breaks.last { $0.stream != state.stream.index && abs($0.rawTime - rawTime) < Self.forwardGapLimit }
        // A shared shift must still move this stream forward; else continue where it stopped.
        if let shared, rawDecode + Self.ticks(shared.shift, state.stream.timeBase) > last {
            state.shift = Self.ticks(shared.shift, state.stream.timeBase)
        } else {
            state.shift = expected - rawDecode
        }
        if state.stream.leadsBreaks {
            breaks.removeAll { $0.stream == state.stream.index }
            breaks.append(Break(stream: state.stream.index, rawTime: rawTime, shift: Double(state.shift) * timeBase))
        }
    }

    private static func ticks(_ seconds: Double, _ timeBase: Rational) -> Int64 {
        let base = timeBase.doubleValue
        return base > 0 ? Int64((seconds / base).rounded()) : 0
    }
}
