/* costmap.c - RFC 7285 cost maps into a dense PID x PID matrix (NaN = unknown). */
#include "alto_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ap_costmap_free(ap_costmap *cm)
{
    if (!cm)
        return;
    free(cm->c);
    free(cm->metric);
    free(cm->mode);
    free(cm->dep_rid);
    free(cm->dep_tag);
    free(cm);
}

/* Looks a PID up, trying `guess` first (cost maps usually list the PIDs in
 * the network map's order). */
static long find_pid(const ap_netmap *nm, const char *name, long guess)
{
    if (guess >= 0 && (size_t)guess < nm->n && strcmp(nm->pid[guess], name) == 0)
        return guess;
    return ap_netmap_find(nm, name);
}

/* Parses the "cost-map" object at the scanner's position into cm->c. */
static int parse_matrix(ap__js *js, ap_costmap *cm, const ap_netmap *nm, int ordinal, ap_error *err)
{
    char sname[4096], dname[4096];
    size_t n = nm->n;
    long s = -1, d;
    unsigned char *seen = calloc(n ? n : 1, 1);
    int rc = -1;
    if (!seen) {
        ap__err(err, AP_ENOMEM, js->src, "out of memory");
        return -1;
    }
    if (ap__js_expect(js, '{', err))
        goto done;
    if (ap__js_peek(js) == '}') {
        js->p++;
        rc = 0;
        goto done;
    }
    for (;;) {
        if (ap__js_string(js, sname, sizeof sname, err) || ap__js_expect(js, ':', err))
            goto done;
        s = find_pid(nm, sname, s + 1);
        if (s < 0) {
            ap__err(err, AP_EFORMAT, js->src, "cost-map.%.200s: PID not in network map %s", sname, nm->resource_id);
            goto done;
        }
        if (seen[s]) {
            char what[200];
            snprintf(what, sizeof what, "duplicate object key cost-map.%.80s", sname);
            ap__js_fail(js, what, err);
            goto done;
        }
        seen[s] = 1;
        if (ap__js_peek(js) != '{') {
            ap__err(err, AP_EFORMAT, js->src, "cost-map.%s: not an object", sname);
            goto done;
        }
        js->p++;
        d = -1;
        if (ap__js_peek(js) == '}') {
            js->p++;
        } else {
            for (;;) {
                double x;
                int isn;
                if (ap__js_string(js, dname, sizeof dname, err) || ap__js_expect(js, ':', err))
                    goto done;
                d = find_pid(nm, dname, d + 1);
                if (d < 0) {
                    ap__err(err, AP_EFORMAT, js->src, "cost-map.%s.%.200s: PID not in network map %s", sname,
                            dname, nm->resource_id);
                    goto done;
                }
                if (ap__js_number(js, &x, &isn, err))
                    goto done;
                if (!isn) {
                    if (ap__js_skip(js, 0, err))
                        goto done;
                    ap__err(err, AP_EFORMAT, js->src, "cost-map.%s.%s: cost is not a number", sname, dname);
                    goto done;
                }
                if (!isfinite(x) || x < 0) {
                    ap__err(err, AP_EFORMAT, js->src, "cost-map.%s.%s: cost %g is negative or not finite",
                            sname, dname, x);
                    goto done;
                }
                if (ordinal && (x != floor(x) || x < 1)) {
                    ap__err(err, AP_EFORMAT, js->src, "cost-map.%s.%s: ordinal cost %g is not a positive integer",
                            sname, dname, x);
                    goto done;
                }
                if (!isnan(cm->c[(size_t)s * n + (size_t)d])) {
                    char what[240];
                    snprintf(what, sizeof what, "duplicate object key cost-map.%.80s.%.80s", sname, dname);
                    ap__js_fail(js, what, err);
                    goto done;
                }
                cm->c[(size_t)s * n + (size_t)d] = x;
                if (ap__js_peek(js) == ',') {
                    js->p++;
                    continue;
                }
                if (ap__js_expect(js, '}', err))
                    goto done;
                break;
            }
        }
        if (ap__js_peek(js) == ',') {
            js->p++;
            continue;
        }
        if (ap__js_expect(js, '}', err))
            goto done;
        break;
    }
    rc = 0;
done:
    free(seen);
    return rc;
}

/* Checks meta (cost type, dependent-vtags) and allocates the matrix.
 * Returns a new cost map or NULL; *ordinal gets the mode. */
static ap_costmap *from_meta(json_t *meta, const char *src, const ap_netmap *nm, int *ordinal,
                             ap_error *err)
{
    json_t *ct, *metric, *mode;
    ap_costmap *cm;
    size_t i, n;
    if (!json_is_object(meta)) {
        ap__err(err, AP_EFORMAT, src, "meta: missing or not an object");
        return NULL;
    }
    ct = json_object_get(meta, "cost-type");
    if (!json_is_object(ct)) {
        ap__err(err, AP_EFORMAT, src, "meta.cost-type: missing or not an object");
        return NULL;
    }
    metric = json_object_get(ct, "cost-metric");
    mode = json_object_get(ct, "cost-mode");
    if (!json_is_string(metric) || !json_string_length(metric)) {
        ap__err(err, AP_EFORMAT, src, "meta.cost-type.cost-metric: missing or not a string");
        return NULL;
    }
    if (!json_is_string(mode) || (strcmp(json_string_value(mode), "numerical") &&
                                   strcmp(json_string_value(mode), "ordinal"))) {
        ap__err(err, AP_EFORMAT, src, "meta.cost-type.cost-mode: must be \"numerical\" or \"ordinal\"");
        return NULL;
    }
    *ordinal = strcmp(json_string_value(mode), "ordinal") == 0;
    cm = calloc(1, sizeof *cm);
    if (!cm)
        goto oom;
    cm->metric = ap__strdup(json_string_value(metric));
    cm->mode = ap__strdup(json_string_value(mode));
    if (!cm->metric || !cm->mode)
        goto oom;
    if (ap__check_dep_vtags(meta, src, nm, 1, &cm->dep_rid, &cm->dep_tag, err)) {
        ap_costmap_free(cm);
        return NULL;
    }
    n = nm->n;
    cm->n = n;
    if (n && n > SIZE_MAX / sizeof(double) / n)
        goto oom;
    cm->c = malloc((n ? n * n : 1) * sizeof(double));
    if (!cm->c)
        goto oom;
    for (i = 0; i < n * n; i++)
        cm->c[i] = NAN;
    return cm;
oom:
    ap__err(err, AP_ENOMEM, src, "out of memory");
    ap_costmap_free(cm);
    return NULL;
}

/* State of the top-level walk of a cost map. */
typedef struct {
    const ap_netmap *nm;
    ap__js_parts pt;
    int saw_netmap, ordinal, parsed;
    json_t *meta;
    ap_costmap *cm;
} cm_top;

static int cm_key(ap__js *js, const char *key, void *ud, ap_error *err)
{
    cm_top *t = ud;
    size_t at = js->p;
    if (!strcmp(key, "network-map"))
        t->saw_netmap = 1;
    if (!strcmp(key, "cost-map") && t->pt.have_meta && at < js->n && js->b[at] == '{') {
        /* meta first (as servers write it): read the matrix in this pass */
        t->pt.have_body = t->pt.body_is_obj = t->parsed = 1;
        t->meta = ap__json_parse(js->b + t->pt.meta_at, t->pt.meta_end - t->pt.meta_at, js->src, err);
        if (!t->meta || !(t->cm = from_meta(t->meta, js->src, t->nm, &t->ordinal, err)) ||
            parse_matrix(js, t->cm, t->nm, t->ordinal, err))
            return -1;
        return 1;
    }
    return ap__js_note(js, key, "cost-map", &t->pt, err);
}

/* Parses a cost map without building a JSON tree of it: "meta" (small) is
 * read with jansson, the matrix straight into the dense array, in one pass
 * when "meta" comes first (as servers write it), else in two.  Memory is the
 * input plus the matrix, whatever the number of PIDs. */
ap_costmap *ap_costmap_parse(const char *buf, size_t len, const char *source,
                             const ap_netmap *nm, ap_error *err)
{
    static const char *const unique[] = {"meta", "cost-map", NULL};
    const char *src = source ? source : "<buffer>";
    ap__js js;
    cm_top t;

    if (!nm) {
        ap__err(err, AP_EINVAL, src, "a cost map needs its network map");
        return NULL;
    }
    if (!buf) {
        ap__err(err, AP_EINVAL, src, "no document");
        return NULL;
    }
    memset(&t, 0, sizeof t);
    t.nm = nm;
    ap__js_init(&js, buf, len, src);
    if (ap__js_document(&js, unique, cm_key, &t, err))
        goto fail;
    if (t.parsed)
        goto done;
    if (!t.pt.have_meta) {
        ap__err(err, AP_EFORMAT, src, "meta: missing or not an object");
        goto fail;
    }
    if (!t.pt.have_body || !t.pt.body_is_obj) {
        if (t.saw_netmap)
            ap__err(err, AP_EFORMAT, src, "cost-map: missing; this looks like a network map, not a cost map");
        else
            ap__err(err, AP_EFORMAT, src, "cost-map: missing or not an object");
        goto fail;
    }
    t.meta = ap__json_parse(buf + t.pt.meta_at, t.pt.meta_end - t.pt.meta_at, src, err);
    if (!t.meta || !(t.cm = from_meta(t.meta, src, nm, &t.ordinal, err)))
        goto fail;
    js.p = t.pt.body_at;
    if (parse_matrix(&js, t.cm, nm, t.ordinal, err))
        goto fail;
done:
    json_decref(t.meta);
    return t.cm;
fail:
    json_decref(t.meta);
    ap_costmap_free(t.cm);
    return NULL;
}

static void *parse_doc(const char *buf, size_t len, const char *src, const void *nm, ap_error *err)
{
    return ap_costmap_parse(buf, len, src, nm, err);
}

ap_costmap *ap_costmap_load(const char *path, const ap_netmap *nm, ap_error *err)
{
    return ap__load_doc(path, nm, parse_doc, err);
}

double ap_costmap_get(const ap_costmap *cm, size_t s, size_t d)
{
    if (!cm || s >= cm->n || d >= cm->n)
        return NAN;
    return cm->c[s * cm->n + d];
}

const char *ap_costmap_metric(const ap_costmap *cm) { return cm ? cm->metric : NULL; }
const char *ap_costmap_mode(const ap_costmap *cm) { return cm ? cm->mode : NULL; }
