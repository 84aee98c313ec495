#ifndef REEL_CREELLINUX_H
#define REEL_CREELLINUX_H

/// Atomically swaps two paths (renameat2 with RENAME_EXCHANGE). Returns 0, or -1 with errno
/// set (EINVAL or ENOSYS where the filesystem or kernel cannot do it).
int reel_rename_exchange(const char *from, const char *to);

#endif
