/* lagrange.c - Lagrangian bounds and variable fixing for the uncapacitated
 * models (p-median, facility location).
 *
 * Relaxing "every client is assigned once" with multipliers lambda_i gives
 *   L(lambda) = sum_i lambda_i + min { sum_j rho_j y_j : k sites / free }
 *   rho_j = f_j + sum_i min(0, d_i c_ij - lambda_i),
 * solved by picking the k smallest rho_j (or every negative one when k is
 * free).  Its maximum equals the LP bound of the strong formulation, usually
 * within a fraction of a percent of the optimum.  Every L(lambda) also bounds
 * the problem with one site forced open or closed, which fixes sites: if
 * forcing site j open costs at least the incumbent, no better plan opens j. */
#include "solver.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ap__cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* 0 if w is not an integer, 1 if it is one, 2 if it is one up to the
 * rounding of the product that made it: an importer that stores cost per
 * unit of demand (26 / 5 = 5.2000000000000002) gives demand x cost =
 * 26.000000000000004, which is 26 for the plan. */
static int integer_kind(double w)
{
    if (!isfinite(w) || w == floor(w))
        return 1;
    return fabs(w - nearbyint(w)) <= 1e-12 * fmax(1.0, fabs(w)) ? 2 : 0;
}

/* Whether every objective coefficient is an integer (then so is every
 * objective value, and a bound can be rounded up).  Coefficients within
 * 1e-12 relative of an integer count: a plan of value V (its terms not
 * negative) then lies within 1e-12 (nc + ns + V) of an integer; with the
 * limits below (nc + ns at most 1e5, V at most 1e11) two such plans' errors
 * stay inside the margin of ap__lagr_threshold. */
int ap__objective_integral(const ap_problem *p)
{
    size_t i, j;
    double sum = 0;
    int near = 0;
    for (j = 0; j < p->ns; j++) {
        int k = integer_kind(p->fcost[j]);
        if (!k)
            return 0;
        near |= k == 2;
        if (isfinite(p->fcost[j]))
            sum += fabs(p->fcost[j]);
    }
    for (i = 0; i < p->nc; i++) {
        double wmax = 0;
        for (j = 0; j < p->ns; j++) {
            double w = p->demand[i] * p->cost[i * p->ns + j];
            int k = integer_kind(w);
            if (!k)
                return 0;
            near |= k == 2;
            if (isfinite(w))
                wmax = fmax(wmax, fabs(w));
        }
        sum += wmax;
    }
    return !near || (p->nc + p->ns <= 100000 && sum <= 1e11);
}

/* Objective of opening exactly the sites in sel (INFINITY if a client is
 * left without an allowed site). */
static double value_of(const ap_problem *p, const unsigned char *sel)
{
    double z = 0;
    size_t i, j;
    for (j = 0; j < p->ns; j++)
        if (sel[j])
            z += p->fcost[j];
    for (i = 0; i < p->nc; i++) {
        const double *c = p->cost + i * p->ns;
        double b = INFINITY;
        for (j = 0; j < p->ns; j++)
            if (sel[j] && c[j] < b)
                b = c[j];
        z += p->demand[i] * b;
    }
    return z;
}

/* A progress line at most once a second, once the phase has run a second. */
void ap__lagr_progress(const ap_solve_opts *o, double t0, double *last, const char *what,
                     double lb, double ub, size_t it)
{
    double now = ap__now();
    if (now - t0 < 1.0 || now - *last < 1.0)
        return;
    *last = now;
    ap__log(o, AP_LOG_PROGRESS, "%s: incumbent %.10g  bound %.10g  gap %.4f%%  iteration %zu  elapsed %.1fs",
            what, ub, lb, ub != 0 ? 100.0 * (ub - lb) / fabs(ub) : 0.0, it, now - t0);
}

/* Shared start: pinned sites fixed open, each multiplier at the client's
 * cost in the incumbent. */
void ap__lagr_start(const ap_problem *p, const unsigned char *ub_open, unsigned char *fix, double *lam)
{
    size_t i, j, ns = p->ns;
    for (j = 0; j < ns; j++)
        if (p->pin && p->pin[j])
            fix[j] = 2;
    for (i = 0; i < p->nc; i++) {
        double best = INFINITY;
        for (j = 0; j < ns; j++)
            if (ub_open[j] && p->cost[i * ns + j] < best)
                best = p->cost[i * ns + j];
        lam[i] = p->demand[i] * best;
    }
}

/* Shared end: counts the free sites and says what was found. */
void ap__lagr_finish(const ap_solve_opts *o, const ap_problem *p, ap__lagr *out, const char *what)
{
    size_t j;
    out->nfree = 0;
    for (j = 0; j < p->ns; j++)
        if (out->fix[j] == 0)
            out->nfree++;
    ap__log(o, AP_LOG_INFO, "%s: bound %.10g after %zu iterations; %zu of %zu sites left free%s",
            what, out->lb, out->iters, out->nfree, p->ns,
            out->proven ? "; incumbent proven optimal" : "");
}

/* Records the bound L of an iteration; halves the step size after 30
 * iterations without improvement. */
void ap__lagr_record(ap__lagr *out, double L, double *mu, int *noimp)
{
    if (!isfinite(out->lb) || L > out->lb + 1e-9 * (1 + fabs(out->lb))) {
        out->lb = L;
        *noimp = 0;
    } else if (++*noimp >= 30) {
        *mu /= 2;
        *noimp = 0;
    }
}

/* Subgradient step towards the incumbent's value (Polyak's rule). */
void ap__lagr_step(double *lam, const double *g, size_t n, double mu, double ub, double L,
                      double norm)
{
    double step = mu * (ub - L) / norm;
    size_t i;
    if (step <= 0)
        step = mu * 1e-3 * (1 + fabs(ub)) / norm;
    for (i = 0; i < n; i++)
        lam[i] += step * g[i];
}

int ap__seen_before(ap__seen *s, const unsigned char *sel, size_t ns)
{
    unsigned long long h = 1469598103934665603ULL;
    size_t j, q;
    for (j = 0; j < ns; j++)
        h = (h ^ sel[j]) * 1099511628211ULL;
    for (q = 0; q < s->n && q < 64; q++)
        if (s->h[q] == h)
            return 1;
    s->h[s->n++ % 64] = h;
    return 0;
}

void ap__lagr_unfix(unsigned char *fix, const unsigned char *ub_open, size_t ns)
{
    size_t j;
    for (j = 0; j < ns; j++)
        if ((fix[j] == 1 && ub_open[j]) || (fix[j] == 2 && !ub_open[j]))
            fix[j] = 0;
}

double ap__lagr_threshold(int integral, double ub)
{
    /* a plan strictly better than ub must have objective below this (the
     * margin covers the rounding of near-integral coefficients, see
     * ap__objective_integral) */
    return integral ? ub - 1 + fmin(0.5, 1e-6 + 1e-9 * fabs(ub)) : ub - 1e-9 * fabs(ub) - 1e-9;
}

/* The stall test of ap__lagrange, `stall` seconds or more after the mark
 * (*tmark, *lbmark, *fixmark: time, bound and fixed sites then).  Stalled:
 * the bound moved less than 0.01%, closing less than a tenth of the gap
 * to the incumbent, and fewer than 1% more sites were fixed (with few
 * medians the subgradient fixes most of them, which shrinks the master).
 * A new mark is set when the search goes on. */
static int lagr_stalled(const ap_problem *p, const unsigned char *fix, double ub, double lb, double *tmark,
                        double *lbmark, size_t *fixmark)
{
    size_t j, nfixed = 0;
    double moved = lb - *lbmark;
    int stalled;
    for (j = 0; j < p->ns; j++)
        nfixed += fix[j] != 0;
    stalled = isfinite(*lbmark) && moved < 1e-4 * fabs(lb) && moved < 0.1 * (ub - lb) &&
              nfixed < *fixmark + p->ns / 100;
    if (!stalled) {
        *tmark = ap__now();
        *lbmark = lb;
        *fixmark = nfixed;
    }
    return stalled;
}

/* The k sites of largest moving average ybar (those fixed open first, none
 * fixed closed) into sel.  0, or 1 when fix leaves fewer than k. */
static int top_k(const ap_problem *p, const double *ybar, const unsigned char *fix, unsigned char *sel)
{
    size_t j, m, pick, ns = p->ns;
    memset(sel, 0, ns);
    for (m = 0; m < (size_t)p->k; m++) {
        for (j = 0, pick = ns; j < ns; j++) {
            if (sel[j] || fix[j] == 1)
                continue;
            if (pick == ns || (fix[j] == 2) > (fix[pick] == 2) ||
                ((fix[j] == 2) == (fix[pick] == 2) && ybar[j] > ybar[pick]))
                pick = j;
        }
        if (pick == ns)
            return 1;
        sel[pick] = 1;
    }
    return 0;
}

/* A plan of k sites from the relaxation, into sel: the sites fixed open,
 * then greedily the site that lowers the plan's value most among those
 * the relaxed choices visited (moving average over ROUND_SUPPORT), filled
 * up by top_k when they are too few or too many to scan (over
 * ROUND_WORK client-site evaluations).  Picking by largest average alone
 * often puts two medians on one region the relaxation splits between
 * neighbouring sites and leaves another region empty.  0, 1 when fix
 * leaves fewer than k sites, -1 when out of memory. */
#define ROUND_SUPPORT 0.01
#define ROUND_WORK 2e8
static int round_relaxation(const ap_problem *p, const double *ybar, const unsigned char *fix, unsigned char *sel)
{
    size_t i, j, m, nc = p->nc, ns = p->ns, ncand = 0, nsel = 0, k = (size_t)p->k;
    double *near;
    if (top_k(p, ybar, fix, sel))
        return 1;
    for (j = 0; j < ns; j++)
        ncand += fix[j] == 0 && ybar[j] > ROUND_SUPPORT;
    if (ncand < k || (double)k * (double)ncand * (double)nc > ROUND_WORK)
        return 0;
    if (!(near = malloc(nc * sizeof *near)))
        return -1;
    memset(sel, 0, ns);
    for (i = 0; i < nc; i++)
        near[i] = INFINITY;
    for (m = 0; m < k; m++) {
        size_t pick = ns;
        double pv = INFINITY;
        for (j = 0; j < ns; j++) {
            double v = p->fcost[j];
            if (sel[j] || fix[j] == 1 || (fix[j] == 0 && !(ybar[j] > ROUND_SUPPORT)))
                continue;
            if (fix[j] == 2 && nsel < k) {
                pick = j; /* fixed open: always, first */
                break;
            }
            for (i = 0; i < nc && v < pv; i++)
                v += p->demand[i] * fmin(near[i], p->cost[i * ns + j]);
            if (v < pv)
                pv = v, pick = j;
        }
        if (pick == ns)
            break;
        sel[pick] = 1, nsel++;
        for (i = 0; i < nc; i++)
            near[i] = fmin(near[i], p->cost[i * ns + pick]);
    }
    free(near);
    return nsel == k ? 0 : top_k(p, ybar, fix, sel);
}

/* With k fixed, after the subgradient: a plan rounded from the relaxation
 * (round_relaxation), improved by path relinking (pool.c) with the
 * incumbent ub_open in the pool from the start (the relinking combines the
 * relaxation's regions with the incumbent's), for a short time (RESTART_*
 * below, within the deadline): on many points with few medians the
 * relaxation knows the regions of the optimum better than the greedy does
 * (bench/RESULTS.md, session 15).  Into trial (its value into *vout
 * when it ran); 1 when it beats ub (*asg its assignment then), 0 when not,
 * -1 when out of memory.  restart_time: its time, 0 when it does not
 * apply. */
#define RESTART_BASE 0.1     /* seconds, plus: */
#define RESTART_PER_MPAIR 0.1 /* seconds per 10^6 client-site pairs */
#define RESTART_MOST 2.0
static double restart_time(const ap_problem *p)
{
    double pairs = (double)p->nc * (double)p->ns;
    return p->k > 0 && ap__pool_applies(p) ? fmin(RESTART_MOST, RESTART_BASE + RESTART_PER_MPAIR * pairs / 1e6) : 0;
}

static int lagr_restart(const ap_problem *p, const ap_solve_opts *o, double deadline, const double *ybar,
                        const unsigned char *fix, double ub, const unsigned char *ub_open, unsigned char *trial,
                        ap__assign *asg, double *vout)
{
    double budget = restart_time(p), v0;
    int r;
    if (budget <= 0 || ap__stopped(deadline))
        return 0;
    if ((r = round_relaxation(p, ybar, fix, trial)) != 0)
        return r < 0 ? -1 : 0;
    v0 = value_of(p, trial);
    if ((r = ap__pool_with(p, o, fmin(deadline, ap__now() + budget), trial, ub_open)) <= 0)
        return r;
    *vout = value_of(p, trial);
    ap__log(o, AP_LOG_INFO, "lagrangian restart: rounded relaxation %.10g, after path relinking %.10g", v0, *vout);
    if (!(*vout < ub - 1e-9 * fabs(ub)) || !ap__changes_ok(p, trial))
        return 0;
    return ap__assign_nearest(p, trial, asg) ? -1 : 1;
}

/* The plan trial (value v, its assignment in *tmp) becomes the incumbent
 * (*ubp, ub_open, ub_asg; the old assignment goes to *tmp), the fixings
 * that would exclude it undone; logged as `what`'s. */
static void take_incumbent(const ap_problem *p, const ap_solve_opts *o, const char *what, double v,
                           const unsigned char *trial, ap__assign *tmp, double *ubp, unsigned char *ub_open,
                           ap__assign *ub_asg, unsigned char *fix)
{
    ap__assign sw = *ub_asg;
    *ub_asg = *tmp;
    *tmp = sw;
    *ubp = v;
    memcpy(ub_open, trial, p->ns);
    ap__lagr_unfix(fix, ub_open, p->ns);
    ap__log(o, AP_LOG_INFO, "%s: incumbent %.10g", what, v);
}

/* One evaluation of the Lagrangian: rho (site reduced costs), the relaxed
 * choice sel (fixed-open sites always, fixed-closed never; with k the k
 * of least rho, else every negative one, or the least when none is:
 * forced), its bound L, and for the fixing tests the dearest chosen free
 * site's rho (inmax) and the cheapest other's (outmin). */
typedef struct {
    double *rho, *sorted;   /* ns each */
    unsigned char *sel;     /* ns */
    double L, inmax, outmin;
    int forced;
} leval;

/* rho[j] += min(0, d c[j] - li) for j < n: the Lagrangian's pass over a
 * cost row, two sites at a time so that the compiler pairs them in one
 * vector operation (GCC 12 at -O2 leaves the plain loop scalar; the
 * iterations a second about tripled on 2,000 x 2,000: bench/RESULTS.md,
 * session 15). */
static void add_below(double *restrict rho, const double *restrict c, double d, double li, size_t n)
{
    size_t j;
    for (j = 0; j + 2 <= n; j += 2) {
        double r0 = d * c[j] - li, r1 = d * c[j + 1] - li;
        rho[j] += r0 < 0 ? r0 : 0.0;
        rho[j + 1] += r1 < 0 ? r1 : 0.0;
    }
    if (j < n) {
        double r = d * c[j] - li;
        rho[j] += r < 0 ? r : 0.0;
    }
}

/* L(lam) under fix into e.  0, or 1 when fix leaves fewer than k sites. */
static int lagr_eval(const ap_problem *p, const double *lam, const unsigned char *fix, leval *e)
{
    size_t nc = p->nc, ns = p->ns, i, j, nsel = 0, m = 0, nfixopen = 0;
    double *rho = e->rho;
    unsigned char *sel = e->sel;
    e->L = 0, e->inmax = -INFINITY, e->outmin = INFINITY, e->forced = 0;
    for (j = 0; j < ns; j++) {
        rho[j] = p->fcost[j];
        if (fix[j] == 2)
            nfixopen++;
    }
    for (i = 0; i < nc; i++) {
        const double *c = p->cost + i * ns;
        double d = p->demand[i], li = lam[i];
        e->L += li;
        add_below(rho, c, d, li, ns);
    }
    for (j = 0; j < ns; j++) {
        sel[j] = fix[j] == 2;
        if (fix[j] == 0)
            e->sorted[m++] = rho[j];
    }
    if (p->k) {
        size_t need = (size_t)p->k > nfixopen ? (size_t)p->k - nfixopen : 0;
        double kth;
        if (need > m)
            return 1;
        qsort(e->sorted, m, sizeof *e->sorted, ap__cmp_dbl);
        kth = need ? e->sorted[need - 1] : -INFINITY;
        for (j = 0; j < ns && nsel < need; j++)
            if (fix[j] == 0 && rho[j] < kth)
                sel[j] = 1, nsel++;
        for (j = 0; j < ns && nsel < need; j++)
            if (fix[j] == 0 && !sel[j] && rho[j] == kth)
                sel[j] = 1, nsel++;
    } else {
        long bestj = -1;
        for (j = 0; j < ns; j++)
            if (fix[j] == 0 && rho[j] < 0)
                sel[j] = 1, nsel++;
        if (nsel + nfixopen == 0) {
            for (j = 0; j < ns; j++)
                if (fix[j] == 0 && (bestj < 0 || rho[j] < rho[bestj]))
                    bestj = (long)j;
            if (bestj >= 0)
                sel[bestj] = 1, e->forced = 1;
        }
    }
    for (j = 0; j < ns; j++) {
        if (!sel[j])
            continue;
        e->L += rho[j];
        if (fix[j] == 0 && rho[j] > e->inmax)
            e->inmax = rho[j];
    }
    for (j = 0; j < ns; j++)
        if (fix[j] == 0 && !sel[j] && rho[j] < e->outmin)
            e->outmin = rho[j];
    return 0;
}

/* The fixing tests of evaluation e (not forced) against thr: any
 * multipliers bound the problem with one site forced the other way, so a
 * site whose forcing reaches thr is fixed (never against the incumbent's
 * own sites ub_open).  How many it fixed. */
static size_t lagr_fix(const ap_problem *p, const leval *e, double thr, const unsigned char *ub_open,
                       unsigned char *fix)
{
    size_t j, n = 0;
    for (j = 0; j < p->ns; j++) {
        if (fix[j])
            continue;
        if (!e->sel[j]) {
            double lb1 = p->k ? e->L + e->rho[j] - e->inmax : e->L + e->rho[j];
            if (lb1 >= thr && !ub_open[j])
                fix[j] = 1, n++;
        } else {
            double lb0 = p->k ? e->L - e->rho[j] + e->outmin : e->L - e->rho[j];
            if (lb0 >= thr && ub_open[j])
                fix[j] = 2, n++;
        }
    }
    return n;
}

int ap__lagrange(const ap_problem *p, const ap_solve_opts *o, double deadline, double stall,
                 double *ubp, unsigned char *ub_open, ap__assign *ub_asg, ap__lagr *out,
                 ap_error *err)
{
    double ub = *ubp, lastheur = INFINITY, t0 = ap__now(), lastlog = t0, tmark = t0, lbmark = -INFINITY;
    unsigned char *trial = NULL;
    ap__assign tmp = {0, 0, NULL, NULL, NULL};
    size_t nc = p->nc, ns = p->ns, i, j, it, maxit = 5000, fixmark = 0, nsel, *idx = NULL;
    double *lam = NULL, *g = NULL, *ybar = NULL, mu = 2.0, thr, rt, sdead;
    unsigned char *sel, *fix;
    int noimp = 0, rc = -1;
    leval e = {NULL, NULL, NULL, 0, 0, 0, 0};

    memset(out, 0, sizeof *out);
    out->lb = -INFINITY;
    out->fix = fix = calloc(ns, 1);
    out->mult = malloc(nc * sizeof *out->mult);
    lam = malloc(nc * sizeof *lam);
    e.rho = malloc(ns * sizeof *e.rho);
    g = malloc(nc * sizeof *g);
    e.sorted = malloc(ns * sizeof *e.sorted);
    sel = e.sel = malloc(ns);
    trial = malloc(ns);
    ybar = calloc(ns, sizeof *ybar);
    idx = malloc(ns * sizeof *idx);
    if (!fix || !out->mult || !lam || !e.rho || !g || !e.sorted || !sel || !trial || !ybar || !idx)
        goto oom;
    out->integral = ap__objective_integral(p);
    thr = ap__lagr_threshold(out->integral, ub);
    ap__lagr_start(p, ub_open, fix, lam);
    /* the subgradient leaves the restart its time (half of what is left
     * when that is less) */
    rt = restart_time(p);
    sdead = isfinite(deadline) ? deadline - fmin(rt, 0.5 * fmax(0, deadline - ap__now())) : deadline;
    for (it = 0; it < maxit; it++) {
        double L, norm = 0;
        int forced;
        if ((it & 15) == 0 && ap__stopped(sdead))
            break;
        if ((it & 15) == 0 && stall > 0 && ap__now() - tmark >= stall &&
            lagr_stalled(p, fix, ub, out->lb, &tmark, &lbmark, &fixmark)) {
            ap__log(o, AP_LOG_INFO, "lagrangian: stopped, the bound moved %.3g in %.1fs", out->lb - lbmark,
                    ap__now() - tmark);
            break;
        }
        if ((it & 15) == 0)
            ap__lagr_progress(o, t0, &lastlog, "lagrangian", out->lb, ub, it);
        if (lagr_eval(p, lam, fix, &e))
            break; /* cannot happen with a feasible incumbent */
        L = e.L;
        forced = e.forced;
        for (j = 0; j < ns && !forced; j++)
            ybar[j] = 0.7 * ybar[j] + 0.3 * sel[j];
        ap__lagr_record(out, L, &mu, &noimp);
        if (out->lb == L)
            memcpy(out->mult, lam, nc * sizeof *lam);
        out->iters = it + 1;
        /* Lagrangian heuristic: the relaxed site choice, polished by local
         * search when it is promising and new */
        if (!forced && it % 10 == 5 && ap__changes_ok(p, sel)) {
            double v = value_of(p, sel);
            if (v < ub * 1.05 && v != lastheur) {
                lastheur = v;
                memcpy(trial, sel, ns);
                if (ap__improve(p, o, deadline, trial, &tmp, err) < 0)
                    goto done;
                v = value_of(p, trial);
                if (v < ub - 1e-9 * fabs(ub) && ap__changes_ok(p, trial)) {
                    take_incumbent(p, o, "lagrangian heuristic", v, trial, &tmp, ubp, ub_open, ub_asg, fix);
                    ub = v;
                    thr = ap__lagr_threshold(out->integral, ub);
                }
            }
        }
        if (out->lb >= thr) {
            out->proven = 1;
            break;
        }
        if (!forced)
            lagr_fix(p, &e, thr, ub_open, fix);
        /* subgradient of the relaxed rows: 1 - (times client i is
         * assigned), over the chosen sites only */
        for (j = 0, nsel = 0; j < ns; j++)
            if (sel[j])
                idx[nsel++] = j;
        for (i = 0; i < nc; i++) {
            const double *c = p->cost + i * ns;
            double d = p->demand[i], li = lam[i];
            size_t t;
            int cnt = 0;
            for (t = 0; t < nsel; t++)
                cnt += d * c[idx[t]] - li < 0;
            g[i] = 1.0 - cnt;
            norm += g[i] * g[i];
        }
        if (norm == 0) {
            /* the relaxed solution is feasible: L is the optimum of the
             * restricted problem */
            if (L >= out->lb) {
                out->lb = L;
                memcpy(out->mult, lam, nc * sizeof *lam);
            }
            out->proven = out->lb >= thr;
            break;
        }
        if (mu < 1e-4)
            break;
        ap__lagr_step(lam, g, nc, mu, ub, L, norm);
    }
    if (!out->proven && isfinite(out->lb)) {
        double v = INFINITY;
        int r = lagr_restart(p, o, deadline, ybar, fix, ub, ub_open, trial, &tmp, &v);
        if (r < 0)
            goto oom;
        if (r > 0) {
            take_incumbent(p, o, "lagrangian restart", v, trial, &tmp, ubp, ub_open, ub_asg, fix);
            ub = v;
            thr = ap__lagr_threshold(out->integral, ub);
            out->proven = out->lb >= thr;
            /* the fixing tests again, at the best multipliers against the
             * better incumbent */
            if (!out->proven && lagr_eval(p, out->mult, fix, &e) == 0 && !e.forced)
                ap__log(o, AP_LOG_INFO, "lagrangian restart: %zu more sites fixed",
                        lagr_fix(p, &e, thr, ub_open, fix));
        }
    }
    ap__lagr_finish(o, p, out, "lagrangian");
    rc = 0;
    goto done;
oom:
    ap__err(err, AP_ENOMEM, NULL, "out of memory in Lagrangian bound");
done:
    free(lam);
    free(e.rho);
    free(g);
    free(e.sorted);
    free(e.sel);
    free(trial);
    free(ybar);
    free(idx);
    ap__assign_free(&tmp);
    if (rc) {
        free(out->fix);
        out->fix = NULL;
    }
    return rc;
}
