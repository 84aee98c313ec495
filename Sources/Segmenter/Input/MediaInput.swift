/// Opens an input file for demuxing, turning FFmpeg's failures into `InputError`s.
public enum MediaInput {
    /// Containers FFmpeg will open that are not audio or video in any useful sense.
    private static let nonMediaFormats: Set<String> = ["tty", "ansi"]

    /// Opens `file`, requiring at least one audio or video stream.
    public static func open(_ file: InputFile) throws(InputError) -> Demuxer {
        let demuxer: Demuxer
        do {
            demuxer = try Demuxer(url: file.ffmpegURL)
        } catch {
            if let errno = error.posixErrorCode, errno != 5 /* EIO */ {
                throw InputError(path: file.path, reason: .unreadable(error.message))
            }
            throw InputError(path: file.path, reason: .notMedia(error))
        }
        if nonMediaFormats.contains(demuxer.formatName) {
            throw InputError(path: file.path, reason: .notMedia(nil))
        }
        guard demuxer.streams.contains(where: { $0.type == .video || $0.type == .audio }) else {
            throw InputError(path: file.path, reason: .noMediaStreams)
        }
        return demuxer
    }
}
