import Foundation
import NIOCore

/// An open regular file and what `fstat` said about it. Owns the descriptor.
public final class OpenedFile: Sendable {
    /// Read with `pread` and `sendfile` at explicit offsets only (never the shared file offset),
    /// so any number of responses on any threads can use it at once; closed when the last one
    /// lets go.
    let descriptor: Int32
    public let size: Int64
    public let device: UInt64
    public let inode: UInt64
    /// Modification time in nanoseconds since the epoch.
    public let modifiedNanoseconds: Int64

    init(descriptor: Int32, info: stat) {
        self.descriptor = descriptor
        size = Int64(info.st_size)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    deinit {
        close(descriptor)
    }

    /// Modification time in whole seconds (what Last-Modified can express).
    public var modifiedSeconds: Int64 { modifiedNanoseconds / 1_000_000_000 }

    /// The identity the small-file cache validates against.
    var identity: FileIdentity { FileIdentity(device: device, inode: inode, size: size, modifiedNanoseconds: modifiedNanoseconds) }

    /// The whole file, when it is no larger than `limit` and reads whole. Blocking (one `pread`
    /// of page-cached bytes for the small files it is used on).
    func readAll(limit: Int64) -> ByteBuffer? {
        guard size <= limit else { return nil }
        let count = Int(size)
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        let read = try? buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
            try self.read(into: UnsafeMutableRawBufferPointer(rebasing: pointer[..<count]), at: 0)
        }
        return read == count ? buffer : nil
    }

    /// Reads up to `count` bytes at `offset` into `buffer`. Blocking.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        var total = 0
        while total < buffer.count {
            let result = pread(descriptor, buffer.baseAddress! + total, buffer.count - total, off_t(offset) + off_t(total))
            if result < 0 {
                if errno == EINTR { continue }
                throw FileReadError(code: errno)
            }
            if result == 0 { break }
            total += result
        }
        return total
    }
}

/// (device, inode, size, mtime): when all are unchanged, the bytes are too.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedNanoseconds: Int64
}

/// A read from an open file failed.
struct FileReadError: Error, CustomStringConvertible {
    let code: Int32
    var description: String { String(cString: strerror(code)) }
}

extension FileIdentity {
    /// The file, whatever its version: (device, inode).
    var file: FileKey { FileKey(device: device, inode: inode) }
}

/// A file by (device, inode): hard links to it are the same file, and no name has to be built
/// or hashed to find it.
struct FileKey: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
}
