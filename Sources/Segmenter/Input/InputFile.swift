import Foundation

/// Checks that a path names a readable regular file before FFmpeg sees it, so the
/// common mistakes get precise messages instead of FFmpeg's generic ones.
public struct InputFile: Sendable {
    /// The path as given.
    public let path: String
    /// Size in bytes.
    public let size: Int64

    public init(path: String) throws(InputError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            throw InputError(path: path, reason: code == ENOENT || code == ENOTDIR ? .notFound : .unreadable(String(cString: strerror(code))))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw InputError(path: path, reason: .isDirectory)
        }
        // O_NONBLOCK: checking a FIFO must not wait for its writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw InputError(path: path, reason: .unreadable(String(cString: strerror(errno))))
        }
        close(descriptor)
        self.path = path
        self.size = Int64(info.st_size)
    }

    /// The URL handed to FFmpeg: the `file:` protocol, so a name containing ':' is never
    /// taken for another protocol.
    public var ffmpegURL: String {
        path.hasPrefix("/") ? "file:" + path : "file:./" + path
    }
}
