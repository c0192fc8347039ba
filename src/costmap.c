/* costmap.c - RFC 7285 cost maps into a dense PID x PID matrix (NaN = unknown). */
#include "internal.h"
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

/* Checks meta.dependent-vtags against the network map: it must contain an
 * entry for nm's resource id whose tag equals nm's vtag. */
static int check_dep_vtags(json_t *meta, const char *src, const ap_netmap *nm,
                           char **rid, char **tag, ap_error *err)
{
    json_t *dv = json_object_get(meta, "dependent-vtags"), *e;
    size_t k;
    if (!json_is_array(dv) || json_array_size(dv) == 0) {
        ap__err(err, AP_EFORMAT, src, "meta.dependent-vtags: missing or not a non-empty array "
                "(a cost map must name the network map it depends on)");
        return -1;
    }
    json_array_foreach(dv, k, e) {
        json_t *r = json_object_get(e, "resource-id"), *t = json_object_get(e, "tag");
        if (!json_is_string(r) || !json_is_string(t)) {
            ap__err(err, AP_EFORMAT, src, "meta.dependent-vtags[%zu]: needs string resource-id and tag", k);
            return -1;
        }
        if (strcmp(json_string_value(r), nm->resource_id) == 0) {
            *rid = ap__strdup(json_string_value(r));
            *tag = ap__strdup(json_string_value(t));
            if (strcmp(json_string_value(t), nm->vtag) != 0) {
                ap__err(err, AP_EVTAG, src, "meta.dependent-vtags[%zu]: depends on %s version %s, "
                        "but the network map has version %s", k, nm->resource_id,
                        json_string_value(t), nm->vtag);
                return -1;
            }
            return 0;
        }
    }
    ap__err(err, AP_EVTAG, src, "meta.dependent-vtags: does not name network map \"%s\"", nm->resource_id);
    return -1;
}

ap_costmap *ap_costmap_parse(const char *buf, size_t len, const char *source,
                             const ap_netmap *nm, ap_error *err)
{
    const char *src = source ? source : "<buffer>";
    json_t *root, *meta, *ct, *metric, *mode, *map, *row, *v;
    const char *sname, *dname;
    ap_costmap *cm = NULL;
    size_t i, n;
    int ordinal;

    if (!nm) {
        ap__err(err, AP_EINVAL, src, "a cost map needs its network map");
        return NULL;
    }
    root = ap__json_parse_object(buf, len, src, err);
    if (!root)
        return NULL;
    cm = calloc(1, sizeof *cm);
    if (!cm)
        goto oom;
    meta = json_object_get(root, "meta");
    if (!json_is_object(meta)) {
        ap__err(err, AP_EFORMAT, src, "meta: missing or not an object");
        goto fail;
    }
    map = json_object_get(root, "cost-map");
    if (!json_is_object(map)) {
        if (json_object_get(root, "network-map"))
            ap__err(err, AP_EFORMAT, src, "cost-map: missing; this looks like a network map, not a cost map");
        else
            ap__err(err, AP_EFORMAT, src, "cost-map: missing or not an object");
        goto fail;
    }
    ct = json_object_get(meta, "cost-type");
    if (!json_is_object(ct)) {
        ap__err(err, AP_EFORMAT, src, "meta.cost-type: missing or not an object");
        goto fail;
    }
    metric = json_object_get(ct, "cost-metric");
    mode = json_object_get(ct, "cost-mode");
    if (!json_is_string(metric) || !json_string_length(metric)) {
        ap__err(err, AP_EFORMAT, src, "meta.cost-type.cost-metric: missing or not a string");
        goto fail;
    }
    if (!json_is_string(mode) || (strcmp(json_string_value(mode), "numerical") &&
                                   strcmp(json_string_value(mode), "ordinal"))) {
        ap__err(err, AP_EFORMAT, src, "meta.cost-type.cost-mode: must be \"numerical\" or \"ordinal\"");
        goto fail;
    }
    ordinal = strcmp(json_string_value(mode), "ordinal") == 0;
    cm->metric = ap__strdup(json_string_value(metric));
    cm->mode = ap__strdup(json_string_value(mode));
    if (!cm->metric || !cm->mode)
        goto oom;
    if (check_dep_vtags(meta, src, nm, &cm->dep_rid, &cm->dep_tag, err))
        goto fail;
    n = nm->n;
    cm->n = n;
    if (n && n > SIZE_MAX / sizeof(double) / n)
        goto oom;
    cm->c = malloc((n ? n * n : 1) * sizeof(double));
    if (!cm->c)
        goto oom;
    for (i = 0; i < n * n; i++)
        cm->c[i] = NAN;
    json_object_foreach(map, sname, row) {
        long s = ap_netmap_find(nm, sname);
        if (s < 0) {
            ap__err(err, AP_EFORMAT, src, "cost-map.%s: PID not in network map %s", sname, nm->resource_id);
            goto fail;
        }
        if (!json_is_object(row)) {
            ap__err(err, AP_EFORMAT, src, "cost-map.%s: not an object", sname);
            goto fail;
        }
        json_object_foreach(row, dname, v) {
            long d = ap_netmap_find(nm, dname);
            double x;
            if (d < 0) {
                ap__err(err, AP_EFORMAT, src, "cost-map.%s.%s: PID not in network map %s",
                        sname, dname, nm->resource_id);
                goto fail;
            }
            if (!json_is_number(v)) {
                ap__err(err, AP_EFORMAT, src, "cost-map.%s.%s: cost is not a number", sname, dname);
                goto fail;
            }
            x = json_number_value(v);
            if (!isfinite(x) || x < 0) {
                ap__err(err, AP_EFORMAT, src, "cost-map.%s.%s: cost %g is negative or not finite",
                        sname, dname, x);
                goto fail;
            }
            if (ordinal && (x != floor(x) || x < 1)) {
                ap__err(err, AP_EFORMAT, src, "cost-map.%s.%s: ordinal cost %g is not a positive integer",
                        sname, dname, x);
                goto fail;
            }
            cm->c[(size_t)s * n + (size_t)d] = x;
        }
    }
    json_decref(root);
    return cm;
oom:
    ap__err(err, AP_ENOMEM, src, "out of memory");
fail:
    json_decref(root);
    ap_costmap_free(cm);
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
