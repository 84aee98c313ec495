import CFFmpeg

/// Owns an `AVBSFContext`: a bitstream filter applied to packets between demuxer and muxer
/// (e.g. `aac_adtstoasc`, which turns ADTS AAC from a transport stream into the raw AAC an MP4
/// sample needs, and derives the AudioSpecificConfig the init section carries).
public final class BitstreamFilter {
    let context: UnsafeMutablePointer<AVBSFContext>

    /// A filter named `name` for packets described by `parameters` in `timeBase`, with the
    /// filter's own `options` (e.g. `filter_units`' `remove_types`).
    public init(name: String, parameters: CodecParameters, timeBase: Rational, options: [String: String] = [:]) throws(FFmpegError) {
        guard let filter = av_bsf_get_by_name(name) else {
            throw FFmpegError(call: "av_bsf_get_by_name(\(name))", code: REEL_AVERROR_DECODER_NOT_FOUND)
        }
        var allocated: UnsafeMutablePointer<AVBSFContext>?
        try ffmpegCheck("av_bsf_alloc", av_bsf_alloc(filter, &allocated))
        guard let allocated else { throw FFmpegError(call: "av_bsf_alloc", code: reel_averror(ENOMEM)) }
        context = allocated
        // Every stored property is set: a throw below still runs deinit, which frees the context.
        try ffmpegCheck("avcodec_parameters_copy", avcodec_parameters_copy(context.pointee.par_in, parameters.pointer))
        context.pointee.time_base_in = timeBase.avRational
        for (key, value) in options {
            try ffmpegCheck("av_opt_set(\(name) \(key))", av_opt_set(context.pointee.priv_data, key, value, 0))
        }
        try ffmpegCheck("av_bsf_init", av_bsf_init(context))
    }

    deinit {
        var owned: UnsafeMutablePointer<AVBSFContext>? = context
        av_bsf_free(&owned)
    }

    /// Filters `packet` in place. Returns false when the filter holds it back (no output yet).
    ///
    /// The filters Reel uses turn one packet into at most one packet.
    public func filter(_ packet: Packet) throws(FFmpegError) -> Bool {
        try ffmpegCheck("av_bsf_send_packet", av_bsf_send_packet(context, packet.pointer))
        let result = av_bsf_receive_packet(context, packet.pointer)
        if result == REEL_AVERROR_EAGAIN { return false }
        try ffmpegCheck("av_bsf_receive_packet", result)
        return true
    }

    /// The codec extradata the filter produced (e.g. the AudioSpecificConfig), empty until known.
    public var outputExtradata: [UInt8] {
        guard let parameters = context.pointee.par_out, let data = parameters.pointee.extradata, parameters.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(parameters.pointee.extradata_size)))
    }
}

extension Muxer {
    /// Gives output stream `index` codec extradata learned after the header was written (for
    /// fMP4 with `delay_moov` it still reaches the init section, written at the first flush).
    public func setExtradata(_ bytes: [UInt8], ofStream index: Int) throws(FFmpegError) {
        guard let parameters = context.pointee.streams[index]?.pointee.codecpar, parameters.pointee.extradata_size == 0, !bytes.isEmpty else { return }
        guard let buffer = av_mallocz(bytes.count + Int(AV_INPUT_BUFFER_PADDING_SIZE)) else {
            throw FFmpegError(call: "av_mallocz", code: reel_averror(ENOMEM))
        }
        buffer.copyMemory(from: bytes, byteCount: bytes.count)
        parameters.pointee.extradata = buffer.assumingMemoryBound(to: UInt8.self)
        parameters.pointee.extradata_size = Int32(bytes.count)
    }
}
