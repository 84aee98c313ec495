import CFFmpeg

/// An `AVIOContext` that collects everything a muxer writes into memory.
///
/// The segmenter takes the bytes after each fragment or segment and publishes them itself,
/// so nothing FFmpeg writes ever lands half-finished in the library.
public final class MemoryOutput {
    /// The Swift object the C write callback reaches through the context's opaque pointer.
    final class Sink {
        var bytes: [UInt8] = []
        var total: Int64 = 0
    }

    let context: UnsafeMutablePointer<AVIOContext>
    // Owned here so it outlives every callback the context can make.
    private let sink = Sink()

    public init(bufferSize: Int = 1 << 16) {
        guard let buffer = av_malloc(bufferSize) else { fatalError("av_malloc: out of memory") }
        let opaque = Unmanaged.passUnretained(sink).toOpaque()
        guard let context = avio_alloc_context(
            buffer.assumingMemoryBound(to: UInt8.self), Int32(bufferSize), 1, opaque, nil,
            { opaque, data, size in
                guard let opaque, let data, size > 0 else { return size }
                let sink = Unmanaged<Sink>.fromOpaque(opaque).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(size)))
                sink.total += Int64(size)
                return size
            },
            nil
        ) else {
            av_free(buffer)
            fatalError("avio_alloc_context: out of memory")
        }
        self.context = context
    }

    deinit {
        // The context may have replaced the buffer it was given; free the current one.
        av_freep(&context.pointee.buffer)
        var owned: UnsafeMutablePointer<AVIOContext>? = context
        avio_context_free(&owned)
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
