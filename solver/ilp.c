/* ilp.c - placement as a GLPK integer program, guarded so that GLPK can
 * never abort the process.
 *
 * Uncapacitated models (p-median, facility location) use Elloumi's
 * formulation over each client's sorted distinct costs (z_ih = 1 when client
 * i pays more than its h-th cost level), which has the LP bound of the
 * classical strong model with far fewer constraints.  Capacitated models use
 * the strong model with x_ij <= y_j linking rows and a capacity cover row. */
#include "glpk_int.h"
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local int test_fault;

static _Thread_local int test_no_node_bounds;
static _Thread_local int test_bound_every;      /* the tree's bound at every selection */
static _Thread_local double test_bound_max;     /* and the largest seen */

double ap__ilp_test_tree_bound(int on)
{
    double m = test_bound_max;
    test_bound_every = on;
    test_bound_max = -INFINITY;
    return m;
}

void ap__ilp_test_node_bounds(int on)
{
    test_no_node_bounds = !on;
}

void ap__ilp_test_fault(int on)
{
    test_fault = on;
}

static void on_glpk_error(void *info)
{
    ap__glpk_guard *g = info;
    longjmp(g->jb, 1);
}

static int on_glpk_term(void *info, const char *s)
{
    ap__glpk_guard *g = info;
    size_t n = strlen(s);
    if (n > 1 || (n == 1 && s[0] != '\n')) {
        memcpy(g->prev, g->last, sizeof g->prev);
        snprintf(g->last, sizeof g->last, "%s", s);
        n = strlen(g->last);
        while (n && (g->last[n - 1] == '\n'))
            g->last[--n] = '\0';
    }
    return 1; /* never let GLPK print */
}

void ap__glpk_hook(ap__glpk_guard *g)
{
    glp_error_hook(on_glpk_error, g);
    glp_term_hook(on_glpk_term, g);
}

void ap__glpk_unhook(void)
{
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
}

void ap__glpk_failed(ap__glpk_guard *g, ap_error *err)
{
    ap__glpk_unhook();
    glp_free_env();
    if (strncmp(g->last, "Error detected", 14) == 0 && g->prev[0])
        ap__err(err, AP_ESOLVER, "glpk", "GLPK failed: %s (%s)", g->prev, g->last);
    else
        ap__err(err, AP_ESOLVER, "glpk", "GLPK failed: %s", g->last[0] ? g->last : "internal error");
}

typedef struct {
    const ap_problem *p;
    const ap_solve_opts *o;
    double *warm;           /* column values of the warm start, 1-based */
    int warm_given;
    double t0, last_log;
    double bound;
    long nodes;
    const int *xcol;        /* lazy linking rows: x column per (i, j) */
    int lazy;
    int ybranch;            /* branch on the site variables first */
    ap__ssnode *ssn;        /* Lagrangian node bounds (single source), or NULL */
    double ssn_bound;       /* the tree's bound with them (ap__ssnode_global_bound) */
    double ssn_when;        /* when it was last computed */
    int integral;           /* objective integral at integral points */
    double deadline;        /* GLPK checks its own limit only between nodes */
} cbdata;

/* Finds linking rows x_ij <= y_j violated by the current LP solution of P
 * and adds up to `max` of them: to P itself (T == NULL) or to the cut pool
 * of the search tree T.  Returns how many were added. */
static int add_violated_links(glp_prob *P, glp_tree *T, const ap_problem *p,
                              const int *xcol, int max)
{
    size_t i, j, ns = p->ns;
    int added = 0, ind[3];
    double val[3] = {0, 1.0, -1.0};
    double *y = malloc(ns * sizeof *y);
    if (!y)
        return 0;
    for (j = 0; j < ns; j++)
        y[j] = glp_get_col_prim(P, (int)j + 1);
    for (i = 0; i < p->nc && added < max; i++)
        for (j = 0; j < ns && added < max; j++) {
            int c = xcol[i * ns + j];
            if (!c || glp_get_col_prim(P, c) <= y[j] + 1e-6)
                continue;
            ind[1] = c;
            ind[2] = (int)j + 1;
            if (T) {
                glp_ios_add_row(T, NULL, 101, 0, 2, ind, val, GLP_UP, 0.0);
            } else {
                int r = glp_add_rows(P, 1);
                glp_set_row_bnds(P, r, GLP_UP, 0, 0);
                glp_set_mat_row(P, r, 2, ind, val);
            }
            added++;
        }
    free(y);
    return added;
}

/* Single-source capacitated models: branch on the most fractional site
 * variable while there is one (GLPK's own choice, which also takes the
 * binary assignment variables, is many times slower on them: 58 s without
 * a proof against 9 s for OR-Library pmedcap8), the more likely side first.
 * With none fractional, GLPK chooses among the x_ij. */
static void branch_on_sites(glp_tree *T, size_t ns)
{
    glp_prob *P = glp_ios_get_prob(T);
    int j, jb = 0;
    double bf = -1;
    for (j = 1; j <= (int)ns; j++)
        if (glp_ios_can_branch(T, j)) {
            double v = glp_get_col_prim(P, j), f = fmin(v, 1 - v);
            if (f > bf)
                bf = f, jb = j;
        }
    if (jb)
        glp_ios_branch_upon(T, jb, glp_get_col_prim(P, jb) >= 0.5 ? GLP_UP_BRNCH : GLP_DN_BRNCH);
}

static void on_tree(glp_tree *T, void *info)
{
    cbdata *cb = info;
    int reason = glp_ios_reason(T), best;
    if (ap__stopped(cb->deadline)) {
        glp_ios_terminate(T);
        return;
    }
    if (reason == GLP_IROWGEN && cb->ssn)
        ap__ssnode_cut(cb->ssn, T, cb->integral);
    if (reason == GLP_ICUTGEN && cb->lazy)
        add_violated_links(glp_ios_get_prob(T), T, cb->p, cb->xcol, 2000);
    if (reason == GLP_IBRANCH && cb->ybranch && !(cb->ssn && ap__ssnode_branch(cb->ssn, T)))
        branch_on_sites(T, cb->p->ns);
    if (reason == GLP_IHEUR && cb->warm && !cb->warm_given) {
        cb->warm_given = 1;
        glp_ios_heur_sol(T, cb->warm);
    }
    best = glp_ios_best_node(T);
    if (best) {
        double b = glp_ios_node_bound(T, best);
        if (isfinite(b) && fabs(b) < 1e300)
            cb->bound = b;
    }
    if (cb->ssn && reason == GLP_ISELECT && (ap__now() - cb->ssn_when >= 0.5 || test_bound_every)) {
        /* the tree's bound only rises: a value computed earlier stays valid */
        double g = ap__ssnode_global_bound(T);
        cb->ssn_when = ap__now();
        if (isfinite(g) && fabs(g) < 1e300 && !(g <= cb->ssn_bound))
            cb->ssn_bound = g;
        if (test_bound_every) {
            /* with the incumbent: once it is optimal, the nodes left may
             * all have higher bounds until GLPK prunes them */
            glp_prob *P = glp_ios_get_prob(T);
            double b = glp_mip_status(P) == GLP_FEAS ? fmin(g, glp_mip_obj_val(P)) : g;
            if (isfinite(b) && b > test_bound_max)
                test_bound_max = b;
        }
    }
    if (cb->ssn && isfinite(cb->ssn_bound) && !(cb->ssn_bound <= cb->bound))
        cb->bound = cb->ssn_bound;
    {
        int a, n, t;
        glp_ios_tree_size(T, &a, &n, &t);
        cb->nodes = t;
    }
    if (reason == GLP_ISELECT || reason == GLP_IBINGO) {
        double now = ap__now();
        if (now - cb->last_log >= 1.0 && now - cb->t0 >= 1.0) {
            glp_prob *P = glp_ios_get_prob(T);
            cb->last_log = now;
            if (glp_mip_status(P) == GLP_FEAS)
                ap__log(cb->o, AP_LOG_PROGRESS,
                        "ilp: incumbent %.10g  bound %.10g  gap %.4f%%  nodes %ld  elapsed %.1fs",
                        glp_mip_obj_val(P), cb->bound, 100.0 * glp_ios_mip_gap(T), cb->nodes,
                        now - cb->t0);
            else
                ap__log(cb->o, AP_LOG_PROGRESS, "ilp: no incumbent yet  bound %.10g  nodes %ld  elapsed %.1fs",
                        cb->bound, cb->nodes, now - cb->t0);
        }
    }
}

int ap__glpk_simplex(glp_prob *P, glp_smcp *smcp, double deadline)
{
    /* glp_simplex does not scale the problem itself (glpsol does): on the
     * Benders master, whose cut coefficients span seven decades, the
     * unscaled dual simplex stalled for minutes on LPs it solves in
     * seconds scaled.  Rows added since the last call are scaled too. */
    glp_scale_prob(P, GLP_SF_AUTO);
    for (;;) {
        double remain = deadline - ap__now();
        int ret;
        smcp->tm_lim = isfinite(remain) ? (remain > 1 ? 1000 : remain > 0 ? (int)(remain * 1000) + 1 : 1) : 1000;
        ret = glp_simplex(P, smcp);
        if (ret != GLP_ETMLIM || ap__stopped(deadline))
            return ret;
    }
}

/* Growing triplet arrays for glp_load_matrix (1-based). */
typedef struct {
    int *ia, *ja;
    double *ar;
    size_t n, cap;
} triplets;

static int tri_add(triplets *t, int i, int j, double v)
{
    if (t->n + 1 >= t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 4096;
        int *ia = realloc(t->ia, nc * sizeof *ia), *ja;
        double *ar;
        if (!ia)
            return -1;
        t->ia = ia;
        ja = realloc(t->ja, nc * sizeof *ja);
        if (!ja)
            return -1;
        t->ja = ja;
        ar = realloc(t->ar, nc * sizeof *ar);
        if (!ar)
            return -1;
        t->ar = ar;
        t->cap = nc;
    }
    t->n++;
    t->ia[t->n] = i;
    t->ja[t->n] = j;
    t->ar[t->n] = v;
    return 0;
}

static void tri_free(triplets *t)
{
    free(t->ia);
    free(t->ja);
    free(t->ar);
}

/* Per-client level data for the Elloumi model. */
typedef struct {
    int first_col;    /* column of z_i1 */
    int nlev;         /* number of z variables */
    double *lev;      /* distinct costs D_1..D_{nlev+1} */
} levels;

/* Builds the uncapacitated model over the sites not fixed closed (fix[j]:
 * 0 free, 1 closed, 2 open; fix may be NULL).  Per client, the distinct
 * costs D_1 < ... < D_K of its allowed sites define z_h = "pays more than
 * D_h", linked by the chain z_h >= z_{h-1} - sum_{j: c_ij = D_h} y_j with
 * z_0 = 1.  This is Elloumi's formulation with the same LP bound, but
 * O(K + n) nonzeros per client instead of O(K n).  Levels above a client's
 * cost to a site fixed open, or above its (m-k+1)-th nearest site when k
 * sites must open among m, cannot be reached and are dropped.
 * Returns 0 or -1 (out of memory). */
static int build_uncap(glp_prob *P, const ap_problem *p, const unsigned char *fix,
                       levels *L, triplets *t)
{
    size_t i, j, ns = p->ns, mopen = 0;
    int row, col = (int)ns;
    double konst = 0;
    double *buf = malloc(ns * sizeof *buf);
    if (!buf)
        return -1;
    glp_add_cols(P, (int)ns);
    for (j = 0; j < ns; j++) {
        int f = fix ? fix[j] : 0;
        glp_set_col_kind(P, (int)j + 1, GLP_BV);
        glp_set_obj_coef(P, (int)j + 1, p->fcost[j]);
        if (f == 1)
            glp_set_col_bnds(P, (int)j + 1, GLP_FX, 0, 0);
        else if (f == 2)
            glp_set_col_bnds(P, (int)j + 1, GLP_FX, 1, 1);
        if (f != 1)
            mopen++;
    }
    if (p->k) {
        row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_FX, p->k, p->k);
        for (j = 0; j < ns; j++)
            if ((!fix || fix[j] != 1) && tri_add(t, row, (int)j + 1, 1.0))
                goto oom;
    }
    for (i = 0; i < p->nc; i++) {
        const double *c = p->cost + i * ns;
        size_t m = 0, K = 0, h, keep;
        double fo = INFINITY;
        int guaranteed;
        for (j = 0; j < ns; j++) {
            if (!isfinite(c[j]) || (fix && fix[j] == 1))
                continue;
            buf[m++] = c[j];
            if (fix && fix[j] == 2 && c[j] < fo)
                fo = c[j];
        }
        qsort(buf, m, sizeof *buf, ap__cmp_dbl);
        keep = m;
        guaranteed = isfinite(fo);
        if (p->k && (long)p->k - (long)(mopen - m) >= 1) {
            keep = mopen - (size_t)p->k + 1;
            guaranteed = 1;
        }
        L[i].lev = malloc((keep ? keep : 1) * sizeof(double));
        if (!L[i].lev)
            goto oom;
        for (h = 0; h < keep && buf[h] <= fo; h++)
            if (K == 0 || buf[h] > L[i].lev[K - 1])
                L[i].lev[K++] = buf[h];
        if (K == 0) /* no allowed site: the precheck reports this */
            L[i].lev[K++] = 0;
        L[i].nlev = (int)K - 1;
        L[i].first_col = col + 1;
        konst += p->demand[i] * L[i].lev[0];
        if (!guaranteed) {
            /* at least one allowed site must be open */
            row = glp_add_rows(P, 1);
            glp_set_row_bnds(P, row, GLP_LO, 1, 0);
            for (j = 0; j < ns; j++)
                if (isfinite(c[j]) && (!fix || fix[j] != 1) && tri_add(t, row, (int)j + 1, 1.0))
                    goto oom;
        }
        if (L[i].nlev > 0) {
            glp_add_cols(P, L[i].nlev);
            for (h = 0; h < (size_t)L[i].nlev; h++) {
                int zc = col + 1 + (int)h;
                glp_set_col_bnds(P, zc, GLP_DB, 0, 1);
                glp_set_obj_coef(P, zc, p->demand[i] * (L[i].lev[h + 1] - L[i].lev[h]));
                row = glp_add_rows(P, 1);
                /* z_h - z_{h-1} + sum_{c_ij = D_h} y_j >= 0, z_0 = 1 */
                glp_set_row_bnds(P, row, GLP_LO, h == 0 ? 1 : 0, 0);
                if (tri_add(t, row, zc, 1.0) || (h > 0 && tri_add(t, row, zc - 1, -1.0)))
                    goto oom;
                for (j = 0; j < ns; j++)
                    if (c[j] == L[i].lev[h] && (!fix || fix[j] != 1) &&
                        tri_add(t, row, (int)j + 1, 1.0))
                        goto oom;
            }
            col += L[i].nlev;
        }
    }
    glp_set_obj_coef(P, 0, konst);
    free(buf);
    return 0;
oom:
    free(buf);
    return -1;
}

/* The fewest sites (not fixed closed) whose capacities cover `total`,
 * largest first; ns + 1 when even all of them do not. */
static size_t fewest_sites(const ap_problem *p, const unsigned char *fix, double total)
{
    size_t n = 0, j;
    double cap = 0;
    unsigned char *used = calloc(p->ns, 1);
    if (!used)
        return 0; /* no row: the model stays valid */
    while (cap < total - 1e-9 * (1 + total)) {
        long b = -1;
        for (j = 0; j < p->ns; j++)
            if (!used[j] && !(fix && fix[j] == 1) && (b < 0 || p->cap[j] > p->cap[b]))
                b = (long)j;
        if (b < 0) {
            n = p->ns + 1;
            break;
        }
        used[b] = 1;
        cap += p->cap[b];
        n++;
    }
    free(used);
    return n;
}

/* Builds the capacitated model; xcol[i*ns+j] gets the column of x_ij or 0.
 * With `lazy`, the linking rows x_ij <= y_j are left out: the capacity rows
 * already force x_ij = 0 when y_j = 0, so they only strengthen the LP, and
 * are added when violated (add_violated_links) instead of all at once. */
#define LAZY_SEED 8

static int build_cap(glp_prob *P, const ap_problem *p, int *xcol, triplets *t, int lazy,
                     const unsigned char *fix, const unsigned char *xfix)
{
    size_t i, j, ns = p->ns, nx = 0;
    int row, col, allfinite = 1;
    double total = 0;
    glp_add_cols(P, (int)ns);
    for (j = 0; j < ns; j++) {
        glp_set_col_kind(P, (int)j + 1, GLP_BV);
        glp_set_obj_coef(P, (int)j + 1, p->fcost[j]);
        if (!isfinite(p->cap[j]))
            allfinite = 0;
        if (fix && fix[j] == 1)
            glp_set_col_bnds(P, (int)j + 1, GLP_FX, 0, 0);
        else if (fix && fix[j] == 2)
            glp_set_col_bnds(P, (int)j + 1, GLP_FX, 1, 1);
    }
    /* no x columns towards sites fixed closed, nor for pairs fixed out */
    for (i = 0; i < p->nc * ns; i++)
        if (isfinite(p->cost[i]) && !(fix && fix[i % ns] == 1) && !(xfix && xfix[i]))
            nx++;
    col = nx ? glp_add_cols(P, (int)nx) : (int)ns + 1;
    for (i = 0; i < p->nc; i++) {
        total += p->demand[i];
        for (j = 0; j < ns; j++) {
            if (!isfinite(p->cost[i * ns + j]) || (fix && fix[j] == 1) || (xfix && xfix[i * ns + j])) {
                xcol[i * ns + j] = 0;
                continue;
            }
            xcol[i * ns + j] = col;
            if (p->single_source)
                glp_set_col_kind(P, col, GLP_BV);
            else
                glp_set_col_bnds(P, col, GLP_DB, 0, 1);
            glp_set_obj_coef(P, col, p->demand[i] * p->cost[i * ns + j]);
            col++;
        }
    }
    if (p->k) {
        row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_FX, p->k, p->k);
        for (j = 0; j < ns; j++)
            if (tri_add(t, row, (int)j + 1, 1.0))
                return -1;
    }
    for (i = 0; i < p->nc; i++) {
        row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_FX, 1, 1);
        for (j = 0; j < ns; j++)
            if (xcol[i * ns + j] && tri_add(t, row, xcol[i * ns + j], 1.0))
                return -1;
    }
    for (j = 0; j < ns; j++) {
        if (!isfinite(p->cap[j]))
            continue;
        row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_UP, 0, 0);
        for (i = 0; i < p->nc; i++)
            if (xcol[i * ns + j] && tri_add(t, row, xcol[i * ns + j], p->demand[i]))
                return -1;
        if (tri_add(t, row, (int)j + 1, -p->cap[j]))
            return -1;
    }
    for (i = 0; i < p->nc; i++)
        for (j = 0; j < ns; j++) {
            if (!xcol[i * ns + j])
                continue;
            if (lazy) {
                /* seed with the client's nearest sites, where the LP puts
                 * its demand first */
                size_t closer = 0, h;
                for (h = 0; h < ns && closer < LAZY_SEED; h++)
                    if (p->cost[i * ns + h] < p->cost[i * ns + j])
                        closer++;
                if (closer >= LAZY_SEED)
                    continue;
            }
            row = glp_add_rows(P, 1);
            glp_set_row_bnds(P, row, GLP_UP, 0, 0);
            if (tri_add(t, row, xcol[i * ns + j], 1.0) || tri_add(t, row, (int)j + 1, -1.0))
                return -1;
        }
    if (allfinite) {
        size_t need;
        row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_LO, total, 0);
        for (j = 0; j < ns; j++)
            if (tri_add(t, row, (int)j + 1, p->cap[j]))
                return -1;
        /* and its integer rounding: at least as many sites as the largest
         * capacities (of the sites not fixed closed) need to cover the
         * demand; the LP alone may open fractions of more sites */
        need = fewest_sites(p, fix, total);
        if (need > 1 && need <= ns && !p->k) {
            row = glp_add_rows(P, 1);
            glp_set_row_bnds(P, row, GLP_LO, (double)need, 0);
            for (j = 0; j < ns; j++)
                if (tri_add(t, row, (int)j + 1, 1.0))
                    return -1;
        }
    }
    return 0;
}

typedef struct {
    triplets t;
    ap__assign a;
    levels *L;
    int *xcol;
    unsigned char *open;
    double *warm;
    const unsigned char *fix, *xfix;  /* from the Lagrangian bound, or NULL */
    ap__ssnode *ssn;
} ilp_ws;

static void ws_free(ilp_ws *w, const ap_problem *p)
{
    size_t i;
    tri_free(&w->t);
    if (w->L)
        for (i = 0; i < p->nc; i++)
            free(w->L[i].lev);
    free(w->L);
    free(w->xcol);
    free(w->open);
    free(w->warm);
    ap__ssnode_free(w->ssn);
    ap__assign_free(&w->a);
    free(w);
}

int ap__ilp(const ap_problem *p, const ap_solve_opts *o, double deadline,
            const unsigned char *warm_open, const ap__assign *warm,
            const ap__lagr *lg, ap_plan *plan, ap_error *err)
{
    ap__glpk_guard g;
    cbdata cb;
    glp_smcp smcp;
    glp_iocp iocp;
    glp_prob *volatile P = NULL;
    ilp_ws *w;
    int cap = ap__capacitated(p), rc = -1, ret, st, ncols;
    size_t i, j, h;
    double remain, t0 = ap__now();

    memset(&g, 0, sizeof g);
    memset(&cb, 0, sizeof cb);
    /* everything GLPK code may see half-built lives on the heap, reached
     * through a pointer that does not change after setjmp */
    w = calloc(1, sizeof *w);
    if (!w) {
        ap__err(err, AP_ENOMEM, "glpk", "out of memory");
        return -1;
    }
    w->fix = lg ? lg->fix : NULL;
    w->xfix = lg ? lg->xfix : NULL;
    cb.p = p;
    cb.o = o;
    cb.t0 = t0;
    cb.last_log = t0;
    cb.bound = NAN;
    cb.deadline = deadline;
    cb.ybranch = cap && p->single_source;

    if (setjmp(g.jb)) {
        /* GLPK hit an internal error: its environment is unusable; free it
         * entirely (this also frees every problem object it held). */
        ap__glpk_failed(&g, err);
        ws_free(w, p);
        return -1;
    }
    ap__glpk_hook(&g);

    P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    if (test_fault)
        glp_set_col_bnds(P, 12345, GLP_FX, 0, 0); /* no such column: GLPK error */
    if (cap) {
        w->xcol = calloc(p->nc * p->ns, sizeof *w->xcol);
        cb.lazy = p->nc * p->ns > 5000;
        cb.xcol = w->xcol;
        if (!w->xcol || build_cap(P, p, w->xcol, &w->t, cb.lazy, w->fix, w->xfix))
            goto oom;
    } else {
        w->L = calloc(p->nc, sizeof *w->L);
        if (!w->L || build_uncap(P, p, w->fix, w->L, &w->t))
            goto oom;
    }
    /* re-placement: pinned sites and the limit on new sites */
    for (j = 0; j < p->ns; j++)
        if (p->pin && p->pin[j])
            glp_set_col_bnds(P, (int)j + 1, GLP_FX, 1, 1);
    if (p->max_changes >= 0) {
        int row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_UP, 0, p->max_changes);
        for (j = 0; j < p->ns; j++)
            if (!(p->existing && p->existing[j]) && tri_add(&w->t, row, (int)j + 1, 1.0))
                goto oom;
    }
    glp_load_matrix(P, (int)w->t.n, w->t.ia, w->t.ja, w->t.ar);
    tri_free(&w->t);
    memset(&w->t, 0, sizeof w->t);
    ncols = glp_get_num_cols(P);
    ap__log(o, AP_LOG_INFO, "ilp: %d rows, %d columns, %d nonzeros (%s model)",
            glp_get_num_rows(P), ncols, glp_get_num_nz(P), cap ? "strong capacitated" : "Elloumi");

    /* warm start: the heuristic solution as a full column vector */
    if (warm_open) {
        cb.warm = w->warm = calloc((size_t)ncols + 1, sizeof(double));
        if (!cb.warm)
            goto oom;
        for (j = 0; j < p->ns; j++)
            cb.warm[j + 1] = warm_open[j] ? 1 : 0;
        if (cap) {
            for (h = 0; h < warm->na; h++) {
                int c = w->xcol[warm->client[h] * p->ns + warm->site[h]];
                if (c)
                    cb.warm[c] += warm->share[h];
            }
        } else {
            for (i = 0; i < p->nc; i++) {
                double ci = INFINITY;
                for (j = 0; j < p->ns; j++)
                    if (warm_open[j] && p->cost[i * p->ns + j] < ci && (!w->fix || w->fix[j] != 1))
                        ci = p->cost[i * p->ns + j];
                for (h = 0; h < (size_t)w->L[i].nlev; h++)
                    cb.warm[w->L[i].first_col + (int)h] = ci > w->L[i].lev[h] ? 1 : 0;
            }
        }
    }

    if (cb.ybranch && !test_no_node_bounds) {
        /* Lagrangian bounds at the nodes (none when the problem does not
         * suit them, or out of memory: the search goes on without) */
        cb.ssn = w->ssn = ap__ssnode_new(p, w->xcol, p->k ? 2 : 1);
        if (cb.ssn && lg && lg->mult)
            ap__ssnode_seed(cb.ssn, lg->mult);
        cb.ssn_bound = -INFINITY;
        cb.integral = ap__objective_integral(p);
    }

    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.presolve = GLP_OFF;
    smcp.meth = GLP_DUALP;
    ret = ap__glpk_simplex(P, &smcp, deadline);
    while (ret == 0 && cb.lazy && glp_get_status(P) == GLP_OPT) {
        /* row generation for the linking rows at the root */
        int added = add_violated_links(P, NULL, p, w->xcol, 20000);
        if (added == 0)
            break;
        ap__log(o, AP_LOG_INFO, "ilp: LP %.10g, adding %d violated linking rows (%.2fs)",
                glp_get_obj_val(P), added, ap__now() - t0);
        ret = ap__glpk_simplex(P, &smcp, deadline);
    }
    if (ret == GLP_ETMLIM) {
        plan->status = AP_STATUS_NOSOLUTION;
        snprintf(plan->reason, sizeof plan->reason, "%s while solving the LP relaxation",
                 ap__cancelled() ? "interrupted" : "time limit reached");
        rc = 0;
        goto done;
    }
    if (ret != 0) {
        ap__err(err, AP_ESOLVER, "glpk", "LP relaxation failed (glp_simplex code %d)%s%s", ret,
                g.last[0] ? ": " : "", g.last);
        goto done;
    }
    st = glp_get_status(P);
    if (st == GLP_NOFEAS || st == GLP_INFEAS) {
        plan->status = AP_STATUS_INFEASIBLE;
        snprintf(plan->reason, sizeof plan->reason, "the LP relaxation is infeasible: "
                 "no assignment satisfies the capacities and allowed pairs");
        rc = 0;
        goto done;
    }
    if (st != GLP_OPT) {
        ap__err(err, AP_ESOLVER, "glpk", "LP relaxation ended with status %d", st);
        goto done;
    }
    cb.bound = glp_get_obj_val(P);
    ap__log(o, AP_LOG_INFO, "ilp: LP bound %.10g after %.2fs", cb.bound, ap__now() - t0);
    if (isfinite(deadline) && deadline - ap__now() < 2 * (ap__now() - t0)) {
        /* a node LP inside glp_intopt is not interrupted by its time limit:
         * when the root took most of the time left, stop at the bound */
        plan->status = AP_STATUS_NOSOLUTION;
        plan->bound = cb.bound;
        snprintf(plan->reason, sizeof plan->reason, "time limit reached: the LP relaxation took %.1fs, "
                 "too little time was left for branch-and-cut", ap__now() - t0);
        rc = 0;
        goto done;
    }

    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.presolve = GLP_OFF;
    iocp.cb_func = on_tree;
    iocp.cb_info = &cb;
    iocp.mip_gap = o->mip_gap > 0 ? o->mip_gap : 0;
    iocp.br_tech = GLP_BR_PCH;
    /* best bound first; with the Lagrangian node bounds of single source,
     * GLPK's best projection (it prefers nodes nearer to integral, so the
     * tree goes deeper before it moves on), where each node's subgradient
     * starts from the last node's multipliers, most often its parent's:
     * on the 36 random capacitated p-medians n = 100, p = 10 of
     * bench/pmedcap.sh (seeds 1-36) the plans took 141 s in all instead
     * of 179, and all were proven within 60 s instead of 35 (the slowest:
     * 39 s instead of unproven, 10.6 s instead of 21.6, 17.7 instead of
     * 26.1; one 7.1 -> 9.5 s); with demands in the thousands 0.75 times
     * the time, with fractional demands 1.04 times (one 36.7 -> 56.7 s);
     * bench/RESULTS.md, session 17 */
    iocp.bt_tech = cb.ssn ? GLP_BT_BPH : GLP_BT_BLB;
    if (cb.ssn)
        iocp.cb_size = (int)ap__ssnode_data_size();
    if (cap) {
        iocp.mir_cuts = GLP_ON;
        iocp.cov_cuts = GLP_ON;
    }
    remain = deadline - ap__now();
    if (isfinite(remain))
        iocp.tm_lim = remain > 0 ? (int)(remain * 1000) : 1;
    ret = glp_intopt(P, &iocp);
    st = glp_mip_status(P);
    plan->nodes = cb.nodes;
    if (cb.ssn) {
        long nn, np, nf, nx, nk;
        double secs;
        ap__ssnode_counts(cb.ssn, &nn, &np, &nf, &nx, &nk, &secs);
        ap__log(o, AP_LOG_INFO, "ilp: Lagrangian node bounds at %ld nodes (%.2fs): %ld dropped, %ld sites "
                "and %ld pairs fixed, %ld cuts", nn, secs, np, nf, nx, nk);
    }
    if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP && ret != GLP_ESTOP) {
        ap__err(err, AP_ESOLVER, "glpk", "branch-and-cut failed (glp_intopt code %d)%s%s", ret,
                g.last[0] ? ": " : "", g.last);
        goto done;
    }
    if (st == GLP_NOFEAS) {
        plan->status = AP_STATUS_INFEASIBLE;
        snprintf(plan->reason, sizeof plan->reason, "proven infeasible by branch-and-cut");
        rc = 0;
        goto done;
    }
    if (st != GLP_OPT && st != GLP_FEAS) {
        plan->status = AP_STATUS_NOSOLUTION;
        snprintf(plan->reason, sizeof plan->reason, "no integer solution found within the time limit");
        plan->bound = cb.bound;
        rc = 0;
        goto done;
    }
    /* read the solution back */
    w->open = calloc(p->ns, 1);
    if (!w->open)
        goto oom;
    for (j = 0; j < p->ns; j++)
       w->open[j] = glp_mip_col_val(P, (int)j + 1) > 0.5;
    if (cap) {
        for (i = 0; i < p->nc; i++) {
            double tot = 0;
            size_t first = w->a.na;
            for (j = 0; j < p->ns; j++) {
                double v;
                if (!w->xcol[i * p->ns + j] || !w->open[j])
                    continue;
                v = glp_mip_col_val(P, w->xcol[i * p->ns + j]);
                if (v > 1e-9) {
                    if (ap__assign_push(&w->a, i, j, v))
                        goto oom;
                    tot += v;
                }
            }
            for (h = first; h < w->a.na; h++)
                w->a.share[h] /= tot;
        }
    } else {
        int r = ap__assign_nearest(p, w->open, &w->a);
        if (r < 0)
            goto oom;
        if (r > 0) {
            ap__err(err, AP_EINTERNAL, "glpk", "ILP solution leaves client %s unserved",
                    p->cname[r - 1]);
            goto done;
        }
    }
    if (ap__plan_set(plan, w->open, &w->a))
        goto oom;
    if (ret == 0 && st == GLP_OPT) {
        plan->status = AP_STATUS_OPTIMAL;
        plan->bound = plan->objective;
        if (o->mip_gap > 0 && isfinite(cb.bound) && cb.bound < plan->bound)
            plan->bound = cb.bound;
    } else {
        plan->status = AP_STATUS_FEASIBLE;
        /* the open nodes' bounds hold for plans better than the incumbent */
        plan->bound = fmin(cb.bound, plan->objective);
        snprintf(plan->reason, sizeof plan->reason, "%s",
                 ret == GLP_ETMLIM ? "time limit reached before optimality was proven"
                 : ret == GLP_EMIPGAP ? "stopped at the requested relative gap" : "stopped");
    }
    snprintf(plan->solver, sizeof plan->solver, "glpk-branch-and-cut");
    rc = 0;
    goto done;
oom:
    ap__err(err, AP_ENOMEM, "glpk", "out of memory building the integer program");
done:
    if (P)
        glp_delete_prob(P);
    ap__glpk_unhook();
    ws_free(w, p);
    return rc;
}

int ap__assign_nearest(const ap_problem *p, const unsigned char *open, ap__assign *a)
{
    size_t i, j;
    ap__assign_clear(a);
    for (i = 0; i < p->nc; i++) {
        const double *c = p->cost + i * p->ns;
        double ci = INFINITY;
        size_t bj = 0;
        for (j = 0; j < p->ns; j++)
            if (open[j] && c[j] < ci)
                ci = c[j], bj = j;
        if (!isfinite(ci))
            return (int)(i < (size_t)INT_MAX - 1 ? i + 1 : INT_MAX);
        if (ap__assign_push(a, i, bj, 1.0))
            return -1;
    }
    return 0;
}

void ap_thread_cleanup(void)
{
    glp_free_env();
}
