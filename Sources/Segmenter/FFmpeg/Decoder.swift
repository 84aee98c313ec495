import CFFmpeg

/// Owns an `AVCodecContext` opened for decoding one stream.
///
/// The protocol is FFmpeg's: `send` a packet, then `receive` until `.needsInput`; at the end of
/// the input `flush`, then `receive` until `.endOfStream`.
/// Not Sendable: one task owns a decoder for its whole life.
public final class Decoder {
    let context: UnsafeMutablePointer<AVCodecContext>
    private var draining = false

    /// What the stream carries.
    public let mediaType: MediaType

    /// A decoder for a stream described by `parameters`, whose packets come in `timeBase`.
    ///
    /// - Parameter threads: decoding threads; 0 lets libavcodec pick from the core count.
    /// - Throws: `avcodec_find_decoder(NAME)` when FFmpeg has no decoder for the codec.
    public init(parameters: CodecParameters, timeBase: Rational, threads: Int = 0) throws(FFmpegError) {
        FFmpegLog.configure()
        let codecID = parameters.pointer.pointee.codec_id
        guard let codec = avcodec_find_decoder(codecID) else {
            throw FFmpegError(call: "avcodec_find_decoder(\(String(cString: avcodec_get_name(codecID))))", code: REEL_AVERROR_DECODER_NOT_FOUND)
        }
        guard let allocated = avcodec_alloc_context3(codec) else {
            throw FFmpegError(call: "avcodec_alloc_context3", code: reel_averror(ENOMEM))
        }
        context = allocated
        mediaType = MediaType(parameters.pointer.pointee.codec_type)
        // Every stored property is set: a throw below still runs deinit, which frees the context.
        try ffmpegCheck("avcodec_parameters_to_context", avcodec_parameters_to_context(context, parameters.pointer))
        context.pointee.pkt_timebase = timeBase.avRational
        context.pointee.thread_count = Int32(threads)
        context.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        try ffmpegCheck("avcodec_open2", avcodec_open2(context, codec, nil))
    }

    deinit {
        var owned: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&owned)
    }

    /// Feeds one packet.
    ///
    /// - Throws: also `EAGAIN` (as an error naming `avcodec_send_packet`) when the caller broke
    ///   the protocol by not receiving until `.needsInput` first, and after `flush`.
    public func send(_ packet: Packet) throws(FFmpegError) {
        try ffmpegCheck("avcodec_send_packet", avcodec_send_packet(context, packet.pointer))
    }

    /// Signals the end of the input: `receive` then gives the frames still held back, then
    /// `.endOfStream`. Calling it again does nothing.
    public func flush() throws(FFmpegError) {
        guard !draining else { return }
        draining = true
        try ffmpegCheck("avcodec_send_packet(flush)", avcodec_send_packet(context, nil))
    }

    /// Takes the next decoded frame into `frame`, replacing what it held.
    public func receive(into frame: Frame) throws(FFmpegError) -> ReceiveResult {
        let result = avcodec_receive_frame(context, frame.pointer)
        if result == REEL_AVERROR_EAGAIN { return .needsInput }
        if result == REEL_AVERROR_EOF { return .endOfStream }
        try ffmpegCheck("avcodec_receive_frame", result)
        return .received
    }

    /// Picture width, as the stream declared it (decoded frames carry their own).
    public var width: Int { Int(context.pointee.width) }

    /// Picture height, as the stream declared it.
    public var height: Int { Int(context.pointee.height) }

    /// The decoded pictures' pixel format, as the stream declared it.
    public var pixelFormat: PixelFormat { PixelFormat(context.pointee.pix_fmt) }

    /// The pixel shape the stream declared; 0/1 when unknown (treat as square).
    public var sampleAspectRatio: Rational { Rational(context.pointee.sample_aspect_ratio) }

    /// The decoded audio's rate, layout and sample format, as the stream declared them.
    public var audioFormat: AudioFormat {
        AudioFormat(sampleRate: context.pointee.sample_rate, layout: context.pointee.ch_layout, sampleFormat: context.pointee.sample_fmt.rawValue)
    }

    /// FFmpeg's name of the decoder in use, e.g. "h264" or "aac".
    public var decoderName: String { String(cString: context.pointee.codec.pointee.name) }
}
