import CReelLinux
import Foundation

/// Moves a watched file into a folder without ever overwriting or losing anything: under its
/// own name, or `stem-2.ext`, `stem-3.ext`, ... when that is taken. Across filesystems it
/// copies into a hidden temporary file in the destination, syncs it, renames it into place,
/// and removes the original only after that.
enum FileMover {
    /// Gives up after this many taken names.
    static let maximumAttempts = 10_000

    /// Moves `source` into `directory`; returns where it went. On failure `source` is where it was.
    static func move(_ source: URL, into directory: URL) throws(WatchFolderError) -> URL {
        let fileName = source.lastPathComponent
        switch try place(source.path, into: directory, named: fileName) {
        case .moved(let destination):
            return destination
        case .crossDevice:
            return try copyAcross(source, into: directory)
        }
    }

    /// `file.ext` for the first attempt, then `file-2.ext`, `file-3.ext`, ...
    static func candidateName(_ fileName: String, attempt: Int) -> String {
        guard attempt > 1 else { return fileName }
        if let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex {
            return "\(fileName[..<dot])-\(attempt)\(fileName[dot...])"
        }
        return "\(fileName)-\(attempt)"
    }

    private enum Placement {
        case moved(URL)
        case crossDevice
    }

    /// Renames `path` to the first free candidate name in `directory`.
    private static func place(_ path: String, into directory: URL, named fileName: String) throws(WatchFolderError) -> Placement {
        for attempt in 1...maximumAttempts {
            let destination = directory.appendingPathComponent(candidateName(fileName, attempt: attempt))
            if reel_rename_noreplace(path, destination.path) == 0 { return .moved(destination) }
            switch errno {
            case EEXIST:
                continue
            case EXDEV:
                return .crossDevice
            case EINVAL, ENOSYS, ENOTSUP:
                // A filesystem without RENAME_NOREPLACE: a hard link also refuses to replace.
                if link(path, destination.path) == 0 {
                    unlink(path)
                    return .moved(destination)
                }
                switch errno {
                case EEXIST: continue
                case EXDEV: return .crossDevice
                default: break
                }
                // No hard links either: check, then rename (a narrow race, on odd filesystems only).
                if access(destination.path, F_OK) == 0 { continue }
                if rename(path, destination.path) == 0 { return .moved(destination) }
                throw .move(from: path, to: directory.path, reason: String(cString: strerror(errno)))
            default:
                throw .move(from: path, to: directory.path, reason: String(cString: strerror(errno)))
            }
        }
        throw .move(from: path, to: directory.path, reason: "\(maximumAttempts) names taken")
    }

    /// Copies `source` to a hidden file in `directory` (which the server does not serve),
    /// syncs it, renames it into place, then removes `source`.
    private static func copyAcross(_ source: URL, into directory: URL) throws(WatchFolderError) -> URL {
        let temporary = directory.appendingPathComponent(".reel-incoming-\(getpid())-\(UUID().uuidString.prefix(8))")
        do {
            try copy(source.path, to: temporary.path)
        } catch {
            unlink(temporary.path)
            throw .move(from: source.path, to: directory.path, reason: error.reason)
        }
        let placement: Placement
        do {
            placement = try place(temporary.path, into: directory, named: source.lastPathComponent)
        } catch {
            unlink(temporary.path)
            throw error
        }
        guard case .moved(let destination) = placement else {
            // The temporary file is in `directory`: a rename there cannot cross filesystems.
            unlink(temporary.path)
            throw .move(from: source.path, to: directory.path, reason: "\(String(cString: strerror(EXDEV)))")
        }
        guard unlink(source.path) == 0 || errno == ENOENT else {
            throw .move(from: source.path, to: directory.path, reason: "copied to \(destination.path), but the original could not be removed: \(String(cString: strerror(errno)))")
        }
        return destination
    }

    private struct CopyFailure: Error {
        var reason: String
        init() { reason = String(cString: strerror(errno)) }
    }

    /// Copies the bytes, permissions and modification time of `from` into a new file `to`, synced to disk.
    private static func copy(_ from: String, to: String) throws(CopyFailure) {
        let input = open(from, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw CopyFailure() }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw CopyFailure() }
        let output = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, info.st_mode & 0o777)
        guard output >= 0 else { throw CopyFailure() }
        defer { close(output) }
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer, capacity)
            if count < 0 {
                if errno == EINTR { continue }
                throw CopyFailure()
            }
            if count == 0 { break }
            var written = 0
            while written < count {
                let result = write(output, buffer + written, count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    throw CopyFailure()
                }
                written += result
            }
        }
        guard fsync(output) == 0 else { throw CopyFailure() }
        // Keep the modification time: it is the file's Last-Modified when served.
        var times = [info.st_atim, info.st_mtim]
        _ = futimens(output, &times)
    }
}
