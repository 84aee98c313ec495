import Foundation

/// Where an asset being ingested lives now: its staging directory, then (after one rename) its
/// place in the library. Segment writers on several threads resolve their paths through it.
///
/// A reader-writer lock makes the move safe: each writer operation holds it shared, so the
/// rename that makes the asset live (held exclusively) never lands between a writer building a
/// path and using it.
final class AssetLocation: @unchecked Sendable {
    // Guarded by `lock`.
    private var current: URL
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init(_ root: URL) {
        current = root
        lock = .allocate(capacity: 1)
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Runs `body` with the asset's current root; the asset does not move meanwhile.
    func withRoot<Result, Failure: Error>(_ body: (URL) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(current)
    }

    /// Moves the asset: `body` renames it and returns its new root; no writer works meanwhile.
    func move<Failure: Error>(_ body: () throws(Failure) -> URL) throws(Failure) {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        current = try body()
    }
}
