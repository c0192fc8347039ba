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
 * T is kept up to date as flows move: a client whose flow at a site
 * becomes positive updates that site's row; one whose flow there goes to
 * zero leaves the row to be rebuilt (from the site's list of clients)
 * before the next search.  No GLPK. */
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
    long *pathk;         /* m: the clients moved along the path found */
    size_t *queue;       /* m */
    unsigned char *inq;  /* m */
    size_t *best;        /* nc: each client's cheapest open site (index in list) */
    /* the clients with flow at each site, for T: site q's list is
     * at[q][0..nat[q]), maybe with stale entries (flow gone to zero) until
     * its row of T is rebuilt; listed[k * m + q] says k is in it */
    size_t **at, *nat, *capat;
    unsigned char *listed;
    unsigned char *dirty; /* m: T's row must be rebuilt (a flow went to zero) */
} tw;

static double cst(const tw *w, size_t i, size_t q)
{
    return w->p->cost[i * w->p->ns + w->list[q]];
}

/* Row a of T from the clients listed at a (dropping those whose flow
 * there has gone to zero). */
static void rebuild_row(tw *w, size_t a)
{
    size_t m = w->m, b, t, keep = 0;
    for (b = 0; b < m; b++)
        w->T[a * m + b] = INFINITY, w->via[a * m + b] = -1;
    for (t = 0; t < w->nat[a]; t++) {
        size_t k = w->at[a][t];
        double ca;
        if (!(w->flow[k * m + a] > 0)) {
            w->listed[k * m + a] = 0;
            continue;
        }
        w->at[a][keep++] = k;
        ca = cst(w, k, a);
        for (b = 0; b < m; b++) {
            double v = cst(w, k, b) - ca;
            if (b != a && v < w->T[a * m + b])
                w->T[a * m + b] = v, w->via[a * m + b] = (long)k;
        }
    }
    w->nat[a] = keep;
    w->dirty[a] = 0;
}

/* Adds amt to client k's flow at site a, keeping T and the lists up to
 * date.  0 or -1 (out of memory). */
static int flow_add(tw *w, size_t k, size_t a, double amt)
{
    size_t m = w->m, b;
    double ca;
    w->flow[k * m + a] += amt;
    if (w->listed[k * m + a])
        return 0;
    if (w->nat[a] == w->capat[a]) {
        size_t cap = w->capat[a] ? 2 * w->capat[a] : 16;
        size_t *n = realloc(w->at[a], cap * sizeof *n);
        if (!n)
            return -1;
        w->at[a] = n, w->capat[a] = cap;
    }
    w->at[a][w->nat[a]++] = k;
    w->listed[k * m + a] = 1;
    if (w->dirty[a])
        return 0;
    ca = cst(w, k, a);
    for (b = 0; b < m; b++) {
        double v = cst(w, k, b) - ca;
        if (b != a && v < w->T[a * m + b])
            w->T[a * m + b] = v, w->via[a * m + b] = (long)k;
    }
    return 0;
}

/* Takes amt from client k's flow at site a; a flow that reaches zero
 * (or a crumb of rounding) leaves T's row to be rebuilt. */
static void flow_take(tw *w, size_t k, size_t a, double amt)
{
    double *f = &w->flow[k * w->m + a];
    *f -= amt;
    if (*f < 1e-12 * w->p->demand[k]) {
        *f = 0;
        w->dirty[a] = 1;
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
 * much, -1 when the path is broken (a cycle of labels), -2 out of
 * memory.  The path is read in full before any flow moves. */
static double augment(tw *w, size_t i, size_t end, double left)
{
    size_t m = w->m, steps = 0;
    long b = (long)end, a;
    double amt = fmin(left, w->resid[end]);
    while ((a = w->prev[b]) >= 0) {
        long k = w->via[a * m + b];
        if (steps >= m || k < 0)
            return -1;
        w->pathk[steps++] = k; /* (moving flows updates T's rows as it goes) */
        amt = fmin(amt, w->flow[(size_t)k * m + (size_t)a]);
        b = a;
    }
    if (!(amt > 0))
        return 0;
    b = (long)end;
    steps = 0;
    while ((a = w->prev[b]) >= 0) {
        size_t k = (size_t)w->pathk[steps++];
        flow_take(w, k, (size_t)a, amt);
        if (flow_add(w, k, (size_t)b, amt))
            return -2;
        b = a;
    }
    if (flow_add(w, i, (size_t)b, amt))
        return -2;
    w->resid[end] -= amt;
    return amt;
}

/* Routes client i's demand; 0, 1 no room anywhere, 2 numerical trouble,
 * -1 out of memory. */
static int route(tw *w, size_t i, int *blocked)
{
    double left = w->p->demand[i], tol = 1e-12 * (1 + w->p->demand[i]);
    size_t q = w->best[i], guard = 0, q2;
    while (left > tol) {
        long end;
        double amt;
        if (w->resid[q] > 0) {
            amt = fmin(left, w->resid[q]);
            if (flow_add(w, i, q, amt))
                return -1;
            w->resid[q] -= amt;
            left -= amt;
            continue;
        }
        if (++guard > 4 * (w->p->nc + w->m) + 100)
            return 2;
        ++*blocked;
        for (q2 = 0; q2 < w->m; q2++)
            if (w->dirty[q2])
                rebuild_row(w, q2);
        end = paths(w, i);
        if (end == -2)
            return 2;
        if (end < 0)
            return 1;
        amt = augment(w, i, (size_t)end, left);
        if (amt == -2)
            return -1;
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
    w.pathk = malloc(m * sizeof *w.pathk);
    w.queue = malloc(m * sizeof *w.queue);
    w.inq = malloc(m);
    w.best = malloc(p->nc * sizeof *w.best);
    w.at = calloc(m, sizeof *w.at);
    w.nat = calloc(m, sizeof *w.nat);
    w.capat = calloc(m, sizeof *w.capat);
    w.listed = calloc(p->nc * m, 1);
    w.dirty = calloc(m, 1);
    if (!w.list || !w.flow || !w.resid || !w.T || !w.via || !w.dist || !w.prev || !w.pathk || !w.queue || !w.inq ||
        !w.best || !w.at || !w.nat || !w.capat || !w.listed || !w.dirty) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory in the transportation problem");
        rc = -1;
        goto done;
    }
    for (q = 0; q < m * m; q++)
        w.T[q] = INFINITY, w.via[q] = -1;
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
        if (r < 0)
            goto oom;
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
    free(w.pathk);
    free(w.queue);
    free(w.inq);
    free(w.best);
    if (w.at)
        for (q = 0; q < w.m; q++)
            free(w.at[q]);
    free(w.at);
    free(w.nat);
    free(w.capat);
    free(w.listed);
    free(w.dirty);
    return rc;
}
