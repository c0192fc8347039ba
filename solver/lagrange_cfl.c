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
    if (ap__gap_descent(p, fmin(deadline, now + hs->budget - hs->used), CFL_RELOCATE_CAND, hs->trial, hs->ub_asg,
                        &z, &calls, err))
        return -1;
    hs->used += ap__now() - now;
    hs->calls += calls;
    if (z < *hs->ub - 1e-9 * fabs(*hs->ub))
        adopt(p, o, hs, fix, integral, z, "relocation");
    return 0;
}

static int cfl_heuristic(const ap_problem *p, const ap_solve_opts *o, double deadline, cflheur *hs,
                         const unsigned char *sel, unsigned char *fix, int integral, ap_error *err)
{
    double now = ap__now(), z, *load = NULL;
    size_t q, j, n = 0;
    int r, proven;
    if (!(hs->used < hs->budget) || hs->fails >= CFL_HEUR_FAILS || ap__stopped(deadline))
        return 0;
    for (j = 0; j < p->ns; j++)
        n += sel[j] != 0;
    if ((p->k && n != (size_t)p->k) || n > hs->most || ap__seen_before(&hs->seen, sel, p->ns))
        return 0;
    memcpy(hs->trial, sel, p->ns);
    r = ap__gap_exact(p, hs->trial, NULL, fmin(deadline, now + hs->budget - hs->used), &hs->tmp, &z, &proven,
                      err);
    hs->used += ap__now() - now;
    hs->calls++;
    hs->fails++;
    if (r != 0)
        return r < 0 ? -1 : 0;
    if (!p->k && (load = calloc(p->ns, sizeof *load)) != NULL) {
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

static double cover(const ap_problem *p, const double *v, const unsigned char *fix, const coverw *cw, long force,
                    int in, double *y)
{
    double val = 0, cap = 0, tol = 1e-9 * (1 + cw->D);
    size_t j, t;
    for (j = 0; j < p->ns; j++) {
        int take = fix[j] != 1 && outright(fix, v, j, force, in);
        if (y)
            y[j] = take;
        if (take)
            val += v[j], cap += cw->Q[j];
    }
    for (t = 0; t < cw->nord && cap < cw->D - tol; t++) {
        double part;
        j = cw->ord[t].j;
        if ((long)j == force)
            continue; /* forced in: counted above; forced out: skipped */
        part = cw->equal || cw->Q[j] <= cw->D - cap ? 1 : (cw->D - cap) / cw->Q[j];
        val += part * v[j];
        cap += part * cw->Q[j];
        if (y)
            y[j] = part;
    }
    return cap >= cw->D - tol ? val : INFINITY;
}

/* Fixing against the incumbent: a site the incumbent leaves closed whose
 * opening costs at least the threshold is closed for good; an open one
 * whose closing does is opened for good. */
static void fix_sites(const ap_problem *p, const double *v, unsigned char *fix, const coverw *cw,
                      const unsigned char *ub_open, double sumlam, double thr)
{
    size_t j;
    for (j = 0; j < p->ns; j++) {
        if (fix[j])
            continue;
        if (!ub_open[j] && sumlam + cover(p, v, fix, cw, (long)j, 1, NULL) >= thr)
            fix[j] = 1;
        else if (ub_open[j] && sumlam + cover(p, v, fix, cw, (long)j, 0, NULL) >= thr)
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

int ap__lagrange_cfl(const ap_problem *p, const ap_solve_opts *o, double deadline, double *ubp,
                     unsigned char *ub_open, ap__assign *ub_asg, ap__lagr *out, ap_error *err)
{
    cflheur hs;
    coverw cw;
    size_t nc = p->nc, ns = p->ns, i, j, it, maxit = 3000;
    double *lam = NULL, *v = NULL, *g = NULL, *y = NULL, mu = 2.0, ub = *ubp;
    double *xs = NULL;  /* knapsack solution, per site and client */
    unsigned char *sel = NULL, *fix;
    items it_;
    int noimp = 0, rc = -1;
    double t0 = ap__now(), lastlog = t0;

    memset(out, 0, sizeof *out);
    memset(&hs, 0, sizeof hs);
    memset(&cw, 0, sizeof cw);
    memset(&it_, 0, sizeof it_);
    out->lb = -INFINITY;
    out->fix = fix = calloc(ns, 1);
    hs.ub = &ub;
    hs.ub_open = ub_open;
    hs.ub_asg = ub_asg;
    hs.trial = malloc(ns);
    hs.rounded = malloc(ns);
    hs.ybar = calloc(ns, sizeof *hs.ybar);
    hs.budget = isfinite(deadline) ? CFL_HEUR_SHARE * fmax(0, deadline - t0) : 10;
    lam = malloc(nc * sizeof *lam);
    v = malloc(ns * sizeof *v);
    y = malloc(ns * sizeof *y);
    g = malloc(nc * sizeof *g);
    xs = calloc(nc * ns, sizeof *xs);
    sel = malloc(ns);
    it_.r = malloc(nc * sizeof *it_.r);
    it_.i = malloc(nc * sizeof *it_.i);
    it_.ord = malloc(nc * sizeof *it_.ord);
    it_.bits = malloc(nc * sizeof *it_.bits);
    it_.tmp = malloc(nc * sizeof *it_.tmp);
    cw.ord = malloc(ns * sizeof *cw.ord);
    cw.Q = malloc(ns * sizeof *cw.Q);
    if (!fix || !lam || !v || !y || !g || !xs || !sel || !it_.r || !it_.i || !it_.ord || !it_.bits || !it_.tmp || !hs.trial || !hs.rounded || !hs.ybar || !cw.ord || !cw.Q) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in Lagrangian bound");
        goto done;
    }
    for (i = 0; i < nc; i++)
        cw.D += p->demand[i];
    /* no site holds more than the whole demand: a site without capacity
     * (or with more) counts as holding exactly that */
    cw.equal = 1;
    for (j = 0; j < ns; j++) {
        cw.Q[j] = isfinite(p->cap[j]) ? fmin(p->cap[j], cw.D) : cw.D;
        if (cw.Q[j] != cw.Q[0])
            cw.equal = 0;
    }
    /* early multipliers open almost every site (y is free until the loop) */
    hs.most = 2 * ap__fewest_sites(p, NULL, cw.D, y) + 2;
    out->integral = ap__objective_integral(p);
    hs.thr = ap__lagr_threshold(out->integral, ub);
    ap__lagr_start(p, ub_open, fix, lam);
    /* the incumbent's own neighbourhood first */
    if (cfl_polish(p, o, deadline, &hs, fix, out->integral, err))
        goto done;
    for (it = 0; it < maxit; it++) {
        double L = 0, sumlam = 0, norm = 0, cv;
        if ((it & 7) == 0 && ap__stopped(deadline))
            break;
        if ((it & 7) == 0)
            ap__lagr_progress(o, t0, &lastlog, "lagrangian", out->lb, ub, it);
        for (i = 0; i < nc; i++)
            sumlam += lam[i];
        knapsacks(p, cw.Q, lam, fix, xs, v, &it_);
        cover_order(p, v, fix, &cw);
        cv = cover(p, v, fix, &cw, -1, 0, y);
        if (!isfinite(cv))
            break; /* cannot cover: the incumbent says otherwise */
        L = sumlam + cv;
        for (j = 0; j < ns; j++)
            sel[j] = y[j] > 0;
        ap__lagr_record(out, L, &mu, &noimp);
        out->iters = it + 1;
        /* the heuristic, once the multipliers are good (near the bound and
         * within 3% of the incumbent) */
        if (round_average(p, &hs, sel, fix, cw.Q, cw.D) && L >= 0.97 * ub &&
            cfl_heuristic(p, o, deadline, &hs, hs.rounded, fix, out->integral, err))
            goto done;
        if (out->lb >= hs.thr) {
            out->proven = 1;
            break;
        }
        fix_sites(p, v, fix, &cw, ub_open, sumlam, hs.thr);
        for (i = 0; i < nc; i++) {
            double s = 0;
            for (j = 0; j < ns; j++)
                if (y[j] > 0)
                    s += y[j] * xs[j * nc + i];
            g[i] = 1.0 - s;
            norm += g[i] * g[i];
        }
        if (norm < 1e-12 || mu < 1e-4)
            break;
        ap__lagr_step(lam, g, nc, mu, ub, L, norm);
    }
    ap__lagr_finish(o, p, out, "lagrangian (capacitated)");
    if (hs.calls)
        ap__log(o, AP_LOG_INFO, "lagrangian (capacitated): %zu transportation problems in %.2fs", hs.calls,
                hs.used);
    *ubp = ub;
    rc = 0;
done:
    free(hs.trial);
    free(hs.rounded);
    free(hs.ybar);
    ap__assign_free(&hs.tmp);
    free(lam);
    free(v);
    free(y);
    free(g);
    free(xs);
    free(sel);
    free(it_.r);
    free(it_.i);
    free(it_.ord);
    free(it_.bits);
    free(it_.tmp);
    free(cw.ord);
    free(cw.Q);
    if (rc) {
        free(out->fix);
        out->fix = NULL;
    }
    return rc;
}
