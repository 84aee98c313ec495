import Synchronization

/// Values derived from files (parsed manifests, media durations, playlists' cache policies),
/// by key, each valid while its file's (inode, size, mtime) is unchanged: a changed file is
/// read again, an unchanged one never.
final class IdentityCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (identity: FileIdentity, value: Value)]>([:])

    func value(for key: String, identity: FileIdentity) -> Value? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.identity == identity else { return nil }
            return entry.value
        }
    }

    func store(_ value: Value, for key: String, identity: FileIdentity) {
        entries.withLock { entries in
            // Bounded by the number of files listed; forget all past a sane size.
            if entries.count > 10_000 { entries.removeAll() }
            entries[key] = (identity, value)
        }
    }
}
