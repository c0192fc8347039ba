/* plan_json.c - a plan as the JSON document written by `altoplace plan`. */
#include "model_int.h"
#include "base/base_json.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static json_t *num_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* Rounds away binary noise (e.g. 0.30000000000000004) for display. */
static double tidy(double x)
{
    char b[40];
    if (!isfinite(x) || x == 0)
        return x;
    snprintf(b, sizeof b, "%.12g", x);
    return strtod(b, NULL);
}

/* "model": what was solved. */
static json_t *model_json(const ap_problem *p)
{
    json_t *model = json_object();
    if (!model)
        return NULL;
    json_object_set_new(model, "type", json_string(p->model ? p->model : "custom"));
    json_object_set_new(model, "k", p->k ? json_integer(p->k) : json_null());
    json_object_set_new(model, "single-source", json_boolean(p->single_source));
    json_object_set_new(model, "clients", json_integer((json_int_t)p->nc));
    json_object_set_new(model, "candidate-sites", json_integer((json_int_t)p->ns));
    if (p->metric) {
        ap_metric_info mi;
        json_object_set_new(model, "cost-metric", json_string(p->metric));
        if (ap_metric_parse(p->metric, &mi, NULL) == 0 && mi.unit[0])
            json_object_set_new(model, "cost-unit", json_string(mi.unit));
    }
    if (p->mode)
        json_object_set_new(model, "cost-mode", json_string(p->mode));
    if (p->dunit)
        json_object_set_new(model, "demand-unit", json_string(p->dunit));
    {
        char ou[96];
        if (*ap_problem_objective_unit(p, ou, sizeof ou))
            json_object_set_new(model, "objective-unit", json_string(ou));
    }
    return model;
}

/* "sites", "assignment", "clients" and "load": who is served where. */
static int solution_json(const ap_plan *pl, json_t *o)
{
    const ap_problem *p = pl->p;
    json_t *sites = json_array(), *asg = json_object(), *load = json_object(), *ccost = json_object();
    double *ld = calloc(p->ns, sizeof *ld), *cc = calloc(p->nc, sizeof *cc);
    size_t *nshare = calloc(p->nc, sizeof *nshare), *ncli = calloc(p->ns, sizeof *ncli);
    size_t i, j, k;
    int rc = -1;
    if (!sites || !asg || !load || !ccost || !ld || !cc || !nshare || !ncli)
        goto out;
    ap__plan_client_costs(pl, cc);
    for (k = 0; k < pl->asg.na; k++) {
        i = pl->asg.client[k];
        j = pl->asg.site[k];
        ld[j] += p->demand[i] * pl->asg.share[k];
        nshare[i]++;
        ncli[j]++;
    }
    for (k = 0; k < pl->nsites; k++)
        json_array_append_new(sites, json_string(p->sname[pl->sites[k]]));
    for (k = 0; k < pl->asg.na; k++) {
        i = pl->asg.client[k];
        j = pl->asg.site[k];
        if (nshare[i] == 1) {
            json_object_set_new(asg, p->cname[i], json_string(p->sname[j]));
        } else {
            json_t *lst = json_object_get(asg, p->cname[i]);
            if (!lst) {
                lst = json_array();
                json_object_set_new(asg, p->cname[i], lst);
            }
            json_array_append_new(lst, json_pack("{s:s,s:f}", "site", p->sname[j], "share",
                                                 tidy(pl->asg.share[k])));
        }
    }
    for (i = 0; i < p->nc; i++)
        json_object_set_new(ccost, p->cname[i], json_pack("{s:f,s:o}", "demand", tidy(p->demand[i]), "cost",
                                                          nshare[i] ? json_real(tidy(cc[i])) : json_null()));
    for (k = 0; k < pl->nsites; k++) {
        json_t *e;
        j = pl->sites[k];
        e = json_pack("{s:f,s:o,s:I}", "load", tidy(ld[j]), "capacity", num_or_null(p->cap[j]), "clients",
                      (json_int_t)ncli[j]);
        if (e && p->has_fcost)
            json_object_set_new(e, "opening-cost", json_real(p->fcost[j]));
        json_object_set_new(load, p->sname[j], e);
    }
    json_object_set_new(o, "sites", sites);
    json_object_set_new(o, "assignment", asg);
    json_object_set_new(o, "clients", ccost);
    json_object_set_new(o, "load", load);
    sites = asg = load = ccost = NULL;
    rc = 0;
out:
    json_decref(sites);
    json_decref(asg);
    json_decref(load);
    json_decref(ccost);
    free(ld);
    free(cc);
    free(nshare);
    free(ncli);
    return rc;
}

/* "changes": re-placement against the existing replicas. */
static json_t *changes_json(const ap_plan *pl)
{
    const ap_problem *p = pl->p;
    json_t *op = json_array(), *cl = json_array(), *kp = json_array();
    size_t j;
    for (j = 0; op && cl && kp && j < p->ns; j++) {
        int ex = p->existing[j], on = pl->asg.na ? pl->open[j] : ex;
        if (on && !ex)
            json_array_append_new(op, json_string(p->sname[j]));
        else if (!on && ex)
            json_array_append_new(cl, json_string(p->sname[j]));
        else if (on && ex)
            json_array_append_new(kp, json_string(p->sname[j]));
    }
    return json_pack("{s:o,s:o,s:o}", "opened", op, "closed", cl, "kept", kp);
}

/* "inputs": where the data came from. */
static json_t *inputs_json(const ap_problem *p)
{
    json_t *inputs = json_array();
    size_t k;
    for (k = 0; inputs && k < p->ninputs; k++) {
        const ap__input *in = &p->inputs[k];
        json_t *e = json_object();
        json_object_set_new(e, "role", json_string(in->role));
        if (in->source)
            json_object_set_new(e, "source", json_string(in->source));
        if (in->resource_id && in->resource_id[0])
            json_object_set_new(e, "resource-id", json_string(in->resource_id));
        if (in->tag)
            json_object_set_new(e, "tag", json_string(in->tag));
        if (isfinite(in->age)) {
            /* the ALTO server failed: a cached copy was used */
            json_object_set_new(e, "stale", json_true());
            json_object_set_new(e, "age-seconds", json_real(in->age));
        }
        json_array_append_new(inputs, e);
    }
    return inputs;
}

static json_t *plan_json(const ap_plan *pl)
{
    const ap_problem *p = pl->p;
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "altoplace-plan", json_integer(1));
    {
        char when[32];
        time_t now = time(NULL);
        struct tm tmv;
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tmv));
        json_object_set_new(o, "created", json_string(when));
        json_object_set_new(o, "altoplace-version", json_string(AP_VERSION));
        if (p->name)
            json_object_set_new(o, "problem", json_string(p->name));
    }
    json_object_set_new(o, "status", json_string(ap_status_name(pl->status)));
    if (pl->reason[0])
        json_object_set_new(o, "reason", json_string(pl->reason));
    json_object_set_new(o, "objective", num_or_null(tidy(pl->objective)));
    json_object_set_new(o, "bound", num_or_null(tidy(pl->bound)));
    json_object_set_new(o, "gap", num_or_null(pl->gap));
    json_object_set_new(o, "solver", json_string(pl->solver));
    if (json_object_set_new(o, "model", model_json(p)) || solution_json(pl, o) ||
        (p->existing && json_object_set_new(o, "changes", changes_json(pl))) ||
        json_object_set_new(o, "inputs", inputs_json(p)) ||
        json_object_set_new(o, "stats", json_pack("{s:f,s:o,s:o,s:o,s:I}", "solve-seconds", tidy(pl->seconds),
                                                  "greedy-objective", num_or_null(tidy(pl->greedy_obj)),
                                                  "mean-client-cost", num_or_null(tidy(ap_plan_mean_cost(pl))),
                                                  "max-client-cost", num_or_null(tidy(ap_plan_max_cost(pl))),
                                                  "nodes", (json_int_t)pl->nodes))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

char *ap_plan_to_json(const ap_plan *pl, ap_error *err)
{
    json_t *j;
    char *s;
    if (!pl) {
        ap__err(err, AP_EINVAL, NULL, "NULL plan");
        return NULL;
    }
    j = plan_json(pl);
    if (!j) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory building plan JSON");
        return NULL;
    }
    s = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    json_decref(j);
    if (!s)
        ap__err(err, AP_ENOMEM, NULL, "out of memory serialising plan");
    return s;
}

int ap_plan_write(const ap_plan *pl, const char *path, ap_error *err)
{
    char *s;
    size_t n;
    int rc;
    if (!path) {
        ap__err(err, AP_EINVAL, NULL, "no output path");
        return -1;
    }
    s = ap_plan_to_json(pl, err);
    if (!s)
        return -1;
    n = strlen(s);
    s[n] = '\n';
    rc = ap__write_atomic(path, s, n + 1, err);
    free(s);
    return rc;
}

ap_plan *ap_plan_read(const ap_problem *p, const char *path, ap_error *err)
{
    json_t *j, *sites, *e;
    ap_plan *pl = NULL;
    ap__assign none;
    unsigned char *open = NULL;
    size_t i, k;
    if (!p || !path) {
        ap__err(err, AP_EINVAL, NULL, "ap_plan_read: a problem and a file are needed");
        return NULL;
    }
    if (!(j = ap__json_load_object(path, err)))
        return NULL;
    sites = json_object_get(j, "sites");
    if (!json_is_integer(json_object_get(j, "altoplace-plan")) || !json_is_array(sites)) {
        ap__err(err, AP_EFORMAT, path, "not an altoplace plan (altoplace-plan and sites are missing)");
        goto out;
    }
    if (json_array_size(sites) == 0) {
        ap__err(err, AP_EFORMAT, path, "the plan opens no site (status %s)",
                json_string_value(json_object_get(j, "status")) ? json_string_value(json_object_get(j, "status"))
                                                                : "unknown");
        goto out;
    }
    if (!(open = calloc(p->ns, 1)) || !(pl = ap__plan_new(p))) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        goto out;
    }
    json_array_foreach(sites, i, e) {
        const char *name = json_string_value(e);
        for (k = 0; name && k < p->ns && strcmp(p->sname[k], name); k++)
            ;
        if (!name || k == p->ns) {
            ap__err(err, AP_EFORMAT, path, "sites[%zu]: %s%s%s is not a candidate site of the problem", i,
                    name ? "\"" : "", name ? name : "not a string", name ? "\"" : "");
            ap_plan_free(pl);
            pl = NULL;
            goto out;
        }
        open[k] = 1;
    }
    memset(&none, 0, sizeof none);
    if (ap__plan_set(pl, open, &none)) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        ap_plan_free(pl);
        pl = NULL;
        goto out;
    }
    pl->status = AP_STATUS_FEASIBLE;
    pl->objective = NAN;
    snprintf(pl->solver, sizeof pl->solver, "read from a file");
out:
    free(open);
    json_decref(j);
    return pl;
}
