/* greedy.c - greedy construction and swap local search: the fallback solver
 * and the warm start of the ILP. */
#include "solver.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9

/* 1 when site j counts as a change (it is not an existing site). */
#define IS_NEW(p, j) (!((p)->existing && (p)->existing[j]))
#define PINNED(p, j) ((p)->pin && (p)->pin[j])

/* Whether a move that opens `in` (or none: -1) and closes `out` (or none)
 * keeps the number of changes within max_changes. */
static int move_ok(const ap_problem *p, int changes, long in, long out)
{
    if (out >= 0 && PINNED(p, (size_t)out))
        return 0;
    if (p->max_changes < 0)
        return 1;
    if (in >= 0 && IS_NEW(p, (size_t)in))
        changes++;
    if (out >= 0 && IS_NEW(p, (size_t)out))
        changes--;
    return changes <= p->max_changes;
}

/* Whether the pinned sites already are all k sites: nothing to search. */
static int all_pinned(const ap_problem *p)
{
    size_t j, n = 0;
    for (j = 0; p->pin && j < p->ns; j++)
        n += p->pin[j] != 0;
    return p->k > 0 && n >= (size_t)p->k;
}

/* ------------------------------------------------------- uncapacitated case */

/* State of an open set: nearest and second-nearest open site per client. */
typedef struct {
    const ap_problem *p;
    unsigned char *open;
    size_t nopen;
    long *n1;       /* nearest open site, -1 if none */
    double *d1, *d2;
} ustate;

static void u_rescan(ustate *s, size_t i);

static void u_recompute(ustate *s)
{
    size_t i;
    for (i = 0; i < s->p->nc; i++)
        u_rescan(s, i);
}

/* Client i's nearest and second-nearest open sites, from its whole row. */
static void u_rescan(ustate *s, size_t i)
{
    const ap_problem *p = s->p;
    const double *row = p->cost + i * p->ns;
    double b1 = INFINITY, b2 = INFINITY;
    long n1 = -1;
    size_t j;
    for (j = 0; j < p->ns; j++) {
        if (!s->open[j])
            continue;
        if (row[j] < b1) {
            b2 = b1;
            b1 = row[j];
            n1 = (long)j;
        } else if (row[j] < b2) {
            b2 = row[j];
        }
    }
    s->n1[i] = n1;
    s->d1[i] = b1;
    s->d2[i] = b2;
}

/* Site j has just been opened (s->open[j] set): O(clients). */
static void u_open(ustate *s, size_t j)
{
    const ap_problem *p = s->p;
    size_t i;
    for (i = 0; i < p->nc; i++) {
        double c = p->cost[i * p->ns + j];
        if (c < s->d1[i]) {
            s->d2[i] = s->d1[i];
            s->d1[i] = c;
            s->n1[i] = (long)j;
        } else if (c < s->d2[i]) {
            s->d2[i] = c;
        }
    }
}

/* Site j has just been closed (s->open[j] cleared): only the clients whose
 * nearest or second-nearest it was are rescanned. */
static void u_close(ustate *s, size_t j)
{
    const ap_problem *p = s->p;
    size_t i;
    for (i = 0; i < p->nc; i++) {
        double c = p->cost[i * p->ns + j];
        if (s->n1[i] == (long)j || (isfinite(c) && c == s->d2[i]))
            u_rescan(s, i);
    }
}

/* Objective of the current set (INFINITY when a client is uncovered). */
static double u_value(const ustate *s)
{
    const ap_problem *p = s->p;
    double z = 0;
    size_t i, j;
    for (j = 0; j < p->ns; j++)
        if (s->open[j])
            z += p->fcost[j];
    for (i = 0; i < p->nc; i++) {
        if (s->n1[i] < 0)
            return INFINITY;
        z += p->demand[i] * s->d1[i];
    }
    return z;
}

/* Greedy add: picks, lexicographically, the site covering most uncovered
 * clients, then the largest saving net of its opening cost.  d and cov are
 * ns scratch values; the matrix is read row by row (by client), in the
 * order it is stored. */
static long u_best_add(const ustate *s, double *delta_out, double *d, size_t *cov)
{
    const ap_problem *p = s->p;
    long best = -1;
    size_t bestcov = 0, i, j, ns = p->ns;
    double bestd = INFINITY;
    int changes = ap__changes(p, s->open);
    for (j = 0; j < ns; j++)
        d[j] = p->fcost[j], cov[j] = 0;
    for (i = 0; i < p->nc; i++) {
        const double *row = p->cost + i * ns;
        double w = p->demand[i], d1 = s->d1[i];
        if (s->n1[i] < 0) {
            for (j = 0; j < ns; j++)
                if (isfinite(row[j]))
                    cov[j]++, d[j] += w * row[j];
        } else {
            for (j = 0; j < ns; j++)
                if (row[j] < d1)
                    d[j] -= w * (d1 - row[j]);
        }
    }
    for (j = 0; j < ns; j++) {
        if (s->open[j] || !move_ok(p, changes, (long)j, -1))
            continue;
        if (best < 0 || cov[j] > bestcov || (cov[j] == bestcov && d[j] < bestd - EPS)) {
            best = (long)j;
            bestcov = cov[j];
            bestd = d[j];
        }
    }
    if (delta_out)
        *delta_out = bestcov ? -INFINITY : bestd;
    return best;
}

/* One pass of the fast swap neighbourhood (Whitaker): for each closed site
 * `in`, the saving of inserting it is shared by all removals; the loss of
 * removing `out` is accumulated from the clients whose nearest site is `out`.
 * Also tries pure add / drop moves when k is free.  Applies the best move
 * found for each `in` if it improves.  Returns the number of moves made. */
static size_t u_swap_pass(ustate *s, double *loss, double deadline)
{
    const ap_problem *p = s->p;
    size_t moves = 0, i, j, in;
    int changes = ap__changes(p, s->open);
    for (in = 0; in < p->ns; in++) {
        double gain = 0, bestd = INFINITY;
        long bestout = -2; /* -2 none, -1 pure add */
        if (s->open[in])
            continue;
        if ((in & 63) == 0 && ap__stopped(deadline))
            break;
        for (j = 0; j < p->ns; j++)
            loss[j] = 0;
        for (i = 0; i < p->nc; i++) {
            double c = p->cost[i * p->ns + in];
            if (c < s->d1[i]) {
                gain += p->demand[i] * (s->d1[i] - c);
            } else {
                double nc = c < s->d2[i] ? c : s->d2[i];
                loss[s->n1[i]] += p->demand[i] * (nc - s->d1[i]);
            }
        }
        if (p->k == 0 && move_ok(p, changes, (long)in, -1)) {
            double d = p->fcost[in] - gain;
            if (d < bestd) {
                bestd = d;
                bestout = -1;
            }
        }
        for (j = 0; j < p->ns; j++) {
            double d;
            if (!s->open[j] || !move_ok(p, changes, (long)in, (long)j))
                continue;
            d = loss[j] - gain + p->fcost[in] - p->fcost[j];
            if (d < bestd) {
                bestd = d;
                bestout = (long)j;
            }
        }
        if (bestout != -2 && bestd < -EPS * (1 + fabs(u_value(s)))) {
            s->open[in] = 1;
            u_open(s, in);
            if (bestout >= 0) {
                s->open[bestout] = 0;
                u_close(s, (size_t)bestout);
            } else {
                s->nopen++;
            }
            changes = ap__changes(p, s->open);
            moves++;
        }
    }
    if (p->k == 0 && s->nopen > 1) {
        /* drop moves: loss of closing j is sum over its clients of d2 - d1 */
        for (j = 0; j < p->ns; j++)
            loss[j] = 0;
        for (i = 0; i < p->nc; i++)
            loss[s->n1[i]] += p->demand[i] * (s->d2[i] - s->d1[i]);
        for (j = 0; j < p->ns; j++) {
            if (s->open[j] && s->nopen > 1 && !PINNED(p, j) && loss[j] - p->fcost[j] < -EPS) {
                s->open[j] = 0;
                s->nopen--;
                u_close(s, j);
                moves++;
                for (i = 0; i < p->ns; i++)
                    loss[i] = 0;
                for (i = 0; i < p->nc; i++)
                    loss[s->n1[i]] += p->demand[i] * (s->d2[i] - s->d1[i]);
            }
        }
    }
    return moves;
}

/* When the search after the first descent stops: a quarter of a second per
 * 10^5 client-site pairs, at most 0.7 s (plus per_million s per 10^6 pairs
 * above 10^6, at most `most` s), at least 0.02 s, within the deadline. */
static double search_stop(const ap_problem *p, double deadline, double per_million, double most)
{
    double pairs = (double)p->nc * (double)p->ns, budget = 0.25 * pairs / 1e5;
    double cap = fmin(most, 0.7 + per_million * fmax(0, pairs - 1e6) / 1e6);
    budget = fmax(0.02, fmin(budget, cap));
    return fmin(ap__now() + budget, deadline);
}

/* Iterated local search: from the local optimum in s, swap a few random
 * open sites for closed ones (or toggle sites when k is free), descend
 * again, and keep the result when it is better, until search_stop.
 * Returns 0, or -1 when out of memory. */
static int ils(ustate *s, double *loss, double deadline)
{
    const ap_problem *p = s->p;
    size_t ns = p->ns, round, r, tries;
    unsigned char *best = malloc(ns);
    double bestv = u_value(s), stop;
    uint64_t seed = 0x9E3779B97F4A7C15ULL ^ (uint64_t)(p->nc * 31 + ns);
    if (!best)
        return -1;
    memcpy(best, s->open, ns);
    stop = search_stop(p, deadline, 0.3, 3);
    for (round = 0; round < 1000 && !ap__stopped(stop) && isfinite(bestv); round++) {
        size_t kick = 1 + round % 3;
        for (r = 0; r < kick; r++) {
            for (tries = 0; tries < 50; tries++) {
                size_t in = (size_t)(ap__rnd(&seed) % ns), out = (size_t)(ap__rnd(&seed) % ns);
                int changes = ap__changes(p, s->open);
                if (p->k) {
                    if (s->open[in] || !s->open[out] || !move_ok(p, changes, (long)in, (long)out))
                        continue;
                    s->open[in] = 1;
                    s->open[out] = 0;
                } else if (!s->open[in] && move_ok(p, changes, (long)in, -1)) {
                    s->open[in] = 1;
                    s->nopen++;
                } else if (s->open[in] && s->nopen > 1 && !PINNED(p, in)) {
                    s->open[in] = 0;
                    s->nopen--;
                } else {
                    continue;
                }
                break;
            }
        }
        u_recompute(s);
        if (isfinite(u_value(s))) /* a kick may leave a client without a site */
            while (!ap__stopped(deadline) && u_swap_pass(s, loss, deadline) > 0)
                ;
        if (u_value(s) < bestv - EPS * (1 + fabs(bestv))) {
            bestv = u_value(s);
            memcpy(best, s->open, ns);
        } else {
            memcpy(s->open, best, ns);
            s->nopen = 0;
            for (r = 0; r < ns; r++)
                s->nopen += best[r];
        }
    }
    memcpy(s->open, best, ns);
    s->nopen = 0;
    for (r = 0; r < ns; r++)
        s->nopen += best[r];
    u_recompute(s);
    free(best);
    return 0;
}

/* After the first descent: path relinking over a pool of local optima
 * (pool.c) when it applies, else iterated local search.  0, or -1 when out
 * of memory. */
static int search(ustate *s, const ap_solve_opts *o, double *loss, double deadline)
{
    const ap_problem *p = s->p;
    size_t j;
    int r;
    if (!ap__pool_applies(p))
        return ils(s, loss, deadline);
    if ((r = ap__pool(p, o, search_stop(p, deadline, 0.6, 6), s->open)) < 0)
        return -1;
    for (j = 0, s->nopen = 0; j < p->ns; j++)
        s->nopen += s->open[j];
    u_recompute(s);
    return 0;
}

/* Greedy construction (unless `from_open`: then start from `open`) and swap
 * local search. */
static int greedy_uncap(const ap_problem *p, const ap_solve_opts *o, double deadline,
                        int from_open, unsigned char *open, ap__assign *a, ap_error *err)
{
    ustate s;
    double *loss = NULL, *addd = NULL;
    size_t i, *addc = NULL;
    int rc = -1;

    memset(&s, 0, sizeof s);
    s.p = p;
    s.open = open;
    if (from_open) {
        for (i = 0; i < p->ns; i++)
            s.nopen += open[i] ? 1 : 0;
    } else {
        for (i = 0; i < p->ns; i++) {
            open[i] = PINNED(p, i) ? 1 : 0;
            s.nopen += open[i];
        }
    }
    s.n1 = malloc(p->nc * sizeof *s.n1);
    s.d1 = malloc(p->nc * sizeof *s.d1);
    s.d2 = malloc(p->nc * sizeof *s.d2);
    loss = malloc(p->ns * sizeof *loss);
    addd = malloc(p->ns * sizeof *addd);
    addc = malloc(p->ns * sizeof *addc);
    if (!s.n1 || !s.d1 || !s.d2 || !loss || !addd || !addc) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in greedy solver");
        goto done;
    }
    u_recompute(&s);
    for (; !from_open;) {
        double d;
        long j;
        if (p->k && s.nopen >= (size_t)p->k)
            break;
        if (s.nopen >= p->ns)
            break;
        j = u_best_add(&s, &d, addd, addc);
        if (j < 0)
            break;
        if (!p->k && d >= -EPS && s.nopen > 0) {
            int covered = 1;
            for (i = 0; i < p->nc; i++)
                if (s.n1[i] < 0)
                    covered = 0;
            if (covered)
                break;
        }
        open[j] = 1;
        s.nopen++;
        u_open(&s, (size_t)j);
    }
    for (i = 0; i < p->nc; i++)
        if (s.n1[i] < 0) {
            rc = 1;
            goto done;
        }
    if (!from_open)
        ap__log(o, AP_LOG_INFO, "greedy construction: objective %.10g with %zu sites", u_value(&s), s.nopen);
    while (!ap__stopped(deadline) && u_swap_pass(&s, loss, deadline) > 0)
        ;
    if (!from_open && !all_pinned(p) && search(&s, o, loss, deadline) < 0) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in greedy solver");
        goto done;
    }
    ap__assign_clear(a);
    for (i = 0; i < p->nc; i++)
        if (ap__assign_push(a, i, (size_t)s.n1[i], 1.0)) {
            ap__err(err, AP_ENOMEM, NULL, "out of memory");
            goto done;
        }
    rc = 0;
done:
    free(s.n1);
    free(s.d1);
    free(s.d2);
    free(loss);
    free(addd);
    free(addc);
    return rc;
}

/* --------------------------------------------------------- capacitated case */

#define POLISH_CELLS 5000      /* clients x sites up to which every evaluation is polished */
#define POLISH_SS_CELLS 80000  /* the same with single source */

typedef struct {
    const ap_problem *p;
    size_t *order;     /* client order */
    double *resid;     /* residual capacity per site */
    double *regret;
    double *flow;      /* nc*ns: demand of client i served by site j (open j only) */
    size_t *openlist;  /* the open sites of the evaluation, ascending */
    size_t nopen;      /* how many */
    size_t *site;      /* nc: single source, each client's site in the polish */
    size_t *head;      /* ns: the first client of a site's list (nc: none) */
    size_t *nxt, *prv; /* nc: the site's clients in ascending order (nc: end) */
    double *near;      /* nc: a client's cheapest cost to the open sites but one */
    int polish;        /* improve the assignment by moves and exchanges */
    int lpround;       /* single source: also from the split-demand optimum */
    ap__assign lpa;    /* its assignment */
    size_t *keep;      /* nc: the regret assignment's sites meanwhile */
    int oom;           /* the assignment could not be stored */
    uint64_t *bits;    /* nc: sort keys */
    size_t *tmp;       /* nc: sort scratch */
} cwork;

/* Improves an assignment (flow, residual capacities) by moving demand to a
 * cheaper open site with room, and by exchanging equal amounts between two
 * clients when that is cheaper (capacity neutral).  Single-source moves and
 * exchanges whole clients.  Returns the change of cost (<= 0). */
static double c_polish(cwork *w, const unsigned char *open)
{
    const ap_problem *p = w->p;
    size_t nc = p->nc, ns = p->ns, i, i2, s, t, pass;
    double delta = 0;
    int single = p->single_source, improved = 1;
    for (pass = 0; pass < 50 && improved; pass++) {
        improved = 0;
        for (i = 0; i < nc; i++)
            for (s = 0; s < ns; s++) {
                double cis = p->cost[i * ns + s];
                if (!open[s] || w->flow[i * ns + s] <= 1e-12)
                    continue;
                for (t = 0; t < ns && w->flow[i * ns + s] > 1e-12; t++) {
                    double cit = p->cost[i * ns + t], m;
                    if (t == s || !open[t] || !(cit < cis - 1e-12))
                        continue;
                    m = w->flow[i * ns + s];
                    if (w->resid[t] >= m - 1e-9 || (!single && w->resid[t] > 1e-12)) {
                        if (m > w->resid[t])
                            m = w->resid[t];
                        w->flow[i * ns + s] -= m;
                        w->flow[i * ns + t] += m;
                        w->resid[s] += m;
                        w->resid[t] -= m;
                        delta += m * (cit - cis);
                        improved = 1;
                        continue;
                    }
                    /* exchange with a client i2 served by t that may use s */
                    for (i2 = 0; i2 < nc && w->flow[i * ns + s] > 1e-12; i2++) {
                        double f2 = w->flow[i2 * ns + t], c2s = p->cost[i2 * ns + s];
                        double gain, mm;
                        if (i2 == i || f2 <= 1e-12 || !isfinite(c2s))
                            continue;
                        gain = (cit - cis) + (c2s - p->cost[i2 * ns + t]);
                        if (gain >= -1e-12)
                            continue;
                        if (single) {
                            /* whole clients: capacities must still hold */
                            double a = w->flow[i * ns + s];
                            if (w->resid[t] + f2 < a - 1e-9 || w->resid[s] + a < f2 - 1e-9)
                                continue;
                            w->flow[i * ns + s] = 0, w->flow[i * ns + t] = a;
                            w->flow[i2 * ns + t] = 0, w->flow[i2 * ns + s] = f2;
                            w->resid[t] += f2 - a;
                            w->resid[s] += a - f2;
                            delta += a * (cit - cis) + f2 * (c2s - p->cost[i2 * ns + t]);
                        } else {
                            mm = w->flow[i * ns + s] < f2 ? w->flow[i * ns + s] : f2;
                            w->flow[i * ns + s] -= mm, w->flow[i * ns + t] += mm;
                            w->flow[i2 * ns + t] -= mm, w->flow[i2 * ns + s] += mm;
                            delta += mm * gain;
                        }
                        improved = 1;
                        break;
                    }
                }
            }
    }
    return delta;
}

/* The client lists of the sites (single source): unlink i from its site's
 * list; link it into site t's, keeping the list ascending. */
static void ss_unlink(cwork *w, size_t i)
{
    size_t nc = w->p->nc;
    if (w->prv[i] < nc)
        w->nxt[w->prv[i]] = w->nxt[i];
    else
        w->head[w->site[i]] = w->nxt[i];
    if (w->nxt[i] < nc)
        w->prv[w->nxt[i]] = w->prv[i];
}

static void ss_link(cwork *w, size_t i, size_t t)
{
    size_t nc = w->p->nc, a = nc, b = w->head[t];
    while (b < nc && b < i)
        a = b, b = w->nxt[b];
    w->prv[i] = a, w->nxt[i] = b;
    if (a < nc)
        w->nxt[a] = i;
    else
        w->head[t] = i;
    if (b < nc)
        w->prv[b] = i;
    w->site[i] = t;
}

/* Tries to move client i, at site s, to a cheaper open site t (in
 * ascending order): outright when t has room, else by exchanging it with a
 * client i2 of t for whom s is cheaper (per unit), when both capacities
 * hold.  Returns the change of cost (<= 0) and i's site in *to (s when
 * nothing changed). */
static double c_move_ss(cwork *w, size_t i, size_t s, size_t *to)
{
    const ap_problem *p = w->p;
    size_t nc = p->nc, ns = p->ns, q, i2;
    double a = p->demand[i], cis = p->cost[i * ns + s];
    *to = s;
    for (q = 0; q < w->nopen; q++) {
        size_t t = w->openlist[q];
        double cit = p->cost[i * ns + t];
        if (t == s || !(cit < cis - 1e-12))
            continue;
        if (w->resid[t] >= a - 1e-9) {
            w->resid[s] += a, w->resid[t] -= a;
            ss_unlink(w, i);
            ss_link(w, i, t);
            *to = t;
            return a * (cit - cis);
        }
        for (i2 = w->head[t]; i2 < nc; i2 = w->nxt[i2]) {
            double f2 = p->demand[i2], c2s = p->cost[i2 * ns + s], c2t = p->cost[i2 * ns + t];
            if (f2 <= 1e-12 || !isfinite(c2s) || (cit - cis) + (c2s - c2t) >= -1e-12)
                continue;
            if (w->resid[t] + f2 < a - 1e-9 || w->resid[s] + a < f2 - 1e-9)
                continue;
            w->resid[t] += f2 - a, w->resid[s] += a - f2;
            ss_unlink(w, i);
            ss_unlink(w, i2);
            ss_link(w, i, t);
            ss_link(w, i2, s);
            *to = t;
            return a * (cit - cis) + f2 * (c2s - c2t);
        }
    }
    return 0;
}

/* c_polish for single source, on each client's one site rather than the
 * flow matrix (the same moves and exchanges, in the same order, at
 * O(open sites) instead of O(sites) per client). */
static double c_polish_ss(cwork *w)
{
    const ap_problem *p = w->p;
    size_t nc = p->nc, ns = p->ns, i, q, pass, s, to;
    double delta = 0, d;
    int improved = 1;
    for (q = 0; q < w->nopen; q++)
        w->head[w->openlist[q]] = nc;
    for (i = nc; i-- > 0;) {
        w->site[i] = ns;
        for (q = 0; q < w->nopen; q++)
            if (w->flow[i * ns + w->openlist[q]] > 1e-12)
                w->site[i] = w->openlist[q];
        if (w->site[i] < ns) {
            size_t j = w->site[i];
            w->prv[i] = nc, w->nxt[i] = w->head[j];
            if (w->head[j] < nc)
                w->prv[w->head[j]] = i;
            w->head[j] = i;
        }
    }
    for (pass = 0; pass < 50 && improved; pass++) {
        improved = 0;
        for (i = 0; i < nc; i++) {
            s = w->site[i];
            if (s == ns)
                continue;
            /* as the scan over sites in index order would: a client that
             * moved to a later site is tried again from there */
            while ((d = c_move_ss(w, i, s, &to)) != 0 || to != s) {
                delta += d, improved = 1;
                if (to < s)
                    break;
                s = to;
            }
        }
    }
    for (i = 0; i < nc; i++)
        for (q = 0; q < w->nopen; q++) {
            size_t j = w->openlist[q];
            w->flow[i * ns + j] = j == w->site[i] ? p->demand[i] : 0;
        }
    return delta;
}

/* Single source: the split-demand optimum (transport.c) with its split
 * clients (at most one fewer than the open sites) dealt whole, largest
 * first, to their cheapest open site with room.  Fills w->flow and
 * w->resid (open sites listed); 0, or 1 when a split client finds no room
 * or the transportation problem has no solution. */
static int c_assign_lp(cwork *w, const unsigned char *open)
{
    const ap_problem *p = w->p;
    size_t h, i, q, ns = p->ns, nsplit = 0;
    double zlp;
    ap_error e;
    int r;
    ap_error_clear(&e);
    r = ap__transport(p, open, INFINITY, &w->lpa, &zlp, &e);
    if (r != 0)
        return 1;
    for (i = 0; i < p->nc; i++)
        w->site[i] = ns; /* ns: split */
    for (h = 0; h < w->lpa.na; h++)
        if (w->lpa.share[h] >= 1 - 1e-9)
            w->site[w->lpa.client[h]] = w->lpa.site[h];
    for (i = 0; i < p->nc; i++) {
        if (w->site[i] == ns) {
            w->tmp[nsplit++] = i;
            continue;
        }
        w->flow[i * ns + w->site[i]] = p->demand[i];
        w->resid[w->site[i]] -= p->demand[i];
    }
    for (q = 0; q < nsplit; q++) { /* largest first (insertion: few) */
        size_t k = q;
        while (k > 0 && p->demand[w->tmp[k]] > p->demand[w->tmp[k - 1]]) {
            size_t t = w->tmp[k];
            w->tmp[k] = w->tmp[k - 1], w->tmp[k - 1] = t;
            k--;
        }
    }
    for (q = 0; q < nsplit; q++) {
        size_t s = ns, k;
        i = w->tmp[q];
        for (k = 0; k < w->nopen; k++) {
            size_t j = w->openlist[k];
            if (!isfinite(p->cost[i * ns + j]) || w->resid[j] + 1e-9 < p->demand[i])
                continue;
            if (s == ns || p->cost[i * ns + j] < p->cost[i * ns + s])
                s = j;
        }
        if (s == ns)
            return 1;
        w->flow[i * ns + s] = p->demand[i];
        w->resid[s] -= p->demand[i];
        w->site[i] = s;
    }
    return 0;
}

/* Assigns clients to the open sites: clients in decreasing regret order take
 * their cheapest site with residual capacity (whole demand if single-source,
 * split otherwise).  Returns the cost (opening + assignment) and writes the
 * unserved demand to *unserved.  Fills `a` when not NULL. */
static double c_assign_one(cwork *w, const unsigned char *open, double *unserved, int lp)
{
    const ap_problem *p = w->p;
    size_t i, j, t, no = 0, q;
    double z = 0, miss = 0;
    /* only the open sites matter: O(clients x open sites) per evaluation */
    for (j = 0; j < p->ns; j++) {
        w->resid[j] = p->cap[j];
        if (open[j]) {
            z += p->fcost[j];
            w->openlist[no++] = j;
        }
    }
    w->nopen = no;
    for (i = 0; i < p->nc; i++)
        for (q = 0; q < no; q++)
            w->flow[i * p->ns + w->openlist[q]] = 0;
    if (lp) {
        if (c_assign_lp(w, open) == 0) {
            for (i = 0; i < p->nc; i++)
                for (q = 0; q < no; q++)
                    z += w->flow[i * p->ns + w->openlist[q]] * p->cost[i * p->ns + w->openlist[q]];
            goto polish;
        }
        for (j = 0; j < p->ns; j++)
            w->resid[j] = p->cap[j];
        for (i = 0; i < p->nc; i++)
            for (q = 0; q < no; q++)
                w->flow[i * p->ns + w->openlist[q]] = 0;
    }
    for (i = 0; i < p->nc; i++) {
        const double *row = p->cost + i * p->ns;
        double b1 = INFINITY, b2 = INFINITY;
        for (q = 0; q < no; q++) {
            j = w->openlist[q];
            if (row[j] < b1)
                b2 = b1, b1 = row[j];
            else if (row[j] < b2)
                b2 = row[j];
        }
        w->regret[i] = (isfinite(b2) ? b2 - b1 : 1e300) * p->demand[i];
        if (p->single_source)
            w->regret[i] += p->demand[i] * 1e-6; /* tie-break: big clients first */
    }
    ap__radix_order(w->regret, p->nc, 1, w->order, w->bits, w->tmp);
    for (t = 0; t < p->nc; t++) {
        double left;
        i = w->order[t];
        left = p->demand[i];
        /* the cheapest open site with room, again while demand is left
         * (the same sites, in the same order, as walking the open sites
         * sorted by cost, at O(open sites) per site taken) */
        while (left > 0) {
            const double *row = p->cost + i * p->ns;
            size_t s = p->ns;
            double take;
            for (q = 0; q < no; q++) {
                j = w->openlist[q];
                if (!isfinite(row[j]) || w->resid[j] <= 0 ||
                    (p->single_source && w->resid[j] + 1e-9 < left))
                    continue;
                if (s == p->ns || row[j] < row[s])
                    s = j;
            }
            if (s == p->ns)
                break;
            take = p->single_source ? left : left < w->resid[s] ? left : w->resid[s];
            w->resid[s] -= take;
            left -= take;
            z += take * row[s];
            w->flow[i * p->ns + s] += take;
        }
        if (left > 1e-9)
            miss += left;
    }
polish:
    if (w->polish && miss <= 1e-9)
        z += p->single_source ? c_polish_ss(w) : c_polish(w, open);
    *unserved = miss;
    return z;
}

static int better(double u1, double z1, double u2, double z2);

/* Assigns clients to the open sites (c_assign_one); with single source
 * (w->lpround) also from the split-demand optimum, the better kept.  Only
 * the given sites' first assignment and the final one of a search take
 * both: in the descents, where
 * each evaluation then costs about twice as much, the iterated local
 * search did as many fewer rounds and its plans were no better on the 36
 * random capacitated p-medians of bench/pmedcap.sh (seeds 1-36), though
 * the two starts assign a given set of sites better (tests/test_solver.c:
 * 100 against 85 of 199 tight problems at the best assignment; the
 * optimal sites of one n = 100, p = 10 instance 1,065 against 1,127).
 * Returns the cost (opening + assignment) and writes the unserved demand
 * to *unserved.  Fills `a` when not NULL. */
static double c_assign(cwork *w, const unsigned char *open, double *unserved, ap__assign *a)
{
    const ap_problem *p = w->p;
    size_t i, j, q, ns = p->ns;
    double z = c_assign_one(w, open, unserved, 0);
    if (p->single_source && w->lpround) {
        double zl, ul, zr = z, ur = *unserved;
        for (i = 0; i < p->nc; i++) {
            w->keep[i] = ns;
            for (q = 0; q < w->nopen; q++)
                if (w->flow[i * ns + w->openlist[q]] > 1e-12)
                    w->keep[i] = w->openlist[q];
        }
        zl = c_assign_one(w, open, &ul, 1);
        if (!better(ul, zl, ur, zr)) {
            /* back to the regret assignment */
            for (q = 0; q < w->nopen; q++)
                w->resid[w->openlist[q]] = p->cap[w->openlist[q]];
            for (i = 0; i < p->nc; i++)
                for (q = 0; q < w->nopen; q++) {
                    j = w->openlist[q];
                    w->flow[i * ns + j] = j == w->keep[i] ? p->demand[i] : 0;
                    w->resid[j] -= w->flow[i * ns + j];
                }
            z = zr, *unserved = ur;
        } else {
            z = zl, *unserved = ul;
        }
    }
    if (a) {
        ap__assign_clear(a);
        for (i = 0; i < p->nc; i++)
            for (q = 0; q < w->nopen; q++) {
                j = w->openlist[q];
                if (w->flow[i * ns + j] > 1e-12 && ap__assign_push(a, i, j, w->flow[i * ns + j] / p->demand[i]))
                    w->oom = 1;
            }
    }
    return z;
}

static int better(double u1, double z1, double u2, double z2)
{
    if (u1 < u2 - 1e-9)
        return 1;
    if (u1 > u2 + 1e-9)
        return 0;
    return z1 < z2 - 1e-9 * (1 + fabs(z2));
}

/* A lower bound on the cost of the open sites with `out` swapped for
 * `in`: every client at its cheapest site, capacities ignored (w->near
 * holds the cheapest over the open sites without `out`; fixed the opening
 * costs of those sites). */
static double c_swap_bound(const cwork *w, double fixed, size_t in)
{
    const ap_problem *p = w->p;
    size_t i, ns = p->ns;
    double z = fixed + p->fcost[in];
    for (i = 0; i < p->nc; i++) {
        double c = p->cost[i * ns + in];
        z += p->demand[i] * (c < w->near[i] ? c : w->near[i]);
    }
    return z;
}

/* First-improvement swap descent (plus add/drop when k is free) from
 * `open`, whose evaluation is (*bu unserved, *bz cost); it ends after a
 * whole round over the open sites without an improvement.  With split
 * demand the scan goes on after an improvement from the next site
 * (cyclically): about twice as fast on OR-Library's capb/capc, plans
 * equal or better.  With single source it starts again from the first
 * site: the cyclic order reached worse local optima there (random
 * capacitated p-medians of bench/pmedcap.sh: up to 1.8 points more above
 * the optimum after the Lagrangian heuristic). */
/* Tries the swaps of `out` for each closed site, first improvement (then
 * the drop of `out` when k is free).  A swap whose uncapacitated bound
 * cannot beat the incumbent is not evaluated: the same moves as evaluating
 * it, at O(clients) instead of an assignment. */
static int c_try_out(cwork *w, unsigned char *open, size_t *nopen, double *bu, double *bz, size_t out)
{
    const ap_problem *p = w->p;
    size_t in, i, j;
    double u, z;
    double fixed = 0;
    int changes = ap__changes(p, open), bounded = *bu <= 1e-9 && isfinite(*bz);
    for (j = 0; bounded && j < p->ns; j++)
        if (open[j] && j != out)
            fixed += p->fcost[j];
    if (bounded)
        for (i = 0; i < p->nc; i++) {
            double b = INFINITY;
            for (j = 0; j < p->ns; j++)
                if (open[j] && j != out && p->cost[i * p->ns + j] < b)
                    b = p->cost[i * p->ns + j];
            w->near[i] = b;
        }
    for (in = 0; in < p->ns; in++) {
        if (open[in] || !move_ok(p, changes, (long)in, (long)out))
            continue;
        if (bounded && c_swap_bound(w, fixed, in) * (1 - 1e-12) >= *bz - 1e-9 * (1 + fabs(*bz)))
            continue;
        open[out] = 0;
        open[in] = 1;
        z = c_assign(w, open, &u, NULL);
        if (better(u, z, *bu, *bz)) {
            *bu = u, *bz = z;
            return 1;
        }
        open[in] = 0;
        open[out] = 1;
    }
    if (!p->k && *nopen > 1) {
        open[out] = 0;
        z = c_assign(w, open, &u, NULL);
        if (better(u, z, *bu, *bz)) {
            *bu = u, *bz = z, (*nopen)--;
            return 1;
        }
        open[out] = 1;
    }
    return 0;
}

static void c_descend(cwork *w, unsigned char *open, size_t *nopen, double *bu, double *bz,
                      double deadline)
{
    const ap_problem *p = w->p;
    size_t in, out = 0, since;
    double u, z;
    int improved;
    do {
        /* swaps and drops until a whole round finds none */
        for (since = 0; since < p->ns && !ap__stopped(deadline);) {
            if (open[out] && !PINNED(p, out) && c_try_out(w, open, nopen, bu, bz, out)) {
                since = 0;
                out = p->single_source ? 0 : (out + 1) % p->ns;
                continue;
            }
            since++;
            out = (out + 1) % p->ns;
        }
        improved = 0;
        if (!p->k) {
            for (in = 0; in < p->ns && !improved; in++) {
                if (open[in] || !move_ok(p, ap__changes(p, open), (long)in, -1))
                    continue;
                open[in] = 1;
                z = c_assign(w, open, &u, NULL);
                if (better(u, z, *bu, *bz))
                    *bu = u, *bz = z, improved = 1, (*nopen)++;
                else
                    open[in] = 0;
            }
        }
    } while (improved && !ap__stopped(deadline));
}

static void cwork_free(cwork *w)
{
    free(w->order);
    free(w->resid);
    free(w->regret);
    free(w->flow);
    free(w->openlist);
    free(w->site);
    free(w->head);
    free(w->nxt);
    free(w->prv);
    free(w->near);
    free(w->bits);
    free(w->tmp);
    ap__assign_free(&w->lpa);
    free(w->keep);
}

/* 1 when every scratch array could be allocated. */
static int cwork_init(cwork *w, const ap_problem *p)
{
    memset(w, 0, sizeof *w);
    w->p = p;
    w->order = malloc(p->nc * sizeof *w->order);
    w->resid = malloc(p->ns * sizeof *w->resid);
    w->regret = malloc(p->nc * sizeof *w->regret);
    w->flow = calloc(p->nc * p->ns, sizeof *w->flow);
    w->openlist = malloc(p->ns * sizeof *w->openlist);
    w->site = malloc(p->nc * sizeof *w->site);
    w->head = malloc(p->ns * sizeof *w->head);
    w->nxt = malloc(p->nc * sizeof *w->nxt);
    w->prv = malloc(p->nc * sizeof *w->prv);
    w->near = malloc(p->nc * sizeof *w->near);
    w->bits = malloc(p->nc * sizeof *w->bits);
    w->tmp = malloc(p->nc * sizeof *w->tmp);
    w->keep = malloc(p->nc * sizeof *w->keep);
    return w->order && w->resid && w->regret && w->flow && w->openlist && w->site && w->head && w->nxt &&
           w->prv && w->near && w->bits && w->tmp && w->keep;
}

/* Capacitated greedy and descent.  from_open: 0 constructs from scratch,
 * 1 starts from the sites in `open` (ap__improve), 2 does so and runs the
 * iterated local search until the deadline (ap__improve_until). */
static int greedy_cap(const ap_problem *p, const ap_solve_opts *o, double deadline, int from_open,
                      unsigned char *open, ap__assign *a, ap_error *err)
{
    cwork w;
    size_t nopen = 0, j;
    double bu = INFINITY, bz = INFINITY, u, z;
    int rc = -1, ok = cwork_init(&w, p);

    /* polish every evaluation on small problems, the final one always.
     * With single source up to 16x larger: there the regret assignment
     * alone, which cannot split a client, misjudges swaps enough to stop
     * the descent far from good plans (random capacitated p-medians with
     * n = 100 of bench/pmedcap.sh: 0.7-2.7% above the optimum unpolished;
     * n = 200: up to 3.5% above the polished descent) */
    w.polish = p->nc * p->ns <= (p->single_source ? POLISH_SS_CELLS : POLISH_CELLS);
    if (!ok) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in greedy solver");
        goto done;
    }
    for (j = 0; j < p->ns; j++) {
        open[j] = PINNED(p, j) || (from_open && open[j]) ? 1 : 0;
        nopen += open[j];
    }
    /* construction: add the site that best reduces (unserved, cost); a
     * warm start begins from the given sites instead */
    for (; !from_open;) {
        long best = -1;
        double cu = INFINITY, cz = INFINITY;
        if (p->k && nopen >= (size_t)p->k)
            break;
        if (nopen >= p->ns)
            break;
        for (j = 0; j < p->ns; j++) {
            if (open[j] || !move_ok(p, ap__changes(p, open), (long)j, -1))
                continue;
            open[j] = 1;
            z = c_assign(&w, open, &u, NULL);
            open[j] = 0;
            if (best < 0 || better(u, z, cu, cz)) {
                best = (long)j;
                cu = u;
                cz = z;
            }
        }
        if (best < 0)
            break;
        if (!p->k && nopen > 0 && bu <= 1e-9 && !better(cu, cz, bu, bz))
            break;
        open[best] = 1;
        nopen++;
        bu = cu;
        bz = cz;
    }
    if (nopen == 0 || !isfinite(bz)) {
        w.lpround = p->single_source && from_open; /* given sites: both starts */
        bz = c_assign(&w, open, &bu, NULL);
        w.lpround = 0;
    }
    ap__log(o, AP_LOG_INFO, "%s: cost %.10g, unserved %.6g, %zu sites",
            from_open ? "local search from given sites" : "greedy construction", bz, bu, nopen);
    c_descend(&w, open, &nopen, &bu, &bz, deadline);
    if (bu <= 1e-9 && (w.polish || from_open == 2) && !all_pinned(p)) {
        /* iterated local search on small problems (until the deadline when
         * from_open is 2): kick, descend, keep the better of the two */
        unsigned char *best = malloc(p->ns);
        uint64_t seed = 0xD1B54A32D192ED03ULL ^ (uint64_t)(p->nc * 131 + p->ns);
        double stop = ap__now() + fmin(0.3, 0.05 + 0.1 * (double)(p->nc * p->ns) / 1e4), cu, cz;
        size_t r, nb;
        if (!best) {
            ap__err(err, AP_ENOMEM, NULL, "out of memory in greedy solver");
            goto done;
        }
        memcpy(best, open, p->ns);
        if (stop > deadline || from_open == 2)
            stop = deadline;
        for (r = 0; (r < 200 || from_open == 2) && !ap__stopped(stop); r++) {
            size_t kick = 1 + r % 2, q, tries;
            for (q = 0; q < kick; q++)
                for (tries = 0; tries < 50; tries++) {
                    size_t in = (size_t)(ap__rnd(&seed) % p->ns), out = (size_t)(ap__rnd(&seed) % p->ns);
                    if (open[in] || !open[out] || !move_ok(p, ap__changes(p, open), (long)in, (long)out))
                        continue;
                    open[in] = 1, open[out] = 0;
                    break;
                }
            cz = c_assign(&w, open, &cu, NULL);
            nb = nopen;
            c_descend(&w, open, &nb, &cu, &cz, stop);
            if (better(cu, cz, bu, bz)) {
                bu = cu, bz = cz, nopen = nb;
                memcpy(best, open, p->ns);
            } else {
                memcpy(open, best, p->ns);
            }
        }
        if (from_open != 1)
            ap__log(o, AP_LOG_INFO, "iterated local search: %zu rounds, cost %.10g", r, bz);
        free(best);
    }
    if (bu > 1e-9) {
        rc = 1;
        goto done;
    }
    w.polish = 1;
    w.lpround = p->single_source; /* the final assignment only: see c_assign */
    c_assign(&w, open, &u, a);
    if (w.oom) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in greedy solver");
        goto done;
    }
    rc = 0;
done:
    cwork_free(&w);
    return rc;
}

int ap__greedy(const ap_problem *p, const ap_solve_opts *o, double deadline,
               unsigned char *open, ap__assign *a, ap_error *err)
{
    if (ap__capacitated(p))
        return greedy_cap(p, o, deadline, 0, open, a, err);
    return greedy_uncap(p, o, deadline, 0, open, a, err);
}

int ap__improve(const ap_problem *p, const ap_solve_opts *o, double deadline,
                unsigned char *open, ap__assign *a, ap_error *err)
{
    if (ap__capacitated(p))
        return greedy_cap(p, o, deadline, 1, open, a, err);
    return greedy_uncap(p, o, deadline, 1, open, a, err);
}

int ap__improve_until(const ap_problem *p, const ap_solve_opts *o, double deadline,
                      unsigned char *open, ap__assign *a, ap_error *err)
{
    if (ap__capacitated(p) && isfinite(deadline))
        return greedy_cap(p, o, deadline, 2, open, a, err);
    return ap__improve(p, o, deadline, open, a, err);
}
