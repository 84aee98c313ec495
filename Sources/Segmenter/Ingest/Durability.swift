import Foundation

/// Whether a published file is on stable storage before it is renamed into place.
///
/// Either way a reader never sees a partial file, and a process that dies (kill -9, a crash)
/// loses nothing it published: the kernel holds the data. What differs is a power cut or a
/// kernel crash, after which files the kernel had not yet written back (up to about 30 s of
/// them, Linux's `dirty_expire_centisecs`) can be empty or torn on disk:
///
/// - ``buffered`` (the default, as ffmpeg does): such a cut can leave recently published
///   segments and playlists empty or short; the asset's ingest is then `failed` (its lock is
///   gone) and `reel ingest --force` replaces it, but a `ready` asset written in the last
///   half-minute can also be damaged.
/// - ``synced`` (`--durable`): each segment, init section, playlist and manifest is flushed
///   (`fsync`) before its rename and the directory after it, so whatever a playlist lists
///   survives; a cut loses at most the segment being written.
public enum Durability: String, Sendable, Codable {
    case buffered
    case synced
}

/// Whole-file writes with POSIX calls: one `write(2)` loop, an optional `fsync`, no copies.
enum FileWriting {
    /// Creates or truncates `path` with permissions `mode` (0600 for a key: exactly that,
    /// whatever the umask or an earlier file had) and writes `data` into it; with `sync`, flushes
    /// it to disk.
    static func write(_ data: some ContiguousBytes, to path: String, sync: Bool, mode: mode_t = 0o644) throws(FileSequenceError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard descriptor >= 0 else { throw FileSequenceError(code: errno) }
        var failure: Int32 = 0
        if mode != 0o644, fchmod(descriptor, mode) != 0 { failure = errno }
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard failure == 0 else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == 0, sync, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure != 0 { throw FileSequenceError(code: failure) }
    }

    /// Flushes a directory's entries (a rename into it) to disk.
    static func syncDirectory(_ path: String) throws(FileSequenceError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSequenceError(code: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw FileSequenceError(code: errno) }
    }
}
