/* base_json.h - JSON in the base layer: jansson helpers (json.c), the
 * streaming scanner for large maps (jscan.c), JSON patches (jpatch.c).
 * Not for the solver, which knows no JSON. */
#ifndef AP_BASE_JSON_H
#define AP_BASE_JSON_H
#include "base.h"
#include <jansson.h>

/* ---- jansson helpers (json.c) */
/* Describes a jansson parse failure of `source`. */
void ap__err_json(ap_error *err, const char *source, const json_error_t *je);
/* Parses a JSON buffer, rejecting duplicate keys. */
json_t *ap__json_parse(const char *buf, size_t len, const char *source, ap_error *err);
/* json_loadb, except that a parse during which an allocation failed is NULL
 * with *oom = 1 (jansson can return a document with a string cut short). */
json_t *ap__json_loadb(const char *buf, size_t len, size_t flags, json_error_t *je, int *oom);
/* Same, and rejects a top level that is not an object. */
json_t *ap__json_parse_object(const char *buf, size_t len, const char *source, ap_error *err);
/* Reads the file at `path` and parses it (duplicate keys rejected); errors
 * name the file.  The second also rejects a top level that is not an object. */
json_t *ap__json_load(const char *path, ap_error *err);
json_t *ap__json_load_object(const char *path, ap_error *err);
/* Serialises `j` with 2-space indent and writes it atomically. */
int ap__json_write(const char *path, json_t *j, ap_error *err);
/* The same, taking over j (NULL: it could not be built: out of memory). */
int ap__json_write_new(const char *path, json_t *j, ap_error *err);
/* The same for dir/name, taking over j. */
int ap__json_write_in(const char *dir, const char *name, json_t *j, ap_error *err);
/* Fails with "<where><key>: unknown key" for a key of obj not in the
 * NULL-terminated list `allowed`. */
int ap__check_keys(json_t *obj, const char *const *allowed, const char *src, const char *where,
                   ap_error *err);

/* ---- JSON scanner for large documents (jscan.c) */
typedef struct {
    const char *b;
    size_t n, p;
    const char *src;
} ap__js;
void ap__js_init(ap__js *s, const char *buf, size_t len, const char *src);
int ap__js_fail(ap__js *s, const char *what, ap_error *err);
void ap__js_ws(ap__js *s);
int ap__js_peek(ap__js *s);
int ap__js_expect(ap__js *s, char c, ap_error *err);
int ap__js_string(ap__js *s, char *out, size_t cap, ap_error *err);
int ap__js_number(ap__js *s, double *v, int *is_num, ap_error *err);
int ap__js_skip(ap__js *s, int depth, ap_error *err);
/* Where "meta" and the document's body object are (ap__js_note). */
typedef struct {
    size_t meta_at, meta_end, body_at;
    int have_meta, have_body, body_is_obj;
} ap__js_parts;
/* For a top-level key: records (and skips) "meta" or the body key `body`;
 * returns 1 when the key was one of them, 0 otherwise, -1 on error. */
int ap__js_note(ap__js *js, const char *key, const char *body, ap__js_parts *pt, ap_error *err);
int ap__js_document(ap__js *js, const char *const *unique,
                    int (*on_key)(ap__js *js, const char *key, void *ud, ap_error *err),
                    void *ud, ap_error *err);

/* ---- JSON patches (jpatch.c) */
/* RFC 7396 merge patch: the patched value (new reference), NULL when out
 * of memory. */
json_t *ap__merge_patch(json_t *target, json_t *patch);
/* RFC 6902 patch with add, replace and remove applied to doc in place;
 * 0 or -1 (doc may be partly changed: discard it). */
int ap__json_patch(json_t *doc, json_t *ops);

#endif
