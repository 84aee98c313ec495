import Foundation
import Synchronization

/// Linux inotify on directories: one instance and one reader thread for the whole process,
/// however many directories are watched and requests wait on them.
///
/// The thread also serves as the clock for whoever waits on it: while `tickInterval` says so
/// it calls the handler (with no events) at least that often, and sleeps in `poll` otherwise.
///
/// Watches are reference-counted: each `watch` is balanced by an `unwatch`, and the kernel
/// watch goes away with the last one.
final class DirectoryEvents: Sendable {
    /// One change in a watched directory.
    struct Event: Sendable {
        /// The watch descriptor of the directory.
        var watch: Int32
        /// The file the event is about (empty for events on the directory itself).
        var name: String
        var mask: UInt32
    }

    /// What a watch reports: files renamed in (atomic publication), files closed after writing
    /// (a lock released, a process gone), and the directory itself moving or vanishing.
    static let mask = UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)

    private let descriptor: Int32
    /// A pipe whose write end interrupts `poll` when the tick interval changes.
    private let wakeDescriptor: Int32
    private let wakeWriter: Int32
    private let references = Mutex<[Int32: Int]>([:])
    private let handler: @Sendable ([Event]) -> Void
    private let tickInterval: @Sendable () -> Int32

    /// Starts the reader thread; `handler` runs on it with each batch of events, and with an
    /// empty batch every `tickInterval()` milliseconds (-1: only when events come).
    init?(tickInterval: @escaping @Sendable () -> Int32, handler: @escaping @Sendable ([Event]) -> Void) {
        let descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard descriptor >= 0 else { return nil }
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            close(descriptor)
            return nil
        }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        self.descriptor = descriptor
        self.wakeDescriptor = pipeEnds[0]
        self.wakeWriter = pipeEnds[1]
        self.handler = handler
        self.tickInterval = tickInterval
        let thread = Thread { [self] in readLoop() }
        thread.name = "reel-inotify"
        thread.start()
    }

    /// Watches `directory`; nil when it cannot be watched (gone, or the watch limit reached).
    func watch(_ directory: String) -> Int32? {
        references.withLock { references in
            let watch = inotify_add_watch(descriptor, directory, Self.mask | UInt32(IN_ONLYDIR))
            guard watch >= 0 else { return nil }
            references[watch, default: 0] += 1
            return watch
        }
    }

    /// Balances one `watch`.
    func unwatch(_ watch: Int32) {
        references.withLock { references in
            guard let count = references[watch] else { return }
            if count > 1 {
                references[watch] = count - 1
            } else {
                references[watch] = nil
                inotify_rm_watch(descriptor, watch)
            }
        }
    }

    /// Makes the thread re-read `tickInterval` now.
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWriter, &byte, 1)
    }

    private func readLoop() {
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        var descriptors = [
            pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let ready = poll(&descriptors, 2, tickInterval())
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if descriptors[1].revents != 0 {
                var drained = [UInt8](repeating: 0, count: 64)
                _ = read(wakeDescriptor, &drained, drained.count)
            }
            let count = descriptors[0].revents != 0 ? read(descriptor, buffer, capacity) : 0
            var events: [Event] = []
            var offset = 0
            let headerSize = MemoryLayout<inotify_event>.size
            while offset + headerSize <= count {
                let header = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameStart = buffer.advanced(by: offset + headerSize).assumingMemoryBound(to: CChar.self)
                let name = header.len > 0 ? String(cString: nameStart) : ""
                events.append(Event(watch: header.wd, name: name, mask: header.mask))
                if header.mask & UInt32(IN_IGNORED) != 0 {
                    // The kernel dropped the watch (directory deleted): forget its count.
                    references.withLock { _ = $0.removeValue(forKey: header.wd) }
                }
                offset += headerSize + Int(header.len)
            }
            handler(events)
        }
    }
}
