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

int ap__capacitated(const ap_problem *p)
{
    size_t j;
    for (j = 0; j < p->ns; j++)
        if (isfinite(p->cap[j]))
            return 1;
    return 0;
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

static void u_recompute(ustate *s)
{
    const ap_problem *p = s->p;
    size_t i, j;
    for (i = 0; i < p->nc; i++) {
        const double *row = p->cost + i * p->ns;
        double b1 = INFINITY, b2 = INFINITY;
        long n1 = -1;
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
 * clients, then the largest saving net of its opening cost. */
static long u_best_add(const ustate *s, double *delta_out)
{
    const ap_problem *p = s->p;
    long best = -1;
    size_t bestcov = 0, i, j;
    double bestd = INFINITY;
    int changes = ap__changes(p, s->open);
    for (j = 0; j < p->ns; j++) {
        size_t cov = 0;
        double d = p->fcost[j];
        if (s->open[j] || !move_ok(p, changes, (long)j, -1))
            continue;
        for (i = 0; i < p->nc; i++) {
            double c = p->cost[i * p->ns + j];
            if (!isfinite(c))
                continue;
            if (s->n1[i] < 0)
                cov++, d += p->demand[i] * c;
            else if (c < s->d1[i])
                d -= p->demand[i] * (s->d1[i] - c);
        }
        if (best < 0 || cov > bestcov || (cov == bestcov && d < bestd - EPS)) {
            best = (long)j;
            bestcov = cov;
            bestd = d;
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
        if ((in & 63) == 0 && ap__now() > deadline)
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
            if (bestout >= 0)
                s->open[bestout] = 0;
            else
                s->nopen++;
            u_recompute(s);
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
                u_recompute(s);
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

/* Greedy construction (unless `from_open`: then start from `open`) and swap
 * local search. */
static int greedy_uncap(const ap_problem *p, const ap_solve_opts *o, double deadline,
                        int from_open, unsigned char *open, ap__assign *a, ap_error *err)
{
    ustate s;
    double *loss = NULL;
    size_t i;
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
    if (!s.n1 || !s.d1 || !s.d2 || !loss) {
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
        j = u_best_add(&s, &d);
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
        u_recompute(&s);
    }
    for (i = 0; i < p->nc; i++)
        if (s.n1[i] < 0) {
            rc = 1;
            goto done;
        }
    if (!from_open)
        ap__log(o, AP_LOG_INFO, "greedy construction: objective %.10g with %zu sites", u_value(&s), s.nopen);
    while (ap__now() < deadline && u_swap_pass(&s, loss, deadline) > 0)
        ;
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
    return rc;
}

/* --------------------------------------------------------- capacitated case */

typedef struct {
    const ap_problem *p;
    size_t *order;     /* client order */
    double *resid;     /* residual capacity per site */
    size_t *sorted;    /* open sites for one client, sorted by cost */
    double *regret;
} cwork;

static _Thread_local const double *t_row;
static int cmp_site(const void *x, const void *y)
{
    double a = t_row[*(const size_t *)x], b = t_row[*(const size_t *)y];
    return a < b ? -1 : a > b ? 1 : 0;
}
static _Thread_local const double *t_key;
static int cmp_desc(const void *x, const void *y)
{
    double a = t_key[*(const size_t *)x], b = t_key[*(const size_t *)y];
    return a > b ? -1 : a < b ? 1 : 0;
}

/* Assigns clients to the open sites: clients in decreasing regret order take
 * their cheapest site with residual capacity (whole demand if single-source,
 * split otherwise).  Returns the cost (opening + assignment) and writes the
 * unserved demand to *unserved.  Fills `a` when not NULL. */
static double c_assign(cwork *w, const unsigned char *open, double *unserved, ap__assign *a)
{
    const ap_problem *p = w->p;
    size_t i, j, m = 0, t;
    double z = 0, miss = 0;
    for (j = 0; j < p->ns; j++) {
        w->resid[j] = p->cap[j];
        if (open[j])
            z += p->fcost[j];
    }
    for (i = 0; i < p->nc; i++) {
        const double *row = p->cost + i * p->ns;
        double b1 = INFINITY, b2 = INFINITY;
        for (j = 0; j < p->ns; j++) {
            if (!open[j])
                continue;
            if (row[j] < b1)
                b2 = b1, b1 = row[j];
            else if (row[j] < b2)
                b2 = row[j];
        }
        w->regret[i] = (isfinite(b2) ? b2 - b1 : 1e300) * p->demand[i];
        if (p->single_source)
            w->regret[i] += p->demand[i] * 1e-6; /* tie-break: big clients first */
        w->order[i] = i;
    }
    t_key = w->regret;
    qsort(w->order, p->nc, sizeof *w->order, cmp_desc);
    if (a)
        ap__assign_clear(a);
    for (t = 0; t < p->nc; t++) {
        double left;
        i = w->order[t];
        left = p->demand[i];
        m = 0;
        for (j = 0; j < p->ns; j++)
            if (open[j] && isfinite(p->cost[i * p->ns + j]))
                w->sorted[m++] = j;
        t_row = p->cost + i * p->ns;
        qsort(w->sorted, m, sizeof *w->sorted, cmp_site);
        for (j = 0; j < m && left > 0; j++) {
            size_t s = w->sorted[j];
            double take;
            if (w->resid[s] <= 0)
                continue;
            if (p->single_source) {
                if (w->resid[s] + 1e-9 < left)
                    continue;
                take = left;
            } else {
                take = left < w->resid[s] ? left : w->resid[s];
            }
            w->resid[s] -= take;
            left -= take;
            z += take * p->cost[i * p->ns + s];
            if (a)
                ap__assign_push(a, i, s, take / p->demand[i]);
        }
        if (left > 1e-9)
            miss += left;
    }
    *unserved = miss;
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

static int greedy_cap(const ap_problem *p, const ap_solve_opts *o, double deadline,
                      unsigned char *open, ap__assign *a, ap_error *err)
{
    cwork w;
    size_t nopen = 0, j, in, out;
    double bu = INFINITY, bz = INFINITY, u, z;
    int rc = -1, improved;

    
    memset(&w, 0, sizeof w);
    w.p = p;
    w.order = malloc(p->nc * sizeof *w.order);
    w.resid = malloc(p->ns * sizeof *w.resid);
    w.sorted = malloc(p->ns * sizeof *w.sorted);
    w.regret = malloc(p->nc * sizeof *w.regret);
    if (!w.order || !w.resid || !w.sorted || !w.regret) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in greedy solver");
        goto done;
    }
    for (j = 0; j < p->ns; j++) {
        open[j] = PINNED(p, j) ? 1 : 0;
        nopen += open[j];
    }
    /* construction: add the site that best reduces (unserved, cost) */
    for (;;) {
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
    if (nopen == 0 || !isfinite(bz))
        bz = c_assign(&w, open, &bu, NULL);
    ap__log(o, AP_LOG_INFO, "greedy construction: cost %.10g, unserved %.6g, %zu sites", bz, bu, nopen);
    /* local search: first-improvement swap, plus add/drop when k is free */
    do {
        improved = 0;
        for (out = 0; out < p->ns && !improved; out++) {
            int changes = ap__changes(p, open);
            if (!open[out] || PINNED(p, out))
                continue;
            if (ap__now() > deadline)
                break;
            for (in = 0; in < p->ns && !improved; in++) {
                if (open[in] || !move_ok(p, changes, (long)in, (long)out))
                    continue;
                open[out] = 0;
                open[in] = 1;
                z = c_assign(&w, open, &u, NULL);
                if (better(u, z, bu, bz)) {
                    bu = u, bz = z, improved = 1;
                } else {
                    open[in] = 0;
                    open[out] = 1;
                }
            }
            if (!improved && !p->k && nopen > 1) {
                open[out] = 0;
                z = c_assign(&w, open, &u, NULL);
                if (better(u, z, bu, bz))
                    bu = u, bz = z, improved = 1, nopen--;
                else
                    open[out] = 1;
            }
        }
        if (!improved && !p->k) {
            for (in = 0; in < p->ns && !improved; in++) {
                if (open[in] || !move_ok(p, ap__changes(p, open), (long)in, -1))
                    continue;
                open[in] = 1;
                z = c_assign(&w, open, &u, NULL);
                if (better(u, z, bu, bz))
                    bu = u, bz = z, improved = 1, nopen++;
                else
                    open[in] = 0;
            }
        }
    } while (improved && ap__now() < deadline);
    if (bu > 1e-9) {
        rc = 1;
        goto done;
    }
    c_assign(&w, open, &u, a);
    rc = 0;
done:
    free(w.order);
    free(w.resid);
    free(w.sorted);
    free(w.regret);
    return rc;
}

int ap__greedy(const ap_problem *p, const ap_solve_opts *o, double deadline,
               unsigned char *open, ap__assign *a, ap_error *err)
{
    if (ap__capacitated(p))
        return greedy_cap(p, o, deadline, open, a, err);
    return greedy_uncap(p, o, deadline, 0, open, a, err);
}

int ap__improve(const ap_problem *p, const ap_solve_opts *o, double deadline,
                unsigned char *open, ap__assign *a, ap_error *err)
{
    return greedy_uncap(p, o, deadline, 1, open, a, err);
}
