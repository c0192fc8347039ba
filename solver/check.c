/* check.c - facts about a problem the solvers share: whether it is
 * infeasible on its face, whether it has capacities, how many new sites an
 * open set starts (re-placement limits). */
#include "solver.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int ap__capacitated(const ap_problem *p)
{
    size_t j;
    for (j = 0; j < p->ns; j++)
        if (isfinite(p->cap[j]))
            return 1;
    return 0;
}

static int cmp_desc_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x > y ? -1 : x < y;
}

size_t ap__fewest_sites(const ap_problem *p, const unsigned char *fix, double total, double *scratch)
{
    size_t j, m = 0, n = 0;
    double cap = 0;
    for (j = 0; j < p->ns; j++)
        if (!(fix && fix[j] == 1))
            scratch[m++] = p->cap[j];
    qsort(scratch, m, sizeof *scratch, cmp_desc_dbl);
    while (cap < total - 1e-9 * (1 + total)) {
        if (n == m)
            return p->ns + 1;
        cap += scratch[n++];
    }
    return n;
}

int ap__precheck(const ap_problem *p, char *reason, size_t n)
{
    size_t i, j;
    double total = 0;
    if (p->k && (size_t)p->k > p->ns) {
        snprintf(reason, n, "k = %d sites requested but only %zu candidate sites exist", p->k, p->ns);
        return 1;
    }
    {
        size_t npin = 0, newpin = 0, nexist = 0;
        for (j = 0; j < p->ns; j++) {
            int ex = p->existing && p->existing[j];
            if (p->pin && p->pin[j]) {
                npin++;
                newpin += !ex;
            }
            nexist += ex;
        }
        if (p->k && npin > (size_t)p->k) {
            snprintf(reason, n, "%zu sites are pinned open but k = %d", npin, p->k);
            return 1;
        }
        if (p->max_changes >= 0 && newpin > (size_t)p->max_changes) {
            snprintf(reason, n, "%zu pinned sites are new but at most %d changes are allowed",
                     newpin, p->max_changes);
            return 1;
        }
        if (p->max_changes >= 0 && p->k && (long)nexist + p->max_changes < p->k) {
            snprintf(reason, n, "k = %d sites needed but only %zu existing sites and %d changes allowed",
                     p->k, nexist, p->max_changes);
            return 1;
        }
    }
    for (i = 0; i < p->nc; i++) {
        int any = 0;
        total += p->demand[i];
        for (j = 0; j < p->ns && !any; j++)
            any = isfinite(p->cost[i * p->ns + j]);
        if (!any) {
            snprintf(reason, n, "client %s has no candidate site with a known cost", p->cname[i]);
            return 1;
        }
    }
    if (ap__capacitated(p)) {
        double *q = malloc(p->ns * sizeof *q), sum = 0;
        size_t m = p->k ? (size_t)p->k : p->ns;
        if (!q)
            return 0;
        memcpy(q, p->cap, p->ns * sizeof *q);
        qsort(q, p->ns, sizeof *q, cmp_desc_dbl);
        for (j = 0; j < m && j < p->ns; j++)
            sum += q[j];
        free(q);
        if (sum + 1e-9 < total) {
            if (p->k)
                snprintf(reason, n, "total demand %.10g exceeds the capacity %.10g of the %d largest sites",
                         total, sum, p->k);
            else
                snprintf(reason, n, "total demand %.10g exceeds the total capacity %.10g of all sites",
                         total, sum);
            return 1;
        }
        if (p->single_source) {
            for (i = 0; i < p->nc; i++) {
                int fits = 0;
                for (j = 0; j < p->ns && !fits; j++)
                    fits = isfinite(p->cost[i * p->ns + j]) && p->cap[j] + 1e-9 >= p->demand[i];
                if (!fits) {
                    snprintf(reason, n, "client %s (demand %.10g) fits in no allowed site (single-source)",
                             p->cname[i], p->demand[i]);
                    return 1;
                }
            }
        }
    }
    return 0;
}

int ap_problem_check(const ap_problem *p, char *reason, size_t n)
{
    char tmp[8];
    if (!reason || !n)
        reason = tmp, n = sizeof tmp;
    reason[0] = '\0';
    return p ? ap__precheck(p, reason, n) : 0;
}

/* The options of the solve running in this thread, for ap__cancelled. */
static _Thread_local const ap_solve_opts *running;

const ap_solve_opts *ap__solve_begin(const ap_solve_opts *o)
{
    const ap_solve_opts *was = running;
    running = o;
    return was;
}

int ap__cancelled(void)
{
    return running && running->cancel && running->cancel(running->cancel_ud);
}

int ap__stopped(double deadline)
{
    return ap__now() > deadline || ap__cancelled();
}
