#ifndef REEL_CREELLINUX_H
#define REEL_CREELLINUX_H

/// Atomically swaps two paths (renameat2 with RENAME_EXCHANGE). Returns 0, or -1 with errno
/// set (EINVAL or ENOSYS where the filesystem or kernel cannot do it).
int reel_rename_exchange(const char *from, const char *to);

/// Renames `from` to `to` unless `to` exists (renameat2 with RENAME_NOREPLACE). Returns 0, or -1
/// with errno set: EEXIST when `to` exists, EXDEV across filesystems, EINVAL or ENOSYS where the
/// filesystem or kernel cannot do it.
int reel_rename_noreplace(const char *from, const char *to);

/// Opens `path` (relative) for reading beneath the directory `root_fd`, letting the kernel
/// refuse any resolution that leaves it (openat2 with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS):
/// "..", absolute paths and symlinks pointing out of the root all fail with EXDEV.
/// Returns a file descriptor, or -1 with errno set (ENOSYS on kernels before 5.6).
int reel_open_beneath(int root_fd, const char *path);

/// Fixes glibc's mmap threshold (M_MMAP_THRESHOLD): allocations of at least `bytes` are
/// mapped and unmapped on free instead of staying in the heap. Fixing it also freezes the trim
/// threshold, which glibc otherwise keeps at twice the mmap threshold, at its 128 KiB default:
/// every free that left that much at the top of a heap gave it back to the kernel, to be
/// faulted in again by the next allocation (up to 200,000 page faults and twice the time in a
/// TS ingest of 322 MB). So M_TRIM_THRESHOLD is set to twice `bytes`, as glibc would.
/// Returns 1 on success.
int reel_set_mmap_threshold(int bytes);

#endif
