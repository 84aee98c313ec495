import Foundation

/// Checks that a path names a readable regular file before FFmpeg sees it, so the
/// common mistakes get precise messages instead of FFmpeg's generic ones.
public struct InputFile: Sendable {
    /// The path as given ("standard input" for `-`).
    public let path: String
    /// Size in bytes; nil for standard input.
    public let size: Int64?
    /// What FFmpeg opens.
    public let ffmpegURL: String
    /// A regular file (not standard input, a pipe or a device): it can be read twice.
    public let isRegularFile: Bool

    /// Standard input, read as a stream (MPEG-TS or Matroska; formats that need to seek cannot work).
    public static let standardInput = InputFile(path: "standard input", size: nil, ffmpegURL: "pipe:0")

    private init(path: String, size: Int64?, ffmpegURL: String) {
        self.path = path
        self.size = size
        self.ffmpegURL = ffmpegURL
        isRegularFile = false
    }

    public init(path: String) throws(InputError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            throw InputError(path: path, reason: code == ENOENT || code == ENOTDIR ? .notFound : .unreadable(String(cString: strerror(code))))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw InputError(path: path, reason: .isDirectory)
        }
        isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
        // A FIFO is only asked about (access), never opened here: even a brief non-blocking
        // open lets a waiting writer's open complete, and its first write would then meet a
        // closed reader (EPIPE) before FFmpeg opens the FIFO for real.
        if isRegularFile {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                throw InputError(path: path, reason: .unreadable(String(cString: strerror(errno))))
            }
            close(descriptor)
        } else if access(path, R_OK) != 0 {
            throw InputError(path: path, reason: .unreadable(String(cString: strerror(errno))))
        }
        self.path = path
        self.size = Int64(info.st_size)
        // The file: protocol, so a name containing ':' is never taken for another protocol.
        self.ffmpegURL = path.hasPrefix("/") ? "file:" + path : "file:./" + path
    }
}
