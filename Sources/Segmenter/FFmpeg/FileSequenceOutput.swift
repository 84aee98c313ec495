import CFFmpeg
import Foundation
import ReelCrypto

/// An `AVIOContext` that writes straight to whichever file is open now, so a muxer can run
/// continuously (continuity counters, fragment sequence numbers) while its output is cut
/// into one file per segment. Bytes reach the file through a ``BackgroundWriter``, at most
/// a few buffers behind the muxer; nothing else is held in memory beyond FFmpeg's own buffer.
public final class FileSequenceOutput {
    /// The Swift state the write callback works on. Used by the muxing thread only.
    final class Target {
        var descriptor: Int32 = -1
        /// Bytes handed to the writer for the current file (clear bytes while an encryption runs).
        var position: Int64 = 0
        /// errno of a failed handover, reported when the caller next flushes.
        var failure: Int32 = 0
        /// Encrypts what is written while set (``FileSequenceOutput/beginEncryption(key:iv:)``),
        /// and where in the file its ciphertext starts.
        var encryption: (encryptor: AES128CBCEncryptor, start: Int64)?
        let writer: BackgroundWriter

        init(bufferSize: Int) {
            writer = BackgroundWriter(capacity: bufferSize)
        }

        /// The write callback's work: `size` bytes from FFmpeg's buffer to the writer, for the
        /// current file. Returns `size`, or an AVERROR.
        func write(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
            guard descriptor >= 0 else {
                // A write with no file open would lose bytes; make the muxer fail instead.
                failure = EBADF
                return reel_averror(EBADF)
            }
            var offset = 0
            while offset < size {
                let count = min(size - offset, writer.capacity)
                guard writer.submit(data + offset, count, to: descriptor, encryptor: encryption?.encryptor) else {
                    // The writer keeps the failure; the next flush reports it.
                    return reel_averror(EIO)
                }
                offset += count
            }
            position += Int64(size)
            return Int32(size)
        }
    }

    private let io: WriteIOContext
    private let target: Target
    var context: UnsafeMutablePointer<AVIOContext> { io.context }

    public init(bufferSize: Int = 1 << 18) {
        let target = Target(bufferSize: bufferSize)
        self.target = target
        io = WriteIOContext(bufferSize: bufferSize) { data, size in target.write(data, size) }
    }

    deinit {
        try? target.writer.drain()
        target.writer.stop()
        if target.descriptor >= 0 { close(target.descriptor) }
        // `io` frees the context after this.
    }

    /// Flushes FFmpeg's buffer into the current file.
    ///
    /// - Throws: the first write error since the last check (disk full, I/O error).
    public func flush() throws(FileSequenceError) {
        avio_flush(context)
        try target.writer.drain()
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
            target.encryption = (try AES128CBCEncryptor(key: key, iv: iv), target.position)
        } catch {
            throw FileSequenceError(code: EINVAL, detail: error.description)
        }
    }

    /// Flushes, then pads and writes the encryption's last block: the bytes written since
    /// ``beginEncryption(key:iv:)`` are now one complete ciphertext. Later writes are clear.
    public func endEncryption() throws(FileSequenceError) {
        try flush()
        guard let (encryptor, start) = target.encryption else { return }
        target.encryption = nil
        // The writer is idle after the flush: the last block goes out from here.
        var last = [UInt8](repeating: 0, count: AES128CBCEncryptor.blockSize)
        let count: Int
        do {
            count = try encryptor.finish(into: &last)
        } catch {
            throw FileSequenceError(code: EIO, detail: error.description)
        }
        if let error = BackgroundWriter.writeAll(target.descriptor, last, count) { throw error }
        // PKCS#7: the ciphertext is the clear bytes rounded up to the next whole block.
        let clear = target.position - start
        target.position = start + (clear / 16 + 1) * 16
    }

    /// Bytes written to the current file so far, FFmpeg's buffer included. While an encryption
    /// runs it counts clear bytes, so it is exact only outside one (after ``endEncryption()``).
    public var position: Int64 {
        target.position + Int64(io.buffered)
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
