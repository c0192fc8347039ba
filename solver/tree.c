/* tree.c - the nodes and the stack of the depth-first Lagrangian trees
 * (ufl.c: facility location without capacities; cfl_tree.c: with
 * capacities and split demand): a node is its bound, its branching site,
 * its fixings, its multipliers and its moving average of relaxed site
 * choices; both children of a node bounded and pushed, the progress
 * line, and the prediction of a tree's end from its closed share. */
#include "solver.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ap__tnode_free(ap__tnode *n)
{
    free(n->fix);
    free(n->u);
    free(n->ybar);
    n->fix = NULL;
    n->u = NULL;
    n->ybar = NULL;
}

int ap__tnode_copy(ap__tnode *c, const ap__tnode *from, size_t nc, size_t ns)
{
    memset(c, 0, sizeof *c);
    c->fix = calloc(ns ? ns : 1, 1);
    c->u = calloc(nc ? nc : 1, sizeof *c->u);
    c->ybar = calloc(ns ? ns : 1, sizeof *c->ybar);
    if (!c->fix || !c->u || !c->ybar) {
        ap__tnode_free(c);
        return -1;
    }
    if (from) {
        c->lb = from->lb;
        c->br = from->br;
        c->depth = from->depth;
        memcpy(c->fix, from->fix, ns);
        memcpy(c->u, from->u, nc * sizeof *c->u);
        memcpy(c->ybar, from->ybar, ns * sizeof *c->ybar);
    }
    return 0;
}

int ap__tnode_child_at(ap__tnode *c, const ap__tnode *n, size_t site, unsigned char v, size_t nc, size_t ns)
{
    if (ap__tnode_copy(c, n, nc, ns))
        return -1;
    c->fix[site] = v;
    c->ybar[site] = v == 2;
    c->depth = n->depth + 1;
    return 0;
}

int ap__tnode_child(ap__tnode *c, const ap__tnode *n, unsigned char v, size_t nc, size_t ns)
{
    return ap__tnode_child_at(c, n, n->br, v, nc, ns);
}

int ap__tstack_push(ap__tstack *s, const ap__tnode *n)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        ap__tnode *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = *n;
    return 0;
}

int ap__tstack_push_children(ap__tstack *s, ap__tnode c[2], const int kept[2])
{
    int q;
    if (kept[0] && kept[1] && c[0].lb < c[1].lb) {
        ap__tnode x = c[0];
        c[0] = c[1];
        c[1] = x;
    }
    for (q = 0; q < 2; q++) {
        if (!kept[q])
            continue;
        if (ap__tstack_push(s, &c[q])) {
            ap__tnode_free(&c[q]);
            if (q == 0 && kept[1])
                ap__tnode_free(&c[1]);
            return -1;
        }
    }
    return 0;
}

double ap__tstack_least(const ap__tstack *s, double cur)
{
    size_t q;
    for (q = 0; q < s->n; q++)
        if (s->v[q].lb < cur)
            cur = s->v[q].lb;
    return cur;
}

void ap__tstack_free(ap__tstack *s)
{
    size_t q;
    for (q = 0; q < s->n; q++)
        ap__tnode_free(&s->v[q]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

int ap__tstack_expand(ap__tstack *s, const ap__tnode *n, ap__tchild child, void *ctx)
{
    ap__tnode c[2];
    int r[2], kept[2];
    if ((r[0] = child(ctx, n, 1, &c[0])) < 0)
        return -1;
    if ((r[1] = child(ctx, n, 2, &c[1])) < 0) {
        if (r[0] == 0)
            ap__tnode_free(&c[0]);
        return -1;
    }
    kept[0] = r[0] == 0, kept[1] = r[1] == 0;
    return ap__tstack_push_children(s, c, kept);
}

void ap__tree_progress(const ap_solve_opts *o, const char *what, double ub, double lb, size_t nodes, size_t open,
                       double closed, double elapsed, double left)
{
    char end[48] = "";
    /* below 0.1% closed the extrapolation spans more than ten doublings:
     * on trees that did not finish it promised ends minutes too soon */
    if (closed >= 1e-3 && isfinite(left) && left < 1e7)
        snprintf(end, sizeof end, "  predicted end in %.0fs", left);
    ap__log(o, AP_LOG_PROGRESS,
            "%s: incumbent %.10g  bound %.10g  gap %.4f%%  nodes %zu  open %zu  closed %.3g%%  elapsed %.1fs%s", what,
            ub, lb, ub != 0 ? 100.0 * (ub - lb) / fabs(ub) : 0.0, nodes, open, 100 * closed, elapsed, end);
}

void ap__tpredict_init(ap__tpredict *pr)
{
    pr->n = 0;
    pr->every = 0.25;
}

void ap__tpredict_add(ap__tpredict *pr, double elapsed, double closed)
{
    int q;
    if (pr->n > 0 && elapsed - pr->t[pr->n - 1] < pr->every)
        return;
    if (pr->n == AP__TPRED_N) {
        for (q = 0; 2 * q < AP__TPRED_N; q++)
            pr->t[q] = pr->t[2 * q], pr->c[q] = pr->c[2 * q];
        pr->n = AP__TPRED_N / 2;
        pr->every *= 2;
    }
    pr->t[pr->n] = elapsed, pr->c[pr->n] = closed;
    pr->n++;
}

/* Depth first, the closed share grows about geometrically once the tree
 * has been dived: log2 c rises about linearly to 0 (all closed). */
double ap__tpredict_left(const ap__tpredict *pr, double elapsed, double closed)
{
    int q, ref = -1;
    double slope;
    if (closed >= 1)
        return 0;
    for (q = 0; q < pr->n && pr->t[q] <= elapsed / 2; q++)
        if (pr->c[q] > 0)
            ref = q;
    if (ref < 0 || !(closed > pr->c[ref]) || !(elapsed > pr->t[ref]))
        return INFINITY;
    slope = (log2(closed) - log2(pr->c[ref])) / (elapsed - pr->t[ref]);
    return -log2(closed) / slope;
}
