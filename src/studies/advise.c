/* advise.c - "when and where should the next instance go?": the deployed
 * sites evaluated on the forecast buckets against the user's limits, and
 * the best single site to add or remove, each with its gain or loss. */
#include "studies_int.h"
#include "solver/solver.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ap_advise_opts_init(ap_advise_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_load = 1;
    o->max_mean_cost = o->max_worst_cost = o->max_objective = INFINITY;
    o->top = 3;
    ap_solve_opts_init(&o->solve);
    o->solve.time_limit = 5;
}

/* What one set of open sites gives on one demand. */
typedef struct {
    int ok;                /* a plan was found */
    double objective, mean, worst, load; /* load: highest load / capacity */
} eval;

/* Solves p (demand replaced by dem when not NULL) with exactly the sites
 * `open` open; uncapacitated models only need the assignment (greedy is
 * exact then). */
static int evaluate(const ap_problem *p, const double *dem, const unsigned char *open, const ap_advise_opts *o,
                    eval *e, ap_error *err)
{
    ap_problem *q = ap_problem_copy(p, err);
    ap_solve_opts so = o->solve;
    ap_plan *pl;
    size_t j, k, n = 0;
    double *ld;
    memset(e, 0, sizeof *e);
    e->objective = e->mean = e->worst = e->load = NAN;
    if (!q)
        return -1;
    if (dem)
        memcpy(q->demand, dem, q->nc * sizeof *dem);
    if (!q->pin && !(q->pin = calloc(q->ns, 1))) {
        ap_problem_free(q);
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    for (j = 0; j < q->ns; j++) {
        q->pin[j] = open[j];
        n += open[j];
    }
    q->k = (int)n;
    q->max_changes = -1;
    so.warm = NULL;
    so.log = NULL;
    if (!ap__capacitated(q))
        so.solver = AP_SOLVER_GREEDY;
    if (!(pl = ap_solve(q, &so, err))) {
        ap_problem_free(q);
        return -1;
    }
    if (ap_plan_status(pl) == AP_STATUS_OPTIMAL || ap_plan_status(pl) == AP_STATUS_FEASIBLE) {
        e->ok = 1;
        e->objective = ap_plan_objective(pl);
        e->mean = ap_plan_mean_cost(pl);
        e->worst = ap_plan_max_cost(pl);
        if ((ld = calloc(q->ns, sizeof *ld))) {
            for (k = 0; k < pl->asg.na; k++)
                ld[pl->asg.site[k]] += q->demand[pl->asg.client[k]] * pl->asg.share[k];
            for (j = 0; j < q->ns; j++)
                if (isfinite(q->cap[j]) && open[j]) {
                    double r = q->cap[j] > 0 ? ld[j] / q->cap[j] : (ld[j] > 0 ? INFINITY : 0);
                    if (isnan(e->load) || r > e->load)
                        e->load = r;
                }
            free(ld);
        }
    }
    ap_plan_free(pl);
    ap_problem_free(q);
    return 0;
}

/* The first limit e breaks, as a sentence into why (0: none). */
static int breaks(const eval *e, const ap_advise_opts *o, char *why, size_t n)
{
    if (!e->ok)
        snprintf(why, n, "the sites cannot serve the demand (capacities or allowed pairs)");
    else if (e->load > o->max_load + 1e-9)
        snprintf(why, n, "a site carries %.4g%% of its capacity (limit %.4g%%)", 100 * e->load, 100 * o->max_load);
    else if (e->mean > o->max_mean_cost)
        snprintf(why, n, "mean client cost %.6g above the limit %.6g", e->mean, o->max_mean_cost);
    else if (e->worst > o->max_worst_cost)
        snprintf(why, n, "worst client cost %.6g above the limit %.6g", e->worst, o->max_worst_cost);
    else if (e->objective > o->max_objective)
        snprintf(why, n, "objective %.10g above the limit %.10g", e->objective, o->max_objective);
    else
        return 0;
    return 1;
}

static int cmp_change(const void *x, const void *y)
{
    const ap_advice_site *a = x, *b = y;
    double u = isnan(a->change) ? a->objective : a->change, w = isnan(b->change) ? b->objective : b->change;
    return u < w ? -1 : u > w;
}

/* Every single-site change of `open` (add = 1: each closed site opened,
 * else each open one closed), evaluated on dem and ranked. */
static int rank(const ap_problem *p, const double *dem, unsigned char *open, double base, int add,
                const ap_advise_opts *o, ap_advice_site **out, size_t *nout, ap_error *err)
{
    size_t j, n = 0;
    ap_advice_site *v = calloc(p->ns + 1, sizeof *v);
    if (!v) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    for (j = 0; j < p->ns; j++) {
        eval e;
        if (open[j] == add || (!add && p->pin && p->pin[j]))
            continue;
        open[j] = (unsigned char)add;
        if (evaluate(p, dem, open, o, &e, err)) {
            open[j] = (unsigned char)!add;
            free(v);
            return -1;
        }
        open[j] = (unsigned char)!add;
        if (!e.ok)
            continue;
        v[n].site = p->sname[j]; /* copied below, once ranked */
        v[n].objective = e.objective;
        v[n].change = isfinite(base) ? e.objective - base : NAN; /* NaN: the current sites fail there */
        n++;
    }
    qsort(v, n, sizeof *v, cmp_change);
    if (n > o->top)
        n = o->top;
    for (j = 0; j < n; j++)
        if (!(v[j].site = ap__strdup(v[j].site))) {
            while (j--)
                free(v[j].site);
            free(v);
            ap__err(err, AP_ENOMEM, NULL, "out of memory");
            return -1;
        }
    *out = v;
    *nout = n;
    return 0;
}

/* The demand of bucket h (0: now). */
static const double *demand_at(const ap_problem *p, long h)
{
    return h <= 0 ? p->demand : p->future + (size_t)(h - 1) * p->nc;
}

/* The sentence for the scheduler. */
static void conclude(ap_advice *a)
{
    const char *when = a->breaks_at < 0 ? NULL : a->breaks_at == 0 ? "now" : "ahead";
    char in[48];
    if (a->breaks_at > 0)
        snprintf(in, sizeof in, "within %ld bucket(s)", a->breaks_at);
    else
        snprintf(in, sizeof in, "now");
    if (when && a->nadd)
        snprintf(a->advice, sizeof a->advice, "scale out %s: add %s (objective %.10g)", in, a->add[0].site,
                 a->add[0].objective);
    else if (when)
        snprintf(a->advice, sizeof a->advice, "the sites break a limit %s and no single added site serves the "
                 "demand: re-plan with more sites", when);
    else if (a->nremove)
        snprintf(a->advice, sizeof a->advice, "the %zu site(s) hold for the next %zu bucket(s); removing %s "
                 "costs least (%+.6g)", a->nsites, a->horizon, a->remove[0].site, a->remove[0].change);
    else
        snprintf(a->advice, sizeof a->advice, "the %zu site(s) hold for the next %zu bucket(s)", a->nsites,
                 a->horizon);
}

/* The current sites as flags of p (a plan solved now when there is none). */
static unsigned char *current_sites(const ap_problem *p, const ap_plan *current, const ap_advise_opts *o,
                                    ap_error *err)
{
    unsigned char *open = calloc(p->ns, 1);
    ap_plan *own = NULL;
    size_t j, k;
    if (!open) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    if (!current) {
        if (!(own = ap_solve(p, &o->solve, err)) || !own->nsites) {
            if (own)
                ap__err(err, AP_EINVAL, NULL, "no plan to advise on (%s: %s)", ap_status_name(own->status),
                        own->reason);
            ap_plan_free(own);
            free(open);
            return NULL;
        }
        current = own;
    }
    for (k = 0; k < current->nsites; k++)
        for (j = 0; j < p->ns; j++)
            if (!strcmp(p->sname[j], current->p->sname[current->sites[k]]))
                open[j] = 1;
    ap_plan_free(own);
    return open;
}

int ap_advise(const ap_problem *p, const ap_plan *current, const ap_advise_opts *opts, ap_advice *a,
              ap_error *err)
{
    ap_advise_opts def;
    unsigned char *open;
    eval now, e = {0};
    long h;
    size_t j;
    int rc = -1;
    if (!p || !a) {
        ap__err(err, AP_EINVAL, NULL, "ap_advise: a problem and an advice are needed");
        return -1;
    }
    if (!opts) {
        ap_advise_opts_init(&def);
        opts = &def;
    }
    memset(a, 0, sizeof *a);
    a->breaks_at = -1;
    a->optimum_plus_one = NAN;
    a->horizon = p->horizon;
    if (!(open = current_sites(p, current, opts, err)))
        return -1;
    for (j = 0; j < p->ns; j++)
        a->nsites += open[j];
    if (evaluate(p, NULL, open, opts, &now, err))
        goto out;
    a->objective = now.objective;
    a->mean_cost = now.mean;
    a->worst_cost = now.worst;
    a->max_load = now.load;
    /* when: the first bucket that breaks a limit */
    for (h = 0; h <= (long)p->horizon && a->breaks_at < 0; h++) {
        if (h > 0 && evaluate(p, demand_at(p, h), open, opts, &e, err))
            goto out;
        if (breaks(h ? &e : &now, opts, a->why, sizeof a->why))
            a->breaks_at = h;
    }
    /* where: one site more or one less, on the bucket that matters */
    {
        const double *dem = demand_at(p, a->breaks_at > 0 ? a->breaks_at : 0);
        double base = a->breaks_at > 0 ? e.objective : now.objective;
        if (rank(p, dem, open, base, 1, opts, &a->add, &a->nadd, err) ||
            (a->nsites > 1 && rank(p, dem, open, base, 0, opts, &a->remove, &a->nremove, err)))
            goto out;
    }
    {
        /* the best plan with one site more, re-solved from the current ones */
        ap_problem *q = ap_problem_copy(p, err);
        ap_plan *pl;
        if (!q)
            goto out;
        q->k = (int)a->nsites + 1;
        memcpy(q->demand, demand_at(p, a->breaks_at > 0 ? a->breaks_at : 0), q->nc * sizeof *q->demand);
        pl = ap_solve(q, &opts->solve, NULL);
        if (pl && (pl->status == AP_STATUS_OPTIMAL || pl->status == AP_STATUS_FEASIBLE))
            a->optimum_plus_one = pl->objective;
        ap_plan_free(pl);
        ap_problem_free(q);
    }
    conclude(a);
    rc = 0;
out:
    free(open);
    if (rc)
        ap_advice_free(a);
    return rc;
}

void ap_advice_free(ap_advice *a)
{
    size_t i;
    if (!a)
        return;
    for (i = 0; i < a->nadd; i++)
        free(a->add[i].site);
    for (i = 0; i < a->nremove; i++)
        free(a->remove[i].site);
    free(a->add);
    free(a->remove);
    a->add = a->remove = NULL;
    a->nadd = a->nremove = 0;
}
