import Foundation
import Synchronization

/// Linux inotify on directories: one instance and one reader thread for the whole process,
/// however many directories are watched and requests wait on them.
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
    private let references = Mutex<[Int32: Int]>([:])
    private let handler: @Sendable ([Event]) -> Void

    /// Starts the reader thread; `handler` runs on it with each batch of events.
    init?(handler: @escaping @Sendable ([Event]) -> Void) {
        let descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.handler = handler
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

    private func readLoop() {
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer, capacity)
            if count < 0 {
                if errno == EINTR { continue }
                return
            }
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
