/* compat.c - lenient mode: known deviations of research ALTO servers from
 * RFC 7285 (Python literals as JSON strings, application/json, cost-map
 * PIDs missing from the network map, vtags that churn without a change of
 * content), accepted with one warning per kind. */
#include "client_int.h"
#include <stdlib.h>
#include <string.h>

/* Lenient mode: says once per kind of deviation what was tolerated. */
void ap__alto_deviation(ap_alto *a, unsigned kind, const char *uri, const char *what)
{
    if (a->warned & kind)
        return;
    a->warned |= kind;
    ap__logf(a->o.log, a->o.log_ud, AP_LOG_WARN,
             "%s: ALTO server deviates from RFC 7285, accepted in lenient mode: %s", uri, what);
}

/* Converts a Python literal (single-quoted strings, True/False/None,
 * tuples) to JSON text.  Returns a new string or NULL when it is not one. */
static char *python_to_json(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *out = malloc(2 * n + 16);
    if (!out)
        return NULL;
    while (*s) {
        if (*s == '\'' || *s == '"') {
            char q = *s++;
            out[o++] = '"';
            while (*s && *s != q) {
                if (*s == '\\' && s[1]) {
                    if (s[1] == '\'') {
                        out[o++] = '\'';
                        s += 2;
                        continue;
                    }
                    out[o++] = *s++;
                    out[o++] = *s++;
                    continue;
                }
                if (*s == '"')
                    out[o++] = '\\';
                out[o++] = *s++;
            }
            if (*s != q) {
                free(out);
                return NULL;
            }
            s++;
            out[o++] = '"';
        } else if (!strncmp(s, "True", 4)) {
            memcpy(out + o, "true", 4), o += 4, s += 4;
        } else if (!strncmp(s, "False", 5)) {
            memcpy(out + o, "false", 5), o += 5, s += 5;
        } else if (!strncmp(s, "None", 4)) {
            memcpy(out + o, "null", 4), o += 4, s += 4;
        } else if (*s == '(' || *s == ')') {
            out[o++] = *s == '(' ? '[' : ']';
            s++;
        } else {
            out[o++] = *s++;
        }
    }
    out[o] = '\0';
    return out;
}

/* A body sent as application/json that is a JSON string holding a Python
 * literal: the decoded JSON text (new), or NULL. */
char *ap__compat_unwrap_python(const char *buf, size_t len)
{
    json_error_t je;
    json_t *j = json_loadb(buf, len, JSON_DECODE_ANY, &je);
    char *r = NULL;
    if (json_is_string(j))
        r = python_to_json(json_string_value(j));
    json_decref(j);
    return r;
}

/* Lenient mode, before parsing a cost map: PIDs the network map lacks become
 * PIDs without prefixes (candidate sites); a dependent-vtags tag that
 * differs from the network map's is accepted when a fresh copy of the
 * network map has the same content (the server changed the tag only). */
void ap__compat_costmap(ap_alto *a, ap_netmap *nm, char **buf, size_t *len, const char *uri)
{
    json_t *j = json_loadb(*buf, *len, 0, NULL), *map, *row, *v, *dv, *e;
    const char *s, *d;
    size_t k;
    int changed = 0;
    if (!json_is_object(j)) {
        json_decref(j);
        return;
    }
    map = json_object_get(j, "cost-map");
    json_object_foreach(map, s, row) {
        if (ap_netmap_find(nm, s) < 0 && ap__netmap_add_pid(nm, s) == 0)
            ap__alto_deviation(a, AP__DEV_PIDS, uri, "the cost map names PIDs its network map omits (kept as "
                      "candidate sites without prefixes)");
        json_object_foreach(row, d, v)
            if (ap_netmap_find(nm, d) < 0 && ap__netmap_add_pid(nm, d) == 0)
                ap__alto_deviation(a, AP__DEV_PIDS, uri, "the cost map names PIDs its network map omits (kept as "
                          "candidate sites without prefixes)");
    }
    dv = json_object_get(json_object_get(j, "meta"), "dependent-vtags");
    json_array_foreach(dv, k, e) {
        const char *rid = json_string_value(json_object_get(e, "resource-id"));
        const char *tag = json_string_value(json_object_get(e, "tag"));
        if (rid && tag && !strcmp(rid, nm->resource_id) && strcmp(tag, nm->vtag)) {
            /* refetch the network map once: same PIDs and prefixes? */
            ap_error e2;
            ap_netmap *fresh = ap_alto_netmap(a, rid, &e2);
            /* compare modulo the PIDs lenient mode added above (they have no
             * prefixes): add the same to the fresh copy */
            json_object_foreach(map, s, row) {
                if (fresh && ap_netmap_find(fresh, s) < 0)
                    ap__netmap_add_pid(fresh, s);
                json_object_foreach(row, d, v)
                    if (fresh && ap_netmap_find(fresh, d) < 0)
                        ap__netmap_add_pid(fresh, d);
            }
            if (fresh && ap__netmap_same(fresh, nm)) {
                json_object_set_new(e, "tag", json_string(nm->vtag));
                changed = 1;
                ap__alto_deviation(a, AP__DEV_VTAG, uri, "the version tag changed without a change of content");
            }
            ap_netmap_free(fresh);
        }
    }
    if (changed) {
        char *nb = json_dumps(j, JSON_COMPACT);
        if (nb) {
            free(*buf);
            *buf = nb;
            *len = strlen(nb);
        }
    }
    json_decref(j);
}

