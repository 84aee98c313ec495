import CFFmpeg

/// An `AVIOContext` that collects everything a muxer writes into memory.
///
/// The segmenter takes the bytes after each fragment or segment and publishes them itself,
/// so nothing FFmpeg writes ever lands half-finished in the library.
public final class MemoryOutput {
    /// What the write callback appends to.
    private final class Sink {
        var bytes: [UInt8] = []
        var total: Int64 = 0
    }

    private let io: WriteIOContext
    private let sink: Sink
    var context: UnsafeMutablePointer<AVIOContext> { io.context }

    public init(bufferSize: Int = 1 << 16) {
        let sink = Sink()
        self.sink = sink
        io = WriteIOContext(bufferSize: bufferSize) { data, size in
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: size))
            sink.total += Int64(size)
            return Int32(size)
        }
    }

    /// Bytes written since the last `take()`, after flushing FFmpeg's buffer.
    public func take() -> [UInt8] {
        avio_flush(context)
        let bytes = sink.bytes
        sink.bytes.removeAll(keepingCapacity: true)
        return bytes
    }

    /// Every byte written through this output so far.
    public var totalBytesWritten: Int64 {
        avio_flush(context)
        return sink.total
    }
}
