/* ufl.c - uncapacitated facility location (opening costs, no
 * capacities; k free, or fixed: the p-median) by Lagrangian
 * branch-and-bound.
 *
 * Each node of a depth-first tree fixes some sites open or closed.  Its
 * bound is the Lagrangian of lagrange.c (assignment rows relaxed):
 *   L(u) = sum_i u_i + sum_j y_j rho_j,  rho_j = f_j + sum_i min(0, w_ij - u_i)
 * with y_j = 1 for sites fixed open, 0 for sites fixed closed, and free
 * sites open when rho_j < 0 (at least one site open); with k fixed, the
 * k sites of least rho_j that the fixings allow.  Every u gives a
 * valid bound, so a child starts from its parent's multipliers and a few
 * subgradient steps move them on: a node costs a few passes over each
 * client's cheap sites (kept sorted by cost; at each node without the
 * sites it closed), not an LP.  Every L(u) also
 * bounds the node with one free site forced the other way, which fixes
 * sites inside the subtree (the penalties of the classic dual-based
 * methods).  The relaxed site choices are turned into plans (each client
 * to its cheapest open site, polished by local search when they beat the
 * incumbent).  Without k the tree branches by pseudocosts (each site's
 * bound increase per unit of change of its moving average of relaxed
 * choices, learned from the children), strong branching on the most
 * fractional sites while their pseudocosts have few observations; with k
 * on the site whose moving average is the most fractional.  Both children
 * are bounded when they are made, and the one of lower bound is searched
 * first.  The plan is optimal only when the tree is exhausted; on a time
 * limit its bound is the least bound of the nodes left. */
#include "solver.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UFL_ROOT_ITERS 400  /* subgradient steps at the root */
#define UFL_NODE_ITERS 60   /* at any other node */
#define UFL_NODE_STALL 8    /* halve the step after this many without a better bound */
#define UFL_HEUR_EVERY 20   /* the relaxed choice becomes a plan every this many steps */
#define UFL_NODE_MU 2.0     /* first step factor at a node (the root: 0.5, from converged multipliers) */
#define UFL_SB_CAND 16      /* strong branching: candidate sites at a node */
#define UFL_SB_REL 8        /* observations a side needs to be trusted without it */
#define UFL_SB_ITERS 30     /* subgradient steps per candidate child */

typedef ap__tnode node;

typedef struct {
    const ap_problem *p;
    const ap_solve_opts *o;
    double deadline, t0, lastlog;
    size_t nc, ns;
    size_t *beg;        /* nc + 1 offsets into ord and w */
    uint32_t *ord;      /* each client's allowed sites, cheapest first */
    double *w;          /* their demand-weighted costs */
    double *wt;         /* the same by site, ns x nc (INFINITY: not allowed); NULL without
                         * k or over UFL_WT_MAX pairs */
    size_t *chosen;     /* ns: where the chosen sites' columns start in wt (subgradient) */
    size_t scan;        /* pairs the last evaluation read */
    /* the node's lists (compact): each client's sites not fixed closed
     * with weighted cost below cap_i, cheapest first, from cbeg[i]; cn 0
     * when the node has none (cbeg NULL: never), ccap_n their room */
    size_t *cbeg, cn, ccap_n;
    double *cw, *cap;
    uint32_t *cord;
    double ub, thr;     /* incumbent value; better plans are below thr */
    size_t k;           /* sites to open (0: any number) */
    double kth, next;   /* with k: the dearest chosen free site's rho, the cheapest other's */
    double *key;        /* with k: ns, the free sites' rho; and their order: */
    size_t *kord, *kfree, *ktmp;
    uint64_t *kbits;
    int integral;
    unsigned char *best;        /* incumbent's open sites */
    /* work space of one node */
    double *rho, *g, *bestu;
    unsigned char *y, *trial;
    ap__assign tmp;     /* the local search's assignment; the plan's at the end */
    ap__seen seen;
    /* the tree */
    ap__tstack st;
    size_t nodes, heur, sbn;   /* nodes, plans polished, strong-branching bounds */
    double *psum[2];    /* pseudocosts: per site, bound increase per unit */
    size_t *pcnt[2];    /* of change when closed [0] and opened [1]; observations */
    double pall[2];     /* all sites' sums and counts */
    size_t pn[2];
    double closed;      /* share of the root's search space closed (2^-depth a node) */
    double soft;        /* give_way's horizon (deadline: the hard one) */
    double min_rate;    /* give up below this many nodes a second (0: never) */
    ap__tpredict pred;  /* the closed share over time */
    ap_error *err;
} ufl;

static int cmp_pair(const void *a, const void *b)
{
    const double *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : (x[1] > y[1]) - (x[1] < y[1]);
}

/* Each client's allowed sites sorted by weighted cost, and with k fixed
 * (up to UFL_WT_MAX pairs, 32 MB) the weighted costs by site: without k
 * the subgradient down the columns made a 200 x 200 facility-location
 * tree 6% slower (25.3 -> 26.8 s), with k = 10 it made them faster
 * (bench/RESULTS.md, session 16).  0 or -1. */
#define UFL_WT_MAX ((size_t)1 << 22)
static int sort_pairs(ufl *s)
{
    const ap_problem *p = s->p;
    size_t i, j, n = 0;
    double *pair = malloc(2 * s->ns * sizeof *pair);
    s->beg = malloc((s->nc + 1) * sizeof *s->beg);
    for (i = 0; i < p->nc * p->ns; i++)
        n += isfinite(p->cost[i]) != 0;
    s->ord = malloc((n ? n : 1) * sizeof *s->ord);
    s->w = malloc((n ? n : 1) * sizeof *s->w);
    if (!pair || !s->beg || !s->ord || !s->w) {
        free(pair);
        return -1;
    }
    n = 0;
    for (i = 0; i < s->nc; i++) {
        size_t m = 0, t;
        s->beg[i] = n;
        for (j = 0; j < s->ns; j++) {
            double c = p->cost[i * s->ns + j];
            if (isfinite(c)) {
                pair[2 * m] = p->demand[i] * c;
                pair[2 * m + 1] = (double)j;
                m++;
            }
        }
        qsort(pair, m, 2 * sizeof *pair, cmp_pair);
        for (t = 0; t < m; t++) {
            s->w[n] = pair[2 * t];
            s->ord[n++] = (uint32_t)pair[2 * t + 1];
        }
    }
    s->beg[s->nc] = n;
    free(pair);
    s->ccap_n = 4 * s->nc + 64;
    s->cbeg = malloc((s->nc + 1) * sizeof *s->cbeg);
    s->cap = malloc(s->nc * sizeof *s->cap);
    s->cw = malloc(s->ccap_n * sizeof *s->cw);
    s->cord = malloc(s->ccap_n * sizeof *s->cord);
    if (!s->cbeg || !s->cap || !s->cw || !s->cord) {
        free(s->cbeg), free(s->cap), free(s->cw), free(s->cord);
        s->cbeg = NULL, s->cap = NULL, s->cw = NULL, s->cord = NULL; /* the whole lists only */
    }
    if (s->k && s->nc * s->ns <= UFL_WT_MAX && (s->wt = malloc(s->nc * s->ns * sizeof *s->wt)) != NULL)
        for (j = 0; j < s->ns; j++)
            for (i = 0; i < s->nc; i++) {
                double c = p->cost[i * s->ns + j];
                s->wt[j * s->nc + i] = isfinite(c) ? p->demand[i] * c : INFINITY;
            }
    return 0;
}

/* Value of opening the sites sel (each client to its cheapest one);
 * INFINITY when a client has no allowed open site. */
static double value_of(const ufl *s, const unsigned char *sel)
{
    double z = 0;
    size_t i, j, t;
    for (j = 0; j < s->ns; j++)
        if (sel[j])
            z += s->p->fcost[j];
    for (i = 0; i < s->nc; i++) {
        for (t = s->beg[i]; t < s->beg[i + 1] && !sel[s->ord[t]]; t++)
            ;
        if (t == s->beg[i + 1])
            return INFINITY;
        z += s->w[t];
    }
    return z;
}

/* The incumbent's value becomes v (INFINITY: none yet); plans worth
 * searching for are below thr (with --mip-gap, below v less the gap). */
static void set_incumbent(ufl *s, double v)
{
    s->ub = v;
    s->thr = isfinite(v) ? ap__lagr_threshold(s->integral, v) : INFINITY;
    if (isfinite(v) && s->o->mip_gap > 0)
        s->thr = fmin(s->thr, v - s->o->mip_gap * fabs(v));
}

/* Lagrangian heuristic: the sites y (every client without one gets its
 * cheapest site not closed by fix), polished by local search when the
 * plan beats the incumbent.  0 or -1 (out of memory). */
static int heuristic(ufl *s, const unsigned char *fix)
{
    size_t i, t, n = 0;
    double v;
    memcpy(s->trial, s->y, s->ns);
    if (s->k) {
        /* with k: the choice as it is, when it has k sites */
        for (t = 0; t < s->ns; t++)
            n += s->trial[t] != 0;
        if (n != s->k)
            return 0;
    }
    for (i = 0; i < s->nc && !s->k; i++) {
        for (t = s->beg[i]; t < s->beg[i + 1] && !s->trial[s->ord[t]]; t++)
            ;
        if (t < s->beg[i + 1])
            continue;
        for (t = s->beg[i]; t < s->beg[i + 1] && fix[s->ord[t]] == 1; t++)
            ;
        if (t < s->beg[i + 1])
            s->trial[s->ord[t]] = 1;
    }
    if (ap__seen_before(&s->seen, s->trial, s->ns))
        return 0;
    v = value_of(s, s->trial);
    if (!(v < s->thr))
        return 0;
    s->heur++;
    if (ap__improve(s->p, s->o, s->deadline, s->trial, &s->tmp, s->err) < 0)
        return -1;
    v = value_of(s, s->trial);
    if (v < s->thr) {
        memcpy(s->best, s->trial, s->ns);
        set_incumbent(s, v);
        ap__log(s->o, AP_LOG_INFO, "ufl branch-and-bound: incumbent %.10g after %zu nodes", v, s->nodes);
    }
    return 0;
}

/* With k: the k sites of least rho that fix allows (those fixed open
 * first), into y; the bound's site part into *L.  s->kth and s->next are
 * the dearest free site chosen and the cheapest left out (for the
 * penalties).  0, or 1 when no choice of k sites respects fix. */
static int choose_k(ufl *s, const unsigned char *fix, double *L)
{
    size_t j, nfo = 0, nf = 0, r, t;
    for (j = 0; j < s->ns; j++) {
        s->y[j] = fix[j] == 2;
        if (fix[j] == 2)
            nfo++, *L += s->rho[j];
        else if (fix[j] == 0)
            s->key[nf] = s->rho[j], s->kfree[nf++] = j;
    }
    if (nfo > s->k || nfo + nf < s->k)
        return 1;
    r = s->k - nfo;
    ap__radix_order(s->key, nf, 0, s->kord, s->kbits, s->ktmp);
    for (t = 0; t < r; t++) {
        s->y[s->kfree[s->kord[t]]] = 1;
        *L += s->key[s->kord[t]];
    }
    s->kth = r > 0 ? s->key[s->kord[r - 1]] : INFINITY;
    s->next = r < nf ? s->key[s->kord[r]] : INFINITY;
    return 0;
}

/* The node's lists (compact): for each client the sites that fix does
 * not close with weighted cost below cap_i = UFL_CAP u_i (u_i when
 * negative), in the growable cw/cord.  Only the reduced costs of free and
 * open sites are read, and a closed site is never chosen, so leaving
 * closed sites out changes nothing: in a pmed39-shaped tree (n = 900,
 * p = 10) 82% of the pairs the node's passes read were of closed sites.
 * A client whose u_i passes its cap is read from its whole list
 * (list_of).  On out of memory the node keeps the whole lists.  UFL_CAP:
 * the same trees took 12-15% longer with 1.15 than with 1.05 or 1.02
 * (building the lists), 27% longer with 1.0 (clients over their cap) on
 * that instance, TSPLIB d1291 p = 10 and a pmed36 shape. */
#define UFL_CAP 1.05
static void compact(ufl *s, const unsigned char *fix, const double *u)
{
    size_t i, t, n = 0;
    if (!s->cbeg)
        return;
    for (i = 0; i < s->nc; i++) {
        double cap = u[i] >= 0 ? UFL_CAP * u[i] : u[i];
        s->cbeg[i] = n;
        s->cap[i] = cap;
        for (t = s->beg[i]; t < s->beg[i + 1] && s->w[t] < cap; t++) {
            if (fix[s->ord[t]] == 1)
                continue;
            if (n == s->ccap_n) {
                size_t m = 2 * s->ccap_n;
                double *cw = realloc(s->cw, m * sizeof *cw);
                uint32_t *co = cw ? realloc(s->cord, m * sizeof *co) : NULL;
                if (cw)
                    s->cw = cw;
                if (!co) {
                    s->cn = 0; /* no compact lists at this node */
                    return;
                }
                s->cord = co, s->ccap_n = m;
            }
            s->cw[n] = s->w[t];
            s->cord[n++] = s->ord[t];
        }
    }
    s->cbeg[s->nc] = n;
    s->cn = s->nc;
}

/* Client i's list for a pass at multiplier ui: the node's compact one when
 * it holds every site cheaper than ui, else the whole one. */
static void list_of(const ufl *s, size_t i, double ui, const double **w, const uint32_t **ord, size_t *b, size_t *e)
{
    if (s->cn && ui <= s->cap[i]) {
        *w = s->cw, *ord = s->cord, *b = s->cbeg[i], *e = s->cbeg[i + 1];
    } else {
        *w = s->w, *ord = s->ord, *b = s->beg[i], *e = s->beg[i + 1];
    }
}

/* One evaluation of L(u) at the node fix: rho, the relaxed choice y, and
 * the bound (INFINITY when fix leaves no choice of k sites).  *forced when
 * no site wanted to open and the cheapest free one was forced (L is then
 * still valid: some site must open). */
static double lagr_eval(ufl *s, const unsigned char *fix, const double *u, int *forced)
{
    size_t i, j, t, nopen = 0;
    double L = 0;
    long bj = -1;
    for (j = 0; j < s->ns; j++)
        s->rho[j] = s->p->fcost[j];
    s->scan = 0;
    for (i = 0; i < s->nc; i++) {
        double ui = u[i];
        const double *w;
        const uint32_t *ord;
        size_t b, e;
        L += ui;
        list_of(s, i, ui, &w, &ord, &b, &e);
        for (t = b; t < e && w[t] < ui; t++)
            s->rho[ord[t]] += w[t] - ui;
        s->scan += t - b;
    }
    *forced = 0;
    if (s->k)
        return choose_k(s, fix, &L) ? INFINITY : L;
    for (j = 0; j < s->ns; j++) {
        s->y[j] = fix[j] == 2 || (fix[j] == 0 && s->rho[j] < 0);
        if (s->y[j])
            L += s->rho[j], nopen++;
        else if (fix[j] == 0 && (bj < 0 || s->rho[j] < s->rho[bj]))
            bj = (long)j;
    }
    if (nopen == 0 && bj >= 0) {
        s->y[bj] = 1;
        L += s->rho[bj];
        *forced = 1;
    }
    return L;
}

/* Subgradient of the relaxed rows at the choice y; its squared norm.
 * Client i's entry is 1 less the chosen sites cheaper for it than u_i:
 * read down the chosen sites' columns of wt when that is fewer pairs than
 * the lists the evaluation read (few chosen sites, long cheap lists: the
 * p-median with small k), else along the lists. */
static double subgradient(ufl *s, const double *u)
{
    size_t i, t, j, nch = 0;
    double norm = 0;
    if (s->wt) {
        for (j = 0; j < s->ns; j++)
            if (s->y[j])
                s->chosen[nch++] = j * s->nc;
    }
    if (s->wt && nch * s->nc < s->scan) {
        /* the count in an int, not "g_i -= (w < u_i)" on the double:
         * GCC 12 branched on that one */
        for (i = 0; i < s->nc; i++) {
            const double *wi = s->wt + i;
            double ui = u[i];
            int cnt = 0;
            for (t = 0; t < nch; t++)
                cnt += wi[s->chosen[t]] < ui;
            s->g[i] = 1.0 - cnt;
            norm += s->g[i] * s->g[i];
        }
        return norm;
    }
    for (i = 0; i < s->nc; i++) {
        const double *w;
        const uint32_t *ord;
        size_t b, e;
        int cnt = 0;
        list_of(s, i, u[i], &w, &ord, &b, &e);
        for (t = b; t < e && w[t] < u[i]; t++)
            cnt += s->y[ord[t]];
        s->g[i] = 1.0 - cnt;
        norm += s->g[i] * s->g[i];
    }
    return norm;
}

/* Sites whose other setting bounds the node at thr or more are fixed
 * (L valid at u, y the relaxed choice, not a forced one).  With k, opening
 * a site left out drops the dearest free site chosen, closing a chosen one
 * takes the cheapest left out (INFINITY: no such site, no such choice). */
static void fix_by_penalty(ufl *s, unsigned char *fix, double L)
{
    size_t j;
    for (j = 0; j < s->ns; j++) {
        if (fix[j])
            continue;
        if (!s->y[j] && (s->k ? !isfinite(s->kth) || L + s->rho[j] - s->kth >= s->thr : L + s->rho[j] >= s->thr))
            fix[j] = 1;
        else if (s->y[j] && (s->k ? !isfinite(s->next) || L - s->rho[j] + s->next >= s->thr
                                  : L - s->rho[j] >= s->thr))
            fix[j] = 2;
    }
}

/* Whether some client has no allowed site left open or free. */
static int starved(const ufl *s, const unsigned char *fix)
{
    size_t i, t;
    for (i = 0; i < s->nc; i++) {
        for (t = s->beg[i]; t < s->beg[i + 1] && fix[s->ord[t]] == 1; t++)
            ;
        if (t == s->beg[i + 1])
            return 1;
    }
    return 0;
}

/* Bounds node n (its fix, u and ybar updated).  Returns 1 when it is
 * pruned, 0 when it must be branched on (*lb its bound), -1 on error. */
static int bound_node(ufl *s, node *n, size_t maxit, double *lb)
{
    size_t it;
    double best = n->lb, mu = maxit == UFL_ROOT_ITERS ? 0.5 : UFL_NODE_MU;
    int stall = 0, forced;
    if (starved(s, n->fix))
        return 1;
    compact(s, n->fix, n->u);
    memcpy(s->bestu, n->u, s->nc * sizeof *s->bestu);
    for (it = 0; it < maxit; it++) {
        double L = lagr_eval(s, n->fix, n->u, &forced), norm;
        size_t j;
        if (s->k && L == INFINITY)
            return 1; /* no choice of k sites left */
        for (j = 0; j < s->ns; j++)
            n->ybar[j] = 0.7 * n->ybar[j] + 0.3 * s->y[j];
        if (!isfinite(best) || L > best + 1e-9 * (1 + fabs(best))) {
            best = L;
            memcpy(s->bestu, n->u, s->nc * sizeof *s->bestu);
            stall = 0;
        } else if (++stall >= UFL_NODE_STALL) {
            mu /= 2;
            stall = 0;
        }
        if (it % UFL_HEUR_EVERY == 0 && heuristic(s, n->fix))
            return -1;
        if (best >= s->thr)
            return 1;
        if (!forced)
            fix_by_penalty(s, n->fix, L);
        norm = subgradient(s, n->u);
        if (norm == 0 && !forced) {
            /* the relaxed choice serves every client once: L is the value
             * of the node's best plan */
            if (heuristic(s, n->fix))
                return -1;
            return 1;
        }
        if (mu < 1e-4 || ap__stopped(s->deadline))
            break;
        /* towards the incumbent's value; 5% above L while there is none */
        /* towards the incumbent's value; 5% above L while there is none */
        ap__lagr_step(n->u, s->g, s->nc, mu, isfinite(s->ub) ? s->ub : L + 0.05 * fabs(L) + 1, L, norm);
    }
    memcpy(n->u, s->bestu, s->nc * sizeof *n->u);
    *lb = s->integral ? ceil(best - 1e-6) : best;
    if (*lb >= s->thr || starved(s, n->fix))
        return 1;
    return 0;
}

/* The free site to branch on: without k, by pseudocosts, the largest
 * product of the two children's estimated bound increases (a site's
 * average increase per unit of change times its moving average's
 * distance to the side, sites without observations taking the average
 * of all) once both sides have some; until then, and always with k, the
 * one whose moving average of relaxed choices is the most fractional (an
 * estimate of the LP's fractional sites).  Ties to the reduced cost
 * nearest to zero; ns when none is free.  With k (the p-median tree that
 * gives way to Benders when slow) strong branching's bounds cost too much
 * on thousands of clients: on 2,000 points with k = 20 its 318 children
 * of about 25 ms each held the tree 8.6 s before it gave way, and on the
 * bench/pmed_family.sh and bench/pmed_large.sh shapes it gained nothing. */
static size_t branch_site(const ufl *s, const node *n)
{
    size_t j, bj = s->ns;
    double bf = -1, br = INFINITY, avg[2];
    int psc = !s->k && s->pn[0] > 0 && s->pn[1] > 0, q;
    for (q = 0; q < 2; q++)
        avg[q] = psc ? s->pall[q] / (double)s->pn[q] : 0;
    for (j = 0; j < s->ns; j++) {
        double f, r;
        if (n->fix[j])
            continue;
        f = fmin(n->ybar[j], 1 - n->ybar[j]);
        if (psc) {
            double e[2];
            for (q = 0; q < 2; q++) {
                double per = s->pcnt[q][j] ? s->psum[q][j] / (double)s->pcnt[q][j] : avg[q];
                e[q] = fmax(per * (q ? 1 - n->ybar[j] : n->ybar[j]), 1e-6 * (avg[q] + 1e-12));
            }
            f = f > 1e-9 ? e[0] * e[1] : 0;
        }
        r = fabs(s->rho[j]);
        if (psc ? f > bf * (1 + 1e-12) || (f >= bf * (1 - 1e-12) && r < br)
                : f > bf + 1e-12 || (f > bf - 1e-12 && r < br))
            bf = f, br = r, bj = j;
    }
    return bj;
}

/* The bound of a child with site j (moving average yb at the parent) set
 * to v (1 closed, 2 open) rose by gain: one observation of the site's
 * pseudocost on that side. */
static void observe(ufl *s, size_t j, double yb, unsigned char v, double gain)
{
    int q = v == 2;
    double f = q ? 1 - yb : yb;
    if (!(f > 1e-3) || !isfinite(gain))
        return;
    gain = fmax(gain, 0) / f;
    s->psum[q][j] += gain;
    s->pcnt[q][j]++;
    s->pall[q] += gain;
    s->pn[q]++;
}

/* Strong branching on n (bound lb): of the UFL_SB_CAND free sites of most
 * fractional moving average, those whose pseudocosts have fewer than
 * UFL_SB_REL observations on a side get both children bounded with
 * UFL_SB_ITERS steps (two observations); a side that prunes fixes the site
 * the other way in n.  Then n->br is the site of largest pseudocost
 * product (ns: every site fixed).  1 when n itself is pruned (both sides
 * of a site), 0, -1 on error.  On the Koerkel-Ghosh-style 200 x 200
 * instances of bench/ufl.sh the trees are 2-4 times smaller than with
 * the pseudocosts alone or the most fractional site, which each lose on
 * some of them. */
static int strong_site(ufl *s, node *n, double lb)
{
    size_t cand[UFL_SB_CAND], nc = 0, j, t, q;
    double cf[UFL_SB_CAND];
    for (j = 0; j < s->ns; j++) {
        double f = fmin(n->ybar[j], 1 - n->ybar[j]);
        if (n->fix[j] || !(f > 0.02))
            continue;
        if (nc < UFL_SB_CAND)
            nc++;
        else if (f <= cf[nc - 1])
            continue;
        for (t = nc - 1; t > 0 && cf[t - 1] < f; t--)
            cand[t] = cand[t - 1], cf[t] = cf[t - 1];
        cand[t] = j, cf[t] = f;
    }
    for (t = 0; t < nc; t++) {
        int pruned[2] = {0, 0};
        j = cand[t];
        if (s->pcnt[0][j] >= UFL_SB_REL && s->pcnt[1][j] >= UFL_SB_REL)
            continue;
        for (q = 0; q < 2; q++) {
            node c;
            double clb = lb;
            int r;
            unsigned char v = (unsigned char)(q + 1);
            if (ap__tnode_child_at(&c, n, j, v, s->nc, s->ns))
                return -1;
            s->sbn++;
            r = bound_node(s, &c, UFL_SB_ITERS, &clb);
            ap__tnode_free(&c);
            if (r < 0)
                return -1;
            observe(s, j, n->ybar[j], v, r == 0 ? clb - lb : s->thr - lb);
            pruned[q] = r == 1;
        }
        if (pruned[0] && pruned[1])
            return 1;
        if (pruned[0] || pruned[1])
            n->fix[j] = pruned[0] ? 2 : 1, n->ybar[j] = pruned[0];
    }
    n->br = branch_site(s, n);
    return 0;
}

/* The child of n with site n->br set to v (1 closed, 2 open), bounded:
 * 1 pruned (c left empty), 0 kept in c (its bound and branching site
 * set), -1 on error. */
static int child(void *ctx, const node *n, unsigned char v, node *c)
{
    ufl *s = ctx;
    double lb = n->lb;
    size_t j;
    int r;
    if (ap__tnode_child(c, n, v, s->nc, s->ns))
        return -1;
    s->nodes++;
    r = bound_node(s, c, UFL_NODE_ITERS, &lb);
    if (r >= 0 && isfinite(n->lb) && !s->k)
        observe(s, n->br, n->ybar[n->br], v, r == 0 ? lb - n->lb : s->thr - n->lb);
    if (r == 0 && (c->br = branch_site(s, c)) < s->ns && !s->k)
        r = strong_site(s, c, lb);
    if (r == 0 && c->br == s->ns) {
        /* every site fixed: the node is one plan */
        for (j = 0; j < s->ns; j++)
            s->y[j] = c->fix[j] == 2;
        r = heuristic(s, c->fix) ? -1 : 1;
    }
    if (r != 0) {
        if (r > 0)
            s->closed += ldexp(1.0, -(int)c->depth);
        ap__tnode_free(c);
        return r < 0 ? -1 : 1;
    }
    c->lb = lb;
    return 0;
}

/* The least bound of the nodes left (and cur, the node being bounded). */
static double tree_bound(const ufl *s, double cur)
{
    return fmin(ap__tstack_least(&s->st, cur), s->ub);
}

static void progress(ufl *s, double cur)
{
    double now = ap__now(), b;
    if (now - s->lastlog < 1.0)
        return;
    s->lastlog = now;
    b = tree_bound(s, cur);
    ap__tree_progress(s->o, "ufl branch-and-bound", s->ub, b, s->nodes, s->st.n, s->closed, now - s->t0,
                      ap__tpredict_left(&s->pred, now - s->t0, s->closed));
}

/* Whether the tree should give way to the method after it (min_rate > 0):
 * after a second of search past the root it bounds fewer than min_rate
 * nodes a second; or, from half of the time to its soft deadline on, its
 * predicted end (ap__tpredict: the geometric growth of the closed share)
 * with UFL_GIVEWAY_MARGIN times the predicted time left is past its hard
 * deadline.  In a logged run (closed share every second, trees given 95%
 * of a 120 s limit), the prediction at half of a 60 s plan's soft
 * deadline and later was within 20% of the end on the trees that
 * finished steadily (TSPLIB d1291 p = 10, a pmed39-shaped n = 900, p = 10
 * that needs 26 s), far beyond it on those that did not finish
 * (u1817 p = 20: 115-330 s, 1e-9 closed; vm1748 p = 20: 70-1,000 s), and
 * it grew on a tree that stalled (rl1304 p = 10: 25% closed from 13 to
 * 36 s, finished at 62 s, which Benders proves in about 10 s).  With a
 * margin of 2 the n = 900 tree still gave way at 60 s (bench/RESULTS.md,
 * session 16). */
#define UFL_GIVEWAY_MARGIN 1.5
static int give_way(const ufl *s, double now, double t_search, size_t n_search)
{
    double el = now - t_search;
    if (s->min_rate <= 0)
        return 0;
    if (el > 1.0 && (double)(s->nodes - n_search) < s->min_rate * el)
        return 1;
    if (el < s->soft - now)
        return 0;
    return !(now + UFL_GIVEWAY_MARGIN * ap__tpredict_left(&s->pred, now - s->t0, s->closed) <= s->deadline);
}

/* Depth-first search from the bounded nodes on the stack.  1 when the
 * tree was exhausted, 0 when time ran out or it gave way (*lb the bound
 * then), -1 on error. */
static int search(ufl *s, double *lb)
{
    double t_search = ap__now();
    size_t n_search = s->nodes;
    while (s->st.n > 0) {
        node n = s->st.v[--s->st.n];
        double now;
        int r;
        if (n.lb >= s->thr) {
            s->closed += ldexp(1.0, -(int)n.depth);
            ap__tnode_free(&n);
            continue;
        }
        now = ap__now();
        ap__tpredict_add(&s->pred, now - s->t0, s->closed);
        if (ap__stopped(s->deadline) || give_way(s, now, t_search, n_search)) {
            s->st.v[s->st.n++] = n;
            *lb = tree_bound(s, INFINITY);
            return 0;
        }
        progress(s, n.lb);
        r = ap__tstack_expand(&s->st, &n, child, s);
        ap__tnode_free(&n);
        if (r < 0)
            return -1;
    }
    *lb = s->ub;
    return 1;
}

static void ufl_free(ufl *s)
{
    ap__tstack_free(&s->st);
    free(s->beg);
    free(s->ord);
    free(s->w);
    free(s->wt);
    free(s->chosen);
    free(s->cbeg);
    free(s->cap);
    free(s->cw);
    free(s->cord);
    free(s->best);
    free(s->rho);
    free(s->g);
    free(s->bestu);
    free(s->y);
    free(s->trial);
    free(s->key);
    free(s->kord);
    free(s->kfree);
    free(s->ktmp);
    free(s->kbits);
    free(s->psum[0]);
    free(s->psum[1]);
    free(s->pcnt[0]);
    free(s->pcnt[1]);
    ap__assign_free(&s->tmp);
}

/* Facility location without k, capacities or a limit on changes, whose
 * assignment costs matter: at most half of the pairs forbidden and some
 * client with two different costs.  Coverage-like problems (costs all
 * equal, most pairs forbidden) are set covers, whose Lagrangian bounds
 * are weak: the LP-based Benders route solves them much faster. */
int ap__ufl_applies(const ap_problem *p)
{
    return p->k == 0 && ap__ufl_applies_any_k(p);
}

int ap__ufl_applies_any_k(const ap_problem *p)
{
    size_t i, j, forbidden = 0;
    int spread = 0;
    if (ap__capacitated(p) || p->max_changes >= 0 || p->nc == 0 || p->ns == 0)
        return 0;
    for (i = 0; i < p->nc; i++) {
        const double *c = p->cost + i * p->ns;
        double first = NAN;
        for (j = 0; j < p->ns; j++) {
            if (!isfinite(c[j])) {
                forbidden++;
                continue;
            }
            if (isnan(first))
                first = c[j];
            else if (c[j] != first)
                spread = 1;
        }
    }
    return spread && forbidden <= p->nc * p->ns / 2;
}

/* The root node, from the Lagrangian's best multipliers and fixings when
 * there are any, else each client's cost at the incumbent; bounded and on
 * the stack unless pruned.  0 or -1. */
static int push_root(ufl *s, const ap__lagr *lg)
{
    node r;
    size_t i, j, t;
    double lb = -INFINITY;
    int rc;
    if (ap__tnode_copy(&r, NULL, s->nc, s->ns))
        return -1;
    r.lb = lg && isfinite(lg->lb) ? lg->lb : -INFINITY;
    for (j = 0; j < s->ns; j++) {
        r.fix[j] = lg && lg->fix ? lg->fix[j] : 0;
        if (s->p->pin && s->p->pin[j])
            r.fix[j] = 2;
        r.ybar[j] = s->best[j];
    }
    for (i = 0; i < s->nc; i++) {
        for (t = s->beg[i]; t < s->beg[i + 1] && !s->best[s->ord[t]]; t++)
            ;
        r.u[i] = lg && lg->mult ? lg->mult[i] : t < s->beg[i + 1] ? s->w[t] : 0;
    }
    s->nodes++;
    rc = bound_node(s, &r, UFL_ROOT_ITERS, &lb);
    if (rc == 0 && (r.br = branch_site(s, &r)) == s->ns) {
        for (j = 0; j < s->ns; j++)
            s->y[j] = r.fix[j] == 2;
        rc = heuristic(s, r.fix) ? -1 : 1;
    }
    r.lb = lb;
    if (rc == 0 && ap__tstack_push(&s->st, &r) == 0)
        return 0;
    if (rc > 0)
        s->closed = 1; /* the root alone closes the tree */
    ap__tnode_free(&r);
    return rc < 0 || rc == 0 ? -1 : 0;
}

int ap__ufl(const ap_problem *p, const ap_solve_opts *o, ap__tbudget bud, const unsigned char *warm_open,
            const ap__lagr *lg, ap_plan *plan, ap_error *err)
{
    ufl s;
    double lb = -INFINITY;
    int rc = -1, done;
    memset(&s, 0, sizeof s);
    s.p = p, s.o = o, s.deadline = bud.hard, s.soft = bud.soft, s.err = err;
    s.min_rate = bud.min_rate;
    ap__tpredict_init(&s.pred);
    s.nc = p->nc, s.ns = p->ns;
    s.t0 = s.lastlog = ap__now();
    s.best = calloc(s.ns, 1);
    s.rho = malloc(s.ns * sizeof *s.rho);
    s.g = malloc(s.nc * sizeof *s.g);
    s.bestu = malloc(s.nc * sizeof *s.bestu);
    s.y = calloc(s.ns, 1);
    s.trial = calloc(s.ns, 1);
    s.k = p->k > 0 ? (size_t)p->k : 0;
    s.key = malloc(s.ns * sizeof *s.key);
    s.kord = malloc(s.ns * sizeof *s.kord);
    s.kfree = malloc(s.ns * sizeof *s.kfree);
    s.ktmp = malloc(s.ns * sizeof *s.ktmp);
    s.kbits = malloc(s.ns * sizeof *s.kbits);
    s.chosen = malloc(s.ns * sizeof *s.chosen);
    s.psum[0] = calloc(s.ns, sizeof *s.psum[0]);
    s.psum[1] = calloc(s.ns, sizeof *s.psum[1]);
    s.pcnt[0] = calloc(s.ns, sizeof *s.pcnt[0]);
    s.pcnt[1] = calloc(s.ns, sizeof *s.pcnt[1]);
    if (!s.psum[0] || !s.psum[1] || !s.pcnt[0] || !s.pcnt[1] || !s.best || !s.rho || !s.g || !s.bestu || !s.y || !s.trial || !s.key || !s.kord || !s.kfree || !s.ktmp ||
        !s.kbits || !s.chosen || sort_pairs(&s)) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in the facility-location branch-and-bound");
        goto out;
    }
    s.integral = ap__objective_integral(p);
    if (warm_open)
        memcpy(s.best, warm_open, s.ns);
    set_incumbent(&s, warm_open ? value_of(&s, s.best) : INFINITY);
    if (push_root(&s, lg)) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in the facility-location branch-and-bound");
        goto out;
    }
    done = search(&s, &lb);
    if (done < 0) {
        if (err && err->code == AP_OK)
            ap__err(err, AP_ENOMEM, NULL, "out of memory in the facility-location branch-and-bound");
        goto out;
    }
    ap__log(o, AP_LOG_INFO, "ufl branch-and-bound: %s after %zu nodes (%.4g%% of the tree closed), %zu plans "
            "polished, %zu strong-branching bounds, %.2fs", done ? "tree exhausted" : "stopped", s.nodes,
            100 * s.closed, s.heur, s.sbn, ap__now() - s.t0);
    plan->nodes = s.nodes;
    if (!isfinite(s.ub)) {
        plan->status = done ? AP_STATUS_INFEASIBLE : AP_STATUS_NOSOLUTION;
        plan->bound = lb;
        snprintf(plan->reason, sizeof plan->reason, "%s", done ? "no set of sites serves every client within "
                 "the allowed pairs" : "no plan found within the time limit");
        rc = 0;
        goto out;
    }
    if (ap__assign_nearest(p, s.best, &s.tmp) || ap__plan_set(plan, s.best, &s.tmp)) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        goto out;
    }
    plan->nodes = s.nodes;
    if (done) {
        plan->status = AP_STATUS_OPTIMAL;
        plan->bound = o->mip_gap > 0 ? fmin(plan->objective, s.thr) : plan->objective;
    } else {
        plan->status = AP_STATUS_FEASIBLE;
        plan->bound = fmin(lb, plan->objective);
        snprintf(plan->reason, sizeof plan->reason, "%s", ap__cancelled() ? "interrupted" : "time limit reached");
    }
    snprintf(plan->solver, sizeof plan->solver, "ufl-branch-and-bound");
    rc = 0;
out:
    ufl_free(&s);
    return rc;
}
