/* lines.c - a line reader over plain or gzip files (gzip is detected by
 * content) and stdin ("-"), with lines of any length up to a cap.  Shared
 * by the request-log and prefix-table readers. */
#include "inputs_int.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct ap__lines {
    gzFile gz;
    char *path;
    char *buf;
    size_t cap, max;
    long lineno;
};

ap__lines *ap__lines_open(const char *path, size_t max_line, ap_error *err)
{
    ap__lines *r = calloc(1, sizeof *r);
    if (!r || !(r->path = ap__strdup(path)) || !(r->buf = malloc(r->cap = 1 << 16))) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        ap__lines_close(r);
        return NULL;
    }
    r->max = max_line;
    errno = 0;
    r->gz = strcmp(path, "-") ? gzopen(path, "rb") : gzdopen(0, "rb");
    if (!r->gz) {
        ap__err(err, AP_EIO, path, "cannot open: %s", strerror(errno ? errno : ENOENT));
        ap__lines_close(r);
        return NULL;
    }
    gzbuffer(r->gz, 1 << 17);
    return r;
}

/* The reason the last gzgets returned NULL: 0 at the end, -2 on error. */
static long read_error(ap__lines *r, ap_error *err)
{
    int ec;
    const char *msg = gzerror(r->gz, &ec);
    if (ec == Z_OK || ec == Z_STREAM_END)
        return -1;
    ap__err(err, AP_EIO, r->path, "line %ld: %s (truncated or corrupt gzip?)", r->lineno + 1,
            ec == Z_ERRNO ? strerror(errno) : msg);
    return -2;
}

long ap__lines_next(ap__lines *r, char **line, ap_error *err)
{
    size_t n;
    if (!gzgets(r->gz, r->buf, (int)r->cap))
        return read_error(r, err);
    n = strlen(r->buf);
    while (n == r->cap - 1 && r->buf[n - 1] != '\n') {
        /* a long line: grow and read the rest */
        char *nl;
        if (r->cap >= r->max) {
            ap__err(err, AP_EFORMAT, r->path, "line %ld is longer than %zu MiB", r->lineno + 1, r->max >> 20);
            return -2;
        }
        if (!(nl = realloc(r->buf, r->cap * 2))) {
            ap__err(err, AP_ENOMEM, r->path, "out of memory");
            return -2;
        }
        r->buf = nl;
        if (!gzgets(r->gz, r->buf + n, (int)(r->cap * 2 - n))) {
            r->cap *= 2;
            if (read_error(r, err) == -2)
                return -2;
            break;
        }
        r->cap *= 2;
        n += strlen(r->buf + n);
    }
    r->lineno++;
    while (n && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
        r->buf[--n] = '\0';
    *line = r->buf;
    return (long)n;
}

long ap__lines_lineno(const ap__lines *r)
{
    return r->lineno;
}

void ap__lines_close(ap__lines *r)
{
    if (!r)
        return;
    if (r->gz)
        gzclose(r->gz);
    free(r->buf);
    free(r->path);
    free(r);
}
