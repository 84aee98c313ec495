import CFFmpeg

/// Owns an output `AVFormatContext`: a muxer writing to memory or to a file.
///
/// Not Sendable: one task owns a muxer for its whole life.
public final class Muxer {
    let context: UnsafeMutablePointer<AVFormatContext>
    // Held so the AVIOContext the muxer writes through lives as long as the muxer.
    private let output: AnyObject?
    private var ownsFileIO = false
    private var headerWritten = false

    /// A muxer of `format` (e.g. "mp4", "mpegts") writing into `output`.
    public convenience init(format: String, output: MemoryOutput) throws(FFmpegError) {
        try self.init(format: format, customIO: output.context, owner: output)
    }

    /// A muxer writing through an AVIOContext that `owner` owns and frees.
    init(format: String, customIO: UnsafeMutablePointer<AVIOContext>, owner: AnyObject) throws(FFmpegError) {
        FFmpegLog.configure()
        context = try Self.allocate(format: format)
        output = owner
        context.pointee.pb = customIO
        context.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
    }

    /// A muxer of `format` writing the file at `path`.
    public init(format: String, path: String) throws(FFmpegError) {
        FFmpegLog.configure()
        context = try Self.allocate(format: format)
        output = nil
        // Every stored property is set by now, so a throw here still runs deinit, which frees the context.
        try ffmpegCheck("avio_open", avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE))
        ownsFileIO = true
    }

    deinit {
        if ownsFileIO { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    private static func allocate(format: String) throws(FFmpegError) -> UnsafeMutablePointer<AVFormatContext> {
        var allocated: UnsafeMutablePointer<AVFormatContext>?
        try ffmpegCheck("avformat_alloc_output_context2", avformat_alloc_output_context2(&allocated, nil, format, nil))
        guard let allocated else {
            throw FFmpegError(call: "avformat_alloc_output_context2", code: reel_averror(ENOMEM))
        }
        return allocated
    }

    /// True when the container stores codec headers once, out of band (MP4's avcC/esds), so an
    /// encoder feeding it must be opened with a global header (`AV_CODEC_FLAG_GLOBAL_HEADER`).
    public var wantsGlobalHeader: Bool {
        context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0
    }

    /// Adds an output stream carrying `parameters` unchanged (stream copy).
    ///
    /// - Parameters:
    ///   - timeBase: the time base packets will be given in; the muxer may pick another.
    ///   - codecTag: a four-character sample entry to force (e.g. "hvc1"), or nil for the muxer's choice.
    /// - Returns: the new stream's index.
    @discardableResult
    public func addStream(copying parameters: CodecParameters, timeBase: Rational, codecTag: String? = nil) throws(FFmpegError) -> Int {
        guard let stream = avformat_new_stream(context, nil) else {
            throw FFmpegError(call: "avformat_new_stream", code: reel_averror(ENOMEM))
        }
        try ffmpegCheck("avcodec_parameters_copy", avcodec_parameters_copy(stream.pointee.codecpar, parameters.pointer))
        stream.pointee.codecpar.pointee.codec_tag = codecTag.map(Self.tag) ?? 0
        stream.pointee.time_base = timeBase.avRational
        return Int(stream.pointee.index)
    }

    /// Writes the container header with muxer `options` (e.g. ["movflags": "+frag_custom"]).
    ///
    /// - Throws: also when an option is not one the muxer knows, so typos cannot pass silently.
    public func writeHeader(options: [String: String] = [:]) throws(FFmpegError) {
        var dictionary: OpaquePointer?
        for (key, value) in options { av_dict_set(&dictionary, key, value, 0) }
        defer { av_dict_free(&dictionary) }
        try ffmpegCheck("avformat_write_header", avformat_write_header(context, &dictionary))
        headerWritten = true
        if let unknown = av_dict_get(dictionary, "", nil, AV_DICT_IGNORE_SUFFIX) {
            throw FFmpegError(call: "avformat_write_header(\(String(cString: unknown.pointee.key)))", code: reel_averror(EINVAL))
        }
    }

    /// The time base the muxer chose for stream `index` (valid after `writeHeader`).
    public func timeBase(ofStream index: Int) -> Rational {
        Rational(context.pointee.streams[index]!.pointee.time_base)
    }

    /// Writes one packet as is; the caller interleaves and sets the stream index and timestamps.
    public func write(_ packet: Packet) throws(FFmpegError) {
        try ffmpegCheck("av_write_frame", av_write_frame(context, packet.pointer))
    }

    /// Flushes what the muxer buffered (for fragmented MP4 with `frag_custom`: ends a fragment).
    public func flush() throws(FFmpegError) {
        try ffmpegCheck("av_write_frame(flush)", av_write_frame(context, nil))
    }

    /// Writes the trailer; the muxer can take no more packets afterwards.
    public func writeTrailer() throws(FFmpegError) {
        guard headerWritten else { return }
        headerWritten = false
        try ffmpegCheck("av_write_trailer", av_write_trailer(context))
    }

    private static func tag(_ fourCC: String) -> UInt32 {
        fourCC.utf8.prefix(4).enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }
}

extension Muxer {
    /// A muxer of `format` writing through `output`, the destination of which the caller switches.
    public convenience init(format: String, sequence output: FileSequenceOutput) throws(FFmpegError) {
        try self.init(format: format, customIO: output.context, owner: output)
    }
}

extension Muxer {
    /// Sets one of the muxer's own options mid-stream (e.g. MPEG-TS `mpegts_flags`).
    public func setPrivateOption(_ name: String, _ value: String) throws(FFmpegError) {
        try ffmpegCheck("av_opt_set(\(name))", av_opt_set(context.pointee.priv_data, name, value, 0))
    }
}

extension Muxer {
    /// Gives output stream `index` a display matrix (9 values, as `StreamInfo.displayMatrix`
    /// holds them), before `writeHeader`: the MP4 muxer writes it into the track header (`tkhd`),
    /// fragmented MP4 included, so players turn the pictures. MPEG-TS has nowhere to put it and
    /// ignores it.
    ///
    /// - Throws: `EINVAL` when `matrix` is not 9 values long.
    public func setDisplayMatrix(_ matrix: [Int32], ofStream index: Int) throws(FFmpegError) {
        guard matrix.count == 9, index >= 0, index < Int(context.pointee.nb_streams), let stream = context.pointee.streams[index] else {
            throw FFmpegError(call: "av_stream_new_side_data(display matrix of \(matrix.count) values, stream \(index))", code: reel_averror(EINVAL))
        }
        let size = 9 * MemoryLayout<Int32>.size
        guard let data = av_stream_new_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, size) else {
            throw FFmpegError(call: "av_stream_new_side_data", code: reel_averror(ENOMEM))
        }
        matrix.withUnsafeBytes { UnsafeMutableRawPointer(data).copyMemory(from: $0.baseAddress!, byteCount: size) }
    }
}
