/// A subtitle file read whole: a sidecar beside the input, SubRip or WebVTT.
public enum SubtitleFile {
    /// The FFmpeg demuxers a subtitle file may be read with.
    static let formats: Set<String> = ["srt", "webvtt"]

    /// Every cue in the file at `path`, ordered by start (equal starts in file order), timed in
    /// seconds from the file's 0, which is media time 0 of the video it sits beside.
    ///
    /// FFmpeg tells the format from the contents, not from the name; a last cue without an end
    /// ends at the end of the file's last cue.
    ///
    /// - Throws: `InputError`: `.notFound`, `.isDirectory` or `.unreadable` for the file itself,
    ///   `.notSubtitles` when FFmpeg does not read it as SubRip or WebVTT, `.corrupt` when a
    ///   cue cannot be decoded (e.g. text that is not UTF-8).
    public static func cues(path: String) throws(InputError) -> [SubtitleCue] {
        let file = try InputFile(path: path)
        let demuxer: Demuxer
        do {
            demuxer = try Demuxer(url: file.ffmpegURL)
        } catch {
            if let errno = error.posixErrorCode, errno != 5 /* EIO */ {
                throw InputError(path: path, reason: .unreadable(error.message))
            }
            throw InputError(path: path, reason: .notSubtitles)
        }
        guard formats.contains(demuxer.formatName), let stream = demuxer.streams.first(where: { $0.type == .subtitle }) else {
            throw InputError(path: path, reason: .notSubtitles)
        }
        do {
            let cues = try readCues(of: stream, from: demuxer)
            return cues.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }.map(\.element)
        } catch {
            throw InputError(path: path, reason: .corrupt(error))
        }
    }

    /// The cues of `stream`'s packets, in packet order, timed from 0 in the file.
    private static func readCues(of stream: StreamInfo, from demuxer: Demuxer) throws(FFmpegError) -> [SubtitleCue] {
        let transcoder = try SubtitleTranscoder(parameters: demuxer.codecParameters(ofStream: stream.index), timeBase: stream.timeBase)
        let seconds = stream.timeBase.doubleValue
        var cues: [SubtitleCue] = []
        let packet = Packet()
        while try demuxer.read(into: packet) {
            guard packet.streamIndex == stream.index, let pts = packet.pts else { continue }
            let duration = packet.duration > 0 ? Double(packet.duration) * seconds : nil
            cues += try transcoder.cues(from: packet, start: Double(pts) * seconds, duration: duration)
        }
        let lastEnd = cues.map(\.end).max()
        return cues + transcoder.finish(endingAt: lastEnd)
    }
}

extension SubtitleSidecar {
    /// Every cue in the sidecar (see `SubtitleFile.cues(path:)`).
    public func cues() throws(InputError) -> [SubtitleCue] {
        try SubtitleFile.cues(path: path)
    }
}
