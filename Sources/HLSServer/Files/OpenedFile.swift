import Foundation

/// An open regular file and what `fstat` said about it. Owns the descriptor.
public final class OpenedFile: @unchecked Sendable {
    // @unchecked: the descriptor is only read with pread (no shared offset) and closed once.
    let descriptor: Int32
    public let size: Int64
    public let inode: UInt64
    /// Modification time in nanoseconds since the epoch.
    public let modifiedNanoseconds: Int64

    init(descriptor: Int32, info: stat) {
        self.descriptor = descriptor
        size = Int64(info.st_size)
        inode = UInt64(info.st_ino)
        modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    deinit {
        close(descriptor)
    }

    /// Modification time in whole seconds (what Last-Modified can express).
    public var modifiedSeconds: Int64 { modifiedNanoseconds / 1_000_000_000 }

    /// The identity the small-file cache validates against.
    var identity: FileIdentity { FileIdentity(inode: inode, size: size, modifiedNanoseconds: modifiedNanoseconds) }

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

/// (inode, size, mtime): when all three are unchanged, the bytes are too.
struct FileIdentity: Hashable, Sendable {
    var inode: UInt64
    var size: Int64
    var modifiedNanoseconds: Int64
}

/// A read from an open file failed.
struct FileReadError: Error, CustomStringConvertible {
    let code: Int32
    var description: String { String(cString: strerror(code)) }
}
