/* base.h - what every layer uses: errors, logging, files, paths, clocks,
 * growing arrays.  No third-party headers (the solver includes it). */
#ifndef AP_BASE_H
#define AP_BASE_H

#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "altoplace.h"

/* ---- errors (error.c) */
/* Records an error unless one is already recorded (first error wins). */
void ap__err(ap_error *err, int code, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ap__verr(ap_error *err, int code, const char *source, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
/* Formats a message for a log callback (nothing when log is NULL). */
void ap__logf(ap_log_fn log, void *ud, ap_log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ap__vlogf(ap_log_fn log, void *ud, ap_log_level lvl, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
/* Logs through a solve's callback, if any. */
void ap__log(const ap_solve_opts *o, ap_log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- utilities (util.c) */
/* Reads a whole file into a new NUL-terminated buffer; *len gets its size. */
char *ap__read_file(const char *path, size_t *len, ap_error *err);
/* Writes `len` bytes to `path` atomically (temp file + fsync + rename). */
int ap__write_atomic(const char *path, const char *data, size_t len, ap_error *err);
char *ap__strdup(const char *s);
/* Room for `need` elements of `elem` bytes in ptr, whose room is *cap:
 * doubles from *cap (or `first`), at most `max` bytes (0: no limit).
 * Returns the (possibly moved) array and updates *cap, or NULL (ptr is
 * then untouched). */
void *ap__grow(void *ptr, size_t *cap, size_t need, size_t elem, size_t first, size_t max);
/* Joins dir and a relative path (absolute paths are returned as copies). */
char *ap__path_join(const char *dir, const char *rel);
/* Folder part of a path ("." when none); new string. */
char *ap__dirname(const char *path);
#include <sys/types.h>
/* Creates dir and its missing parents with `mode` (less the umask). */
int ap__mkdir_p(const char *dir, mode_t mode, ap_error *err);
/* Copies `in` to out (at most cap bytes, NUL-terminated) with the password
 * of every URI's user:password@ replaced by "***" (a user part without a
 * password, often a token, is replaced whole): errors, logs and plans name
 * URIs, and credentials must not reach them.  Returns out. */
char *ap__redact(const char *in, char *out, size_t cap);
/* The same into a new string (NULL when out of memory). */
char *ap__redact_dup(const char *in);
/* A copy of a secret (a token, a password) in memory of its own that core
 * dumps leave out and swap does not get (when mlock is allowed); NULL when
 * out of memory.  ap__secret_free zeroes and releases it. */
char *ap__secret_dup(const char *s);
void ap__secret_free(char *s);
/* The mode a new file gets: 0666 less the umask. */
mode_t ap__new_file_mode(void);
/* Makes the entry of `path` in its folder durable (fsync of the folder). */
void ap__sync_dir(const char *path);

/* ---- output folders that appear whole or not at all (stage.c)
 * Files are written into a hidden sibling .NAME.stage.HOST.PID.XXXXXX;
 * commit renames it to NAME when NAME does not exist (the folder appears
 * at once), else moves each file in after all are written (a failure while
 * writing leaves NAME untouched).  Abort removes the stage and makes an
 * error that names a staged file name the final path instead.  Stages a
 * killed process left are removed by the next begin for the same NAME
 * (same host, process gone; or older than a day). */
typedef struct ap__stage {
    char *final; /* the output folder, as given */
    char *dir;   /* where to write now */
    int fresh;   /* NAME did not exist at begin */
    /* optional: files of an existing NAME for which this is true and that
     * the stage does not hold are removed at commit (an earlier run's) */
    int (*prune)(const char *name);
} ap__stage;
int ap__stage_begin(ap__stage *s, const char *outdir, ap_error *err);
int ap__stage_commit(ap__stage *s, ap_error *err);
void ap__stage_abort(ap__stage *s, ap_error *err);
double ap__now(void);
/* Reads the file at `path` and hands its bytes to `parse` (with `ctx`). */
typedef void *(*ap__parse_fn)(const char *buf, size_t len, const char *source,
                              const void *ctx, ap_error *err);
void *ap__load_doc(const char *path, const void *ctx, ap__parse_fn parse, ap_error *err);

#endif
