/* lagrange_cfl.c - Lagrangian bound, heuristic and site fixing for the
 * capacitated model with split demand (capacitated facility location).
 *
 * Relaxing "every client is assigned once" with multipliers lambda_i leaves
 * per site a continuous knapsack (the clients of negative reduced cost
 * c_ij - lambda_i / d_i, best first, up to the capacity Q_j), of value v_j
 * with the opening cost, and over the sites a cover problem: the least
 * sum v_j y_j whose capacity sum Q_j y_j covers the demand (a valid row of
 * the model that makes the bound stronger than the LP's).  With equal
 * capacities the cover is solved exactly (the cheapest sites by count);
 * otherwise by its LP (by v_j / Q_j, the last site fractional), which
 * keeps L(lambda) a lower bound.  A site without capacity (or with more
 * than the total demand) counts as holding the total demand, which no plan
 * exceeds.  The same cover, with one site forced in or out, fixes sites
 * against the incumbent. */
#include "solver.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lagrangian heuristic of the split-demand model: the relaxed site choice
 * (the cover included) with its best transportation plan (gap.c), sites
 * left empty closed when k is free.  Each choice once; at most CFL_HEUR_SHARE
 * of the time, and not after CFL_HEUR_FAILS calls in a row that found no
 * better plan. */
#define CFL_HEUR_SHARE 0.3
#define CFL_HEUR_FAILS 40   /* stop after this many calls without a better plan */
typedef struct {
    double budget, used;
    double *ub, thr;
    unsigned char *ub_open, *trial;
    ap__assign *ub_asg, tmp;
    ap__seen seen;
    size_t calls;
    size_t most;        /* choices with more sites than this are not tried */
    double *ybar;       /* moving average of the relaxed site choices */
    unsigned char *rounded;
    size_t rounds;
    size_t fails;       /* calls since the last improvement */
    int tree;           /* in the tree: fixings stay (they hold below any threshold) */
} cflheur;

/* Primal recovery: a moving average of the relaxed site choices (it
 * tends to the LP's y, nearly integral on these models), rounded: the sites
 * above one half, then the next best until the capacity covers the demand.
 * Returns 1 when a rounded choice is ready in hs->rounded. */
static int round_average(const ap_problem *p, cflheur *hs, const unsigned char *sel, const unsigned char *fix,
                         const double *Q, double D)
{
    size_t j, n = 0;
    double cap = 0;
    for (j = 0; j < p->ns; j++)
        hs->ybar[j] = 0.9 * hs->ybar[j] + 0.1 * (sel[j] != 0);
    if (++hs->rounds % 10)
        return 0;
    for (j = 0; j < p->ns; j++) {
        hs->rounded[j] = fix[j] == 2 || (fix[j] == 0 && hs->ybar[j] >= 0.5);
        if (hs->rounded[j])
            cap += Q[j], n++;
    }
    while (cap < D - 1e-9) {
        long b = -1;
        for (j = 0; j < p->ns; j++)
            if (!hs->rounded[j] && fix[j] == 0 && (b < 0 || hs->ybar[j] > hs->ybar[b]))
                b = (long)j;
        if (b < 0)
            return 0;
        hs->rounded[b] = 1, cap += Q[b], n++;
    }
    return n > 0;
}

/* hs->trial, of value z, is the new incumbent (its assignment already in
 * hs->ub_asg); sites fixed against the old one are free again. */
static void adopt(const ap_problem *p, const ap_solve_opts *o, cflheur *hs, unsigned char *fix, int integral,
                  double z, const char *how)
{
    memcpy(hs->ub_open, hs->trial, p->ns);
    *hs->ub = z;
    hs->thr = ap__lagr_threshold(integral, z);
    if (!hs->tree)
        ap__lagr_unfix(fix, hs->ub_open, p->ns);
    ap__log(o, AP_LOG_INFO, "lagrangian (capacitated) %s: incumbent %.10g", how, z);
}

/* A new incumbent: the relocation descent with exact transportation plans
 * (swaps, and closing or opening a site when k is free), within the
 * heuristic's time. */
#define CFL_RELOCATE_CAND 5
static int cfl_polish(const ap_problem *p, const ap_solve_opts *o, double deadline, cflheur *hs,
                      unsigned char *fix, int integral, ap_error *err)
{
    double now = ap__now(), z = *hs->ub;
    size_t calls = 0;
    if (!(hs->used < hs->budget) || hs->ub_asg->na == 0)
        return 0;
    memcpy(hs->trial, hs->ub_open, p->ns);
    if (ap__gap_descent(p, fmin(deadline, now + hs->budget - hs->used), CFL_RELOCATE_CAND, integral, hs->trial,
                        hs->ub_asg, &z, &calls, err))
        return -1;
    hs->used += ap__now() - now;
    hs->calls += calls;
    if (z < *hs->ub - 1e-9 * fabs(*hs->ub))
        adopt(p, o, hs, fix, integral, z, "relocation");
    return 0;
}

/* The sites sel with their best transportation plan (sites left empty
 * closed when k is free), found before `stop`: the new incumbent when
 * better.  0 or -1. */
static int cfl_evaluate(const ap_problem *p, const ap_solve_opts *o, double deadline, double stop, cflheur *hs,
                        const unsigned char *sel, unsigned char *fix, int integral, ap_error *err)
{
    double now = ap__now(), z, *load = NULL;
    size_t q, j;
    int r, proven;
    memcpy(hs->trial, sel, p->ns);
    r = ap__gap_exact(p, hs->trial, NULL, INFINITY, stop, &hs->tmp, &z, &proven, err);
    hs->used += ap__now() - now;
    hs->calls++;
    hs->fails++;
    if (r != 0)
        return r < 0 ? -1 : 0;
    if (!p->k) {
        if (!(load = calloc(p->ns, sizeof *load))) {
            ap__err(err, AP_ENOMEM, NULL, "out of memory in Lagrangian heuristic");
            return -1;
        }
        for (q = 0; q < hs->tmp.na; q++)
            load[hs->tmp.site[q]] += hs->tmp.share[q];
        for (j = 0; j < p->ns; j++)
            if (hs->trial[j] && load[j] <= 0 && !(p->pin && p->pin[j]))
                hs->trial[j] = 0;
        free(load);
        z = ap__objective(p, hs->trial, &hs->tmp);
    }
    if (z < *hs->ub - 1e-9 * fabs(*hs->ub) && ap__changes_ok(p, hs->trial)) {
        ap__assign sw = *hs->ub_asg;
        *hs->ub_asg = hs->tmp;
        hs->tmp = sw;
        hs->fails = 0;
        adopt(p, o, hs, fix, integral, z, "heuristic");
        return cfl_polish(p, o, deadline, hs, fix, integral, err);
    }
    return 0;
}

static int cfl_heuristic(const ap_problem *p, const ap_solve_opts *o, double deadline, cflheur *hs,
                         const unsigned char *sel, unsigned char *fix, int integral, ap_error *err)
{
    size_t j, n = 0;
    if (!(hs->used < hs->budget) || hs->fails >= CFL_HEUR_FAILS || ap__stopped(deadline))
        return 0;
    for (j = 0; j < p->ns; j++)
        n += sel[j] != 0;
    if ((p->k && n != (size_t)p->k) || n > hs->most || ap__seen_before(&hs->seen, sel, p->ns))
        return 0;
    return cfl_evaluate(p, o, deadline, fmin(deadline, ap__now() + hs->budget - hs->used), hs, sel, fix,
                        integral, err);
}

/* The cover over the sites (see the top of the file).  ord holds the free
 * sites not taken outright, cheapest first (by v_j when the capacities are
 * equal, else by v_j / Q_j).  `force` >= 0: that site forced in (in = 1)
 * or out (in = 0).  Returns the value, INFINITY when no choice covers D;
 * each site's share into y when y != NULL. */
typedef struct {
    double key;
    size_t j;
} skey;

typedef struct {
    skey *ord;
    size_t nord;
    int equal;
    double D;
    double *Q;          /* ns: capacities, at most D (no capacity: D) */
    const double *v;    /* ns: the sites' values of this step */
    ap__cover bb;       /* the integer cover's workspace */
} coverw;

static int cmp_skey(const void *a, const void *b)
{
    double x = ((const skey *)a)->key, y = ((const skey *)b)->key;
    return x < y ? -1 : x > y;
}

/* Takes site j (v_j < 0 free, or fixed open) outright unless forced out. */
static int outright(const unsigned char *fix, const double *v, size_t j, long force, int in)
{
    if ((long)j == force)
        return in;
    return fix[j] == 2 || (fix[j] == 0 && v[j] < 0);
}

static void cover_order(const ap_problem *p, const double *v, const unsigned char *fix, coverw *cw)
{
    size_t j;
    cw->nord = 0;
    for (j = 0; j < p->ns; j++) {
        if (fix[j] != 0 || v[j] < 0)
            continue;
        cw->ord[cw->nord].key = cw->equal ? v[j] : cw->Q[j] > 0 ? v[j] / cw->Q[j] : INFINITY;
        cw->ord[cw->nord++].j = j;
    }
    qsort(cw->ord, cw->nord, sizeof *cw->ord, cmp_skey);
}

/* The integer cover by branch-and-bound over the free sites in ord (but
 * `force`), for the room left after the sites taken outright (of value
 * base): the least value, or with a finite cutoff only whether one below
 * it exists (INFINITY when none).  Returns NAN when the search was cut
 * short (the caller keeps the LP). */
#define COVER_NODES 20000       /* node limit of the cover for the bound */
#define COVER_NODES_FIX 2000    /* and for one fixing test */
static double cover_int(coverw *cw, long force, double need, double base, double cutoff, double *y)
{
    ap__cover *c = &cw->bb;
    size_t t;
    double bv;
    int fixing = isfinite(cutoff);
    c->n = 0;
    for (t = 0; t < cw->nord; t++) {
        size_t j = cw->ord[t].j;
        if ((long)j == force)
            continue;
        c->v[c->n] = cw->v[j];
        c->q[c->n] = cw->Q[j];
        c->id[c->n++] = j;
    }
    if (!ap__cover_solve(c, need, fixing ? cutoff - base : INFINITY, fixing, fixing ? COVER_NODES_FIX : COVER_NODES,
                         &bv))
        return NAN;
    if (!isfinite(bv))
        return INFINITY;
    if (y) {
        for (t = 0; t < c->n; t++)
            y[c->id[t]] = 0;
        for (t = 0; t < c->nbest; t++)
            y[c->id[c->best[t]]] = 1;
    }
    return base + bv;
}

static double cover(const ap_problem *p, const double *v, const unsigned char *fix, coverw *cw, long force,
                    int in, double *y, double cutoff)
{
    double val = 0, cap = 0, base, tol = 1e-9 * (1 + cw->D);
    size_t j, t;
    int whole = 1;
    for (j = 0; j < p->ns; j++) {
        int take = fix[j] != 1 && outright(fix, v, j, force, in);
        if (y)
            y[j] = take;
        if (take)
            val += v[j], cap += cw->Q[j];
    }
    base = val;
    for (t = 0; t < cw->nord && cap < cw->D - tol; t++) {
        double part;
        j = cw->ord[t].j;
        if ((long)j == force)
            continue; /* forced in: counted above; forced out: skipped */
        part = cw->equal || cw->Q[j] <= cw->D - cap ? 1 : (cw->D - cap) / cw->Q[j];
        whole = whole && part == 1;
        val += part * v[j];
        cap += part * cw->Q[j];
        if (y)
            y[j] = part;
    }
    if (!(cap >= cw->D - tol))
        return INFINITY;
    /* equal capacities: the count is exact; an integral LP is too */
    if (cw->equal || whole || val >= cutoff) {
        return val;
    } else {
        double cap0 = 0, z;
        for (j = 0; j < p->ns; j++)
            if (fix[j] != 1 && outright(fix, v, j, force, in))
                cap0 += cw->Q[j];
        z = cover_int(cw, force, cw->D - cap0, base, cutoff, y);
        return isnan(z) ? val : z;
    }
}

/* Fixing against a reference choice (the incumbent at the root, the
 * relaxed choice in the tree): a site it leaves closed whose opening
 * bounds the problem at the threshold or more is closed for good; an open
 * one whose closing does is opened for good. */
static void fix_sites(const ap_problem *p, const double *v, unsigned char *fix, coverw *cw,
                      const unsigned char *ref, double sumlam, double thr)
{
    size_t j;
    for (j = 0; j < p->ns; j++) {
        if (fix[j])
            continue;
        if (!ref[j] && sumlam + cover(p, v, fix, cw, (long)j, 1, NULL, thr - sumlam) >= thr)
            fix[j] = 1;
        else if (ref[j] && sumlam + cover(p, v, fix, cw, (long)j, 0, NULL, thr - sumlam) >= thr)
            fix[j] = 2;
    }
}

/* Each site's knapsack: the clients of negative reduced cost, best first,
 * up to its capacity (clients without demand whole); their shares into
 * xs, the value (with the opening cost) into v. */
typedef struct {
    double *r;          /* nc: reduced costs of the items */
    size_t *i, *ord;    /* nc: their clients; their order */
    uint64_t *bits;     /* nc: sort scratch */
    size_t *tmp;
} items;

static void knapsacks(const ap_problem *p, const double *Q, const double *lam, const unsigned char *fix, double *xs,
                      double *v, items *it_)
{
    size_t nc = p->nc, ns = p->ns, i, j, t;
    for (j = 0; j < ns; j++) {
        double room = Q[j];
        size_t n = 0;
        v[j] = p->fcost[j];
        for (i = 0; i < nc; i++)
            xs[j * nc + i] = 0;
        if (fix[j] == 1)
            continue;
        for (i = 0; i < nc; i++) {
            double c = p->cost[i * ns + j];
            if (isfinite(c) && !(p->demand[i] > 0) && lam[i] > 0) {
                /* no demand: takes no room, and the site takes it whole
                 * (leaving it out would make L no bound at all) */
                xs[j * nc + i] = 1;
                v[j] -= lam[i];
            } else if (isfinite(c) && p->demand[i] > 0 && p->demand[i] * c - lam[i] < 0) {
                it_->r[n] = c - lam[i] / p->demand[i];
                it_->i[n] = i;
                n++;
            }
        }
        ap__radix_order(it_->r, n, 0, it_->ord, it_->bits, it_->tmp);
        for (t = 0; t < n && room > 0; t++) {
            size_t o = it_->ord[t], ci = it_->i[o];
            double d = p->demand[ci], x = d <= room ? 1 : room / d;
            xs[j * nc + ci] = x;
            v[j] += x * d * it_->r[o];
            room -= x * d;
        }
    }
}

/* Whether every plan worth having has an integral value: integral costs,
 * opening costs, demands and capacities (or none).  The best
 * transportation plan of any site set then moves whole units (its
 * constraint matrix is totally unimodular), so plans within less than 1
 * of the incumbent need not be searched.  ap__objective_integral's test
 * (demand x cost integral) is not enough when demand splits: half a
 * client's demand at an integral weighted cost need not cost a whole
 * amount, and fractional capacities split it anywhere. */
static int split_integral(const ap_problem *p)
{
    size_t i, j;
    if (!ap__objective_integral(p))
        return 0;
    for (i = 0; i < p->nc; i++) {
        if (p->demand[i] != floor(p->demand[i]))
            return 0;
        for (j = 0; j < p->ns; j++) {
            double c = p->cost[i * p->ns + j];
            if (isfinite(c) && c != floor(c))
                return 0;
        }
    }
    for (j = 0; j < p->ns; j++)
        if (isfinite(p->cap[j]) && p->cap[j] != floor(p->cap[j]))
            return 0;
    return 1;
}

/* The work space of the split-demand Lagrangian: one per solve, shared by
 * the root (ap__lagrange_cfl) and the nodes of the tree (cfl_tree.c). */
struct ap__cfl {
    const ap_problem *p;
    const ap_solve_opts *o;
    double deadline, t0, lastlog;
    int integral;
    cflheur hs;
    coverw cw;
    items it;
    double *v, *y, *g, *xs, *bestlam;
    unsigned char *sel;
    ap_error *err;
};

void ap__cfl_free(ap__cfl *w)
{
    if (!w)
        return;
    free(w->hs.trial);
    free(w->hs.rounded);
    free(w->hs.ybar);
    ap__assign_free(&w->hs.tmp);
    free(w->v);
    free(w->y);
    free(w->g);
    free(w->xs);
    free(w->bestlam);
    free(w->sel);
    free(w->it.r);
    free(w->it.i);
    free(w->it.ord);
    free(w->it.bits);
    free(w->it.tmp);
    free(w->cw.ord);
    free(w->cw.Q);
    ap__cover_free(&w->cw.bb);
    free(w);
}

ap__cfl *ap__cfl_new(const ap_problem *p, const ap_solve_opts *o, double deadline, double *ub,
                     unsigned char *ub_open, ap__assign *ub_asg, ap_error *err)
{
    size_t nc = p->nc, ns = p->ns, i, j;
    ap__cfl *w = calloc(1, sizeof *w);
    if (!w)
        goto oom;
    w->p = p, w->o = o, w->deadline = deadline, w->err = err;
    w->t0 = w->lastlog = ap__now();
    w->hs.ub = ub;
    w->hs.ub_open = ub_open;
    w->hs.ub_asg = ub_asg;
    w->hs.trial = malloc(ns);
    w->hs.rounded = malloc(ns);
    w->hs.ybar = calloc(ns, sizeof *w->hs.ybar);
    w->hs.budget = isfinite(deadline) ? CFL_HEUR_SHARE * fmax(0, deadline - w->t0) : 10;
    w->v = malloc(ns * sizeof *w->v);
    w->y = malloc(ns * sizeof *w->y);
    w->g = malloc(nc * sizeof *w->g);
    w->xs = calloc(nc * ns, sizeof *w->xs);
    w->bestlam = malloc(nc * sizeof *w->bestlam);
    w->sel = malloc(ns);
    w->it.r = malloc(nc * sizeof *w->it.r);
    w->it.i = malloc(nc * sizeof *w->it.i);
    w->it.ord = malloc(nc * sizeof *w->it.ord);
    w->it.bits = malloc(nc * sizeof *w->it.bits);
    w->it.tmp = malloc(nc * sizeof *w->it.tmp);
    w->cw.ord = malloc(ns * sizeof *w->cw.ord);
    w->cw.Q = malloc(ns * sizeof *w->cw.Q);
    w->cw.v = w->v;
    if (!w->hs.trial || !w->hs.rounded || !w->hs.ybar || !w->v || !w->y || !w->g || !w->xs || !w->bestlam ||
        !w->sel || !w->it.r || !w->it.i || !w->it.ord || !w->it.bits || !w->it.tmp || !w->cw.ord || !w->cw.Q ||
        ap__cover_init(&w->cw.bb, ns))
        goto oom;
    for (i = 0; i < nc; i++)
        w->cw.D += p->demand[i];
    /* no site holds more than the whole demand: a site without capacity
     * (or with more) counts as holding exactly that */
    w->cw.equal = 1;
    for (j = 0; j < ns; j++) {
        w->cw.Q[j] = isfinite(p->cap[j]) ? fmin(p->cap[j], w->cw.D) : w->cw.D;
        if (w->cw.Q[j] != w->cw.Q[0])
            w->cw.equal = 0;
    }
    /* early multipliers open almost every site (y is free until the loop) */
    w->hs.most = 2 * ap__fewest_sites(p, NULL, w->cw.D, w->y) + 2;
    w->integral = split_integral(p);
    w->hs.thr = ap__lagr_threshold(w->integral, *ub);
    return w;
oom:
    ap__cfl_free(w);
    ap__err(err, AP_ENOMEM, NULL, "out of memory in Lagrangian bound");
    return NULL;
}

int ap__cfl_try(ap__cfl *w, const unsigned char *sel, unsigned char *fix)
{
    return cfl_evaluate(w->p, w->o, w->deadline, w->deadline, &w->hs, sel, fix, w->integral, w->err);
}

double ap__cfl_threshold(const ap__cfl *w)
{
    return w->hs.thr;
}

const double *ap__cfl_values(const ap__cfl *w)
{
    return w->v;
}

void ap__cfl_tree_mode(ap__cfl *w, double deadline)
{
    double now = ap__now();
    w->deadline = deadline;
    w->hs.tree = 1;
    w->hs.fails = 0;
    w->hs.budget = w->hs.used + (isfinite(deadline) ? CFL_HEUR_SHARE * fmax(0, deadline - now) : 10);
}

/* Subgradient steps on the multipliers lam with the sites fixed by fix
 * (see cfl_run in solver.h).  0 or -1 (error). */
int ap__cfl_steps(ap__cfl *w, unsigned char *fix, double *lam, ap__cfl_run *run)
{
    const ap_problem *p = w->p;
    size_t nc = p->nc, ns = p->ns, i, j, it;
    double mu = run->mu, best = -INFINITY;
    int noimp = 0;
    run->pruned = 0;
    run->iters = 0;
    memcpy(w->bestlam, lam, nc * sizeof *lam);
    for (it = 0; it < run->maxit; it++) {
        double L, sumlam = 0, norm = 0, cv;
        if ((it & 7) == 0 && ap__stopped(w->deadline))
            break;
        if (!w->hs.tree && (it & 7) == 0)
            ap__lagr_progress(w->o, w->t0, &w->lastlog, "lagrangian", best, *w->hs.ub, it);
        for (i = 0; i < nc; i++)
            sumlam += lam[i];
        knapsacks(p, w->cw.Q, lam, fix, w->xs, w->v, &w->it);
        cover_order(p, w->v, fix, &w->cw);
        cv = cover(p, w->v, fix, &w->cw, -1, 0, w->y, INFINITY);
        if (!isfinite(cv)) {
            /* the sites left cannot hold the demand: in the tree the node
             * holds no plan; at the root the incumbent says otherwise */
            if (w->hs.tree)
                best = INFINITY, run->pruned = 1;
            break;
        }
        L = sumlam + cv;
        if (!isfinite(best) || L > best + 1e-9 * (1 + fabs(best))) {
            best = L;
            noimp = 0;
            memcpy(w->bestlam, lam, nc * sizeof *lam);
        } else if (++noimp >= run->stall) {
            mu /= 2;
            noimp = 0;
        }
        run->iters = it + 1;
        for (j = 0; j < ns; j++) {
            w->sel[j] = w->y[j] > 0;
            if (run->ybar)
                run->ybar[j] = 0.7 * run->ybar[j] + 0.3 * w->y[j];
        }
        /* the heuristic, once the multipliers are good (near the bound and
         * within 3% of the incumbent) */
        if (round_average(p, &w->hs, w->sel, fix, w->cw.Q, w->cw.D) && L >= 0.97 * *w->hs.ub &&
            cfl_heuristic(p, w->o, w->deadline, &w->hs, w->hs.rounded, fix, w->integral, w->err))
            return -1;
        if (best >= w->hs.thr) {
            run->pruned = 1;
            break;
        }
        fix_sites(p, w->v, fix, &w->cw, w->hs.tree ? w->sel : w->hs.ub_open, sumlam, w->hs.thr);
        for (i = 0; i < nc; i++) {
            double s = 0;
            for (j = 0; j < ns; j++)
                if (w->y[j] > 0)
                    s += w->y[j] * w->xs[j * nc + i];
            w->g[i] = 1.0 - s;
            norm += w->g[i] * w->g[i];
        }
        if (norm < 1e-12 || mu < 1e-4)
            break;
        ap__lagr_step(lam, w->g, nc, mu, *w->hs.ub, L, norm);
    }
    if (run->iters)
        memcpy(lam, w->bestlam, nc * sizeof *lam);
    run->lb = best;
    return 0;
}

int ap__lagrange_cfl(const ap_problem *p, const ap_solve_opts *o, double deadline, double *ubp,
                     unsigned char *ub_open, ap__assign *ub_asg, ap__lagr *out, ap_error *err)
{
    size_t nc = p->nc, ns = p->ns;
    double ub = *ubp;
    ap__cfl *w;
    ap__cfl_run run;
    int rc = -1;

    memset(out, 0, sizeof *out);
    out->lb = -INFINITY;
    if (!(w = ap__cfl_new(p, o, deadline, &ub, ub_open, ub_asg, err)))
        return -1;
    out->fix = calloc(ns, 1);
    out->mult = malloc(nc * sizeof *out->mult);
    if (!out->fix || !out->mult) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in Lagrangian bound");
        goto done;
    }
    out->integral = w->integral;
    ap__lagr_start(p, ub_open, out->fix, out->mult);
    /* the incumbent's own neighbourhood first */
    if (cfl_polish(p, o, deadline, &w->hs, out->fix, out->integral, err))
        goto done;
    memset(&run, 0, sizeof run);
    run.maxit = 3000;
    run.mu = 2.0;
    run.stall = 30;
    if (ap__cfl_steps(w, out->fix, out->mult, &run))
        goto done;
    out->lb = run.lb;
    out->iters = run.iters;
    out->proven = run.pruned && isfinite(run.lb);
    ap__lagr_finish(o, p, out, "lagrangian (capacitated)");
    if (w->hs.calls)
        ap__log(o, AP_LOG_INFO, "lagrangian (capacitated): %zu transportation problems in %.2fs", w->hs.calls,
                w->hs.used);
    *ubp = ub;
    rc = 0;
done:
    ap__cfl_free(w);
    if (rc) {
        free(out->fix);
        free(out->mult);
        out->fix = NULL;
        out->mult = NULL;
    }
    return rc;
}
