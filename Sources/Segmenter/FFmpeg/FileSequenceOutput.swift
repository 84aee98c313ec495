import CFFmpeg
import Foundation
import ReelCrypto

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
        /// Encrypts what is written while set (``FileSequenceOutput/beginEncryption(key:iv:)``).
        var encryptor: AES128CBCEncryptor?
        /// Room for one buffer's ciphertext.
        let scratch: UnsafeMutableRawPointer
        /// A failed encryption, reported when the caller next flushes.
        var encryptionFailure: CryptoError?

        init(bufferSize: Int) {
            scratch = UnsafeMutableRawPointer.allocate(byteCount: AES128CBCEncryptor.outputCapacity(forInput: bufferSize), alignment: 16)
        }

        deinit { scratch.deallocate() }

        /// The write callback's work: `size` bytes from FFmpeg's buffer into the current file,
        /// encrypted first while an encryption runs. Returns `size`, or an AVERROR.
        func write(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
            guard descriptor >= 0 else {
                // A write with no file open would lose bytes; make the muxer fail instead.
                failure = EBADF
                return reel_averror(EBADF)
            }
            guard let encryptor else { return writeAll(UnsafeRawPointer(data), size) ?? Int32(size) }
            do {
                let count = try encryptor.update(data, size, into: scratch)
                return writeAll(scratch, count) ?? Int32(size)
            } catch {
                encryptionFailure = error
                failure = EIO
                return reel_averror(EIO)
            }
        }

        /// Writes all of `bytes` (retrying short writes); nil when done, else an AVERROR.
        func writeAll(_ bytes: UnsafeRawPointer, _ count: Int) -> Int32? {
            var offset = 0
            while offset < count {
                let written = Glibc.write(descriptor, bytes + offset, count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return reel_averror(errno)
                }
                offset += written
            }
            position += Int64(count)
            return nil
        }
    }

    let context: UnsafeMutablePointer<AVIOContext>
    // Owned here so it outlives every callback the context can make.
    private let target: Target

    public init(bufferSize: Int = 1 << 18) {
        target = Target(bufferSize: bufferSize)
        guard let buffer = av_malloc(bufferSize) else { fatalError("av_malloc: out of memory") }
        let opaque = Unmanaged.passUnretained(target).toOpaque()
        guard let context = avio_alloc_context(
            buffer.assumingMemoryBound(to: UInt8.self), Int32(bufferSize), 1, opaque, nil,
            { opaque, data, size in
                guard let opaque, let data, size > 0 else { return size }
                return Unmanaged<Target>.fromOpaque(opaque).takeUnretainedValue().write(data, Int(size))
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
        if let failure = target.encryptionFailure {
            target.encryptionFailure = nil
            target.failure = 0
            throw FileSequenceError(code: EIO, detail: failure.description)
        }
        if target.failure != 0 {
            let code = target.failure
            target.failure = 0
            throw FileSequenceError(code: code)
        }
    }

    /// Encrypts everything written from now on with AES-128-CBC (RFC 8216 §5.2), the bytes
    /// already in FFmpeg's buffer included, until ``endEncryption()``.
    public func beginEncryption(key: [UInt8], iv: [UInt8]) throws(FileSequenceError) {
        do {
            target.encryptor = try AES128CBCEncryptor(key: key, iv: iv)
        } catch {
            throw FileSequenceError(code: EINVAL, detail: error.description)
        }
    }

    /// Flushes, then pads and writes the encryption's last block: the bytes written since
    /// ``beginEncryption(key:iv:)`` are now one complete ciphertext. Later writes are clear.
    public func endEncryption() throws(FileSequenceError) {
        try flush()
        guard let encryptor = target.encryptor else { return }
        target.encryptor = nil
        let count: Int
        do {
            count = try encryptor.finish(into: target.scratch)
        } catch {
            throw FileSequenceError(code: EIO, detail: error.description)
        }
        if target.writeAll(target.scratch, count) != nil {
            let code = target.failure
            target.failure = 0
            throw FileSequenceError(code: code)
        }
    }

    /// Bytes written to the current file so far, FFmpeg's buffer included. While an encryption
    /// runs it counts the ciphertext written and the clear bytes still buffered, so it is exact
    /// only after ``endEncryption()``.
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
    /// What failed, when the code alone does not say (an encryption's error).
    public var detail: String?

    public init(code: Int32, detail: String? = nil) {
        self.code = code
        self.detail = detail
    }

    public var description: String { detail ?? String(cString: strerror(code)) }
}
