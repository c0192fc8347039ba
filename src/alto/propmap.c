/* propmap.c - RFC 9240 property maps: numeric properties of PID entities. */
#include "alto_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ap_propmap_free(ap_propmap *pm)
{
    size_t i;
    if (!pm)
        return;
    for (i = 0; i < pm->nprops; i++) {
        free(pm->props[i].name);
        free(pm->props[i].v);
    }
    free(pm->props);
    free(pm);
}

static double *find_column(const ap_propmap *pm, const char *name)
{
    size_t i;
    for (i = 0; i < pm->nprops; i++)
        if (strcmp(pm->props[i].name, name) == 0)
            return pm->props[i].v;
    return NULL;
}

static double *prop_column(ap_propmap *pm, const char *name, int create)
{
    ap__prop *np;
    size_t i;
    double *col = find_column(pm, name);
    if (col || !create)
        return col;
    np = realloc(pm->props, (pm->nprops + 1) * sizeof *np);
    if (!np)
        return NULL;
    pm->props = np;
    np[pm->nprops].name = ap__strdup(name);
    np[pm->nprops].v = malloc((pm->n ? pm->n : 1) * sizeof(double));
    if (!np[pm->nprops].name || !np[pm->nprops].v) {
        free(np[pm->nprops].name);
        free(np[pm->nprops].v);
        return NULL;
    }
    for (i = 0; i < pm->n; i++)
        np[pm->nprops].v[i] = NAN;
    return np[pm->nprops++].v;
}

/* Splits an entity id "<domain>:<id>"; returns the PID part when the domain
 * is "pid" or "<nm resource id>.pid", NULL for other domains, and sets *bad
 * when the domain is a PID domain of another network map. */
static const char *pid_entity(const char *eid, const ap_netmap *nm, int *bad)
{
    const char *colon = strchr(eid, ':');
    size_t dl, rl;
    *bad = 0;
    if (!colon)
        return NULL;
    dl = (size_t)(colon - eid);
    if (dl == 3 && strncmp(eid, "pid", 3) == 0)
        return colon + 1;
    if (dl > 4 && strncmp(colon - 4, ".pid", 4) == 0) {
        rl = dl - 4;
        if (strlen(nm->resource_id) == rl && strncmp(eid, nm->resource_id, rl) == 0)
            return colon + 1;
        *bad = 1;
    }
    return NULL;
}

ap_propmap *ap_propmap_parse(const char *buf, size_t len, const char *source,
                             const ap_netmap *nm, ap_error *err)
{
    const char *src = source ? source : "<buffer>";
    json_t *root, *map, *props, *v;
    const char *eid, *pname;
    ap_propmap *pm = NULL;

    if (!nm) {
        ap__err(err, AP_EINVAL, src, "a property map needs its network map");
        return NULL;
    }
    root = ap__json_parse_object(buf, len, src, err);
    if (!root)
        return NULL;
    map = json_object_get(root, "property-map");
    if (!json_is_object(map)) {
        ap__err(err, AP_EFORMAT, src, "property-map: missing or not an object");
        goto fail;
    }
    if (ap__check_dep_vtags(json_object_get(root, "meta"), src, nm, 0, NULL, NULL, err))
        goto fail;
    pm = calloc(1, sizeof *pm);
    if (!pm)
        goto oom;
    {
        json_t *dv = json_object_get(json_object_get(root, "meta"), "dependent-vtags"), *e;
        size_t k;
        pm->unchecked = 1;
        json_array_foreach(dv, k, e)
            if (json_is_string(json_object_get(e, "resource-id")) &&
                !strcmp(json_string_value(json_object_get(e, "resource-id")), nm->resource_id))
                pm->unchecked = 0;
    }
    pm->n = nm->n;
    json_object_foreach(map, eid, props) {
        int bad;
        const char *pid = pid_entity(eid, nm, &bad);
        long idx;
        if (bad) {
            ap__err(err, AP_EFORMAT, src, "property-map.%s: PID domain of another network map "
                    "(expected %s.pid)", eid, nm->resource_id);
            goto fail;
        }
        if (!pid)
            continue;
        idx = ap_netmap_find(nm, pid);
        if (idx < 0) {
            ap__err(err, AP_EFORMAT, src, "property-map.%s: PID \"%s\" not in network map %s",
                    eid, pid, nm->resource_id);
            goto fail;
        }
        if (!json_is_object(props)) {
            ap__err(err, AP_EFORMAT, src, "property-map.%s: not an object", eid);
            goto fail;
        }
        json_object_foreach(props, pname, v) {
            double *col, x;
            if (!json_is_number(v))
                continue;
            x = json_number_value(v);
            if (!isfinite(x)) {
                ap__err(err, AP_EFORMAT, src, "property-map.%s.%s: not a finite number", eid, pname);
                goto fail;
            }
            col = prop_column(pm, pname, 1);
            if (!col)
                goto oom;
            col[idx] = x;
        }
    }
    json_decref(root);
    return pm;
oom:
    ap__err(err, AP_ENOMEM, src, "out of memory");
fail:
    json_decref(root);
    ap_propmap_free(pm);
    return NULL;
}

static void *parse_doc(const char *buf, size_t len, const char *src, const void *nm, ap_error *err)
{
    return ap_propmap_parse(buf, len, src, nm, err);
}

ap_propmap *ap_propmap_load(const char *path, const ap_netmap *nm, ap_error *err)
{
    return ap__load_doc(path, nm, parse_doc, err);
}

double ap_propmap_get(const ap_propmap *pm, size_t pid, const char *name)
{
    double *col;
    if (!pm || pid >= pm->n || !name)
        return NAN;
    col = find_column(pm, name);
    return col ? col[pid] : NAN;
}
