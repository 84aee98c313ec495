import CFFmpeg

/// Owns a copy of a stream's `AVCodecParameters`, independent of the demuxer it came from.
///
/// A muxer stream is configured from one of these, so the demuxer can be closed first.
public final class CodecParameters {
    let pointer: UnsafeMutablePointer<AVCodecParameters>

    init(copying source: UnsafePointer<AVCodecParameters>) throws(FFmpegError) {
        guard let parameters = avcodec_parameters_alloc() else {
            throw FFmpegError(call: "avcodec_parameters_alloc", code: reel_averror(ENOMEM))
        }
        pointer = parameters
        // If the copy fails, deinit still frees the allocation.
        try ffmpegCheck("avcodec_parameters_copy", avcodec_parameters_copy(parameters, source))
    }

    /// The parameters an opened encoder produces (`avcodec_parameters_from_context`): what a
    /// muxer stream for its packets needs, extradata included.
    init(encoder context: UnsafePointer<AVCodecContext>) throws(FFmpegError) {
        guard let parameters = avcodec_parameters_alloc() else {
            throw FFmpegError(call: "avcodec_parameters_alloc", code: reel_averror(ENOMEM))
        }
        pointer = parameters
        try ffmpegCheck("avcodec_parameters_from_context", avcodec_parameters_from_context(parameters, context))
    }

    deinit {
        var parameters: UnsafeMutablePointer<AVCodecParameters>? = pointer
        avcodec_parameters_free(&parameters)
    }

    public var codecName: String { String(cString: avcodec_get_name(pointer.pointee.codec_id)) }
}
