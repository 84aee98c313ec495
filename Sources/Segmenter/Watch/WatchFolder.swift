import Foundation
import Logging
import Synchronization

/// `reel serve --watch DIR`: ingests the video files that appear, complete, in a directory,
/// one at a time, with the default options (fMP4, 6 s segments, stream copy). A success
/// moves the file into the media folder, a failure into `DIR/failed/`; an input file is never
/// deleted.
///
/// - Files already in the directory when `run()` starts are ingested first.
/// - New files are learnt of through inotify (closed after writing, or moved in), and count as
///   complete once their size and modification time have also stayed the same for
///   `settleDelay`.
/// - Dotfiles, directories, the `failed` folder and partial downloads (`*.part`,
///   `*.crdownload`, `*.tmp`, `*.download`) are left alone.
/// - The asset is named as `reel ingest` names it, with `-2`, `-3`, ... when the name is
///   taken; an existing asset is never replaced.
/// - Cancelling `run()` stops a running ingest (the pipeline removes what it staged) and
///   leaves its file where it was.
public final class WatchFolder: Sendable {
    /// The watched directory.
    public let directory: URL
    /// `DIR/failed`: where files that could not be ingested go.
    public let failedDirectory: URL
    public let library: URL
    public let media: URL
    /// How long a file must stay unchanged, after it was closed or moved in, to count as complete.
    public let settleDelay: Duration
    private let logger: Logger
    private let monitor: DirectoryMonitor
    private let started = Atomic<Bool>(false)

    /// Creates the directory and its `failed` folder if missing and starts watching it (events
    /// are queued from here on; `run()` handles them).
    public init(directory: String, library: String, media: String, logger: Logger, settleDelay: Duration = .seconds(1)) throws(WatchFolderError) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        failedDirectory = self.directory.appendingPathComponent(WatchedName.failedFolder, isDirectory: true)
        self.library = URL(fileURLWithPath: library, isDirectory: true).standardizedFileURL
        self.media = URL(fileURLWithPath: media, isDirectory: true).standardizedFileURL
        self.settleDelay = settleDelay
        self.logger = logger
        try Self.makeDirectory(self.directory.path)
        try Self.makeDirectory(failedDirectory.path)
        let resolved = self.directory.resolvingSymlinksInPath().path
        for (other, role) in [(self.media, "the media folder"), (self.library, "the library")]
        where other.resolvingSymlinksInPath().path == resolved {
            throw .overlaps(path: directory, other: role)
        }
        monitor = try DirectoryMonitor(directory: self.directory.path)
    }

    /// Watches and ingests until the task is cancelled; then stops the running ingest (its file
    /// stays in the directory) and returns. Runs at most once.
    public func run() async {
        guard !started.exchange(true, ordering: .relaxed) else { return }
        let (events, continuation) = AsyncStream.makeStream(of: Signal.self)
        let (monitorEvents, monitorContinuation) = AsyncStream.makeStream(of: DirectoryMonitor.Event.self)
        monitor.start(monitorContinuation)
        logger.debug("watch: watching \(directory.path); successes move into \(media.path), failures into \(failedDirectory.path)")
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                // One stream for the loop: what inotify reports, and the re-check timer (its
                // tasks are discarded as they end, so a long-running server keeps none).
                group.addTask {
                    for await event in monitorEvents { continuation.yield(.directory(event)) }
                    continuation.yield(.directory(.lost))
                }
                var state = LoopState(tracker: CompletionTracker(settleDelay: settleDelay))
                rescan(into: &state)
                continuation.yield(.recheck)
                for await signal in events {
                    if Task.isCancelled { break }
                    switch signal {
                    case .directory(.entry(let name)):
                        observe(name, into: &state)
                    case .directory(.overflow):
                        logger.warning("watch: \(directory.path): the kernel dropped events; rescanning")
                        rescan(into: &state)
                    case .directory(.lost):
                        if !state.lost && !Task.isCancelled {
                            logger.error("watch: \(directory.path) was deleted, moved or unmounted; new files there are no longer ingested")
                        }
                        state.lost = true
                    case .recheck:
                        state.recheckScheduled = false
                    }
                    await ingestSettled(&state)
                    if Task.isCancelled || (state.lost && state.tracker.isEmpty) { break }
                    if !state.tracker.isEmpty && !state.recheckScheduled {
                        state.recheckScheduled = true
                        let interval = min(settleDelay / 4, .milliseconds(250))
                        group.addTask {
                            try? await Task.sleep(for: interval)
                            continuation.yield(.recheck)
                        }
                    }
                }
                monitor.stop()
                continuation.finish()
                group.cancelAll()
            }
        } onCancel: {
            monitor.stop()
            continuation.finish()
        }
    }

    // MARK: - The loop

    private enum Signal: Sendable {
        case directory(DirectoryMonitor.Event)
        case recheck
    }

    private struct LoopState {
        var tracker: CompletionTracker
        /// Files handled but left in place (they could not be moved): not ingested again while unchanged.
        var settledInPlace: Set<FileSnapshot> = []
        var recheckScheduled = false
        var lost = false
    }

    private func observe(_ name: String, into state: inout LoopState) {
        guard WatchedName.isCandidate(name), let snapshot = FileSnapshot(path: path(of: name)) else { return }
        guard !state.settledInPlace.contains(snapshot) else { return }
        state.tracker.observe(name, snapshot, at: .now)
    }

    /// Everything in the directory becomes a candidate: at start, and after lost events.
    private func rescan(into state: inout LoopState) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names.sorted() { observe(name, into: &state) }
    }

    /// Ingests, one at a time, every file that has settled.
    private func ingestSettled(_ state: inout LoopState) async {
        while !Task.isCancelled {
            let settled = state.tracker.collectSettled(at: .now) { FileSnapshot(path: path(of: $0)) }
            guard !settled.isEmpty else { return }
            for (name, snapshot) in settled {
                if Task.isCancelled { return }
                // Changed since it settled (a writer came back): wait for it again.
                guard FileSnapshot(path: path(of: name)) == snapshot else {
                    observe(name, into: &state)
                    continue
                }
                let outcome = await ingest(name)
                switch outcome {
                case .ingested(_, movedTo: nil), .failed(movedTo: nil):
                    state.settledInPlace.insert(snapshot)
                case .ingested, .failed, .interrupted, .vanished:
                    break
                }
            }
        }
    }

    /// Runs one file's ingest and move on a thread of its own; task cancellation reaches the
    /// pipeline through its `isCancelled` poll.
    private func ingest(_ name: String) async -> WatchedIngest.Outcome {
        let job = WatchedIngest(file: directory.appendingPathComponent(name), library: library, media: media, failed: failedDirectory, logger: logger)
        let flag = CancellationFlag()
        return await withTaskCancellationHandler {
            await DedicatedThread.run(name: "reel-watch-ingest") {
                job.perform(isCancelled: { flag.isCancelled })
            }
        } onCancel: {
            flag.cancel()
        }
    }

    private func path(of name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// `mkdir -p`, with the system's reason when it cannot be done.
    private static func makeDirectory(_ path: String) throws(WatchFolderError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw .directory(path: path, reason: "not a directory") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if errno == ENOENT, !parent.isEmpty, parent != path {
            try makeDirectory(parent)
        }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw .directory(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
