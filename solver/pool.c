/* pool.c - p-median with many sites: a pool of swap-based local optima
 * combined by path relinking (after Resende & Werneck, "A hybrid heuristic
 * for the p-median problem", J. Heuristics 2004).
 *
 * The local search is their fast interchange.  For each client i with
 * nearest open site n1 (cost d1) and second nearest n2 (cost d2), and for
 * every site j with c_ij < d2,
 *
 *     gain[j]      += w_i (d1 - c_ij)             when c_ij < d1,
 *     loss[n1]     += w_i (d2 - d1),
 *     extra[j][n1] += w_i (d2 - max(c_ij, d1)),
 *
 * and the saving of opening `in` and closing `out` is
 * gain[in] - loss[out] + extra[in][out] + f[out] - f[in].  After a swap only
 * the clients whose n1, n2 or d2 change have their contributions taken off
 * and put back, so one move costs a column, the affected rows and a scan of
 * the (closed x open) table, instead of the whole matrix.
 *
 * The search keeps up to POOL_SIZE distinct local optima.  Each round
 * perturbs one of them by a few random swaps, descends, relinks the result
 * with another member (from the better of the two towards the other, each
 * step the best swap that brings in a site of the guide and takes out one
 * that the guide lacks), descends from the best point met inside the path,
 * and offers both local optima to the pool.
 *
 * Applies to fixed-k problems without a limit on changes whose costs are
 * all finite (ap__pool_applies). */
#include "solver.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define POOL_SIZE 10
#define POOL_EPS 1e-9
/* the (sites x k) table must stay small next to the cost matrix */
#define POOL_MAX_TABLE 50000000.0

typedef struct {
    const ap_problem *p;
    size_t nc, ns, k;
    unsigned char *open; /* ns */
    int *pos;            /* ns: index in opl, -1 when closed */
    int *opl;            /* k open sites */
    int *n1, *n2;        /* nc: nearest and second nearest open site */
    double *d1, *d2;
    double *gain, *loss; /* ns */
    double *extra;       /* ns x k: extra[j * k + pos[out]] */
    int *lst;            /* ns x k: row j's entries that may be nonzero, lst[j * k ..] */
    int *len;            /* ns: their count */
    unsigned char *inl;  /* ns x k: 1 when the entry is in its row's list */
    int *near;           /* nc x L: each client's L cheapest sites by cost, then index */
    double *nearlim;     /* nc: the cost from which sites may be missing from near */
    size_t L;
    double *base;        /* k scratch */
    int *aff;            /* nc scratch: affected clients */
    double val;          /* objective of the open set */
} fi;

typedef struct {
    int *site; /* k sites, sorted */
    double v;
} member;

int ap__pool_applies(const ap_problem *p)
{
    size_t n = p->nc * p->ns, x;
    if (p->k < 2 || p->max_changes >= 0 || (size_t)p->k >= p->ns ||
        (double)p->ns * (double)p->k > POOL_MAX_TABLE)
        return 0;
    for (x = 0; x < n; x++)
        if (!isfinite(p->cost[x]))
            return 0;
    for (x = 0; x < p->nc; x++)
        if (!isfinite(p->demand[x]))
            return 0;
    return 1;
}

/* Client i's nearest and second-nearest open sites (ties to the lowest
 * index): the first two open ones of its near list when the second costs
 * less than the list's limit, else a scan of the open sites. */
static void fi_scan(fi *s, size_t i)
{
    const double *row = s->p->cost + i * s->ns;
    const int *nl = s->near + i * s->L;
    double b1 = INFINITY, b2 = INFINITY;
    int j1 = -1, j2 = -1;
    size_t t;
    for (t = 0; t < s->L; t++) {
        int j = nl[t];
        if (!s->open[j])
            continue;
        if (j1 < 0) {
            j1 = j, b1 = row[j];
            continue;
        }
        if (row[j] < s->nearlim[i]) {
            s->n1[i] = j1, s->n2[i] = j;
            s->d1[i] = b1, s->d2[i] = row[j];
            return;
        }
        break;
    }
    b1 = INFINITY, j1 = -1;
    for (t = 0; t < s->k; t++) {
        int j = s->opl[t];
        double c = row[j];
        if (c < b1 || (c == b1 && j < j1)) {
            b2 = b1, j2 = j1;
            b1 = c, j1 = j;
        } else if (c < b2 || (c == b2 && j < j2)) {
            b2 = c, j2 = j;
        }
    }
    s->n1[i] = j1, s->n2[i] = j2;
    s->d1[i] = b1, s->d2[i] = b2;
}

/* Adds (sign 1) or takes off (-1) client i's contributions. */
static void fi_contrib(fi *s, size_t i, double sign)
{
    const double *row = s->p->cost + i * s->ns;
    const int *nl = s->near + i * s->L;
    double w = sign * s->p->demand[i], d1 = s->d1[i], d2 = s->d2[i];
    size_t j, k = s->k, at = (size_t)s->pos[s->n1[i]], q, m = s->ns;
    int listed = d2 <= s->nearlim[i]; /* every site cheaper than d2 is in the near list */
    s->loss[s->n1[i]] += w * (d2 - d1);
    if (listed)
        m = s->L;
    for (q = 0; q < m; q++) {
        double c;
        j = listed ? (size_t)nl[q] : q;
        c = row[j];
        if (c >= d2) {
            if (listed)
                break;
            continue;
        }
        if (c < d1) {
            s->gain[j] += w * (d1 - c);
            s->extra[j * k + at] += w * (d2 - d1);
        } else {
            s->extra[j * k + at] += w * (d2 - c);
        }
        if (!s->inl[j * k + at]) {
            s->inl[j * k + at] = 1;
            s->lst[j * k + (size_t)s->len[j]++] = (int)at;
        }
    }
}

static double fi_value(const fi *s)
{
    double z = 0;
    size_t i, t;
    for (t = 0; t < s->k; t++)
        z += s->p->fcost[s->opl[t]];
    for (i = 0; i < s->nc; i++)
        z += s->p->demand[i] * s->d1[i];
    return z;
}

/* The state of the set `site` (k sites), from scratch. */
static void fi_load(fi *s, const int *site)
{
    size_t i, j;
    memset(s->open, 0, s->ns);
    for (j = 0; j < s->ns; j++)
        s->pos[j] = -1;
    for (j = 0; j < s->k; j++) {
        s->opl[j] = site[j];
        s->pos[site[j]] = (int)j;
        s->open[site[j]] = 1;
    }
    memset(s->gain, 0, s->ns * sizeof *s->gain);
    memset(s->loss, 0, s->ns * sizeof *s->loss);
    for (j = 0; j < s->ns; j++) { /* only the listed entries can be nonzero */
        int *l = s->lst + j * s->k, q;
        for (q = 0; q < s->len[j]; q++) {
            s->extra[j * s->k + (size_t)l[q]] = 0;
            s->inl[j * s->k + (size_t)l[q]] = 0;
        }
        s->len[j] = 0;
    }
    for (i = 0; i < s->nc; i++) {
        fi_scan(s, i);
        fi_contrib(s, i, 1);
    }
    s->val = fi_value(s);
}

/* Opens `in`, closes `out`. */
static void fi_swap(fi *s, int in, int out)
{
    const double *col = s->p->cost + in;
    size_t i, na = 0, t = (size_t)s->pos[out];
    for (i = 0; i < s->nc; i++)
        if (s->n1[i] == out || s->n2[i] == out || col[i * s->ns] < s->d2[i])
            s->aff[na++] = (int)i;
    for (i = 0; i < na; i++)
        fi_contrib(s, (size_t)s->aff[i], -1);
    s->open[out] = 0, s->pos[out] = -1;
    s->open[in] = 1, s->pos[in] = (int)t, s->opl[t] = in;
    for (i = 0; i < na; i++) {
        fi_scan(s, (size_t)s->aff[i]);
        fi_contrib(s, (size_t)s->aff[i], 1);
    }
    s->val = fi_value(s);
}

/* The best swap (largest saving, may be negative) bringing in a closed site
 * with want_in set (any closed site when NULL) and taking out an unpinned
 * open site with want_out set (any when NULL).  0 when there is none.
 * Row j of the (closed x open) table is max_t base_t + extra_jt: the
 * largest base where extra is zero, so only the row's listed entries are
 * read (Resende & Werneck keep extra sparse the same way: with p in the
 * hundreds a row has a few entries, not p), and those that went back to
 * zero leave the list. */
static int fi_best(fi *s, const unsigned char *want_in, const unsigned char *want_out, int *bin, int *bout,
                   double *bsave)
{
    const ap_problem *p = s->p;
    size_t j, t, k = s->k, tmax = 0;
    double best = -INFINITY, bmax = -INFINITY, eps = 1e-12 * (1 + fabs(s->val));
    int found = 0;
    for (t = 0; t < k; t++) {
        int o = s->opl[t];
        s->base[t] = (p->pin && p->pin[o]) || (want_out && !want_out[o]) ? -INFINITY
                                                                           : p->fcost[o] - s->loss[o];
        if (s->base[t] > bmax)
            bmax = s->base[t], tmax = t;
    }
    *bsave = best;
    if (bmax == -INFINITY)
        return 0;
    for (j = 0; j < s->ns; j++) {
        double *ex = s->extra + j * k, g, top = bmax;
        int *l = s->lst + j * k, q;
        size_t at = tmax;
        if (s->open[j] || (want_in && !want_in[j]))
            continue;
        for (q = 0; q < s->len[j]; q++) {
            double v;
            t = (size_t)l[q];
            if (fabs(ex[t]) <= eps) {
                ex[t] = 0;
                s->inl[j * k + t] = 0;
                l[q--] = l[--s->len[j]];
                continue;
            }
            v = s->base[t] + ex[t];
            if (v > top || (v == top && t < at))
                top = v, at = t;
        }
        g = s->gain[j] - p->fcost[j] + top;
        if (g > best) {
            best = g;
            *bin = (int)j;
            *bout = s->opl[at];
            found = 1;
        }
    }
    *bsave = best;
    return found;
}

/* Best-improvement descent. */
static void fi_descend(fi *s, double deadline)
{
    int in, out;
    double save;
    size_t moves = 0;
    while (fi_best(s, NULL, NULL, &in, &out, &save) && save > POOL_EPS * (1 + fabs(s->val))) {
        fi_swap(s, in, out);
        if ((++moves & 7) == 0 && ap__stopped(deadline))
            break;
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void fi_sites(const fi *s, int *site)
{
    memcpy(site, s->opl, s->k * sizeof *site);
    qsort(site, s->k, sizeof *site, cmp_int);
}

/* Offers the state's set to the pool: kept when it is new and better than
 * the worst member (or the pool has room). */
static void pool_offer(const fi *s, member *pool, size_t *np, int *scratch)
{
    size_t m, worst = 0;
    fi_sites(s, scratch);
    for (m = 0; m < *np; m++) {
        if (memcmp(pool[m].site, scratch, s->k * sizeof *scratch) == 0)
            return;
        if (pool[m].v > pool[worst].v)
            worst = m;
    }
    if (*np < POOL_SIZE)
        worst = (*np)++;
    else if (!(s->val < pool[worst].v - POOL_EPS * (1 + fabs(s->val))))
        return;
    memcpy(pool[worst].site, scratch, s->k * sizeof *scratch);
    pool[worst].v = s->val;
}

/* Path from the state (set S) towards `guide`: returns 1 and the best set
 * met strictly inside the path in `best`, 0 when the path has no inside. */
static int relink(fi *s, const int *guide, unsigned char *win, unsigned char *wout, int *best, double deadline)
{
    size_t t, left = 0;
    double bv = INFINITY;
    memset(win, 0, s->ns);
    memset(wout, 0, s->ns);
    for (t = 0; t < s->k; t++)
        win[guide[t]] = 1;
    for (t = 0; t < s->k; t++) {
        int j = s->opl[t];
        if (win[j])
            win[j] = 0;
        else
            wout[j] = 1, left++;
    }
    while (left > 1 && !ap__stopped(deadline)) {
        int in, out;
        double save;
        if (!fi_best(s, win, wout, &in, &out, &save))
            break;
        fi_swap(s, in, out);
        win[in] = 0, wout[out] = 0, left--;
        if (s->val < bv) {
            bv = s->val;
            fi_sites(s, best);
        }
    }
    return bv < INFINITY;
}

static void fi_free(fi *s)
{
    free(s->open);
    free(s->pos);
    free(s->opl);
    free(s->n1);
    free(s->n2);
    free(s->d1);
    free(s->d2);
    free(s->gain);
    free(s->loss);
    free(s->extra);
    free(s->lst);
    free(s->len);
    free(s->inl);
    free(s->near);
    free(s->nearlim);
    free(s->base);
    free(s->aff);
}

typedef struct {
    double c;
    int j;
} near_t;

static int near_less(const near_t *a, const near_t *b)
{
    return a->c < b->c || (a->c == b->c && a->j < b->j);
}

static int cmp_near(const void *a, const void *b)
{
    return near_less(a, b) ? -1 : near_less(b, a);
}

/* Puts the site of rank n (by cost, then index) among v[0 .. m) at
 * position n, the n before it ahead (quickselect). */
static void near_select(near_t *v, size_t m, size_t n)
{
    size_t lo = 0, hi = m - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, st = lo, q;
        near_t piv = v[mid], x;
        v[mid] = v[hi], v[hi] = piv;
        for (q = lo; q < hi; q++)
            if (near_less(&v[q], &piv))
                x = v[q], v[q] = v[st], v[st++] = x;
        v[hi] = v[st], v[st] = piv;
        if (st == n)
            return;
        if (st < n)
            lo = st + 1;
        else
            hi = st - 1;
    }
}

/* Each client's L cheapest sites in order, and the cost from which others
 * may be missing (the (L+1)-th cost; infinite when all are listed): a
 * client's sites cheaper than its second open site are then read from its
 * list instead of its whole row.  L is a few times the sites per median;
 * none (L = 0, every row read whole) when that is over NEAR_MAX.  0 or
 * -1. */
#define NEAR_MAX 1024
static int near_build(fi *s)
{
    size_t i, j, ns = s->ns;
    near_t *v = malloc(ns * sizeof *v);
    s->L = ns / s->k * 4 + 16;
    if (s->L > ns)
        s->L = ns;
    if (s->L > NEAR_MAX)
        s->L = 0; /* few medians: the second site is often far down the row */
    s->near = malloc((s->L > 0 ? s->nc * s->L : 1) * sizeof *s->near);
    s->nearlim = malloc(s->nc * sizeof *s->nearlim);
    if (!v || !s->near || !s->nearlim) {
        free(v);
        return -1;
    }
    for (i = 0; i < s->nc && s->L == 0; i++)
        s->nearlim[i] = -INFINITY;
    for (i = 0; i < s->nc && s->L > 0; i++) {
        const double *c = s->p->cost + i * ns;
        for (j = 0; j < ns; j++)
            v[j].c = c[j], v[j].j = (int)j;
        if (s->L < ns)
            near_select(v, ns, s->L);
        qsort(v, s->L, sizeof *v, cmp_near);
        for (j = 0; j < s->L; j++)
            s->near[i * s->L + j] = v[j].j;
        s->nearlim[i] = s->L < ns ? v[s->L].c : INFINITY;
    }
    free(v);
    return 0;
}

static int fi_alloc(fi *s, const ap_problem *p)
{
    memset(s, 0, sizeof *s);
    s->p = p;
    s->nc = p->nc, s->ns = p->ns, s->k = (size_t)p->k;
    s->open = malloc(s->ns);
    s->pos = malloc(s->ns * sizeof *s->pos);
    s->opl = malloc(s->k * sizeof *s->opl);
    s->n1 = malloc(s->nc * sizeof *s->n1);
    s->n2 = malloc(s->nc * sizeof *s->n2);
    s->d1 = malloc(s->nc * sizeof *s->d1);
    s->d2 = malloc(s->nc * sizeof *s->d2);
    s->gain = malloc(s->ns * sizeof *s->gain);
    s->loss = malloc(s->ns * sizeof *s->loss);
    s->extra = calloc(s->ns * s->k, sizeof *s->extra);
    s->lst = malloc(s->ns * s->k * sizeof *s->lst);
    s->len = calloc(s->ns, sizeof *s->len);
    s->inl = calloc(s->ns * s->k, 1);
    s->base = malloc(s->k * sizeof *s->base);
    s->aff = malloc(s->nc * sizeof *s->aff);
    return s->open && s->pos && s->opl && s->n1 && s->n2 && s->d1 && s->d2 && s->gain && s->loss &&
                   s->extra && s->lst && s->len && s->inl && s->base && s->aff && near_build(s) == 0
               ? 0
               : -1;
}

/* A random member perturbed by a few random swaps. */
static void kick(fi *s, const member *pool, size_t np, uint64_t *seed)
{
    const ap_problem *p = s->p;
    size_t r, tries, n = 1 + ap__rnd(seed) % (s->k < 16 ? 2 : s->k / 8);
    fi_load(s, pool[ap__rnd(seed) % np].site);
    for (r = 0; r < n; r++)
        for (tries = 0; tries < 50; tries++) {
            int in = (int)(ap__rnd(seed) % s->ns), out = s->opl[ap__rnd(seed) % s->k];
            if (s->open[in] || (p->pin && p->pin[out]))
                continue;
            fi_swap(s, in, out);
            break;
        }
}

/* One round: kick, descend, relink with another member, descend. */
static void pool_round(fi *s, member *pool, size_t *np, uint64_t *seed, unsigned char *win,
                       unsigned char *wout, int *a, int *b, double deadline)
{
    const member *g;
    double v;
    kick(s, pool, *np, seed);
    fi_descend(s, deadline);
    pool_offer(s, pool, np, a);
    fi_sites(s, a);
    v = s->val;
    g = &pool[ap__rnd(seed) % *np];
    if (memcmp(g->site, a, s->k * sizeof *a) == 0 || ap__stopped(deadline))
        return;
    if (g->v < v) { /* from the better end */
        fi_load(s, g->site);
        memcpy(b, a, s->k * sizeof *a);
    } else {
        memcpy(b, g->site, s->k * sizeof *b);
    }
    if (!relink(s, b, win, wout, a, deadline))
        return;
    fi_load(s, a);
    fi_descend(s, deadline);
    pool_offer(s, pool, np, a);
}

int ap__pool(const ap_problem *p, const ap_solve_opts *o, double stop, unsigned char *open)
{
    return ap__pool_with(p, o, stop, open, NULL);
}

/* The k sites of flags `open` into a (sorted); 0, or 1 when they are not k. */
static int k_sites(const fi *s, const unsigned char *open, int *a)
{
    size_t j, m;
    for (j = 0, m = 0; j < s->ns; j++)
        if (open[j] && m++ < s->k)
            a[m - 1] = (int)j;
    return m != s->k;
}

int ap__pool_with(const ap_problem *p, const ap_solve_opts *o, double stop, unsigned char *open,
                  const unsigned char *also)
{
    fi s;
    member pool[POOL_SIZE];
    size_t np = 0, m, rounds = 0, j;
    unsigned char *win = malloc(p->ns), *wout = malloc(p->ns);
    int *a = malloc((size_t)p->k * sizeof *a), *b = malloc((size_t)p->k * sizeof *b);
    uint64_t seed = 0x9E3779B97F4A7C15ULL ^ (uint64_t)(p->nc * 131 + p->ns * 7 + (size_t)p->k);
    double t0 = ap__now(), start;
    int rc = -1, ok = fi_alloc(&s, p) == 0 && win && wout && a && b;

    memset(pool, 0, sizeof pool);
    for (m = 0; ok && m < POOL_SIZE; m++)
        ok = (pool[m].site = malloc((size_t)p->k * sizeof *pool[m].site)) != NULL;
    if (!ok)
        goto done;
    if (k_sites(&s, open, a)) { /* not a set of k sites: nothing to improve */
        rc = 0;
        goto done;
    }
    fi_load(&s, a);
    start = s.val;
    fi_descend(&s, stop);
    pool_offer(&s, pool, &np, a);
    if (also && !k_sites(&s, also, a)) {
        fi_load(&s, a);
        fi_descend(&s, stop);
        pool_offer(&s, pool, &np, a);
    }
    while (!ap__stopped(stop)) {
        pool_round(&s, pool, &np, &seed, win, wout, a, b, stop);
        rounds++;
    }
    for (m = 1, j = 0; m < np; m++)
        if (pool[m].v < pool[j].v)
            j = m;
    memset(open, 0, p->ns);
    for (m = 0; m < s.k; m++)
        open[pool[j].site[m]] = 1;
    ap__log(o, AP_LOG_INFO, "path relinking: %zu rounds, pool of %zu, objective %.10g (from %.10g) in %.2fs",
            rounds, np, pool[j].v, start, ap__now() - t0);
    rc = 1;
done:
    for (m = 0; m < POOL_SIZE; m++)
        free(pool[m].site);
    fi_free(&s);
    free(win);
    free(wout);
    free(a);
    free(b);
    return rc;
}

/* Value of the open set `open` (ns flags) from scratch: each client at its
 * cheapest open site (NAN when out of memory). */
static double scratch_value(const ap_problem *p, const unsigned char *open, ap__assign *asg)
{
    return ap__assign_nearest(p, open, asg) ? NAN : ap__objective(p, open, asg);
}

double ap__pool_selftest(const ap_problem *p, const unsigned char *open, int moves, uint64_t seed)
{
    fi s;
    int *a = malloc((size_t)p->k * sizeof *a), m;
    unsigned char *o = malloc(p->ns), *want = calloc(p->ns, 1);
    ap__assign asg = {0, 0, NULL, NULL, NULL};
    double worst = -1;
    size_t j, t, in, out;
    if (fi_alloc(&s, p) || !a || !o || !want)
        goto done;
    for (j = 0, t = 0; j < p->ns; j++)
        if (open[j] && t < s.k)
            a[t++] = (int)j;
    if (t != s.k)
        goto done;
    fi_load(&s, a);
    worst = 0;
    for (m = 0; m <= moves; m++) {
        double v0;
        memcpy(o, s.open, p->ns);
        if (isnan(v0 = scratch_value(p, o, &asg))) {
            worst = -1;
            goto done;
        }
        worst = fmax(worst, fabs(v0 - s.val));
        for (in = 0; in < p->ns; in++) {
            double best = -INFINITY, save;
            int bi, bo;
            if (o[in])
                continue;
            for (out = 0; out < p->ns; out++) {
                double v;
                if (!o[out])
                    continue;
                o[in] = 1, o[out] = 0;
                v = scratch_value(p, o, &asg);
                o[in] = 0, o[out] = 1;
                if (isnan(v)) {
                    worst = -1;
                    goto done;
                }
                best = fmax(best, v0 - v);
            }
            /* the row of `in` alone, through the tables */
            want[in] = 1;
            if (fi_best(&s, want, NULL, &bi, &bo, &save))
                worst = fmax(worst, fabs(save - best));
            else
                worst = INFINITY;
            want[in] = 0;
        }
        /* a random swap, then its effect on the tables */
        in = (size_t)(ap__rnd(&seed) % p->ns);
        out = (size_t)s.opl[ap__rnd(&seed) % s.k];
        if (!s.open[in])
            fi_swap(&s, (int)in, (int)out);
    }
done:
    fi_free(&s);
    ap__assign_free(&asg);
    free(a);
    free(o);
    free(want);
    return worst;
}
