import CFFmpeg
import Foundation

/// FFmpeg's own logging, which would otherwise print to stderr next to Reel's messages.
enum FFmpegLog {
    private static let configured: Void = {
        // Reel reports failures itself, with context; FFmpeg's chatter only helps when debugging.
        let requested = ProcessInfo.processInfo.environment["REEL_FFMPEG_LOGLEVEL"].flatMap(Int32.init)
        av_log_set_level(requested ?? AV_LOG_QUIET)
    }()

    /// Applies the log level once per process; cheap to call again.
    static func configure() { _ = configured }
}
