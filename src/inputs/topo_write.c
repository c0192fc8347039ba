/* topo_write.c - a topology written out as ALTO files (network map, cost
 * maps per metric, property map) plus topology.json and sites.json. */
#include "inputs_int.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------- output */

static char *default_rid(const ap_topo *t, const ap_topo_opts *o)
{
    char buf[128];
    size_t i, n = 0;
    const char *nm = o && o->resource_id ? o->resource_id : NULL;
    if (nm)
        return ap__strdup(nm);
    for (i = 0; t->name && t->name[i] && n < 40; i++) {
        unsigned char c = (unsigned char)t->name[i];
        if (isalnum(c) && c < 128)
            buf[n++] = (char)tolower(c);
        else if (n && buf[n - 1] != '-')
            buf[n++] = '-';
    }
    if (n == 0)
        n = (size_t)snprintf(buf, sizeof buf, "topology");
    snprintf(buf + n, sizeof buf - n, "-network-map");
    return ap__strdup(buf);
}

/* costmap-<metric>.json, unless no pair has a cost (e.g. no link speed
 * known at all: *written stays 0). */
static int write_costmap(const ap_topo *t, const char *dir, const char *metric, const char *rid,
                         const char *tag, char *const *pids, int *written, ap_error *err)
{
    double *c = ap_topo_costs(t, metric, err);
    char name[64], *path;
    size_t i, have = 0;
    int rc;
    *written = 0;
    if (!c)
        return -1;
    for (i = 0; i < t->n * t->n; i++)
        have += isfinite(c[i]) != 0;
    if (have == 0) {
        free(c);
        return 0;
    }
    snprintf(name, sizeof name, "costmap-%s.json", metric);
    if (!(path = ap__path_join(dir, name))) {
        free(c);
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        return -1;
    }
    rc = ap__write_costmap(path, rid, tag, metric, t->n, pids, t->n, pids, c,
                           strcmp(metric, "delay-ow") == 0 ? 1 : 0, err);
    free(path);
    free(c);
    *written = rc == 0;
    return rc;
}

/* networkmap.json (its vtag, a hash of the content, into tag) and
 * propmap.json: coordinates and the capacity of the links at each PoP. */
static int write_maps(const ap_topo *t, const char *outdir, const char *rid, char *const *pids, char tag[33],
                      ap_error *err)
{
    static const char *const props[] = {"latitude", "longitude", "coordinates-estimated", "link-capacity-gbps"};
    char ***pf = malloc((t->n + 1) * sizeof *pf), *path = NULL;
    size_t *np = malloc((t->n + 1) * sizeof *np), i;
    double *v = calloc(4 * t->n + 1, sizeof *v);
    int rc = -1;
    if (!pf || !np || !v || !(path = ap__path_join(outdir, "networkmap.json")))
        goto nomem;
    for (i = 0; i < t->n; i++) {
        pf[i] = t->node[i].pfx;
        np[i] = t->node[i].npfx;
    }
    if (ap__write_netmap(path, rid, NULL, t->n, pids, (char *const *const *)pf, np, tag, err))
        goto out;
    for (i = 0; i < t->m; i++)
        if (t->link[i].bps > 0) {
            v[4 * t->link[i].a + 3] += t->link[i].bps / 1e9;
            v[4 * t->link[i].b + 3] += t->link[i].bps / 1e9;
        }
    for (i = 0; i < t->n; i++) {
        v[4 * i] = t->node[i].lat;
        v[4 * i + 1] = t->node[i].lon;
        v[4 * i + 2] = t->node[i].located == 2;
        if (!(v[4 * i + 3] > 0))
            v[4 * i + 3] = NAN;
    }
    free(path);
    if (!(path = ap__path_join(outdir, "propmap.json")))
        goto nomem;
    rc = ap__write_propmap(path, rid, tag, t->n, pids, 4, props, v, err);
    goto out;
nomem:
    ap__err(err, AP_ENOMEM, outdir, "out of memory");
out:
    free(pf);
    free(np);
    free(v);
    free(path);
    return rc;
}

/* topology.json: what what-if studies recompute costs from. */
static int write_topology(const ap_topo *t, const char *outdir, const char *rid, ap_error *err)
{
    json_t *top, *nodes = json_array(), *links = json_array();
    size_t i;
    top = nodes && links ? json_pack("{s:{s:s,s:s,s:f,s:s},s:o,s:o}", "meta", "source", t->source, "name",
                                     t->name ? t->name : "", "speed-m-per-s", t->speed, "network-map", rid,
                                     "nodes", nodes, "links", links)
                         : NULL;
    if (!top) {
        json_decref(nodes);
        json_decref(links);
        return ap__json_write_in(outdir, "topology.json", NULL, err);
    }
    for (i = 0; i < t->n; i++)
        json_array_append_new(nodes, json_pack("{s:s,s:s,s:f,s:f,s:b}", "pid", t->node[i].pid, "label",
                                               t->node[i].label ? t->node[i].label : "", "latitude", t->node[i].lat,
                                               "longitude", t->node[i].lon, "estimated", t->node[i].located == 2));
    for (i = 0; i < t->m; i++) {
        json_t *lk = json_pack("{s:s,s:s,s:f}", "a", t->node[t->link[i].a].pid, "b", t->node[t->link[i].b].pid,
                               "length-m", round(t->link[i].len_m));
        if (!lk) {
            json_decref(top);
            return ap__json_write_in(outdir, "topology.json", NULL, err);
        }
        if (t->link[i].bps > 0)
            json_object_set_new(lk, "speed-bps", json_real(t->link[i].bps));
        json_array_append_new(links, lk);
    }
    return ap__json_write_in(outdir, "topology.json", top, err);
}

int ap_topo_write_alto(const ap_topo *t, const char *outdir, const ap_topo_opts *o, ap_error *err)
{
    char *rid = NULL, tag[33], **pids = NULL;
    ap__stage stg = {0};
    size_t i;
    int rc = -1, w;

    if (!t || !outdir) {
        ap__err(err, AP_EINVAL, "", "no topology or output folder");
        return -1;
    }
    /* the maps appear together or not at all */
    if (ap__stage_begin(&stg, outdir, err))
        return -1;
    if (!(rid = default_rid(t, o)) || !(pids = malloc((t->n + 1) * sizeof *pids))) {
        ap__err(err, AP_ENOMEM, outdir, "out of memory");
        goto out;
    }
    for (i = 0; i < t->n; i++)
        pids[i] = t->node[i].pid;
    if (write_maps(t, stg.dir, rid, pids, tag, err))
        goto out;
    if (write_costmap(t, stg.dir, "delay-ow", rid, tag, pids, &w, err) ||
        write_costmap(t, stg.dir, "hopcount", rid, tag, pids, &w, err) ||
        write_costmap(t, stg.dir, "bw-maximum", rid, tag, pids, &w, err))
        goto out;
    if (!w)
        tlog(o, AP_LOG_INFO, "%s: no link speeds: no bw-maximum cost map", t->source);
    if (write_topology(t, stg.dir, rid, err))
        goto out;
    if (t->nalias > 0) {
        char *sp = ap__path_join(stg.dir, "sites.json");
        int r = sp ? ap_topo_write_sites(t, sp, err) : -1;
        free(sp);
        if (r)
            goto out;
    }
    rc = ap__stage_commit(&stg, err);
out:
    ap__stage_abort(&stg, err);
    free(pids);
    free(rid);
    return rc;
}

int ap_topo_write_sites(const ap_topo *t, const char *path, ap_error *err)
{
    json_t *j;
    size_t i;
    int rc;
    if (!t || !path || t->nalias == 0) {
        ap__err(err, AP_EINVAL, path ? path : "", "the topology has no transfer-record site names");
        return -1;
    }
    if (!(j = json_object())) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        return -1;
    }
    for (i = 0; i < t->nalias; i++)
        json_object_set_new(j, t->alias[i], json_string(t->node[t->alias_node[i]].pid));
    rc = ap__json_write(path, j, err);
    json_decref(j);
    return rc;
}
