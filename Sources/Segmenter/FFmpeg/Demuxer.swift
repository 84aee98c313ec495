import CFFmpeg

/// Owns an `AVFormatContext` opened for reading: the input side of every pipeline.
///
/// Not Sendable: one task owns a demuxer for its whole life.
public final class Demuxer {
    let context: UnsafeMutablePointer<AVFormatContext>

    /// The URL or path the demuxer was opened with.
    public let url: String

    /// Snapshots of the input's streams, in container order.
    public let streams: [StreamInfo]

    /// Opens `url` and reads enough of it to know its streams.
    public init(url: String) throws(FFmpegError) {
        FFmpegLog.configure()
        var opened: UnsafeMutablePointer<AVFormatContext>?
        // On failure avformat_open_input frees the context itself.
        try ffmpegCheck("avformat_open_input", avformat_open_input(&opened, url, nil, nil))
        guard let context = opened else {
            throw FFmpegError(call: "avformat_open_input", code: REEL_AVERROR_INVALIDDATA)
        }
        do {
            try ffmpegCheck("avformat_find_stream_info", avformat_find_stream_info(context, nil))
        } catch {
            var owned: UnsafeMutablePointer<AVFormatContext>? = context
            avformat_close_input(&owned)
            throw error
        }
        self.context = context
        self.url = url
        let count = Int(context.pointee.nb_streams)
        self.streams = (0..<count).map { StreamInfo(context.pointee.streams[$0]!) }
    }

    deinit {
        var owned: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&owned)
    }

    /// FFmpeg's short name for the container, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm".
    public var formatName: String { String(cString: context.pointee.iformat.pointee.name) }

    /// FFmpeg's descriptive name for the container, e.g. "QuickTime / MOV".
    public var formatLongName: String {
        context.pointee.iformat.pointee.long_name.map { String(cString: $0) } ?? formatName
    }

    /// Container duration in seconds, nil when unknown.
    public var duration: Double? {
        let value = context.pointee.duration
        return value == REEL_AV_NOPTS_VALUE ? nil : Double(value) / Double(REEL_AV_TIME_BASE)
    }

    /// Where the container declares the media ends, in seconds on the input's timeline: the
    /// latest stream end (start + duration) it states, else its start plus its duration. Nil
    /// when the duration is only estimated (from the bit rate, or from the last timestamps as
    /// for MPEG-TS), since then there is nothing a short input could fall short of.
    public var declaredEnd: Double? {
        guard let duration, context.pointee.duration_estimation_method == AVFMT_DURATION_FROM_STREAM else { return nil }
        let streamEnds = streams.compactMap { stream in
            stream.startSeconds.flatMap { start in stream.durationSeconds.map { start + $0 } }
        }
        return streamEnds.max() ?? (startTime ?? 0) + duration
    }

    /// True for containers whose timestamps may jump back or wrap (`AVFMT_TS_DISCONT`: MPEG-TS,
    /// MPEG-PS), where a restarted capture is still one input.
    public var hasDiscontinuousTimestamps: Bool {
        context.pointee.iformat.pointee.flags & AVFMT_TS_DISCONT != 0
    }

    /// Container start time in seconds, nil when unknown.
    public var startTime: Double? {
        let value = context.pointee.start_time
        return value == REEL_AV_NOPTS_VALUE ? nil : Double(value) / Double(REEL_AV_TIME_BASE)
    }

    /// Overall bit rate in bits per second, nil when unknown.
    public var bitRate: Int64? {
        context.pointee.bit_rate > 0 ? context.pointee.bit_rate : nil
    }

    /// Tells the demuxer to skip every stream not in `indices`, so reads cost less.
    public func keepOnly(streams indices: Set<Int>) {
        for index in 0..<Int(context.pointee.nb_streams) {
            context.pointee.streams[index]!.pointee.discard = indices.contains(index) ? AVDISCARD_DEFAULT : AVDISCARD_ALL
        }
    }

    /// Presentation timestamps (in the stream's time base) of stream `index`'s keyframes, found
    /// through the container's sample index: a seek and a packet or two per keyframe, nothing
    /// else read. Nil unless the index lists every sample (an MP4/MOV moov does; fragmented MP4,
    /// Matroska and MPEG-TS inputs need a full read) or a seek lands anywhere unexpected.
    ///
    /// The index holds decoding timestamps; reading the packet gives the presentation one
    /// (a skip-reading shortcut such as AVDISCARD_NONKEY loses the MP4 composition offsets).
    /// Leaves the read position wherever the last seek put it.
    public func keyframeTimestampsFromIndex(ofStream index: Int) throws(FFmpegError) -> [Int64]? {
        guard index >= 0, index < Int(context.pointee.nb_streams), let stream = context.pointee.streams[index] else { return nil }
        let count = avformat_index_get_entries_count(stream)
        guard count > 0, Int64(count) == stream.pointee.nb_frames else { return nil }
        var decodingTimestamps: [Int64] = []
        for position in 0..<count {
            guard let entry = avformat_index_get_entry(stream, position) else { return nil }
            let flags = Int32(entry.pointee.flags)
            if flags & AVINDEX_KEYFRAME != 0, flags & AVINDEX_DISCARD_FRAME == 0 {
                decodingTimestamps.append(entry.pointee.timestamp)
            }
        }
        keepOnly(streams: [index])
        var timestamps: [Int64] = []
        timestamps.reserveCapacity(decodingTimestamps.count)
        let packet = Packet()
        for dts in decodingTimestamps {
            // The MP4 demuxer seeks in presentation time shifted by its edit list, so it may land
            // a few samples early: read forward to the keyframe.
            try ffmpegCheck("av_seek_frame", av_seek_frame(context, Int32(index), dts, AVSEEK_FLAG_ANY | AVSEEK_FLAG_BACKWARD))
            var found: Int64?
            for _ in 0..<64 {
                guard try read(into: packet), let packetDTS = packet.dts, packetDTS <= dts else { break }
                if packetDTS == dts {
                    if packet.isKeyframe { found = packet.pts }
                    break
                }
            }
            guard let found else { return nil }
            timestamps.append(found)
        }
        return timestamps
    }

    /// Reads the next packet into `packet`, replacing what it held.
    ///
    /// - Returns: false at the end of the input.
    public func read(into packet: Packet) throws(FFmpegError) -> Bool {
        packet.unref()
        let result = av_read_frame(context, packet.pointer)
        if result == REEL_AVERROR_EOF { return false }
        try ffmpegCheck("av_read_frame", result)
        return true
    }

    /// A copy of stream `index`'s codec parameters, for configuring a muxer.
    public func codecParameters(ofStream index: Int) throws(FFmpegError) -> CodecParameters {
        try CodecParameters(copying: context.pointee.streams[index]!.pointee.codecpar)
    }
}
