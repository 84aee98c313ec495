import HLSPlaylist

/// Why an ingest failed. The CLI prints `description` after "reel: " and exits 1.
public enum IngestError: Error, Sendable, CustomStringConvertible {
    /// The input could not be opened or read as media.
    case input(InputError)
    /// A stream's codec cannot go into the chosen segment format.
    case unsupportedCodec(input: String, codec: String, format: SegmentFormat)
    /// The input has a video stream but no keyframe to start a segment at.
    case noKeyframe(input: String)
    /// Demuxing failed part-way: the input is corrupt.
    case corrupt(input: String, FFmpegError)
    /// FFmpeg refused to mux the streams (reported with the input they came from).
    case ffmpeg(FFmpegError)
    /// Writing into the library failed.
    case write(path: String, reason: String)
    /// The asset exists and `--force` was not given.
    case exists(path: String)
    /// Another ingest is writing the asset right now.
    case busy(path: String)
    /// Muxing failed for the named input.
    case remux(input: String, FFmpegError)
    /// Decoding the input failed (no decoder for its codec, or corrupt data mid-file).
    case decode(input: String, FFmpegError)
    /// An encoder refused its settings or failed.
    case encode(rendition: String, FFmpegError)
    /// A ladder was asked of an input without video.
    case noVideo(input: String, ladder: String)
    /// Every rung of the ladder is taller than the input.
    case noRungFits(input: String, sourceHeight: Int, ladder: String)
    /// SIGINT or SIGTERM arrived; what was published was withdrawn.
    case interrupted(input: String)

    public var description: String {
        switch self {
        case .input(let error):
            error.description
        case let .unsupportedCodec(input, codec, format):
            "\(input): \(codec) cannot be carried in \(format.displayName) segments"
                + (format == .ts ? " (use --format fmp4)" : "")
        case .noKeyframe(let input):
            "\(input): no video keyframe to start a segment at"
        case let .corrupt(input, error):
            "\(input): corrupt or truncated media (\(error.message))"
        case .ffmpeg(let error):
            "cannot write segments (\(error.call): \(error.message))"
        case let .write(path, reason):
            "\(path): cannot write (\(reason))"
        case .exists(let path):
            "\(path): asset already exists (use --force to replace it)"
        case .busy(let path):
            "\(path): another reel ingest is writing this asset"
        case let .remux(input, error):
            "\(input): cannot write segments (\(error.call): \(error.message))"
        case let .decode(input, error):
            "\(input): cannot decode (\(error.call): \(error.message))"
        case let .encode(rendition, error):
            "cannot encode \(rendition) (\(error.call): \(error.message))"
        case let .noVideo(input, ladder):
            "\(input): no video stream to transcode into \(ladder)"
        case let .noRungFits(input, sourceHeight, ladder):
            "\(input): every rung of \(ladder) is taller than the \(sourceHeight)-pixel-high source (list a smaller rung, or copy)"
        case .interrupted(let input):
            "\(input): interrupted; nothing was published"
        }
    }
}
