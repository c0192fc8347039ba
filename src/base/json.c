/* json.c - jansson helpers: parsing with duplicate-key rejection and with
 * allocation failures detected, reading a JSON file, atomic writes of
 * documents. */
#include "base_json.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jansson does not always fail when an allocation inside the parser fails:
 * a string whose buffer could not grow comes out cut short ("tag" -> "ta")
 * and the parse succeeds.  Its allocations are therefore watched (the
 * functions installed before ours, if any, still do the work) and a parse
 * during which one failed is an out-of-memory error, whatever it returned. */
static _Thread_local int alloc_failed;
static json_malloc_t prev_malloc;
static json_free_t prev_free;
static pthread_once_t watch_once = PTHREAD_ONCE_INIT;

static void *watched_malloc(size_t n)
{
    void *p = prev_malloc ? prev_malloc(n) : malloc(n);
    if (!p)
        alloc_failed = 1;
    return p;
}

static void watched_free(void *p)
{
    if (prev_free)
        prev_free(p);
    else
        free(p);
}

static void watch_install(void)
{
    json_get_alloc_funcs(&prev_malloc, &prev_free);
    json_set_alloc_funcs(watched_malloc, watched_free);
}

json_t *ap__json_loadb(const char *buf, size_t len, size_t flags, json_error_t *je, int *oom)
{
    json_t *j;
    pthread_once(&watch_once, watch_install);
    alloc_failed = 0;
    j = json_loadb(buf, len, flags, je);
    *oom = alloc_failed;
    if (alloc_failed) {
        json_decref(j);
        if (je)
            snprintf(je->text, sizeof je->text, "%s", "out of memory");
        return NULL;
    }
    return j;
}

void ap__err_json(ap_error *err, const char *source, const json_error_t *je)
{
    ap__err(err, AP_ESYNTAX, source, "invalid JSON at line %d, column %d: %s",
            je->line, je->column, je->text);
}

json_t *ap__json_parse(const char *buf, size_t len, const char *source, ap_error *err)
{
    json_error_t je;
    json_t *j;
    if (!buf) {
        ap__err(err, AP_EINVAL, source, "no document");
        return NULL;
    }
    {
        int oom;
        j = ap__json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je, &oom);
        if (oom)
            ap__err(err, AP_ENOMEM, source, "out of memory");
        else if (!j)
            ap__err_json(err, source, &je);
    }
    return j;
}

json_t *ap__json_parse_object(const char *buf, size_t len, const char *source, ap_error *err)
{
    json_t *j = ap__json_parse(buf, len, source, err);
    if (j && !json_is_object(j)) {
        ap__err(err, AP_EFORMAT, source, "top level is not a JSON object");
        json_decref(j);
        return NULL;
    }
    return j;
}

int ap__json_write(const char *path, json_t *j, ap_error *err)
{
    char *s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    int rc;
    size_t n;
    if (!s) {
        ap__err(err, AP_ENOMEM, path, "cannot serialise JSON");
        return -1;
    }
    n = strlen(s);
    s[n] = '\n'; /* replace NUL; write n+1 bytes */
    rc = ap__write_atomic(path, s, n + 1, err);
    free(s);
    return rc;
}

int ap__json_write_new(const char *path, json_t *j, ap_error *err)
{
    int rc;
    if (!j) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        return -1;
    }
    rc = ap__json_write(path, j, err);
    json_decref(j);
    return rc;
}

int ap__json_write_in(const char *dir, const char *name, json_t *j, ap_error *err)
{
    char *path = ap__path_join(dir, name);
    int rc;
    if (!path) {
        json_decref(j);
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        return -1;
    }
    rc = ap__json_write_new(path, j, err);
    free(path);
    return rc;
}

static json_t *load(const char *path, int object, ap_error *err)
{
    size_t len;
    char *buf = ap__read_file(path, &len, err);
    json_t *j;
    if (!buf)
        return NULL;
    j = object ? ap__json_parse_object(buf, len, path, err) : ap__json_parse(buf, len, path, err);
    free(buf);
    return j;
}

json_t *ap__json_load(const char *path, ap_error *err)
{
    return load(path, 0, err);
}

json_t *ap__json_load_object(const char *path, ap_error *err)
{
    return load(path, 1, err);
}

int ap__check_keys(json_t *obj, const char *const *allowed, const char *src, const char *where,
                   ap_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        char list[512];
        size_t i, n = 0;
        int ok = 0;
        for (i = 0; allowed[i] && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (ok)
            continue;
        list[0] = '\0';
        for (i = 0; allowed[i] && n < sizeof list; i++)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", allowed[i]);
        ap__err(err, AP_EFORMAT, src, "%s%s: unknown key (expected %s)", where, key, list);
        return -1;
    }
    return 0;
}
