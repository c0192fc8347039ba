/* load.c - a problem file into an ap_problem: the stages of ap__loader in
 * order (file, alto section, model section, maps, demand, build,
 * extensions, provenance, solver section), and the public entry points. */
#include "load_int.h"
#include "alto/alto_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ap__opt_string(json_t *obj, const char *key, const char *src, const char *where, ap_error *err,
                           int *bad)
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

#define OPT(obj, key, where) ap__opt_string(obj, key, L->path, where, err, &bad)

static int read_root(ap__loader *L, ap_error *err)
{
    static const char *const top_keys[] = {"name", "description", "alto", "cost-metric", "cost-weights",
                                           "cost-direction", "demand", "model", "solver", NULL};
    if (L->lo->text)
        L->root = ap__json_parse_object(L->lo->text, strlen(L->lo->text), L->path, err);
    else
        L->root = ap__json_load_object(L->path, err);
    if (!L->root || ap__check_keys(L->root, top_keys, L->path, "", err))
        return -1;
    if (!(L->dir = L->lo->text ? ap__strdup(L->lo->base_dir ? L->lo->base_dir : ".") : ap__dirname(L->path))) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return -1;
    }
    return 0;
}

/* model.type, k, single-source; the property names of capacities and
 * opening costs. */
static int model_type(ap__loader *L, ap_error *err)
{
    json_t *v;
    int bad = 0;
    if (!(L->type = OPT(L->model, "type", "model."))) {
        if (!bad)
            ap__err(err, AP_EFORMAT, L->path, "model.type: missing (p-median, facility-location or "
                    "capacitated-facility-location)");
        return -1;
    }
    if (strcmp(L->type, "p-median") && strcmp(L->type, "facility-location") &&
        strcmp(L->type, "capacitated-facility-location") && strcmp(L->type, "coverage")) {
        ap__err(err, AP_EFORMAT, L->path, "model.type: \"%s\" is not one of p-median, facility-location, "
                "capacitated-facility-location, coverage", L->type);
        return -1;
    }
    if ((v = json_object_get(L->model, "k"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000) {
            ap__err(err, AP_EFORMAT, L->path, "model.k: must be a positive integer");
            return -1;
        }
        L->k = (int)json_integer_value(v);
    } else if (strcmp(L->type, "p-median") == 0) {
        ap__err(err, AP_EFORMAT, L->path, "model.k: required for p-median (number of sites to open)");
        return -1;
    }
    if ((v = json_object_get(L->model, "single-source"))) {
        if (!json_is_boolean(v)) {
            ap__err(err, AP_EFORMAT, L->path, "model.single-source: must be true or false");
            return -1;
        }
        L->ss = json_is_true(v);
    }
    if (strcmp(L->type, "p-median")) {
        L->bo.opening_cost_prop = OPT(L->model, "opening-cost-property", "model.");
        if (!L->bo.opening_cost_prop && !json_object_get(L->model, "opening-cost-property") && !L->k &&
            strcmp(L->type, "coverage"))
            L->bo.opening_cost_prop = "opening-cost";
    }
    /* capacities on every model that names a capacity property (a
     * capacitated p-median is a p-median with one), by default on
     * capacitated-facility-location */
    if (strcmp(L->type, "capacitated-facility-location") == 0 || json_object_get(L->model, "capacity-property")) {
        L->bo.capacity_prop = OPT(L->model, "capacity-property", "model.");
        if (!L->bo.capacity_prop)
            L->bo.capacity_prop = "capacity";
    }
    return bad ? -1 : 0;
}

/* The model section: type and sizes, candidates, cost direction. */
static int read_model(ap__loader *L, ap_error *err)
{
    static const char *const model_keys[] = {"type", "k", "candidates", "single-source", "capacity-property",
        "opening-cost-property", "bound", "existing", "pinned", "forbidden", "migration-cost", "max-changes", NULL};
    json_t *v;
    const char *s;
    int bad = 0;
    L->model = json_object_get(L->root, "model");
    if (!json_is_object(L->model)) {
        ap__err(err, AP_EFORMAT, L->path, "model: missing or not an object");
        return -1;
    }
    if (ap__check_keys(L->model, model_keys, L->path, "model.", err) || model_type(L, err))
        return -1;
    if ((L->bo.capacity_prop || L->bo.opening_cost_prop) && !L->pmpath && !L->ird) {
        ap__err(err, AP_EFORMAT, L->path, "alto.property-map: required by model %s (site %s)", L->type,
                L->bo.capacity_prop ? "capacities" : "opening costs");
        return -1;
    }
    if ((v = json_object_get(L->model, "candidates"))) {
        size_t i;
        json_t *e;
        if (!json_is_array(v) || json_array_size(v) == 0) {
            ap__err(err, AP_EFORMAT, L->path, "model.candidates: must be a non-empty array of PID names");
            return -1;
        }
        if (!(L->cands = malloc(json_array_size(v) * sizeof *L->cands))) {
            ap__err(err, AP_ENOMEM, L->path, "out of memory");
            return -1;
        }
        json_array_foreach(v, i, e) {
            if (!json_is_string(e)) {
                ap__err(err, AP_EFORMAT, L->path, "model.candidates[%zu]: not a string", i);
                return -1;
            }
            L->cands[i] = json_string_value(e);
        }
        L->bo.candidates = L->cands;
        L->bo.ncandidates = json_array_size(v);
    }
    if ((s = OPT(L->root, "cost-direction", ""))) {
        if (strcmp(s, "client-to-site") == 0)
            L->bo.client_to_site = 1;
        else if (strcmp(s, "site-to-client") != 0) {
            ap__err(err, AP_EFORMAT, L->path, "cost-direction: must be site-to-client or client-to-site");
            return -1;
        }
    }
    return bad ? -1 : 0;
}

/* Removes model.forbidden from the candidate sites (all PIDs by default). */
static int restrict_candidates(ap__loader *L, ap_error *err)
{
    json_t *fb = json_object_get(L->model, "forbidden"), *e;
    const ap_netmap *nm = L->nm;
    size_t n = L->bo.candidates ? L->bo.ncandidates : nm->n, i, k, m = 0;
    if (!fb)
        return 0;
    if (!json_is_array(fb)) {
        ap__err(err, AP_EFORMAT, L->path, "model.forbidden: must be an array of PID names");
        return -1;
    }
    json_array_foreach(fb, k, e) {
        if (!json_is_string(e) || ap_netmap_find(nm, json_string_value(e)) < 0) {
            ap__err(err, AP_EFORMAT, L->path, "model.forbidden[%zu]: not a PID of network map %s", k,
                    nm->resource_id);
            return -1;
        }
    }
    if (!(L->cands2 = malloc((n ? n : 1) * sizeof *L->cands2))) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return -1;
    }
    for (i = 0; i < n; i++) {
        const char *name = L->bo.candidates ? L->bo.candidates[i] : nm->pid[i];
        int banned = 0;
        json_array_foreach(fb, k, e)
            banned |= strcmp(json_string_value(e), name) == 0;
        if (!banned)
            L->cands2[m++] = name;
    }
    if (m == 0) {
        ap__err(err, AP_EFORMAT, L->path, "model.forbidden: forbids every candidate site");
        return -1;
    }
    L->bo.candidates = L->cands2;
    L->bo.ncandidates = m;
    return 0;
}

/* The forecast of the buckets ahead, from PIDs to the problem's clients. */
static int future(ap__loader *L, ap_error *err)
{
    ap_problem *p = L->p;
    double *f;
    size_t h, i;
    int rc;
    if (!L->horizon)
        return 0;
    if (!(f = malloc(L->horizon * p->nc * sizeof *f))) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return -1;
    }
    for (i = 0; i < p->nc; i++) {
        long k = ap_netmap_find(L->nm, p->cname[i]);
        for (h = 0; h < L->horizon; h++)
            f[h * p->nc + i] = k < 0 ? 0 : L->future[h * L->nm->n + (size_t)k];
    }
    rc = ap_problem_set_future_demand(p, L->horizon, f, err);
    free(f);
    return rc;
}

/* Candidate sites and their properties, checked where they come from (the
 * problem file, the property map) before the problem is built. */
static int check_sites(ap__loader *L, ap_error *err)
{
    const ap_netmap *nm = L->nm;
    const char *props[2] = {L->bo.capacity_prop, L->bo.opening_cost_prop};
    size_t n = L->bo.candidates ? L->bo.ncandidates : nm->n, i, k;
    for (i = 0; i < n; i++) {
        const char *name = L->bo.candidates ? L->bo.candidates[i] : nm->pid[i];
        long j = ap_netmap_find(nm, name);
        if (j < 0) {
            ap__err(err, AP_EFORMAT, L->path, "model.candidates: \"%s\" is not a PID of network map %s", name,
                    nm->resource_id);
            return -1;
        }
        for (k = 0; k < 2; k++) {
            double v;
            if (!props[k])
                continue;
            v = ap_propmap_get(L->pm, (size_t)j, props[k]);
            if (isnan(v))
                ap__err(err, AP_EFORMAT, L->pmpath ? L->pmpath : L->path, "property-map.\"%s.pid:%s\".%s: missing "
                        "(model %s needs it for every candidate site)", nm->resource_id, name, props[k], L->type);
            else if (v < 0 || (k == 1 && !isfinite(v)))
                ap__err(err, AP_EFORMAT, L->pmpath ? L->pmpath : L->path, "property-map.\"%s.pid:%s\".%s: %g is %s",
                        nm->resource_id, name, props[k], v, v < 0 ? "negative" : "not finite");
            else
                continue;
            return -1;
        }
    }
    return 0;
}

/* The problem from the maps and the demand; its model, k and provenance. */
static int build(ap__loader *L, ap_error *err)
{
    ap_problem *p;
    size_t first;
    const ap_costmap *cm = L->cm;
    if (check_sites(L, err))
        return -1;
    p = L->p = ap_problem_from_alto(L->nm, cm, L->pm, L->dem.pid, L->dem.vol, L->dem.n, &L->bo, err);
    if (!p) {
        if (err && !err->source[0])
            snprintf(err->source, sizeof err->source, "%s", L->dpath ? L->dpath : L->path);
        return -1;
    }
    free(p->model);
    p->model = ap__strdup(L->type);
    if (!p->model || (L->dunit && !(p->dunit = ap__strdup(L->dunit)))) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return -1;
    }
    {
        const char *nm = json_string_value(json_object_get(L->root, "name"));
        if (!(p->name = ap__strdup(nm ? nm : L->path)) || (L->ird && !(p->server = ap__strdup(L->ird)))) {
            ap__err(err, AP_ENOMEM, L->path, "out of memory");
            return -1;
        }
    }
    p->k = L->k;
    p->single_source = L->ss;
    if (ap__load_extend(L, err))
        return -1;
    first = p->ninputs;
    if (ap__problem_add_input(p, "network-map", L->nmpath, L->nm->resource_id, L->nm->vtag) ||
        ap__problem_add_input(p, "cost-map", L->cmpath, cm->dep_rid ? cm->dep_rid : "", cm->dep_tag) ||
        (L->pmpath && ap__problem_add_input(p, "property-map", L->pmpath, NULL, NULL)) ||
        ap__problem_add_input(p, "demand", L->dpath ? L->dpath : L->path, NULL, NULL) || !p->model) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return -1;
    }
    /* maps from a failing ALTO server's cache: say how old they are */
    p->inputs[first].age = L->nm_age;
    p->inputs[first + 1].age = L->cm_age;
    return future(L, err);
}

/* The solver section, into the caller's solve options (when given). */
static int read_solver(ap__loader *L, ap_error *err)
{
    static const char *const solver_keys[] = {"method", "time-limit", "mip-gap", NULL};
    json_t *solver = json_object_get(L->root, "solver"), *v;
    ap_solve_opts o;
    const char *s;
    int bad = 0;
    if (!solver)
        return 0;
    if (!json_is_object(solver) || ap__check_keys(solver, solver_keys, L->path, "solver.", err)) {
        ap__err(err, AP_EFORMAT, L->path, "solver: must be an object");
        return -1;
    }
    o = L->lo->solve ? *L->lo->solve : (ap_solve_opts){0};
    if ((s = OPT(solver, "method", "solver."))) {
        if (!strcmp(s, "auto"))
            o.solver = AP_SOLVER_AUTO;
        else if (!strcmp(s, "ilp"))
            o.solver = AP_SOLVER_ILP;
        else if (!strcmp(s, "greedy"))
            o.solver = AP_SOLVER_GREEDY;
        else if (!strcmp(s, "benders"))
            o.solver = AP_SOLVER_BENDERS;
        else {
            ap__err(err, AP_EFORMAT, L->path, "solver.method: \"%s\" is not auto, ilp, greedy or benders", s);
            return -1;
        }
    }
    if (bad)
        return -1;
    if ((v = json_object_get(solver, "time-limit"))) {
        if (!json_is_number(v) || json_number_value(v) <= 0) {
            ap__err(err, AP_EFORMAT, L->path, "solver.time-limit: must be a positive number of seconds");
            return -1;
        }
        o.time_limit = json_number_value(v);
    }
    if ((v = json_object_get(solver, "mip-gap"))) {
        if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) >= 1) {
            ap__err(err, AP_EFORMAT, L->path, "solver.mip-gap: must be a number in [0, 1)");
            return -1;
        }
        o.mip_gap = json_number_value(v);
    }
    if (L->lo->solve)
        *L->lo->solve = o;
    return 0;
}

static void loader_free(ap__loader *L)
{
    size_t i;
    if (!L->borrowed) {
        ap_netmap_free(L->nm);
        ap_costmap_free(L->cm);
    }
    for (i = 0; i < L->nextra; i++) {
        ap_costmap_free(L->extra[i]);
        free(L->extra_src[i]);
    }
    ap_propmap_free(L->pm);
    ap_alto_free(L->client);
    ap__volumes_free(&L->dem);
    free(L->future);
    json_decref(L->root);
    free(L->dir);
    free(L->nmpath);
    free(L->cmpath);
    free(L->pmpath);
    free(L->dpath);
    free(L->cands);
    free(L->cands2);
}

ap_problem *ap_problem_load_opts(const char *path, const ap_load_opts *lo, ap_error *err)
{
    ap_load_opts def;
    ap__loader L;
    ap_problem *p = NULL;
    if (!path) {
        ap__err(err, AP_EINVAL, NULL, "no problem file");
        return NULL;
    }
    if (!lo) {
        ap_load_opts_init(&def);
        lo = &def;
    }
    memset(&L, 0, sizeof L);
    L.path = path;
    L.lo = lo;
    L.nm_age = L.cm_age = NAN;
    ap_build_opts_init(&L.bo);
    if (read_root(&L, err) || ap__load_alto_section(&L, err) || read_model(&L, err) || ap__load_maps(&L, err) ||
        restrict_candidates(&L, err) || ap__load_demand(&L, err) || build(&L, err) || read_solver(&L, err)) {
        ap_problem_free(L.p);
        L.p = NULL;
    }
    p = L.p;
    loader_free(&L);
    return p;
}

ap_problem *ap_problem_load(const char *path, ap_error *err)
{
    return ap_problem_load_opts(path, NULL, err);
}

void ap_load_opts_init(ap_load_opts *o)
{
    memset(o, 0, sizeof *o);
}
