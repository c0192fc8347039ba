/* whatif.c - what-if studies: a base problem and its variations, each solved
 * independently; results as a table (rows are JSON objects), split into
 * parts for several machines and merged back.  Pictures and the report are
 * in report.c. */
#include "studies_int.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ap_whatif_opts_init(ap_whatif_opts *o)
{
    memset(o, 0, sizeof *o);
    o->part = 1;
    o->nparts = 1;
    o->time_limit = -1;
}

/* Reports through the options' log callback (o may be NULL). */
#define wlog(o, ...) ap__logf((o) ? (o)->log : NULL, (o) ? (o)->log_ud : NULL, __VA_ARGS__)

/* Loads a demand file {"demand": {PID: volume}} into p (clients missing from
 * it get 0; a scenario cannot add clients). */
static int replace_demand(ap_problem *p, const char *path, ap_error *err)
{
    ap__volumes v;
    size_t i, k;
    int rc = -1;
    memset(&v, 0, sizeof v);
    if (ap__demand_file(path, &v, err))
        goto out;
    for (i = 0; i < p->nc; i++)
        p->demand[i] = 0;
    for (k = 0; k < v.n; k++) {
        for (i = 0; i < p->nc && strcmp(p->cname[i], v.pid[k]); i++)
            ;
        if (i == p->nc) {
            ap__err(err, AP_EFORMAT, path, "demand.%s: not a client of the base problem (a scenario can change "
                    "the demand of the base's clients, not add PIDs)", v.pid[k]);
            goto out;
        }
        p->demand[i] = v.vol[k];
    }
    rc = 0;
out:
    ap__volumes_free(&v);
    return rc;
}

static int failed_site(json_t *sc, const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(sc, "fail-sites"), i, e)
        if (json_is_string(e) && strcmp(json_string_value(e), name) == 0)
            return 1;
    return 0;
}

/* Recomputes p's costs from the topology after failures; clients left with
 * no reachable site (their PoP failed, or cut off) lose their demand. */
static int recompute_costs(ap_problem *p, const char *topo_path, json_t *sc, double *lost,
                           json_t *lost_clients, ap_error *err)
{
    ap_topo *t;
    double *c = NULL;
    size_t i, j, n;
    long *ci = NULL, *sj = NULL;
    json_t *e;
    int rc = -1;

    if (!p->metric || (strcmp(p->metric, "delay-ow") && strcmp(p->metric, "hopcount"))) {
        ap__err(err, AP_EINVAL, topo_path, "failures recompute delay-ow or hopcount costs; the base problem "
                "uses %s", p->metric ? p->metric : "an unnamed metric");
        return -1;
    }
    if (p->mcost) {
        ap__err(err, AP_EINVAL, topo_path, "failures are not supported for %s models (their costs are "
                "derived from the metric)", p->model ? p->model : "this");
        return -1;
    }
    if (!(t = ap_topo_load(topo_path, err)))
        return -1;
    json_array_foreach(json_object_get(sc, "fail-sites"), i, e)
        if (ap_topo_fail_node(t, json_string_value(e), err))
            goto out;
    json_array_foreach(json_object_get(sc, "fail-links"), i, e) {
        if (!json_is_array(e) || json_array_size(e) != 2) {
            ap__err(err, AP_EFORMAT, topo_path, "fail-links[%zu]: not a [PID, PID] pair", i);
            goto out;
        }
        if (ap_topo_fail_link(t, json_string_value(json_array_get(e, 0)),
                              json_string_value(json_array_get(e, 1)), err))
            goto out;
    }
    if (!(c = ap_topo_costs(t, p->metric, err)))
        goto out;
    n = ap_topo_nnodes(t);
    ci = malloc((p->nc + 1) * sizeof *ci);
    sj = malloc((p->ns + 1) * sizeof *sj);
    if (!ci || !sj) {
        ap__err(err, AP_ENOMEM, topo_path, "out of memory");
        goto out;
    }
    for (i = 0; i < p->nc; i++)
        if ((ci[i] = ap_topo_find(t, p->cname[i])) < 0) {
            ap__err(err, AP_EFORMAT, topo_path, "client %s of the base problem is not a node of the topology",
                    p->cname[i]);
            goto out;
        }
    for (j = 0; j < p->ns; j++)
        if ((sj[j] = ap_topo_find(t, p->sname[j])) < 0) {
            ap__err(err, AP_EFORMAT, topo_path, "site %s of the base problem is not a node of the topology",
                    p->sname[j]);
            goto out;
        }
    *lost = 0;
    for (i = 0; i < p->nc; i++) {
        int any = 0;
        for (j = 0; j < p->ns; j++) {
            /* keep the base problem's forbidden pairs forbidden */
            if (isfinite(p->cost[i * p->ns + j]))
                p->cost[i * p->ns + j] = c[(size_t)ci[i] * n + (size_t)sj[j]];
            any |= isfinite(p->cost[i * p->ns + j]);
        }
        if (!any) {
            /* nothing can reach it: its demand is lost; with no demand its
             * assignment costs nothing, so any site may nominally take it */
            if (p->demand[i] > 0) {
                *lost += p->demand[i];
                json_array_append_new(lost_clients, json_string(p->cname[i]));
            }
            p->demand[i] = 0;
            for (j = 0; j < p->ns; j++)
                if (!failed_site(sc, p->sname[j]))
                    p->cost[i * p->ns + j] = 0;
        }
    }
    rc = 0;
out:
    free(c);
    free(ci);
    free(sj);
    ap_topo_free(t);
    return rc;
}

/* Applies scenario `sc` to a fresh copy of the base problem. */
static int apply(ap_problem *p, const ap__study *st, json_t *sc, double *lost, json_t *lost_clients,
                 ap_error *err)
{
    json_t *v;
    const char *key;
    size_t i, j;
    *lost = 0;
    if (json_object_get(sc, "fail-sites") || json_object_get(sc, "fail-links"))
        if (recompute_costs(p, st->topology, sc, lost, lost_clients, err))
            return -1;
    if ((v = json_object_get(sc, "demand"))) {
        char *dp = ap__path_join(st->dir, json_string_value(v));
        int rc = dp ? replace_demand(p, dp, err) : -1;
        free(dp);
        if (rc)
            return -1;
    }
    if ((v = json_object_get(sc, "demand-scale")))
        for (i = 0; i < p->nc; i++)
            p->demand[i] *= json_number_value(v);
    json_object_foreach(json_object_get(sc, "capacity"), key, v) {
        for (j = 0; j < p->ns && strcmp(p->sname[j], key); j++)
            ;
        if (j == p->ns || !json_is_number(v)) {
            ap__err(err, AP_EFORMAT, st->path, "scenario \"%s\": capacity.%s: %s",
                    json_string_value(json_object_get(sc, "name")), key,
                    j == p->ns ? "not a candidate site" : "not a number");
            return -1;
        }
        if (ap_problem_set_capacity(p, j, json_number_value(v), err))
            return -1;
    }
    if ((v = json_object_get(sc, "k")) && ap_problem_set_k(p, (int)json_integer_value(v), err))
        return -1;
    if ((v = json_object_get(sc, "max-cost"))) {
        double b = json_number_value(v);
        const double *m = p->mcost ? p->mcost : p->cost;
        for (i = 0; i < p->nc * p->ns; i++)
            if (m[i] > b)
                p->cost[i] = INFINITY;
    }
    return 0;
}

static json_t *jnum(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* The solver's messages during a scenario, to the study's log with the
 * scenario's index (progress of a long solve: bound, nodes, elapsed). */
typedef struct {
    const ap_whatif_opts *o;
    size_t idx;
} scen_log;

static void on_solver_log(void *ud, ap_log_level lvl, const char *msg)
{
    const scen_log *sl = ud;
    wlog(sl->o, lvl, "scenario %zu: %s", sl->idx, msg);
}

/* Runs one scenario; returns its row (or NULL with err set on a bad input). */
static json_t *run_one(const ap__study *st, size_t idx, const ap_whatif_opts *o, ap_error *err)
{
    json_t *sc = json_array_get(st->scen, idx), *row = NULL, *sites, *assign, *lostc;
    ap_problem *p;
    ap_plan *pl = NULL;
    ap_solve_opts so;
    scen_log sl;
    double lost = 0;
    size_t i, k;

    if (!(p = ap_problem_copy(st->base, err)))
        return NULL;
    lostc = json_array();
    if (!lostc || apply(p, st, sc, &lost, lostc, err)) {
        json_decref(lostc);
        ap_problem_free(p);
        return NULL;
    }
    so = st->solve;
    if (o->log) {
        sl.o = o;
        sl.idx = idx;
        so.log = on_solver_log;
        so.log_ud = &sl;
    }
    if (st->time_limit > 0)
        so.time_limit = st->time_limit;
    if (o->time_limit > 0)
        so.time_limit = o->time_limit;
    {
        ap_error se;
        ap_error_clear(&se);
        if (!(pl = ap_solve(p, &so, &se))) {
            /* a solver failure is this scenario's result, not the study's end */
            row = json_pack("{s:i,s:O,s:O,s:O,s:s,s:n,s:n,s:n,s:n,s:n,s:i,s:f,s:s,s:[],s:{},s:o,s:f}",
                            "index", (json_int_t)idx, "scenario", json_object_get(sc, "name"), "group",
                            json_object_get(sc, "group"), "source", json_object_get(sc, "source"), "status",
                            "error", "objective", "mean-cost", "worst-cost", "gap", "k", "nsites", (json_int_t)0,
                            "seconds", 0.0, "reason", se.text, "sites", "assign", "lost-clients", lostc,
                            "lost-demand", lost);
            if (row) {
                json_object_set(row, "change", sc);
                json_object_set_new(row, "metric", json_string(p->metric ? p->metric : ""));
        json_object_set_new(row, "demand-unit", json_string(ap_problem_demand_unit(p)));
        {
            char ou[96];
            json_object_set_new(row, "objective-unit", json_string(ap_problem_objective_unit(p, ou, sizeof ou)));
        }
            } else {
                ap__err(err, AP_ENOMEM, st->path, "out of memory");
            }
            ap_problem_free(p);
            return row;
        }
    }
    sites = json_array();
    assign = json_object();
    row = json_pack("{s:i,s:O,s:O,s:O,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:f,s:s,s:o,s:o,s:o,s:f}",
                    "index", (json_int_t)idx, "scenario", json_object_get(sc, "name"), "group",
                    json_object_get(sc, "group"), "source", json_object_get(sc, "source"), "status",
                    ap_status_name(ap_plan_status(pl)), "objective", jnum(ap_plan_objective(pl)),
                    "mean-cost", jnum(ap_plan_mean_cost(pl)), "worst-cost", jnum(ap_plan_max_cost(pl)),
                    "gap", jnum(ap_plan_gap(pl)), "k", p->k > 0 ? json_integer(p->k) : json_null(),
                    "nsites", json_integer((json_int_t)ap_plan_nsites(pl)), "seconds", ap_plan_seconds(pl),
                    "reason", ap_plan_reason(pl), "sites", sites ? sites : json_array(), "assign",
                    assign ? assign : json_object(), "lost-clients", lostc, "lost-demand", lost);
    if (!row || !sites || !assign) {
        json_decref(row);
        ap__err(err, AP_ENOMEM, st->path, "out of memory");
        row = NULL;
        goto out;
    }
    json_object_set(row, "change", sc); /* what the scenario changes, for the table */
    for (k = 0; k < ap_plan_nsites(pl); k++)
        json_array_append_new(sites, json_string(p->sname[ap_plan_site(pl, k)]));
    if (isfinite(ap_plan_objective(pl)))
        for (i = 0; i < p->nc; i++) {
            double best = 0;
            size_t bj = (size_t)-1;
            for (k = 0; k < ap_plan_nsites(pl); k++) {
                size_t j = ap_plan_site(pl, k);
                double s = ap_plan_share(pl, i, j);
                if (s > best) {
                    best = s;
                    bj = j;
                }
            }
            if (bj != (size_t)-1 && p->demand[i] > 0)
                json_object_set_new(assign, p->cname[i], json_string(p->sname[bj]));
        }
    {
        double dem = 0;
        for (i = 0; i < p->nc; i++)
            dem += p->demand[i];
        json_object_set_new(row, "demand", json_real(dem));
        json_object_set_new(row, "metric", json_string(p->metric ? p->metric : ""));
        json_object_set_new(row, "demand-unit", json_string(ap_problem_demand_unit(p)));
        {
            char ou[96];
            json_object_set_new(row, "objective-unit", json_string(ap_problem_objective_unit(p, ou, sizeof ou)));
        }
    }
out:
    ap_plan_free(pl);
    ap_problem_free(p);
    return row;
}

/* Number of sites of `row` not open in `base`. */
static json_t *changes(json_t *row, json_t *base)
{
    size_t i, j, n = 0;
    json_t *a = json_object_get(row, "sites"), *b = json_object_get(base, "sites"), *e, *f;
    if (!base || !json_is_number(json_object_get(row, "objective")))
        return json_null();
    json_array_foreach(a, i, e) {
        int found = 0;
        json_array_foreach(b, j, f)
            found |= json_equal(e, f);
        n += !found;
    }
    return json_integer((json_int_t)n);
}

static int write_part(const char *dir, const ap__study *st, json_t *rows, int part, int nparts, ap_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "part-%d-of-%d.json", part, nparts);
    return ap__json_write_in(dir, name,
                             json_pack("{s:s,s:s,s:i,s:i,s:i,s:O}", "study", st->name, "study-file", st->path,
                                       "part", part, "parts", nparts, "scenarios",
                                       (json_int_t)json_array_size(st->scen), "rows", rows),
                             err);
}

/* Adds "changes" (from the base row) to every row, then writes the table,
 * plots and report. */
static int finish(const ap__study *st, json_t *rows, const char *dir, ap_error *err)
{
    size_t i;
    json_t *r, *base = NULL;
    json_array_foreach(rows, i, r)
        if (json_integer_value(json_object_get(r, "index")) == 0)
            base = r;
    json_array_foreach(rows, i, r)
        json_object_set_new(r, "changes", changes(r, base));
    return ap__whatif_outputs(st, rows, dir, err);
}

static int cmp_rows(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "index"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "index"));
    return (x > y) - (x < y);
}

/* Checks every scenario against the base problem and the topology (PIDs,
 * links, sites, demand files) before anything is solved. */
static int validate(const ap__study *st, ap_error *err)
{
    ap_problem *p = ap_problem_copy(st->base, err);
    ap_topo *t = NULL;
    size_t i, x;
    json_t *sc, *e;
    int rc = -1;
    if (!p)
        return -1;
    if (st->topology && !(t = ap_topo_load(st->topology, err)))
        goto out;
    json_array_foreach(st->scen, i, sc) {
        const char *name = json_string_value(json_object_get(sc, "name")), *key;
        json_t *v;
        json_array_foreach(json_object_get(sc, "fail-sites"), x, e)
            if (ap_topo_find(t, json_string_value(e)) < 0) {
                ap__err(err, AP_EFORMAT, st->path, "scenario \"%s\": fail-sites: %s is not a node of %s", name,
                        json_string_value(e), st->topology);
                goto out;
            }
        json_array_foreach(json_object_get(sc, "fail-links"), x, e) {
            ap_error le;
            ap_error_clear(&le);
            if (ap_topo_fail_link(t, json_string_value(json_array_get(e, 0)), json_string_value(json_array_get(e, 1)),
                                  &le)) {
                ap__err(err, AP_EFORMAT, st->path, "scenario \"%s\": fail-links: %s", name, le.text);
                goto out;
            }
        }
        json_object_foreach(json_object_get(sc, "capacity"), key, v) {
            for (x = 0; x < p->ns && strcmp(p->sname[x], key); x++)
                ;
            if (x == p->ns) {
                ap__err(err, AP_EFORMAT, st->path, "scenario \"%s\": capacity.%s: not a candidate site of %s", name,
                        key, st->problem);
                goto out;
            }
        }
        if ((v = json_object_get(sc, "demand"))) {
            char *dp = ap__path_join(st->dir, json_string_value(v));
            int r = dp ? replace_demand(p, dp, err) : -1;
            free(dp);
            if (r)
                goto out;
        }
    }
    rc = 0;
out:
    ap_topo_free(t);
    ap_problem_free(p);
    return rc;
}

int ap_whatif_check(const char *study, size_t *nscenarios, ap_error *err)
{
    ap__study st;
    int rc = -1;
    if (!study) {
        ap__err(err, AP_EINVAL, "", "no study file");
        return -1;
    }
    if (ap__study_load(study, &st, err) == 0 && ap__study_base(&st, err) == 0 && validate(&st, err) == 0) {
        if (nscenarios)
            *nscenarios = json_array_size(st.scen);
        rc = 0;
    }
    ap__study_free(&st);
    return rc;
}

int ap_whatif_run(const char *study, const char *outdir, const ap_whatif_opts *o, ap_error *err)
{
    ap__study st;
    ap__stage stage = {0};
    ap_whatif_opts def;
    json_t *rows = NULL;
    size_t n, i, mine = 0, done = 0;
    double t0 = ap__now();
    int rc = -1;

    if (!o) {
        ap_whatif_opts_init(&def);
        o = &def;
    }
    if (!study || !outdir) {
        ap__err(err, AP_EINVAL, "", "no study file or output folder");
        return -1;
    }
    if (o->nparts < 1 || o->part < 1 || o->part > o->nparts) {
        ap__err(err, AP_EINVAL, study, "part %d of %d: parts are numbered 1..n", o->part, o->nparts);
        return -1;
    }
    if (ap__study_load(study, &st, err) || ap__study_base(&st, err) || validate(&st, err))
        goto out;
    /* one run: its outputs appear together or not at all; parts each write
     * one file (atomically) into the shared folder */
    if ((o->nparts > 1 ? ap__mkdir_p(outdir, 0777, err) : ap__stage_begin(&stage, outdir, err)) ||
        !(rows = json_array()))
        goto out;
    n = json_array_size(st.scen);
    for (i = 0; i < n; i++)
        mine += (int)(i % (size_t)o->nparts) == o->part - 1;
    for (i = 0; i < n; i++) {
        json_t *row;
        double el;
        if ((int)(i % (size_t)o->nparts) != o->part - 1)
            continue;
        el = ap__now() - t0;
        /* "scenario N" is the row's index, as in the table and map-N.svg */
        if (done)
            wlog(o, AP_LOG_PROGRESS, "scenario %zu (%s), %zu of %zu: %.1f s elapsed, about %.0f s left", i,
                 json_string_value(json_object_get(json_array_get(st.scen, i), "name")), done + 1, mine, el,
                 el / (double)done * (double)(mine - done));
        else
            wlog(o, AP_LOG_PROGRESS, "scenario %zu (%s), 1 of %zu", i,
                 json_string_value(json_object_get(json_array_get(st.scen, i), "name")), mine);
        if (!(row = run_one(&st, i, o, err)))
            goto out;
        json_array_append_new(rows, row);
        done++;
    }
    wlog(o, AP_LOG_PROGRESS, "%zu scenario(s) solved in %.1f s", done, ap__now() - t0);
    if (o->nparts > 1)
        rc = write_part(outdir, &st, rows, o->part, o->nparts, err);
    else if ((rc = finish(&st, rows, stage.dir, err)) == 0) {
        stage.prune = ap__whatif_is_plot;
        rc = ap__stage_commit(&stage, err);
    }
out:
    ap__stage_abort(&stage, err);
    json_decref(rows);
    ap__study_free(&st);
    return rc;
}

int ap_whatif_merge(const char *study, const char *outdir, ap_error *err)
{
    ap__study st;
    json_t *rows = NULL, **sorted = NULL, *all = NULL;
    DIR *d = NULL;
    struct dirent *de;
    size_t n, i, got = 0;
    int rc = -1, nparts = 0;
    unsigned char *seen = NULL;

    if (ap__study_load(study, &st, err))
        return -1;
    n = json_array_size(st.scen);
    if (!(rows = json_array()) || !(seen = calloc(n, 1))) {
        ap__err(err, AP_ENOMEM, outdir, "out of memory");
        goto out;
    }
    if (!(d = opendir(outdir))) {
        ap__err(err, AP_EIO, outdir, "cannot open the folder of the parts: %s", strerror(errno));
        goto out;
    }
    while ((de = readdir(d))) {
        int a, b;
        char tail[8];
        char *path;
        json_t *j, *r;
        if (sscanf(de->d_name, "part-%d-of-%d.jso%1s", &a, &b, tail) != 3 || strcmp(tail, "n"))
            continue;
        if (!(path = ap__path_join(outdir, de->d_name)))
            goto nomem;
        if (!(j = ap__json_load_object(path, err))) {
            free(path);
            goto out;
        }
        if (json_integer_value(json_object_get(j, "scenarios")) != (json_int_t)n) {
            ap__err(err, AP_EFORMAT, path, "made from a study with %lld scenarios; %s has %zu",
                    (long long)json_integer_value(json_object_get(j, "scenarios")), study, n);
            json_decref(j);
            free(path);
            goto out;
        }
        if (nparts && b != nparts) {
            ap__err(err, AP_EFORMAT, path, "split into %d parts, other parts into %d", b, nparts);
            json_decref(j);
            free(path);
            goto out;
        }
        nparts = b;
        json_array_foreach(json_object_get(j, "rows"), i, r) {
            json_int_t x = json_integer_value(json_object_get(r, "index"));
            if (x < 0 || (size_t)x >= n || seen[x]) {
                ap__err(err, AP_EFORMAT, path, "rows[%zu]: scenario %lld %s", i, (long long)x,
                        x < 0 || (size_t)x >= n ? "out of range" : "also in another part");
                json_decref(j);
                free(path);
                goto out;
            }
            seen[x] = 1;
            got++;
            json_array_append(rows, r);
        }
        json_decref(j);
        free(path);
    }
    if (got != n) {
        for (i = 0; i < n && seen[i]; i++)
            ;
        ap__err(err, AP_EFORMAT, outdir, "%zu of %zu scenarios present (first missing: %zu, \"%s\"); "
                "run the missing parts first", got, n, i,
                json_string_value(json_object_get(json_array_get(st.scen, i), "name")));
        goto out;
    }
    if (!(sorted = malloc(n * sizeof *sorted)) || !(all = json_array()))
        goto nomem;
    for (i = 0; i < n; i++)
        sorted[i] = json_array_get(rows, i);
    qsort(sorted, n, sizeof *sorted, cmp_rows);
    for (i = 0; i < n; i++)
        json_array_append(all, sorted[i]);
    {
        ap__stage stage;
        if (ap__stage_begin(&stage, outdir, err))
            goto out;
        stage.prune = ap__whatif_is_plot;
        if ((rc = finish(&st, all, stage.dir, err)) == 0)
            rc = ap__stage_commit(&stage, err);
        ap__stage_abort(&stage, err);
    }
    goto out;
nomem:
    ap__err(err, AP_ENOMEM, outdir, "out of memory");
out:
    if (d)
        closedir(d);
    free(seen);
    free(sorted);
    json_decref(all);
    json_decref(rows);
    ap__study_free(&st);
    return rc;
}
