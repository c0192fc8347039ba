/* jpatch.c - JSON merge patch (RFC 7396) and JSON patch (RFC 6902: add,
 * replace, remove) on jansson values, as ALTO update streams use them. */
#include "base_json.h"
#include <stdlib.h>
#include <string.h>

/* RFC 7396: returns the patched value (new reference). */
json_t *ap__merge_patch(json_t *target, json_t *patch)
{
    json_t *out, *v;
    const char *k;
    if (!json_is_object(patch))
        return json_incref(patch);
    out = json_is_object(target) ? json_deep_copy(target) : json_object();
    if (!out)
        return NULL;
    json_object_foreach(patch, k, v) {
        if (json_is_null(v)) {
            json_object_del(out, k);
        } else {
            json_t *m = ap__merge_patch(json_object_get(out, k), v);
            if (!m || json_object_set_new(out, k, m)) {
                json_decref(out);
                return NULL;
            }
        }
    }
    return out;
}

/* RFC 6901 pointer: the parent of the target and the last token (unescaped
 * into `key`); NULL when the path does not exist. */
static json_t *pointer_parent(json_t *doc, const char *path, char *key, size_t cap)
{
    json_t *cur = doc;
    const char *p = path;
    if (*p != '/')
        return NULL;
    for (;;) {
        size_t n = 0;
        p++;
        while (*p && *p != '/' && n + 1 < cap) {
            if (*p == '~' && (p[1] == '0' || p[1] == '1')) {
                key[n++] = p[1] == '0' ? '~' : '/';
                p += 2;
            } else {
                key[n++] = *p++;
            }
        }
        key[n] = '\0';
        if (!*p)
            return cur;
        if (*p != '/')
            return NULL; /* token too long */
        if (json_is_object(cur))
            cur = json_object_get(cur, key);
        else if (json_is_array(cur) && key[0] >= '0' && key[0] <= '9')
            cur = json_array_get(cur, (size_t)strtoul(key, NULL, 10));
        else
            return NULL;
        if (!cur)
            return NULL;
    }
}

/* RFC 6902 JSON Patch, operations add, replace and remove (what update
 * streams use for maps); returns 0 or -1 (doc may be partly changed, the
 * caller discards it). */
int ap__json_patch(json_t *doc, json_t *ops)
{
    size_t i;
    json_t *op;
    if (!json_is_array(ops))
        return -1;
    json_array_foreach(ops, i, op) {
        const char *o = json_string_value(json_object_get(op, "op"));
        const char *path = json_string_value(json_object_get(op, "path"));
        json_t *val = json_object_get(op, "value"), *parent;
        char key[512];
        if (!o || !path || !(parent = pointer_parent(doc, path, key, sizeof key)))
            return -1;
        if (!strcmp(o, "remove")) {
            if (json_is_object(parent) ? json_object_del(parent, key)
                                       : json_array_remove(parent, (size_t)strtoul(key, NULL, 10)))
                return -1;
        } else if (!strcmp(o, "add") || !strcmp(o, "replace")) {
            if (!val)
                return -1;
            if (json_is_object(parent)) {
                if (!strcmp(o, "replace") && !json_object_get(parent, key))
                    return -1;
                if (json_object_set(parent, key, val))
                    return -1;
            } else if (json_is_array(parent)) {
                size_t at = !strcmp(key, "-") ? json_array_size(parent) : (size_t)strtoul(key, NULL, 10);
                if (!strcmp(o, "replace") ? json_array_set(parent, at, val) : json_array_insert(parent, at, val))
                    return -1;
            } else {
                return -1;
            }
        } else {
            return -1; /* move, copy, test: not used for ALTO maps */
        }
    }
    return 0;
}
