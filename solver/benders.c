/* benders.c - uncapacitated placement (p-median, facility location) by a
 * Benders decomposition of Elloumi's formulation, for problems whose
 * compact model (ilp.c) is too large for GLPK's simplex (thousands of
 * clients and sites).
 *
 * The master problem has only the site variables y_j and one variable
 * theta_i per client (its demand-weighted cost).  For a client i whose
 * allowed sites cost d_i1 <= d_i2 <= ..., every level D gives the valid
 * inequality
 *
 *     theta_i >= w_i (D - sum_{j: d_ij < D} (D - d_ij) y_j),
 *
 * and the LP relaxation of the master with all of them has the bound of
 * Elloumi's model.  For a point y, the most violated one is found in time
 * linear in the client's sites: walk them by increasing cost, D being the
 * first level where the y of the sites up to it sum to 1 (Duran-Mateluna,
 * Ales & Elloumi, EJOR 2023).  The root LP is solved by a cut loop with
 * in-out stabilisation (cuts separated at a point between the LP solution
 * and a core point moving from the incumbent), reduced costs fix sites
 * against the incumbent, and GLPK's branch-and-cut adds the cuts an integer
 * or fractional node violates as lazy rows (GLP_IROWGEN). */
#include "glpk_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double c;
    int j;
} cj;

typedef struct {
    const ap_problem *p;
    const ap_solve_opts *o;
    size_t nc, ns;
    size_t *off;         /* nc + 1: client i's sites are ord[off[i] .. off[i+1]) */
    int *ord;            /* by increasing cost, allowed and not fixed closed */
    unsigned char *fix;  /* ns: 0 free, 1 closed, 2 open */
    double *y, *th;      /* current point: ns site values, nc client values */
    double *sep;         /* ns: the point cuts are separated at */
    double *core;        /* ns: stabilisation core point */
    int *ind;            /* ns + 2 row buffer (1-based) */
    double *val;
    double *warm;        /* ns + nc + 1 column values of the incumbent, or NULL */
    int warm_given;
    size_t ncuts;
    int rg_node, rg_flat; /* cut rounds at the current node (node_stalled) */
    double rg_obj;
    double t0, last_log, deadline, bound;
    long nodes;
} bd;

static int cmp_cj(const void *a, const void *b)
{
    const cj *x = a, *y = b;
    return x->c < y->c ? -1 : x->c > y->c ? 1 : (x->j > y->j) - (x->j < y->j);
}

/* Each client's allowed sites by increasing cost.  With k sites to open
 * among m, a client never needs more than its m - k + 1 nearest (the
 * others can hold at most k - 1 of the open sites, also fractionally), and
 * never a site dearer than one fixed open.  Clients whose list keeps no
 * such guarantee get a cover row (one of its sites open) from the caller:
 * *need_cover[i] = 1.  0 or -1 (out of memory). */
static int sort_sites(bd *b, unsigned char *need_cover)
{
    const ap_problem *p = b->p;
    size_t i, j, ns = b->ns, mopen = 0, total = 0;
    cj *buf = malloc(ns * sizeof *buf);
    if (!buf)
        return -1;
    for (j = 0; j < ns; j++)
        mopen += b->fix[j] != 1;
    b->off[0] = 0;
    for (i = 0; i < b->nc; i++) {
        const double *c = p->cost + i * ns;
        size_t m = 0, keep, h;
        double fo = INFINITY;
        for (j = 0; j < ns; j++) {
            if (!isfinite(c[j]) || b->fix[j] == 1)
                continue;
            buf[m].c = c[j];
            buf[m++].j = (int)j;
            if (b->fix[j] == 2 && c[j] < fo)
                fo = c[j];
        }
        qsort(buf, m, sizeof *buf, cmp_cj);
        keep = m;
        need_cover[i] = !isfinite(fo);
        if (p->k && (long)p->k - (long)(mopen - m) >= 1) {
            keep = mopen - (size_t)p->k + 1;
            need_cover[i] = 0;
        }
        for (h = 0; h < keep && buf[h].c <= fo; h++)
            ;
        keep = h;
        if (total + keep > total) {
            int *o = realloc(b->ord, (total + keep) * sizeof *o);
            if (!o) {
                free(buf);
                return -1;
            }
            b->ord = o;
        }
        for (h = 0; h < keep; h++)
            b->ord[total + h] = buf[h].j;
        total += keep;
        b->off[i + 1] = total;
    }
    free(buf);
    return 0;
}

/* The cut of client i at level D: writes its site coefficients
 * w_i (D - d_ij) into b->ind/b->val from position 2 on (position 1 is
 * theta_i) and returns the count, with *rhs = w_i D:
 * theta_i + sum_j val_j y_j >= rhs. */
static int level_cut(bd *b, size_t i, double D, double *rhs)
{
    const double *c = b->p->cost + i * b->ns;
    const int *o = b->ord + b->off[i];
    size_t m = b->off[i + 1] - b->off[i], g;
    double w = b->p->demand[i];
    int n = 0;
    for (g = 0; g < m && c[o[g]] < D; g++) {
        b->ind[2 + n] = o[g] + 1;
        b->val[2 + n] = w * (D - c[o[g]]);
        n++;
    }
    *rhs = w * D;
    return n;
}

/* The most violated cut of client i at the point s (ns values): its level
 * is the first cost at which the sites' values reach 1 (level_cut). */
static int client_cut(bd *b, size_t i, const double *s, double *rhs)
{
    const double *c = b->p->cost + i * b->ns;
    const int *o = b->ord + b->off[i];
    size_t m = b->off[i + 1] - b->off[i], h = 0, g;
    double S = 0, D = m ? c[o[m - 1]] : 0;
    while (h < m) {
        double lev = c[o[h]];
        for (g = h; g < m && c[o[g]] == lev; g++)
            S += s[o[g]];
        if (S >= 1 - 1e-9) {
            D = lev;
            break;
        }
        h = g;
    }
    return level_cut(b, i, D, rhs);
}

/* Value of the cut (its right-hand side minus the sites' part) at y. */
static double cut_value(const bd *b, int n, double rhs, const double *y)
{
    int t;
    double v = rhs;
    for (t = 0; t < n; t++)
        v -= b->val[2 + t] * y[b->ind[2 + t] - 1];
    return v;
}

/* Adds client i's cut held in b->ind/b->val (n site terms from position 2,
 * right-hand side rhs) to P as a row: theta_i + sum_j val_j y_j >= rhs. */
static void add_cut(bd *b, glp_prob *P, size_t i, int n, double rhs)
{
    int r = glp_add_rows(P, 1);
    b->ind[1] = (int)(b->ns + i) + 1;
    b->val[1] = 1.0;
    glp_set_row_bnds(P, r, GLP_LO, rhs, 0);
    glp_set_mat_row(P, r, n + 1, b->ind, b->val);
}

/* Cuts separated at b->sep that (b->y, b->th) violates, added to P as
 * rows.  *phi (may be NULL) gets sum of the clients' exact cost at b->sep
 * (meaningful when sep = y).  How many were added, or -1 when a row cannot
 * be added (out of memory is GLPK's: it aborts through the guard). */
static int separate(bd *b, glp_prob *P, double *phi)
{
    size_t i;
    int added = 0;
    double tot = 0;
    for (i = 0; i < b->nc; i++) {
        double rhs, v;
        int n;
        if (!(b->p->demand[i] > 0) || b->off[i + 1] == b->off[i])
            continue;
        n = client_cut(b, i, b->sep, &rhs);
        v = cut_value(b, n, rhs, b->y);
        tot += cut_value(b, n, rhs, b->sep);
        if (v <= b->th[i] + 1e-7 * fmax(1.0, fabs(v)))
            continue;
        add_cut(b, P, i, n, rhs);
        added++;
    }
    b->ncuts += (size_t)added;
    if (phi)
        *phi = tot;
    return added;
}

/* Seeds the master with each client's cut at the level of its Lagrangian
 * multiplier (mult_i / w_i, capped at the client's dearest listed site):
 * with these cuts alone the master's LP value is at least the Lagrangian
 * bound of those multipliers, so the cut loop starts from there instead of
 * from the trivial bound.  How many were added. */
static int seed_cuts(bd *b, glp_prob *P, const double *mult)
{
    size_t i;
    int added = 0;
    for (i = 0; i < b->nc; i++) {
        const double *c = b->p->cost + i * b->ns;
        size_t m = b->off[i + 1] - b->off[i];
        double w = b->p->demand[i], D, rhs;
        int n;
        if (!(w > 0) || m == 0 || !isfinite(mult[i]))
            continue;
        D = fmin(mult[i] / w, c[b->ord[b->off[i + 1] - 1]]);
        if (!(D > c[b->ord[b->off[i]]]))
            continue; /* no stronger than theta_i's lower bound */
        n = level_cut(b, i, D, &rhs);
        add_cut(b, P, i, n, rhs);
        added++;
    }
    b->ncuts += (size_t)added;
    return added;
}

static void read_point(bd *b, glp_prob *P)
{
    size_t j, i;
    for (j = 0; j < b->ns; j++)
        b->y[j] = glp_get_col_prim(P, (int)j + 1);
    for (i = 0; i < b->nc; i++)
        b->th[i] = glp_get_col_prim(P, (int)(b->ns + i) + 1);
}

/* Deletes cut rows that are slack (basic) in the current basis, when there
 * are many: keeps the master small.  first_cut: the first cut row. */
static void purge(bd *b, glp_prob *P, int first_cut)
{
    int m = glp_get_num_rows(P), r, n = 0;
    int *del;
    if ((size_t)(m - first_cut + 1) < 3 * b->nc + 1000)
        return;
    del = malloc(((size_t)m + 1) * sizeof *del);
    if (!del)
        return;
    for (r = first_cut; r <= m; r++)
        if (glp_get_row_stat(P, r) == GLP_BS)
            del[++n] = r;
    if (n > 0)
        glp_del_rows(P, n, del);
    free(del);
}

/* The master's columns and fixed rows (k, cover rows, pins, changes). */
static void build_master(bd *b, glp_prob *P, const unsigned char *need_cover)
{
    const ap_problem *p = b->p;
    size_t i, j, ns = b->ns;
    int row, n;
    glp_add_cols(P, (int)(ns + b->nc));
    for (j = 0; j < ns; j++) {
        int c = (int)j + 1;
        glp_set_col_kind(P, c, GLP_BV);
        glp_set_obj_coef(P, c, p->fcost[j]);
        if (b->fix[j] == 1)
            glp_set_col_bnds(P, c, GLP_FX, 0, 0);
        else if (b->fix[j] == 2 || (p->pin && p->pin[j]))
            glp_set_col_bnds(P, c, GLP_FX, 1, 1);
    }
    for (i = 0; i < b->nc; i++) {
        int c = (int)(ns + i) + 1;
        size_t m = b->off[i + 1] - b->off[i];
        double lo = m ? p->demand[i] * p->cost[i * ns + b->ord[b->off[i]]] : 0;
        glp_set_col_bnds(P, c, GLP_LO, lo, 0);
        glp_set_obj_coef(P, c, 1.0);
    }
    if (p->k) {
        for (n = 0, j = 0; j < ns; j++)
            if (b->fix[j] != 1)
                b->ind[++n] = (int)j + 1, b->val[n] = 1.0;
        row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_FX, p->k, p->k);
        glp_set_mat_row(P, row, n, b->ind, b->val);
    }
    if (p->max_changes >= 0) {
        for (n = 0, j = 0; j < ns; j++)
            if (!(p->existing && p->existing[j]) && b->fix[j] != 1)
                b->ind[++n] = (int)j + 1, b->val[n] = 1.0;
        row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_UP, 0, p->max_changes);
        glp_set_mat_row(P, row, n, b->ind, b->val);
    }
    for (i = 0; i < b->nc; i++) {
        if (!need_cover[i])
            continue;
        for (n = 0, j = b->off[i]; j < b->off[i + 1]; j++)
            b->ind[++n] = b->ord[j] + 1, b->val[n] = 1.0;
        row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_LO, 1, 0);
        glp_set_mat_row(P, row, n, b->ind, b->val);
    }
}

/* The incumbent's column values (sites, then each client's cost). */
static int warm_vector(bd *b, const unsigned char *open)
{
    const ap_problem *p = b->p;
    size_t i, j;
    b->warm = calloc(b->ns + b->nc + 1, sizeof *b->warm);
    if (!b->warm)
        return -1;
    for (j = 0; j < b->ns; j++)
        b->warm[j + 1] = open[j] ? 1 : 0;
    for (i = 0; i < b->nc; i++) {
        double ci = INFINITY;
        for (j = b->off[i]; j < b->off[i + 1]; j++)
            if (open[b->ord[j]]) {
                ci = p->cost[i * b->ns + b->ord[j]];
                break;
            }
        b->warm[b->ns + i + 1] = isfinite(ci) ? p->demand[i] * ci : 0;
    }
    return 0;
}

static void progress(bd *b, const char *what, glp_tree *T, glp_prob *P)
{
    double now = ap__now();
    if (now - b->last_log < 1.0 || now - b->t0 < 1.0)
        return;
    b->last_log = now;
    if (!T)
        ap__log(b->o, AP_LOG_PROGRESS, "benders: %s %.10g  cuts %zu  rows %d  elapsed %.1fs", what,
                b->bound, b->ncuts, glp_get_num_rows(P), now - b->t0);
    else if (glp_mip_status(P) == GLP_FEAS)
        ap__log(b->o, AP_LOG_PROGRESS, "benders: incumbent %.10g  bound %.10g  gap %.4f%%  nodes %ld  "
                "cuts %zu  elapsed %.1fs", glp_mip_obj_val(P), b->bound, 100.0 * glp_ios_mip_gap(T),
                b->nodes, b->ncuts, now - b->t0);
    else
        ap__log(b->o, AP_LOG_PROGRESS, "benders: no incumbent yet  bound %.10g  nodes %ld  elapsed %.1fs",
                b->bound, b->nodes, now - b->t0);
}

/* Rounds without a bound improvement (relative 1e-9) after which the root
 * loop stops stabilising, and then stops. */
#define ROOT_FLAT_ROUNDS 5

/* The root LP by the stabilised cut loop.  Returns 0 with the LP solved
 * (*solved = 1) or stopped at the deadline or at a bound that proves the
 * incumbent (*solved = 0, rows may have been added since the last solve),
 * else what glp_simplex returned, or GLP_ENOPFS when the master is
 * infeasible.  b->bound: the best master value seen (a valid bound). */
static int root_lp(bd *b, glp_prob *P, glp_smcp *smcp, double thr, int *solved)
{
    double alpha = b->warm ? 0.5 : 1.0, last = -INFINITY;
    size_t j;
    int first_cut = glp_get_num_rows(P) + 1, rounds = 0, flat = 0, finish = 0;
    *solved = 0;
    for (;;) {
        int ret = ap__glpk_simplex(P, smcp, b->deadline), added;
        double lb;
        if (ret == GLP_ETMLIM)
            return 0;
        if (ret != 0)
            return ret;
        if (glp_get_status(P) == GLP_NOFEAS || glp_get_status(P) == GLP_INFEAS)
            return GLP_ENOPFS;
        if (glp_get_status(P) != GLP_OPT)
            return GLP_EFAIL;
        lb = glp_get_obj_val(P);
        if (!(lb <= b->bound))
            b->bound = lb;
        if (b->bound >= thr || ap__stopped(b->deadline))
            return 0;
        if (finish) {
            /* the cuts still found move the bound by rounding noise only
             * (they can cycle with purge): branch-and-cut separates them */
            *solved = 1;
            ap__log(b->o, AP_LOG_INFO, "benders: root LP %.10g after %d rounds, %zu cuts, %.2fs (stalled)",
                    lb, rounds, b->ncuts, ap__now() - b->t0);
            return 0;
        }
        flat = lb > last + 1e-9 * fmax(1.0, fabs(lb)) ? 0 : flat + 1;
        if (lb > last)
            last = lb;
        if (flat >= ROOT_FLAT_ROUNDS) {
            if (alpha >= 1)
                finish = 1;
            alpha = 1;
            flat = 0;
        }
        read_point(b, P);
        for (j = 0; j < b->ns; j++)
            b->sep[j] = alpha * b->y[j] + (1 - alpha) * b->core[j];
        added = separate(b, P, NULL);
        rounds++;
        if (added == 0) {
            if (alpha >= 1) {
                *solved = 1;
                ap__log(b->o, AP_LOG_INFO, "benders: root LP %.10g after %d rounds, %zu cuts, %.2fs",
                        lb, rounds, b->ncuts, ap__now() - b->t0);
                return 0;
            }
            alpha = 1; /* the stabilised point gave no cut: separate at the LP point */
            continue;
        }
        for (j = 0; j < b->ns; j++)
            b->core[j] = 0.5 * (b->core[j] + b->y[j]);
        progress(b, "LP bound", NULL, P);
        purge(b, P, first_cut);
    }
}

/* Reduced-cost fixing at the solved root: a site whose reduced cost lifts
 * the bound to thr cannot change in a plan better than the incumbent (the
 * incumbent's own value is never fixed against).  How many were fixed. */
static size_t rc_fix(bd *b, glp_prob *P, const unsigned char *warm_open, double thr)
{
    size_t j, n = 0;
    double lb = glp_get_obj_val(P);
    for (j = 0; j < b->ns; j++) {
        int c = (int)j + 1, st = glp_get_col_stat(P, c);
        double d = glp_get_col_dual(P, c);
        if (glp_get_col_type(P, c) == GLP_FX)
            continue;
        if (st == GLP_NL && lb + d >= thr && !(warm_open && warm_open[j])) {
            glp_set_col_bnds(P, c, GLP_FX, 0, 0);
            n++;
        } else if (st == GLP_NU && lb - d >= thr && (!warm_open || warm_open[j])) {
            glp_set_col_bnds(P, c, GLP_FX, 1, 1);
            n++;
        }
    }
    return n;
}

/* Whether cut rounds at the current node stopped moving its LP value
 * (ROOT_FLAT_ROUNDS rounds, relative 1e-9) while its sites are still
 * fractional: then the node is branched on instead of cycling on cuts
 * violated by rounding noise.  Integral points are always separated, so
 * an integer solution's cost variables are always exact. */
static int node_stalled(bd *b, glp_tree *T, glp_prob *P)
{
    int node = glp_ios_curr_node(T);
    double z = glp_get_obj_val(P);
    size_t j;
    if (node != b->rg_node || z > b->rg_obj + 1e-9 * fmax(1.0, fabs(z))) {
        b->rg_node = node;
        b->rg_obj = z;
        b->rg_flat = 0;
        return 0;
    }
    if (++b->rg_flat < ROOT_FLAT_ROUNDS)
        return 0;
    for (j = 0; j < b->ns; j++) {
        double v = glp_get_col_prim(P, (int)j + 1);
        if (v > 1e-6 && v < 1 - 1e-6)
            return 1;
    }
    return 0;
}

static void on_tree(glp_tree *T, void *info)
{
    bd *b = info;
    int reason = glp_ios_reason(T), best, a, n, t;
    glp_prob *P = glp_ios_get_prob(T);
    if (ap__stopped(b->deadline)) {
        glp_ios_terminate(T);
        return;
    }
    if (reason == GLP_IROWGEN && glp_get_status(P) == GLP_OPT && !node_stalled(b, T, P)) {
        read_point(b, P);
        memcpy(b->sep, b->y, b->ns * sizeof *b->sep);
        separate(b, P, NULL);
    }
    if (reason == GLP_IHEUR && b->warm && !b->warm_given) {
        b->warm_given = 1;
        glp_ios_heur_sol(T, b->warm);
    }
    best = glp_ios_best_node(T);
    if (best) {
        double v = glp_ios_node_bound(T, best);
        if (isfinite(v) && fabs(v) < 1e300 && !(v <= b->bound))
            b->bound = v;
    }
    glp_ios_tree_size(T, &a, &n, &t);
    b->nodes = t;
    if (reason == GLP_ISELECT || reason == GLP_IBINGO)
        progress(b, NULL, T, P);
}

static void bd_free(bd *b)
{
    free(b->off);
    free(b->ord);
    free(b->fix);
    free(b->y);
    free(b->th);
    free(b->sep);
    free(b->core);
    free(b->ind);
    free(b->val);
    free(b->warm);
    free(b);
}

/* The incumbent is the plan, proven optimal by the bound. */
static int proven(bd *b, const unsigned char *warm_open, ap_plan *plan)
{
    ap__assign a = {0};
    int rc = ap__assign_nearest(b->p, warm_open, &a) || ap__plan_set(plan, warm_open, &a) ? -1 : 0;
    ap__assign_free(&a);
    plan->status = AP_STATUS_OPTIMAL;
    plan->bound = plan->objective;
    snprintf(plan->solver, sizeof plan->solver, "benders, root bound");
    return rc;
}

/* Reads GLPK's integer solution into plan.  0 or -1 (out of memory). */
static int take_solution(bd *b, glp_prob *P, int ret, ap_plan *plan)
{
    ap__assign a = {0};
    unsigned char *open = calloc(b->ns, 1);
    size_t j;
    int rc = -1;
    if (!open)
        return -1;
    for (j = 0; j < b->ns; j++)
        open[j] = glp_mip_col_val(P, (int)j + 1) > 0.5;
    if (ap__assign_nearest(b->p, open, &a) || ap__plan_set(plan, open, &a))
        goto out;
    if (ret == 0 && glp_mip_status(P) == GLP_OPT) {
        plan->status = AP_STATUS_OPTIMAL;
        plan->bound = plan->objective;
        if (b->o->mip_gap > 0 && isfinite(b->bound) && b->bound < plan->bound)
            plan->bound = b->bound;
    } else {
        plan->status = AP_STATUS_FEASIBLE;
        plan->bound = b->bound;
        snprintf(plan->reason, sizeof plan->reason, "%s",
                 ret == GLP_ETMLIM ? "time limit reached before optimality was proven"
                 : ret == GLP_EMIPGAP ? "stopped at the requested relative gap" : "stopped");
    }
    snprintf(plan->solver, sizeof plan->solver, "benders-branch-and-cut");
    rc = 0;
out:
    ap__assign_free(&a);
    free(open);
    return rc;
}

static bd *bd_new(const ap_problem *p, const ap_solve_opts *o, double deadline, const ap__lagr *lg)
{
    bd *b = calloc(1, sizeof *b);
    size_t j;
    if (!b)
        return NULL;
    b->p = p;
    b->o = o;
    b->nc = p->nc;
    b->ns = p->ns;
    b->deadline = deadline;
    b->t0 = b->last_log = ap__now();
    b->bound = -INFINITY;
    b->off = malloc((p->nc + 1) * sizeof *b->off);
    b->fix = calloc(p->ns, 1);
    b->y = malloc(p->ns * sizeof *b->y);
    b->th = malloc((p->nc + 1) * sizeof *b->th);
    b->sep = malloc(p->ns * sizeof *b->sep);
    b->core = malloc(p->ns * sizeof *b->core);
    b->ind = malloc((p->ns + 2) * sizeof *b->ind);
    b->val = malloc((p->ns + 2) * sizeof *b->val);
    if (!b->off || !b->fix || !b->y || !b->th || !b->sep || !b->core || !b->ind || !b->val) {
        bd_free(b);
        return NULL;
    }
    if (lg && lg->fix)
        memcpy(b->fix, lg->fix, p->ns);
    for (j = 0; j < p->ns; j++)
        b->core[j] = p->k ? (double)p->k / (double)p->ns : 0.5;
    return b;
}

int ap__benders(const ap_problem *p, const ap_solve_opts *o, double deadline,
                const unsigned char *warm_open, const ap__lagr *lg, double ub,
                ap_plan *plan, ap_error *err)
{
    ap__glpk_guard g;
    glp_smcp smcp;
    glp_iocp iocp;
    glp_prob *volatile P = NULL;
    bd *volatile b = bd_new(p, o, deadline, lg);
    unsigned char *volatile need_cover = calloc(p->nc + 1, 1);
    double thr = warm_open ? ap__lagr_threshold(ap__objective_integral(p), ub) : INFINITY;
    double remain;
    size_t i, j;
    int rc = -1, ret, solved;

    memset(&g, 0, sizeof g);
    if (!b || !need_cover || sort_sites(b, need_cover) || (warm_open && warm_vector(b, warm_open))) {
        ap__err(err, AP_ENOMEM, "glpk", "out of memory building the Benders master problem");
        goto out;
    }
    if (setjmp(g.jb)) {
        ap__glpk_failed(&g, err);
        P = NULL;
        goto out;
    }
    ap__glpk_hook(&g);
    P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    build_master(b, P, need_cover);
    if (warm_open) {
        /* the cuts that are tight at the incumbent, and a core point at it */
        for (j = 0; j < p->ns; j++)
            b->sep[j] = b->y[j] = b->core[j] = warm_open[j] ? 1 : 0;
        for (i = 0; i < p->nc; i++)
            b->th[i] = -INFINITY;
        separate(b, P, NULL);
    }
    if (lg && lg->mult)
        ap__log(o, AP_LOG_INFO, "benders: %d cuts from the Lagrangian multipliers", seed_cuts(b, P, lg->mult));
    ap__log(o, AP_LOG_INFO, "benders: master with %zu sites, %zu clients, %zu site lists (%.1f MB)",
            p->ns, p->nc, b->off[p->nc], (double)b->off[p->nc] * sizeof(int) / 1e6);
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.meth = GLP_DUALP;
    ret = root_lp(b, P, &smcp, thr, &solved);
    if (ret == GLP_ENOPFS) {
        plan->status = AP_STATUS_INFEASIBLE;
        snprintf(plan->reason, sizeof plan->reason, "the LP relaxation is infeasible: no set of sites "
                 "serves every client within the allowed pairs");
        rc = 0;
        goto out;
    }
    if (ret != 0) {
        ap__err(err, AP_ESOLVER, "glpk", "Benders master LP failed (glp_simplex code %d)%s%s", ret,
                g.last[0] ? ": " : "", g.last);
        goto out;
    }
    if (warm_open && b->bound >= thr) {
        rc = proven(b, warm_open, plan);
        if (rc)
            ap__err(err, AP_ENOMEM, "glpk", "out of memory");
        goto out;
    }
    if (!solved) {
        plan->status = AP_STATUS_NOSOLUTION;
        plan->bound = b->bound;
        snprintf(plan->reason, sizeof plan->reason, "%s while solving the LP relaxation",
                 ap__cancelled() ? "interrupted" : "time limit reached");
        rc = 0;
        goto out;
    }
    if (warm_open) {
        size_t nfix = rc_fix(b, P, warm_open, thr);
        ap__log(o, AP_LOG_INFO, "benders: reduced costs fix %zu of %zu sites", nfix, p->ns);
        if (nfix)
            ap__glpk_simplex(P, &smcp, deadline);
    }

    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.presolve = GLP_OFF;
    iocp.cb_func = on_tree;
    iocp.cb_info = b;
    iocp.mip_gap = o->mip_gap > 0 ? o->mip_gap : 0;
    /* most fractional variable first: GLPK's pseudocost branching starts
     * with strong branching on every fractional site, which costs a
     * dual-simplex run each on a master of thousands of cut rows (faster
     * on bench/ufl.sh's 100 x 100 instances and on the 2,000-point p = 50
     * instance of bench/pmed_large.sh; see bench/RESULTS.md) */
    iocp.br_tech = GLP_BR_MFV;
    iocp.bt_tech = GLP_BT_BLB;
    remain = deadline - ap__now();
    if (isfinite(remain))
        iocp.tm_lim = remain > 0 ? (int)(remain * 1000) : 1;
    ret = glp_intopt(P, &iocp);
    plan->nodes = b->nodes;
    if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP && ret != GLP_ESTOP) {
        ap__err(err, AP_ESOLVER, "glpk", "Benders branch-and-cut failed (glp_intopt code %d)%s%s", ret,
                g.last[0] ? ": " : "", g.last);
        goto out;
    }
    ap__log(o, AP_LOG_INFO, "benders: branch-and-cut ended after %ld nodes, %zu cuts, %.2fs", b->nodes,
            b->ncuts, ap__now() - b->t0);
    if (glp_mip_status(P) == GLP_NOFEAS) {
        plan->status = AP_STATUS_INFEASIBLE;
        snprintf(plan->reason, sizeof plan->reason, "proven infeasible by branch-and-cut");
        rc = 0;
    } else if (glp_mip_status(P) != GLP_OPT && glp_mip_status(P) != GLP_FEAS) {
        plan->status = AP_STATUS_NOSOLUTION;
        plan->bound = b->bound;
        snprintf(plan->reason, sizeof plan->reason, "no integer solution found within the time limit");
        rc = 0;
    } else if ((rc = take_solution(b, P, ret, plan)) != 0) {
        ap__err(err, AP_ENOMEM, "glpk", "out of memory");
    }
out:
    if (P)
        glp_delete_prob(P);
    ap__glpk_unhook();
    if (b)
        bd_free(b);
    free(need_cover);
    return rc;
}
