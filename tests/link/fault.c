/* fault.c - an LD_PRELOAD shim that makes file writes fail, for the fault
 * tests of test_cli.c (a disk that fills up, short writes, a rename that
 * fails), without needing root to mount a small file system.
 *
 *   AP_FAULT_PATH=S    writes to files whose path contains S ...
 *   AP_FAULT_AFTER=N   ... fail with ENOSPC once N bytes went to them
 *                      (counted over all such files; default 0)
 *   AP_FAULT_SHORT=N   every write to a regular file writes at most N
 *                      bytes (a short write, as a signal or a nearly full
 *                      disk can cause)
 *   AP_FAULT_RENAME=S  rename() to a path that ends with S fails with ENOSPC
 *
 * Only write() and rename() are replaced: altoplace writes its files with
 * them (temporary file, fsync, rename). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t written;

static int fd_matches(int fd, const char *needle)
{
    char link[64], target[PATH_MAX];
    ssize_t n;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof target - 1);
    if (n < 0)
        return 0;
    target[n] = '\0';
    return strstr(target, needle) != NULL;
}

ssize_t write(int fd, const void *buf, size_t len)
{
    static ssize_t (*real)(int, const void *, size_t);
    const char *p = getenv("AP_FAULT_PATH"), *sh = getenv("AP_FAULT_SHORT");
    struct stat st;
    if (!real)
        real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    if (p && *p && fd_matches(fd, p)) {
        const char *a = getenv("AP_FAULT_AFTER");
        size_t room = a ? (size_t)strtoull(a, NULL, 10) : 0, w;
        ssize_t r;
        if (written >= room) {
            errno = ENOSPC;
            return -1;
        }
        w = len < room - written ? len : room - written;
        r = real(fd, buf, w);
        if (r > 0)
            written += (size_t)r;
        return r;
    }
    if (sh && fd > 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        size_t most = (size_t)strtoull(sh, NULL, 10);
        if (most > 0 && len > most)
            len = most;
    }
    return real(fd, buf, len);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    const char *r = getenv("AP_FAULT_RENAME");
    size_t tl = strlen(to), rl = r ? strlen(r) : 0;
    if (!real)
        real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    if (rl && tl >= rl && !strcmp(to + tl - rl, r)) {
        errno = ENOSPC;
        return -1;
    }
    return real(from, to);
}
