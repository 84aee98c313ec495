import CFFmpeg
import Foundation

/// An `AVIOContext` that writes straight to whichever file is open now, so a muxer can run
/// continuously (continuity counters, fragment sequence numbers) while its output is cut
/// into one file per segment. Nothing is held in memory beyond FFmpeg's own buffer.
public final class FileSequenceOutput {
    /// The Swift state the C write callback reaches through the context's opaque pointer.
    final class Target {
        var descriptor: Int32 = -1
        /// Bytes written to the current file.
        var position: Int64 = 0
        /// errno of the first failed write, reported when the caller next flushes.
        var failure: Int32 = 0
    }

    let context: UnsafeMutablePointer<AVIOContext>
    // Owned here so it outlives every callback the context can make.
    private let target = Target()

    public init(bufferSize: Int = 1 << 18) {
        guard let buffer = av_malloc(bufferSize) else { fatalError("av_malloc: out of memory") }
        let opaque = Unmanaged.passUnretained(target).toOpaque()
        guard let context = avio_alloc_context(
            buffer.assumingMemoryBound(to: UInt8.self), Int32(bufferSize), 1, opaque, nil,
            { opaque, data, size in
                guard let opaque, let data, size > 0 else { return size }
                let target = Unmanaged<Target>.fromOpaque(opaque).takeUnretainedValue()
                guard target.descriptor >= 0 else {
                    // A write with no file open would lose bytes; make the muxer fail instead.
                    target.failure = EBADF
                    return reel_averror(EBADF)
                }
                var offset = 0
                while offset < Int(size) {
                    let written = Glibc.write(target.descriptor, data + offset, Int(size) - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        target.failure = errno
                        return reel_averror(errno)
                    }
                    offset += written
                }
                target.position += Int64(size)
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
        if target.descriptor >= 0 { close(target.descriptor) }
        av_freep(&context.pointee.buffer)
        var owned: UnsafeMutablePointer<AVIOContext>? = context
        avio_context_free(&owned)
    }

    /// Flushes FFmpeg's buffer into the current file.
    ///
    /// - Throws: the first write error since the last check (disk full, I/O error).
    public func flush() throws(FileSequenceError) {
        avio_flush(context)
        if target.failure != 0 {
            let code = target.failure
            target.failure = 0
            throw FileSequenceError(code: code)
        }
    }

    /// Bytes written to the current file so far, FFmpeg's buffer included.
    public var position: Int64 {
        target.position + Int64(context.pointee.buf_ptr - context.pointee.buffer)
    }

    /// Flushes into the current file, closes it, and makes `path` (created or truncated) the
    /// destination of everything written from now on.
    public func switchTo(path: String) throws(FileSequenceError) {
        try closeCurrent()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSequenceError(code: errno) }
        target.descriptor = descriptor
        target.position = 0
    }

    /// Flushes into the current file and then to disk (`fsync`).
    public func sync() throws(FileSequenceError) {
        try flush()
        if target.descriptor >= 0, fsync(target.descriptor) != 0 { throw FileSequenceError(code: errno) }
    }

    /// Flushes into the current file and closes it; later writes fail until `switchTo`.
    public func closeCurrent() throws(FileSequenceError) {
        try flush()
        if target.descriptor >= 0 {
            let result = close(target.descriptor)
            target.descriptor = -1
            if result != 0 { throw FileSequenceError(code: errno) }
        }
    }
}

/// A write to a segment file failed.
public struct FileSequenceError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Int32
    public var description: String { String(cString: strerror(code)) }
}
