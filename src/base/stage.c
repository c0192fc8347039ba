/* stage.c - output folders that appear whole or not at all.
 *
 * A study or an import writes several files; a failure half-way (disk
 * full, a kill) must not leave a folder with results.csv but no report, or
 * a network map without its cost map.  The files go into a hidden sibling
 * folder first; commit moves them into place once every one is written. */
#include "base/base.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STAGE_TAG ".stage."
#define STALE_AGE (24 * 3600)

/* Removes a staged tree (files and folders, at most a few levels deep). */
static void remove_tree(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        char *p;
        struct stat st;
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (!(p = ap__path_join(dir, de->d_name)))
            continue;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth < 4)
            remove_tree(p, depth + 1);
        else
            (void)unlink(p);
        free(p);
    }
    if (d)
        closedir(d);
    (void)rmdir(dir);
}

static void host_name(char *h, size_t n)
{
    size_t i;
    if (gethostname(h, n) != 0 || !*h)
        snprintf(h, n, "host");
    h[n - 1] = '\0';
    for (i = 0; h[i]; i++)
        if (h[i] == '/' || h[i] == '.')
            h[i] = '-';
}

/* Whether the stage entry `rest` (HOST.PID.XXXXXX after the tag) belongs
 * to a process of this host that is gone. */
static int owner_gone(const char *rest, const char *host)
{
    size_t hl = strlen(host);
    const char *pid;
    char *end;
    long v;
    if (strncmp(rest, host, hl) || rest[hl] != '.')
        return 0;
    pid = rest + hl + 1;
    v = strtol(pid, &end, 10);
    if (end == pid || *end != '.' || strlen(end + 1) != 6 || v <= 0)
        return 0;
    return kill((pid_t)v, 0) != 0 && errno == ESRCH;
}

static void remove_stale(const char *parent, const char *base, const char *host)
{
    DIR *d = opendir(parent);
    struct dirent *de;
    size_t bl = strlen(base), tl = strlen(STAGE_TAG);
    while (d && (de = readdir(d))) {
        const char *n = de->d_name;
        char *p;
        struct stat st;
        if (n[0] != '.' || strncmp(n + 1, base, bl) || strncmp(n + 1 + bl, STAGE_TAG, tl))
            continue;
        if (!(p = ap__path_join(parent, n)))
            continue;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
            (owner_gone(n + 1 + bl + tl, host) || time(NULL) - st.st_mtime > STALE_AGE))
            remove_tree(p, 0);
        free(p);
    }
    if (d)
        closedir(d);
}

int ap__stage_begin(ap__stage *s, const char *outdir, ap_error *err)
{
    char *parent = NULL, host[72], *base, *tmpl = NULL;
    struct stat st;
    size_t n;

    memset(s, 0, sizeof *s);
    if (!outdir || !*outdir) {
        ap__err(err, AP_EINVAL, "", "no output folder");
        return -1;
    }
    if (!(s->final = ap__strdup(outdir)))
        goto nomem;
    for (n = strlen(s->final); n > 1 && s->final[n - 1] == '/'; n--)
        s->final[n - 1] = '\0';
    if (stat(s->final, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            ap__err(err, AP_EIO, s->final, "exists and is not a folder");
            goto fail;
        }
    } else if (errno == ENOENT) {
        s->fresh = 1;
    } else {
        ap__err(err, AP_EIO, s->final, "cannot use the output folder: %s", strerror(errno));
        goto fail;
    }
    if (!(parent = ap__dirname(s->final)))
        goto nomem;
    if (ap__mkdir_p(parent, 0777, err))
        goto fail;
    base = strrchr(s->final, '/');
    base = base ? base + 1 : s->final;
    host_name(host, sizeof host);
    remove_stale(parent, base, host);
    if (!(tmpl = malloc(strlen(parent) + strlen(base) + strlen(host) + 48)))
        goto nomem;
    sprintf(tmpl, "%s/.%s" STAGE_TAG "%s.%ld.XXXXXX", parent, base, host, (long)getpid());
    if (!mkdtemp(tmpl)) {
        ap__err(err, AP_EIO, s->final, "cannot create a folder next to it (%s): %s", tmpl, strerror(errno));
        free(tmpl);
        goto fail;
    }
    if (s->fresh) {
        mode_t f = ap__new_file_mode();
        (void)chmod(tmpl, f | ((f & 0444) >> 2));
    }
    s->dir = tmpl;
    free(parent);
    return 0;
nomem:
    ap__err(err, AP_ENOMEM, outdir, "out of memory");
fail:
    free(parent);
    free(s->final);
    s->final = NULL;
    return -1;
}

/* Removes the files of the output folder that s->prune claims and the
 * stage does not hold. */
static void prune_old(const ap__stage *s)
{
    DIR *d = opendir(s->final);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        char *mine, *old;
        struct stat st;
        if (!s->prune(de->d_name))
            continue;
        mine = ap__path_join(s->dir, de->d_name);
        old = ap__path_join(s->final, de->d_name);
        if (mine && old && lstat(mine, &st) != 0 && lstat(old, &st) == 0 && S_ISREG(st.st_mode))
            (void)unlink(old);
        free(mine);
        free(old);
    }
    if (d)
        closedir(d);
}

/* Moves each entry of the stage into the existing output folder, keeping
 * the mode of a file it replaces. */
static int move_files(ap__stage *s, ap_error *err)
{
    DIR *d = opendir(s->dir);
    struct dirent *de;
    int rc = 0;
    if (!d) {
        ap__err(err, AP_EIO, s->final, "cannot read the staged outputs in %s: %s", s->dir, strerror(errno));
        return -1;
    }
    while (rc == 0 && (de = readdir(d))) {
        char *from, *to;
        struct stat old;
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        from = ap__path_join(s->dir, de->d_name);
        to = ap__path_join(s->final, de->d_name);
        if (!from || !to) {
            ap__err(err, AP_ENOMEM, s->final, "out of memory");
            rc = -1;
        } else {
            if (lstat(to, &old) == 0 && S_ISREG(old.st_mode))
                (void)chmod(from, old.st_mode & 07777);
            if (rename(from, to) != 0) {
                ap__err(err, AP_EIO, to, "cannot move the new file into place: %s", strerror(errno));
                rc = -1;
            }
        }
        free(from);
        free(to);
    }
    closedir(d);
    return rc;
}

int ap__stage_commit(ap__stage *s, ap_error *err)
{
    int rc = 0;
    if (!s->dir)
        return -1;
    if (!(s->fresh && rename(s->dir, s->final) == 0)) {
        struct stat st;
        /* made meanwhile by someone else, or it existed at begin */
        if (s->fresh && (stat(s->final, &st) != 0 || !S_ISDIR(st.st_mode))) {
            ap__err(err, AP_EIO, s->final, "cannot rename %s into place: %s", s->dir, strerror(errno));
            rc = -1;
        } else {
            if (s->prune)
                prune_old(s);
            rc = move_files(s, err);
        }
        if (rc)
            ap__stage_abort(s, NULL);
        else
            remove_tree(s->dir, 0);
    } else {
        ap__sync_dir(s->final);
    }
    if (rc == 0) {
        char *inner = ap__path_join(s->final, ".");
        if (inner)
            ap__sync_dir(inner);
        free(inner);
    }
    free(s->dir);
    free(s->final);
    s->dir = s->final = NULL;
    return rc;
}

/* Replaces the first occurrence of `from` in the buffer s (of size n). */
static void replace_in(char *s, size_t n, const char *from, const char *to)
{
    char *at = strstr(s, from), *rest;
    if (!at || !*from)
        return;
    if (!(rest = ap__strdup(at + strlen(from))))
        return;
    snprintf(at, n - (size_t)(at - s), "%s%s", to, rest);
    free(rest);
}

void ap__stage_abort(ap__stage *s, ap_error *err)
{
    if (!s->dir)
        return;
    if (err) {
        replace_in(err->source, sizeof err->source, s->dir, s->final);
        replace_in(err->text, sizeof err->text, s->dir, s->final);
    }
    remove_tree(s->dir, 0);
    free(s->dir);
    free(s->final);
    s->dir = s->final = NULL;
}
