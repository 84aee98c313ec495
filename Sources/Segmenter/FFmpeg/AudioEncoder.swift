import CFFmpeg

/// Owns an `AVCodecContext` opened on FFmpeg's native `aac` encoder: AAC-LC.
///
/// Frames of any length go in; an `AudioFrameAssembler` regroups them into the exactly
/// `frameSize`-sample frames the encoder requires (only the last may be shorter), stamped with
/// timestamps counted in samples from `startTimestamp`.
///
/// The protocol is FFmpeg's: `send` a frame, then `receive` until `.needsInput`; at the end
/// `flush`, then `receive` until `.endOfStream`.
/// Not Sendable: one task owns an encoder for its whole life.
public final class AudioEncoder {
    /// How to encode.
    public struct Settings: Sendable, Hashable {
        /// Output sample rate in Hz; one of AAC's (e.g. 44100, 48000).
        public var sampleRate: Int
        public var channelCount: Int
        /// Bit rate in bits per second for all channels together.
        public var bitRate: Int
        /// Codec headers out of band (the muxer's `wantsGlobalHeader`), not in ADTS headers.
        public var globalHeader: Bool

        public init(sampleRate: Int = 48_000, channelCount: Int = 2, bitRate: Int = 128_000, globalHeader: Bool = false) {
            self.sampleRate = sampleRate
            self.channelCount = channelCount
            self.bitRate = bitRate
            self.globalHeader = globalHeader
        }
    }

    let context: UnsafeMutablePointer<AVCodecContext>
    private let assembler: AudioFrameAssembler
    private var draining = false
    private var flushedEncoder = false

    /// The settings the encoder was opened with.
    public let settings: Settings

    /// Opens the `aac` encoder with `settings`; the first sample gets timestamp `startTimestamp`
    /// (in 1/`sampleRate` units).
    ///
    /// - Throws: `avcodec_open2` when the encoder refuses the settings (e.g. a sample rate AAC has no index for).
    public init(settings: Settings = Settings(), startTimestamp: Int64 = 0) throws(FFmpegError) {
        FFmpegLog.configure()
        guard let codec = avcodec_find_encoder_by_name("aac") else {
            throw FFmpegError(call: "avcodec_find_encoder_by_name(aac)", code: REEL_AVERROR_ENCODER_NOT_FOUND)
        }
        let format = AudioFormat(sampleRate: settings.sampleRate, channelCount: settings.channelCount, sampleFormat: .floatPlanar)
        assembler = try AudioFrameAssembler(format: format, startTimestamp: startTimestamp)
        guard let allocated = avcodec_alloc_context3(codec) else {
            throw FFmpegError(call: "avcodec_alloc_context3", code: reel_averror(ENOMEM))
        }
        context = allocated
        self.settings = settings
        // Every stored property is set: a throw below still runs deinit, which frees the context.
        let codecContext = context
        codecContext.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        codecContext.pointee.sample_rate = Int32(settings.sampleRate)
        var layout = format.channelLayout
        try ffmpegCheck("av_channel_layout_copy", av_channel_layout_copy(&codecContext.pointee.ch_layout, &layout))
        codecContext.pointee.bit_rate = Int64(settings.bitRate)
        codecContext.pointee.profile = FF_PROFILE_AAC_LOW
        codecContext.pointee.time_base = AVRational(num: 1, den: Int32(settings.sampleRate))
        if settings.globalHeader { codecContext.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        try ffmpegCheck("avcodec_open2", avcodec_open2(codecContext, codec, nil))
    }

    deinit {
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
    }

    /// What `send` takes: planar float at the output rate and layout (an `AudioResampler`'s output).
    public var inputFormat: AudioFormat { assembler.format }

    /// Samples per channel in each encoded frame (1024 for AAC).
    public var frameSize: Int { Int(context.pointee.frame_size) }

    /// The time base of the packets' timestamps: 1/`sampleRate`.
    public var timeBase: Rational { Rational(context.pointee.time_base) }

    /// Moves the first sample's timestamp (in 1/`sampleRate` units) to `timestamp`; only before
    /// any sample is sent, when the input's first timestamp becomes known.
    public func start(at timestamp: Int64) {
        guard assembler.bufferedSampleCount == 0, !draining else { return }
        assembler.nextTimestamp = timestamp
    }

    /// Queues the samples of `frame`, of any length, in `inputFormat`; its timestamp is ignored.
    public func send(_ frame: Frame) throws(FFmpegError) {
        guard !draining else { throw FFmpegError(call: "avcodec_send_frame(after flush)", code: REEL_AVERROR_EOF) }
        try assembler.push(frame)
    }

    /// Signals the end of the samples: `receive` then encodes what is queued (the last frame may
    /// be short), gives the packets the encoder holds back, then `.endOfStream`.
    public func flush() {
        draining = true
    }

    /// Takes the next encoded packet into `packet`, replacing what it held, feeding the encoder
    /// from the queue as it needs.
    public func receive(into packet: Packet) throws(FFmpegError) -> ReceiveResult {
        while true {
            packet.unref()
            let result = avcodec_receive_packet(context, packet.pointer)
            if result == REEL_AVERROR_EOF { return .endOfStream }
            if result != REEL_AVERROR_EAGAIN {
                try ffmpegCheck("avcodec_receive_packet", result)
                return .received
            }
            // The encoder wants input: a whole frame from the queue, else the rest when draining.
            if let frame = try assembler.pop(sampleCount: frameSize, allowShort: draining) {
                try ffmpegCheck("avcodec_send_frame", avcodec_send_frame(context, frame.pointer))
            } else if draining, !flushedEncoder {
                flushedEncoder = true
                try ffmpegCheck("avcodec_send_frame(flush)", avcodec_send_frame(context, nil))
            } else {
                return .needsInput
            }
        }
    }

    /// The encoded stream's parameters (with the AudioSpecificConfig as extradata), for
    /// `Muxer.addStream(copying:timeBase:)`.
    public func codecParameters() throws(FFmpegError) -> CodecParameters {
        try CodecParameters(encoder: context)
    }
}
