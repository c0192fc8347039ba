/* plan.c - placement plans: solution storage, objective evaluation, accessors. */
#include "model_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ap__assign_clear(ap__assign *a) { a->na = 0; }

int ap__assign_push(ap__assign *a, size_t i, size_t j, double share)
{
    if (a->na == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 64;
        size_t *ci = realloc(a->client, nc * sizeof *ci);
        size_t *si;
        double *sh;
        if (!ci)
            return -1;
        a->client = ci;
        si = realloc(a->site, nc * sizeof *si);
        if (!si)
            return -1;
        a->site = si;
        sh = realloc(a->share, nc * sizeof *sh);
        if (!sh)
            return -1;
        a->share = sh;
        a->cap = nc;
    }
    a->client[a->na] = i;
    a->site[a->na] = j;
    a->share[a->na] = share;
    a->na++;
    return 0;
}

void ap__assign_free(ap__assign *a)
{
    free(a->client);
    free(a->site);
    free(a->share);
    memset(a, 0, sizeof *a);
}

double ap__objective(const ap_problem *p, const unsigned char *open, const ap__assign *a)
{
    double z = 0;
    size_t j, k;
    for (j = 0; j < p->ns; j++)
        if (open[j])
            z += p->fcost[j];
    for (k = 0; k < a->na; k++)
        z += p->demand[a->client[k]] * p->cost[a->client[k] * p->ns + a->site[k]] * a->share[k];
    return z;
}

ap_plan *ap__plan_new(const ap_problem *p)
{
    ap_plan *plan = calloc(1, sizeof *plan);
    if (!plan)
        return NULL;
    plan->p = p;
    plan->open = calloc(p->ns, 1);
    plan->sites = malloc(p->ns * sizeof *plan->sites);
    if (!plan->open || !plan->sites) {
        ap_plan_free(plan);
        return NULL;
    }
    plan->status = AP_STATUS_NOSOLUTION;
    plan->objective = plan->bound = plan->gap = plan->greedy_obj = NAN;
    return plan;
}

int ap__plan_set(ap_plan *plan, const unsigned char *open, const ap__assign *a)
{
    size_t j, k;
    const ap_problem *p = plan->p;
    ap__assign_clear(&plan->asg);
    for (k = 0; k < a->na; k++)
        if (ap__assign_push(&plan->asg, a->client[k], a->site[k], a->share[k]))
            return -1;
    plan->nsites = 0;
    for (j = 0; j < p->ns; j++) {
        plan->open[j] = open[j] ? 1 : 0;
        if (open[j])
            plan->sites[plan->nsites++] = j;
    }
    plan->objective = ap__objective(p, open, a);
    return 0;
}

void ap_plan_free(ap_plan *plan)
{
    if (!plan)
        return;
    free(plan->open);
    free(plan->sites);
    ap__assign_free(&plan->asg);
    free(plan);
}

const char *ap_status_name(ap_status s)
{
    switch (s) {
    case AP_STATUS_OPTIMAL: return "optimal";
    case AP_STATUS_FEASIBLE: return "feasible";
    case AP_STATUS_INFEASIBLE: return "infeasible";
    case AP_STATUS_NOSOLUTION: return "no-solution";
    }
    return "unknown";
}

ap_status ap_plan_status(const ap_plan *pl) { return pl ? pl->status : AP_STATUS_NOSOLUTION; }
double ap_plan_objective(const ap_plan *pl) { return pl ? pl->objective : NAN; }
double ap_plan_bound(const ap_plan *pl) { return pl ? pl->bound : NAN; }
double ap_plan_gap(const ap_plan *pl) { return pl ? pl->gap : NAN; }
const char *ap_plan_solver(const ap_plan *pl) { return pl ? pl->solver : ""; }
const char *ap_plan_reason(const ap_plan *pl) { return pl ? pl->reason : ""; }
double ap_plan_seconds(const ap_plan *pl) { return pl ? pl->seconds : NAN; }
double ap_plan_greedy_objective(const ap_plan *pl) { return pl ? pl->greedy_obj : NAN; }
size_t ap_plan_nsites(const ap_plan *pl) { return pl ? pl->nsites : 0; }
const ap_problem *ap_plan_problem(const ap_plan *pl) { return pl ? pl->p : NULL; }
size_t ap_plan_site(const ap_plan *pl, size_t i)
{
    return pl && i < pl->nsites ? pl->sites[i] : (size_t)-1;
}
double ap_plan_share(const ap_plan *pl, size_t i, size_t j)
{
    size_t k;
    double s = 0;
    if (!pl)
        return 0;
    for (k = 0; k < pl->asg.na; k++)
        if (pl->asg.client[k] == i && pl->asg.site[k] == j)
            s += pl->asg.share[k];
    return s;
}

/* Per-unit cost of each client under the plan's assignment. */
void ap__plan_client_costs(const ap_plan *pl, double *cc)
{
    const ap_problem *p = pl->p;
    size_t k;
    memset(cc, 0, p->nc * sizeof *cc);
    for (k = 0; k < pl->asg.na; k++)
        cc[pl->asg.client[k]] += (p->mcost ? p->mcost : p->cost)[pl->asg.client[k] * p->ns + pl->asg.site[k]] *
                                 pl->asg.share[k];
}

static double cost_stat(const ap_plan *pl, int want_max)
{
    const ap_problem *p;
    double *cc, num = 0, den = 0, mx = 0;
    size_t i;
    if (!pl || pl->asg.na == 0)
        return NAN;
    p = pl->p;
    cc = malloc(p->nc * sizeof *cc);
    if (!cc)
        return NAN;
    ap__plan_client_costs(pl, cc);
    for (i = 0; i < p->nc; i++) {
        num += p->demand[i] * cc[i];
        den += p->demand[i];
        if (cc[i] > mx)
            mx = cc[i];
    }
    free(cc);
    return want_max ? mx : (den > 0 ? num / den : NAN);
}

double ap_plan_mean_cost(const ap_plan *pl) { return cost_stat(pl, 0); }
double ap_plan_max_cost(const ap_plan *pl) { return cost_stat(pl, 1); }
