import NIOCore
import NIOPosix

/// Reads file bytes on NIO's blocking-I/O thread pool, never on an event loop or the
/// cooperative pool.
struct FileReader: Sendable {
    let threadPool: NIOThreadPool
    let allocator = ByteBufferAllocator()

    /// Shares a fixed amount of read-buffer memory among the bodies streaming now.
    let budget = StreamingBudget()

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
