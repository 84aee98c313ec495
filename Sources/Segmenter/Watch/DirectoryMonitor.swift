import DirectoryWatch
import Foundation

/// Learns through inotify which files in one directory were closed after writing or moved in,
/// and reports them into an `AsyncStream`.
final class DirectoryMonitor: Sendable {
    /// What the monitor reports.
    enum Event: Sendable, Equatable {
        /// A file of this name (no directory part) was closed after writing, or moved in.
        case entry(String)
        /// The kernel's event queue overflowed: events were lost, the directory must be rescanned.
        case overflow
        /// The directory was deleted, moved or unmounted: nothing more will be reported.
        case lost
    }

    let directory: String
    private let events: DirectoryEvents

    /// Sets up the watch; events are queued by the kernel from here on, before `start`.
    init(directory: String) throws(WatchFolderError) {
        self.directory = directory
        do {
            events = try DirectoryEvents(mask: UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF))
            _ = try events.watch(directory)
        } catch {
            throw .watch(path: directory, reason: error.description)
        }
    }

    /// Starts the reading thread; `continuation` gets every event and is finished when the
    /// monitor stops or loses the directory.
    func start(_ continuation: AsyncStream<Event>.Continuation) {
        let events = self.events
        events.start(name: "reel-watch-inotify", finished: { continuation.finish() }) { batch in
            for event in Self.events(from: batch) {
                continuation.yield(event)
                if event == .lost { events.stop() }
            }
        }
    }

    /// Makes the reading thread finish its stream and end, soon. Safe from any thread, any number of times.
    func stop() {
        events.stop()
    }

    /// What the watch folder cares about in a batch of inotify events: files, not directories.
    static func events(from batch: [DirectoryEvents.Event]) -> [Event] {
        var result: [Event] = []
        for event in batch {
            if event.isOverflow {
                result.append(.overflow)
            } else if event.isDirectoryGone {
                result.append(.lost)
                return result
            } else if !event.isSubdirectory, event.mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0, !event.name.isEmpty {
                result.append(.entry(event.name))
            }
        }
        return result
    }
}
