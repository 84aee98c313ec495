import CFFmpeg

/// Owns an `AVCodecContext` opened on libx264: H.264 pictures for one ladder rung.
///
/// Rate control is constrained VBR (`bitRate` average, capped by `maxRate` over a `bufferSize`
/// VBV buffer); GOPs are closed, so every keyframe x264 places is an IDR; x264 may still add
/// keyframes at scene cuts, and a frame whose `requestsKeyframe` is true becomes an IDR
/// (`forced-idr=1`): that is how every rung gets keyframes on the same segment grid.
///
/// The protocol is FFmpeg's: `send` a frame, then `receive` until `.needsInput`; at the end
/// `flush`, then `receive` until `.endOfStream`.
/// Not Sendable: one task owns an encoder for its whole life.
public final class VideoEncoder {
    /// How to encode.
    public struct Settings: Sendable, Hashable {
        public var dimensions: VideoDimensions
        /// The time base of the frames' timestamps, and of the packets' out.
        public var timeBase: Rational
        /// Frames per second (x264 rate control and the stream's declared rate).
        public var frameRate: Rational
        /// Average bit rate in bits per second.
        public var bitRate: Int
        /// Peak bit rate in bits per second (the VBV's fill rate).
        public var maxRate: Int
        /// VBV buffer size in bits.
        public var bufferSize: Int
        /// Longest GOP in frames (x264 `keyint`); forced keyframes come in between.
        public var keyframeInterval: Int
        /// Shortest distance in frames between scene-cut keyframes (x264 `keyint_min`); nil for x264's choice.
        public var minimumKeyframeInterval: Int?
        /// Whether x264 may add keyframes at scene cuts.
        public var sceneCutKeyframes: Bool
        /// x264 preset, e.g. "veryfast", "medium".
        public var preset: String
        /// H.264 profile, e.g. "high", "main"; nil for x264's choice from the preset.
        public var profile: String?
        /// Codec headers out of band (the muxer's `wantsGlobalHeader`), not repeated in-band.
        public var globalHeader: Bool
        /// Encoding threads; 0 lets x264 pick from the core count.
        public var threads: Int

        public init(
            dimensions: VideoDimensions, timeBase: Rational, frameRate: Rational,
            bitRate: Int, maxRate: Int? = nil, bufferSize: Int? = nil,
            keyframeInterval: Int, minimumKeyframeInterval: Int? = nil, sceneCutKeyframes: Bool = true,
            preset: String = "veryfast", profile: String? = "high", globalHeader: Bool = false, threads: Int = 0
        ) {
            self.dimensions = dimensions
            self.timeBase = timeBase
            self.frameRate = frameRate
            self.bitRate = bitRate
            // Apple's authoring guidance: a VOD peak at most 110% of the average.
            let peak = maxRate ?? bitRate * 11 / 10
            self.maxRate = peak
            self.bufferSize = bufferSize ?? 2 * peak
            self.keyframeInterval = keyframeInterval
            self.minimumKeyframeInterval = minimumKeyframeInterval
            self.sceneCutKeyframes = sceneCutKeyframes
            self.preset = preset
            self.profile = profile
            self.globalHeader = globalHeader
            self.threads = threads
        }
    }

    let context: UnsafeMutablePointer<AVCodecContext>
    private var draining = false

    /// The settings the encoder was opened with.
    public let settings: Settings

    /// Opens libx264 with `settings`.
    ///
    /// - Throws: `avcodec_open2` when x264 refuses the settings (e.g. an odd or zero size),
    ///   `avcodec_open2(NAME)` when an option is one libx264 does not know.
    public init(settings: Settings) throws(FFmpegError) {
        FFmpegLog.configure()
        guard let codec = avcodec_find_encoder_by_name("libx264") else {
            throw FFmpegError(call: "avcodec_find_encoder_by_name(libx264)", code: REEL_AVERROR_ENCODER_NOT_FOUND)
        }
        guard let allocated = avcodec_alloc_context3(codec) else {
            throw FFmpegError(call: "avcodec_alloc_context3", code: reel_averror(ENOMEM))
        }
        context = allocated
        self.settings = settings
        // Every stored property is set: a throw below still runs deinit, which frees the context.
        let codecContext = context
        codecContext.pointee.width = Int32(settings.dimensions.width)
        codecContext.pointee.height = Int32(settings.dimensions.height)
        codecContext.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        codecContext.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        codecContext.pointee.time_base = settings.timeBase.avRational
        codecContext.pointee.framerate = settings.frameRate.avRational
        codecContext.pointee.bit_rate = Int64(settings.bitRate)
        codecContext.pointee.rc_max_rate = Int64(settings.maxRate)
        codecContext.pointee.rc_buffer_size = Int32(clamping: settings.bufferSize)
        codecContext.pointee.gop_size = Int32(settings.keyframeInterval)
        codecContext.pointee.keyint_min = Int32(settings.minimumKeyframeInterval ?? -1)
        codecContext.pointee.thread_count = Int32(settings.threads)
        codecContext.pointee.flags |= REEL_AV_CODEC_FLAG_CLOSED_GOP
        if settings.globalHeader { codecContext.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }

        var options: [(String, String)] = [("preset", settings.preset), ("forced-idr", "1")]
        if let profile = settings.profile { options.append(("profile", profile)) }
        if !settings.sceneCutKeyframes { options.append(("x264-params", "scenecut=0")) }
        var dictionary: OpaquePointer?
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        try ffmpegCheck("avcodec_open2", avcodec_open2(codecContext, codec, &dictionary))
        if let unknown = av_dict_get(dictionary, "", nil, AV_DICT_IGNORE_SUFFIX) {
            throw FFmpegError(call: "avcodec_open2(\(String(cString: unknown.pointee.key)))", code: reel_averror(EINVAL))
        }
    }

    deinit {
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
    }

    /// Feeds one picture, which must have the encoder's size and be yuv420p. Its
    /// `requestsKeyframe` decides whether it becomes an IDR; its `pts` is in `settings.timeBase`.
    ///
    /// - Throws: also `EAGAIN` (as an error naming `avcodec_send_frame`) when the caller did not
    ///   receive until `.needsInput` first, and after `flush`.
    public func send(_ frame: Frame) throws(FFmpegError) {
        let picture = frame.pointer.pointee
        guard picture.width == context.pointee.width, picture.height == context.pointee.height,
              picture.format == AV_PIX_FMT_YUV420P.rawValue else {
            throw FFmpegError(
                call: "avcodec_send_frame(\(frame.width)x\(frame.height) \(frame.pixelFormat), expected \(settings.dimensions) yuv420p)",
                code: reel_averror(EINVAL)
            )
        }
        try ffmpegCheck("avcodec_send_frame", avcodec_send_frame(context, frame.pointer))
    }

    /// Signals the end of the pictures: `receive` then gives the packets x264 still holds
    /// (lookahead and B-frames), then `.endOfStream`. Calling it again does nothing.
    public func flush() throws(FFmpegError) {
        guard !draining else { return }
        draining = true
        try ffmpegCheck("avcodec_send_frame(flush)", avcodec_send_frame(context, nil))
    }

    /// Takes the next encoded packet into `packet`, replacing what it held. Its timestamps are
    /// in `timeBase`.
    public func receive(into packet: Packet) throws(FFmpegError) -> ReceiveResult {
        packet.unref()
        let result = avcodec_receive_packet(context, packet.pointer)
        if result == REEL_AVERROR_EAGAIN { return .needsInput }
        if result == REEL_AVERROR_EOF { return .endOfStream }
        try ffmpegCheck("avcodec_receive_packet", result)
        // libx264 leaves durations unset; without one the MP4 muxer gives the last sample none,
        // and its edit list then cuts that frame off. Every frame lasts one frame interval
        // (exact for constant frame rate sources, which is what the ladder produces).
        let rate = context.pointee.framerate
        if packet.pointer.pointee.duration == 0, rate.num > 0, rate.den > 0 {
            packet.pointer.pointee.duration = av_rescale_q(1, av_inv_q(rate), context.pointee.time_base)
        }
        return .received
    }

    /// The time base of the packets' timestamps.
    public var timeBase: Rational { Rational(context.pointee.time_base) }

    /// The encoded stream's parameters (with the SPS/PPS as extradata when `globalHeader`), for
    /// `Muxer.addStream(copying:timeBase:)`.
    public func codecParameters() throws(FFmpegError) -> CodecParameters {
        try CodecParameters(encoder: context)
    }
}
