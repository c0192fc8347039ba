/* cover.c - the least-cost cover: choose items j (cost v_j >= 0, size
 * q_j > 0) whose sizes sum to at least `need` at the least total cost (a
 * 0-1 knapsack in its minimisation form).  The split-demand Lagrangian
 * (lagrange_cfl.c) solves it over the sites on every step when their
 * capacities differ; its LP (the cheapest per unit first, the last item
 * fractional) is the bound it had before, the integer optimum is stronger.
 *
 * Depth-first branch-and-bound in the LP's order, the item taken before it
 * is left out, each node bounded by the LP of the items after it (prefix
 * sums and a binary search: O(log n) a node).  A node limit keeps the worst
 * case in hand: a search cut short says so and the caller keeps the LP. */
#include "solver.h"
#include <math.h>
#include <stdlib.h>

int ap__cover_init(ap__cover *c, size_t cap)
{
    c->n = 0;
    c->v = malloc(cap * sizeof *c->v);
    c->q = malloc(cap * sizeof *c->q);
    c->pv = malloc((cap + 1) * sizeof *c->pv);
    c->pq = malloc((cap + 1) * sizeof *c->pq);
    c->stack = malloc(cap * sizeof *c->stack);
    c->best = malloc(cap * sizeof *c->best);
    c->id = malloc(cap * sizeof *c->id);
    if (!c->v || !c->q || !c->pv || !c->pq || !c->stack || !c->best || !c->id) {
        ap__cover_free(c);
        return -1;
    }
    return 0;
}

void ap__cover_free(ap__cover *c)
{
    free(c->v);
    free(c->q);
    free(c->pv);
    free(c->pq);
    free(c->stack);
    free(c->best);
    free(c->id);
    c->v = c->q = c->pv = c->pq = NULL;
    c->stack = c->best = c->id = NULL;
    c->n = 0;
}

/* The LP of items t.. for `need`: the cheapest per unit first, the last one
 * fractional; INFINITY when they cannot cover it. */
static double lp_from(const ap__cover *c, size_t t, double need)
{
    size_t lo = t, hi = c->n, s;
    double target = c->pq[t] + need;
    if (c->pq[c->n] < target)
        return INFINITY;
    /* the first s with pq[s + 1] >= target */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->pq[mid + 1] >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    s = lo;
    return c->pv[s] - c->pv[t] + (target - c->pq[s]) * (c->v[s] / c->q[s]);
}

double ap__cover_lp(const ap__cover *c, double need, size_t without)
{
    /* without item t: when the LP for need + q_t takes t whole (every item
     * before t fits in need), dropping t from it leaves the LP of the
     * others for need; else the LP for need does not reach t */
    if (without < c->n && c->pq[without] <= need)
        return lp_from(c, 0, need + c->q[without]) - c->v[without];
    return lp_from(c, 0, need);
}

int ap__cover_solve(ap__cover *c, double need, double cutoff, int first, size_t limit, double *val)
{
    size_t t = 0, depth = 0, nbest = 0, nodes = 0, i;
    double tol = 1e-9 * (1 + fabs(need)), cur = 0, best = cutoff, bar = cutoff;
    int found = 0;

    c->pv[0] = c->pq[0] = 0;
    for (i = 0; i < c->n; i++) {
        c->pv[i + 1] = c->pv[i] + c->v[i];
        c->pq[i + 1] = c->pq[i] + c->q[i];
    }
    need -= tol;
    for (;;) {
        /* dive: take items while the bound allows */
        while (need > 0 && t < c->n) {
            if (++nodes > limit || !(cur + lp_from(c, t, need) < bar))
                break;
            c->stack[depth++] = t;
            cur += c->v[t];
            need -= c->q[t];
            t++;
        }
        if (nodes > limit)
            break;
        if (need <= 0 && cur < best) {
            best = cur;
            bar = best - 1e-12 * fabs(best);
            found = 1;
            nbest = depth;
            for (i = 0; i < depth; i++)
                c->best[i] = c->stack[i];
            if (first)
                break;
        }
        /* backtrack: leave out the last item taken */
        if (depth == 0)
            break;
        t = c->stack[--depth];
        cur -= c->v[t];
        need += c->q[t];
        t++;
    }
    c->nbest = found ? nbest : 0;
    *val = found ? best : INFINITY;
    return nodes > limit ? 0 : 1;
}
