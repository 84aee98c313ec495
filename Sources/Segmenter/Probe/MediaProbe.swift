import HLSPlaylist
/// Describes an input file: container, streams, codec strings and keyframe structure.
public enum MediaProbe {
    /// Opens `path`, reads every packet once (no decoding) and reports what it found.
    ///
    /// Blocking: call it off the cooperative thread pool's hot path.
    public static func probe(path: String) throws(InputError) -> ProbeReport {
        let file = try InputFile(path: path)
        let demuxer = try MediaInput.open(file)
        let scan: PacketScan
        do {
            scan = try PacketScan.run(demuxer)
        } catch {
            throw InputError(path: path, reason: .corrupt(error))
        }
        try checkComplete(scan, of: demuxer, path: path)
        let isMP4Family = demuxer.formatName.contains("mp4") || demuxer.formatName.contains("mov")
        return ProbeReport(
            path: path,
            container: demuxer.formatName,
            containerName: demuxer.formatLongName,
            duration: demuxer.duration,
            startTime: demuxer.startTime,
            bitRate: demuxer.bitRate,
            size: file.size ?? 0,
            faststart: isMP4Family ? MP4BoxLayout.moovBeforeMdat(path: path) : nil,
            streams: demuxer.streams.map { stream in
                report(stream, tally: scan.streams[stream.index] ?? PacketScan.StreamTally())
            }
        )
    }

    /// Refuses an input whose packets stop well short of the duration its container declares:
    /// a file cut off mid-download opens fine but is missing its end.
    static func checkComplete(_ scan: PacketScan, of demuxer: Demuxer, path: String) throws(InputError) {
        guard let declaredEnd = demuxer.declaredEnd, let end = scan.mediaEnd(streams: demuxer.streams) else { return }
        let start = demuxer.startTime ?? 0
        let (covered, declared) = (end - start, declaredEnd - start)
        if declared - covered > max(1.0, declared * 0.05) {
            throw InputError(path: path, reason: .truncated(mediaEnd: covered, declaredDuration: declared))
        }
    }

    static func report(_ stream: StreamInfo, tally: PacketScan.StreamTally) -> ProbeReport.Stream {
        let isVideo = stream.type == .video
        let isAudio = stream.type == .audio
        return ProbeReport.Stream(
            index: stream.index,
            type: stream.type,
            codec: stream.codecName,
            codecTag: stream.codecTag,
            codecString: CodecString.make(for: stream),
            profile: stream.profileName,
            level: stream.level.map(Int.init),
            width: isVideo ? stream.width : nil,
            height: isVideo ? stream.height : nil,
            pixelFormat: stream.pixelFormat,
            averageFrameRate: isVideo && !stream.averageFrameRate.isUnknown ? stream.averageFrameRate.doubleValue : nil,
            realFrameRate: isVideo && !stream.realFrameRate.isUnknown ? stream.realFrameRate.doubleValue : nil,
            hasBFrames: isVideo ? stream.videoDelay > 0 : nil,
            sampleRate: isAudio ? stream.sampleRate : nil,
            channels: isAudio ? stream.channels : nil,
            bitRate: stream.bitRate,
            duration: stream.durationSeconds,
            startTime: stream.startSeconds,
            packets: tally.packets,
            keyframes: isVideo ? tally.keyframes : nil,
            keyframeInterval: isVideo ? KeyframeInterval(timestamps: tally.keyframeTimestamps, timeBase: stream.timeBase) : nil,
            language: stream.language.flatMap(LanguageTag.rfc5646(fromContainerTag:)),
            title: stream.title,
            isDefault: stream.type == .video || isAudio || stream.type == .subtitle ? stream.isDefault : nil,
            forced: stream.type == .subtitle ? stream.isForced : nil,
            rotation: isVideo && stream.orientation.rotation != .none ? stream.orientation.rotation.rawValue : nil,
            videoRange: isVideo ? stream.videoRange.rawValue : nil,
            webVTT: stream.type == .subtitle ? SubtitleTranscoder.canDecodeAsText(codecName: stream.codecName) : nil
        )
    }
}
