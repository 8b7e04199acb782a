#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "CShims.h"

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
