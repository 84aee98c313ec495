#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The advisory lock (`flock`) a running ingest holds on `<asset>/.ingest.lock`.
///
/// The kernel drops the lock when the ingest process exits however it exits (kill -9
/// included), so an asset whose manifest says `ingesting` but whose lock nobody holds was
/// abandoned: it is `failed`. Closing the descriptor, which the kernel also does for a dead
/// process, raises inotify's `IN_CLOSE_WRITE` on the file: a server can notice without polling.
public final class IngestLock: Sendable {
    /// The lock file's name inside the asset directory (a dotfile: never served).
    public static let fileName = ".ingest.lock"

    /// The open lock file; -1 once released.
    private let descriptor: Mutex<Int32>

    /// Takes the lock, creating the file.
    ///
    /// - Returns: nil when another process holds it.
    /// - Throws: the `errno` of a failed `open` or `flock`.
    public static func acquire(inAssetDirectory directory: String) throws(IngestLockError) -> IngestLock? {
        let path = directory + "/" + fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw IngestLockError(path: path, code: errno) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { return nil }
            throw IngestLockError(path: path, code: code)
        }
        return IngestLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) {
        self.descriptor = Mutex(descriptor)
    }

    deinit { release(removingFileIn: nil) }

    /// Drops the lock. With a directory, the lock file is removed first, so nothing of the
    /// ingest stays behind in a finished asset.
    public func release(removingFileIn directory: String?) {
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            if let directory { unlink(directory + "/" + Self.fileName) }
            close(descriptor)
            descriptor = -1
        }
    }

    /// Whether a live process holds the lock of the asset in `directory` (false when there is
    /// no lock file). Takes and drops a shared lock; never blocks.
    public static func isHeld(inAssetDirectory directory: String) -> Bool {
        let descriptor = open(directory + "/" + fileName, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }
}

/// Opening or locking an asset's ingest lock failed.
public struct IngestLockError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let code: Int32
    public var description: String { "\(path): \(String(cString: strerror(code)))" }
}
