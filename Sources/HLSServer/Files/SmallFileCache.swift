import NIOCore
import Synchronization

/// Keeps small files (playlists, init segments, segments up to 4 MiB) in memory, keyed by path
/// and validated by (inode, size, mtime) on every use, so an unchanged hot file costs one
/// open+fstat and no read. Bounded: memory stays flat however many files are served.
final class SmallFileCache: Sendable {
    /// Files larger than this are always streamed from disk.
    let maximumFileSize: Int64
    /// Total bytes held; past it, the least recently used entries go.
    let capacity: Int

    private struct Entry {
        var identity: FileIdentity
        var bytes: ByteBuffer
        var lastUse: UInt64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())

    init(maximumFileSize: Int64 = 4 << 20, capacity: Int = 64 << 20) {
        self.maximumFileSize = maximumFileSize
        self.capacity = capacity
    }

    /// The cached bytes of `key` if they still belong to a file with `identity`.
    func bytes(for key: String, identity: FileIdentity) -> ByteBuffer? {
        state.withLock { state in
            guard var entry = state.entries[key] else { return nil }
            guard entry.identity == identity else {
                state.bytes -= entry.bytes.readableBytes
                state.entries[key] = nil
                return nil
            }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            return entry.bytes
        }
    }

    func store(_ bytes: ByteBuffer, for key: String, identity: FileIdentity) {
        guard Int64(bytes.readableBytes) <= maximumFileSize else { return }
        state.withLock { state in
            if let previous = state.entries[key] { state.bytes -= previous.bytes.readableBytes }
            state.clock += 1
            state.entries[key] = Entry(identity: identity, bytes: bytes, lastUse: state.clock)
            state.bytes += bytes.readableBytes
            while state.bytes > capacity, let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.bytes -= oldest.value.bytes.readableBytes
                state.entries[oldest.key] = nil
            }
        }
    }

    /// Bytes currently held (for metrics and tests).
    var residentBytes: Int { state.withLock { $0.bytes } }
}
