/* ss_lns.c - single source with capacities: a large-neighbourhood search
 * over groups of nearby open sites.  For an open site and its g - 1
 * nearest open sites (g = 2, 3, 4), the clients they serve are re-placed by
 * a small GLPK integer program: the same number of sites (k fixed; with k
 * free, opening costs decide) chosen among the group and the closed sites
 * cheapest for those clients, each client to one site within its
 * capacity, the next open sites taking clients within their spare
 * capacity.  With tight capacities and many medians the swap descent stops
 * where moving one site is never enough: two or three sites must move
 * together and their clients be re-dealt, which is what each small program
 * finds exactly.  Variable neighbourhood order: back to pairs after each
 * improvement, larger groups when pairs are exhausted; a group is solved
 * again only when one of its sites changed since it was solved in vain.
 * Groups of 5 and 6 were tried: on n = 200, p = 60 they improved nothing in
 * 12 s while pairs improved 16 times in 0.2 s. */
#include "glpk_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LNS_GMAX 4     /* largest group of open sites re-placed together */
#define LNS_SPARE 2    /* open sites beyond the group that take clients */
#define LNS_CAND 4     /* closed sites per client among the candidates */
#define LNS_MAXCLI 30   /* clients at most in one small program */
#define LNS_SUB_TIME 0.5 /* seconds at most for one small program */
#define LNS_ILS_GAIN 0.005 /* descent gains over this share: kicks follow */
#define LNS_KICK_GMAX 2 /* the descents after kicks: pairs only (cheap) */
#define LNS_KICKS_VAIN 300 /* kicks in a row without a better plan: stop, */
#define LNS_KICKS_SITE 3   /* or after this many per open site, */
#define LNS_KICKS_MIN 20   /* but at least this many */
#define LNS_KICKS_IDLE 100 /* kicks in a row that found no group: stop */

typedef struct {
    const ap_problem *p;
    double deadline;
    int integral;
    int kicks;              /* kicks allowed after the descent */
    unsigned char *open;
    long *of;               /* nc: the site of each client */
    double *load;           /* ns: demand served by each site */
    size_t *olist, no;      /* the open sites */
    size_t *cstart, *clist; /* clients by position in olist (CSR) */
    long *opos;             /* ns: position in olist, -1 closed */
    double *near;           /* no: proxy distance to the current site */
    size_t *order;          /* no: scratch */
    /* the small program: sites (group, then spare, then candidates) */
    size_t *site, nsite, ngrp, nspare;
    long *spos;             /* ns: position in site[], -1 none */
    size_t *cli, ncli;
    int *xcol;              /* ncli x nsite: column of x_it, 0 none */
    int *ycol;              /* nsite: column of y_t (group, candidates) */
    double *warm;           /* 1-based column values of the current plan */
    size_t xcap;            /* entries of xcol, and of warm less one */
    int *ind;
    double *val;
    unsigned char *bopen;   /* ns: the best plan's sites during kicks */
    long *bof;              /* nc: its clients' sites */
    long *to;               /* nc: a program's site (position) per client */
    double *add;            /* ns: a program's load per site (position) */
    long *stamp;            /* ns: step at which the site's clients last changed */
    long *tried;            /* ns x (LNS_GMAX + 1): step at which the group of
                               the site and size g was solved in vain (-1 not) */
    long step;
    size_t subs, better, nkicks, kicks_won, skipped;
    size_t gsubs[LNS_GMAX + 1], gwin[LNS_GMAX + 1];
    double gsec[LNS_GMAX + 1];
} lns;

/* Open sites, their clients (CSR by position), the loads. */
static void index_plan(lns *w)
{
    const ap_problem *p = w->p;
    size_t i, j, q;
    w->no = 0;
    for (j = 0; j < p->ns; j++) {
        w->opos[j] = w->open[j] ? (long)w->no : -1;
        if (w->open[j])
            w->olist[w->no++] = j;
        w->load[j] = 0;
    }
    memset(w->cstart, 0, (w->no + 1) * sizeof *w->cstart);
    for (i = 0; i < p->nc; i++)
        if (w->of[i] >= 0) {
            w->cstart[w->opos[w->of[i]] + 1]++;
            w->load[w->of[i]] += p->demand[i];
        }
    for (q = 0; q < w->no; q++)
        w->cstart[q + 1] += w->cstart[q];
    for (q = 0; q < w->no; q++)
        w->order[q] = w->cstart[q];
    for (i = 0; i < p->nc; i++)
        if (w->of[i] >= 0)
            w->clist[w->order[w->opos[w->of[i]]]++] = i;
}

static _Thread_local const double *near_key; /* the qsort key of by_near */
static int by_near(const void *a, const void *b)
{
    double x = near_key[*(const size_t *)a], y = near_key[*(const size_t *)b];
    return x < y ? -1 : x > y;
}

/* The open sites by how cheaply they serve the clients of open site q
 * (demand-weighted mean cost), nearest first, into w->order. */
static void nearest_open(lns *w, size_t q)
{
    const ap_problem *p = w->p;
    size_t r, h;
    for (r = 0; r < w->no; r++) {
        double s = 0, d = 0;
        size_t t = w->olist[r];
        for (h = w->cstart[q]; h < w->cstart[q + 1]; h++) {
            size_t i = w->clist[h];
            s += p->demand[i] * p->cost[i * p->ns + t];
            d += p->demand[i];
        }
        w->near[r] = r == q ? -INFINITY : d > 0 ? s / d : (isfinite(s) ? 0 : INFINITY);
        if (isnan(w->near[r]))
            w->near[r] = INFINITY;
        w->order[r] = r;
    }
    near_key = w->near;
    qsort(w->order, w->no, sizeof *w->order, by_near);
}

static void add_site(lns *w, size_t t)
{
    w->spos[t] = (long)w->nsite;
    w->site[w->nsite++] = t;
}

/* Whether client i may go to site t of the program (finite cost, demand
 * within the site's capacity, or its spare capacity for a spare site). */
static int allowed(const lns *w, size_t i, size_t t, size_t s)
{
    const ap_problem *p = w->p;
    double c = p->cost[i * p->ns + t];
    if (!isfinite(c))
        return 0;
    if (s >= w->ngrp && s < w->ngrp + w->nspare)
        return p->demand[i] <= p->cap[t] - w->load[t] + 1e-9;
    return p->demand[i] <= p->cap[t] + 1e-9;
}

/* The group of open site q (g sites), the spare sites, the clients and the
 * candidate closed sites.  0, or 1 when the group cannot be formed. */
static int gather(lns *w, size_t q, size_t g)
{
    const ap_problem *p = w->p;
    size_t r, h, j;
    if (g > w->no)
        return 1;
    nearest_open(w, q);
    w->nsite = w->ncli = 0;
    for (r = 0; r < g; r++) {
        size_t o = w->order[r];
        if (!isfinite(w->near[o]) && r > 0)
            return 1;
        if (w->ncli + (w->cstart[o + 1] - w->cstart[o]) > LNS_MAXCLI)
            return 1;
        add_site(w, w->olist[o]);
        for (h = w->cstart[o]; h < w->cstart[o + 1]; h++)
            w->cli[w->ncli++] = w->clist[h];
    }
    w->ngrp = g;
    for (r = g; r < w->no && r < g + LNS_SPARE && isfinite(w->near[w->order[r]]); r++)
        add_site(w, w->olist[w->order[r]]);
    w->nspare = w->nsite - g;
    for (h = 0; h < w->ncli; h++) {
        size_t i = w->cli[h], best[LNS_CAND], nb = 0, b;
        double bv[LNS_CAND];
        for (j = 0; j < p->ns; j++) {
            double c = p->cost[i * p->ns + j];
            if (!w->open[j] && w->spos[j] < 0 && isfinite(c) && p->demand[i] <= p->cap[j] + 1e-9)
                ap__keep_best(best, bv, &nb, LNS_CAND, j, c);
        }
        for (b = 0; b < nb; b++)
            add_site(w, best[b]);
    }
    return 0;
}

/* The program's columns and rows; the current plan as warm values. */
static void build(lns *w, glp_prob *P)
{
    const ap_problem *p = w->p;
    size_t h, s, spare_end = w->ngrp + w->nspare;
    int c, m, row;
    glp_set_obj_dir(P, GLP_MIN);
    for (s = 0; s < w->nsite; s++) {
        size_t t = w->site[s];
        w->ycol[s] = 0;
        if (s >= w->ngrp && s < spare_end)
            continue;
        c = w->ycol[s] = glp_add_cols(P, 1);
        glp_set_col_kind(P, c, GLP_BV);
        glp_set_obj_coef(P, c, p->fcost[t]);
        if (s < w->ngrp && p->pin && p->pin[t])
            glp_set_col_bnds(P, c, GLP_FX, 1, 1);
        w->warm[c] = s < w->ngrp;
    }
    for (h = 0; h < w->ncli; h++) {
        size_t i = w->cli[h];
        m = 0;
        row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_FX, 1, 1);
        for (s = 0; s < w->nsite; s++) {
            size_t t = w->site[s];
            w->xcol[h * w->nsite + s] = 0;
            if (!allowed(w, i, t, s))
                continue;
            c = w->xcol[h * w->nsite + s] = glp_add_cols(P, 1);
            glp_set_col_kind(P, c, GLP_BV);
            glp_set_obj_coef(P, c, p->demand[i] * p->cost[i * p->ns + t]);
            w->warm[c] = w->of[i] == (long)t;
            w->ind[++m] = c, w->val[m] = 1;
            if (w->ycol[s]) { /* x_it <= y_t */
                int ind[3] = {0, c, w->ycol[s]};
                double val[3] = {0, 1, -1};
                int lr = glp_add_rows(P, 1);
                glp_set_row_bnds(P, lr, GLP_UP, 0, 0);
                glp_set_mat_row(P, lr, 2, ind, val);
            }
        }
        glp_set_mat_row(P, row, m, w->ind, w->val);
    }
    for (s = 0; s < w->nsite; s++) {
        size_t t = w->site[s];
        int spare = s >= w->ngrp && s < spare_end;
        if (!isfinite(p->cap[t]))
            continue;
        m = 0;
        for (h = 0; h < w->ncli; h++)
            if ((c = w->xcol[h * w->nsite + s]) != 0)
                w->ind[++m] = c, w->val[m] = p->demand[w->cli[h]];
        if (!spare)
            w->ind[++m] = w->ycol[s], w->val[m] = -p->cap[t];
        row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_UP, 0, spare ? fmax(0, p->cap[t] - w->load[t]) : 0);
        glp_set_mat_row(P, row, m, w->ind, w->val);
    }
    if (p->k > 0) { /* as many sites as the group had */
        m = 0;
        for (s = 0; s < w->nsite; s++)
            if (w->ycol[s])
                w->ind[++m] = w->ycol[s], w->val[m] = 1;
        row = glp_add_rows(P, 1);
        glp_set_row_bnds(P, row, GLP_FX, (double)w->ngrp, (double)w->ngrp);
        glp_set_mat_row(P, row, m, w->ind, w->val);
    }
}

typedef struct {
    const lns *w;
    double thr;
    int given;
} subcb;

static void on_tree(glp_tree *T, void *info)
{
    subcb *cb = info;
    int best;
    if (ap__stopped(cb->w->deadline)) {
        glp_ios_terminate(T);
        return;
    }
    if (glp_ios_reason(T) == GLP_IHEUR && !cb->given) {
        cb->given = 1;
        glp_ios_heur_sol(T, cb->w->warm);
    }
    /* nothing below the threshold can be left */
    best = glp_ios_best_node(T);
    if (best && glp_ios_node_bound(T, best) >= cb->thr &&
        !(glp_mip_status(glp_ios_get_prob(T)) == GLP_FEAS && glp_mip_obj_val(glp_ios_get_prob(T)) < cb->thr))
        glp_ios_terminate(T);
}

/* The current cost of the group's sites and clients. */
static double group_cost(const lns *w)
{
    const ap_problem *p = w->p;
    double z = 0;
    size_t h, s;
    for (s = 0; s < w->ngrp; s++)
        z += p->fcost[w->site[s]];
    for (h = 0; h < w->ncli; h++) {
        size_t i = w->cli[h];
        z += p->demand[i] * p->cost[i * p->ns + (size_t)w->of[i]];
    }
    return z;
}

/* Takes the program's solution into the plan: 1, or 0 (plan unchanged)
 * when it leaves a client without a site or a site over its capacity
 * beyond rounding (GLPK's tolerances), or when its cost, recomputed on the
 * rounded solution, is not below thr (GLPK's value is taken at its
 * integrality tolerance; the plan's own cost is what the descent counts).
 * *zc: that cost, as group_cost counts it. */
static int take(lns *w, glp_prob *P, double thr, double *zc)
{
    const ap_problem *p = w->p;
    size_t h, s;
    double *add = w->add, z = 0;
    long *to = w->to;
    for (s = 0; s < w->nsite; s++)
        add[s] = 0;
    for (h = 0; h < w->ncli; h++) {
        to[h] = -1;
        for (s = 0; s < w->nsite; s++)
            if (w->xcol[h * w->nsite + s] && glp_mip_col_val(P, w->xcol[h * w->nsite + s]) > 0.5) {
                to[h] = (long)s;
                add[s] += p->demand[w->cli[h]];
                break;
            }
        if (to[h] < 0)
            return 0;
    }
    for (s = 0; s < w->nsite; s++) {
        size_t t = w->site[s];
        double base = s >= w->ngrp && s < w->ngrp + w->nspare ? w->load[t] : 0;
        int on = !w->ycol[s] || glp_mip_col_val(P, w->ycol[s]) > 0.5;
        if ((add[s] > 0 && !on) || base + add[s] > p->cap[t] + 1e-9 * fmax(1, p->cap[t]))
            return 0;
        if (w->ycol[s] && on)
            z += p->fcost[t];
    }
    for (h = 0; h < w->ncli; h++)
        z += p->demand[w->cli[h]] * p->cost[w->cli[h] * p->ns + w->site[to[h]]];
    if (!(z < thr))
        return 0;
    *zc = z;
    w->step++;
    for (s = 0; s < w->nsite; s++) {
        int was = w->open[w->site[s]];
        if (w->ycol[s])
            w->open[w->site[s]] = glp_mip_col_val(P, w->ycol[s]) > 0.5;
        if (s < w->ngrp + w->nspare || w->open[w->site[s]] != was)
            w->stamp[w->site[s]] = w->step;
    }
    for (h = 0; h < w->ncli; h++)
        w->of[w->cli[h]] = (long)w->site[to[h]];
    return 1;
}

/* Whether the group just gathered (site q's, of size g) was solved in vain
 * since its sites last changed; else records it as being solved now. */
static int seen_in_vain(lns *w, size_t j, size_t g)
{
    long *t = &w->tried[j * (LNS_GMAX + 1) + g], last = -1;
    size_t s;
    for (s = 0; s < w->ngrp + w->nspare; s++)
        if (w->stamp[w->site[s]] > last)
            last = w->stamp[w->site[s]];
    if (*t >= 0 && last <= *t)
        return 1;
    *t = w->step;
    return 0;
}

/* Room for n columns (x and y) in xcol and warm.  0 or -1. */
static int grow(lns *w, size_t n)
{
    int *x = realloc(w->xcol, n * sizeof *x);
    double *v;
    if (!x)
        return -1;
    w->xcol = x;
    if (!(v = realloc(w->warm, (n + 1) * sizeof *v)))
        return -1;
    w->warm = v;
    w->xcap = n;
    return 0;
}

/* The LP relaxation (GLPK's branch-and-cut without its presolver needs it
 * solved; without the presolver, the warm plan's columns are the tree's). */
static int relaxation(glp_prob *P, double deadline)
{
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    return ap__glpk_simplex(P, &sm, deadline) == 0 && glp_get_status(P) == GLP_OPT ? 0 : 1;
}

/* Forgets the program's sites (spos back to -1); returns r. */
static int release(lns *w, int r)
{
    size_t s;
    for (s = 0; s < w->nsite; s++)
        w->spos[w->site[s]] = -1;
    return r;
}

/* A kick: at least one of the group's sites (not pinned) closes. */
static void force_change(lns *w, glp_prob *P)
{
    const ap_problem *p = w->p;
    size_t s;
    int m = 0, row;
    for (s = 0; s < w->ngrp; s++)
        if (w->ycol[s] && !(p->pin && p->pin[w->site[s]]))
            w->ind[++m] = w->ycol[s], w->val[m] = 1;
    row = glp_add_rows(P, 1);
    glp_set_row_bnds(P, row, GLP_UP, 0, (double)m - 1);
    glp_set_mat_row(P, row, m, w->ind, w->val);
}

/* One small program for the group of open site q with g sites: 1 when it
 * improved the plan (kick: changed it, better or worse), 0 not, -1 out of
 * memory.  Inside the GLPK guard of the caller. */
static int one_group(lns *w, size_t q, size_t g, int kick, double *z)
{
    glp_prob *P;
    glp_iocp io;
    subcb cb;
    double cur, left = w->deadline - ap__now(), v, t0;
    int ret, st, improved = 0;
    if (gather(w, q, g) || w->ncli == 0)
        return release(w, 0);
    if (!kick && seen_in_vain(w, w->olist[q], g)) {
        w->skipped++;
        return release(w, 0);
    }
    if (w->ncli * w->nsite + w->nsite > w->xcap && grow(w, w->ncli * w->nsite + w->nsite))
        return release(w, -1);
    cur = group_cost(w);
    cb.w = w;
    cb.thr = kick ? INFINITY : ap__lagr_threshold(w->integral, cur);
    cb.given = kick; /* the plan is not a solution of a kick's program */
    P = glp_create_prob();
    build(w, P);
    if (kick)
        force_change(w, P);
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_OFF;
    io.presolve = GLP_OFF;
    io.cov_cuts = GLP_ON;
    io.mir_cuts = GLP_ON;
    io.cb_func = on_tree;
    io.cb_info = &cb;
    io.tm_lim = (int)(1000 * fmax(0.001, fmin(LNS_SUB_TIME, left)));
    w->subs++;
    w->gsubs[g]++;
    t0 = ap__now();
    if (relaxation(P, w->deadline)) {
        glp_delete_prob(P);
        return release(w, 0);
    }
    ret = glp_intopt(P, &io);
    st = glp_mip_status(P);
    if ((ret == 0 || ret == GLP_ETMLIM || ret == GLP_ESTOP) && (st == GLP_OPT || st == GLP_FEAS) &&
        glp_mip_obj_val(P) < cb.thr && take(w, P, cb.thr, &v)) {
        *z += v - cur;
        improved = 1;
        w->better += !kick;
        w->gwin[g] += !kick;
    }
    w->gsec[g] += ap__now() - t0;
    glp_delete_prob(P);
    return release(w, improved);
}

/* Variable neighbourhood order over the groups of 2 to gmax sites.  0 or
 * -1. */
static int descend(lns *w, size_t gmax, double *z)
{
    size_t g = 2, q;
    while (g <= gmax && g <= w->no && !ap__stopped(w->deadline)) {
        int improved = 0, r;
        for (q = 0; q < w->no && !ap__stopped(w->deadline); q++) {
            if ((r = one_group(w, q, g, 0, z)) < 0)
                return -1;
            if (r) {
                improved = 1;
                index_plan(w); /* positions may have moved: resume at q */
            }
        }
        g = improved ? 2 : g + 1;
    }
    return 0;
}

/* Back to the best plan; the sites whose clients change get a new stamp. */
static void restore(lns *w)
{
    const ap_problem *p = w->p;
    size_t i, j;
    w->step++;
    for (i = 0; i < p->nc; i++)
        if (w->of[i] != w->bof[i]) {
            w->stamp[w->of[i]] = w->stamp[w->bof[i]] = w->step;
            w->of[i] = w->bof[i];
        }
    for (j = 0; j < p->ns; j++)
        if (w->open[j] != w->bopen[j]) {
            w->stamp[j] = w->step;
            w->open[j] = w->bopen[j];
        }
    index_plan(w);
}

/* The descent; then, when it improved the plan by more than LNS_ILS_GAIN
 * (a rough landscape, where more local optima pay), kicks until the
 * deadline (or LNS_KICKS_SITE per open site, within LNS_KICKS_MIN ..
 * LNS_KICKS_VAIN, kicks in a row without a better plan): a
 * random group of 2 or 3 sites re-placed with one of its sites closed, a
 * descent over pairs, the better plan kept.  0 or -1. */
static int search(lns *w, double *z)
{
    const ap_problem *p = w->p;
    double z0 = *z, zb;
    uint64_t seed = 0xA0761D6478BD642FULL ^ (uint64_t)(p->nc * 17 + p->ns);
    size_t round, idle = 0, vain = 0, vain_max = LNS_KICKS_SITE * w->no;
    /* few open sites have few groups to kick: on n = 100, p = 10 with
     * demands in the thousands, 216 kicks won nothing in 30 s */
    vain_max = vain_max < LNS_KICKS_MIN ? LNS_KICKS_MIN : vain_max > LNS_KICKS_VAIN ? LNS_KICKS_VAIN : vain_max;
    if (descend(w, LNS_GMAX, z))
        return -1;
    zb = *z;
    if (!w->kicks || !(z0 - zb > LNS_ILS_GAIN * fabs(z0)))
        return 0;
    memcpy(w->bopen, w->open, p->ns);
    memcpy(w->bof, w->of, p->nc * sizeof *w->of);
    for (round = 0; !ap__stopped(w->deadline) && w->no >= 2 && idle < LNS_KICKS_IDLE && vain < vain_max;
         round++) {
        int r = one_group(w, (size_t)(ap__rnd(&seed) % w->no), 2 + round % 2, 1, z);
        if (r < 0)
            return -1;
        if (r == 0) { /* no group to kick there (too many clients, all pinned) */
            idle++;
            continue;
        }
        idle = 0;
        vain++;
        index_plan(w);
        if (descend(w, LNS_KICK_GMAX, z))
            return -1;
        if (*z < zb - 1e-9 * (1 + fabs(zb))) {
            zb = *z;
            vain = 0;
            w->kicks_won++;
            memcpy(w->bopen, w->open, p->ns);
            memcpy(w->bof, w->of, p->nc * sizeof *w->of);
        } else {
            *z = zb;
            restore(w);
        }
    }
    w->nkicks = round;
    return 0;
}

static int alloc_all(lns *w, size_t nc, size_t ns)
{
    size_t maxc = nc, maxs = LNS_GMAX + LNS_SPARE + LNS_CAND * nc;
    if (maxs > ns)
        maxs = ns;
    w->of = malloc(nc * sizeof *w->of);
    w->load = malloc(ns * sizeof *w->load);
    w->olist = malloc(ns * sizeof *w->olist);
    w->cstart = malloc((ns + 1) * sizeof *w->cstart);
    w->clist = malloc((nc + 1) * sizeof *w->clist);
    w->opos = malloc(ns * sizeof *w->opos);
    w->near = malloc(ns * sizeof *w->near);
    w->order = malloc((ns + 1) * sizeof *w->order);
    w->site = malloc(maxs * sizeof *w->site);
    w->spos = malloc(ns * sizeof *w->spos);
    w->cli = malloc(maxc * sizeof *w->cli);
    w->ycol = malloc(maxs * sizeof *w->ycol);
    w->bopen = malloc(ns);
    w->bof = malloc(nc * sizeof *w->bof);
    w->to = malloc(nc * sizeof *w->to);
    w->stamp = calloc(ns, sizeof *w->stamp);
    w->tried = malloc(ns * (LNS_GMAX + 1) * sizeof *w->tried);
    w->add = malloc(ns * sizeof *w->add);
    w->ind = malloc((maxc + maxs + 1) * sizeof *w->ind);
    w->val = malloc((maxc + maxs + 1) * sizeof *w->val);
    return w->of && w->load && w->olist && w->cstart && w->clist && w->opos && w->near && w->order &&
        w->site && w->spos && w->cli && w->ycol && w->bopen && w->bof && w->to && w->add && w->stamp &&
        w->tried && w->ind && w->val && !grow(w, 1024) ? 0 : -1;
}

static void free_all(lns *w)
{
    free(w->of), free(w->load), free(w->olist), free(w->cstart), free(w->clist), free(w->opos);
    free(w->near), free(w->order), free(w->site), free(w->spos), free(w->cli), free(w->xcol);
    free(w->ycol), free(w->warm), free(w->ind), free(w->val), free(w->bopen), free(w->bof);
    free(w->to), free(w->add), free(w->stamp), free(w->tried);
}

int ap__ss_lns(const ap_problem *p, const ap_solve_opts *o, double deadline, int kicks, unsigned char *open,
               ap__assign *a, ap_error *err)
{
    ap__glpk_guard g;
    lns *volatile w = calloc(1, sizeof *w);
    double z0, z, t0 = ap__now();
    size_t h, j;
    volatile int rc = -1;
    memset(&g, 0, sizeof g);
    if (!w || alloc_all(w, p->nc, p->ns)) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in the neighbourhood search");
        goto out;
    }
    w->p = p;
    w->deadline = deadline;
    w->integral = ap__objective_integral(p);
    w->kicks = kicks;
    w->open = open;
    for (j = 0; j < p->ns; j++)
        w->spos[j] = -1;
    for (j = 0; j < p->ns * (LNS_GMAX + 1); j++)
        w->tried[j] = -1;
    for (h = 0; h < p->nc; h++)
        w->of[h] = -1;
    rc = 0; /* a plan that is not one site per client, on open sites, is left as it is */
    for (h = 0; h < a->na; h++) {
        size_t i = a->client[h], j2 = a->site[h];
        if (i >= p->nc || j2 >= p->ns || !open[j2] || w->of[i] >= 0)
            goto out;
        w->of[i] = (long)j2;
    }
    for (h = 0; h < p->nc; h++)
        if (w->of[h] < 0) /* a client unserved */
            goto out;
    rc = -1;
    z = z0 = ap__objective(p, open, a);
    index_plan(w);
    if (setjmp(g.jb)) {
        ap__glpk_failed(&g, err);
        goto out;
    }
    ap__glpk_hook(&g);
    if (search(w, &z)) {
        ap__glpk_unhook();
        ap__err(err, AP_ENOMEM, NULL, "out of memory in the neighbourhood search");
        goto out;
    }
    ap__glpk_unhook();
    rc = 0;
    if (w->better || w->kicks_won) {
        ap__assign_clear(a);
        for (h = 0; h < p->nc; h++)
            if (ap__assign_push(a, h, (size_t)w->of[h], 1.0)) {
                ap__err(err, AP_ENOMEM, NULL, "out of memory in the neighbourhood search");
                rc = -1;
                goto out;
            }
    }
    for (j = 2; j <= LNS_GMAX; j++)
        if (w->gsubs[j])
            ap__log(o, AP_LOG_INFO, "neighbourhood search: groups of %zu: %zu of %zu programs improved, %.2fs", j,
                    w->gwin[j], w->gsubs[j], w->gsec[j]);
    ap__log(o, AP_LOG_INFO, "neighbourhood search: objective %.10g (from %.10g), %zu of %zu small programs "
            "improved (%zu unchanged groups skipped), %zu of %zu kicks, %.2fs", ap__objective(p, open, a), z0,
            w->better, w->subs, w->skipped, w->kicks_won, w->nkicks, ap__now() - t0);
out:
    if (w) {
        free_all(w);
        free(w);
    }
    return rc;
}
