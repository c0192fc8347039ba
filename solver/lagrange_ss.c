/* lagrange_ss.c - Lagrangian bound, repair heuristic and reduced-cost
 * fixing for single-source capacitated models (capacitated p-median,
 * single-source facility location).
 *
 * Relaxing "every client is assigned once" with multipliers lambda_i gives
 *   L(lambda) = sum_i lambda_i + min { sum_j v_j y_j : k sites / free }
 *   v_j = f_j + min { sum_i (d_i c_ij - lambda_i) x_i : sum_i d_i x_i <= Q_j }
 * with x 0-1: one 0-1 knapsack per site.  Its maximum is above the LP bound
 * of the strong model, because the knapsacks see that a client cannot be
 * split; that gap is what makes single-source models slow for LP-based
 * branch-and-cut.  The knapsacks are solved by dynamic programming over the
 * capacity: exactly when demands are integers and capacities small, else
 * over demands rounded down to a grid of Q_j / width (a relaxation of the
 * knapsack, so L stays a valid bound).  When k is free, the site choice also
 * has to cover the total demand: its LP relaxation is used.
 *
 * Every few iterations the relaxed solution is repaired into a plan: each
 * client keeps the cheapest chosen site whose knapsack took it, the others
 * go, largest first, to the cheapest chosen site with room, and moves and
 * exchanges of clients polish the result.  At the end the best multipliers
 * fix sites and client-site pairs against the incumbent: forcing x_ij = 1
 * costs at least (knapsack of j with i forced in) - v_j, for every i at once
 * from forward and backward DP tables. */
#include "solver.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_WIDTH 8192     /* integer capacities up to this are exact */
#define GRID_WIDTH 2048      /* else demands on a grid of Q_j / this */
#define TABLE_MAX 4000000    /* cells of a fixing table (forward or backward) */
#define GAP_SHARE 0.25       /* of the Lagrangian's time for exact assignments */
#define GAP_CALL 0.5         /* seconds for one of them at most */
#define RELOCATE_CAND 5      /* closed sites tried in place of an open one */
#define GAP_NEAR 1.03        /* for repaired plans within 3% of the incumbent */

typedef struct {
    const ap_problem *p;
    size_t nc, ns;
    double *lam;          /* nc multipliers */
    double *v;            /* ns: f_j + knapsack value */
    double *base0;        /* ns: value of the weight-0 items taken outright */
    unsigned char *x;     /* ns*nc, site-major: relaxed x_ij */
    double *y;            /* ns: relaxed y_j (fractional for the LP cover) */
    int *W;               /* ns: knapsack width (-1 = unlimited capacity) */
    double *grid;         /* ns: demand per unit of width */
    /* knapsack scratch */
    size_t *item;
    int *wt;
    double *rv, *dp;
    unsigned char *keep;
    /* repair */
    long *asg;            /* nc: site or -1 */
    double *load;         /* ns */
    size_t *list;         /* ns: the chosen sites of a repair */
    double total;         /* total demand */
    size_t width;         /* keep is nc x (width + 1) */
    struct kv { double key; size_t j; } *kv;  /* max(nc, ns) */
    size_t tcells;        /* cells of each fixing table */
} ssw;

static int cmp_kv(const void *a, const void *b)
{
    double x = ((const struct kv *)a)->key, y = ((const struct kv *)b)->key;
    return x < y ? -1 : x > y;
}

/* Weight of client i in the knapsack of site j. */
static int weight(const ssw *w, size_t i, size_t j)
{
    double q = w->p->demand[i] / w->grid[j];
    return q >= (double)EXACT_WIDTH * 2 ? EXACT_WIDTH * 2 : (int)floor(q + 1e-9);
}

/* Chooses each site's DP width and grid; the widths bound the scratch. */
static void set_grids(ssw *w)
{
    const ap_problem *p = w->p;
    size_t i, j;
    int integral = 1;
    double lim = 32e6 / (double)(p->nc + 1), ex = fmin(EXACT_WIDTH, lim), gr = fmin(GRID_WIDTH, lim);
    if (gr < 16)
        gr = 16;
    for (i = 0; i < p->nc; i++)
        if (p->demand[i] != floor(p->demand[i]))
            integral = 0;
    w->width = 0;
    for (j = 0; j < p->ns; j++) {
        double q = p->cap[j];
        if (!isfinite(q)) {
            w->W[j] = -1;
            w->grid[j] = 1;
            continue;
        }
        if (integral && q <= ex) {
            w->grid[j] = 1;
            w->W[j] = (int)floor(q + 1e-9);
        } else {
            w->grid[j] = q > 0 ? q / gr : 1;
            w->W[j] = q > 0 ? (int)floor(q / w->grid[j] + 1e-9) : 0;
        }
        if ((size_t)w->W[j] > w->width)
            w->width = (size_t)w->W[j];
    }
}

/* Gathers site j's items (negative reduced cost, weight within capacity);
 * weight-0 items are taken outright.  Returns the number of items and
 * their total weight in *tw. */
static size_t gather(ssw *w, size_t j, long *tw)
{
    const ap_problem *p = w->p;
    size_t i, m = 0, nc = w->nc, ns = w->ns;
    unsigned char *x = w->x + j * nc;
    w->base0[j] = 0;
    *tw = 0;
    for (i = 0; i < nc; i++) {
        double c = p->cost[i * ns + j], r;
        int wt;
        x[i] = 0;
        if (!isfinite(c) || !((r = p->demand[i] * c - w->lam[i]) < 0))
            continue;
        wt = w->W[j] < 0 ? 0 : weight(w, i, j);
        if (w->W[j] >= 0 && wt > w->W[j])
            continue;
        if (wt == 0) {
            x[i] = 1;
            w->base0[j] += r;
            continue;
        }
        w->item[m] = i;
        w->wt[m] = wt;
        w->rv[m] = r;
        *tw += wt;
        m++;
    }
    return m;
}

double ap__knapsack01(size_t m, const size_t *item, const int *wt, const double *rv, long C, double *dp,
                      unsigned char *keep, unsigned char *mark)
{
    size_t t;
    long c;
    for (c = 0; c <= C; c++)
        dp[c] = 0;
    for (t = 0; t < m; t++) {
        unsigned char *k = keep + t * (size_t)(C + 1);
        memset(k, 0, (size_t)C + 1);
        for (c = C; c >= wt[t]; c--)
            if (dp[c - wt[t]] + rv[t] < dp[c]) {
                dp[c] = dp[c - wt[t]] + rv[t];
                k[c] = 1;
            }
    }
    c = C;
    for (t = m; t-- > 0;)
        if (keep[t * (size_t)(C + 1) + (size_t)c]) {
            mark[item[t]] = 1;
            c -= wt[t];
        }
    return dp[C];
}

/* Solves site j's knapsack: w->v[j] and its column of w->x. */
static void knapsack(ssw *w, size_t j)
{
    long tw;
    size_t m = gather(w, j, &tw), t;
    unsigned char *x = w->x + j * w->nc;
    double val = w->base0[j];
    if (w->W[j] < 0 || tw <= w->W[j]) {
        for (t = 0; t < m; t++) {
            x[w->item[t]] = 1;
            val += w->rv[t];
        }
        w->v[j] = w->p->fcost[j] + val;
        return;
    }
    val += ap__knapsack01(m, w->item, w->wt, w->rv, w->W[j], w->dp, w->keep, x);
    w->v[j] = w->p->fcost[j] + val;
}

typedef struct {
    double L;        /* the bound */
    double L0;       /* without the LP cover (k free), else L */
    double inmax;    /* largest v of a free chosen site (k given) */
    double outmin;   /* smallest v of a free site not chosen */
    int forced;      /* k free and no site worth opening: the cheapest one */
} choice;

/* The site choice of the relaxation given w->v: sel (integral choice) and
 * w->y (with the fractional cover when k is free). */
static int choose(ssw *w, const unsigned char *fix, unsigned char *sel, double *sorted, choice *ch)
{
    const ap_problem *p = w->p;
    size_t j, ns = w->ns, m = 0, nsel = 0, nfixopen = 0;
    double sum = 0, capsel = 0, total = w->total;
    ch->inmax = -INFINITY;
    ch->outmin = INFINITY;
    ch->forced = 0;
    for (j = 0; j < ns; j++) {
        sel[j] = fix[j] == 2;
        nfixopen += sel[j];
        if (fix[j] == 0)
            sorted[m++] = w->v[j];
    }
    if (p->k) {
        size_t need = (size_t)p->k > nfixopen ? (size_t)p->k - nfixopen : 0;
        double kth;
        if (need > m)
            return -1;
        /* the need-th smallest by partial selection sort (need is small) */
        for (j = 0; j < need; j++) {
            size_t h, b = j;
            for (h = j + 1; h < m; h++)
                if (sorted[h] < sorted[b])
                    b = h;
            kth = sorted[b], sorted[b] = sorted[j], sorted[j] = kth;
        }
        kth = need ? sorted[need - 1] : -INFINITY;
        for (j = 0; j < ns && nsel < need; j++)
            if (fix[j] == 0 && w->v[j] < kth)
                sel[j] = 1, nsel++;
        for (j = 0; j < ns && nsel < need; j++)
            if (fix[j] == 0 && !sel[j] && w->v[j] == kth)
                sel[j] = 1, nsel++;
    } else {
        long bestj = -1;
        for (j = 0; j < ns; j++)
            if (fix[j] == 0 && w->v[j] < 0)
                sel[j] = 1, nsel++;
        if (nsel + nfixopen == 0) {
            for (j = 0; j < ns; j++)
                if (fix[j] == 0 && (bestj < 0 || w->v[j] < w->v[bestj]))
                    bestj = (long)j;
            if (bestj < 0)
                return -1;
            sel[bestj] = 1;
            ch->forced = 1;
        }
    }
    for (j = 0; j < ns; j++) {
        w->y[j] = sel[j];
        if (sel[j]) {
            sum += w->v[j];
            capsel += p->cap[j];
            if (fix[j] == 0 && w->v[j] > ch->inmax)
                ch->inmax = w->v[j];
        } else if (fix[j] == 0 && w->v[j] < ch->outmin) {
            ch->outmin = w->v[j];
        }
    }
    ch->L0 = sum;
    if (!p->k && capsel < total) {
        /* the chosen sites cannot hold the demand: cover the rest at the
         * cheapest value per unit of capacity (LP relaxation) */
        size_t n = 0, h;
        for (j = 0; j < ns; j++)
            if (fix[j] == 0 && !sel[j] && p->cap[j] > 0) {
                w->kv[n].key = w->v[j] / p->cap[j];
                w->kv[n++].j = j;
            }
        qsort(w->kv, n, sizeof *w->kv, cmp_kv);
        for (h = 0; h < n && capsel < total; h++) {
            size_t s = w->kv[h].j;
            double f;
            if (!isfinite(p->cap[s]))
                break; /* any fraction of it covers the rest */
            f = fmin(1.0, (total - capsel) / p->cap[s]);
            w->y[s] = f;
            sum += f * w->v[s];
            capsel += f * p->cap[s];
        }
    }
    ch->L = sum;
    return 0;
}


/* Moves clients to cheaper chosen sites with room, and exchanges pairs of
 * clients between two sites when that is cheaper and both capacities hold;
 * returns the change of cost (<= 0). */
static double polish(ssw *w, const size_t *list, size_t no)
{
    const ap_problem *p = w->p;
    size_t nc = w->nc, ns = w->ns, i, i2, q, pass;
    double delta = 0;
    int improved = 1, exchanges = nc <= 3000;
    for (pass = 0; pass < 20 && improved; pass++) {
        improved = 0;
        for (i = 0; i < nc; i++) {
            size_t s = (size_t)w->asg[i];
            double di = p->demand[i];
            for (q = 0; q < no; q++) {
                size_t t = list[q];
                double g1 = di * (p->cost[i * ns + t] - p->cost[i * ns + s]);
                if (t == s || !(g1 < -1e-12))
                    continue;
                if (w->load[t] + di <= p->cap[t] + 1e-9) {
                    w->load[t] += di, w->load[s] -= di;
                    w->asg[i] = (long)t, s = t;
                    delta += g1, improved = 1;
                    continue;
                }
                if (!exchanges)
                    continue;
                for (i2 = 0; i2 < nc; i2++) {
                    double d2 = p->demand[i2], g2;
                    if (w->asg[i2] != (long)t || !isfinite(p->cost[i2 * ns + s]))
                        continue;
                    g2 = d2 * (p->cost[i2 * ns + s] - p->cost[i2 * ns + t]);
                    if (!(g1 + g2 < -1e-12) || w->load[t] - d2 + di > p->cap[t] + 1e-9 ||
                        w->load[s] - di + d2 > p->cap[s] + 1e-9)
                        continue;
                    w->load[t] += di - d2, w->load[s] += d2 - di;
                    w->asg[i] = (long)t, w->asg[i2] = (long)s, s = t;
                    delta += g1 + g2, improved = 1;
                    break;
                }
            }
        }
    }
    return delta;
}

/* Turns the relaxed solution (sites sel, knapsacks w->x) into a plan in
 * w->asg; returns its objective, or INFINITY when the repair fails. */
static double repair(ssw *w, unsigned char *sel)
{
    const ap_problem *p = w->p;
    size_t nc = w->nc, ns = w->ns, i, j, q, no = 0, nu = 0;
    size_t *list = w->list;
    double z = 0;
    for (i = 0; i < nc; i++)
        w->asg[i] = -1;
    for (j = 0; j < ns; j++) {
        w->load[j] = 0;
        if (!sel[j])
            continue;
        list[no++] = j;
        for (i = 0; i < nc; i++) {
            long a = w->asg[i];
            if (!w->x[j * nc + i])
                continue;
            if (a < 0 || p->cost[i * ns + j] < p->cost[i * ns + (size_t)a]) {
                if (a >= 0)
                    w->load[a] -= p->demand[i];
                w->asg[i] = (long)j;
                w->load[j] += p->demand[i];
            }
        }
    }
    /* grid knapsacks may overfill a site: send its largest clients back */
    for (q = 0; q < no; q++) {
        j = list[q];
        while (w->load[j] > p->cap[j] + 1e-9) {
            long big = -1;
            for (i = 0; i < nc; i++)
                if (w->asg[i] == (long)j && (big < 0 || p->demand[i] > p->demand[big]))
                    big = (long)i;
            if (big < 0)
                break;
            w->asg[big] = -1;
            w->load[j] -= p->demand[big];
        }
    }
    for (i = 0; i < nc; i++)
        if (w->asg[i] < 0) {
            w->kv[nu].key = -p->demand[i];
            w->kv[nu++].j = i;
        }
    qsort(w->kv, nu, sizeof *w->kv, cmp_kv);
    for (q = 0; q < nu; q++) {
        size_t h, best = 0;
        double bc = INFINITY;
        i = w->kv[q].j;
        for (h = 0; h < no; h++) {
            double c = p->cost[i * ns + list[h]];
            if (c < bc && w->load[list[h]] + p->demand[i] <= p->cap[list[h]] + 1e-9)
                bc = c, best = list[h];
        }
        if (!isfinite(bc))
            return INFINITY;
        w->asg[i] = (long)best;
        w->load[best] += p->demand[i];
    }
    polish(w, list, no);
    for (j = 0; j < ns; j++)
        if (sel[j]) {
            if (!p->k && w->load[j] <= 0 && p->fcost[j] > 0 && !(p->pin && p->pin[j]))
                sel[j] = 0; /* k free: an empty site need not open */
            else
                z += p->fcost[j];
        }
    for (i = 0; i < nc; i++)
        z += p->demand[i] * p->cost[i * ns + (size_t)w->asg[i]];
    return z;
}

/* w->dp[c] = best value of site j's m gathered items within width c. */
static void dp_all(ssw *w, size_t m, size_t C)
{
    size_t t;
    long c;
    for (c = 0; c <= (long)C; c++)
        w->dp[c] = 0;
    for (t = 0; t < m; t++)
        for (c = (long)C; c >= w->wt[t]; c--)
            if (w->dp[c - w->wt[t]] + w->rv[t] < w->dp[c])
                w->dp[c] = w->dp[c - w->wt[t]] + w->rv[t];
}

/* Forward (F, items before t) and backward (B, items from t on) tables of
 * site j's knapsack, (m + 1) x (C + 1) each. */
static void tables(const ssw *w, size_t m, size_t C, double *F, double *B)
{
    size_t t, c, W1 = C + 1;
    for (c = 0; c <= C; c++)
        F[c] = 0, B[m * W1 + c] = 0;
    for (t = 0; t < m; t++) {
        const double *f0 = F + t * W1;
        double *f1 = F + (t + 1) * W1;
        size_t wt = (size_t)w->wt[t];
        for (c = 0; c <= C; c++)
            f1[c] = c >= wt && f0[c - wt] + w->rv[t] < f0[c] ? f0[c - wt] + w->rv[t] : f0[c];
    }
    for (t = m; t-- > 0;) {
        const double *b1 = B + (t + 1) * W1;
        double *b0 = B + t * W1;
        size_t wt = (size_t)w->wt[t];
        for (c = 0; c <= C; c++)
            b0[c] = c >= wt && b1[c - wt] + w->rv[t] < b1[c] ? b1[c - wt] + w->rv[t] : b1[c];
    }
}

/* Pair fixing at site j under the current multipliers: x_ij is fixed out
 * when base + (site j's value with client i forced in) reaches thr, where
 * base is the bound without site j's term.  ubs[i] is the incumbent's site
 * of client i (never fixed out).  F and B hold w->tcells cells each. */
static size_t fix_pairs(ssw *w, size_t j, double base, double thr, const long *ubs,
                        unsigned char *xfix, double *F, double *B)
{
    const ap_problem *p = w->p;
    size_t nc = w->nc, ns = w->ns, i, t, m, C, fixed = 0;
    long tw;
    int full;
    double fj = p->fcost[j];
    m = gather(w, j, &tw);
    if (w->W[j] < 0) {
        /* unlimited capacity: forcing i in adds its reduced cost if positive */
        double v = fj + w->base0[j];
        for (t = 0; t < m; t++)
            v += w->rv[t];
        for (i = 0; i < nc; i++) {
            double c = p->cost[i * ns + j], r;
            if (!isfinite(c) || ubs[i] == (long)j || xfix[i * ns + j])
                continue;
            r = p->demand[i] * c - w->lam[i];
            if (base + v + (r > 0 ? r : 0) >= thr)
                xfix[i * ns + j] = 1, fixed++;
        }
        return fixed;
    }
    C = (size_t)w->W[j];
    full = (m + 1) * (C + 1) <= w->tcells;
    if (full)
        tables(w, m, C, F, B);
    dp_all(w, m, C);
    /* items of the knapsack, forced in: the best of the others around it */
    for (t = 0; full && t < m; t++) {
        size_t R = C - (size_t)w->wt[t], a;
        const double *f = F + t * (C + 1), *b = B + (t + 1) * (C + 1);
        double best = INFINITY;
        i = w->item[t];
        if (ubs[i] == (long)j || xfix[i * ns + j])
            continue;
        for (a = 0; a <= R; a++)
            if (f[a] + b[R - a] < best)
                best = f[a] + b[R - a];
        if (base + fj + w->base0[j] + w->rv[t] + best >= thr)
            xfix[i * ns + j] = 1, fixed++;
    }
    /* clients that are not items: their weight leaves less room for all */
    for (i = 0; i < nc; i++) {
        double c = p->cost[i * ns + j], r;
        int wt;
        if (!isfinite(c) || ubs[i] == (long)j || xfix[i * ns + j] || w->x[j * nc + i])
            continue;
        r = p->demand[i] * c - w->lam[i];
        wt = weight(w, i, j);
        if (r < 0 && wt > 0) {
            /* an item (handled above) unless it cannot fit at all */
            if ((size_t)wt <= C)
                continue;
        }
        if ((size_t)wt > C || base + fj + w->base0[j] + r + w->dp[C - (size_t)wt] >= thr)
            xfix[i * ns + j] = 1, fixed++;
    }
    return fixed;
}

static void ssw_free(ssw *w)
{
    free(w->lam);
    free(w->v);
    free(w->base0);
    free(w->x);
    free(w->y);
    free(w->W);
    free(w->grid);
    free(w->item);
    free(w->wt);
    free(w->rv);
    free(w->dp);
    free(w->keep);
    free(w->asg);
    free(w->load);
    free(w->list);
    free(w->kv);
}

static int ssw_alloc(ssw *w, const ap_problem *p)
{
    size_t i, nc = p->nc, ns = p->ns, nmax = nc > ns ? nc : ns;
    memset(w, 0, sizeof *w);
    w->p = p;
    w->nc = nc;
    w->ns = ns;
    w->W = malloc(ns * sizeof *w->W);
    w->grid = malloc(ns * sizeof *w->grid);
    if (!w->W || !w->grid)
        return -1;
    set_grids(w);
    w->lam = malloc(nc * sizeof *w->lam);
    w->v = malloc(ns * sizeof *w->v);
    w->base0 = malloc(ns * sizeof *w->base0);
    w->x = calloc(ns * nc, 1);
    w->y = malloc(ns * sizeof *w->y);
    w->item = malloc(nc * sizeof *w->item);
    w->wt = malloc(nc * sizeof *w->wt);
    w->rv = malloc(nc * sizeof *w->rv);
    w->dp = malloc((w->width + 1) * sizeof *w->dp);
    w->keep = malloc(nc * (w->width + 1) + 1);
    w->asg = malloc(nc * sizeof *w->asg);
    w->load = malloc(ns * sizeof *w->load);
    w->list = malloc(ns * sizeof *w->list);
    for (i = 0; i < nc; i++)
        w->total += p->demand[i];
    w->kv = malloc(nmax * sizeof *w->kv);
    return w->lam && w->v && w->base0 && w->x && w->y && w->item && w->wt && w->rv && w->dp &&
           w->keep && w->asg && w->load && w->list && w->kv ? 0 : -1;
}

/* Knapsacks of the free sites and the relaxed site choice; the bound. */
static int relax(ssw *w, const unsigned char *fix, unsigned char *sel, double *sorted, choice *ch)
{
    size_t i, j;
    double sl = 0;
    for (j = 0; j < w->ns; j++)
        if (fix[j] != 1)
            knapsack(w, j);
        else
            w->v[j] = INFINITY;
    if (choose(w, fix, sel, sorted, ch))
        return -1;
    for (i = 0; i < w->nc; i++)
        sl += w->lam[i];
    ch->L += sl;
    ch->L0 += sl;
    return 0;
}

/* Site fixing from one relaxed solution (never against the incumbent). */
static void fix_sites(const ssw *w, const choice *ch, const unsigned char *sel, double thr,
                      const unsigned char *ub_open, unsigned char *fix)
{
    size_t j;
    int k = w->p->k;
    if (ch->forced)
        return;
    for (j = 0; j < w->ns; j++) {
        if (fix[j])
            continue;
        if (!sel[j]) {
            double lb1 = k ? ch->L + w->v[j] - ch->inmax : ch->L0 + w->v[j];
            if (lb1 >= thr && !ub_open[j])
                fix[j] = 1;
        } else {
            double lb0 = k ? ch->L - w->v[j] + ch->outmin : ch->L0 - w->v[j];
            if (lb0 >= thr && ub_open[j])
                fix[j] = 2;
        }
    }
}

/* The assignment in w->asg as the incumbent. */
static int take_plan(ssw *w, const unsigned char *sel, unsigned char *ub_open, ap__assign *ub_asg)
{
    size_t i;
    ap__assign_clear(ub_asg);
    for (i = 0; i < w->nc; i++)
        if (ap__assign_push(ub_asg, i, (size_t)w->asg[i], 1.0))
            return -1;
    memcpy(ub_open, sel, w->ns);
    return 0;
}

/* The search state of one run. */
typedef struct {
    const ap_solve_opts *o;
    double deadline;
    double ub, thr;
    unsigned char *ub_open, *trial;
    ap__assign *ub_asg, tmp, tmp2;
    ap__seen seen;                 /* site choices already improved by swaps */
    double gap_budget, gap_used;   /* seconds for exact assignments (0: none) */
    size_t ngap;
} incumbent;

/* A new incumbent of value z (open sites ub_open already set). */
static void improved_to(ssw *w, incumbent *in, double z, int integral, unsigned char *fix, const char *how)
{
    in->ub = z;
    in->thr = ap__lagr_threshold(integral, z);
    ap__lagr_unfix(fix, in->ub_open, w->ns);
    ap__log(in->o, AP_LOG_INFO, "lagrangian (single source) %s: incumbent %.10g", how, z);
}

/* The repaired plan's sites (in->trial, assignment w->asg) with the best
 * assignment to them (gap.c), within a share of the time left: the repair
 * and polish stop at local optima of the assignment.  0 or -1. */
static int exact_assignment(ssw *w, incumbent *in, int integral, unsigned char *fix, ap_error *err)
{
    const ap_problem *p = w->p;
    double now = ap__now(), z, stop;
    int proven, r;
    size_t i;
    if (!in->gap_budget || !(in->gap_used < in->gap_budget) || ap__stopped(in->deadline))
        return 0;
    stop = fmin(in->deadline, now + fmin(GAP_CALL, in->gap_budget - in->gap_used));
    ap__assign_clear(&in->tmp);
    for (i = 0; i < w->nc; i++)
        if (ap__assign_push(&in->tmp, i, (size_t)w->asg[i], 1.0)) {
            ap__err(err, AP_ENOMEM, NULL, "out of memory in Lagrangian heuristic");
            return -1;
        }
    r = ap__gap_exact(p, in->trial, &in->tmp, in->thr, stop, &in->tmp2, &z, &proven, err);
    in->gap_used += ap__now() - now;
    in->ngap++;
    if (r < 0)
        return -1;
    if (r == 0 && z < in->ub - 1e-9 * fabs(in->ub) && ap__changes_ok(p, in->trial)) {
        ap__assign sw = *in->ub_asg;
        *in->ub_asg = in->tmp2;
        in->tmp2 = sw;
        memcpy(in->ub_open, in->trial, w->ns);
        improved_to(w, in, z, integral, fix, "exact assignment");
    }
    return 0;
}

/* Relocation descent with exact assignments (gap.c) from the incumbent,
 * after the subgradient, until the Lagrangian's deadline (it stops in a
 * local optimum; on 200 clients that took 20-25 s, far more than the
 * exact assignments' share of the subgradient's time).  0 or -1. */
static int relocate(ssw *w, incumbent *in, int integral, unsigned char *fix, ap_error *err)
{
    double now = ap__now(), z = in->ub;
    size_t h, calls = 0;
    if (!in->gap_budget || ap__stopped(in->deadline) || in->ub_asg->na != w->nc)
        return 0;
    memcpy(in->trial, in->ub_open, w->ns);
    ap__assign_clear(&in->tmp2);
    for (h = 0; h < in->ub_asg->na; h++)
        if (ap__assign_push(&in->tmp2, in->ub_asg->client[h], in->ub_asg->site[h], 1.0)) {
            ap__err(err, AP_ENOMEM, NULL, "out of memory in Lagrangian heuristic");
            return -1;
        }
    if (ap__gap_descent(w->p, in->deadline, RELOCATE_CAND, integral, in->trial, &in->tmp2, &z, &calls, err))
        return -1;
    in->gap_used += ap__now() - now;
    in->ngap += calls;
    if (z < in->ub - 1e-9 * fabs(in->ub)) {
        ap__assign sw = *in->ub_asg;
        *in->ub_asg = in->tmp2;
        in->tmp2 = sw;
        memcpy(in->ub_open, in->trial, w->ns);
        improved_to(w, in, z, integral, fix, "relocation with exact assignments");
    }
    return 0;
}

/* Lagrangian heuristic: repair the relaxed solution; when it comes close to
 * the incumbent and its site choice is new, swap sites from it too.
 * 0 or -1 (out of memory). */
static int heuristic(ssw *w, incumbent *in, const unsigned char *sel, int integral, unsigned char *fix,
                     ap_error *err)
{
    const ap_problem *p = w->p;
    double z;
    memcpy(in->trial, sel, w->ns);
    z = repair(w, in->trial);
    if (!isfinite(z))
        return 0;
    if (z < in->ub - 1e-9 * fabs(in->ub)) {
        if (take_plan(w, in->trial, in->ub_open, in->ub_asg))
            goto oom;
        improved_to(w, in, z, integral, fix, "repair");
    }
    if (z <= in->ub * GAP_NEAR + 1e-9) {
        if (ap__seen_before(&in->seen, in->trial, w->ns))
            return 0;
        if (exact_assignment(w, in, integral, fix, err))
            return -1;
        if (!(z <= in->ub * 1.005 + 1e-9))
            return 0;
        if (ap__improve(p, in->o, in->deadline, in->trial, &in->tmp, err) < 0)
            return -1;
        z = ap__objective(p, in->trial, &in->tmp);
        if (z < in->ub - 1e-9 * fabs(in->ub) && ap__changes_ok(p, in->trial)) {
            ap__assign sw = *in->ub_asg;
            *in->ub_asg = in->tmp;
            in->tmp = sw;
            memcpy(in->ub_open, in->trial, w->ns);
            improved_to(w, in, z, integral, fix, "swaps");
        }
    }
    return 0;
oom:
    ap__err(err, AP_ENOMEM, NULL, "out of memory in Lagrangian heuristic");
    return -1;
}

/* Subgradient of the relaxed rows, 1 - sum_j y_j x_ij; its squared norm. */
static double subgradient(const ssw *w, double *g)
{
    size_t i, j, nc = w->nc;
    double norm = 0;
    for (i = 0; i < nc; i++)
        g[i] = 1;
    for (j = 0; j < w->ns; j++) {
        const unsigned char *x = w->x + j * nc;
        if (w->y[j] <= 0)
            continue;
        for (i = 0; i < nc; i++)
            if (x[i])
                g[i] -= w->y[j];
    }
    for (i = 0; i < nc; i++)
        norm += g[i] * g[i];
    return norm;
}

/* Fixing with the best multipliers: sites, then client-site pairs. */
static int final_fixing(ssw *w, incumbent *in, const double *bestlam, unsigned char *sel, double *sorted,
                        ap__lagr *out)
{
    const ap_problem *p = w->p;
    size_t i, j, h, nc = w->nc, ns = w->ns;
    long *ubs = malloc(nc * sizeof *ubs);
    double *F, *B;
    choice ch;
    int rc = -1;
    w->tcells = (nc + 1) * (w->width + 1);
    if (w->tcells > TABLE_MAX)
        w->tcells = TABLE_MAX;
    F = malloc(w->tcells * sizeof *F);
    B = malloc(w->tcells * sizeof *B);
    out->xfix = calloc(nc * ns, 1);
    if (!ubs || !F || !B || !out->xfix)
        goto done;
    memcpy(w->lam, bestlam, nc * sizeof *w->lam);
    if (relax(w, out->fix, sel, sorted, &ch)) {
        rc = 0;
        goto done;
    }
    fix_sites(w, &ch, sel, in->thr, in->ub_open, out->fix);
    for (i = 0; i < nc; i++)
        ubs[i] = -1;
    for (h = 0; h < in->ub_asg->na; h++)
        ubs[in->ub_asg->client[h]] = (long)in->ub_asg->site[h];
    for (j = 0; j < ns && !ch.forced; j++) {
        double base;
        if (out->fix[j] == 1 || ap__stopped(in->deadline))
            continue;
        if (p->k)
            base = sel[j] ? ch.L - w->v[j] : isfinite(ch.inmax) ? ch.L - ch.inmax : INFINITY;
        else
            base = sel[j] ? ch.L0 - w->v[j] : ch.L0;
        if (isfinite(base))
            out->nxfix += fix_pairs(w, j, base, in->thr, ubs, out->xfix, F, B);
    }
    rc = 0;
done:
    free(ubs);
    free(F);
    free(B);
    return rc;
}

int ap__lagrange_ss(const ap_problem *p, const ap_solve_opts *o, double deadline, double *ubp,
                    unsigned char *ub_open, ap__assign *ub_asg, ap__lagr *out, ap_error *err)
{
    ssw w;
    incumbent in;
    double t0 = ap__now(), lastlog = t0, mu = 2.0;
    /* the subgradient leaves the relocation descent its share of the time */
    double sg_dead = isfinite(deadline) ? t0 + (1 - GAP_SHARE) * (deadline - t0) : deadline;
    double *g = NULL, *sorted = NULL, *bestlam = NULL;
    unsigned char *sel = NULL;
    size_t i, j, h, it, maxit = 3000, nc = p->nc, ns = p->ns;
    int noimp = 0, rc = -1, integral;

    memset(out, 0, sizeof *out);
    memset(&in, 0, sizeof in);
    out->lb = -INFINITY;
    in.o = o;
    in.deadline = deadline;
    in.ub = *ubp;
    in.ub_open = ub_open;
    in.ub_asg = ub_asg;
    in.gap_budget = isfinite(deadline) ? GAP_SHARE * fmax(0, deadline - t0) : 10;
    out->fix = calloc(ns, 1);
    g = malloc(nc * sizeof *g);
    sorted = malloc(ns * sizeof *sorted);
    bestlam = malloc(nc * sizeof *bestlam);
    sel = malloc(ns);
    in.trial = malloc(ns);
    if (ssw_alloc(&w, p) || !out->fix || !g || !sorted || !bestlam || !sel || !in.trial)
        goto oom;
    out->integral = integral = ap__objective_integral(p);
    in.thr = ap__lagr_threshold(integral, in.ub);
    for (j = 0; j < ns; j++)
        if (p->pin && p->pin[j])
            out->fix[j] = 2;
    /* start: each client's multiplier at its cost in the incumbent */
    for (i = 0; i < nc; i++)
        w.lam[i] = 0;
    for (h = 0; h < ub_asg->na; h++)
        w.lam[ub_asg->client[h]] += ub_asg->share[h] * p->demand[ub_asg->client[h]] *
                                    p->cost[ub_asg->client[h] * ns + ub_asg->site[h]];
    memcpy(bestlam, w.lam, nc * sizeof *bestlam);
    /* the incumbent's sites with their best assignment */
    memcpy(in.trial, ub_open, ns);
    for (h = 0; h < ub_asg->na; h++)
        w.asg[ub_asg->client[h]] = (long)ub_asg->site[h];
    if (ub_asg->na == nc && exact_assignment(&w, &in, integral, out->fix, err))
        goto done;
    for (it = 0; it < maxit; it++) {
        choice ch;
        double norm, before = out->lb;
        if ((it & 7) == 0 && ap__stopped(sg_dead))
            break;
        if ((it & 7) == 0)
            ap__lagr_progress(o, t0, &lastlog, "lagrangian (single source)", out->lb, in.ub, it);
        if (relax(&w, out->fix, sel, sorted, &ch))
            break; /* fixing left fewer than k sites: cannot happen with an incumbent */
        ap__lagr_record(out, ch.L, &mu, &noimp);
        out->iters = it + 1;
        if (out->lb > before)
            memcpy(bestlam, w.lam, nc * sizeof *bestlam);
        norm = subgradient(&w, g);
        if ((it % 5 == 0 || norm == 0) && heuristic(&w, &in, sel, integral, out->fix, err))
            goto done;
        if (out->lb >= in.thr) {
            out->proven = 1;
            break;
        }
        fix_sites(&w, &ch, sel, in.thr, ub_open, out->fix);
        if (norm == 0 || mu < 1e-4)
            break;
        ap__lagr_step(w.lam, g, nc, mu, in.ub, ch.L, norm);
    }
    if (!out->proven && relocate(&w, &in, integral, out->fix, err))
        goto done;
    if (!out->proven && out->lb >= in.thr)
        out->proven = 1;
    if (!out->proven && isfinite(out->lb) && final_fixing(&w, &in, bestlam, sel, sorted, out))
        goto oom;
    *ubp = in.ub;
    if (isfinite(out->lb)) {
        out->mult = bestlam; /* for the Lagrangian cuts of the branch-and-cut (ss_node.c) */
        bestlam = NULL;
    }
    ap__lagr_finish(o, p, out, "lagrangian (single source)");
    if (out->xfix)
        ap__log(o, AP_LOG_INFO, "lagrangian (single source): %zu of %zu client-site pairs fixed out",
                out->nxfix, nc * ns);
    if (in.ngap)
        ap__log(o, AP_LOG_INFO, "lagrangian (single source): %zu exact assignments in %.2fs", in.ngap,
                in.gap_used);
    rc = 0;
    goto done;
oom:
    ap__err(err, AP_ENOMEM, NULL, "out of memory in Lagrangian bound");
done:
    ssw_free(&w);
    free(g);
    free(sorted);
    free(bestlam);
    free(sel);
    free(in.trial);
    ap__assign_free(&in.tmp);
    ap__assign_free(&in.tmp2);
    if (rc) {
        free(out->fix);
        free(out->xfix);
        out->fix = out->xfix = NULL;
    }
    return rc;
}
