import CReelLinux
import Foundation

/// A directory the server serves files from (the library or the media folder).
///
/// Every open goes through `openat2(RESOLVE_BENEATH)` relative to a descriptor of the root,
/// so the kernel itself refuses `..`, absolute paths and symlinks that leave the root; on
/// kernels without openat2 a realpath containment check does the same job.
public final class ServedRoot: Sendable {
    /// The root as configured.
    public let path: String
    /// The root with symlinks resolved, for the fallback check.
    private let resolvedPath: String
    private let descriptor: Int32

    /// Why a root cannot be served.
    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public init(path: String) throws(Unavailable) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Unavailable(path: path, reason: errno == ENOENT ? "no such directory" : String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw Unavailable(path: path, reason: "not a directory") }
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Unavailable(path: path, reason: String(cString: strerror(errno))) }
        guard let resolved = realpath(path, nil) else {
            close(descriptor)
            throw Unavailable(path: path, reason: String(cString: strerror(errno)))
        }
        self.resolvedPath = String(cString: resolved)
        free(resolved)
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// The identity of the regular file at `segments` below the root, by `fstatat` alone (no
    /// open): for checking a file already read is unchanged. Its content is only ever read
    /// through ``openFile(_:)``, which keeps to the root. One metadata call, answered from the
    /// kernel's caches: cheap enough for an event loop.
    func identity(of relative: String) -> FileIdentity? {
        var info = stat()
        guard fstatat(descriptor, relative, &info, AT_SYMLINK_NOFOLLOW) == 0,
              (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        )
    }

    /// Opens the regular file at `segments` below the root; nil when it does not exist, is not a
    /// regular file, or would resolve outside the root. Metadata calls answered from the kernel's
    /// dentry and inode caches: the fast path calls it on its event loop, Hummingbird's path on
    /// the thread pool with the rest of a file response.
    public func openFile(_ segments: [String]) -> OpenedFile? {
        guard !segments.isEmpty else { return nil }
        return openFile(relative: segments.joined(separator: "/"))
    }

    /// ``openFile(_:)`` for a path already checked by ``RequestPath/relative(_:)``.
    public func openFile(relative: String) -> OpenedFile? {
        var fd = reel_open_beneath(descriptor, relative)
        if fd < 0, errno == ENOSYS {
            fd = openContained(relative)
        }
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        return OpenedFile(descriptor: fd, info: info)
    }

    /// Whether a directory exists at `segments` below the root (for listing assets).
    public func url(_ segments: [String]) -> URL {
        URL(fileURLWithPath: path).appendingPathComponent(segments.joined(separator: "/"))
    }

    private func openContained(_ relative: String) -> Int32 {
        guard let resolved = realpath(resolvedPath + "/" + relative, nil) else { return -1 }
        defer { free(resolved) }
        let candidate = String(cString: resolved)
        guard candidate.hasPrefix(resolvedPath + "/") else {
            errno = EXDEV
            return -1
        }
        return open(candidate, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    }
}
