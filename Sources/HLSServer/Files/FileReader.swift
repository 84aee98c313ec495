import NIOCore
import NIOPosix

/// Reads file bytes on NIO's blocking-I/O thread pool, never on an event loop or the
/// cooperative pool.
struct FileReader: Sendable {
    let threadPool: NIOThreadPool
    let allocator = ByteBufferAllocator()

    /// Large bodies go out in chunks of this size: big enough for throughput, small enough
    /// that memory per connection stays bounded.
    static let chunkSize = 256 * 1024

    /// Opens `segments` below `root` (nil when absent or outside the root).
    func open(_ segments: [String], in root: ServedRoot) async throws -> OpenedFile? {
        try await threadPool.runIfActive { root.openFile(segments) }
    }

    /// `count` bytes of `file` from `offset` (fewer at end of file).
    func read(_ file: OpenedFile, offset: Int64, count: Int) async throws -> ByteBuffer {
        let allocator = self.allocator
        return try await threadPool.runIfActive {
            var buffer = allocator.buffer(capacity: count)
            try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: pointer[..<count]), at: offset)
            }
            return buffer
        }
    }
}
