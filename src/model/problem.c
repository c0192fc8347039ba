/* problem.c - placement problems: construction, copies, setters, accessors,
 * comparison. */
#include "model_int.h"
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
    p->max_changes = -1;
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
    free(p->name);
    free(p->server);
    free(p->future);
    free(p->metric);
    free(p->mode);
    free(p->dunit);
    free(p->pin);
    free(p->existing);
    free(p->mcost);
    free(p);
}

/* Copies n elements of `size` bytes (NULL stays NULL); 0 or -1. */
static int dup_array(void *dst, const void *src, size_t n, size_t size)
{
    void **d = dst;
    *d = NULL;
    if (!src)
        return 0;
    if (!(*d = malloc(n * size + 1)))
        return -1;
    memcpy(*d, src, n * size);
    return 0;
}

ap_problem *ap_problem_copy(const ap_problem *p, ap_error *err)
{
    ap_problem *q;
    size_t i;
    if (!p) {
        ap__err(err, AP_EINVAL, NULL, "NULL problem");
        return NULL;
    }
    if (!(q = ap_problem_new(p->nc, p->ns, err)))
        return NULL;
    for (i = 0; i < p->nc; i++)
        if (ap__set_name(&q->cname[i], p->cname[i], err))
            goto fail;
    for (i = 0; i < p->ns; i++)
        if (ap__set_name(&q->sname[i], p->sname[i], err))
            goto fail;
    memcpy(q->demand, p->demand, p->nc * sizeof *q->demand);
    memcpy(q->cost, p->cost, p->nc * p->ns * sizeof *q->cost);
    memcpy(q->cap, p->cap, p->ns * sizeof *q->cap);
    memcpy(q->fcost, p->fcost, p->ns * sizeof *q->fcost);
    q->k = p->k;
    q->single_source = p->single_source;
    q->max_changes = p->max_changes;
    q->has_cap = p->has_cap;
    q->has_fcost = p->has_fcost;
    q->cover_ties = p->cover_ties;
    free(q->model);
    q->model = ap__strdup(p->model);
    q->metric = ap__strdup(p->metric);
    q->mode = ap__strdup(p->mode);
    q->dunit = ap__strdup(p->dunit);
    q->name = ap__strdup(p->name);
    q->server = ap__strdup(p->server);
    if ((p->model && !q->model) || (p->metric && !q->metric) || (p->mode && !q->mode) || (p->dunit && !q->dunit) || (p->name && !q->name) ||
        (p->server && !q->server) ||
        dup_array(&q->pin, p->pin, p->ns, 1) || dup_array(&q->existing, p->existing, p->ns, 1) ||
        dup_array(&q->mcost, p->mcost, p->nc * p->ns, sizeof *p->mcost) ||
        dup_array(&q->future, p->future, p->horizon * p->nc, sizeof *p->future))
        goto oom;
    q->horizon = p->horizon;
    for (i = 0; i < p->ninputs; i++) {
        const ap__input *in = &p->inputs[i];
        if (ap__problem_add_input(q, in->role, in->source, in->resource_id, in->tag))
            goto oom;
        q->inputs[i].age = in->age;
    }
    return q;
oom:
    ap__err(err, AP_ENOMEM, NULL, "out of memory copying a %zu x %zu problem", p->nc, p->ns);
fail:
    ap_problem_free(q);
    return NULL;
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
    /* a URI with user:password@ would carry the password into the plan */
    ni->source = source ? ap__redact_dup(source) : NULL;
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
const char *ap_problem_demand_unit(const ap_problem *p) { return p && p->dunit ? p->dunit : ""; }
const char *ap_problem_model(const ap_problem *p) { return p && p->model ? p->model : "custom"; }

const char *ap_problem_objective_unit(const ap_problem *p, char *buf, size_t cap)
{
    ap_metric_info mi;
    if (!buf || !cap)
        return "";
    buf[0] = '\0';
    if (!p)
        return buf;
    if (p->cover_ties)
        snprintf(buf, cap, "sites");
    else if (!p->has_fcost && !p->mcost && p->metric && ap_metric_parse(p->metric, &mi, NULL) == 0 && mi.unit[0])
        snprintf(buf, cap, "%s x %s", p->dunit ? p->dunit : "demand", mi.unit);
    return buf;
}
const char *ap_problem_name(const ap_problem *p) { return p && p->name ? p->name : ""; }
size_t ap_problem_horizon(const ap_problem *p) { return p ? p->horizon : 0; }
const char *ap_problem_alto_uri(const ap_problem *p) { return p && p->server ? p->server : ""; }

double ap_problem_stale_age(const ap_problem *p)
{
    double age = NAN;
    size_t i;
    for (i = 0; p && i < p->ninputs; i++)
        if (isfinite(p->inputs[i].age) && !(p->inputs[i].age <= age))
            age = p->inputs[i].age;
    return age;
}

double ap_problem_future_demand(const ap_problem *p, size_t h, size_t i)
{
    return p && p->future && h < p->horizon && i < p->nc ? p->future[h * p->nc + i] : NAN;
}

int ap_problem_set_future_demand(ap_problem *p, size_t horizon, const double *demand, ap_error *err)
{
    size_t i;
    double *f;
    if (!p || (horizon && !demand) || horizon > 100000) {
        ap__err(err, AP_EINVAL, NULL, "ap_problem_set_future_demand: a problem and horizon x clients volumes");
        return -1;
    }
    for (i = 0; i < horizon * p->nc; i++)
        if (!isfinite(demand[i]) || demand[i] < 0) {
            ap__err(err, AP_EINVAL, p->cname[i % p->nc], "forecast demand %g (%zu buckets ahead) is negative or "
                    "not finite", demand[i], i / p->nc + 1);
            return -1;
        }
    f = horizon ? malloc(horizon * p->nc * sizeof *f) : NULL;
    if (horizon && !f) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    if (f)
        memcpy(f, demand, horizon * p->nc * sizeof *f);
    free(p->future);
    p->future = f;
    p->horizon = horizon;
    return 0;
}
const char *ap_problem_client_name(const ap_problem *p, size_t i)
{
    return p && i < p->nc ? p->cname[i] : NULL;
}
const char *ap_problem_site_name(const ap_problem *p, size_t j)
{
    return p && j < p->ns ? p->sname[j] : NULL;
}

int ap__set_name(char **slot, const char *name, ap_error *err)
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
    return ap__set_name(&p->cname[i], name, err);
}

int ap_problem_set_site_name(ap_problem *p, size_t j, const char *name, ap_error *err)
{
    if (!p || j >= p->ns) {
        ap__err(err, AP_EINVAL, NULL, "site index %zu out of range", j);
        return -1;
    }
    return ap__set_name(&p->sname[j], name, err);
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
