import Foundation

/// Learns through Linux inotify which files in one directory were closed after writing or
/// moved in. A dedicated thread blocks in `poll` on the inotify descriptor (and on a pipe
/// that `stop()` writes to) and reports what it reads into an `AsyncStream`; nothing scans
/// the directory in a loop and nothing blocks Swift's cooperative pool.
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
    private let inotify: Int32
    /// `stop()` writes a byte to `wakeWrite`; the thread polls `wakeRead` next to inotify.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Sets up the watch; events are queued by the kernel from here on, before `start`.
    init(directory: String) throws(WatchFolderError) {
        self.directory = directory
        inotify = inotify_init1(Int32(IN_CLOEXEC))
        guard inotify >= 0 else { throw .watch(path: directory, reason: Self.errorText()) }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
        guard inotify_add_watch(inotify, directory, mask) >= 0 else {
            let reason = Self.errorText()
            close(inotify)
            throw .watch(path: directory, reason: reason)
        }
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            let reason = Self.errorText()
            close(inotify)
            throw .watch(path: directory, reason: reason)
        }
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
        for descriptor in [wakeRead, wakeWrite] { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(wakeWrite, F_SETFL, O_NONBLOCK)
    }

    deinit {
        // The thread holds the monitor while it runs, so it has ended by now.
        close(inotify)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Starts the reading thread; `continuation` gets every event and is finished when the
    /// monitor stops or loses the directory.
    func start(_ continuation: AsyncStream<Event>.Continuation) {
        let thread = Thread { self.readEvents(into: continuation) }
        thread.name = "reel-watch-inotify"
        thread.start()
    }

    /// Makes the reading thread finish its stream and end, soon. Safe from any thread, any number of times.
    func stop() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    // MARK: - The reading thread

    private func readEvents(into continuation: AsyncStream<Event>.Continuation) {
        defer { continuation.finish() }
        // Room for many events at once; inotify_event needs 4-byte alignment.
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            var descriptors = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                continuation.yield(.lost)
                return
            }
            if descriptors[1].revents != 0 { return }
            guard descriptors[0].revents != 0 else { continue }
            let count = read(inotify, buffer, capacity)
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                continuation.yield(.lost)
                return
            }
            for event in Self.parse(UnsafeRawBufferPointer(start: buffer, count: count)) {
                continuation.yield(event)
                if event == .lost { return }
            }
        }
    }

    /// The events in one `read` of an inotify descriptor (a sequence of `struct inotify_event`
    /// with their names). Directories are left out.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> [Event] {
        let headerSize = MemoryLayout<inotify_event>.size  // wd, mask, cookie, len: 16 bytes
        var events: [Event] = []
        var offset = 0
        while offset + headerSize <= bytes.count {
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameBytes = bytes[(offset + headerSize)..<min(bytes.count, offset + headerSize + length)]
            offset += headerSize + length
            if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                events.append(.overflow)
            } else if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT) != 0 {
                events.append(.lost)
            } else if mask & UInt32(IN_ISDIR) == 0, mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 {
                // The name is padded with NULs to an aligned length.
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                if !name.isEmpty { events.append(.entry(name)) }
            }
        }
        return events
    }

    private static func errorText() -> String {
        let code = errno
        if code == ENOSPC { return "inotify watch limit reached; raise fs.inotify.max_user_watches" }
        if code == EMFILE { return "inotify instance limit reached; raise fs.inotify.max_user_instances" }
        return String(cString: strerror(code))
    }
}
