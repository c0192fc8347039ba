/* util.c - file reading, atomic writes, paths, clocks, growth of arrays. */
#define _DEFAULT_SOURCE /* realpath */
#include "base.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *ap__strdup(const char *s)
{
    size_t n;
    char *d;
    if (!s)
        return NULL;
    n = strlen(s) + 1;
    d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Reads the whole file; refuses directories and files larger than 4 GiB. */
char *ap__read_file(const char *path, size_t *len, ap_error *err)
{
    FILE *f;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    struct stat st;

    f = fopen(path, "rb");
    if (!f) {
        ap__err(err, AP_EIO, path, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        ap__err(err, AP_EIO, path, "is a directory, expected a file");
        fclose(f);
        return NULL;
    }
    for (;;) {
        size_t got;
        if (n + 1 >= cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb;
            if (ncap > ((size_t)4 << 30)) {
                ap__err(err, AP_EIO, path, "file larger than 4 GiB");
                goto fail;
            }
            nb = realloc(buf, ncap);
            if (!nb) {
                ap__err(err, AP_ENOMEM, path, "out of memory reading file");
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                ap__err(err, AP_EIO, path, "read error: %s", strerror(errno));
                goto fail;
            }
            break;
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
fail:
    free(buf);
    fclose(f);
    return NULL;
}

/* The mode a new file gets: 0666 less the process's umask, read from
 * /proc/self/status (reading it with umask() would change it for every
 * thread for a moment); 0644 when that is not available. */
mode_t ap__new_file_mode(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    unsigned m = 022;
    int found = 0;
    while (f && !found && fgets(line, sizeof line, f))
        found = sscanf(line, "Umask: %o", &m) == 1;
    if (f)
        fclose(f);
    return (mode_t)(0666 & ~m);
}

/* Temporary files path.tmp.XXXXXX that a killed writer left (SIGKILL, or
 * SIGXFSZ under ulimit -f) are removed by the next write of path, once they
 * are over 10 minutes old (a younger one may be another writer's). */
static void remove_stale_tmp(const char *path)
{
    char *d = ap__dirname(path);
    const char *base = strrchr(path, '/');
    size_t bl;
    DIR *dir = d ? opendir(d) : NULL;
    struct dirent *de;
    base = base ? base + 1 : path;
    bl = strlen(base);
    while (dir && (de = readdir(dir))) {
        const char *n = de->d_name;
        char *full;
        struct stat st;
        if (strncmp(n, base, bl) || strncmp(n + bl, ".tmp.", 5) || strlen(n + bl + 5) != 6)
            continue;
        if ((full = ap__path_join(d, n)) && lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
            time(NULL) - st.st_mtime > 600)
            (void)unlink(full);
        free(full);
    }
    if (dir)
        closedir(dir);
    free(d);
}

/* Whether path names something in /dev or /proc (by its folder, links
 * resolved), where files are written in place, never replaced. */
static int in_dev_or_proc(const char *path)
{
    char *dir, *slash, *real;
    int in;
    if (!strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6))
        return 1;
    dir = ap__strdup(path);
    if (!dir)
        return 0;
    slash = strrchr(dir, '/');
    if (!slash) {
        free(dir);
        return 0;
    }
    if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
    real = realpath(dir, NULL);
    in = real && (!strcmp(real, "/dev") || !strncmp(real, "/dev/", 5) || !strcmp(real, "/proc") ||
                  !strncmp(real, "/proc/", 6));
    free(real);
    free(dir);
    return in;
}

/* After a rename: the folder's entry made durable too (errors ignored:
 * some file systems cannot fsync a folder). */
void ap__sync_dir(const char *path)
{
    char *d = ap__dirname(path);
    int fd = d ? open(d, O_RDONLY | O_DIRECTORY) : -1;
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(d);
}

int ap__write_atomic(const char *path, const char *data, size_t len, ap_error *err)
{
    char *tmp;
    int fd;
    size_t off = 0;

    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            ap__err(err, AP_EIO, "<stdout>", "write failed: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    {
        /* a device, FIFO or other special file (e.g. /dev/null) is written
         * in place: renaming over it would replace it; so is anything in
         * /dev or /proc (/dev/stdout is a link to /proc/self/fd/1, which
         * may be a link to a regular file: renaming would replace the
         * system's /dev/stdout) */
        struct stat st;
        if (in_dev_or_proc(path) || (stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
            FILE *f;
            if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
                ap__err(err, AP_EIO, path, "is a directory");
                return -1;
            }
            f = fopen(path, "wb");
            if (!f || fwrite(data, 1, len, f) != len) {
                ap__err(err, AP_EIO, path, "write failed: %s", strerror(errno));
                if (f)
                    fclose(f);
                return -1;
            }
            if (fclose(f) != 0) {
                ap__err(err, AP_EIO, path, "write failed: %s", strerror(errno));
                return -1;
            }
            return 0;
        }
    }
    tmp = malloc(strlen(path) + 16);
    if (!tmp) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        return -1;
    }
    sprintf(tmp, "%s.tmp.XXXXXX", path);
    remove_stale_tmp(path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        ap__err(err, AP_EIO, path, "cannot create temporary file %s: %s", tmp,
                strerror(errno));
        free(tmp);
        return -1;
    }
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            ap__err(err, AP_EIO, path, "write failed: %s", strerror(errno));
            goto fail;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 && errno != EINVAL) {
        ap__err(err, AP_EIO, path, "fsync failed: %s", strerror(errno));
        goto fail;
    }
    {
        /* mkstemp made it 0600: an existing file keeps its mode, a new one
         * gets what the umask allows (plans under umask 077 stay private) */
        struct stat old;
        (void)fchmod(fd, stat(path, &old) == 0 ? (old.st_mode & 07777) : ap__new_file_mode());
    }
    if (close(fd) != 0) {
        fd = -1;
        ap__err(err, AP_EIO, path, "close failed: %s", strerror(errno));
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        ap__err(err, AP_EIO, path, "cannot rename %s into place: %s", tmp,
                strerror(errno));
        goto fail;
    }
    ap__sync_dir(path);
    free(tmp);
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
}

char *ap__path_join(const char *dir, const char *rel)
{
    char *r;
    if (!rel)
        return NULL;
    if (rel[0] == '/' || !dir || !*dir || strcmp(dir, ".") == 0)
        return ap__strdup(rel);
    r = malloc(strlen(dir) + strlen(rel) + 2);
    if (r)
        sprintf(r, "%s/%s", dir, rel);
    return r;
}

char *ap__dirname(const char *path)
{
    const char *s = strrchr(path, '/');
    char *d;
    if (!s)
        return ap__strdup(".");
    if (s == path)
        return ap__strdup("/");
    d = malloc((size_t)(s - path) + 1);
    if (d) {
        memcpy(d, path, (size_t)(s - path));
        d[s - path] = '\0';
    }
    return d;
}

int ap__mkdir_p(const char *dir, mode_t mode, ap_error *err)
{
    char *d = ap__strdup(dir);
    char *s;
    if (!d) {
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        return -1;
    }
    for (s = d + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(d, mode) != 0 && errno != EEXIST) {
                ap__err(err, AP_EIO, d, "cannot create directory: %s", strerror(errno));
                free(d);
                return -1;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    free(d);
    return 0;
}

double ap__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void *ap__load_doc(const char *path, const void *ctx, ap__parse_fn parse, ap_error *err)
{
    size_t len;
    char *buf = ap__read_file(path, &len, err);
    void *doc;
    if (!buf)
        return NULL;
    doc = parse(buf, len, path, ctx, err);
    free(buf);
    return doc;
}

void *ap__grow(void *ptr, size_t *cap, size_t need, size_t elem, size_t first, size_t max)
{
    size_t nc = *cap ? *cap : first;
    void *np;
    if (need <= *cap)
        return ptr;
    while (nc < need)
        nc *= 2;
    if ((max && nc * elem > max) || nc > (size_t)-1 / elem || !(np = realloc(ptr, nc * elem)))
        return NULL;
    *cap = nc;
    return np;
}


/* The end of the user information of the URI whose authority starts at
 * auth (its last '@' before the path), or NULL when it has none. */
static const char *userinfo_end(const char *auth)
{
    const char *p, *at = NULL;
    for (p = auth; *p && !strchr("/?#\\ \t\r\n\"'<>", *p); p++)
        if (*p == '@')
            at = p;
    return at;
}

char *ap__redact(const char *in, char *out, size_t cap)
{
    size_t k = 0;
    const char *p = in ? in : "";
    if (!cap)
        return out;
#define PUT(c) do { if (k + 1 < cap) out[k++] = (c); } while (0)
    while (*p) {
        const char *auth, *at, *colon;
        if (strncmp(p, "://", 3)) {
            PUT(*p); /* not PUT(*p++): PUT drops its argument when full */
            p++;
            continue;
        }
        auth = p + 3;
        PUT(':'); PUT('/'); PUT('/');
        p = auth;
        if (!(at = userinfo_end(auth)))
            continue;
        colon = memchr(auth, ':', (size_t)(at - auth));
        for (; colon && p <= colon; p++)
            PUT(*p);
        PUT('*'); PUT('*'); PUT('*');
        p = at; /* the '@' and the host follow */
    }
#undef PUT
    out[k] = '\0';
    return out;
}

char *ap__redact_dup(const char *in)
{
    /* each URI grows by at most 2 ("u@" -> "***@"): room for 3 each */
    const char *p = in ? in : "";
    size_t n = strlen(p) + 1;
    char *r;
    while ((p = strstr(p, "://")))
        n += 3, p += 3;
    r = malloc(n);
    return r ? ap__redact(in, r, n) : NULL;
}

/* A secret lives in pages of its own: left out of core dumps
 * (MADV_DONTDUMP), kept out of swap when the limit allows (mlock), and
 * zeroed before they are unmapped.  The mapping's length is stored in
 * front of the string. */
char *ap__secret_dup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1, len = sizeof(size_t) + n;
    char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
#ifdef MADV_DONTDUMP
    (void)madvise(m, len, MADV_DONTDUMP);
#endif
    (void)mlock(m, len);
    memcpy(m, &len, sizeof len);
    memcpy(m + sizeof len, s ? s : "", n);
    return m + sizeof len;
}

void ap__secret_free(char *s)
{
    size_t len;
    char *m;
    if (!s)
        return;
    m = s - sizeof len;
    memcpy(&len, m, sizeof len);
    memset(m, 0, len);
    /* the compiler may not drop the memset of memory it then unmaps */
    __asm__ __volatile__("" : : "r"(m) : "memory");
    munlock(m, len);
    munmap(m, len);
}
