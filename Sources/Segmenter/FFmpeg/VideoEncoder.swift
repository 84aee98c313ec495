import CFFmpeg

/// Owns an `AVCodecContext` opened on libx264 or libx265: the pictures of one ladder rung, as
/// 8-bit H.264 (yuv420p) or, for HDR sources, 10-bit HEVC Main 10 (yuv420p10le) that keeps the
/// source's colour description (PQ or HLG transfer, BT.2020 primaries and matrix) and HDR10
/// static metadata.
///
/// Rate control is constrained VBR (`bitRate` average, capped by `maxRate` over a `bufferSize`
/// VBV buffer); GOPs are closed, so every keyframe the encoder places is an IDR; it may still add
/// keyframes at scene cuts, and a frame whose `requestsKeyframe` is true becomes an IDR
/// (`forced-idr=1`, which both wrappers have): that is how every rung gets keyframes on the same
/// segment grid.
///
/// The protocol is FFmpeg's: `send` a frame, then `receive` until `.needsInput`; at the end
/// `flush`, then `receive` until `.endOfStream`.
/// Not Sendable: one task owns an encoder for its whole life.
public final class VideoEncoder {
    /// Which encoder, and so which bitstream and picture format.
    public enum Codec: Sendable, Hashable {
        /// H.264 with libx264, 8-bit 4:2:0 (yuv420p): what every player decodes.
        case h264
        /// HEVC Main 10 with libx265, 10-bit 4:2:0 (yuv420p10le): for HDR (PQ, HLG) sources.
        case hevcMain10

        /// The pixel format the encoder takes, and `send` insists on.
        public var pixelFormat: PixelFormat {
            switch self {
            case .h264: .yuv420p
            case .hevcMain10: .yuv420p10le
            }
        }

        var encoderName: String {
            switch self {
            case .h264: "libx264"
            case .hevcMain10: "libx265"
            }
        }
    }

    /// How to encode.
    public struct Settings: Sendable, Hashable {
        public var dimensions: VideoDimensions
        /// The time base of the frames' timestamps, and of the packets' out.
        public var timeBase: Rational
        /// Frames per second (the encoder's rate control and the stream's declared rate).
        public var frameRate: Rational
        /// Average bit rate in bits per second.
        public var bitRate: Int
        /// Peak bit rate in bits per second (the VBV's fill rate).
        public var maxRate: Int
        /// VBV buffer size in bits.
        public var bufferSize: Int
        /// Longest GOP in frames (`keyint`); forced keyframes come in between.
        public var keyframeInterval: Int
        /// Shortest distance in frames between scene-cut keyframes (`keyint_min`, x265 `min-keyint`); nil for the encoder's choice.
        public var minimumKeyframeInterval: Int?
        /// Whether the encoder may add keyframes at scene cuts.
        public var sceneCutKeyframes: Bool
        /// x264 or x265 preset, e.g. "veryfast", "medium".
        public var preset: String
        /// H.264 profile, e.g. "high", "main"; nil for x264's choice from the preset. "main10" for HEVC.
        public var profile: String?
        /// Codec headers out of band (the muxer's `wantsGlobalHeader`), not repeated in-band.
        public var globalHeader: Bool
        /// Encoding threads (x265: frame threads); 0 lets the encoder pick from the core count.
        public var threads: Int
        /// The encoder; `.h264` unless made by `hevcMain10(...)`.
        public var codec: Codec = .h264
        /// The colour description written into the bitstream's VUI (and from there the
        /// container): the source's. `.unspecified` writes none (players assume BT.709 SDR).
        /// H.264 refuses a PQ or HLG transfer: 8-bit pictures cannot carry HDR.
        public var color: ColorDescription = .unspecified
        /// HDR10 mastering display for HEVC's SEI (x265 `master-display`); nil writes none.
        public var masteringDisplay: MasteringDisplay?
        /// HDR10 content light levels for HEVC's SEI (x265 `max-cll`); nil writes none.
        public var contentLightLevel: ContentLightLevel?

        /// H.264 settings (libx264).
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

        /// HEVC Main 10 settings (libx265), for pictures in yuv420p10le: `preset` is an x265
        /// preset, `color` the source's (from `StreamInfo.colorDescription`), and the HDR10
        /// metadata the source's when it has some (from its `StreamInfo`, else from its first
        /// decoded picture: an HEVC source may carry it only in its SEI).
        public static func hevcMain10(
            dimensions: VideoDimensions, timeBase: Rational, frameRate: Rational,
            bitRate: Int, maxRate: Int? = nil, bufferSize: Int? = nil,
            keyframeInterval: Int, minimumKeyframeInterval: Int? = nil, sceneCutKeyframes: Bool = true,
            color: ColorDescription, masteringDisplay: MasteringDisplay? = nil, contentLightLevel: ContentLightLevel? = nil,
            preset: String = "veryfast", globalHeader: Bool = false, threads: Int = 0
        ) -> Settings {
            var settings = Settings(
                dimensions: dimensions, timeBase: timeBase, frameRate: frameRate, bitRate: bitRate, maxRate: maxRate, bufferSize: bufferSize,
                keyframeInterval: keyframeInterval, minimumKeyframeInterval: minimumKeyframeInterval, sceneCutKeyframes: sceneCutKeyframes,
                preset: preset, profile: "main10", globalHeader: globalHeader, threads: threads
            )
            settings.codec = .hevcMain10
            settings.color = color
            settings.masteringDisplay = masteringDisplay
            settings.contentLightLevel = contentLightLevel
            return settings
        }
    }

    let context: UnsafeMutablePointer<AVCodecContext>
    private var draining = false
    // x265 repeats the parameter sets at every keyframe whenever it writes HDR10 SEI, whatever
    // repeat-headers says; with a global header they are taken out again (MP4's hvc1 wants them
    // in the sample entry only).
    private var parameterSetRemover: BitstreamFilter?

    /// The settings the encoder was opened with.
    public let settings: Settings

    /// Opens libx264 or libx265 (`settings.codec`) with `settings`.
    ///
    /// - Throws: `avcodec_open2` when the encoder refuses the settings (e.g. an odd or zero size),
    ///   `avcodec_open2(NAME)` when an option is one the wrapper does not know (x265's own
    ///   parameters are not checked so: libx265 only logs an unknown one), and `EINVAL` naming
    ///   the transfer for H.264 with a PQ or HLG colour description.
    public init(settings: Settings) throws(FFmpegError) {
        FFmpegLog.configure()
        let name = settings.codec.encoderName
        guard settings.codec != .h264 || settings.color.videoRange == .sdr else {
            throw FFmpegError(call: "avcodec_open2(\(name): 8-bit H.264 cannot carry \(settings.color.transfer) pictures)", code: reel_averror(EINVAL))
        }
        guard let codec = avcodec_find_encoder_by_name(name) else {
            throw FFmpegError(call: "avcodec_find_encoder_by_name(\(name))", code: REEL_AVERROR_ENCODER_NOT_FOUND)
        }
        guard let allocated = avcodec_alloc_context3(codec) else {
            throw FFmpegError(call: "avcodec_alloc_context3", code: reel_averror(ENOMEM))
        }
        context = allocated
        self.settings = settings
        // Every stored property is set: a throw below still runs deinit, which frees the context.
        Self.configure(context, with: settings)
        var dictionary: OpaquePointer?
        for (key, value) in settings.encoderOptions { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        try ffmpegCheck("avcodec_open2", avcodec_open2(context, codec, &dictionary))
        if let unknown = av_dict_get(dictionary, "", nil, AV_DICT_IGNORE_SUFFIX) {
            throw FFmpegError(call: "avcodec_open2(\(String(cString: unknown.pointee.key)))", code: reel_averror(EINVAL))
        }
        if settings.codec == .hevcMain10, settings.globalHeader {
            parameterSetRemover = try BitstreamFilter(
                name: "filter_units", parameters: CodecParameters(encoder: context), timeBase: settings.timeBase,
                options: ["remove_types": "32|33|34"]  // VPS, SPS, PPS
            )
        }
    }

    /// Sets the context's fields from `settings` (libx265 maps them to x265's parameters as
    /// libx264 does to x264's: kb/s rates, `keyint`, `min-keyint`, closed GOP, VUI colour).
    private static func configure(_ context: UnsafeMutablePointer<AVCodecContext>, with settings: Settings) {
        context.pointee.width = Int32(settings.dimensions.width)
        context.pointee.height = Int32(settings.dimensions.height)
        context.pointee.pix_fmt = settings.codec.pixelFormat.avPixelFormat
        context.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        context.pointee.time_base = settings.timeBase.avRational
        context.pointee.framerate = settings.frameRate.avRational
        context.pointee.bit_rate = Int64(settings.bitRate)
        context.pointee.rc_max_rate = Int64(settings.maxRate)
        context.pointee.rc_buffer_size = Int32(clamping: settings.bufferSize)
        context.pointee.gop_size = Int32(settings.keyframeInterval)
        context.pointee.keyint_min = Int32(settings.minimumKeyframeInterval ?? -1)
        context.pointee.thread_count = Int32(settings.threads)
        context.pointee.flags |= REEL_AV_CODEC_FLAG_CLOSED_GOP
        if settings.globalHeader { context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        context.pointee.color_primaries = AVColorPrimaries(rawValue: settings.color.primaries.rawValue)
        context.pointee.color_trc = AVColorTransferCharacteristic(rawValue: settings.color.transfer.rawValue)
        context.pointee.colorspace = AVColorSpace(rawValue: settings.color.space.rawValue)
        context.pointee.color_range = AVColorRange(rawValue: settings.color.range.rawValue)
    }

    deinit {
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
    }

    /// Feeds one picture, which must have the encoder's size and pixel format (yuv420p for
    /// H.264, yuv420p10le for HEVC Main 10). Its
    /// `requestsKeyframe` decides whether it becomes an IDR; its `pts` is in `settings.timeBase`.
    ///
    /// - Throws: also `EAGAIN` (as an error naming `avcodec_send_frame`) when the caller did not
    ///   receive until `.needsInput` first, and after `flush`.
    public func send(_ frame: Frame) throws(FFmpegError) {
        let picture = frame.pointer.pointee
        let format = settings.codec.pixelFormat
        guard picture.width == context.pointee.width, picture.height == context.pointee.height, picture.format == format.rawValue else {
            throw FFmpegError(
                call: "avcodec_send_frame(\(frame.width)x\(frame.height) \(frame.pixelFormat), expected \(settings.dimensions) \(format))",
                code: reel_averror(EINVAL)
            )
        }
        try ffmpegCheck("avcodec_send_frame", avcodec_send_frame(context, frame.pointer))
    }

    /// Signals the end of the pictures: `receive` then gives the packets the encoder still holds
    /// (lookahead and B-frames), then `.endOfStream`. Calling it again does nothing.
    public func flush() throws(FFmpegError) {
        guard !draining else { return }
        draining = true
        try ffmpegCheck("avcodec_send_frame(flush)", avcodec_send_frame(context, nil))
    }

    /// Takes the next encoded packet into `packet`, replacing what it held. Its timestamps are
    /// in `timeBase`.
    public func receive(into packet: Packet) throws(FFmpegError) -> ReceiveResult {
        while true {
            packet.unref()
            let result = avcodec_receive_packet(context, packet.pointer)
            if result == REEL_AVERROR_EAGAIN { return .needsInput }
            if result == REEL_AVERROR_EOF { return .endOfStream }
            try ffmpegCheck("avcodec_receive_packet", result)
            // filter_units gives back each packet at once; one it held would be no packet to return.
            if try parameterSetRemover?.filter(packet) ?? true { break }
        }
        // libx264 and libx265 leave durations unset; without one the MP4 muxer gives the last sample none,
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

    /// The encoded stream's parameters (with the parameter sets as extradata when `globalHeader`), for
    /// `Muxer.addStream(copying:timeBase:)`.
    public func codecParameters() throws(FFmpegError) -> CodecParameters {
        try CodecParameters(encoder: context)
    }
}
