import DirectoryWatch
import Foundation
import HLSPlaylist
import NIOCore
import ServiceLifecycle
import Synchronization

/// Holds blocking playlist reloads (`?_HLS_msn=N`, `&_HLS_part=P`) until segment N (part P of
/// it) is published, the ingest ends or dies, or about three target durations pass; and GETs
/// of a hinted part until it exists.
///
/// A waiting request is a closure (a connection's handler on the fast path, or a suspended
/// task's continuation on Hummingbird's), not a thread: one inotify thread
/// for the process wakes all of them when a playlist is renamed into place (the segmenter
/// publishes atomically) or an ingest's lock file is closed (the kernel closes it when the
/// process exits, kill -9 included). Each change costs one read of the playlist, however many
/// requests wait on it. The same thread expires waiters past their deadline (it ticks four
/// times a second only while requests wait), so a parked request costs no timer of its own.
final class PlaylistReloadMonitor: Sendable {
    /// One for the process: inotify instances are a limited resource, and one thread serves all.
    static let shared = PlaylistReloadMonitor()

    enum Outcome: Sendable, Equatable {
        /// Serve the playlist now.
        case serve
        /// 400: the segment is more than two beyond the last one.
        case tooFarAhead
        /// 503: no ingest will add the segment.
        case abandoned
        /// 503: the segment did not arrive in time.
        case timedOut
        /// 503: the server is shutting down; a parked request must not hold up its exit.
        case shuttingDown

        /// The error status to answer with (400, 503), nil to serve the playlist.
        var refusal: Int? {
            switch self {
            case .serve: nil
            case .tooFarAhead: 400
            case .abandoned, .timedOut, .shuttingDown: 503
            }
        }
    }

    /// A media playlist inside an asset of a served library.
    struct Location: Sendable {
        let root: ServedRoot
        /// Validated path segments below the root: asset, then the rest.
        let segments: [String]

        var assetDirectory: String { root.path + "/" + segments[0] }
        var directory: String { ([root.path] + segments.dropLast()).joined(separator: "/") }
        var fileName: String { segments[segments.count - 1] }
        var key: String { directory + "/" + fileName }
    }

    /// What a held request waits for.
    enum Awaited: Sendable, Equatable {
        /// Segment `msn` of the playlist, or part `part` of it (``BlockingReload``).
        case segment(msn: Int, part: Int?)
        /// The file `name` beside the playlist, which the playlist's `EXT-X-PRELOAD-HINT` names
        /// (RFC 8216bis §6.2.6): the next part, asked for before it is published.
        case hintedFile(String)
    }

    private struct Waiter {
        let location: Location
        let awaited: Awaited
        /// Set once the first look at the playlist says how long to wait.
        var deadline: ContinuousClock.Instant
        let watches: [Int32]
        let release: @Sendable (Outcome) -> Void
    }

    /// How often deadlines are checked while requests wait, in milliseconds.
    private static let tick: Int32 = 250

    private let events: DirectoryEvents?
    private let waiters = Mutex<[UInt64: Waiter]>([:])
    /// The `EXT-X-PRELOAD-HINT` URIs of each playlist, by version of the file.
    private let hintedURIs = IdentityCache<Set<String>>()
    private let nextID = Atomic<UInt64>(0)

    init() {
        // What a watch reports: files renamed in (atomic publication), files closed after
        // writing (a lock released, a process gone), and the directory moving or vanishing.
        events = try? DirectoryEvents(mask: UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF))
        events?.start(name: "reel-reloads", tickInterval: { [self] in waiting == 0 ? -1 : Self.tick }) { [self] batch in
            changed(batch)
        }
    }

    /// Requests parked now (for metrics and tests).
    var waiting: Int { waiters.withLock { $0.count } }

    /// Waits until the playlist at `location` lists segment `msn`, or decides it never will.
    /// For a task: cancelling it or a graceful shutdown ends the wait.
    func wait(for awaited: Awaited, at location: Location) async -> Outcome {
        let id = nextID.add(1, ordering: .relaxed).newValue
        return await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    register(id, awaited, at: location) { continuation.resume(returning: $0) }
                    if Task.isCancelled {
                        resume(id, with: .timedOut)
                    } else if Task.isShuttingDownGracefully {
                        resume(id, with: .shuttingDown)
                    }
                }
            } onCancel: {
                self.resume(id, with: .timedOut)
            }
        } onGracefulShutdown: {
            self.resume(id, with: .shuttingDown)
        }
    }

    /// Parks a waiter without a task: `release` is called once with the outcome, on the
    /// monitor's thread or (when the playlist decides at once) before this returns. The
    /// returned ticket ends the wait early (``release(_:with:)``).
    func park(for awaited: Awaited, at location: Location, release: @escaping @Sendable (Outcome) -> Void) -> UInt64 {
        let id = nextID.add(1, ordering: .relaxed).newValue
        register(id, awaited, at: location, release: release)
        return id
    }

    /// Ends a parked wait now with `outcome` (a closed connection, a shutdown); nothing if it
    /// has ended already.
    func release(_ ticket: UInt64, with outcome: Outcome) {
        resume(ticket, with: outcome)
    }

    /// Registers the waiter, then reads the playlist once: a change after the watches are in
    /// place cannot go unnoticed, and most blocking requests do wait.
    private func register(_ id: UInt64, _ awaited: Awaited, at location: Location, release: @escaping @Sendable (Outcome) -> Void) {
        // Without inotify (instance limit reached) there is nothing to wait with: answer as is.
        guard let events else { return release(Self.outcome(Self.evaluate(location, awaited)) ?? .serve) }
        let watches = [try? events.watch(location.directory), try? events.watch(location.assetDirectory)].compactMap { $0 }
        // No deadline until the playlist gives its target duration.
        let undecided = ContinuousClock.now + .seconds(86_400)
        let first = waiters.withLock { waiters in
            waiters[id] = Waiter(location: location, awaited: awaited, deadline: undecided, watches: watches, release: release)
            return waiters.count == 1
        }
        let decision = Self.evaluate(location, awaited)
        guard case .wait(let timeout) = decision else {
            return resume(id, with: Self.outcome(decision) ?? .serve)
        }
        guard watches.count == 2 else { return resume(id, with: .serve) }
        waiters.withLock { $0[id]?.deadline = ContinuousClock.now + .seconds(timeout) }
        // The thread sleeps while nobody waits: make it tick.
        if first { events.wake() }
    }

    private func resume(_ id: UInt64, with outcome: Outcome) {
        guard let waiter = waiters.withLock({ $0.removeValue(forKey: id) }) else { return }
        for watch in waiter.watches { events?.unwatch(watch) }
        waiter.release(outcome)
    }

    /// Runs on the inotify thread with each batch of changes, and on each tick.
    private func changed(_ batch: [DirectoryEvents.Event]) {
        let now = ContinuousClock.now
        let (expired, hintedNames) = waiters.withLock { waiters in
            (waiters.filter { $0.value.deadline <= now }.map(\.key),
             Set(waiters.values.compactMap { if case .hintedFile(let name) = $0.awaited { name } else { nil } }))
        }
        for id in expired { resume(id, with: .timedOut) }
        let overflow = batch.contains(where: \.isOverflow)
        let relevant = batch.filter { event in
            event.name.isEmpty || event.name == LibraryLayout.lockFile || LibraryLayout.isPlaylist(event.name)
                || event.name == LibraryLayout.manifest || hintedNames.contains(event.name)
        }
        let watches = Set(relevant.map(\.watch))
        guard overflow || !watches.isEmpty else { return }
        let affected = waiters.withLock { waiters in
            waiters.filter { overflow || $0.value.watches.contains(where: watches.contains) }.map { ($0.key, $0.value.location, $0.value.awaited) }
        }
        // One read of each playlist, however many requests wait on it.
        var playlists: [String: (MediaPlaylist?, Bool)] = [:]
        for (id, location, awaited) in affected {
            let state = playlists[location.key] ?? Self.read(location)
            playlists[location.key] = state
            if let outcome = Self.outcome(Self.decide(awaited, at: location, playlist: state.0, ingestRunning: state.1)) {
                resume(id, with: outcome)
            }
        }
    }

    private static func outcome(_ decision: BlockingReload.Decision) -> Outcome? {
        switch decision {
        case .serve: .serve
        case .tooFarAhead: .tooFarAhead
        case .abandoned: .abandoned
        case .wait: nil
        }
    }

    private static func evaluate(_ location: Location, _ awaited: Awaited) -> BlockingReload.Decision {
        let state = read(location)
        return decide(awaited, at: location, playlist: state.playlist, ingestRunning: state.ingestRunning)
    }

    private static func decide(_ awaited: Awaited, at location: Location, playlist: MediaPlaylist?, ingestRunning: Bool) -> BlockingReload.Decision {
        switch awaited {
        case .segment(let msn, let part):
            return BlockingReload.decide(msn: msn, part: part, playlist: playlist, ingestRunning: ingestRunning)
        case .hintedFile(let name):
            let exists = location.root.openFile(location.segments.dropLast() + [name]) != nil
            return BlockingReload.decideHinted(name, exists: exists, playlist: playlist, ingestRunning: ingestRunning)
        }
    }

    /// Whether the playlist at `location` hints `name` now (its `EXT-X-PRELOAD-HINT` URI): a GET
    /// of a missing file is held only then. Every Low-Latency player asks for each hinted part
    /// before it exists, so the hints are parsed once per version of the playlist.
    func hints(_ name: String, at location: Location) -> Bool {
        guard let file = location.root.openFile(location.segments) else { return false }
        if let known = hintedURIs.value(for: location.key, identity: file.identity) { return known.contains(name) }
        let uris = Set(Self.parse(file)?.preloadHints.map(\.uri) ?? [])
        hintedURIs.store(uris, for: location.key, identity: file.identity)
        return uris.contains(name)
    }

    /// The playlist as published now (nil when missing or not a media playlist) and whether an
    /// ingest holds its asset. The lock is checked after the playlist is read, so a playlist
    /// completed by an ingest that has just ended is never taken for an abandoned one.
    private static func read(_ location: Location) -> (playlist: MediaPlaylist?, ingestRunning: Bool) {
        let playlist = location.root.openFile(location.segments).flatMap(parse)
        return (playlist, IngestLock.isHeld(inAssetDirectory: location.assetDirectory))
    }

    private static func parse(_ file: OpenedFile) -> MediaPlaylist? {
        file.readAll(limit: FileResolver.largestParsedPlaylist).flatMap { try? MediaPlaylist(parsing: String(buffer: $0)) }
    }
}
