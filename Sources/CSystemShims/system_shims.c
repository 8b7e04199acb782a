#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "CSystemShims.h"

int mm_set_thread_nice(int nice) {
    // On Linux, PRIO_PROCESS with a thread id sets that thread's nice value alone.
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}

#include <fcntl.h>
#include <linux/fs.h>
#include <errno.h>

int mm_rename_exchange(const char *first, const char *second) {
    // renameat2 has no glibc wrapper on every system this builds on: the raw system call.
    return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE);
}

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MM_TEMPORARY_PREFIX ".mm-tmp-"

struct mm_post_walk {
    mm_post_entry *entries;
    size_t count;
    size_t capacity;
    char *names;
    size_t names_size;
    size_t names_capacity;
    // Offsets into `names` of the temporary files found.
    size_t *temporaries;
    size_t temporary_count;
    size_t temporary_capacity;
    // The first errno that left part of the tree unread (0: the walk saw everything).
    int incomplete;
};

// An entry that vanished or was replaced between the listing and the look at it is simply not
// there; anything else means part of the tree went unseen.
static void mm_walk_note_error(mm_post_walk *walk, int error) {
    if (error == ENOENT || error == ENOTDIR || error == ELOOP) return;
    if (walk->incomplete == 0) walk->incomplete = error ? error : EIO;
}

static int mm_is_post_name(const char *name) {
    const char *dot = strrchr(name, '.');
    if (dot == NULL || dot == name) return 0;
    dot++;
    return strcasecmp(dot, "md") == 0 || strcasecmp(dot, "markdown") == 0 || strcasecmp(dot, "html") == 0
           || strcasecmp(dot, "htm") == 0;
}

static int mm_walk_add_name(mm_post_walk *walk, const char *path, size_t length, size_t *offset) {
    if (walk->names_size + length + 1 > walk->names_capacity) {
        size_t capacity = walk->names_capacity ? walk->names_capacity * 2 : 16384;
        while (capacity < walk->names_size + length + 1) capacity *= 2;
        char *grown = realloc(walk->names, capacity);
        if (grown == NULL) return -1;
        walk->names = grown;
        walk->names_capacity = capacity;
    }
    memcpy(walk->names + walk->names_size, path, length + 1);
    *offset = walk->names_size;
    walk->names_size += length + 1;
    return 0;
}

static int mm_walk_add_temporary(mm_post_walk *walk, const char *path, size_t length) {
    if (walk->temporary_count == walk->temporary_capacity) {
        size_t capacity = walk->temporary_capacity ? walk->temporary_capacity * 2 : 16;
        size_t *grown = realloc(walk->temporaries, capacity * sizeof(size_t));
        if (grown == NULL) return -1;
        walk->temporaries = grown;
        walk->temporary_capacity = capacity;
    }
    size_t offset;
    if (mm_walk_add_name(walk, path, length, &offset) != 0) return -1;
    walk->temporaries[walk->temporary_count++] = offset;
    return 0;
}

static int mm_walk_add(mm_post_walk *walk, const char *path, size_t length, const struct stat *status) {
    if (walk->count == walk->capacity) {
        size_t capacity = walk->capacity ? walk->capacity * 2 : 256;
        mm_post_entry *grown = realloc(walk->entries, capacity * sizeof(mm_post_entry));
        if (grown == NULL) return -1;
        walk->entries = grown;
        walk->capacity = capacity;
    }
    size_t offset;
    if (mm_walk_add_name(walk, path, length, &offset) != 0) return -1;
    mm_post_entry *entry = &walk->entries[walk->count++];
    entry->path_offset = offset;
    entry->path_length = length;
    entry->size = (int64_t)status->st_size;
    entry->mtime_seconds = (int64_t)status->st_mtim.tv_sec;
    entry->mtime_nanoseconds = (int64_t)status->st_mtim.tv_nsec;
    return 0;
}

// `path` holds the directory's path relative to the root (`length` bytes, empty for the root);
// the directory is `descriptor`, which this function closes.
static int mm_walk_directory(mm_post_walk *walk, int descriptor, char *path, size_t length, int depth) {
    DIR *directory = fdopendir(descriptor);
    if (directory == NULL) {
        mm_walk_note_error(walk, errno);
        close(descriptor);
        return 0;
    }
    struct dirent *item;
    int result = 0;
    while (result == 0) {
        errno = 0;
        item = readdir(directory);
        if (item == NULL) {
            if (errno != 0) mm_walk_note_error(walk, errno);
            break;
        }
        const char *name = item->d_name;
        if (name[0] == '.') {
            // Hidden files and directories, "." and ".."; an interrupted run's temporary file
            // (never a directory) is reported for removal.
            if (strncmp(name, MM_TEMPORARY_PREFIX, sizeof(MM_TEMPORARY_PREFIX) - 1) == 0 && item->d_type != DT_DIR) {
                size_t name_length = strlen(name);
                if (length + name_length + 2 <= PATH_MAX) {
                    if (length) path[length] = '/';
                    memcpy(path + (length ? length + 1 : 0), name, name_length + 1);
                    result = mm_walk_add_temporary(walk, path, length ? length + 1 + name_length : name_length);
                    path[length] = '\0';
                }
            }
            continue;
        }
        size_t name_length = strlen(name);
        if (length + name_length + 2 > PATH_MAX) {
            mm_walk_note_error(walk, ENAMETOOLONG);
            continue;
        }
        unsigned char type = item->d_type;
        int post = mm_is_post_name(name);
        if (type != DT_DIR && type != DT_UNKNOWN && !(type == DT_REG && post)) continue;
        struct stat status;
        if (fstatat(dirfd(directory), name, &status, AT_SYMLINK_NOFOLLOW) != 0) {
            mm_walk_note_error(walk, errno);
            continue;
        }
        size_t child_length = length ? length + 1 + name_length : name_length;
        if (length) path[length] = '/';
        memcpy(path + (length ? length + 1 : 0), name, name_length + 1);
        if (S_ISDIR(status.st_mode)) {
            if (depth >= 64) {
                mm_walk_note_error(walk, ENAMETOOLONG);
            } else {
                int child = openat(dirfd(directory), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (child >= 0) {
                    result = mm_walk_directory(walk, child, path, child_length, depth + 1);
                } else {
                    mm_walk_note_error(walk, errno);
                }
            }
        } else if (S_ISREG(status.st_mode) && post) {
            result = mm_walk_add(walk, path, child_length, &status);
        }
        path[length] = '\0';
    }
    closedir(directory);
    return result;
}

int mm_walk_posts(const char *root, mm_post_walk **walk) {
    *walk = NULL;
    int descriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (descriptor < 0) return -1;
    mm_post_walk *result = calloc(1, sizeof(mm_post_walk));
    char *path = malloc(PATH_MAX);
    if (result == NULL || path == NULL) {
        free(result);
        free(path);
        close(descriptor);
        errno = ENOMEM;
        return -1;
    }
    path[0] = '\0';
    int status = mm_walk_directory(result, descriptor, path, 0, 0);
    free(path);
    if (status != 0) {
        mm_post_walk_free(result);
        errno = ENOMEM;
        return -1;
    }
    *walk = result;
    return 0;
}

size_t mm_post_walk_count(const mm_post_walk *walk) { return walk->count; }

const mm_post_entry *mm_post_walk_entries(const mm_post_walk *walk) { return walk->entries; }

const char *mm_post_walk_names(const mm_post_walk *walk) { return walk->names; }

size_t mm_post_walk_temporary_count(const mm_post_walk *walk) { return walk->temporary_count; }

int mm_post_walk_incomplete(const mm_post_walk *walk) { return walk->incomplete; }

const size_t *mm_post_walk_temporaries(const mm_post_walk *walk) { return walk->temporaries; }

void mm_post_walk_free(mm_post_walk *walk) {
    if (walk == NULL) return;
    free(walk->entries);
    free(walk->names);
    free(walk->temporaries);
    free(walk);
}
