/* load_extend.c - what ap_problem_from_alto does not know, applied to the
 * built problem: further cost maps with their weights, a bandwidth map, the
 * coverage bound, and re-placement (existing and pinned sites, migration
 * cost, max changes). */
#include "load_int.h"
#include "alto/alto_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cost of a (client, site) pair in cm, in the problem's direction. */
static double pair(const ap_costmap *cm, int c2s, long ci, long sj)
{
    return c2s ? ap_costmap_get(cm, (size_t)ci, (size_t)sj) : ap_costmap_get(cm, (size_t)sj, (size_t)ci);
}

typedef struct {
    ap__loader *L;
    long *ci, *sj;       /* network-map index of each client and site */
    int c2s;
} ext;

/* Adds weight wk times cm to the costs; the metric name says so. */
static int add_metric(ext *x, const ap_costmap *cm, double wk, const char *src, ap_error *err)
{
    ap_problem *p = x->L->p;
    size_t i, j;
    char *metric;
    for (i = 0; i < p->nc; i++)
        for (j = 0; j < p->ns; j++) {
            double c = pair(cm, x->c2s, x->ci[i], x->sj[j]);
            double *v = &p->cost[i * p->ns + j];
            *v = isnan(c) ? INFINITY : *v + wk * c;
        }
    metric = malloc(strlen(p->metric) + strlen(cm->metric) + 40);
    if (metric) {
        sprintf(metric, "%s + %g*%s", p->metric, wk, cm->metric);
        free(p->metric);
        p->metric = metric;
    }
    if (ap__problem_add_input(p, "cost-map", src, cm->dep_rid, cm->dep_tag)) {
        ap__err(err, AP_ENOMEM, x->L->path, "out of memory");
        return -1;
    }
    return 0;
}

/* cost-weights over the first cost map and the further ones (files of
 * alto.cost-map, or the server's maps of a cost-metric list). */
static int weighted_metrics(ext *x, ap_error *err)
{
    ap__loader *L = x->L;
    json_t *cml = json_object_get(L->alto, "cost-map");
    json_t *wts = json_object_get(L->root, "cost-weights"), *v;
    size_t i, k, ncm = L->nextra ? 1 + L->nextra : json_is_array(cml) ? json_array_size(cml) : 1;
    if (wts && (!json_is_array(wts) || json_array_size(wts) != ncm)) {
        ap__err(err, AP_EFORMAT, L->path, "cost-weights: must be an array with one weight per %s entry (%zu)",
                L->nextra ? "cost-metric" : "alto.cost-map", ncm);
        return -1;
    }
    if (!L->nextra && json_is_array(cml) && ncm > 1 && json_object_get(L->root, "cost-metric")) {
        ap__err(err, AP_EFORMAT, L->path, "cost-metric: cannot be checked against several cost maps; use cost-weights");
        return -1;
    }
    for (k = 0; k < ncm; k++) {
        double wk = 1;
        int rc;
        if (wts) {
            v = json_array_get(wts, k);
            if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0) {
                ap__err(err, AP_EFORMAT, L->path, "cost-weights[%zu]: must be a number >= 0", k);
                return -1;
            }
            wk = json_number_value(v);
        }
        if (k == 0) {
            for (i = 0; i < L->p->nc * L->p->ns; i++)
                if (isfinite(L->p->cost[i]))
                    L->p->cost[i] *= wk;
        } else if (L->nextra) {
            if (add_metric(x, L->extra[k - 1], wk, L->extra_src[k - 1], err))
                return -1;
        } else {
            const char *f = json_string_value(json_array_get(cml, k));
            char *fp;
            ap_costmap *cm;
            if (!f) {
                ap__err(err, AP_EFORMAT, L->path, "alto.cost-map[%zu]: not a string", k);
                return -1;
            }
            if (!(fp = ap__path_join(L->dir, f))) {
                ap__err(err, AP_ENOMEM, L->path, "out of memory");
                return -1;
            }
            cm = ap_costmap_load(fp, L->nm, err);
            rc = cm ? add_metric(x, cm, wk, fp, err) : -1;
            ap_costmap_free(cm);
            free(fp);
            if (rc)
                return -1;
        }
    }
    return 0;
}

/* Pairs whose available bandwidth cannot carry the client's demand (same
 * unit as the demand) are not allowed. */
static int bandwidth(ext *x, json_t *bw, ap_error *err)
{
    ap__loader *L = x->L;
    ap_problem *p = L->p;
    char *fp;
    ap_costmap *cm;
    size_t i, j;
    int rc;
    if (!json_is_string(bw)) {
        ap__err(err, AP_EFORMAT, L->path, "alto.bandwidth-map: must be a file name");
        return -1;
    }
    if (!(fp = ap__path_join(L->dir, json_string_value(bw)))) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return -1;
    }
    if (!(cm = ap_costmap_load(fp, L->nm, err))) {
        free(fp);
        return -1;
    }
    for (i = 0; i < p->nc; i++)
        for (j = 0; j < p->ns; j++)
            if (!(pair(cm, x->c2s, x->ci[i], x->sj[j]) >= p->demand[i]))
                p->cost[i * p->ns + j] = INFINITY;
    rc = ap__problem_add_input(p, "bandwidth-map", fp, cm->dep_rid, cm->dep_tag);
    if (rc)
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
    ap_costmap_free(cm);
    free(fp);
    return rc;
}

/* model.bound.  Coverage: pairs within the bound cost 0, the others are
 * forbidden, and the metric costs are kept for the plan.  Other models:
 * pairs above the bound are forbidden. */
static int coverage(ap__loader *L, ap_error *err)
{
    ap_problem *p = L->p;
    json_t *v = json_object_get(L->model, "bound");
    size_t i, j;
    double b;
    if (strcmp(p->model, "coverage")) {
        /* any other model: an SLA, pairs costlier than the bound are not
         * allowed (e.g. k sites minimising delay, no client above 10 ms) */
        if (!v)
            return 0;
        if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0) {
            ap__err(err, AP_EFORMAT, L->path, "model.bound: must be a number >= 0 (the largest cost a client may have)");
            return -1;
        }
        b = json_number_value(v);
        for (i = 0; i < p->nc * p->ns; i++)
            if (p->cost[i] > b)
                p->cost[i] = INFINITY;
        return 0;
    }
    if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0) {
        ap__err(err, AP_EFORMAT, L->path, "model.bound: coverage needs a number >= 0 (the largest cost a client may have)");
        return -1;
    }
    b = json_number_value(v);
    if (!(p->mcost = malloc(p->nc * p->ns * sizeof *p->mcost))) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return -1;
    }
    memcpy(p->mcost, p->cost, p->nc * p->ns * sizeof *p->mcost);
    for (i = 0; i < p->nc * p->ns; i++)
        p->cost[i] = p->cost[i] <= b ? 0 : INFINITY;
    if (!p->has_fcost) { /* fewest sites; ties broken on the metric */
        for (j = 0; j < p->ns; j++)
            p->fcost[j] = 1;
        p->cover_ties = 1;
    }
    p->has_fcost = 1;
    return 0;
}

/* Site flags from the PID names in model.<key> (an array). */
static int site_list(ap__loader *L, const char *key, unsigned char **flags, ap_error *err)
{
    ap_problem *p = L->p;
    json_t *v = json_object_get(L->model, key), *e;
    size_t i, j;
    if (!v)
        return 0;
    if (!json_is_array(v)) {
        ap__err(err, AP_EFORMAT, L->path, "model.%s: must be an array of PID names", key);
        return -1;
    }
    if (!*flags && !(*flags = calloc(p->ns, 1))) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return -1;
    }
    json_array_foreach(v, i, e) {
        const char *name = json_string_value(e);
        int found = 0;
        if (!name) {
            ap__err(err, AP_EFORMAT, L->path, "model.%s[%zu]: not a string", key, i);
            return -1;
        }
        for (j = 0; j < p->ns; j++)
            if (strcmp(p->sname[j], name) == 0)
                (*flags)[j] = 1, found = 1;
        if (!found) {
            ap__err(err, AP_EFORMAT, L->path, "model.%s[%zu]: \"%s\" is not a candidate site "
                    "(not in the network map, not in model.candidates, or forbidden)", key, i, name);
            return -1;
        }
    }
    return 0;
}

/* existing, pinned, migration-cost, max-changes. */
static int replacement(ap__loader *L, ap_error *err)
{
    ap_problem *p = L->p;
    json_t *v;
    size_t j;
    if (site_list(L, "existing", &p->existing, err) || site_list(L, "pinned", &p->pin, err))
        return -1;
    if ((v = json_object_get(L->model, "migration-cost"))) {
        if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0) {
            ap__err(err, AP_EFORMAT, L->path, "model.migration-cost: must be a number >= 0");
            return -1;
        }
        for (j = 0; j < p->ns; j++)
            if (!(p->existing && p->existing[j]))
                p->fcost[j] += json_number_value(v);
        if (json_number_value(v) > 0)
            p->has_fcost = 1;
    }
    if ((v = json_object_get(L->model, "max-changes"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000) {
            ap__err(err, AP_EFORMAT, L->path, "model.max-changes: must be an integer >= 0");
            return -1;
        }
        p->max_changes = (int)json_integer_value(v);
    }
    return 0;
}

int ap__load_extend(ap__loader *L, ap_error *err)
{
    ap_problem *p = L->p;
    json_t *bw = json_object_get(L->alto, "bandwidth-map");
    ext x;
    size_t i;
    int rc = -1;
    x.L = L;
    x.c2s = L->bo.client_to_site;
    x.ci = malloc(p->nc * sizeof *x.ci);
    x.sj = malloc(p->ns * sizeof *x.sj);
    if (!x.ci || !x.sj) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        goto done;
    }
    for (i = 0; i < p->nc; i++)
        x.ci[i] = ap_netmap_find(L->nm, p->cname[i]);
    for (i = 0; i < p->ns; i++)
        x.sj[i] = ap_netmap_find(L->nm, p->sname[i]);
    if (weighted_metrics(&x, err) || (bw && bandwidth(&x, bw, err)) || coverage(L, err) || replacement(L, err))
        goto done;
    rc = 0;
done:
    free(x.ci);
    free(x.sj);
    return rc;
}
