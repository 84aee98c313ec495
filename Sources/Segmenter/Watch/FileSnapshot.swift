import Foundation

/// What identifies a regular file's content for the watch folder: its inode and the size and
/// modification time a writer changes. Two equal snapshots taken a while apart mean nobody
/// wrote to the file in between.
struct FileSnapshot: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    /// `lstat` of `path`; nil when it does not exist or is not a regular file (a directory,
    /// a symbolic link, a FIFO: nothing the watch folder ingests).
    init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }

    init(device: UInt64 = 1, inode: UInt64, size: Int64, modifiedSeconds: Int, modifiedNanoseconds: Int = 0) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedSeconds = modifiedSeconds
        self.modifiedNanoseconds = modifiedNanoseconds
    }
}
