/* transport.c - the best split-demand assignment of the clients to a given
 * set of open sites under capacities (a transportation problem), by
 * successive shortest paths instead of a general LP.
 *
 * Clients are added one at a time; the flow stays optimal for the clients
 * added so far.  A new client's demand goes to its cheapest open site while
 * that site has room: no path can be cheaper (any other path starts at a
 * site no cheaper and then moves clients along a cycle of the residual
 * network, which costs >= 0 when the flow is optimal).  Otherwise the
 * cheapest path is found over the open sites: moving client k's flow from
 * site a to site b costs c_kb - c_ka, so T[a][b] is the least of these over
 * the clients at a, and a label-correcting search from the client's costs
 * finds the cheapest site with room.  The flow moves along that path by
 * the most it can (the demand left, the room at the end, each moved
 * client's flow).  Every step fills a client, fills a site or empties a
 * moved flow, so this ends.
 *
 * Costs per pair are O(clients x open sites) for each blocked step, fine
 * for the dozens of open sites of a facility-location plan; no GLPK. */
#include "solver.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const ap_problem *p;
    size_t m, *list;     /* the open sites */
    double *flow;        /* nc x m: demand of client i sent to list[q] */
    double *resid;       /* m: room left (inf: no capacity) */
    double *T;           /* m x m: cheapest move from a to b */
    long *via;           /* m x m: the client of that move */
    double *dist;        /* m */
    long *prev;          /* m: previous site on the path, -1 = the client */
    size_t *queue;       /* m */
    unsigned char *inq;  /* m */
    size_t *best;        /* nc: each client's cheapest open site (index in list) */
} tw;

static double cst(const tw *w, size_t i, size_t q)
{
    return w->p->cost[i * w->p->ns + w->list[q]];
}

/* T and via from the current flow. */
static void moves(tw *w, size_t upto)
{
    size_t m = w->m, a, b, t;
    for (a = 0; a < m * m; a++)
        w->T[a] = INFINITY, w->via[a] = -1;
    for (t = 0; t < upto; t++) {
        const double *fl = w->flow + t * m;
        for (a = 0; a < m; a++) {
            double ca;
            if (!(fl[a] > 0))
                continue;
            ca = cst(w, t, a);
            for (b = 0; b < m; b++) {
                double v = cst(w, t, b) - ca;
                if (b != a && v < w->T[a * m + b])
                    w->T[a * m + b] = v, w->via[a * m + b] = (long)t;
            }
        }
    }
}

/* Cheapest paths from client i to every site (label correcting, FIFO).
 * Returns the site with room at the least distance, -1 none, -2 when
 * the labels did not settle (rounding made a negative cycle). */
static long paths(tw *w, size_t i)
{
    size_t m = w->m, a, b, head = 0, n = 0, steps = 0, limit = m * m + 16;
    long end = -1;
    for (a = 0; a < m; a++) {
        w->dist[a] = cst(w, i, a);
        w->prev[a] = -1;
        w->inq[a] = isfinite(w->dist[a]);
        if (w->inq[a])
            w->queue[(head + n++) % m] = a;
    }
    while (n > 0) {
        if (++steps > limit * m)
            return -2;
        a = w->queue[head];
        head = (head + 1) % m, n--;
        w->inq[a] = 0;
        for (b = 0; b < m; b++) {
            double d = w->dist[a] + w->T[a * m + b];
            /* (written so that an infinite label is always improved) */
            if (d < w->dist[b] && !(w->dist[b] - d <= 1e-12 * (1 + fabs(d)))) {
                w->dist[b] = d;
                w->prev[b] = (long)a;
                if (!w->inq[b]) {
                    w->inq[b] = 1;
                    w->queue[(head + n++) % m] = b;
                }
            }
        }
    }
    for (a = 0; a < m; a++)
        if (w->resid[a] > 0 && isfinite(w->dist[a]) && (end < 0 || w->dist[a] < w->dist[end]))
            end = (long)a;
    return end;
}

/* Moves the most it can (at most `left`) along the path to `end`; how
 * much, or -1 when the path is broken (a cycle of labels). */
static double augment(tw *w, size_t i, size_t end, double left)
{
    size_t m = w->m, steps = 0;
    long b = (long)end, a;
    double amt = fmin(left, w->resid[end]);
    while ((a = w->prev[b]) >= 0) {
        long k = w->via[a * m + b];
        if (++steps > m || k < 0)
            return -1;
        amt = fmin(amt, w->flow[(size_t)k * m + (size_t)a]);
        b = a;
    }
    if (!(amt > 0))
        return 0;
    b = (long)end;
    while ((a = w->prev[b]) >= 0) {
        size_t k = (size_t)w->via[a * m + b];
        double *fa = &w->flow[k * m + (size_t)a];
        *fa -= amt;
        if (*fa < 1e-12 * w->p->demand[k])
            *fa = 0; /* rounding: an emptied flow is zero, not a crumb */
        w->flow[k * m + (size_t)b] += amt;
        b = a;
    }
    w->flow[i * m + (size_t)b] += amt;
    w->resid[end] -= amt;
    return amt;
}

/* Routes client i's demand; 0, 1 no room anywhere, 2 numerical trouble. */
static int route(tw *w, size_t i, int *blocked)
{
    double left = w->p->demand[i], tol = 1e-12 * (1 + w->p->demand[i]);
    size_t q = w->best[i], guard = 0;
    while (left > tol) {
        long end;
        double amt;
        if (w->resid[q] > 0) {
            amt = fmin(left, w->resid[q]);
            w->flow[i * w->m + q] += amt;
            w->resid[q] -= amt;
            left -= amt;
            continue;
        }
        if (++guard > 4 * (w->p->nc + w->m) + 100)
            return 2;
        ++*blocked;
        moves(w, i + 1);
        end = paths(w, i);
        if (end == -2)
            return 2;
        if (end < 0)
            return 1;
        amt = augment(w, i, (size_t)end, left);
        if (amt < 0)
            return 2;
        left -= amt;
    }
    return 0;
}

int ap__transport(const ap_problem *p, const unsigned char *open, double deadline, ap__assign *out, double *z,
                  ap_error *err)
{
    tw w;
    size_t i, j, q, m = 0;
    int rc = 1, blocked = 0;
    memset(&w, 0, sizeof w);
    w.p = p;
    *z = INFINITY;
    for (j = 0; j < p->ns; j++)
        m += open[j] != 0;
    if (!m)
        return 1;
    w.m = m;
    w.list = malloc(m * sizeof *w.list);
    w.flow = calloc(p->nc * m, sizeof *w.flow);
    w.resid = malloc(m * sizeof *w.resid);
    w.T = malloc(m * m * sizeof *w.T);
    w.via = malloc(m * m * sizeof *w.via);
    w.dist = malloc(m * sizeof *w.dist);
    w.prev = malloc(m * sizeof *w.prev);
    w.queue = malloc(m * sizeof *w.queue);
    w.inq = malloc(m);
    w.best = malloc(p->nc * sizeof *w.best);
    if (!w.list || !w.flow || !w.resid || !w.T || !w.via || !w.dist || !w.prev || !w.queue || !w.inq ||
        !w.best) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in the transportation problem");
        rc = -1;
        goto done;
    }
    for (j = 0, m = 0; j < p->ns; j++)
        if (open[j]) {
            w.resid[m] = isfinite(p->cap[j]) ? p->cap[j] : INFINITY;
            w.list[m++] = j;
        }
    for (i = 0; i < p->nc; i++) {
        size_t b = m;
        for (q = 0; q < m; q++)
            if (isfinite(cst(&w, i, q)) && (b == m || cst(&w, i, q) < cst(&w, i, b)))
                b = q;
        if (b == m)
            goto done; /* a client no open site may serve */
        w.best[i] = b;
    }
    for (i = 0; i < p->nc; i++) {
        int r;
        if (!(p->demand[i] > 0))
            continue;
        if ((i & 63) == 0 && ap__stopped(deadline))
            goto done;
        r = route(&w, i, &blocked);
        if (r == 1)
            goto done;
        if (r == 2) {
            rc = 2;
            goto done;
        }
    }
    ap__assign_clear(out);
    for (i = 0; i < p->nc; i++) {
        double tot = 0;
        size_t first = out->na, h;
        if (!(p->demand[i] > 0)) {
            if (ap__assign_push(out, i, w.list[w.best[i]], 1.0))
                goto oom;
            continue;
        }
        for (q = 0; q < m; q++)
            if (w.flow[i * m + q] > 1e-9 * p->demand[i]) {
                double s = w.flow[i * m + q] / p->demand[i];
                tot += s;
                if (ap__assign_push(out, i, w.list[q], s))
                    goto oom;
            }
        if (!(tot > 0)) {
            rc = 2;
            goto done;
        }
        for (h = first; h < out->na; h++)
            out->share[h] /= tot;
    }
    *z = ap__objective(p, open, out);
    rc = 0;
    goto done;
oom:
    ap__err(err, AP_ENOMEM, NULL, "out of memory in the transportation problem");
    rc = -1;
done:
    free(w.list);
    free(w.flow);
    free(w.resid);
    free(w.T);
    free(w.via);
    free(w.dist);
    free(w.prev);
    free(w.queue);
    free(w.inq);
    free(w.best);
    return rc;
}
