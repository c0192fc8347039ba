/* problem.c - placement problems: construction, setters, building from ALTO
 * documents, and loading a problem file. */
#include "internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ap_problem *ap_problem_new(size_t nc, size_t ns, ap_error *err)
{
    ap_problem *p;
    size_t i;
    char name[32];

    if (nc == 0 || ns == 0) {
        ap__err(err, AP_EINVAL, NULL, "a problem needs at least one client and one site");
        return NULL;
    }
    if (nc > SIZE_MAX / sizeof(double) / ns) {
        ap__err(err, AP_ENOMEM, NULL, "problem too large");
        return NULL;
    }
    p = calloc(1, sizeof *p);
    if (!p)
        goto oom;
    p->nc = nc;
    p->ns = ns;
    p->f_solver = -1;
    p->max_changes = -1;
    p->f_time_limit = NAN;
    p->f_mip_gap = NAN;
    p->cname = calloc(nc, sizeof *p->cname);
    p->sname = calloc(ns, sizeof *p->sname);
    p->demand = calloc(nc, sizeof *p->demand);
    p->cost = malloc(nc * ns * sizeof *p->cost);
    p->cap = malloc(ns * sizeof *p->cap);
    p->fcost = calloc(ns, sizeof *p->fcost);
    p->model = ap__strdup("p-median");
    if (!p->cname || !p->sname || !p->demand || !p->cost || !p->cap || !p->fcost || !p->model)
        goto oom;
    for (i = 0; i < nc * ns; i++)
        p->cost[i] = INFINITY;
    for (i = 0; i < ns; i++)
        p->cap[i] = INFINITY;
    for (i = 0; i < nc; i++) {
        snprintf(name, sizeof name, "c%zu", i);
        if (!(p->cname[i] = ap__strdup(name)))
            goto oom;
    }
    for (i = 0; i < ns; i++) {
        snprintf(name, sizeof name, "s%zu", i);
        if (!(p->sname[i] = ap__strdup(name)))
            goto oom;
    }
    return p;
oom:
    ap__err(err, AP_ENOMEM, NULL, "out of memory creating a %zu x %zu problem", nc, ns);
    ap_problem_free(p);
    return NULL;
}

void ap_problem_free(ap_problem *p)
{
    size_t i;
    if (!p)
        return;
    for (i = 0; p->cname && i < p->nc; i++)
        free(p->cname[i]);
    for (i = 0; p->sname && i < p->ns; i++)
        free(p->sname[i]);
    for (i = 0; i < p->ninputs; i++) {
        free(p->inputs[i].role);
        free(p->inputs[i].source);
        free(p->inputs[i].resource_id);
        free(p->inputs[i].tag);
    }
    free(p->inputs);
    free(p->cname);
    free(p->sname);
    free(p->demand);
    free(p->cost);
    free(p->cap);
    free(p->fcost);
    free(p->model);
    free(p->metric);
    free(p->mode);
    free(p->pin);
    free(p->existing);
    free(p->mcost);
    free(p);
}

int ap__changes(const ap_problem *p, const unsigned char *open)
{
    size_t j;
    int n = 0;
    for (j = 0; j < p->ns; j++)
        if (open[j] && !(p->existing && p->existing[j]))
            n++;
    return n;
}

int ap__changes_ok(const ap_problem *p, const unsigned char *open)
{
    return p->max_changes < 0 || ap__changes(p, open) <= p->max_changes;
}

static int site_flag(ap_problem *p, unsigned char **arr, size_t j, int on, ap_error *err)
{
    if (!p || j >= p->ns) {
        ap__err(err, AP_EINVAL, NULL, "site index %zu out of range", j);
        return -1;
    }
    if (!*arr && !(*arr = calloc(p->ns, 1))) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    (*arr)[j] = on ? 1 : 0;
    return 0;
}

int ap_problem_set_pinned(ap_problem *p, size_t j, int on, ap_error *err)
{
    return site_flag(p, p ? &p->pin : NULL, j, on, err);
}

int ap_problem_set_existing(ap_problem *p, size_t j, int on, ap_error *err)
{
    return site_flag(p, p ? &p->existing : NULL, j, on, err);
}

int ap_problem_set_max_changes(ap_problem *p, int n, ap_error *err)
{
    if (!p) {
        ap__err(err, AP_EINVAL, NULL, "NULL problem");
        return -1;
    }
    p->max_changes = n < 0 ? -1 : n;
    return 0;
}

int ap__problem_add_input(ap_problem *p, const char *role, const char *source,
                          const char *rid, const char *tag)
{
    ap__input *ni = realloc(p->inputs, (p->ninputs + 1) * sizeof *ni);
    if (!ni)
        return -1;
    p->inputs = ni;
    ni += p->ninputs;
    ni->role = ap__strdup(role);
    ni->source = ap__strdup(source);
    ni->resource_id = ap__strdup(rid);
    ni->tag = ap__strdup(tag);
    ni->age = NAN;
    p->ninputs++;
    return 0;
}

size_t ap_problem_nclients(const ap_problem *p) { return p ? p->nc : 0; }
size_t ap_problem_nsites(const ap_problem *p) { return p ? p->ns : 0; }
int ap_problem_k(const ap_problem *p) { return p ? p->k : 0; }
const char *ap_problem_metric(const ap_problem *p) { return p && p->metric ? p->metric : ""; }
const char *ap_problem_client_name(const ap_problem *p, size_t i)
{
    return p && i < p->nc ? p->cname[i] : NULL;
}
const char *ap_problem_site_name(const ap_problem *p, size_t j)
{
    return p && j < p->ns ? p->sname[j] : NULL;
}

static int set_name(char **slot, const char *name, ap_error *err)
{
    char *d;
    if (!name || !*name) {
        ap__err(err, AP_EINVAL, NULL, "empty name");
        return -1;
    }
    d = ap__strdup(name);
    if (!d) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    free(*slot);
    *slot = d;
    return 0;
}

int ap_problem_set_client_name(ap_problem *p, size_t i, const char *name, ap_error *err)
{
    if (!p || i >= p->nc) {
        ap__err(err, AP_EINVAL, NULL, "client index %zu out of range", i);
        return -1;
    }
    return set_name(&p->cname[i], name, err);
}

int ap_problem_set_site_name(ap_problem *p, size_t j, const char *name, ap_error *err)
{
    if (!p || j >= p->ns) {
        ap__err(err, AP_EINVAL, NULL, "site index %zu out of range", j);
        return -1;
    }
    return set_name(&p->sname[j], name, err);
}

int ap_problem_set_demand(ap_problem *p, size_t i, double d, ap_error *err)
{
    if (!p || i >= p->nc) {
        ap__err(err, AP_EINVAL, NULL, "client index %zu out of range", i);
        return -1;
    }
    if (!isfinite(d) || d < 0) {
        ap__err(err, AP_EINVAL, p->cname[i], "demand %g is negative or not finite", d);
        return -1;
    }
    p->demand[i] = d;
    return 0;
}

int ap_problem_set_cost(ap_problem *p, size_t i, size_t j, double c, ap_error *err)
{
    if (!p || i >= p->nc || j >= p->ns) {
        ap__err(err, AP_EINVAL, NULL, "cost index (%zu, %zu) out of range", i, j);
        return -1;
    }
    if (isnan(c) || c < 0) {
        ap__err(err, AP_EINVAL, NULL, "cost %s -> %s: %g is negative or NaN",
                p->sname[j], p->cname[i], c);
        return -1;
    }
    p->cost[i * p->ns + j] = c;
    return 0;
}

int ap_problem_set_capacity(ap_problem *p, size_t j, double q, ap_error *err)
{
    if (!p || j >= p->ns) {
        ap__err(err, AP_EINVAL, NULL, "site index %zu out of range", j);
        return -1;
    }
    if (isnan(q) || q < 0) {
        ap__err(err, AP_EINVAL, p->sname[j], "capacity %g is negative or NaN", q);
        return -1;
    }
    p->cap[j] = q;
    if (isfinite(q))
        p->has_cap = 1;
    return 0;
}

int ap_problem_set_opening_cost(ap_problem *p, size_t j, double f, ap_error *err)
{
    if (!p || j >= p->ns) {
        ap__err(err, AP_EINVAL, NULL, "site index %zu out of range", j);
        return -1;
    }
    if (!isfinite(f) || f < 0) {
        ap__err(err, AP_EINVAL, p->sname[j], "opening cost %g is negative or not finite", f);
        return -1;
    }
    p->fcost[j] = f;
    if (f > 0)
        p->has_fcost = 1;
    return 0;
}

int ap_problem_set_k(ap_problem *p, int k, ap_error *err)
{
    if (!p || k < 0) {
        ap__err(err, AP_EINVAL, NULL, "k must be >= 0 (0 = free)");
        return -1;
    }
    p->k = k;
    return 0;
}

int ap_problem_set_single_source(ap_problem *p, int on, ap_error *err)
{
    if (!p) {
        ap__err(err, AP_EINVAL, NULL, "NULL problem");
        return -1;
    }
    p->single_source = on ? 1 : 0;
    return 0;
}

void ap_build_opts_init(ap_build_opts *o)
{
    memset(o, 0, sizeof *o);
}

ap_problem *ap_problem_from_alto(const ap_netmap *nm, const ap_costmap *cm,
                                 const ap_propmap *pm,
                                 const char *const *demand_pid,
                                 const double *demand, size_t n,
                                 const ap_build_opts *opts, ap_error *err)
{
    ap_build_opts def;
    ap_problem *p = NULL;
    size_t *cidx = NULL, *sidx = NULL, nc = 0, ns = 0, i, j;
    unsigned char *seen = NULL;

    if (!nm || !cm || (n && (!demand_pid || !demand))) {
        ap__err(err, AP_EINVAL, NULL, "ap_problem_from_alto: network map, cost map and demand are required");
        return NULL;
    }
    if (!opts) {
        ap_build_opts_init(&def);
        opts = &def;
    }
    cidx = malloc((n ? n : 1) * sizeof *cidx);
    sidx = malloc((nm->n ? nm->n : 1) * sizeof *sidx);
    seen = calloc(nm->n ? nm->n : 1, 1);
    if (!cidx || !sidx || !seen) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    for (i = 0; i < n; i++) {
        long k = ap_netmap_find(nm, demand_pid[i]);
        if (k < 0) {
            ap__err(err, AP_EFORMAT, NULL, "demand names PID \"%s\", which is not in network map %s",
                    demand_pid[i], nm->resource_id);
            goto fail;
        }
        if (!isfinite(demand[i]) || demand[i] < 0) {
            ap__err(err, AP_EFORMAT, NULL, "demand of PID %s is %g: must be finite and >= 0",
                    demand_pid[i], demand[i]);
            goto fail;
        }
        if (seen[k]) {
            ap__err(err, AP_EFORMAT, NULL, "demand lists PID %s twice", demand_pid[i]);
            goto fail;
        }
        seen[k] = 1;
        if (demand[i] > 0)
            cidx[nc++] = i;
    }
    if (nc == 0) {
        ap__err(err, AP_EFORMAT, NULL, "demand is empty: no PID has a positive volume");
        goto fail;
    }
    if (opts->candidates) {
        memset(seen, 0, nm->n);
        for (j = 0; j < opts->ncandidates; j++) {
            long k = ap_netmap_find(nm, opts->candidates[j]);
            if (k < 0) {
                ap__err(err, AP_EFORMAT, NULL, "candidate site \"%s\" is not a PID of network map %s",
                        opts->candidates[j], nm->resource_id);
                goto fail;
            }
            if (!seen[k])
                sidx[ns++] = (size_t)k;
            seen[k] = 1;
        }
    } else {
        for (j = 0; j < nm->n; j++)
            sidx[ns++] = j;
    }
    if (ns == 0) {
        ap__err(err, AP_EFORMAT, NULL, "no candidate sites");
        goto fail;
    }
    p = ap_problem_new(nc, ns, err);
    if (!p)
        goto fail;
    for (i = 0; i < nc; i++) {
        long ci = ap_netmap_find(nm, demand_pid[cidx[i]]);
        if (set_name(&p->cname[i], demand_pid[cidx[i]], err))
            goto fail;
        p->demand[i] = demand[cidx[i]];
        for (j = 0; j < ns; j++) {
            double c = opts->client_to_site ? ap_costmap_get(cm, (size_t)ci, sidx[j])
                                            : ap_costmap_get(cm, sidx[j], (size_t)ci);
            p->cost[i * ns + j] = isnan(c) ? INFINITY : c; /* unknown: not allowed */
        }
    }
    for (j = 0; j < ns; j++) {
        if (set_name(&p->sname[j], nm->pid[sidx[j]], err))
            goto fail;
        if (opts->capacity_prop) {
            double q = ap_propmap_get(pm, sidx[j], opts->capacity_prop);
            if (isnan(q)) {
                ap__err(err, AP_EFORMAT, NULL, "candidate site %s has no \"%s\" property in the property map",
                        nm->pid[sidx[j]], opts->capacity_prop);
                goto fail;
            }
            if (ap_problem_set_capacity(p, j, q, err))
                goto fail;
        }
        if (opts->opening_cost_prop) {
            double f = ap_propmap_get(pm, sidx[j], opts->opening_cost_prop);
            if (isnan(f)) {
                ap__err(err, AP_EFORMAT, NULL, "candidate site %s has no \"%s\" property in the property map",
                        nm->pid[sidx[j]], opts->opening_cost_prop);
                goto fail;
            }
            if (ap_problem_set_opening_cost(p, j, f, err))
                goto fail;
        }
    }
    p->metric = ap__strdup(cm->metric);
    p->mode = ap__strdup(cm->mode);
    free(cidx);
    free(sidx);
    free(seen);
    return p;
fail:
    ap_problem_free(p);
    free(cidx);
    free(sidx);
    free(seen);
    return NULL;
}

/* ------------------------------------------------------------ problem file */

static int check_keys(json_t *obj, const char *const *allowed, const char *src,
                      const char *where, ap_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i;
        int ok = 0;
        for (i = 0; allowed[i]; i++)
            if (strcmp(key, allowed[i]) == 0)
                ok = 1;
        if (!ok) {
            ap__err(err, AP_EFORMAT, src, "%s%s: unknown key", where, key);
            return -1;
        }
    }
    return 0;
}

/* Reads the demand object {"PID": volume, ...} into parallel arrays. */
static int read_demand_obj(json_t *obj, const char *src, const char *where,
                           const char ***names, double **vals, size_t *n, ap_error *err)
{
    const char *key;
    json_t *v;
    size_t k = 0;
    if (!json_is_object(obj)) {
        ap__err(err, AP_EFORMAT, src, "%s: not an object of PID -> volume", where);
        return -1;
    }
    *names = malloc((json_object_size(obj) + 1) * sizeof **names);
    *vals = malloc((json_object_size(obj) + 1) * sizeof **vals);
    if (!*names || !*vals) {
        ap__err(err, AP_ENOMEM, src, "out of memory");
        return -1;
    }
    json_object_foreach(obj, key, v) {
        double x;
        if (!json_is_number(v)) {
            ap__err(err, AP_EFORMAT, src, "%s.%s: volume is not a number", where, key);
            return -1;
        }
        x = json_number_value(v);
        if (!isfinite(x) || x < 0) {
            ap__err(err, AP_EFORMAT, src, "%s.%s: volume %g is negative or not finite", where, key, x);
            return -1;
        }
        (*names)[k] = key;
        (*vals)[k] = x;
        k++;
    }
    *n = k;
    return 0;
}

static const char *opt_string(json_t *obj, const char *key, const char *src,
                              const char *where, ap_error *err, int *bad)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return NULL;
    if (!json_is_string(v)) {
        ap__err(err, AP_EFORMAT, src, "%s%s: must be a string", where, key);
        *bad = 1;
        return NULL;
    }
    return json_string_value(v);
}

/* Site indices of the PID names in model.<key> (an array); -1 on error. */
static int site_list(ap_problem *p, json_t *model, const char *key, const char *src,
                     unsigned char **flags, ap_error *err)
{
    json_t *v = json_object_get(model, key), *e;
    size_t i, j;
    if (!v)
        return 0;
    if (!json_is_array(v)) {
        ap__err(err, AP_EFORMAT, src, "model.%s: must be an array of PID names", key);
        return -1;
    }
    if (!*flags && !(*flags = calloc(p->ns, 1))) {
        ap__err(err, AP_ENOMEM, src, "out of memory");
        return -1;
    }
    json_array_foreach(v, i, e) {
        const char *name = json_string_value(e);
        int found = 0;
        if (!name) {
            ap__err(err, AP_EFORMAT, src, "model.%s[%zu]: not a string", key, i);
            return -1;
        }
        for (j = 0; j < p->ns; j++)
            if (strcmp(p->sname[j], name) == 0)
                (*flags)[j] = 1, found = 1;
        if (!found) {
            ap__err(err, AP_EFORMAT, src, "model.%s[%zu]: \"%s\" is not a candidate site "
                    "(not in the network map, not in model.candidates, or forbidden)", key, i, name);
            return -1;
        }
    }
    return 0;
}

/* Removes model.forbidden from the candidate sites (all PIDs by default). */
static int restrict_candidates(json_t *model, const ap_netmap *nm, const char *src,
                               ap_build_opts *bo, const char ***out, ap_error *err)
{
    json_t *fb = json_object_get(model, "forbidden"), *e;
    size_t n = bo->candidates ? bo->ncandidates : nm->n, i, k, m = 0;
    const char **list;
    if (!json_is_array(fb)) {
        ap__err(err, AP_EFORMAT, src, "model.forbidden: must be an array of PID names");
        return -1;
    }
    json_array_foreach(fb, k, e) {
        if (!json_is_string(e) || ap_netmap_find(nm, json_string_value(e)) < 0) {
            ap__err(err, AP_EFORMAT, src, "model.forbidden[%zu]: not a PID of network map %s",
                    k, nm->resource_id);
            return -1;
        }
    }
    list = malloc((n ? n : 1) * sizeof *list);
    if (!list) {
        ap__err(err, AP_ENOMEM, src, "out of memory");
        return -1;
    }
    for (i = 0; i < n; i++) {
        const char *name = bo->candidates ? bo->candidates[i] : nm->pid[i];
        int banned = 0;
        json_array_foreach(fb, k, e)
            if (strcmp(json_string_value(e), name) == 0)
                banned = 1;
        if (!banned)
            list[m++] = name;
    }
    if (m == 0) {
        free(list);
        ap__err(err, AP_EFORMAT, src, "model.forbidden: forbids every candidate site");
        return -1;
    }
    bo->candidates = list;
    bo->ncandidates = m;
    *out = list;
    return 0;
}

/* Applies what ap_problem_from_alto does not know: further cost maps with
 * their weights, a bandwidth map, the coverage bound, and re-placement
 * (existing, pinned, migration cost, max changes). */
static int apply_extensions(ap_problem *p, json_t *root, json_t *model, const ap_netmap *nm,
                            const char *dir, const char *src, int c2s, ap_costmap *const *extra,
                            char *const *extra_src, size_t nextra, ap_error *err)
{
    json_t *cml = json_object_get(json_object_get(root, "alto"), "cost-map");
    json_t *wts = json_object_get(root, "cost-weights"), *v;
    json_t *bw = json_object_get(json_object_get(root, "alto"), "bandwidth-map");
    size_t i, j, k, ncm = nextra ? 1 + nextra : json_is_array(cml) ? json_array_size(cml) : 1;
    long *ci = malloc(p->nc * sizeof *ci), *sj = malloc(p->ns * sizeof *sj);
    int rc = -1;

    if (!ci || !sj) {
        ap__err(err, AP_ENOMEM, src, "out of memory");
        goto done;
    }
    for (i = 0; i < p->nc; i++)
        ci[i] = ap_netmap_find(nm, p->cname[i]);
    for (j = 0; j < p->ns; j++)
        sj[j] = ap_netmap_find(nm, p->sname[j]);
    if (wts && (!json_is_array(wts) || json_array_size(wts) != ncm)) {
        ap__err(err, AP_EFORMAT, src, "cost-weights: must be an array with one weight per %s entry (%zu)",
                nextra ? "cost-metric" : "alto.cost-map", ncm);
        goto done;
    }
    if (!nextra && json_is_array(cml) && ncm > 1 && json_object_get(root, "cost-metric")) {
        ap__err(err, AP_EFORMAT, src, "cost-metric: cannot be checked against several cost maps; use cost-weights");
        goto done;
    }
    for (k = 0; k < ncm; k++) {
        double wk = 1;
        if (wts) {
            v = json_array_get(wts, k);
            if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0) {
                ap__err(err, AP_EFORMAT, src, "cost-weights[%zu]: must be a number >= 0", k);
                goto done;
            }
            wk = json_number_value(v);
        }
        if (k == 0) {
            for (i = 0; i < p->nc * p->ns; i++)
                if (isfinite(p->cost[i]))
                    p->cost[i] *= wk;
        } else {
            /* from the server (extra), or a file of alto.cost-map */
            const char *f = nextra ? extra_src[k - 1] : json_string_value(json_array_get(cml, k));
            char *fp = f ? (nextra ? ap__strdup(f) : ap__path_join(dir, f)) : NULL;
            ap_costmap *cm = nextra ? extra[k - 1] : fp ? ap_costmap_load(fp, nm, err) : NULL;
            char *metric;
            if (!f)
                ap__err(err, AP_EFORMAT, src, "alto.cost-map[%zu]: not a string", k);
            if (!cm || !fp) {
                if (!nextra)
                    ap_costmap_free(cm);
                free(fp);
                if (!fp)
                    ap__err(err, AP_ENOMEM, src, "out of memory");
                goto done;
            }
            for (i = 0; i < p->nc; i++)
                for (j = 0; j < p->ns; j++) {
                    double c = c2s ? ap_costmap_get(cm, (size_t)ci[i], (size_t)sj[j])
                                   : ap_costmap_get(cm, (size_t)sj[j], (size_t)ci[i]);
                    double *x = &p->cost[i * p->ns + j];
                    *x = isnan(c) ? INFINITY : *x + wk * c;
                }
            metric = malloc(strlen(p->metric) + strlen(cm->metric) + 40);
            if (metric) {
                sprintf(metric, "%s + %g*%s", p->metric, wk, cm->metric);
                free(p->metric);
                p->metric = metric;
            }
            if (ap__problem_add_input(p, "cost-map", fp, cm->dep_rid, cm->dep_tag)) {
                if (!nextra)
                    ap_costmap_free(cm);
                free(fp);
                goto done;
            }
            if (!nextra)
                ap_costmap_free(cm);
            free(fp);
        }
    }
    if (bw) {
        /* pairs whose available bandwidth cannot carry the client's demand
         * (same unit as the demand) are not allowed */
        char *fp = json_is_string(bw) ? ap__path_join(dir, json_string_value(bw)) : NULL;
        ap_costmap *cm = fp ? ap_costmap_load(fp, nm, err) : NULL;
        if (!json_is_string(bw))
            ap__err(err, AP_EFORMAT, src, "alto.bandwidth-map: must be a file name");
        if (!cm) {
            free(fp);
            goto done;
        }
        for (i = 0; i < p->nc; i++)
            for (j = 0; j < p->ns; j++) {
                double b = c2s ? ap_costmap_get(cm, (size_t)ci[i], (size_t)sj[j])
                               : ap_costmap_get(cm, (size_t)sj[j], (size_t)ci[i]);
                if (!(b >= p->demand[i]))
                    p->cost[i * p->ns + j] = INFINITY;
            }
        if (ap__problem_add_input(p, "bandwidth-map", fp, cm->dep_rid, cm->dep_tag)) {
            ap_costmap_free(cm);
            free(fp);
            goto done;
        }
        ap_costmap_free(cm);
        free(fp);
    }
    if (strcmp(p->model, "coverage") == 0) {
        double b;
        v = json_object_get(model, "bound");
        if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0) {
            ap__err(err, AP_EFORMAT, src, "model.bound: coverage needs a number >= 0 (the largest cost a client may have)");
            goto done;
        }
        b = json_number_value(v);
        p->mcost = malloc(p->nc * p->ns * sizeof *p->mcost);
        if (!p->mcost) {
            ap__err(err, AP_ENOMEM, src, "out of memory");
            goto done;
        }
        memcpy(p->mcost, p->cost, p->nc * p->ns * sizeof *p->mcost);
        for (i = 0; i < p->nc * p->ns; i++)
            p->cost[i] = p->cost[i] <= b ? 0 : INFINITY;
        if (!p->has_fcost)  /* fewest sites */
            for (j = 0; j < p->ns; j++)
                p->fcost[j] = 1;
        p->has_fcost = 1;
    } else if (json_object_get(model, "bound")) {
        ap__err(err, AP_EFORMAT, src, "model.bound: only for model type coverage");
        goto done;
    }
    if (site_list(p, model, "existing", src, &p->existing, err) ||
        site_list(p, model, "pinned", src, &p->pin, err))
        goto done;
    v = json_object_get(model, "migration-cost");
    if (v) {
        if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0) {
            ap__err(err, AP_EFORMAT, src, "model.migration-cost: must be a number >= 0");
            goto done;
        }
        for (j = 0; j < p->ns; j++)
            if (!(p->existing && p->existing[j]))
                p->fcost[j] += json_number_value(v);
        if (json_number_value(v) > 0)
            p->has_fcost = 1;
    }
    v = json_object_get(model, "max-changes");
    if (v) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000) {
            ap__err(err, AP_EFORMAT, src, "model.max-changes: must be an integer >= 0");
            goto done;
        }
        p->max_changes = (int)json_integer_value(v);
    }
    rc = 0;
done:
    free(ci);
    free(sj);
    return rc;
}

/* Demand from request logs: `cfg` is the problem's {"log": ..., ...} object,
 * or NULL with `requests` a log path given on the command line.  Fills
 * parallel arrays of PID names (borrowed from nm) and weights. */
static int demand_from_log(const ap_netmap *nm, const char *dir, const char *src, json_t *cfg,
                           const char *requests, const char ***names, double **vals, size_t *n,
                           char **dpath, ap_error *err)
{
    static const char *const keys[] = {"log", "flows", "sites", "format", "map", "weight", "bucket",
                                       "forecast", "season", "max-bad", NULL};
    ap_demand_opts o;
    ap_demand *d = NULL;
    json_t *logs = cfg ? json_object_get(cfg, "log") : NULL, *v;
    const char **paths = NULL;
    char **owned = NULL;
    size_t np = 0, i, k = 0;
    double *next = NULL;
    int bytes = 0, forecast = 0, rc = -1;
    size_t season = 0;

    ap_demand_opts_init(&o);
    if (cfg) {
        if (check_keys(cfg, keys, src, "demand.", err))
            return -1;
        np = json_is_array(logs) ? json_array_size(logs) : json_is_string(logs) ? 1 : 0;
        if (json_object_get(cfg, "flows")) {
            if (logs || !json_is_string(json_object_get(cfg, "flows")) ||
                !json_is_string(json_object_get(cfg, "sites"))) {
                ap__err(err, AP_EFORMAT, src, "demand.flows: needs demand.sites (file names), and no demand.log");
                return -1;
            }
            np = 1;
        } else if (np == 0) {
            ap__err(err, AP_EFORMAT, src, "demand.log: must be a file name or a non-empty array of them");
            return -1;
        }
        if ((v = json_object_get(cfg, "format"))) {
            if (!json_is_string(v)) {
                ap__err(err, AP_EFORMAT, src, "demand.format: must be a string");
                return -1;
            }
            o.format = json_string_value(v);
        }
        if ((v = json_object_get(cfg, "map"))) {
            if (!json_is_string(v)) {
                ap__err(err, AP_EFORMAT, src, "demand.map: must be a string like time=ts,addr=ip,bytes=size");
                return -1;
            }
            o.map = json_string_value(v);
        }
        if ((v = json_object_get(cfg, "weight"))) {
            const char *w = json_string_value(v);
            if (!w || (strcmp(w, "requests") && strcmp(w, "bytes"))) {
                ap__err(err, AP_EFORMAT, src, "demand.weight: must be \"requests\" or \"bytes\"");
                return -1;
            }
            bytes = !strcmp(w, "bytes");
        }
        if ((v = json_object_get(cfg, "bucket"))) {
            if (!json_is_number(v) || json_number_value(v) < 0) {
                ap__err(err, AP_EFORMAT, src, "demand.bucket: must be a number of seconds >= 0");
                return -1;
            }
            o.bucket = json_number_value(v);
        }
        if ((v = json_object_get(cfg, "max-bad"))) {
            if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1) {
                ap__err(err, AP_EFORMAT, src, "demand.max-bad: must be a fraction in [0, 1]");
                return -1;
            }
            o.max_bad = json_number_value(v);
        }
        if ((v = json_object_get(cfg, "forecast")))
            forecast = json_is_true(v);
        if ((v = json_object_get(cfg, "season"))) {
            if (!json_is_integer(v) || json_integer_value(v) < 0) {
                ap__err(err, AP_EFORMAT, src, "demand.season: must be a number of buckets >= 0");
                return -1;
            }
            season = (size_t)json_integer_value(v);
        }
    } else {
        np = 1;
    }
    paths = calloc(np, sizeof *paths);
    owned = calloc(np, sizeof *owned);
    *names = malloc((nm->n ? nm->n : 1) * sizeof **names);
    *vals = malloc((nm->n ? nm->n : 1) * sizeof **vals);
    next = malloc((nm->n ? nm->n : 1) * sizeof *next);
    if (!paths || !owned || !*names || !*vals || !next) {
        ap__err(err, AP_ENOMEM, src, "out of memory");
        goto done;
    }
    for (i = 0; i < np && !(cfg && json_object_get(cfg, "flows")); i++) {
        const char *f = requests ? requests
                        : json_is_array(logs) ? json_string_value(json_array_get(logs, i))
                                              : json_string_value(logs);
        if (!f) {
            ap__err(err, AP_EFORMAT, src, "demand.log[%zu]: not a string", i);
            goto done;
        }
        owned[i] = requests || !strcmp(f, "-") ? ap__strdup(f) : ap__path_join(dir, f);
        paths[i] = owned[i];
    }
    if (cfg && json_object_get(cfg, "flows")) {
        char *fp = ap__path_join(dir, json_string_value(json_object_get(cfg, "flows")));
        char *sp = ap__path_join(dir, json_string_value(json_object_get(cfg, "sites")));
        d = fp && sp ? ap_demand_read_flows(nm, fp, sp, &o, err) : NULL;
        owned[0] = fp;
        paths[0] = fp;
        free(sp);
    } else {
        d = ap_demand_read(nm, paths, np, &o, err);
    }
    if (!d)
        goto done;
    if (forecast && ap_demand_forecast(d, bytes, season, next, NULL, err))
        goto done;
    for (i = 0; i < nm->n; i++) {
        double w = forecast ? next[i] : ap_demand_total(d, i, bytes);
        if (w > 0) {
            (*names)[k] = nm->pid[i];
            (*vals)[k] = w;
            k++;
        }
    }
    *n = k;
    *dpath = ap__strdup(paths[0]);
    rc = 0;
done:
    ap_demand_free(d);
    for (i = 0; owned && i < np; i++)
        free(owned[i]);
    free(owned);
    free(paths);
    free(next);
    return rc;
}

/* The cost map from the server.  When the directory offers the metric only
 * as a filtered cost map, asks for just the pairs the problem uses: the
 * candidate sites (model.candidates, else all) and the PIDs with demand
 * (inline or a demand file; with request logs, all pairs). */
static ap_costmap *server_costmap(ap_alto *client, const ap_netmap *nm, json_t *root, json_t *model,
                                  const char *dir, const char *metric, const char *mode, const char *cmid,
                                  int c2s, char **uri, ap_error *err)
{
    const char *fid = NULL, *key, **cl = NULL, **si = NULL;
    json_t *dem = json_object_get(root, "demand"), *dj = NULL, *dobj = NULL, *v;
    json_t *cands = json_object_get(model, "candidates");
    size_t nc = 0, ns = 0, i;
    ap_costmap *cm = NULL;
    if (cmid || !metric || ap__alto_find_costmap(client, nm, metric, mode, 0) ||
        !(fid = ap__alto_find_costmap(client, nm, metric, mode, 1)))
        return ap__alto_costmap(client, nm, metric, mode, cmid, uri, err);
    if (json_is_object(dem) && !json_object_get(dem, "log") && !json_object_get(dem, "flows")) {
        dobj = dem;
    } else if (json_is_string(dem)) {
        char *dp = ap__path_join(dir, json_string_value(dem));
        dj = dp ? json_load_file(dp, 0, NULL) : NULL;
        dobj = json_object_get(dj, "demand");
        free(dp);
    }
    if (!json_is_object(dobj) || (cands && !json_is_array(cands))) {
        json_decref(dj); /* whatever is wrong is reported later; take all pairs */
        return ap__alto_costmap(client, nm, metric, mode, NULL, uri, err);
    }
    cl = malloc((json_object_size(dobj) + 1) * sizeof *cl);
    si = malloc((json_array_size(cands) + 1) * sizeof *si);
    if (!cl || !si) {
        ap__err(err, AP_ENOMEM, ap_alto_uri(client), "out of memory");
        goto out;
    }
    json_object_foreach(dobj, key, v)
        if (json_number_value(v) > 0)
            cl[nc++] = key;
    json_array_foreach(cands, i, v)
        if (json_is_string(v))
            si[ns++] = json_string_value(v);
    cm = c2s ? ap_alto_costmap_filtered(client, nm, metric, mode, cl, nc, si, ns, NULL, 0, fid, err)
             : ap_alto_costmap_filtered(client, nm, metric, mode, si, ns, cl, nc, NULL, 0, fid, err);
    if (cm && !(*uri = ap__alto_resource_uri(client, fid))) {
        ap__err(err, AP_ENOMEM, ap_alto_uri(client), "out of memory");
        ap_costmap_free(cm);
        cm = NULL;
    }
out:
    free(cl);
    free(si);
    json_decref(dj);
    return cm;
}

static ap_problem *load(const char *path, const ap_load_opts *lo, ap_error *err);

ap_problem *ap_problem_load(const char *path, ap_error *err)
{
    return ap_problem_load_opts(path, NULL, err);
}

void ap_load_opts_init(ap_load_opts *o)
{
    memset(o, 0, sizeof *o);
}

ap_problem *ap_problem_load_opts(const char *path, const ap_load_opts *o, ap_error *err)
{
    ap_load_opts def;
    if (!o) {
        ap_load_opts_init(&def);
        o = &def;
    }
    return load(path, o, err);
}

static ap_problem *load(const char *path, const ap_load_opts *lo, ap_error *err)
{
    static const char *const top_keys[] = {"name", "description", "alto", "cost-metric",
        "cost-weights", "cost-direction", "demand", "model", "solver", NULL};
    static const char *const alto_keys[] = {"network-map", "cost-map", "property-map",
        "bandwidth-map", "ird", "cost-mode", "timeout", "cache", "allow-stale", "auth-file", "compat",
        "cacert", "cert", "key", "cost-source", NULL};
    static const char *const model_keys[] = {"type", "k", "candidates", "single-source",
        "capacity-property", "opening-cost-property", "bound", "existing", "pinned",
        "forbidden", "migration-cost", "max-changes", NULL};
    static const char *const solver_keys[] = {"method", "time-limit", "mip-gap", NULL};
    char *buf = NULL, *dir = NULL, *nmpath = NULL, *cmpath = NULL, *pmpath = NULL, *dpath = NULL;
    char *dbuf = NULL;
    json_t *root = NULL, *alto, *model, *solver, *dem, *droot = NULL, *v;
    ap_netmap *nm = NULL;
    ap_costmap *cm = NULL;
    ap_propmap *pm = NULL;
    ap_problem *p = NULL;
    const char **dnames = NULL, **cands = NULL, **cands2 = NULL;
    const char *ird = NULL, *requests = lo->requests, *alto_uri = lo->alto_uri;
    ap_alto *client = NULL;
    char *cachepath = NULL, *authpath = NULL, *capath = NULL, *certpath = NULL, *keypath = NULL;
    double nm_age = NAN, cm_age = NAN;
    size_t first_input;
    double *dvals = NULL;
    size_t dn = 0, len;
    ap_build_opts bo;
    const char *type, *s;
    int bad = 0, k = 0, ss = 0, borrowed = 0;
    ap_costmap *extra[8] = {0};  /* further metrics from the server (cost-metric list) */
    char *extra_src[8] = {0};
    size_t nextra = 0, xi;
    json_t *cmet;

    buf = ap__read_file(path, &len, err);
    if (!buf)
        return NULL;
    root = ap__json_parse_object(buf, len, path, err);
    if (!root)
        goto fail;
    if (check_keys(root, top_keys, path, "", err))
        goto fail;
    dir = ap__dirname(path);
    alto = json_object_get(root, "alto");
    if (!json_is_object(alto)) {
        ap__err(err, AP_EFORMAT, path, "alto: missing or not an object naming network-map and cost-map");
        goto fail;
    }
    if (check_keys(alto, alto_keys, path, "alto.", err))
        goto fail;
    ird = alto_uri ? alto_uri : opt_string(alto, "ird", path, "alto.", err, &bad);
    if (bad)
        goto fail;
    if (ird) {
        /* from an ALTO server: network-map and cost-map, if given, are
         * resource ids of its directory */
        if (json_object_get(alto, "bandwidth-map") || json_is_array(json_object_get(alto, "cost-map"))) {
            ap__err(err, AP_EFORMAT, path, "alto: bandwidth maps and several cost maps are read from "
                    "files only for now; drop them or use files instead of alto.ird");
            goto fail;
        }
        goto alto_done;
    }
    s = opt_string(alto, "network-map", path, "alto.", err, &bad);
    if (!s) {
        if (!bad)
            ap__err(err, AP_EFORMAT, path, "alto.network-map: missing (a file, or give alto.ird)");
        goto fail;
    }
    nmpath = ap__path_join(dir, s);
    v = json_object_get(alto, "cost-map");
    if (json_is_array(v) && json_array_size(v) > 0) {
        /* several metrics: the first builds the problem, the others are
         * combined with it by apply_extensions() */
        s = json_string_value(json_array_get(v, 0));
        if (!s) {
            ap__err(err, AP_EFORMAT, path, "alto.cost-map[0]: not a string");
            goto fail;
        }
    } else {
        s = opt_string(alto, "cost-map", path, "alto.", err, &bad);
    }
    if (!s) {
        if (!bad)
            ap__err(err, AP_EFORMAT, path, "alto.cost-map: missing");
        goto fail;
    }
    cmpath = ap__path_join(dir, s);
    s = opt_string(alto, "property-map", path, "alto.", err, &bad);
    if (bad)
        goto fail;
    if (s)
        pmpath = ap__path_join(dir, s);
alto_done:

    model = json_object_get(root, "model");
    if (!json_is_object(model)) {
        ap__err(err, AP_EFORMAT, path, "model: missing or not an object");
        goto fail;
    }
    if (check_keys(model, model_keys, path, "model.", err))
        goto fail;
    type = opt_string(model, "type", path, "model.", err, &bad);
    if (!type) {
        if (!bad)
            ap__err(err, AP_EFORMAT, path, "model.type: missing (p-median, facility-location or capacitated-facility-location)");
        goto fail;
    }
    if (strcmp(type, "p-median") && strcmp(type, "facility-location") &&
        strcmp(type, "capacitated-facility-location") && strcmp(type, "coverage")) {
        ap__err(err, AP_EFORMAT, path, "model.type: \"%s\" is not one of p-median, facility-location, "
                "capacitated-facility-location, coverage", type);
        goto fail;
    }
    v = json_object_get(model, "k");
    if (v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000) {
            ap__err(err, AP_EFORMAT, path, "model.k: must be a positive integer");
            goto fail;
        }
        k = (int)json_integer_value(v);
    } else if (strcmp(type, "p-median") == 0) {
        ap__err(err, AP_EFORMAT, path, "model.k: required for p-median (number of sites to open)");
        goto fail;
    }
    v = json_object_get(model, "single-source");
    if (v) {
        if (!json_is_boolean(v)) {
            ap__err(err, AP_EFORMAT, path, "model.single-source: must be true or false");
            goto fail;
        }
        ss = json_is_true(v);
    }
    ap_build_opts_init(&bo);
    if (strcmp(type, "p-median")) {
        bo.opening_cost_prop = opt_string(model, "opening-cost-property", path, "model.", err, &bad);
        if (bad)
            goto fail;
        if (!bo.opening_cost_prop && !json_object_get(model, "opening-cost-property") && !k &&
            strcmp(type, "coverage"))
            bo.opening_cost_prop = "opening-cost";
    }
    if (strcmp(type, "capacitated-facility-location") == 0 ||
        (strcmp(type, "coverage") == 0 && json_object_get(model, "capacity-property"))) {
        bo.capacity_prop = opt_string(model, "capacity-property", path, "model.", err, &bad);
        if (bad)
            goto fail;
        if (!bo.capacity_prop)
            bo.capacity_prop = "capacity";
    }
    if ((bo.capacity_prop || bo.opening_cost_prop) && !pmpath && !ird) {
        ap__err(err, AP_EFORMAT, path, "alto.property-map: required by model %s (site %s)", type,
                bo.capacity_prop ? "capacities" : "opening costs");
        goto fail;
    }
    v = json_object_get(model, "candidates");
    if (v) {
        size_t i;
        json_t *e;
        if (!json_is_array(v) || json_array_size(v) == 0) {
            ap__err(err, AP_EFORMAT, path, "model.candidates: must be a non-empty array of PID names");
            goto fail;
        }
        cands = malloc(json_array_size(v) * sizeof *cands);
        if (!cands)
            goto oom;
        json_array_foreach(v, i, e) {
            if (!json_is_string(e)) {
                ap__err(err, AP_EFORMAT, path, "model.candidates[%zu]: not a string", i);
                goto fail;
            }
            cands[i] = json_string_value(e);
        }
        bo.candidates = cands;
        bo.ncandidates = json_array_size(v);
    }
    s = opt_string(root, "cost-direction", path, "", err, &bad);
    if (bad)
        goto fail;
    if (s) {
        if (strcmp(s, "client-to-site") == 0)
            bo.client_to_site = 1;
        else if (strcmp(s, "site-to-client") != 0) {
            ap__err(err, AP_EFORMAT, path, "cost-direction: must be site-to-client or client-to-site");
            goto fail;
        }
    }

    /* the ALTO documents */
    if (ird) {
        ap_alto_opts ao;
        const char *metric = json_is_array(json_object_get(root, "cost-metric"))
                                 ? json_string_value(json_array_get(json_object_get(root, "cost-metric"), 0))
                                 : opt_string(root, "cost-metric", path, "", err, &bad);
        const char *mode = opt_string(alto, "cost-mode", path, "alto.", err, &bad);
        const char *nmid = alto_uri ? NULL : opt_string(alto, "network-map", path, "alto.", err, &bad);
        const char *cmid = alto_uri ? NULL : opt_string(alto, "cost-map", path, "alto.", err, &bad);
        json_t *to = json_object_get(alto, "timeout");
        if (bad)
            goto fail;
        if (!metric && !cmid) {
            ap__err(err, AP_EFORMAT, path, "cost-metric: needed to choose a cost map from the ALTO server");
            goto fail;
        }
        const char *cache = opt_string(alto, "cache", path, "alto.", err, &bad);
        const char *authf = opt_string(alto, "auth-file", path, "alto.", err, &bad);
        if (bad)
            goto fail;
        ap_alto_opts_init(&ao);
        if (json_is_number(to) && json_number_value(to) > 0)
            ao.timeout = json_number_value(to);
        if (cache && !(cachepath = ap__path_join(dir, cache)))
            goto oom;
        if (authf && !(authpath = ap__path_join(dir, authf)))
            goto oom;
        ao.cache_dir = lo->alto_cache ? lo->alto_cache : cachepath;
        ao.auth_file = authpath;
        ao.allow_stale = lo->allow_stale || json_is_true(json_object_get(alto, "allow-stale"));
        {
            const char *cp = opt_string(alto, "compat", path, "alto.", err, &bad);
            if (bad || (cp && strcmp(cp, "strict") && strcmp(cp, "lenient"))) {
                ap__err(err, AP_EFORMAT, path, "alto.compat: must be \"strict\" or \"lenient\"");
                goto fail;
            }
            ao.compat = lo->alto_compat || (cp && !strcmp(cp, "lenient"));
        }
        ao.log = lo->log;
        ao.log_ud = lo->log_ud;
        {
            const char *ca = opt_string(alto, "cacert", path, "alto.", err, &bad);
            if (bad)
                goto fail;
            if (ca && !(capath = ap__path_join(dir, ca)))
                goto oom;
            ao.cacert = lo->cacert ? lo->cacert : capath;
        }
        {
            const char *ce = opt_string(alto, "cert", path, "alto.", err, &bad);
            const char *ke = opt_string(alto, "key", path, "alto.", err, &bad);
            if (bad)
                goto fail;
            if ((ce && !(certpath = ap__path_join(dir, ce))) || (ke && !(keypath = ap__path_join(dir, ke))))
                goto oom;
            ao.client_cert = lo->client_cert ? lo->client_cert : certpath;
            ao.client_key = lo->client_cert ? lo->client_key : keypath;
            ao.cost_source = opt_string(alto, "cost-source", path, "alto.", err, &bad);
            if (bad)
                goto fail;
        }
        client = ap_alto_open(ird, &ao, err);
        if (!client)
            goto fail;
        if (lo->netmap && lo->costmap) {
            /* the caller's maps (e.g. an update stream's); the server still
             * gives the property map */
            nm = (ap_netmap *)lo->netmap;
            cm = (ap_costmap *)lo->costmap;
            borrowed = 1;
            free(nmpath);
            free(cmpath);
            if (!(nmpath = ap__strdup(lo->maps_source ? lo->maps_source : ird)) ||
                !(cmpath = ap__strdup(lo->maps_source ? lo->maps_source : ird)))
                goto oom;
        } else {
            if (!(nm = ap__alto_netmap(client, nmid, &nmpath, err)))
                goto fail;
            nm_age = ap_alto_last_age(client);
            if (!(cm = server_costmap(client, nm, root, model, dir, metric, mode, cmid, bo.client_to_site, &cmpath,
                                      err)))
                goto fail;
            cm_age = ap_alto_last_age(client);
            cmet = json_object_get(root, "cost-metric");
            if (json_is_array(cmet) && json_array_size(cmet) > 1) {
                /* several metrics: one multi-cost request (RFC 8189) when the
                 * server offers it, else one cost map per metric */
                size_t nm_ = json_array_size(cmet);
                const char *ms[9];
                ap_costmap *outs[9];
                ap_error me;
                if (nm_ > 9) {
                    ap__err(err, AP_EFORMAT, path, "cost-metric: at most 9 metrics");
                    goto fail;
                }
                for (xi = 0; xi < nm_; xi++)
                    if (!(ms[xi] = json_string_value(json_array_get(cmet, xi)))) {
                        ap__err(err, AP_EFORMAT, path, "cost-metric[%zu]: not a string", xi);
                        goto fail;
                    }
                ap_error_clear(&me);
                if (ap_alto_costmaps_multi(client, nm, ms, nm_, mode, outs, &me) == 0) {
                    ap_costmap_free(outs[0]); /* the same values as cm */
                    for (xi = 1; xi < nm_; xi++) {
                        extra[nextra] = outs[xi];
                        if (!(extra_src[nextra++] = ap__strdup(cmpath)))
                            goto oom;
                    }
                } else {
                    for (xi = 1; xi < nm_; xi++) {
                        char *u = NULL;
                        if (!(extra[nextra] = ap__alto_costmap(client, nm, ms[xi], mode, NULL, &u, err))) {
                            free(u);
                            goto fail;
                        }
                        extra_src[nextra++] = u;
                    }
                }
            }
        }
    } else if (lo->netmap && lo->costmap) {
        nm = (ap_netmap *)lo->netmap;
        cm = (ap_costmap *)lo->costmap;
        borrowed = 1;
        free(nmpath);
        free(cmpath);
        if (!(nmpath = ap__strdup(lo->maps_source ? lo->maps_source : path)) ||
            !(cmpath = ap__strdup(lo->maps_source ? lo->maps_source : path)))
            goto oom;
    } else {
        nm = ap_netmap_load(nmpath, err);
        if (!nm)
            goto fail;
        cm = ap_costmap_load(cmpath, nm, err);
        if (!cm)
            goto fail;
    }
    cmet = json_object_get(root, "cost-metric");
    if (json_is_array(cmet) && json_array_size(cmet) > 1 && !nextra) {
        ap__err(err, AP_EFORMAT, path, "cost-metric: a list of metrics is read from an ALTO server (alto.ird, not "
                "an update stream); with files, list the cost maps in alto.cost-map");
        goto fail;
    }
    for (xi = 0; xi < nextra; xi++) {
        ap_metric_info mi;
        if (ap_metric_parse(extra[xi]->metric, &mi, err))
            goto fail;
        if (mi.higher_is_better) {
            ap__err(err, AP_EFORMAT, path, "cost-metric %s: more is better (%s), so it cannot be a cost",
                    extra[xi]->metric, mi.unit);
            goto fail;
        }
    }
    s = json_is_array(cmet) ? json_string_value(json_array_get(cmet, 0)) : opt_string(root, "cost-metric", path, "", err, &bad);
    if (bad)
        goto fail;
    {
        /* RFC 9439 names; a higher-is-better metric is not a cost */
        ap_metric_info mi;
        const char *m = s ? s : cm->metric;
        if (m && ap_metric_parse(m, &mi, err)) {
            if (err)
                snprintf(err->source, sizeof err->source, "%s", s ? path : cmpath);
            goto fail;
        }
        if (m && mi.higher_is_better) {
            ap__err(err, AP_EFORMAT, s ? path : cmpath, "cost-metric %s: more is better (%s), so it cannot be the "
                    "cost to minimise; give it as alto.bandwidth-map to exclude pairs that lack bandwidth", m,
                    mi.unit);
            goto fail;
        }
    }
    if (s && strcmp(s, cm->metric) != 0) {
        ap__err(err, AP_EFORMAT, cmpath, "cost map has metric \"%s\" but the problem %s asks for \"%s\"",
                cm->metric, path, s);
        goto fail;
    }
    if (ird && (bo.capacity_prop || bo.opening_cost_prop)) {
        if (!(pm = ap__alto_propmap(client, nm, NULL, &pmpath, err)))
            goto fail;
    } else if (pmpath && !(pm = ap_propmap_load(pmpath, nm, err)))
        goto fail;
    if (json_object_get(model, "forbidden") &&
        restrict_candidates(model, nm, path, &bo, &cands2, err))
        goto fail;

    /* demand: a file name or an inline object */
    dem = json_object_get(root, "demand");
    if (requests || (json_is_object(dem) && (json_object_get(dem, "log") || json_object_get(dem, "flows")))) {
        if (demand_from_log(nm, dir, path, requests ? NULL : dem, requests, &dnames, &dvals, &dn,
                            &dpath, err))
            goto fail;
    } else if (json_is_string(dem)) {
        json_t *dobj;
        dpath = ap__path_join(dir, json_string_value(dem));
        dbuf = ap__read_file(dpath, &len, err);
        if (!dbuf)
            goto fail;
        droot = ap__json_parse(dbuf, len, dpath, err);
        if (!droot)
            goto fail;
        dobj = json_object_get(droot, "demand");
        if (!dobj) {
            ap__err(err, AP_EFORMAT, dpath, "demand: missing (expected {\"demand\": {\"PID\": volume, ...}})");
            goto fail;
        }
        if (read_demand_obj(dobj, dpath, "demand", &dnames, &dvals, &dn, err))
            goto fail;
    } else if (json_is_object(dem)) {
        if (read_demand_obj(dem, path, "demand", &dnames, &dvals, &dn, err))
            goto fail;
    } else {
        ap__err(err, AP_EFORMAT, path, "demand: missing; give a file name or an object PID -> volume");
        goto fail;
    }

    p = ap_problem_from_alto(nm, cm, pm, dnames, dvals, dn, &bo, err);
    if (!p) {
        if (err && !err->source[0])
            snprintf(err->source, sizeof err->source, "%s", dpath ? dpath : path);
        goto fail;
    }
    free(p->model);
    p->model = ap__strdup(type);
    p->k = k;
    p->single_source = ss;
    if (apply_extensions(p, root, model, nm, dir, path, bo.client_to_site, extra, extra_src, nextra, err))
        goto fail;
    first_input = p->ninputs;
    if (ap__problem_add_input(p, "network-map", nmpath, nm->resource_id, nm->vtag) ||
        ap__problem_add_input(p, "cost-map", cmpath, cm->dep_rid ? cm->dep_rid : "", cm->dep_tag) ||
        (pmpath && ap__problem_add_input(p, "property-map", pmpath, NULL, NULL)) ||
        ap__problem_add_input(p, "demand", dpath ? dpath : path, NULL, NULL) ||
        !p->model)
        goto oom;
    /* maps from a failing ALTO server's cache: say how old they are */
    p->inputs[first_input].age = nm_age;
    p->inputs[first_input + 1].age = cm_age;

    solver = json_object_get(root, "solver");
    if (solver) {
        if (!json_is_object(solver) || check_keys(solver, solver_keys, path, "solver.", err)) {
            ap__err(err, AP_EFORMAT, path, "solver: must be an object");
            goto fail;
        }
        s = opt_string(solver, "method", path, "solver.", err, &bad);
        if (bad)
            goto fail;
        if (s) {
            if (!strcmp(s, "auto")) p->f_solver = AP_SOLVER_AUTO;
            else if (!strcmp(s, "ilp")) p->f_solver = AP_SOLVER_ILP;
            else if (!strcmp(s, "greedy")) p->f_solver = AP_SOLVER_GREEDY;
            else {
                ap__err(err, AP_EFORMAT, path, "solver.method: \"%s\" is not auto, ilp or greedy", s);
                goto fail;
            }
        }
        v = json_object_get(solver, "time-limit");
        if (v) {
            if (!json_is_number(v) || json_number_value(v) <= 0) {
                ap__err(err, AP_EFORMAT, path, "solver.time-limit: must be a positive number of seconds");
                goto fail;
            }
            p->f_time_limit = json_number_value(v);
        }
        v = json_object_get(solver, "mip-gap");
        if (v) {
            if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) >= 1) {
                ap__err(err, AP_EFORMAT, path, "solver.mip-gap: must be a number in [0, 1)");
                goto fail;
            }
            p->f_mip_gap = json_number_value(v);
        }
    }
    goto done;
oom:
    ap__err(err, AP_ENOMEM, path, "out of memory");
fail:
    ap_problem_free(p);
    p = NULL;
done:
    if (!borrowed) {
        ap_netmap_free(nm);
        ap_costmap_free(cm);
    }
    for (xi = 0; xi < nextra; xi++) {
        ap_costmap_free(extra[xi]);
        free(extra_src[xi]);
    }
    ap_propmap_free(pm);
    ap_alto_free(client);
    free(cachepath);
    free(authpath);
    free(capath);
    free(certpath);
    free(keypath);
    json_decref(root);
    json_decref(droot);
    free(buf);
    free(dbuf);
    free(dir);
    free(nmpath);
    free(cmpath);
    free(pmpath);
    free(dpath);
    free(dnames);
    free(dvals);
    free(cands);
    free(cands2);
    return p;
}

void ap_problem_apply_solve_opts(const ap_problem *p, ap_solve_opts *o)
{
    if (!p || !o)
        return;
    if (p->f_solver >= 0)
        o->solver = (ap_solver)p->f_solver;
    if (!isnan(p->f_time_limit))
        o->time_limit = p->f_time_limit;
    if (!isnan(p->f_mip_gap))
        o->mip_gap = p->f_mip_gap;
}

/* Largest relative change between two problems' demand and costs, matched
 * by client and site name; INFINITY when the clients, sites or allowed pairs
 * differ. */
double ap_problem_difference(const ap_problem *a, const ap_problem *b)
{
    size_t i, j, bi, bj;
    double worst = 0;
    if (!a || !b || a->nc != b->nc || a->ns != b->ns)
        return INFINITY;
    for (i = 0; i < a->nc; i++) {
        for (bi = 0; bi < b->nc && strcmp(a->cname[i], b->cname[bi]); bi++)
            ;
        if (bi == b->nc)
            return INFINITY;
        {
            double da = a->demand[i], db = b->demand[bi];
            double r = fabs(da - db) / fmax(fabs(da), 1e-12);
            if (r > worst)
                worst = r;
        }
        for (j = 0; j < a->ns; j++) {
            double ca, cb, r;
            for (bj = 0; bj < b->ns && strcmp(a->sname[j], b->sname[bj]); bj++)
                ;
            if (bj == b->ns)
                return INFINITY;
            ca = a->cost[i * a->ns + j];
            cb = b->cost[bi * b->ns + bj];
            if (isinf(ca) != isinf(cb))
                return INFINITY;
            if (isinf(ca))
                continue;
            r = fabs(ca - cb) / fmax(fabs(ca), 1e-12);
            if (r > worst)
                worst = r;
        }
    }
    return worst;
}

int ap_problem_pin_sites_of(ap_problem *p, const ap_plan *plan, ap_error *err)
{
    size_t k, j, n = 0;
    if (!p || !plan) {
        ap__err(err, AP_EINVAL, NULL, "NULL argument");
        return -1;
    }
    for (k = 0; k < plan->nsites; k++) {
        const char *name = plan->p->sname[plan->sites[k]];
        for (j = 0; j < p->ns; j++)
            if (!strcmp(p->sname[j], name)) {
                if (ap_problem_set_pinned(p, j, 1, err))
                    return -1;
                n++;
            }
    }
    return (int)n;
}
