/* cfl_tree.c - split-demand facility location with capacities (k free) by
 * Lagrangian branch-and-bound.
 *
 * Each node of a depth-first tree fixes some sites open or closed.  Its
 * bound is the split-demand Lagrangian of lagrange_cfl.c (assignment rows
 * relaxed: a continuous knapsack per site, the integer cover over the
 * sites) with the node's sites fixed; every multiplier vector gives a valid
 * bound, so a child starts from its parent's best multipliers and a few
 * subgradient steps move them on: a node costs a few passes over the
 * clients of each free site, not an LP.  The same steps fix sites inside
 * the subtree (a site whose other setting bounds the node at the
 * threshold), and their relaxed choices become plans (the transportation
 * plan of the chosen sites).  The tree branches on the free site whose
 * moving average of relaxed choices is the most fractional; both children
 * are bounded when made, the one of lower bound searched first.  The
 * incumbent is optimal only when the tree is exhausted; on a time limit
 * the bound is the least bound of the nodes left. */
#include "solver.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CFL_ROOT_ITERS 300  /* subgradient steps at the tree's root */
#define CFL_NODE_ITERS 60   /* at any other node */
#define CFL_NODE_STALL 8    /* halve the step after this many without a better bound */
#define CFL_ROOT_MU 0.5     /* first step factor at the root (converged multipliers) */
#define CFL_NODE_MU 1.0     /* and at a node */

typedef ap__tnode node;

typedef struct {
    const ap_problem *p;
    const ap_solve_opts *o;
    ap__cfl *w;
    double deadline, t0, lastlog;
    double *ub;
    double lost;        /* least bound of leaves whose plan time cut short */
    ap__tstack st;
    size_t nodes;
    double closed;      /* share of the search space closed (2^-depth a pruned node) */
    ap__tpredict pred;  /* the closed share over time: the predicted end */
} tree;

/* The free site whose average choice is the most fractional, ties to the
 * value nearest zero; ns when none is free. */
static size_t branch_site(const tree *t, const node *n)
{
    const double *v = ap__cfl_values(t->w);
    size_t j, bj = t->p->ns;
    double bf = -1, bv = INFINITY;
    for (j = 0; j < t->p->ns; j++) {
        double f;
        if (n->fix[j])
            continue;
        f = fmin(n->ybar[j], 1 - n->ybar[j]);
        if (f > bf + 1e-12 || (f > bf - 1e-12 && fabs(v[j]) < bv))
            bf = f, bv = fabs(v[j]), bj = j;
    }
    return bj;
}

/* Bounds node n from its multipliers (n->lb its parent's bound): 1 pruned,
 * 0 to branch on (n->lb, n->br set), -1 error. */
static int bound_node(tree *t, node *n, size_t maxit, double mu)
{
    ap__cfl_run run;
    size_t j;
    unsigned char *sel;
    int r;
    memset(&run, 0, sizeof run);
    run.maxit = maxit;
    run.mu = mu;
    run.stall = CFL_NODE_STALL;
    run.ybar = n->ybar;
    t->nodes++;
    if (ap__cfl_steps(t->w, n->fix, n->u, &run))
        return -1;
    if (run.pruned || !(run.lb < ap__cfl_threshold(t->w)))
        return 1;
    if (run.lb > n->lb)
        n->lb = run.lb;
    if ((n->br = branch_site(t, n)) < t->p->ns)
        return 0;
    /* every site fixed: the node is one plan */
    if (!(sel = malloc(t->p->ns)))
        return -1;
    for (j = 0; j < t->p->ns; j++)
        sel[j] = n->fix[j] == 2;
    r = ap__cfl_try(t->w, sel, n->fix);
    free(sel);
    if (r < 0)
        return -1;
    if (ap__stopped(t->deadline) && n->lb < t->lost)
        t->lost = n->lb; /* its plan may not have been evaluated */
    return 1;
}

/* The child of n with site n->br set to v (1 closed, 2 open), bounded:
 * 1 pruned, 0 kept in c, -1 error. */
static int child(void *ctx, const node *n, unsigned char v, node *c)
{
    tree *t = ctx;
    int r;
    if (ap__tnode_child(c, n, v, t->p->nc, t->p->ns))
        return -1;
    r = bound_node(t, c, CFL_NODE_ITERS, CFL_NODE_MU);
    if (r > 0)
        t->closed += ldexp(1.0, -(int)c->depth);
    if (r != 0)
        ap__tnode_free(c);
    return r;
}

/* The least bound of the nodes left and of cur. */
static double tree_bound(const tree *t, double cur)
{
    return fmin(ap__tstack_least(&t->st, fmin(cur, t->lost)), *t->ub);
}

static void progress(tree *t, double cur)
{
    double now = ap__now(), b;
    if (now - t->lastlog < 1.0)
        return;
    t->lastlog = now;
    b = tree_bound(t, cur);
    ap__tree_progress(t->o, "cfl branch-and-bound", *t->ub, b, t->nodes, t->st.n, t->closed, now - t->t0,
                      ap__tpredict_left(&t->pred, now - t->t0, t->closed));
}

/* Depth-first search: 1 exhausted, 0 time ran out (*lb), -1 error. */
static int search(tree *t, double *lb)
{
    while (t->st.n > 0) {
        node n = t->st.v[--t->st.n];
        int r;
        if (!(n.lb < ap__cfl_threshold(t->w))) {
            t->closed += ldexp(1.0, -(int)n.depth);
            ap__tnode_free(&n);
            continue;
        }
        if (ap__stopped(t->deadline)) {
            t->st.v[t->st.n++] = n;
            *lb = tree_bound(t, INFINITY);
            return 0;
        }
        ap__tpredict_add(&t->pred, ap__now() - t->t0, t->closed);
        progress(t, n.lb);
        r = ap__tstack_expand(&t->st, &n, child, t);
        ap__tnode_free(&n);
        if (r < 0)
            return -1;
    }
    if (isfinite(t->lost)) {
        *lb = tree_bound(t, INFINITY);
        return 0;
    }
    *lb = *t->ub;
    return 1;
}

int ap__cfl_tree_applies(const ap_problem *p)
{
    return !p->single_source && ap__capacitated(p) && p->k == 0 && p->max_changes < 0 && p->nc > 0 && p->ns > 0;
}

int ap__cfl_tree(const ap_problem *p, const ap_solve_opts *o, double deadline, const ap__lagr *lg, double *ub,
                 unsigned char *ub_open, ap__assign *ub_asg, double *lb, ap_error *err)
{
    tree t;
    node r;
    size_t i, j;
    int rc = -1, done = 0;
    memset(&t, 0, sizeof t);
    t.p = p, t.o = o, t.deadline = deadline, t.ub = ub;
    t.t0 = t.lastlog = ap__now();
    ap__tpredict_init(&t.pred);
    t.lost = INFINITY;
    *lb = lg && isfinite(lg->lb) ? lg->lb : -INFINITY;
    if (!(t.w = ap__cfl_new(p, o, deadline, ub, ub_open, ub_asg, err)))
        return -1;
    ap__cfl_tree_mode(t.w, deadline);
    if (ap__tnode_copy(&r, NULL, p->nc, p->ns))
        goto oom;
    r.lb = *lb;
    ap__lagr_start(p, ub_open, r.fix, r.u);
    for (j = 0; j < p->ns; j++) {
        if (lg && lg->fix && lg->fix[j])
            r.fix[j] = lg->fix[j];
        r.ybar[j] = ub_open[j];
    }
    if (lg && lg->mult)
        for (i = 0; i < p->nc; i++)
            r.u[i] = lg->mult[i];
    rc = bound_node(&t, &r, CFL_ROOT_ITERS, CFL_ROOT_MU);
    if (rc < 0 || (rc == 0 && ap__tstack_push(&t.st, &r))) {
        ap__tnode_free(&r);
        goto oom;
    }
    if (rc != 0) {
        ap__tnode_free(&r);
        t.closed = 1; /* the root alone closes the tree */
    }
    if ((done = search(&t, lb)) < 0)
        goto oom;
    ap__log(o, AP_LOG_INFO, "cfl branch-and-bound: %s after %zu nodes (%.4g%% of the tree closed), %.2fs",
            done ? "tree exhausted" : "stopped", t.nodes, 100 * t.closed, ap__now() - t.t0);
    rc = done;
    goto out;
oom:
    if (err && err->code == AP_OK)
        ap__err(err, AP_ENOMEM, NULL, "out of memory in the facility-location branch-and-bound");
    rc = -1;
out:
    ap__tstack_free(&t.st);
    ap__cfl_free(t.w);
    return rc;
}
