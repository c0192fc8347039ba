/* ss_node.c - a Lagrangian bound at every node of the single-source
 * capacitated branch-and-cut (ilp.c), where the LP bound is weak.
 *
 * Relaxing the assignment rows (sum_j x_ij = 1) with multipliers lambda_i
 * leaves one 0-1 knapsack per site (lagrange_ss.c explains the bound); at a
 * node of GLPK's tree the knapsacks also obey the node's column bounds: an
 * x_ij fixed to 0 is no item, one fixed to 1 is taken and uses capacity
 * (and opens its site), a site fixed closed is no choice.  The node's LP
 * duals of the assignment rows are the first multipliers (their Lagrangian
 * value is at least the node's LP value without GLPK's cuts), and a few
 * subgradient steps move them towards the knapsacks' bound, which sees that
 * a client cannot be split (at most 40 steps, fewer when stalls have
 * halved the step nine times; 100 steps, and 20, took longer on the
 * n = 100, p = 10 instances of bench/pmedcap.sh).  Against GLPK's
 * incumbent, a node whose bound reaches it is dropped (a row that makes
 * its LP infeasible); at the others the relaxation at the best multipliers
 * fixes sites open or closed (fix_sites) and client-site pairs out
 * (fix_pairs), as column bounds of the node, which GLPK keeps for the
 * node's subtree only (as it does with its own branching and reduced-cost
 * fixing), so nothing leaks to the siblings.  An objective row
 * "objective >= bound" at every node was tried first: its dense rows
 * slowed GLPK's cut generators (MIR) three-fold per node, more than the
 * bound saved.
 *
 * At the root, the root Lagrangian's multipliers (ap__ssnode_seed) give
 * the Lagrangian cuts (add_cuts) that the LP solution violates, which
 * raise the LP bound towards the Lagrangian bound (s12 of bench/pmedcap.sh:
 * 1,072.9 -> 1,078.4, the Lagrangian 1,081.2).  All of them (which reach
 * it), followed by rounds of cuts at the LP's duals, made every node's LP
 * dearer: the n = 100, p = 10 instances took 37.3 s in all instead of 36.1,
 * with fractional demands 57.2 s instead of 49.9.  The same cuts at every
 * node (with the node's multipliers) halved the tree but also made each
 * node's LP dearer, for no gain in time.  The tree
 * branches on site variables by pseudocosts (ap__ssnode_branch): the LP
 * value a branch on y_j added per unit of change, learned from the
 * children's first LPs (most fractional until both sides have some).
 *
 * With integer demands and capacities up to 8,192 the knapsacks are solved
 * exactly by dynamic programming over the capacity, whose tables also give
 * the exact cost of forcing a pair in.  Other demands (fractional, or large
 * like request counts) take the knapsack in its cover form, by
 * branch-and-bound on the real demands (cover.c: which items to leave out
 * so that the rest fits), its LP when the search is cut short; forcing a
 * pair in is then priced by the cover's LP without that item. */
#include "glpk_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NODE_WIDTH 8192      /* largest capacity solved by the DP */
#define NODE_CELLS 16000000  /* keep table: items x (capacity + 1) */
#define NODE_ITERS 40        /* subgradient steps at a node */
#define NODE_STALL 8         /* steps without a better bound halve the step */
#define NODE_COVER 2000      /* branch-and-bound nodes of one knapsack (cover form) */

struct ap__ssnode {
    const ap_problem *p;
    size_t nc, ns;
    int first_row;          /* the assignment row of client 0 */
    size_t *soff;           /* ns + 1: site j's pairs are pairs[soff[j] ..) */
    size_t *pcli;           /* client of each pair */
    int *pcol;              /* column of each pair */
    int *W;                 /* ns: capacity (-1: none) */
    double *lam, *best_lam, *g, *v, *dp;
    int have_best;                /* best_lam: the last node's best multipliers */
    unsigned char *keep, *take;   /* keep: DP choices; take: per pair */
    unsigned char *sel;           /* ns: site chosen */
    double *sorted;               /* ns: scratch of relax */
    signed char *yst;             /* ns: -1 closed, 0 free, 1 open */
    unsigned char *forced;        /* ns: a pair fixed to 1 opens the site */
    signed char *pst;             /* per pair: -1 fixed to 0, 0 free, 1 fixed to 1 */
    size_t *item;
    int *wt;
    double *rv;
    long kC;                /* the last knapsack's capacity left (-1: none) */
    int kdp;                /* and whether s->dp (or s->cv) holds its table */
    /* demands that are not small integers: knapsacks in cover form */
    int real;
    ap__cover cv;           /* the last knapsack's items, cheapest to leave out first */
    size_t *pos;            /* per pair: its position in cv (SIZE_MAX: none) */
    double kroom;           /* the last knapsack's room left (INFINITY: none) */
    double kneed, kval;     /* its demand to leave out, and the least cost of that */
    double *key;            /* nc: scratch of the order */
    size_t *ord, *otmp;
    uint64_t *obits;
    int *cind;              /* nc + 2: a cut's columns */
    double *cval;           /* nc + 2: and coefficients */
    int last_node;
    long calls, pruned, fixed, pairs;  /* nodes seen, dropped; sites, pairs fixed */
    long cuts;              /* Lagrangian cuts added */
    /* pseudocosts of the site variables: the LP value a branch added per
     * unit of change, summed ([0] down, [1] up), and how many branches */
    double *pc_sum[2];
    long *pc_n[2];
    double secs;
};

void ap__ssnode_free(ap__ssnode *s)
{
    if (!s)
        return;
    free(s->soff);
    free(s->pcli);
    free(s->pcol);
    free(s->W);
    free(s->lam);
    free(s->best_lam);
    free(s->g);
    free(s->v);
    free(s->dp);
    free(s->keep);
    free(s->take);
    free(s->sel);
    free(s->sorted);
    free(s->yst);
    free(s->forced);
    free(s->pst);
    free(s->item);
    free(s->wt);
    free(s->rv);
    free(s->pos);
    free(s->key);
    free(s->ord);
    free(s->otmp);
    free(s->obits);
    free(s->cind);
    free(s->cval);
    free(s->pc_sum[0]);
    free(s->pc_sum[1]);
    free(s->pc_n[0]);
    free(s->pc_n[1]);
    ap__cover_free(&s->cv);
    free(s);
}

/* 1 when the demands and capacities suit the exact DP (the largest
 * capacity in *wmax), 0 when they take the cover form, -1 when neither
 * (a demand or capacity negative, NaN or infinite demand). */
static int suits(const ap_problem *p, int *wmax)
{
    size_t i, j;
    int exact = 1;
    *wmax = 0;
    for (i = 0; i < p->nc; i++) {
        if (!isfinite(p->demand[i]) || p->demand[i] < 0)
            return -1;
        if (p->demand[i] != floor(p->demand[i]))
            exact = 0;
    }
    for (j = 0; j < p->ns; j++) {
        double q = p->cap[j];
        if (!(q >= 0))
            return -1;
        if (!isfinite(q))
            continue;
        if (q > NODE_WIDTH)
            exact = 0;
        else if ((int)q > *wmax)
            *wmax = (int)q;
    }
    if (exact && p->nc * ((size_t)*wmax + 1) > NODE_CELLS)
        exact = 0;
    return exact;
}

ap__ssnode *ap__ssnode_new(const ap_problem *p, const int *xcol, int first_row)
{
    ap__ssnode *s;
    size_t i, j, n = 0, nc = p->nc, ns = p->ns;
    int wmax, exact = p->single_source ? suits(p, &wmax) : -1;
    if (exact < 0 || !(s = calloc(1, sizeof *s)))
        return NULL;
    if (!exact) {
        s->real = 1;
        wmax = 0;
    }
    s->p = p;
    s->nc = nc;
    s->ns = ns;
    s->first_row = first_row;
    s->last_node = -1;
    for (i = 0; i < nc * ns; i++)
        n += xcol[i] != 0;
    s->soff = malloc((ns + 1) * sizeof *s->soff);
    s->pcli = malloc((n + 1) * sizeof *s->pcli);
    s->pcol = malloc((n + 1) * sizeof *s->pcol);
    s->W = malloc(ns * sizeof *s->W);
    s->lam = malloc(nc * sizeof *s->lam);
    s->best_lam = malloc(nc * sizeof *s->best_lam);
    s->g = malloc(nc * sizeof *s->g);
    s->v = malloc(ns * sizeof *s->v);
    s->dp = malloc(((size_t)wmax + 1) * sizeof *s->dp);
    s->keep = malloc(nc * ((size_t)wmax + 1) + 1);
    s->take = malloc(n + 1);
    s->sel = malloc(ns);
    s->sorted = malloc((ns + 1) * sizeof *s->sorted);
    s->yst = malloc(ns);
    s->forced = malloc(ns);
    s->pst = malloc(n + 1);
    s->item = malloc((nc + 1) * sizeof *s->item);
    s->wt = malloc((nc + 1) * sizeof *s->wt);
    s->rv = malloc((nc + 1) * sizeof *s->rv);
    s->cind = malloc((nc + 2) * sizeof *s->cind);
    s->cval = malloc((nc + 2) * sizeof *s->cval);
    s->pc_sum[0] = calloc(ns + 1, sizeof *s->pc_sum[0]);
    s->pc_sum[1] = calloc(ns + 1, sizeof *s->pc_sum[1]);
    s->pc_n[0] = calloc(ns + 1, sizeof *s->pc_n[0]);
    s->pc_n[1] = calloc(ns + 1, sizeof *s->pc_n[1]);
    if (!s->pc_sum[0] || !s->pc_sum[1] || !s->pc_n[0] || !s->pc_n[1] || !s->cind || !s->cval || !s->soff ||
        !s->pcli || !s->pcol || !s->W || !s->lam || !s->best_lam || !s->g || !s->v || !s->dp || !s->keep ||
        !s->take || !s->sel || !s->sorted || !s->yst || !s->forced || !s->pst || !s->item || !s->wt || !s->rv) {
        ap__ssnode_free(s);
        return NULL;
    }
    if (s->real) {
        s->pos = malloc((n + 1) * sizeof *s->pos);
        s->key = malloc((nc + 1) * sizeof *s->key);
        s->ord = malloc((nc + 1) * sizeof *s->ord);
        s->otmp = malloc((nc + 1) * sizeof *s->otmp);
        s->obits = malloc((nc + 1) * sizeof *s->obits);
        if (!s->pos || !s->key || !s->ord || !s->otmp || !s->obits || ap__cover_init(&s->cv, nc + 1)) {
            ap__ssnode_free(s);
            return NULL;
        }
    }
    for (n = 0, j = 0; j < ns; j++) {
        s->soff[j] = n;
        s->W[j] = isfinite(p->cap[j]) ? (int)p->cap[j] : -1;
        for (i = 0; i < nc; i++)
            if (xcol[i * ns + j]) {
                s->pcli[n] = i;
                s->pcol[n++] = xcol[i * ns + j];
            }
    }
    s->soff[ns] = n;
    return s;
}

/* Site j's knapsack (as site_knapsack below) with real demands: the items (pairs of negative reduced
 * cost r that fit) in cover form, the least r / d to leave out first; the
 * demand beyond the room (kneed) is left out at the least cost (kval: the
 * branch-and-bound's, or its LP when the search was cut short, a lower
 * bound either way, so v_j stays a bound).  s->take: the items kept. */
static void site_knapsack_real(ap__ssnode *s, size_t j, int *forced)
{
    const ap_problem *p = s->p;
    size_t h, m = 0, t;
    double room = isfinite(p->cap[j]) ? p->cap[j] : INFINITY, tw = 0, val = p->fcost[j], cv;
    double tol = 1e-9 * (1 + fabs(room));
    *forced = 0;
    s->kdp = 0;
    for (h = s->soff[j]; h < s->soff[j + 1]; h++) {
        size_t i = s->pcli[h];
        double d = p->demand[i], r = d * p->cost[i * s->ns + j] - s->lam[i];
        s->take[h] = 0;
        s->pos[h] = SIZE_MAX;
        if (s->pst[h] < 0)
            continue;
        if (s->pst[h] > 0) {
            s->take[h] = 1;
            val += r;
            *forced = 1;
            room -= d;
            continue;
        }
        if (!(r < 0) || d > p->cap[j] + tol)
            continue;
        val += r; /* taken, unless the cover leaves it out */
        s->take[h] = 1;
        if (d > 0) {
            s->item[m] = h;
            s->rv[m] = r;
            s->key[m++] = -r / d;
            tw += d;
        }
    }
    s->kroom = room;
    if (room < -tol) {
        s->v[j] = INFINITY;
        return;
    }
    if (tw <= room + tol) {
        s->v[j] = val;
        return;
    }
    ap__radix_order(s->key, m, 0, s->ord, s->obits, s->otmp);
    for (t = 0; t < m; t++) {
        size_t hh = s->item[s->ord[t]];
        s->cv.v[t] = -s->rv[s->ord[t]];
        s->cv.q[t] = p->demand[s->pcli[hh]];
        s->cv.id[t] = hh;
        s->pos[hh] = t;
    }
    s->cv.n = m;
    s->kneed = tw - room;
    if (!ap__cover_solve(&s->cv, s->kneed, INFINITY, 0, NODE_COVER, &cv) || !isfinite(cv))
        cv = ap__cover_lp(&s->cv, s->kneed - tol, SIZE_MAX);
    for (t = 0; t < s->cv.nbest; t++)
        s->take[s->cv.id[s->cv.best[t]]] = 0;
    s->kval = cv;
    s->kdp = 1;
    s->v[j] = val + cv;
}

/* The least cost of forcing pair h into the knapsack site_knapsack_real
 * solved last (r: its reduced cost), beyond that knapsack's value: an item
 * left out is kept, another pair takes its demand out of the room. */
static double force_cost_real(const ap__ssnode *s, size_t h, double r)
{
    double d = s->p->demand[s->pcli[h]], tol = 1e-9 * (1 + fabs(s->kroom));
    if (d > s->kroom + tol)
        return INFINITY;
    if (!s->kdp)
        return fmax(r, 0);
    if (s->pos[h] != SIZE_MAX)
        return ap__cover_lp(&s->cv, s->kneed - tol, s->pos[h]) - s->kval;
    return r + ap__cover_lp(&s->cv, s->kneed + d - tol, SIZE_MAX) - s->kval;
}

/* Site j's knapsack at the node under s->lam: s->v[j] (opening cost
 * included) and s->take for its pairs; INFINITY when the pairs fixed to 1
 * exceed the capacity. */
static void site_knapsack(ap__ssnode *s, size_t j, int *forced)
{
    const ap_problem *p = s->p;
    size_t h, m = 0, t;
    long C = s->W[j], tw = 0;
    double val = p->fcost[j];
    if (s->real) {
        site_knapsack_real(s, j, forced);
        return;
    }
    *forced = 0;
    for (h = s->soff[j]; h < s->soff[j + 1]; h++) {
        size_t i = s->pcli[h];
        double r = p->demand[i] * p->cost[i * s->ns + j] - s->lam[i];
        s->take[h] = 0;
        if (s->pst[h] < 0)
            continue;
        if (s->pst[h] > 0) {
            s->take[h] = 1;
            val += r;
            *forced = 1;
            if (C >= 0)
                C -= (long)p->demand[i];
            continue;
        }
        if (!(r < 0))
            continue;
        if (s->W[j] >= 0 && p->demand[i] > s->W[j])
            continue;
        s->item[m] = h;
        s->wt[m] = (int)p->demand[i];
        s->rv[m++] = r;
        tw += (long)p->demand[i];
    }
    s->kC = s->W[j] < 0 ? -1 : C;
    s->kdp = 0;
    if (s->W[j] >= 0 && C < 0) {
        s->v[j] = INFINITY;
        return;
    }
    if (s->W[j] < 0 || tw <= C) {
        for (t = 0; t < m; t++) {
            s->take[s->item[t]] = 1;
            val += s->rv[t];
        }
        s->v[j] = val;
        return;
    }
    s->kdp = 1;
    val += ap__knapsack01(m, s->item, s->wt, s->rv, C, s->dp, s->keep, s->take);
    s->v[j] = val;
}

double ap__pick_least(const double *v, const signed char *yst, unsigned char *sel, size_t ns, size_t need,
                      double *sorted)
{
    size_t j, n = 0;
    double kth, sum = 0;
    if (!need)
        return 0;
    for (j = 0; j < ns; j++)
        if (!sel[j] && yst[j] >= 0)
            sorted[n++] = v[j];
    if (n < need)
        return INFINITY;
    qsort(sorted, n, sizeof *sorted, ap__cmp_dbl);
    kth = sorted[need - 1];
    /* every site below the need-th value, then ties at it: taking ties in
     * index order first could leave out a cheaper site (sites with the
     * same costs, as co-located PIDs have, tie exactly) */
    for (j = 0; j < ns && need; j++)
        if (!sel[j] && yst[j] >= 0 && v[j] < kth) {
            sel[j] = 1;
            sum += v[j];
            need--;
        }
    for (j = 0; j < ns && need; j++)
        if (!sel[j] && yst[j] >= 0 && v[j] == kth) {
            sel[j] = 1;
            sum += v[j];
            need--;
        }
    return sum;
}

/* The relaxation's value at s->lam (s->sel: the chosen sites), INFINITY
 * when the node admits no choice. */
static double relax(ap__ssnode *s)
{
    const ap_problem *p = s->p;
    size_t i, j, nfree = 0, nopen = 0;
    double L = 0;
    for (i = 0; i < s->nc; i++)
        L += s->lam[i];
    for (j = 0; j < s->ns; j++) {
        int forced;
        s->sel[j] = 0;
        s->forced[j] = 0;
        if (s->yst[j] < 0)
            continue;
        site_knapsack(s, j, &forced);
        s->forced[j] = (unsigned char)forced;
        if (s->v[j] == INFINITY)
            return INFINITY;
        if (s->yst[j] > 0 || forced) {
            s->sel[j] = 1;
            L += s->v[j];
            nopen++;
        } else {
            nfree++;
        }
    }
    if (p->k > 0) {
        size_t k = (size_t)p->k;
        if (nopen > k || nopen + nfree < k)
            return INFINITY;
        return L + ap__pick_least(s->v, s->yst, s->sel, s->ns, k - nopen, s->sorted);
    }
    for (j = 0; j < s->ns; j++)
        if (!s->sel[j] && s->yst[j] >= 0 && s->v[j] < 0) {
            s->sel[j] = 1;
            L += s->v[j];
        }
    return L;
}

/* Subgradient of the assignment rows at the chosen knapsacks; its norm. */
static double subgradient(ap__ssnode *s)
{
    size_t i, j, h;
    double norm = 0;
    for (i = 0; i < s->nc; i++)
        s->g[i] = 1;
    for (j = 0; j < s->ns; j++)
        if (s->sel[j])
            for (h = s->soff[j]; h < s->soff[j + 1]; h++)
                if (s->take[h])
                    s->g[s->pcli[h]] -= 1;
    for (i = 0; i < s->nc; i++)
        norm += s->g[i] * s->g[i];
    return norm;
}

/* The node's sites and pairs fixed closed / open (its column bounds). */
static void read_node(ap__ssnode *s, glp_prob *P)
{
    size_t h, j;
    for (j = 0; j < s->ns; j++) {
        double lb = glp_get_col_lb(P, (int)j + 1), yub = glp_get_col_ub(P, (int)j + 1);
        s->yst[j] = yub < 0.5 ? -1 : lb > 0.5 ? 1 : 0;
    }
    for (h = 0; h < s->soff[s->ns]; h++)
        s->pst[h] = glp_get_col_ub(P, s->pcol[h]) < 0.5 ? -1 : glp_get_col_lb(P, s->pcol[h]) > 0.5 ? 1 : 0;
}

/* The best Lagrangian bound of the node in a few subgradient steps from
 * the better of two starts: the node's LP duals and the last node's best
 * multipliers (often its parent's or sibling's).  Stops at thr (the node
 * can be pruned). */
static double node_bound(ap__ssnode *s, glp_prob *P, double ub, double thr, int iters)
{
    size_t i;
    double best = -INFINITY, mu = 0.5;
    int it, flat = 0;
    read_node(s, P);
    for (i = 0; i < s->nc; i++)
        s->lam[i] = glp_get_row_dual(P, s->first_row + (int)i);
    {
        double L = relax(s);
        if (L == INFINITY)
            return INFINITY;
        if (s->have_best) {
            double *t = s->lam;
            s->lam = s->best_lam;
            s->best_lam = t;
            if (relax(s) < L) {
                t = s->lam;
                s->lam = s->best_lam;
                s->best_lam = t;
            }
        }
    }
    for (it = 0; it < iters; it++) {
        double L = relax(s), norm;
        if (L == INFINITY)
            return INFINITY;
        if (L > best + 1e-9 * fmax(1.0, fabs(L))) {
            best = L;
            flat = 0;
            memcpy(s->best_lam, s->lam, s->nc * sizeof *s->lam);
            s->have_best = 1;
        } else if (++flat >= NODE_STALL) {
            mu /= 2;
            flat = 0;
            if (mu < 1e-3)
                break;
        }
        if (best >= thr)
            break;
        norm = subgradient(s);
        if (norm == 0)
            break; /* the relaxed solution assigns every client once: L is the node's optimum */
        /* towards the incumbent, or just above the best bound when it is
         * that close (objectives that are not integers) */
        ap__lagr_step(s->lam, s->g, s->nc, mu, fmax(ub, best + 1e-6 * fmax(1.0, fabs(best))), L, norm);
    }
    return best;
}

/* Fixes column c to v in the node (GLPK keeps a node's bound changes for
 * its subtree, as its own branching and reduced-cost fixing do); 1 when
 * the node's LP solution changes with it. */
static int fix_col(glp_prob *P, int c, double v)
{
    glp_set_col_bnds(P, c, GLP_FX, v, v);
    return fabs(glp_get_col_prim(P, c) - v) > 1e-9;
}

/* Site fixing at the node from the relaxation at its best multipliers
 * (value L < thr): a free site left out whose opening, in place of the
 * dearest free site chosen, lifts L to thr is closed in the node's
 * subtree; a free site chosen whose closing, for the cheapest left out,
 * does so is opened.  Without k: opening adds max(v_j, 0), closing
 * removes min(v_j, 0).  *changed: the LP solution changed. */
static long fix_sites(ap__ssnode *s, glp_prob *P, double L, double thr, double *inmax, int *changed)
{
    size_t j;
    double outmin = INFINITY;
    long n = 0;
    *inmax = -INFINITY;
    for (j = 0; j < s->ns; j++) {
        if (s->yst[j] != 0 || s->forced[j])
            continue;
        if (s->sel[j] && s->v[j] > *inmax)
            *inmax = s->v[j];
        if (!s->sel[j] && s->v[j] < outmin)
            outmin = s->v[j];
    }
    for (j = 0; j < s->ns; j++) {
        double up, down;
        if (s->yst[j] != 0 || s->forced[j])
            continue;
        up = s->p->k > 0 ? L + s->v[j] - *inmax : L + fmax(s->v[j], 0);
        down = s->p->k > 0 ? L - s->v[j] + outmin : L - fmin(s->v[j], 0);
        if (!s->sel[j] && up >= thr) {
            *changed |= fix_col(P, (int)j + 1, 0);
            s->yst[j] = -1;
            n++;
        } else if (s->sel[j] && down >= thr) {
            *changed |= fix_col(P, (int)j + 1, 1);
            s->yst[j] = 1;
            n++;
        }
    }
    return n;
}

/* Pair fixing at the node, after fix_sites: client i can go to site j
 * only if j is open, at the cost of opening it (0 when chosen, else v_j
 * less the dearest free site chosen, or v_j without k) and of forcing i
 * into j's knapsack, at least r_ij + dp[C - d_i] - dp[C] over the DP
 * table of the other items (r_ij when every item fits, impossible when
 * d_i exceeds the room left C).  When that lifts L to thr, x_ij = 0 in
 * the node's subtree.  How many pairs were fixed. */
static long fix_pairs(ap__ssnode *s, glp_prob *P, double L, double thr, double inmax, int *changed)
{
    const ap_problem *p = s->p;
    size_t j, h;
    long n = 0;
    for (j = 0; j < s->ns; j++) {
        double open, v = s->v[j];
        int forced;
        if (s->yst[j] < 0)
            continue;
        open = s->sel[j] ? 0 : p->k > 0 ? v - inmax : v;
        if (!(L + open < thr))
            continue; /* (fix_sites closes such a site when it is free) */
        site_knapsack(s, j, &forced);
        for (h = s->soff[j]; h < s->soff[j + 1]; h++) {
            size_t i = s->pcli[h];
            double r = p->demand[i] * p->cost[i * s->ns + j] - s->lam[i], inc;
            if (s->pst[h] != 0 || s->take[h])
                continue;
            if (s->real)
                inc = force_cost_real(s, h, r);
            else if (s->kC >= 0 && p->demand[i] > s->kC)
                inc = INFINITY;
            else if (s->kdp)
                inc = r + s->dp[s->kC - (long)p->demand[i]] - s->dp[s->kC];
            else
                inc = fmax(r, 0);
            if (L + open + inc >= thr) {
                *changed |= fix_col(P, s->pcol[h], 0);
                s->pst[h] = -1;
                n++;
            }
        }
    }
    return n;
}

/* Lagrangian cuts, from the relaxation at s->lam (relax() computed s->v)
 * under the node's state (at the root: the root's): for every site j not
 * closed, with w_j = v_j - f_j its
 * knapsack's least value, no set of clients that fits in j costs less than
 * w_j at the reduced costs r_ij = d_i c_ij - lambda_i, nor does the part of
 * it with r_ij < 0 (a subset of a set that fits fits too), so
 *     sum_{i free, r_ij < 0} r_ij x_ij + sum_{i fixed in j} r_ij x_ij >= w_j y_j
 * holds for every plan of the node's subtree (y_j = 0 empties j).  With all
 * of them the node's LP value is at least the relaxation's (the objective
 * is sum_j (sum_i r_ij x_ij + f_j y_j) + sum_i lambda_i), so GLPK's own
 * node bounds, its choice of the next node and its branching see what the
 * knapsacks see.  Only rows the LP solution violates are added (rows added
 * at a node hold in its subtree; at the root, everywhere).  How many were
 * added. */
static int add_cuts(ap__ssnode *s, glp_prob *P)
{
    const ap_problem *p = s->p;
    size_t j, h;
    int added = 0;
    for (j = 0; j < s->ns; j++) {
        double w = s->v[j] - p->fcost[j], lhs = 0, yv, tol;
        int n = 0, r;
        if (s->yst[j] < 0 || !isfinite(s->v[j]) || !(w < 0))
            continue;
        for (h = s->soff[j]; h < s->soff[j + 1]; h++) {
            size_t i = s->pcli[h];
            double rv = p->demand[i] * p->cost[i * s->ns + j] - s->lam[i];
            if (s->pst[h] < 0 || (s->pst[h] == 0 && (!(rv < 0) || p->demand[i] > p->cap[j])))
                continue;
            s->cind[++n] = s->pcol[h];
            s->cval[n] = rv;
            lhs += rv * glp_get_col_prim(P, s->pcol[h]);
        }
        /* a little below w_j: the knapsack's value is a sum of doubles */
        w -= 1e-9 * (1 + fabs(w)) * (n + 1);
        yv = glp_get_col_prim(P, (int)j + 1);
        tol = 1e-6 * (1 + fabs(w));
        if (lhs - w * yv >= -tol)
            continue;
        s->cind[++n] = (int)j + 1;
        s->cval[n] = -w;
        r = glp_add_rows(P, 1);
        glp_set_row_bnds(P, r, GLP_LO, 0, 0);
        glp_set_mat_row(P, r, n, s->cind, s->cval);
        added++;
    }
    s->cuts += added;
    return added;
}

void ap__ssnode_seed(ap__ssnode *s, const double *lam)
{
    memcpy(s->best_lam, lam, s->nc * sizeof *lam);
    s->have_best = 1;
}

/* The bound GLPK's node data keeps (iocp.cb_size = sizeof of this). */
typedef struct {
    double L;
    int set;
    int bvar;       /* the site column the node branched on (0: none) */
    double frac;    /* its LP value then */
    double z;       /* and the node's LP value */
} node_data;

size_t ap__ssnode_data_size(void)
{
    return sizeof(node_data);
}

/* Records L as a bound of node p's subtree (the largest seen). */
static void keep_bound(glp_tree *T, int p, double L)
{
    node_data *d = glp_ios_node_data(T, p);
    if (d && (!d->set || L > d->L)) {
        d->L = L;
        d->set = 1;
    }
}

double ap__ssnode_global_bound(glp_tree *T)
{
    double g = INFINITY;
    int p;
    for (p = glp_ios_next_node(T, 0); p; p = glp_ios_next_node(T, p)) {
        double b = glp_ios_node_bound(T, p);
        int q;
        /* a subtree's bound holds for every node below it */
        for (q = p; q; q = glp_ios_up_node(T, q)) {
            node_data *d = glp_ios_node_data(T, q);
            if (d && d->set) {
                b = fmax(b, d->L);
                break;
            }
        }
        if (b < g)
            g = b;
    }
    return g;
}

/* A child's first LP (value z, before this file's rows) against its
 * parent's: the pseudocost of the site its parent branched on. */
static void observe(ap__ssnode *s, glp_tree *T, int node, double z)
{
    int up = glp_ios_up_node(T, node), c, dir;
    node_data *d = up ? glp_ios_node_data(T, up) : NULL;
    glp_prob *P = glp_ios_get_prob(T);
    double unit;
    if (!d || !d->bvar || !isfinite(z) || !isfinite(d->z))
        return;
    c = d->bvar;
    if (glp_get_col_ub(P, c) < 0.5)
        dir = 0, unit = d->frac;
    else if (glp_get_col_lb(P, c) > 0.5)
        dir = 1, unit = 1 - d->frac;
    else
        return;
    if (unit < 1e-6)
        return;
    s->pc_sum[dir][c - 1] += fmax(0, z - d->z) / unit;
    s->pc_n[dir][c - 1]++;
}

int ap__ssnode_branch(ap__ssnode *s, glp_tree *T)
{
    glp_prob *P = glp_ios_get_prob(T);
    int j, jb = 0, node = glp_ios_curr_node(T);
    double avg[2], bs = -1, bf = -1, vb = 0;
    long tot[2] = {0, 0};
    node_data *d = glp_ios_node_data(T, node);
    for (int dir = 0; dir < 2; dir++) {
        double sum = 0;
        for (j = 0; j < (int)s->ns; j++) {
            sum += s->pc_sum[dir][j];
            tot[dir] += s->pc_n[dir][j];
        }
        avg[dir] = tot[dir] ? sum / (double)tot[dir] : 0;
    }
    for (j = 1; j <= (int)s->ns; j++) {
        double v, f, pd, pu, sc;
        if (!glp_ios_can_branch(T, j))
            continue;
        v = glp_get_col_prim(P, j);
        f = fmin(v, 1 - v);
        pd = s->pc_n[0][j - 1] ? s->pc_sum[0][j - 1] / (double)s->pc_n[0][j - 1] : avg[0];
        pu = s->pc_n[1][j - 1] ? s->pc_sum[1][j - 1] / (double)s->pc_n[1][j - 1] : avg[1];
        sc = fmax(v * pd, 1e-6) * fmax((1 - v) * pu, 1e-6);
        /* most fractional until there are pseudocosts of both sides */
        if (!tot[0] || !tot[1])
            sc = f;
        if (sc > bs || (sc == bs && f > bf))
            bs = sc, bf = f, jb = j, vb = v;
    }
    if (!jb)
        return 0;
    if (d) {
        d->bvar = jb;
        d->frac = vb;
        d->z = glp_get_obj_val(P);
    }
    glp_ios_branch_upon(T, jb, vb >= 0.5 ? GLP_UP_BRNCH : GLP_DN_BRNCH);
    return 1;
}

int ap__ssnode_cut(ap__ssnode *s, glp_tree *T, int integral)
{
    glp_prob *P = glp_ios_get_prob(T);
    int node = glp_ios_curr_node(T), added = 0;
    double z, L, thr, ub, t0 = ap__now();
    if (node == s->last_node || glp_get_status(P) != GLP_OPT)
        return 0;
    s->last_node = node;
    observe(s, T, node, glp_get_obj_val(P));
    /* only against GLPK's own incumbent: a row that cut off a plan GLPK
     * has not seen yet (the warm start comes after the root's rows) could
     * leave it without any */
    ub = glp_mip_status(P) == GLP_FEAS ? glp_mip_obj_val(P) : INFINITY;
    thr = isfinite(ub) ? ap__lagr_threshold(integral, ub) : INFINITY;
    z = glp_get_obj_val(P);
    if (!isfinite(ub)) {
        /* no incumbent yet (the root: the warm start comes after its
         * rows): only the cuts of the seeded multipliers, when given */
        if (!s->have_best)
            return 0;
        read_node(s, P);
        memcpy(s->lam, s->best_lam, s->nc * sizeof *s->lam);
        if (isfinite(relax(s)))
            added = add_cuts(s, P);
        s->secs += ap__now() - t0;
        return added > 0;
    }
    if (z >= thr)
        return 0;
    L = node_bound(s, P, ub, thr, NODE_ITERS);
    if (isfinite(L))
        keep_bound(T, node, L);
    if (L >= thr) {
        /* "y_1 = 2": the node's LP is infeasible and GLPK drops the node */
        int ind[2] = {0, 1}, r = glp_add_rows(P, 1);
        double val[2] = {0, 1};
        glp_set_row_bnds(P, r, GLP_FX, 2, 2);
        glp_set_mat_row(P, r, 1, ind, val);
        s->pruned++;
        added = 1;
    } else if (isfinite(L) && s->have_best) {
        double inmax;
        int changed = 0;
        memcpy(s->lam, s->best_lam, s->nc * sizeof *s->lam);
        L = relax(s);
        s->fixed += fix_sites(s, P, L, thr, &inmax, &changed);
        s->pairs += fix_pairs(s, P, L, thr, inmax, &changed);
        if (changed) {
            glp_add_rows(P, 1); /* an empty free row: GLPK re-solves the node's LP */
            added = 1;
        }
    }
    s->secs += ap__now() - t0;
    s->calls++;
    return added;
}

void ap__ssnode_counts(const ap__ssnode *s, long *calls, long *pruned, long *fixed, long *pairs, long *cuts,
                       double *secs)
{
    *cuts = s->cuts;
    *pairs = s->pairs;
    *calls = s->calls;
    *pruned = s->pruned;
    *fixed = s->fixed;
    *secs = s->secs;
}
