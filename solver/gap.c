/* gap.c - the best assignment of the clients to a given set of open sites
 * under capacities.  Single source: a generalized assignment problem (each
 * client to exactly one open site, the demand at each site within its
 * capacity), solved as a small GLPK integer program.  Split demand: the
 * same rows with continuous shares, a transportation problem, solved as an
 * LP.  The heuristics' greedy assignment, repair and move/exchange polish
 * stop in local optima of this assignment; solving it exactly turns a good
 * site choice into its best plan.  Not to be called while another GLPK
 * solve of this thread is running (its error guard would be replaced). */
#include "glpk_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const ap_problem *p;
    const unsigned char *open;
    int *col;          /* nc * no: column of x_i,list[q], 0 = none */
    size_t *list, no;  /* the open sites */
    double *warm;      /* 1-based column values of the warm assignment */
    double deadline;
    double cutoff;     /* only assignments below this are wanted */
    int given;
    int cut;           /* stopped: none can be below the cutoff */
} gapw;

/* Whether no assignment below the cutoff is left: the least bound of the
 * open nodes reaches it, and the incumbent (if any) is not below it. */
static int past_cutoff(const gapw *w, glp_tree *T)
{
    glp_prob *P = glp_ios_get_prob(T);
    int best = glp_ios_best_node(T);
    if (!isfinite(w->cutoff) || !best)
        return 0;
    if (glp_mip_status(P) == GLP_FEAS && glp_mip_obj_val(P) < w->cutoff)
        return 0;
    return glp_ios_node_bound(T, best) >= w->cutoff;
}

static void on_tree(glp_tree *T, void *info)
{
    gapw *w = info;
    if (ap__stopped(w->deadline)) {
        glp_ios_terminate(T);
        return;
    }
    if (past_cutoff(w, T)) {
        w->cut = 1;
        glp_ios_terminate(T);
        return;
    }
    if (glp_ios_reason(T) == GLP_IHEUR && w->warm && !w->given) {
        w->given = 1;
        glp_ios_heur_sol(T, w->warm);
    }
}

/* Rows: one per client (= 1), one per capacitated open site (<= Q_j). */
static int build(gapw *w, glp_prob *P, const ap__assign *warm)
{
    const ap_problem *p = w->p;
    size_t i, q, h, nc = p->nc, ns = p->ns, ncol = 0, len = (nc > w->no ? nc : w->no) + 1;
    /* a client's row has up to `no` entries, a site's up to nc */
    int *ind = malloc(len * sizeof *ind);
    double *val = malloc(len * sizeof *val);
    if (!ind || !val) {
        free(ind), free(val);
        return -1;
    }
    glp_add_rows(P, (int)(nc + w->no));
    for (i = 0; i < nc; i++) {
        int m = 0;
        glp_set_row_bnds(P, (int)i + 1, GLP_FX, 1, 1);
        for (q = 0; q < w->no; q++) {
            double c = p->cost[i * ns + w->list[q]];
            int c1;
            if (!isfinite(c) || (p->single_source && p->demand[i] > p->cap[w->list[q]] + 1e-9))
                continue;
            c1 = glp_add_cols(P, 1);
            if (p->single_source)
                glp_set_col_kind(P, c1, GLP_BV);
            else
                glp_set_col_bnds(P, c1, GLP_DB, 0, 1);
            glp_set_obj_coef(P, c1, p->demand[i] * c);
            w->col[i * w->no + q] = c1;
            ind[++m] = c1;
            val[m] = 1;
            ncol++;
        }
        glp_set_mat_row(P, (int)i + 1, m, ind, val);
    }
    for (q = 0; q < w->no; q++) {
        size_t j = w->list[q];
        int m = 0, r = (int)(nc + q) + 1;
        if (!isfinite(p->cap[j])) {
            glp_set_row_bnds(P, r, GLP_FR, 0, 0);
            continue;
        }
        glp_set_row_bnds(P, r, GLP_UP, 0, p->cap[j]);
        for (i = 0; i < nc; i++)
            if (w->col[i * w->no + q]) {
                ind[++m] = w->col[i * w->no + q];
                val[m] = p->demand[i];
            }
        glp_set_mat_row(P, r, m, ind, val);
    }
    free(ind);
    free(val);
    if (warm && warm->na == nc && (w->warm = calloc(ncol + 1, sizeof *w->warm)) != NULL)
        for (h = 0; h < warm->na; h++)
            for (q = 0; q < w->no; q++)
                if (w->list[q] == warm->site[h] && w->col[warm->client[h] * w->no + q])
                    w->warm[w->col[warm->client[h] * w->no + q]] = 1;
    return 0;
}

/* Reads the solution into a: one site per client (single source), or the
 * shares above 1e-9, scaled to sum to 1 (split). */
static int read_back(const gapw *w, glp_prob *P, ap__assign *a)
{
    const ap_problem *p = w->p;
    size_t i, q, h;
    ap__assign_clear(a);
    for (i = 0; i < p->nc; i++) {
        size_t bq = w->no, first = a->na;
        double tot = 0;
        for (q = 0; q < w->no; q++) {
            int c = w->col[i * w->no + q];
            double v;
            if (!c)
                continue;
            v = p->single_source ? glp_mip_col_val(P, c) : glp_get_col_prim(P, c);
            if (p->single_source ? v > 0.5 : v > 1e-9) {
                bq = q;
                tot += p->single_source ? 1 : v;
                if (!p->single_source && ap__assign_push(a, i, w->list[q], v))
                    return -1;
            }
        }
        if (bq == w->no || (p->single_source && ap__assign_push(a, i, w->list[bq], 1.0)))
            return -1;
        for (h = first; h < a->na; h++)
            a->share[h] /= tot;
    }
    return 0;
}

/* The transportation LP (split demand): 0 solved, 1 infeasible or out of
 * time. */
static int solve_split(glp_prob *P, double deadline)
{
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.presolve = GLP_ON;
    if (ap__glpk_simplex(P, &sm, deadline) != 0)
        return 1;
    return glp_get_status(P) == GLP_OPT ? 0 : 1;
}

int ap__gap_glpk(const ap_problem *p, const unsigned char *open, const ap__assign *warm, double cutoff,
                 double deadline, ap__assign *out, double *z, int *proven, ap_error *err)
{
    ap__glpk_guard g;
    glp_prob *volatile P = NULL;
    gapw *volatile w = calloc(1, sizeof *w);
    glp_iocp iocp;
    size_t j;
    volatile int rc = -1;
    int ret, st;
    double remain;

    *proven = 0;
    *z = INFINITY;
    memset(&g, 0, sizeof g);
    if (!w || !(w->list = malloc(p->ns * sizeof *w->list)))
        goto oom;
    w->p = p;
    w->open = open;
    w->deadline = deadline;
    w->cutoff = cutoff;
    for (j = 0; j < p->ns; j++)
        if (open[j])
            w->list[w->no++] = j;
    if (!w->no) {
        rc = 1;
        goto out;
    }
    if (!(w->col = calloc(p->nc * w->no, sizeof *w->col)))
        goto oom;
    if (setjmp(g.jb)) {
        ap__glpk_failed(&g, err);
        P = NULL;
        goto out;
    }
    ap__glpk_hook(&g);
    P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    if (build(w, P, warm))
        goto oom;
    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.presolve = GLP_ON;
    iocp.cov_cuts = GLP_ON;
    iocp.mir_cuts = GLP_ON;
    iocp.cb_func = on_tree;
    iocp.cb_info = w;
    remain = deadline - ap__now();
    if (!(remain > 0.001)) {
        rc = 1;
        goto out;
    }
    if (isfinite(remain))
        iocp.tm_lim = (int)fmin(remain * 1000, 1e9);
    if (!p->single_source) {
        ret = solve_split(P, deadline);
        st = ret ? GLP_UNDEF : GLP_OPT;
    } else {
        ret = glp_intopt(P, &iocp);
        st = glp_mip_status(P);
    }
    if ((p->single_source && (ret == GLP_ENOPFS || ret == GLP_ENODFS)) || st == GLP_NOFEAS ||
        (st != GLP_OPT && st != GLP_FEAS) || w->cut) {
        rc = 1; /* no assignment found (none exists, time ran out, or none below the cutoff) */
        goto out;
    }
    if (read_back(w, P, out))
        goto oom;
    *z = ap__objective(p, open, out);
    *proven = ret == 0 && st == GLP_OPT;
    rc = 0;
    goto out;
oom:
    ap__err(err, AP_ENOMEM, "glpk", "out of memory building the assignment problem");
out:
    if (P)
        glp_delete_prob(P);
    ap__glpk_unhook();
    if (w) {
        free(w->list);
        free(w->col);
        free(w->warm);
        free(w);
    }
    return rc;
}

/* Split demand goes to the transportation solver, and to GLPK only when
 * rounding troubles it. */
int ap__gap_exact(const ap_problem *p, const unsigned char *open, const ap__assign *warm, double cutoff,
                  double deadline, ap__assign *out, double *z, int *proven, ap_error *err)
{
    if (!p->single_source) {
        int r = ap__transport(p, open, deadline, out, z, err);
        if (r != 2) {
            *proven = r == 0;
            return r;
        }
    }
    return ap__gap_glpk(p, open, warm, cutoff, deadline, out, z, proven, err);
}

void ap__keep_best(size_t *best, double *bv, size_t *n, size_t cand, size_t t, double v)
{
    size_t q;
    if (*n == cand && !(v < bv[*n - 1]))
        return;
    q = *n < cand ? (*n)++ : *n - 1; /* insert in order, dropping the last */
    while (q > 0 && bv[q - 1] > v) {
        bv[q] = bv[q - 1], best[q] = best[q - 1];
        q--;
    }
    bv[q] = v, best[q] = t;
}

/* The `cand` closed sites cheapest for the clients of open site s (with
 * their opening cost) into best[]; how many. */
static size_t candidates(const ap_problem *p, const unsigned char *open, const long *of, size_t s,
                         size_t cand, size_t *best, double *bv)
{
    size_t i, t, n = 0;
    for (t = 0; t < p->ns; t++) {
        double v = p->fcost[t];
        if (open[t])
            continue;
        for (i = 0; i < p->nc && isfinite(v); i++)
            if (of[i] == (long)s)
                v += p->demand[i] * p->cost[i * p->ns + t];
        if (isfinite(v))
            ap__keep_best(best, bv, &n, cand, t, v);
    }
    return n;
}

/* The `cand` closed sites whose opening looks best: each client's saving
 * against its cost now (cur, per unit of demand), less the opening cost;
 * into best[]; how many. */
static size_t add_candidates(const ap_problem *p, const unsigned char *open, const double *cur, size_t cand,
                             size_t *best, double *bv)
{
    size_t i, t, n = 0;
    for (t = 0; t < p->ns; t++) {
        double v = p->fcost[t];
        if (open[t])
            continue;
        for (i = 0; i < p->nc; i++) {
            double c = p->cost[i * p->ns + t];
            if (c < cur[i])
                v -= p->demand[i] * (cur[i] - c);
        }
        ap__keep_best(best, bv, &n, cand, t, v);
    }
    return n;
}

typedef struct {
    const ap_problem *p;
    double deadline;
    unsigned char *open, *trial;
    ap__assign *asg, tmp;
    double *z;
    size_t *ncalls;
    int integral;      /* the objective is integral: the cutoff is 1 below *z */
} descent;

/* Evaluates d->trial exactly; 1 when it beat *z (now the current plan),
 * 0 not, -1 error. */
static int try_sites(descent *d, ap_error *err)
{
    double zt, cutoff = ap__lagr_threshold(d->integral, *d->z);
    int r, proven;
    if (!ap__changes_ok(d->p, d->trial))
        return 0;
    r = ap__gap_exact(d->p, d->trial, NULL, cutoff, d->deadline, &d->tmp, &zt, &proven, err);
    ++*d->ncalls;
    if (r < 0)
        return -1;
    if (r == 0 && zt < *d->z - 1e-9 * (1 + fabs(*d->z))) {
        ap__assign sw = *d->asg;
        *d->asg = d->tmp;
        d->tmp = sw;
        memcpy(d->open, d->trial, d->p->ns);
        *d->z = zt;
        return 1;
    }
    return 0;
}

/* One pass of the descent: for each open site, closing it (k free) and
 * relocating it to its candidates; then (k free) opening one of the best
 * candidates.  1 improved, 0 not, -1 error. */
static int descent_pass(descent *d, size_t cand, long *of, double *cur, size_t *best, double *bv,
                        ap_error *err)
{
    const ap_problem *p = d->p;
    size_t h, s, c, n;
    int r;
    for (h = 0; h < p->nc; h++)
        of[h] = -1, cur[h] = 0;
    for (h = 0; h < d->asg->na; h++) {
        of[d->asg->client[h]] = (long)d->asg->site[h];
        cur[d->asg->client[h]] += d->asg->share[h] * p->cost[d->asg->client[h] * p->ns + d->asg->site[h]];
    }
    for (s = 0; s < p->ns && !ap__stopped(d->deadline); s++) {
        if (!d->open[s] || (p->pin && p->pin[s]))
            continue;
        memcpy(d->trial, d->open, p->ns);
        d->trial[s] = 0;
        if (!p->k && (r = try_sites(d, err)) != 0)
            return r;
        n = candidates(p, d->open, of, s, cand, best, bv);
        for (c = 0; c < n && !ap__stopped(d->deadline); c++) {
            memcpy(d->trial, d->open, p->ns);
            d->trial[s] = 0;
            d->trial[best[c]] = 1;
            if ((r = try_sites(d, err)) != 0)
                return r;
        }
    }
    if (p->k)
        return 0;
    n = add_candidates(p, d->open, cur, cand, best, bv);
    for (c = 0; c < n && !ap__stopped(d->deadline); c++) {
        memcpy(d->trial, d->open, p->ns);
        d->trial[best[c]] = 1;
        if ((r = try_sites(d, err)) != 0)
            return r;
    }
    return 0;
}

int ap__gap_descent(const ap_problem *p, double deadline, size_t cand, int integral, unsigned char *open,
                    ap__assign *asg, double *z, size_t *ncalls, ap_error *err)
{
    descent d = {p, deadline, open, malloc(p->ns), asg, {0, 0, NULL, NULL, NULL}, z, ncalls, integral};
    long *of = malloc(p->nc * sizeof *of);
    double *cur = malloc(p->nc * sizeof *cur), *bv = malloc((cand + 1) * sizeof *bv);
    size_t *best = malloc((cand + 1) * sizeof *best);
    int rc = 0, r = 1;
    if (!d.trial || !of || !cur || !best || !bv) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in the relocation search");
        rc = -1;
        goto done;
    }
    while (r == 1 && !ap__stopped(deadline))
        r = descent_pass(&d, cand, of, cur, best, bv, err);
    if (r < 0)
        rc = -1;
done:
    free(d.trial);
    free(of);
    free(cur);
    free(best);
    free(bv);
    ap__assign_free(&d.tmp);
    return rc;
}
