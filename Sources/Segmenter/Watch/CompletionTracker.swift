/// Decides when a file in the watch folder is complete: it was closed after writing or moved
/// in (the caller reports that through `observe`), and its size and modification time then
/// stayed the same for `settleDelay`. A writer that closes and reopens the file, or a copy
/// tool that sets the modification time at the end, restarts the wait.
struct CompletionTracker {
    typealias Instant = ContinuousClock.Instant

    /// How long a file must stay unchanged before it counts as complete.
    let settleDelay: Duration
    /// Pending names, in the order they were first seen.
    private var order: [String] = []
    private var pending: [String: (snapshot: FileSnapshot, since: Instant)] = [:]

    init(settleDelay: Duration) {
        self.settleDelay = settleDelay
    }

    /// True when no file is waiting to settle.
    var isEmpty: Bool { order.isEmpty }

    /// Names waiting to settle, first seen first.
    var names: [String] { order }

    /// Records that `name` was written and closed (or moved in) and now looks like `snapshot`.
    /// An unchanged snapshot keeps the time it was first seen; a changed one restarts the wait.
    mutating func observe(_ name: String, _ snapshot: FileSnapshot, at now: Instant) {
        if let entry = pending[name] {
            if entry.snapshot != snapshot { pending[name] = (snapshot, now) }
            return
        }
        order.append(name)
        pending[name] = (snapshot, now)
    }

    /// Forgets `name` (it was ingested, or is known not to need it).
    mutating func forget(_ name: String) {
        guard pending.removeValue(forKey: name) != nil else { return }
        order.removeAll { $0 == name }
    }

    /// Looks at every pending file again with `snapshot` (a `stat`): returns those unchanged
    /// for at least `settleDelay`, first seen first, with the snapshot they settled at, and
    /// stops tracking them. Files that vanished (or stopped being regular files) are dropped;
    /// changed ones start waiting again.
    mutating func collectSettled(at now: Instant, snapshot: (String) -> FileSnapshot?) -> [(name: String, snapshot: FileSnapshot)] {
        var settled: [(name: String, snapshot: FileSnapshot)] = []
        for name in order {
            guard let entry = pending[name] else { continue }
            guard let current = snapshot(name) else {
                pending[name] = nil
                continue
            }
            if current != entry.snapshot {
                pending[name] = (current, now)
            } else if now - entry.since >= settleDelay {
                settled.append((name, current))
                pending[name] = nil
            }
        }
        order.removeAll { pending[$0] == nil }
        return settled
    }
}
