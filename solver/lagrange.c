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

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Whether every objective coefficient is an integer (then so is every
 * objective value, and a bound can be rounded up). */
int ap__objective_integral(const ap_problem *p)
{
    size_t i, j;
    for (j = 0; j < p->ns; j++)
        if (p->fcost[j] != floor(p->fcost[j]))
            return 0;
    for (i = 0; i < p->nc; i++)
        for (j = 0; j < p->ns; j++) {
            double w = p->demand[i] * p->cost[i * p->ns + j];
            if (isfinite(w) && w != floor(w))
                return 0;
        }
    return 1;
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
static void lagr_start(const ap_problem *p, const unsigned char *ub_open, unsigned char *fix,
                       double *lam)
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
    /* a plan strictly better than ub must have objective below this */
    return integral ? ub - 1 + 1e-6 : ub - 1e-9 * fabs(ub) - 1e-9;
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

int ap__lagrange(const ap_problem *p, const ap_solve_opts *o, double deadline, double stall,
                 double *ubp, unsigned char *ub_open, ap__assign *ub_asg, ap__lagr *out,
                 ap_error *err)
{
    double ub = *ubp, lastheur = INFINITY, t0 = ap__now(), lastlog = t0, tmark = t0, lbmark = -INFINITY;
    unsigned char *trial = NULL;
    ap__assign tmp = {0, 0, NULL, NULL, NULL};
    size_t nc = p->nc, ns = p->ns, i, j, it, maxit = 5000, fixmark = 0;
    double *lam = NULL, *rho = NULL, *g = NULL, *sorted = NULL, mu = 2.0, thr;
    unsigned char *sel = NULL, *fix;
    int noimp = 0, rc = -1;
    int k = p->k;

    memset(out, 0, sizeof *out);
    out->lb = -INFINITY;
    out->fix = fix = calloc(ns, 1);
    out->mult = malloc(nc * sizeof *out->mult);
    lam = malloc(nc * sizeof *lam);
    rho = malloc(ns * sizeof *rho);
    g = malloc(nc * sizeof *g);
    sorted = malloc(ns * sizeof *sorted);
    sel = malloc(ns);
    trial = malloc(ns);
    if (!fix || !out->mult || !lam || !rho || !g || !sorted || !sel || !trial) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in Lagrangian bound");
        goto done;
    }
    out->integral = ap__objective_integral(p);
    thr = ap__lagr_threshold(out->integral, ub);
    lagr_start(p, ub_open, fix, lam);
    for (it = 0; it < maxit; it++) {
        double L = 0, norm = 0, inmax = -INFINITY, outmin = INFINITY, kth;
        size_t nsel = 0, m = 0, nfixopen = 0;
        int forced = 0;
        if ((it & 15) == 0 && ap__stopped(deadline))
            break;
        if ((it & 15) == 0 && stall > 0 && ap__now() - tmark >= stall &&
            lagr_stalled(p, fix, ub, out->lb, &tmark, &lbmark, &fixmark)) {
            ap__log(o, AP_LOG_INFO, "lagrangian: stopped, the bound moved %.3g in %.1fs", out->lb - lbmark,
                    ap__now() - tmark);
            break;
        }
        if ((it & 15) == 0)
            ap__lagr_progress(o, t0, &lastlog, "lagrangian", out->lb, ub, it);
        for (j = 0; j < ns; j++) {
            rho[j] = p->fcost[j];
            if (fix[j] == 2)
                nfixopen++;
        }
        for (i = 0; i < nc; i++) {
            const double *c = p->cost + i * ns;
            double d = p->demand[i], li = lam[i];
            L += li;
            for (j = 0; j < ns; j++) {
                double r = d * c[j] - li;
                if (r < 0)
                    rho[j] += r;
            }
        }
        /* choose the sites: fixed-open always, fixed-closed never */
        for (j = 0; j < ns; j++) {
            sel[j] = fix[j] == 2;
            if (fix[j] == 0)
                sorted[m++] = rho[j];
        }
        if (k) {
            size_t need = (size_t)k > nfixopen ? (size_t)k - nfixopen : 0;
            if (need > m)
                break; /* cannot happen with a feasible incumbent */
            qsort(sorted, m, sizeof *sorted, cmp_dbl);
            kth = need ? sorted[need - 1] : -INFINITY;
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
                    sel[bestj] = 1, forced = 1;
            }
        }
        for (j = 0; j < ns; j++) {
            if (!sel[j])
                continue;
            L += rho[j];
            if (fix[j] == 0 && rho[j] > inmax)
                inmax = rho[j];
        }
        for (j = 0; j < ns; j++)
            if (fix[j] == 0 && !sel[j] && rho[j] < outmin)
                outmin = rho[j];
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
                    ap__assign sw = *ub_asg;
                    *ub_asg = tmp;
                    tmp = sw;
                    ub = *ubp = v;
                    memcpy(ub_open, trial, ns);
                    thr = ap__lagr_threshold(out->integral, ub);
                    ap__lagr_unfix(fix, ub_open, ns);
                    ap__log(o, AP_LOG_INFO, "lagrangian heuristic: incumbent %.10g", ub);
                }
            }
        }
        if (out->lb >= thr) {
            out->proven = 1;
            break;
        }
        /* fixing: any multipliers give valid bounds with one site forced */
        if (!forced) {
            for (j = 0; j < ns; j++) {
                double lb1, lb0;
                if (fix[j])
                    continue;
                if (!sel[j]) {
                    lb1 = k ? L + rho[j] - inmax : L + rho[j];
                    if (lb1 >= thr && !ub_open[j])
                        fix[j] = 1;
                } else {
                    lb0 = k ? L - rho[j] + outmin : L - rho[j];
                    if (lb0 >= thr && ub_open[j])
                        fix[j] = 2;
                }
            }
        }
        /* subgradient of the relaxed rows: 1 - (times client i is assigned) */
        for (i = 0; i < nc; i++) {
            const double *c = p->cost + i * ns;
            double d = p->demand[i], li = lam[i];
            int cnt = 0;
            for (j = 0; j < ns; j++)
                if (sel[j] && d * c[j] - li < 0)
                    cnt++;
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
    ap__lagr_finish(o, p, out, "lagrangian");
    rc = 0;
done:
    free(lam);
    free(rho);
    free(g);
    free(sorted);
    free(sel);
    free(trial);
    ap__assign_free(&tmp);
    if (rc) {
        free(out->fix);
        out->fix = NULL;
    }
    return rc;
}

/* ------------------------------------------------ capacitated, split demand */

typedef struct {
    double r;   /* reduced cost per unit of demand */
    size_t i;
} item;

static int cmp_item(const void *a, const void *b)
{
    double x = ((const item *)a)->r, y = ((const item *)b)->r;
    return x < y ? -1 : x > y;
}

/* Lagrangian heuristic of the split-demand model: the relaxed site choice
 * (the cover included) with its best transportation plan (gap.c), sites
 * left empty closed when k is free.  Each choice once; at most CFL_HEUR_SHARE
 * of the time, and not after CFL_HEUR_FAILS calls in a row that found no
 * better plan. */
#define CFL_HEUR_SHARE 0.3
#define CFL_HEUR_FAILS 10   /* stop after this many calls without a better plan */
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
                         double Q, double D)
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
            cap += Q, n++;
    }
    while (cap < D - 1e-9) {
        long b = -1;
        for (j = 0; j < p->ns; j++)
            if (!hs->rounded[j] && fix[j] == 0 && (b < 0 || hs->ybar[j] > hs->ybar[b]))
                b = (long)j;
        if (b < 0)
            return 0;
        hs->rounded[b] = 1, cap += Q, n++;
    }
    return n > 0;
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
        memcpy(hs->ub_open, hs->trial, p->ns);
        *hs->ub = z;
        hs->fails = 0;
        hs->thr = ap__lagr_threshold(integral, z);
        ap__lagr_unfix(fix, hs->ub_open, p->ns);
        ap__log(o, AP_LOG_INFO, "lagrangian (capacitated) heuristic: incumbent %.10g", z);
    }
    return 0;
}

int ap__lagrange_cfl(const ap_problem *p, const ap_solve_opts *o, double deadline, double *ubp,
                     unsigned char *ub_open, ap__assign *ub_asg, ap__lagr *out, ap_error *err)
{
    cflheur hs;
    size_t nc = p->nc, ns = p->ns, i, j, it, maxit = 3000, need;
    double Q = p->cap[0], D = 0, *lam = NULL, *v = NULL, *g = NULL, mu = 2.0, ub = *ubp;
    double *xs = NULL;  /* knapsack solution, per site and client */
    unsigned char *sel = NULL, *fix;
    size_t *order = NULL;
    item *it_ = NULL;
    int noimp = 0, rc = -1;
    double t0 = ap__now(), lastlog = t0;

    memset(out, 0, sizeof *out);
    memset(&hs, 0, sizeof hs);
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
    g = malloc(nc * sizeof *g);
    xs = calloc(nc * ns, sizeof *xs);
    sel = malloc(ns);
    order = malloc(ns * sizeof *order);
    it_ = malloc(nc * sizeof *it_);
    if (!fix || !lam || !v || !g || !xs || !sel || !order || !it_ || !hs.trial || !hs.rounded || !hs.ybar) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in Lagrangian bound");
        goto done;
    }
    for (i = 0; i < nc; i++)
        D += p->demand[i];
    need = (size_t)ceil(D / Q - 1e-9);
    hs.most = 2 * need + 2; /* early multipliers open almost every site */
    out->integral = ap__objective_integral(p);
    hs.thr = ap__lagr_threshold(out->integral, ub);
    lagr_start(p, ub_open, fix, lam);
    for (it = 0; it < maxit; it++) {
        double L = 0, norm = 0, vmaxforced = -INFINITY, vminout = INFINITY;
        size_t nsel = 0, m, t;
        int cover_needed = 0;
        if ((it & 7) == 0 && ap__stopped(deadline))
            break;
        if ((it & 7) == 0)
            ap__lagr_progress(o, t0, &lastlog, "lagrangian", out->lb, ub, it);
        for (i = 0; i < nc; i++)
            L += lam[i];
        /* each site: continuous knapsack over clients with negative reduced cost */
        for (j = 0; j < ns; j++) {
            double room = Q;
            size_t n = 0;
            v[j] = p->fcost[j];
            for (i = 0; i < nc; i++)
                xs[j * nc + i] = 0;
            if (fix[j] == 1)
                continue;
            for (i = 0; i < nc; i++) {
                double c = p->cost[i * ns + j];
                if (isfinite(c) && p->demand[i] > 0 && p->demand[i] * c - lam[i] < 0) {
                    it_[n].r = c - lam[i] / p->demand[i];
                    it_[n].i = i;
                    n++;
                }
            }
            qsort(it_, n, sizeof *it_, cmp_item);
            for (t = 0; t < n && room > 0; t++) {
                double d = p->demand[it_[t].i], x = d <= room ? 1 : room / d;
                xs[j * nc + it_[t].i] = x;
                v[j] += x * d * it_[t].r;
                room -= x * d;
            }
        }
        /* sites: fixed open, every negative one, then the cheapest until the
         * capacity covers the demand (all capacities are equal) */
        m = 0;
        for (j = 0; j < ns; j++) {
            sel[j] = fix[j] == 2 || (fix[j] == 0 && v[j] < 0);
            if (sel[j])
                nsel++;
            else if (fix[j] == 0)
                order[m++] = j;
        }
        if (nsel < need) {
            /* partial selection sort of the cheapest remaining sites */
            size_t a, b;
            cover_needed = 1;
            for (a = 0; a < m && nsel < need; a++) {
                size_t best = a;
                for (b = a + 1; b < m; b++)
                    if (v[order[b]] < v[order[best]])
                        best = b;
                t = order[a], order[a] = order[best], order[best] = t;
                sel[order[a]] = 1;
                nsel++;
                if (v[order[a]] > vmaxforced)
                    vmaxforced = v[order[a]];
            }
            if (nsel < need)
                break; /* cannot cover: the incumbent says otherwise */
        }
        for (j = 0; j < ns; j++) {
            if (sel[j])
                L += v[j];
            else if (fix[j] == 0 && v[j] < vminout)
                vminout = v[j];
        }
        ap__lagr_record(out, L, &mu, &noimp);
        out->iters = it + 1;
        /* the heuristic, once the multipliers are good (near the bound and
         * within 3% of the incumbent) */
        if (round_average(p, &hs, sel, fix, Q, D) && L >= 0.97 * ub &&
            cfl_heuristic(p, o, deadline, &hs, hs.rounded, fix, out->integral, err))
            goto done;
        if (out->lb >= hs.thr) {
            out->proven = 1;
            break;
        }
        /* fixing against the incumbent */
        for (j = 0; j < ns; j++) {
            double lb1, lb0;
            if (fix[j])
                continue;
            if (!sel[j]) {
                /* open j too: pay v_j, and perhaps drop the dearest site that
                 * was only there to cover the demand */
                lb1 = L + v[j] - (cover_needed && vmaxforced > 0 ? vmaxforced : 0);
                if (lb1 >= hs.thr && !ub_open[j])
                    fix[j] = 1;
            } else {
                /* close j: lose its saving, and replace its capacity if it
                 * was needed for the cover */
                lb0 = L - v[j] + ((cover_needed || nsel == need) && nsel <= need ? vminout : 0);
                if (lb0 >= hs.thr && ub_open[j])
                    fix[j] = 2;
            }
        }
        for (i = 0; i < nc; i++) {
            double s = 0;
            for (j = 0; j < ns; j++)
                if (sel[j])
                    s += xs[j * nc + i];
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
    free(g);
    free(xs);
    free(sel);
    free(order);
    free(it_);
    if (rc) {
        free(out->fix);
        out->fix = NULL;
    }
    return rc;
}
