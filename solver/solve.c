/* solve.c - the solver driver: prechecks, greedy warm start, GLPK, fallback. */
#include "solver.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ap_solve_opts_init(ap_solve_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->solver = AP_SOLVER_AUTO;
    o->time_limit = 0;
    o->mip_gap = 0;
}

static void solver_append(ap_plan *pl, const char *suffix)
{
    size_t n = strlen(pl->solver), m = strlen(suffix);
    if (n + m < sizeof pl->solver)
        memcpy(pl->solver + n, suffix, m + 1);
}

/* All sites have the same finite capacity. */
static int equal_capacities(const ap_problem *p)
{
    size_t j;
    for (j = 0; j < p->ns; j++)
        if (!isfinite(p->cap[j]) || p->cap[j] != p->cap[0])
            return 0;
    return p->ns > 0;
}

ap_plan *ap_solve(const ap_problem *p, const ap_solve_opts *opts, ap_error *err)
{
    ap_solve_opts def;
    ap_plan *plan;
    unsigned char *open = NULL;
    ap__assign a;
    double t0 = ap__now(), deadline, gdead;
    int g;

    if (!p) {
        ap__err(err, AP_EINVAL, NULL, "ap_solve: NULL problem");
        return NULL;
    }
    if (!opts) {
        ap_solve_opts_init(&def);
        opts = &def;
    }
    if (opts->mip_gap < 0 || opts->mip_gap >= 1 || isnan(opts->mip_gap)) {
        ap__err(err, AP_EINVAL, NULL, "mip_gap must be in [0, 1)");
        return NULL;
    }
    memset(&a, 0, sizeof a);
    plan = ap__plan_new(p);
    open = calloc(p->ns, 1);
    if (!plan || !open) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    /* keep a margin for building models and writing the plan, so that the
     * call returns within the time limit */
    deadline = opts->time_limit > 0
                   ? t0 + opts->time_limit - fmin(0.05 * opts->time_limit, 2.0)
                   : INFINITY;
    if (ap__precheck(p, plan->reason, sizeof plan->reason)) {
        plan->status = AP_STATUS_INFEASIBLE;
        snprintf(plan->solver, sizeof plan->solver, "precheck");
        goto out;
    }
    /* the heuristic gets at most a quarter of the time budget */
    gdead = isfinite(deadline) ? t0 + opts->time_limit * 0.25 : t0 + 30.0;
    g = -2;
    if (opts->warm && !ap__capacitated(p) && opts->warm->nsites > 0) {
        /* re-plan: start the local search from the previous plan's sites */
        size_t k, j, found = 0;
        const ap_plan *w = opts->warm;
        memset(open, 0, p->ns);
        for (k = 0; k < w->nsites; k++) {
            const char *name = w->p->sname[w->sites[k]];
            for (j = 0; j < p->ns; j++)
                if (!strcmp(p->sname[j], name)) {
                    open[j] = 1;
                    found++;
                    break;
                }
        }
        for (j = 0; j < p->ns; j++)
            if (p->pin && p->pin[j] && !open[j])
                open[j] = 1, found++;
        if (found > 0 && (!p->k || found == (size_t)p->k) && ap__changes_ok(p, open)) {
            g = ap__improve(p, opts, gdead, open, &a, err);
            if (g == 0)
                ap__log(opts, AP_LOG_INFO, "warm start from the previous plan's %zu sites", found);
        }
    }
    if (g == -2 || g == 1)
        g = ap__greedy(p, opts, gdead, open, &a, err);
    if (g < 0)
        goto fail;
    if (g == 0) {
        if (ap__plan_set(plan, open, &a)) {
            ap__err(err, AP_ENOMEM, NULL, "out of memory");
            goto fail;
        }
        plan->greedy_obj = plan->objective;
        plan->status = AP_STATUS_FEASIBLE;
        snprintf(plan->solver, sizeof plan->solver, "greedy+swap");
        ap__log(opts, AP_LOG_INFO, "greedy + local search: objective %.10g in %.3fs",
                plan->objective, ap__now() - t0);
    }
    if (opts->solver != AP_SOLVER_GREEDY) {
        ap_error ierr;
        ap_plan *ip;
        ap__lagr lg;
        memset(&lg, 0, sizeof lg);
        if (g == 0 && !ap__capacitated(p)) {
            /* Lagrangian bound: may prove the heuristic optimal outright,
             * and fixes sites so that the ILP is much smaller */
            double ub = plan->objective, now = ap__now();
            /* leave time for the ILP on big problems */
            double ldead = isfinite(deadline) ? now + 0.6 * (deadline - now) : INFINITY;
            if (ap__lagrange(p, opts, ldead, &ub, open, &a, &lg, err))
                goto fail;
            if (ub < plan->objective) {
                double gobj = plan->greedy_obj;
                if (ap__plan_set(plan, open, &a)) {
                    ap__err(err, AP_ENOMEM, NULL, "out of memory");
                    goto fail;
                }
                plan->greedy_obj = gobj;
                snprintf(plan->solver, sizeof plan->solver, "greedy+swap+lagrangian");
            }
            if (lg.proven) {
                plan->status = AP_STATUS_OPTIMAL;
                plan->bound = lg.integral ? ceil(lg.lb - 1e-6) : lg.lb;
                if (plan->bound > plan->objective)
                    plan->bound = plan->objective;
                solver_append(plan, ", lagrangian bound");
                free(lg.fix);
                goto out;
            }
            plan->bound = lg.lb;
        } else if (g == 0 && !p->single_source && equal_capacities(p)) {
            double now = ap__now();
            double ldead = isfinite(deadline) ? now + 0.3 * (deadline - now) : now + 60;
            if (ap__lagrange_cfl(p, opts, ldead, plan->objective, open, &lg, err))
                goto fail;
            if (lg.proven) {
                plan->status = AP_STATUS_OPTIMAL;
                plan->bound = plan->objective;
                solver_append(plan, ", lagrangian bound");
                free(lg.fix);
                goto out;
            }
            if (isfinite(lg.lb))
                plan->bound = lg.lb;
        }
        if (isfinite(deadline) && deadline - ap__now() < 0.5) {
            snprintf(plan->reason, sizeof plan->reason,
                     "time limit reached before branch-and-cut could start");
            free(lg.fix);
            goto out;
        }
        ip = ap__plan_new(p);
        if (!ip) {
            free(lg.fix);
            ap__err(err, AP_ENOMEM, NULL, "out of memory");
            goto fail;
        }
        ap_error_clear(&ierr);
        if (ap__ilp(p, opts, deadline, g == 0 ? open : NULL, &a, lg.fix, ip, &ierr) != 0) {
            ap_plan_free(ip);
            free(lg.fix);
            if (opts->solver == AP_SOLVER_ILP || g != 0) {
                if (err && err->code == AP_OK)
                    *err = ierr;
                goto fail;
            }
            ap__log(opts, AP_LOG_WARN, "ILP failed (%s); keeping the greedy plan", ierr.text);
            snprintf(plan->reason, sizeof plan->reason, "ILP failed, greedy fallback: %.*s",
                     (int)(sizeof plan->reason - 40), ierr.text);
        } else if (ip->status == AP_STATUS_INFEASIBLE && lg.fix) {
            /* with sites fixed against the incumbent, "no better plan
             * exists" shows up as infeasible: the incumbent is optimal */
            plan->status = AP_STATUS_OPTIMAL;
            plan->bound = plan->objective;
            solver_append(plan, ", proven by branch-and-cut");
            ap_plan_free(ip);
            free(lg.fix);
        } else if (ip->status == AP_STATUS_OPTIMAL || ip->status == AP_STATUS_INFEASIBLE ||
                   (ip->status == AP_STATUS_FEASIBLE &&
                    (g != 0 || ip->objective <= plan->objective + 1e-9 * (1 + fabs(plan->objective))))) {
            double gobj = plan->greedy_obj;
            if (ip->status == AP_STATUS_FEASIBLE && isfinite(plan->bound) &&
                !(ip->bound > plan->bound))
                ip->bound = plan->bound;
            if (ip->status == AP_STATUS_OPTIMAL && ip->objective > plan->objective) {
                /* restricted model proven no better than the incumbent */
                plan->status = AP_STATUS_OPTIMAL;
                plan->bound = plan->objective;
                solver_append(plan, ", proven by branch-and-cut");
                ap_plan_free(ip);
            } else {
                ap_plan_free(plan);
                plan = ip;
                plan->greedy_obj = gobj;
            }
            free(lg.fix);
        } else {
            /* ILP did not beat the heuristic: keep it, with the better bound */
            if (isfinite(ip->bound) && !(ip->bound <= plan->bound))
                plan->bound = ip->bound;
            plan->nodes = ip->nodes;
            if (ip->reason[0])
                snprintf(plan->reason, sizeof plan->reason, "%s", ip->reason);
            ap_plan_free(ip);
            free(lg.fix);
        }
    } else if (g != 0) {
        plan->status = AP_STATUS_NOSOLUTION;
        snprintf(plan->reason, sizeof plan->reason, "the greedy heuristic found no feasible plan "
                 "(the problem may still be feasible; try --solver ilp)");
    }
out:
    if (plan->status == AP_STATUS_OPTIMAL || plan->status == AP_STATUS_FEASIBLE) {
        if (isfinite(plan->bound) && isfinite(plan->objective))
            plan->gap = fabs(plan->objective) > 1e-12
                            ? (plan->objective - plan->bound) / fabs(plan->objective) : 0;
        if (plan->status == AP_STATUS_OPTIMAL && !(plan->gap > 0))
            plan->gap = 0;
        if (isfinite(plan->gap) && plan->gap < 0)
            plan->gap = 0;
    }
    plan->seconds = ap__now() - t0;
    free(open);
    ap__assign_free(&a);
    return plan;
fail:
    free(open);
    ap__assign_free(&a);
    ap_plan_free(plan);
    return NULL;
}
