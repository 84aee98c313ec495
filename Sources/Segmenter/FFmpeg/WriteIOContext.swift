import CFFmpeg

/// A write-only `AVIOContext` whose bytes go to a Swift closure: the one place where Reel's
/// outputs (``MemoryOutput``, ``FileSequenceOutput``) set up FFmpeg's custom I/O and free it.
final class WriteIOContext {
    /// What the C write callback reaches through the context's opaque pointer.
    private final class Receiver {
        /// `size` bytes from FFmpeg's buffer; returns `size`, or an AVERROR.
        let write: (UnsafePointer<UInt8>, Int) -> Int32

        init(write: @escaping (UnsafePointer<UInt8>, Int) -> Int32) {
            self.write = write
        }
    }

    let context: UnsafeMutablePointer<AVIOContext>
    // Owned here so it outlives every callback the context can make.
    private let receiver: Receiver

    /// A context with a buffer of `bufferSize` bytes, which FFmpeg hands to `write` whenever it
    /// fills and on `avio_flush`.
    init(bufferSize: Int, write: @escaping (UnsafePointer<UInt8>, Int) -> Int32) {
        receiver = Receiver(write: write)
        guard let buffer = av_malloc(bufferSize) else { fatalError("av_malloc: out of memory") }
        let opaque = Unmanaged.passUnretained(receiver).toOpaque()
        guard let context = avio_alloc_context(
            buffer.assumingMemoryBound(to: UInt8.self), Int32(bufferSize), 1, opaque, nil,
            { opaque, data, size in
                guard let opaque, let data, size > 0 else { return size }
                return Unmanaged<Receiver>.fromOpaque(opaque).takeUnretainedValue().write(data, Int(size))
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

    /// How many bytes FFmpeg holds in its buffer, not yet handed to `write`.
    var buffered: Int { context.pointee.buf_ptr - context.pointee.buffer }
}
