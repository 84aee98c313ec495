import Synchronization

/// Open descriptors of the files too large for memory (source files, large segments), by path,
/// as nginx's `open_file_cache` keeps them: a range request for a source file then costs one
/// `fstatat` instead of an `openat2`, an `fstat` and a `close`.
///
/// A descriptor is used again only while the path still names the same file: its (device,
/// inode, size, mtime), read by `fstatat` on every request, must be the ones the descriptor was
/// opened with. The descriptor was opened below the root (``ServedRoot/openFile(relative:)``),
/// so a path that has since become a symlink out of the root names another inode and is opened
/// again, through the same checks. The bytes sent are always the inode's the validators describe.
///
/// A file unused for ``inactivity`` seconds is closed by the first lookup after that (lookups
/// sweep at most once a second), so a deleted file's space is not held for long while the
/// server is busy; an idle server closes them at its next request. At most ``capacity`` are open.
final class OpenFileCache: Sendable {
    private struct Key: Hashable {
        var root: ObjectIdentifier
        var relative: String
    }

    private struct Entry {
        var file: OpenedFile
        var lastUsed: Int64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var lastSweep: Int64 = 0
    }

    /// Files no larger than this are not kept open (the small-file cache holds their bytes).
    let smallestKept: Int64
    let capacity: Int
    static let inactivity: Int64 = 60
    private let state = Mutex(State())

    init(keepingFilesLargerThan smallest: Int64, capacity: Int = 256) {
        smallestKept = smallest + 1
        self.capacity = capacity
    }

    /// The regular file at `relative` below `root` (a path already checked by
    /// ``RequestPath/relative(_:)``), from a descriptor kept open when it still names the same
    /// file; nil when there is none. `now` is in seconds.
    func file(at relative: String, in root: ServedRoot, now: Int64) -> OpenedFile? {
        let key = Key(root: ObjectIdentifier(root), relative: relative)
        if let kept = lookUp(key, now: now) {
            if root.identity(of: relative) == kept.identity { return kept }
            state.withLock { _ = $0.entries.removeValue(forKey: key) }
        }
        guard let file = root.openFile(relative: relative) else { return nil }
        if file.size >= smallestKept { keep(file, for: key, now: now) }
        return file
    }

    /// The number of descriptors kept open now.
    var count: Int { state.withLock { $0.entries.count } }

    private func lookUp(_ key: Key, now: Int64) -> OpenedFile? {
        // Closing happens when the last reference goes, here or after a response in flight:
        // the entries swept are released outside the lock.
        var swept: [Entry] = []
        let file = state.withLock { state -> OpenedFile? in
            if now != state.lastSweep {
                state.lastSweep = now
                let stale = state.entries.filter { now - $0.value.lastUsed >= Self.inactivity }
                for (key, entry) in stale {
                    swept.append(entry)
                    state.entries.removeValue(forKey: key)
                }
            }
            guard var entry = state.entries[key] else { return nil }
            entry.lastUsed = now
            state.entries[key] = entry
            return entry.file
        }
        swept.removeAll()
        return file
    }

    private func keep(_ file: OpenedFile, for key: Key, now: Int64) {
        var dropped: [Key: Entry] = [:]
        state.withLock { state in
            if state.entries.count >= capacity, state.entries[key] == nil {
                // Full of files in use: start again rather than track an order.
                dropped = state.entries
                state.entries.removeAll(keepingCapacity: true)
            }
            state.entries[key] = Entry(file: file, lastUsed: now)
        }
        dropped.removeAll()
    }
}
