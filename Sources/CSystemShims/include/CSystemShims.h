#ifndef MEDIAMIRROR_CSYSTEMSHIMS_H
#define MEDIAMIRROR_CSYSTEMSHIMS_H

// System calls glibc does not wrap (or wraps only with _GNU_SOURCE), and the posts-tree walk
// done with openat/getdents64/fstatat rather than Foundation's enumerator.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Sets the calling thread's nice value (Linux: per thread). Returns 0 on success.
int mm_set_thread_nice(int nice);

/// Atomically swaps two paths (renameat2 RENAME_EXCHANGE). Returns 0 on success, -1 with errno
/// (EINVAL or ENOSYS where the file system or kernel cannot).
int mm_rename_exchange(const char *first, const char *second);

/// One post file found by `mm_walk_posts`: its path relative to the root (in the walk's name
/// buffer, NUL-terminated), size and modification time, as `fstatat` gave them.
typedef struct {
    size_t path_offset;
    size_t path_length;
    int64_t size;
    int64_t mtime_seconds;
    int64_t mtime_nanoseconds;
} mm_post_entry;

typedef struct mm_post_walk mm_post_walk;

/// Walks the tree under `root` with openat/readdir (getdents64)/fstatat: every regular file
/// whose name ends in .md, .markdown, .html or .htm (any case), not below a hidden name, links
/// not followed, at most 64 levels deep; unreadable subdirectories are passed over (and say so,
/// see `mm_post_walk_incomplete`). Only the
/// post files are stat'ed (the directory entry's type says what the rest is). Files named
/// `.mm-tmp-*` in the directories walked (an interrupted run's temporaries) are listed apart.
/// Returns 0 and a walk to free with `mm_post_walk_free`, or -1 with errno when `root` cannot
/// be opened.
int mm_walk_posts(const char *root, mm_post_walk **walk);
size_t mm_post_walk_count(const mm_post_walk *walk);
const mm_post_entry *mm_post_walk_entries(const mm_post_walk *walk);
const char *mm_post_walk_names(const mm_post_walk *walk);
/// The temporary files found: offsets of NUL-terminated relative paths in the name buffer.
size_t mm_post_walk_temporary_count(const mm_post_walk *walk);
const size_t *mm_post_walk_temporaries(const mm_post_walk *walk);
/// 0 when the walk saw the whole tree; otherwise the first errno that left part of it unread
/// (an unreadable subdirectory, an I/O error): posts not listed may still exist.
int mm_post_walk_incomplete(const mm_post_walk *walk);
void mm_post_walk_free(mm_post_walk *walk);


#ifdef __cplusplus
}
#endif

#endif
