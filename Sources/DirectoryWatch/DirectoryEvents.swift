import Foundation
import Synchronization

/// Linux inotify on directories, read on a thread of its own: a thread blocks in `poll` on the
/// inotify descriptor and on a pipe that `wake()` and `stop()` write to, so nothing scans a
/// directory in a loop and nothing blocks Swift's cooperative pool.
///
/// The thread can also serve as a clock: while `tickInterval` says so it calls the handler
/// (with no events) at least that often, and sleeps in `poll` otherwise.
///
/// Watches are reference-counted: each `watch` is balanced by an `unwatch`, and the kernel
/// watch goes away with the last one.
public final class DirectoryEvents: Sendable {
    /// One `struct inotify_event`.
    public struct Event: Sendable, Equatable {
        /// The watch descriptor of the directory (-1 for a queue overflow).
        public var watch: Int32
        /// The file the event is about (empty for events on the directory itself).
        public var name: String
        public var mask: UInt32

        public init(watch: Int32, name: String, mask: UInt32) {
            self.watch = watch
            self.name = name
            self.mask = mask
        }

        /// The kernel's queue overflowed: events were lost, watched directories must be rescanned.
        public var isOverflow: Bool { watch < 0 || mask & UInt32(IN_Q_OVERFLOW) != 0 }
        /// The watched directory itself was deleted, moved or unmounted, or its watch dropped.
        public var isDirectoryGone: Bool { mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT) != 0 }
        /// The event is about a subdirectory, not a file.
        public var isSubdirectory: Bool { mask & UInt32(IN_ISDIR) != 0 }
    }

    private let descriptor: Int32
    private let mask: UInt32
    /// A pipe whose write end interrupts `poll`: to re-read the tick interval, or to stop.
    private let wakeDescriptor: Int32
    private let wakeWriter: Int32
    private let stopped = Atomic<Bool>(false)
    private let references = Mutex<[Int32: Int]>([:])

    /// Creates the inotify instance; `mask` is what each watch reports (`IN_ONLYDIR` is added).
    /// Events of watches added before `start` wait in the kernel's queue.
    public init(mask: UInt32) throws(DirectoryEventsError) {
        let descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard descriptor >= 0 else { throw DirectoryEventsError(path: nil, code: errno) }
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            let code = errno
            close(descriptor)
            throw DirectoryEventsError(path: nil, code: code)
        }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        self.descriptor = descriptor
        self.mask = mask | UInt32(IN_ONLYDIR)
        wakeDescriptor = pipeEnds[0]
        wakeWriter = pipeEnds[1]
    }

    deinit {
        // The thread holds the instance while it runs, so it has ended by now.
        close(descriptor)
        close(wakeDescriptor)
        close(wakeWriter)
    }

    /// Starts the reading thread. `handler` runs on it with each batch of events, and with an
    /// empty batch every `tickInterval()` milliseconds (-1: only when events come); `finished`
    /// runs when the thread ends (after `stop()`, or if reading fails).
    public func start(
        name: String,
        tickInterval: @escaping @Sendable () -> Int32 = { -1 },
        finished: @escaping @Sendable () -> Void = {},
        handler: @escaping @Sendable ([Event]) -> Void
    ) {
        let thread = Thread { [self] in
            readLoop(tickInterval: tickInterval, handler: handler)
            finished()
        }
        thread.name = name
        thread.start()
    }

    /// Watches `directory`.
    ///
    /// - Throws: when it cannot be watched (gone, not a directory, the watch limit reached).
    public func watch(_ directory: String) throws(DirectoryEventsError) -> Int32 {
        let result: Result<Int32, DirectoryEventsError> = references.withLock { references in
            let watch = inotify_add_watch(descriptor, directory, mask)
            guard watch >= 0 else { return .failure(DirectoryEventsError(path: directory, code: errno)) }
            references[watch, default: 0] += 1
            return .success(watch)
        }
        return try result.get()
    }

    /// Balances one `watch`.
    public func unwatch(_ watch: Int32) {
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
    public func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWriter, &byte, 1)
    }

    /// Makes the thread end soon. Safe from any thread, any number of times.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        wake()
    }

    private func readLoop(tickInterval: @Sendable () -> Int32, handler: @Sendable ([Event]) -> Void) {
        // Room for many events at once; inotify_event needs 4-byte alignment.
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        var descriptors = [
            pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        while !stopped.load(ordering: .relaxed) {
            if poll(&descriptors, 2, tickInterval()) < 0 {
                if errno == EINTR { continue }
                return
            }
            if descriptors[1].revents != 0 {
                var drained = [UInt8](repeating: 0, count: 64)
                _ = read(wakeDescriptor, &drained, drained.count)
                if stopped.load(ordering: .relaxed) { return }
            }
            var events: [Event] = []
            if descriptors[0].revents != 0 {
                let count = read(descriptor, buffer, capacity)
                if count < 0, errno != EINTR, errno != EAGAIN { return }
                events = Self.parse(UnsafeRawBufferPointer(start: buffer, count: max(0, count)))
            }
            references.withLock { references in
                // The kernel dropped these watches (directory deleted): forget their counts.
                for event in events where event.mask & UInt32(IN_IGNORED) != 0 { references[event.watch] = nil }
            }
            handler(events)
        }
    }

    /// The events in one `read` of an inotify descriptor: `struct inotify_event`s, each followed
    /// by its name padded with NULs.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> [Event] {
        let headerSize = MemoryLayout<inotify_event>.size  // wd, mask, cookie, len: 16 bytes
        var events: [Event] = []
        var offset = 0
        while offset + headerSize <= bytes.count {
            let watch = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameBytes = bytes[(offset + headerSize)..<min(bytes.count, offset + headerSize + length)]
            events.append(Event(watch: watch, name: String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self), mask: mask))
            offset += headerSize + length
        }
        return events
    }
}

/// Setting up inotify failed.
public struct DirectoryEventsError: Error, Sendable, CustomStringConvertible {
    /// The directory a watch was asked for; nil when the instance itself could not be made.
    public let path: String?
    public let code: Int32

    public var description: String {
        switch code {
        case ENOSPC: "inotify watch limit reached; raise fs.inotify.max_user_watches"
        case EMFILE: "inotify instance limit reached; raise fs.inotify.max_user_instances"
        default: String(cString: strerror(code))
        }
    }
}
