/* replan.c - the re-placement policy: keep the deployed sites or move, from
 * today's problem, with a threshold on change, hysteresis (margin) and a
 * migration cost per newly opened site.  `altoplace watch`, the scheduler
 * example and bench/replan all decide through ap_replan. */
#include "studies_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ap_replan_policy_init(ap_replan_policy *pol)
{
    memset(pol, 0, sizeof *pol);
    pol->margin = 0.01;
}

const char *ap_replan_action_name(ap_replan_action a)
{
    switch (a) {
    case AP_REPLAN_FIRST: return "first";
    case AP_REPLAN_UNCHANGED: return "unchanged";
    case AP_REPLAN_KEEP: return "keep";
    case AP_REPLAN_MOVE: return "move";
    case AP_REPLAN_NOPLAN: return "no-plan";
    }
    return "unknown";
}

static int usable(const ap_plan *pl)
{
    return pl && (ap_plan_status(pl) == AP_STATUS_OPTIMAL || ap_plan_status(pl) == AP_STATUS_FEASIBLE);
}

/* Sites of plan a (of problem pa) that plan b (of problem pb) does not open. */
static size_t sites_not_in(const ap_plan *a, const ap_plan *b)
{
    size_t i, j, n = 0;
    for (i = 0; i < a->nsites; i++) {
        int kept = 0;
        for (j = 0; j < b->nsites && !kept; j++)
            kept = !strcmp(a->p->sname[a->sites[i]], b->p->sname[b->sites[j]]);
        n += !kept;
    }
    return n;
}

/* The current sites on today's problem: a copy of p with them pinned and
 * k equal to their number, solved.  NULL when they cannot be evaluated
 * (none of them is a candidate any more) or cannot serve it. */
static ap_plan *keep_plan(const ap_problem *p, const ap_plan *current, const ap_solve_opts *opts,
                          ap_problem **kpp)
{
    ap_problem *kp = ap_problem_copy(p, NULL);
    ap_solve_opts ko = *opts;
    ap_plan *keep = NULL;
    int pinned = kp ? ap_problem_pin_sites_of(kp, current, NULL) : -1;
    if (pinned > 0 && ap_problem_set_k(kp, pinned, NULL) == 0) {
        ko.warm = NULL;
        keep = ap_solve(kp, &ko, NULL);
    }
    if (!usable(keep)) {
        ap_plan_free(keep);
        ap_problem_free(kp);
        return NULL;
    }
    *kpp = kp;
    return keep;
}

static void free_names(char **v, size_t n)
{
    size_t i;
    for (i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void ap_replan_decision_free(ap_replan_decision *d)
{
    if (!d)
        return;
    ap_plan_free(d->plan);
    ap_problem_free(d->keep_problem);
    free_names(d->opened, d->nopened);
    free_names(d->closed, d->nclosed);
    free_names(d->kept, d->nkept);
    d->plan = NULL;
    d->keep_problem = NULL;
    d->opened = d->closed = d->kept = NULL;
    d->nopened = d->nclosed = d->nkept = 0;
}

/* Whether plan pl opens a site called name. */
static int opens(const ap_plan *pl, const char *name)
{
    size_t k;
    for (k = 0; pl && k < pl->nsites; k++)
        if (!strcmp(pl->p->sname[pl->sites[k]], name))
            return 1;
    return 0;
}

/* Names of the sites of a that b does (want = 1) or does not (0) open. */
static int names_of(const ap_plan *a, const ap_plan *b, int want, char ***out, size_t *n)
{
    size_t k;
    *n = 0;
    if (!(*out = calloc((a ? a->nsites : 0) + 1, sizeof **out)))
        return -1;
    for (k = 0; a && k < a->nsites; k++) {
        const char *name = a->p->sname[a->sites[k]];
        if (opens(b, name) == want && !((*out)[(*n)++] = ap__strdup(name)))
            return -1;
    }
    return 0;
}

/* opened / closed / kept for moving from current to next (next NULL: the
 * current sites stay). */
static int fill_changes(ap_replan_decision *d, const ap_plan *next, const ap_plan *current, ap_error *err)
{
    int rc;
    if (next)
        rc = names_of(next, current, 0, &d->opened, &d->nopened) ||
             names_of(current, next, 0, &d->closed, &d->nclosed) || names_of(next, current, 1, &d->kept, &d->nkept);
    else
        rc = names_of(NULL, NULL, 0, &d->opened, &d->nopened) || names_of(NULL, NULL, 0, &d->closed, &d->nclosed) ||
             names_of(current, current, 1, &d->kept, &d->nkept);
    if (rc) {
        ap_replan_decision_free(d);
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    return 0;
}

int ap_replan(const ap_problem *p, const ap_plan *current, const ap_replan_policy *pol,
              const ap_solve_opts *opts, ap_replan_decision *d, ap_error *err)
{
    ap_replan_policy defp;
    ap_solve_opts defo, so;
    ap_plan *np;
    if (!p || !d) {
        ap__err(err, AP_EINVAL, NULL, "ap_replan: a problem and a decision are needed");
        return -1;
    }
    if (!pol) {
        ap_replan_policy_init(&defp);
        pol = &defp;
    }
    if (!opts) {
        ap_solve_opts_init(&defo);
        opts = &defo;
    }
    memset(d, 0, sizeof *d);
    d->new_objective = d->keep_objective = NAN;
    d->change = current ? ap_problem_difference(current->p, p) : INFINITY;
    /* a current plan never evaluated (read back from a file) is always
     * weighed against a new one */
    if (current && !isnan(current->objective) && !(d->change > pol->threshold)) {
        d->action = AP_REPLAN_UNCHANGED;
        snprintf(d->reason, sizeof d->reason, "change %.3g is within the threshold %.3g", d->change,
                 pol->threshold);
        return fill_changes(d, NULL, current, err);
    }
    so = *opts;
    so.warm = current;
    if (!(np = ap_solve(p, &so, err)))
        return -1;
    d->plan = np;
    if (!usable(np)) {
        d->action = AP_REPLAN_NOPLAN;
        snprintf(d->reason, sizeof d->reason, "no plan (%s): %s", ap_status_name(ap_plan_status(np)),
                 ap_plan_reason(np));
        return fill_changes(d, NULL, current, err);
    }
    d->new_objective = ap_plan_objective(np);
    if (!current) {
        d->action = AP_REPLAN_FIRST;
        d->moved = np->nsites;
        snprintf(d->reason, sizeof d->reason, "first plan");
        return fill_changes(d, np, NULL, err);
    }
    {
        ap_problem *kp = NULL;
        ap_plan *keep = keep_plan(p, current, opts, &kp);
        d->keep_objective = keep ? ap_plan_objective(keep) : INFINITY;
        d->moved = sites_not_in(np, current);
        d->migration = pol->migration_cost * (double)d->moved;
        if (!(d->new_objective + d->migration < d->keep_objective * (1 - pol->margin))) {
            d->action = AP_REPLAN_KEEP;
            snprintf(d->reason, sizeof d->reason, "change %.3g; keeping the plan (new %.10g + migration %.10g vs "
                     "current %.10g)", d->change, d->new_objective, d->migration, d->keep_objective);
            ap_plan_free(np);
            d->plan = keep;
            d->keep_problem = kp;
            return fill_changes(d, NULL, current, err);
        }
        ap_plan_free(keep);
        ap_problem_free(kp);
    }
    d->action = AP_REPLAN_MOVE;
    snprintf(d->reason, sizeof d->reason, "change %.3g; moving %zu site(s) (new %.10g + migration %.10g < "
             "current %.10g)", d->change, d->moved, d->new_objective, d->migration, d->keep_objective);
    return fill_changes(d, np, current, err);
}
