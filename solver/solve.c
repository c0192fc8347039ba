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

static _Thread_local int test_cut; /* ap__solve_test_cut */

void ap__solve_test_cut(int on)
{
    test_cut = on;
}

/* One solve: what the stages share. */
typedef struct {
    const ap_problem *p;
    const ap_solve_opts *o;
    ap_error *err;
    ap_plan *plan;          /* the incumbent (replaced by a better ILP plan) */
    unsigned char *open;    /* its open sites while the heuristics work */
    ap__assign a;
    double t0, deadline, gdead;
    int g;                  /* heuristic: 0 found a plan, 1 none, -1 error */
    int cut;                /* and it stopped at its deadline (gdead) */
    ap__lagr lg;
} run;

/* Opens the previous plan's sites (matched by name) and the pinned ones;
 * how many. */
static size_t warm_sites(run *r)
{
    const ap_problem *p = r->p;
    const ap_plan *w = r->o->warm;
    size_t k, j, found = 0;
    memset(r->open, 0, p->ns);
    for (k = 0; k < w->nsites; k++) {
        const char *name = w->p->sname[w->sites[k]];
        for (j = 0; j < p->ns; j++)
            if (!strcmp(p->sname[j], name)) {
                r->open[j] = 1;
                found++;
                break;
            }
    }
    for (j = 0; j < p->ns; j++)
        if (p->pin && p->pin[j] && !r->open[j])
            r->open[j] = 1, found++;
    return found;
}

/* Greedy + local search, or local search from the warm start; the plan
 * becomes feasible when one is found.  0, or -1 on error. */
static int heuristic(run *r)
{
    const ap_problem *p = r->p;
    r->g = -2;
    if (r->o->warm && r->o->warm->nsites > 0) {
        /* re-plan: start the local search from the previous plan's sites */
        size_t found = warm_sites(r);
        if (found > 0 && (!p->k || found == (size_t)p->k) && ap__changes_ok(p, r->open)) {
            r->g = ap__improve(p, r->o, r->gdead, r->open, &r->a, r->err);
            if (r->g == 0)
                ap__log(r->o, AP_LOG_INFO, "warm start from the previous plan's %zu sites", found);
        }
    }
    if (r->g == -2 || r->g == 1)
        r->g = ap__greedy(p, r->o, test_cut ? r->t0 : r->gdead, r->open, &r->a, r->err);
    if (r->g < 0)
        return -1;
    r->cut = test_cut || ap__stopped(r->gdead);
    if (r->g == 0) {
        if (ap__plan_set(r->plan, r->open, &r->a)) {
            ap__err(r->err, AP_ENOMEM, NULL, "out of memory");
            return -1;
        }
        r->plan->greedy_obj = r->plan->objective;
        r->plan->status = AP_STATUS_FEASIBLE;
        snprintf(r->plan->solver, sizeof r->plan->solver, "greedy+swap");
        ap__log(r->o, AP_LOG_INFO, "greedy + local search: objective %.10g in %.3fs", r->plan->objective,
                ap__now() - r->t0);
    }
    return 0;
}

/* Whether ap__lagrange_ss applies: single source, finite capacities
 * somewhere, no limit on changes. */
static int single_source_capacitated(const ap_problem *p)
{
    return p->single_source && ap__capacitated(p) && p->max_changes < 0;
}

/* Whether ap__lagrange_cfl applies: split demand, some capacity finite. */
static int split_capacitated(const ap_problem *p)
{
    return !p->single_source && ap__capacitated(p);
}

/* The Lagrangian method improved the incumbent to ub: take its plan. */
static int take_lagrangian(run *r, double ub)
{
    ap_plan *plan = r->plan;
    double gobj = plan->greedy_obj;
    if (!(ub < plan->objective))
        return 0;
    if (ap__plan_set(plan, r->open, &r->a)) {
        ap__err(r->err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    plan->greedy_obj = gobj;
    snprintf(plan->solver, sizeof plan->solver, "greedy+swap+lagrangian");
    return 0;
}

/* The Lagrangian bound proved the incumbent optimal. */
static void lagrangian_proof(run *r)
{
    ap_plan *plan = r->plan;
    plan->status = AP_STATUS_OPTIMAL;
    plan->bound = r->lg.integral ? ceil(r->lg.lb - 1e-6) : r->lg.lb;
    if (plan->bound > plan->objective)
        plan->bound = plan->objective;
    solver_append(plan, ", lagrangian bound");
}

/* Uncapacitated models go to the Benders decomposition (AUTO, BENDERS),
 * or to the compact Elloumi model (ILP). */
static int use_benders(const run *r)
{
    return !ap__capacitated(r->p) && r->o->solver != AP_SOLVER_ILP;
}

/* Facility location without k goes to the Lagrangian branch-and-bound
 * (AUTO only). */
static int use_ufl(const run *r)
{
    return r->o->solver == AP_SOLVER_AUTO && ap__ufl_applies(r->p);
}

/* On problems with more than BENDERS_PAIRS client-site pairs, the
 * Lagrangian bound before the Benders master stops when it stalls (in
 * BENDERS_LAGR_STALL seconds it moves less than 0.01%, closes less than a
 * tenth of the gap and fixes under 1% more sites): the master, seeded
 * with the cuts of the best multipliers, closes the rest faster than the
 * subgradient's tail, while with few medians the subgradient keeps going
 * as long as it fixes sites or nears a proof. */
#define BENDERS_PAIRS 250000.0
#define BENDERS_LAGR_STALL 1.0
static int large_benders(const run *r)
{
    return use_benders(r) && (double)r->p->nc * (double)r->p->ns > BENDERS_PAIRS;
}

/* Lagrangian bounds: may prove the incumbent optimal outright (1), and fix
 * sites (and client-site pairs) so that the ILP is much smaller (0); -1 on
 * error. */
static int bounds(run *r)
{
    const ap_problem *p = r->p;
    ap_plan *plan = r->plan;
    double now = ap__now(), ub = plan->objective;
    if (r->g != 0)
        return 0;
    if (!ap__capacitated(p)) {
        /* leave time for the ILP on big problems; the Benders master proves
         * large ones faster than the last iterations of the subgradient */
        double ldead = isfinite(r->deadline) ? now + 0.6 * (r->deadline - now) : INFINITY;
        double stall = large_benders(r) ? BENDERS_LAGR_STALL : 0;
        if (ap__lagrange(p, r->o, ldead, stall, &ub, r->open, &r->a, &r->lg, r->err) ||
            take_lagrangian(r, ub))
            return -1;
    } else if (single_source_capacitated(p)) {
        double ldead = isfinite(r->deadline) ? now + 0.4 * (r->deadline - now) : now + 60;
        if (ap__lagrange_ss(p, r->o, ldead, &ub, r->open, &r->a, &r->lg, r->err) || take_lagrangian(r, ub))
            return -1;
    } else if (split_capacitated(p)) {
        double ldead = isfinite(r->deadline) ? now + 0.3 * (r->deadline - now) : now + 60;
        if (ap__lagrange_cfl(p, r->o, ldead, &ub, r->open, &r->a, &r->lg, r->err) || take_lagrangian(r, ub))
            return -1;
        if (r->lg.proven) {
            plan->status = AP_STATUS_OPTIMAL;
            plan->bound = plan->objective;
            solver_append(plan, ", lagrangian bound");
            return 1;
        }
        if (isfinite(r->lg.lb))
            plan->bound = r->lg.lb;
        return 0;
    } else {
        return 0;
    }
    if (r->lg.proven) {
        lagrangian_proof(r);
        return 1;
    }
    if (isfinite(r->lg.lb))
        plan->bound = r->lg.lb;
    return 0;
}

/* --solver greedy on a capacitated model (single source, or split
 * demand): the Lagrangian method's heuristic for at most
 * half a second (its bound is reported, and proves the plan optimal when it
 * meets it). */
static int lagrangian_heuristic(run *r)
{
    double ub = r->plan->objective, now = ap__now();
    double ldead = fmin(now + 0.5, r->deadline);
    if ((single_source_capacitated(r->p)
         ? ap__lagrange_ss(r->p, r->o, ldead, &ub, r->open, &r->a, &r->lg, r->err)
         : ap__lagrange_cfl(r->p, r->o, ldead, &ub, r->open, &r->a, &r->lg, r->err)) ||
        take_lagrangian(r, ub))
        return -1;
    if (r->lg.proven)
        lagrangian_proof(r);
    else if (isfinite(r->lg.lb))
        r->plan->bound = r->lg.lb;
    return 0;
}

/* Split-demand facility location (k free, AUTO): the Lagrangian
 * branch-and-bound of cfl_tree.c for up to half the time left (CFL_TREE_TIME
 * seconds without a time limit); a tree left unfinished hands its bound
 * and the root's fixings to branch-and-cut.  1 proven, 0 not, -1 error. */
#define CFL_TREE_TIME 60.0
static int cfl_tree(run *r)
{
    ap_plan *plan = r->plan;
    double now = ap__now(), ub = plan->objective, lb = -INFINITY;
    double tdead = isfinite(r->deadline) ? now + 0.5 * (r->deadline - now) : now + CFL_TREE_TIME;
    int rc;
    if (r->o->solver != AP_SOLVER_AUTO || r->g != 0 || !r->lg.fix || !ap__cfl_tree_applies(r->p))
        return 0;
    rc = ap__cfl_tree(r->p, r->o, tdead, &r->lg, &ub, r->open, &r->a, &lb, r->err);
    if (rc < 0 || take_lagrangian(r, ub))
        return -1;
    plan = r->plan;
    if (rc == 1) {
        plan->status = AP_STATUS_OPTIMAL;
        plan->bound = plan->objective;
        solver_append(plan, ", cfl branch-and-bound");
        return 1;
    }
    if (isfinite(lb) && !(lb <= plan->bound))
        plan->bound = fmin(lb, plan->objective);
    return 0;
}

/* The p-median with few medians (k fixed, at most MEDIAN_TREE_K, no
 * capacities, AUTO): the Lagrangian tree of ufl.c before the Benders
 * decomposition, for MEDIAN_TREE_SHARE of the time left (MEDIAN_TREE_TIME
 * seconds without a time limit); from half of that time on it goes on only
 * while its predicted end comes well before MEDIAN_TREE_HARD of the time
 * left (MEDIAN_TREE_HARD / MEDIAN_TREE_SHARE times MEDIAN_TREE_TIME), and
 * it gives way when its nodes are slow: see ufl.c's give_way.  An
 * unfinished tree hands on its incumbent and bound.  1 proven, 0 not, -1
 * error. */
#define MEDIAN_TREE_SHARE 0.4
#define MEDIAN_TREE_HARD 0.75
#define MEDIAN_TREE_TIME 30.0
#define MEDIAN_TREE_RATE 20.0   /* nodes a second below which the tree gives way */
/* With more medians than this the tree is not tried: it branches on sites,
 * and with few medians the penalties close most sites at once, while with
 * many (50-500 on 1,000-3,000 points: bench/pmed_large.sh) it only took
 * time from the Benders cut loop, whose LP bound is as strong. */
#define MEDIAN_TREE_K 20
static void merge_ilp(run *r, ap_plan *ip);
static int median_tree(run *r)
{
    const ap_problem *p = r->p;
    ap_plan *ip;
    ap_error terr;
    double now = ap__now();
    double left = isfinite(r->deadline) ? r->deadline - now : MEDIAN_TREE_TIME / MEDIAN_TREE_SHARE;
    ap__tbudget bud = {now + MEDIAN_TREE_SHARE * left, now + MEDIAN_TREE_HARD * left, MEDIAN_TREE_RATE};
    if (r->o->solver != AP_SOLVER_AUTO || r->g != 0 || p->k <= 0 || p->k > MEDIAN_TREE_K ||
        !ap__ufl_applies_any_k(p))
        return 0;
    if (!(ip = ap__plan_new(p))) {
        ap__err(r->err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    ap_error_clear(&terr);
    if (ap__ufl(p, r->o, bud, r->open, r->lg.fix ? &r->lg : NULL, ip, &terr)) {
        ap_plan_free(ip);
        if (terr.code == AP_ENOMEM) {
            if (r->err && r->err->code == AP_OK)
                *r->err = terr;
            return -1;
        }
        return 0;
    }
    if (ip->status == AP_STATUS_OPTIMAL) {
        merge_ilp(r, ip);
        return 1;
    }
    if (ip->status == AP_STATUS_FEASIBLE && ip->objective < r->plan->objective - 1e-9 * fabs(r->plan->objective)) {
        double gobj = r->plan->greedy_obj, b = r->plan->bound;
        memcpy(r->open, ip->open, p->ns);
        if (ap__assign_nearest(p, r->open, &r->a) != 0 || ap__plan_set(r->plan, r->open, &r->a)) {
            ap_plan_free(ip);
            ap__err(r->err, AP_ENOMEM, NULL, "out of memory");
            return -1;
        }
        r->plan->greedy_obj = gobj;
        r->plan->bound = b;
        solver_append(r->plan, ", median tree");
    }
    if (isfinite(ip->bound) && !(ip->bound <= r->plan->bound))
        r->plan->bound = fmin(ip->bound, r->plan->objective);
    ap_plan_free(ip);
    return 0;
}

/* Takes the ILP's answer ip: as the plan, as a proof for the incumbent, or
 * only for its bound. */
static void merge_ilp(run *r, ap_plan *ip)
{
    ap_plan *plan = r->plan;
    if (ip->status == AP_STATUS_INFEASIBLE && r->lg.fix) {
        /* with sites fixed against the incumbent, "no better plan exists"
         * shows up as infeasible: the incumbent is optimal */
        plan->status = AP_STATUS_OPTIMAL;
        plan->bound = plan->objective;
        solver_append(plan, ", proven by branch-and-cut");
        ap_plan_free(ip);
    } else if (ip->status == AP_STATUS_OPTIMAL || ip->status == AP_STATUS_INFEASIBLE ||
               (ip->status == AP_STATUS_FEASIBLE &&
                (r->g != 0 || ip->objective <= plan->objective + 1e-9 * (1 + fabs(plan->objective))))) {
        double gobj = plan->greedy_obj;
        if (ip->status == AP_STATUS_FEASIBLE && isfinite(plan->bound) && !(ip->bound > plan->bound))
            ip->bound = plan->bound;
        if (ip->status == AP_STATUS_OPTIMAL && ip->objective > plan->objective) {
            /* restricted model proven no better than the incumbent */
            plan->status = AP_STATUS_OPTIMAL;
            plan->bound = plan->objective;
            solver_append(plan, ", proven by branch-and-cut");
            ap_plan_free(ip);
        } else {
            ap_plan_free(plan);
            r->plan = ip;
            ip->greedy_obj = gobj;
        }
    } else {
        /* ILP did not beat the heuristic: keep it, with the better bound */
        if (isfinite(ip->bound) && !(ip->bound <= plan->bound))
            plan->bound = ip->bound;
        plan->nodes = ip->nodes;
        if (ip->reason[0])
            snprintf(plan->reason, sizeof plan->reason, "%s", ip->reason);
        ap_plan_free(ip);
    }
}

/* GLPK branch-and-cut seeded with the incumbent; a GLPK failure falls back
 * to the heuristic's plan unless the caller asked for the ILP.  0 or -1. */
static int branch_and_cut(run *r)
{
    ap_error ierr;
    ap_plan *ip;
    if (isfinite(r->deadline) && r->deadline - ap__now() < 0.5) {
        snprintf(r->plan->reason, sizeof r->plan->reason, "time limit reached before branch-and-cut could start");
        return 0;
    }
    if (!(ip = ap__plan_new(r->p))) {
        ap__err(r->err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    ap_error_clear(&ierr);
    if ((use_ufl(r) ? ap__ufl(r->p, r->o, (ap__tbudget){r->deadline, r->deadline, 0}, r->g == 0 ? r->open : NULL,
                              r->lg.fix ? &r->lg : NULL, ip, &ierr)
         : use_benders(r)
         ? ap__benders(r->p, r->o, r->deadline, r->g == 0 ? r->open : NULL, r->lg.fix ? &r->lg : NULL,
                       r->plan->objective, ip, &ierr)
         : ap__ilp(r->p, r->o, r->deadline, r->g == 0 ? r->open : NULL, &r->a, r->lg.fix ? &r->lg : NULL,
                   ip, &ierr)) != 0) {
        ap_plan_free(ip);
        /* out of memory is an error whatever the route; a solver failure
         * falls back to the heuristic's plan unless the caller asked for
         * that solver */
        if (r->o->solver == AP_SOLVER_ILP || r->o->solver == AP_SOLVER_BENDERS || r->g != 0 ||
            ierr.code == AP_ENOMEM) {
            if (r->err && r->err->code == AP_OK)
                *r->err = ierr;
            return -1;
        }
        ap__log(r->o, AP_LOG_WARN, "ILP failed (%s); keeping the greedy plan", ierr.text);
        snprintf(r->plan->reason, sizeof r->plan->reason, "ILP failed, greedy fallback: %.*s",
                 (int)(sizeof r->plan->reason - 40), ierr.text);
        return 0;
    }
    merge_ilp(r, ip);
    return 0;
}

/* The gap of a plan with a solution (0 when proven). */
static void set_gap(ap_plan *plan)
{
    if (plan->status != AP_STATUS_OPTIMAL && plan->status != AP_STATUS_FEASIBLE)
        return;
    if (isfinite(plan->bound) && isfinite(plan->objective))
        plan->gap = fabs(plan->objective) > 1e-12 ? (plan->objective - plan->bound) / fabs(plan->objective) : 0;
    if (plan->status == AP_STATUS_OPTIMAL && !(plan->gap > 0))
        plan->gap = 0;
    if (isfinite(plan->gap) && plan->gap < 0)
        plan->gap = 0;
}

/* A later local search found a better plan (open, *a): it becomes the
 * plan (keeping the first heuristic's objective), r->open, and r->a, the
 * warm start of branch-and-cut (*a gets the old one); the solver string
 * gains `what`.  0, or -1 out of memory. */
static int adopt(run *r, const unsigned char *open, ap__assign *a, const char *what)
{
    ap_plan *plan = r->plan;
    double gobj = plan->greedy_obj;
    ap__assign t = r->a;
    int rc = 0;
    if (ap__plan_set(plan, open, a)) {
        ap__err(r->err, AP_ENOMEM, NULL, "out of memory");
        rc = -1;
    }
    plan->greedy_obj = gobj;
    memcpy(r->open, open, r->p->ns);
    r->a = *a;
    *a = t;
    solver_append(plan, what);
    return rc;
}

/* The heuristic alone (--solver greedy), single source with capacities,
 * where the plan stands more than SS_ILS_GAP above the Lagrangian bound:
 * the iterated local search (greedy.c) goes on for SS_ILS_RATE s per
 * 10,000 client-site pairs (at most SS_ILS_MOST s).  On
 * the 36 random capacitated p-medians n = 100, p = 10 of bench/pmedcap.sh
 * (seeds 1-36, 11 of them with a gap over 1%), it left 1-2 plans over
 * 0.5% above the optimum (0.58%, 0.85%) instead of 4.  Not in
 * the full solve: there branch-and-cut found those plans anyway, and the
 * 36 took 5% longer with it (bench/RESULTS.md, session 17). */
#define SS_ILS_GAP 0.01
#define SS_ILS_RATE 0.6
#define SS_ILS_MOST 1.0
static int wide_gap(const run *r)
{
    const ap_plan *plan = r->plan;
    return single_source_capacitated(r->p) && plan->status == AP_STATUS_FEASIBLE && isfinite(plan->bound) &&
           plan->objective - plan->bound > SS_ILS_GAP * fabs(plan->objective);
}

/* A capacitated descent cut short by the heuristic's deadline (a quarter
 * of the time limit) goes on from the incumbent's sites, which the
 * Lagrangian may have improved, to its local optimum and then as an
 * iterated local search, for half the time left, before branch-and-cut.
 * Where the descent needs that long (single source, many medians, tight
 * capacities: n = 200, p = 60 needed 19 s), the branch-and-cut left over
 * rarely improves the plan, and the full solve returned worse plans than
 * the heuristic alone.  With `greedy` (the heuristic alone) instead only
 * where wide_gap holds, for its time (a cut-short descent is not resumed
 * there: the heuristic alone keeps its quarter of the time limit).  0, or
 * -1 on error. */
static int resume_descent(run *r, int greedy)
{
    const ap_problem *p = r->p;
    ap_plan *plan = r->plan;
    ap__assign a = {0, 0, NULL, NULL, NULL};
    double now = ap__now(), stop = isfinite(r->deadline) ? now + 0.5 * (r->deadline - now) : now + 30, v;
    unsigned char *open;
    int g, wide = greedy && wide_gap(r);
    if ((greedy ? !wide : !r->cut) || r->g != 0 || plan->status != AP_STATUS_FEASIBLE || !ap__capacitated(p) ||
        ap__cancelled() || !(stop > now + 0.1))
        return 0;
    if (wide)
        stop = fmin(stop, now + fmin(SS_ILS_MOST, SS_ILS_RATE * (double)(p->nc * p->ns) / 1e4));
    if (!(open = malloc(p->ns))) {
        ap__err(r->err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    memcpy(open, plan->open, p->ns);
    g = ap__improve_until(p, r->o, stop, open, &a, r->err);
    if (g == 0 && (v = ap__objective(p, open, &a)) < plan->objective - 1e-9 * fabs(plan->objective)) {
        ap__log(r->o, AP_LOG_INFO, "local search resumed: objective %.10g (from %.10g) in %.2fs", v,
                plan->objective, ap__now() - now);
        g = adopt(r, open, &a, ", resumed descent");
    }
    ap__assign_free(&a);
    free(open);
    return g < 0 ? -1 : 0;
}

#define LNS_GREEDY_GAP 0.01
#define LNS_SHARE 0.6
/* Single source with capacities, not proven: the neighbourhood search of
 * ss_lns.c from the incumbent for up to 60% of the time left (20 s without
 * a time limit), which only its kicks use up: they follow a descent that
 * gained over 0.5%, where branch-and-cut closes little of the Lagrangian
 * gap and more local optima pay; a better plan becomes the incumbent and
 * the warm start of branch-and-cut.  0, or -1 on error. */
static int neighbourhoods(run *r)
{
    const ap_problem *p = r->p;
    ap_plan *plan = r->plan;
    ap__assign a = {0, 0, NULL, NULL, NULL};
    double now = ap__now(), stop = isfinite(r->deadline) ? now + LNS_SHARE * (r->deadline - now) : now + 20;
    unsigned char *open;
    size_t h;
    int g = 0;
    if (r->g != 0 || plan->status != AP_STATUS_FEASIBLE || !single_source_capacitated(p) || ap__cancelled() ||
        !(stop > now + 0.1))
        return 0;
    if (!(open = malloc(p->ns))) {
        ap__err(r->err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    memcpy(open, plan->open, p->ns);
    for (h = 0; h < r->a.na && g == 0; h++)
        if (ap__assign_push(&a, r->a.client[h], r->a.site[h], r->a.share[h]))
            g = -1, ap__err(r->err, AP_ENOMEM, NULL, "out of memory");
    if (g == 0)
        g = ap__ss_lns(p, r->o, stop, 1, open, &a, r->err);
    if (g == 0 && ap__objective(p, open, &a) < plan->objective - 1e-9 * fabs(plan->objective))
        g = adopt(r, open, &a, ", neighbourhoods");
    ap__assign_free(&a);
    free(open);
    return g < 0 ? -1 : 0;
}

/* The stages in order; 0, or -1 on error (r->plan may then be freed). */
static int solve_stages(run *r)
{
    int b;
    if (ap__precheck(r->p, r->plan->reason, sizeof r->plan->reason)) {
        r->plan->status = AP_STATUS_INFEASIBLE;
        snprintf(r->plan->solver, sizeof r->plan->solver, "precheck");
        return 0;
    }
    if (heuristic(r))
        return -1;
    if (r->o->solver == AP_SOLVER_GREEDY) {
        if (r->g == 0 && (single_source_capacitated(r->p) || split_capacitated(r->p)) &&
            lagrangian_heuristic(r))
            return -1;
        /* the Lagrangian bound leaves room (over 1%): the neighbourhoods,
         * and with single source more of the iterated local search */
        if (r->g == 0 && r->plan->status == AP_STATUS_FEASIBLE && isfinite(r->plan->bound) &&
            r->plan->objective - r->plan->bound > LNS_GREEDY_GAP * fabs(r->plan->objective) &&
            (neighbourhoods(r) || resume_descent(r, 1)))
            return -1;
        if (r->g != 0) {
            r->plan->status = AP_STATUS_NOSOLUTION;
            snprintf(r->plan->reason, sizeof r->plan->reason, "the greedy heuristic found no feasible plan "
                     "(the problem may still be feasible; try --solver ilp)");
        }
        return 0;
    }
    if (ap__cancelled())
        return 0;
    if ((b = bounds(r)) != 0)
        return b < 0 ? -1 : 0;
    if (ap__cancelled())
        return 0;
    if ((b = cfl_tree(r)) != 0 || (b = median_tree(r)) != 0)
        return b < 0 ? -1 : 0;
    if (neighbourhoods(r) || resume_descent(r, 0))
        return -1;
    if (ap__cancelled())
        return 0;
    return branch_and_cut(r);
}

/* Coverage with the fewest sites: many site sets of that size may cover
 * every client; among them, the one of least demand-weighted metric cost,
 * by a p-median solve with k = that size on the allowed pairs (the first
 * plan is its warm start through the same heuristic).  The plan keeps its
 * status, which is about the number of sites. */
static void break_ties(run *r)
{
    const ap_problem *p = r->p;
    ap_problem *q;
    ap_plan *pl;
    ap_solve_opts o = *r->o;
    ap_error e;
    size_t i;
    double left = r->deadline - ap__now();
    if (!p->cover_ties || !p->mcost || r->plan->nsites == 0 || ap__cancelled() || !(left > 0.1) ||
        (r->plan->status != AP_STATUS_OPTIMAL && r->plan->status != AP_STATUS_FEASIBLE))
        return;
    ap_error_clear(&e);
    if (!(q = ap_problem_copy(p, &e)))
        return;
    for (i = 0; i < p->nc * p->ns; i++)
        q->cost[i] = isfinite(p->cost[i]) ? p->mcost[i] : INFINITY;
    memset(q->fcost, 0, p->ns * sizeof *q->fcost);
    q->has_fcost = 0;
    q->cover_ties = 0;
    q->k = (int)r->plan->nsites;
    if (isfinite(left))
        o.time_limit = left;
    if ((pl = ap_solve(q, &o, &e)) && (pl->status == AP_STATUS_OPTIMAL || pl->status == AP_STATUS_FEASIBLE) &&
        pl->nsites == r->plan->nsites && ap__plan_set(r->plan, pl->open, &pl->asg) == 0)
        solver_append(r->plan, pl->status == AP_STATUS_OPTIMAL ? ", ties broken by cost (optimal)"
                                                               : ", ties broken by cost (best found)");
    ap_plan_free(pl);
    ap_problem_free(q);
}

/* The names whose flag is set (want 1) or clear (want 0), space-separated
 * into out: at most 8, then "...". */
static void names(char *out, size_t cap, char *const *name, const unsigned char *flag, size_t n, int want)
{
    size_t i, len = 0, k = 0;
    out[0] = '\0';
    for (i = 0; i < n && len < cap && k <= 8; i++) {
        if ((flag[i] != 0) != want)
            continue;
        len += (size_t)snprintf(out + len, cap - len, "%s%s", k ? " " : "", k < 8 ? name[i] : "...");
        k++;
    }
}

/* The fewest sites whose allowed pairs reach every client: a coverage solve
 * of at most 5 s; *proven when optimal, else *at_least is its bound. */
static size_t fewest_cover(const run *r, double *at_least, int *proven, unsigned char *open)
{
    const ap_problem *p = r->p;
    ap_problem *q;
    ap_plan *pl;
    ap_solve_opts o = *r->o;
    ap_error e;
    size_t i, n = 0;
    double left = r->deadline - ap__now();
    ap_error_clear(&e);
    *proven = 0;
    *at_least = 0;
    if (!(q = ap_problem_copy(p, &e)))
        return 0;
    for (i = 0; i < p->nc * p->ns; i++)
        q->cost[i] = isfinite(p->cost[i]) ? 0 : INFINITY;
    for (i = 0; i < p->ns; i++)
        q->fcost[i] = 1;
    q->has_fcost = 1;
    q->k = 0;
    q->cover_ties = 0;
    q->max_changes = -1;
    o.time_limit = isfinite(left) ? fmax(0.2, fmin(5, left)) : 5;
    if ((pl = ap_solve(q, &o, &e)) && (pl->status == AP_STATUS_OPTIMAL || pl->status == AP_STATUS_FEASIBLE)) {
        n = pl->nsites;
        *proven = pl->status == AP_STATUS_OPTIMAL;
        *at_least = *proven ? (double)n : isfinite(pl->bound) ? ceil(pl->bound - 1e-6) : 0;
        memcpy(open, pl->open, p->ns);
    }
    ap_plan_free(pl);
    ap_problem_free(q);
    return n;
}

/* An uncapacitated model with k sites proven infeasible: when no k sites
 * reach every client through allowed pairs (a cost bound, forbidden
 * pairs), say so: how many sites covering everyone takes, and which
 * clients the best k sites found leave out. */
static void explain_infeasible(run *r)
{
    const ap_problem *p = r->p;
    ap_plan *plan = r->plan;
    unsigned char *cov = NULL, *open = NULL, *cover = NULL;
    size_t i, j, t, left = p->nc, need;
    double at_least;
    int proven;
    char best[100], out[100], csites[100];
    if (plan->status != AP_STATUS_INFEASIBLE || p->has_cap || p->k <= 0 || !strcmp(plan->solver, "precheck") ||
        ap__cancelled())
        return;
    cov = calloc(p->nc, 1), open = calloc(p->ns, 1), cover = calloc(p->ns, 1);
    if (!cov || !open || !cover)
        goto done;
    for (t = 0; t < (size_t)p->k && left; t++) { /* greedy maximum coverage */
        size_t bj = 0, bn = 0;
        for (j = 0; j < p->ns; j++) {
            size_t n = 0;
            for (i = 0; i < p->nc && !open[j]; i++)
                n += !cov[i] && isfinite(p->cost[i * p->ns + j]);
            if (n > bn)
                bn = n, bj = j;
        }
        if (!bn)
            break;
        open[bj] = 1;
        for (i = 0; i < p->nc; i++)
            if (!cov[i] && isfinite(p->cost[i * p->ns + bj]))
                cov[i] = 1, left--;
    }
    if (!left)
        goto done; /* k sites can reach everyone: infeasible for another reason */
    need = fewest_cover(r, &at_least, &proven, cover);
    if (!need || at_least <= p->k)
        goto done;
    names(best, sizeof best, p->sname, open, p->ns, 1);
    names(out, sizeof out, p->cname, cov, p->nc, 0);
    names(csites, sizeof csites, p->sname, cover, p->ns, 1);
    snprintf(plan->reason, sizeof plan->reason,
             "no %d site%s every client through allowed pairs (within the cost bound): covering every client "
             "takes %s%zu sites (%s); the best %d found (%s) leave%s %zu client%s out: %s",
             p->k, p->k == 1 ? " reaches" : "s reach", proven ? "" : "at least ", proven ? need : (size_t)at_least,
             csites, p->k, best, p->k == 1 ? "s" : "", left, left == 1 ? "" : "s", out);
done:
    free(cov);
    free(open);
    free(cover);
}

/* A cancelled solve: the incumbent, said to be interrupted. */
static void interrupted(ap_plan *plan)
{
    if (plan->status == AP_STATUS_OPTIMAL)
        return; /* proven before the request came */
    if (plan->status == AP_STATUS_FEASIBLE || plan->nsites > 0) {
        plan->status = AP_STATUS_FEASIBLE;
        snprintf(plan->reason, sizeof plan->reason, "interrupted");
    } else if (plan->status != AP_STATUS_INFEASIBLE) {
        plan->status = AP_STATUS_NOSOLUTION;
        snprintf(plan->reason, sizeof plan->reason, "interrupted before any plan was found");
    }
}

ap_plan *ap_solve(const ap_problem *p, const ap_solve_opts *opts, ap_error *err)
{
    ap_solve_opts def;
    run r;
    int rc;

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
    memset(&r, 0, sizeof r);
    r.p = p;
    r.o = opts;
    r.err = err;
    r.t0 = ap__now();
    r.plan = ap__plan_new(p);
    r.open = calloc(p->ns, 1);
    if (!r.plan || !r.open) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        rc = -1;
    } else {
        /* keep a margin for building models and writing the plan, so that
         * the call returns within the time limit; the heuristic gets at
         * most a quarter of the time budget */
        r.deadline = opts->time_limit > 0 ? r.t0 + opts->time_limit - fmin(0.05 * opts->time_limit, 2.0) : INFINITY;
        r.gdead = isfinite(r.deadline) ? r.t0 + opts->time_limit * 0.25 : r.t0 + 30.0;
        const ap_solve_opts *outer = ap__solve_begin(opts);
        rc = solve_stages(&r);
        if (rc == 0) {
            break_ties(&r);
            explain_infeasible(&r);
        }
        if (rc == 0 && ap__cancelled())
            interrupted(r.plan);
        ap__solve_begin(outer);
    }
    free(r.open);
    free(r.lg.fix);
    free(r.lg.xfix);
    free(r.lg.mult);
    ap__assign_free(&r.a);
    if (rc) {
        ap_plan_free(r.plan);
        return NULL;
    }
    set_gap(r.plan);
    r.plan->seconds = ap__now() - r.t0;
    return r.plan;
}
