/* topo.c - network topologies: the object and its building blocks,
 * shortest-path costs, failures, and reading topology.json back.  The
 * importers are graphml.c and wlcg.c; prefixes.c gives PoPs addresses;
 * topo_write.c writes the ALTO files.
 *
 * Delay model: a link's one-way delay is its great-circle length divided by
 * the propagation speed (2e8 m/s by default: light in fibre, about 2/3 c);
 * a PID pair's delay is that of the shortest-delay path.  Hop count is the
 * fewest-link path; bandwidth is the slowest link on the shortest-delay path
 * (unknown when any link on it has no speed). */
#include "inputs_int.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ap_topo_opts_init(ap_topo_opts *o)
{
    memset(o, 0, sizeof *o);
    o->speed = 2e8;
}


void ap_topo_free(ap_topo *t)
{
    size_t i, k;
    if (!t)
        return;
    for (i = 0; i < t->n; i++) {
        free(t->node[i].pid);
        free(t->node[i].label);
        free(t->node[i].cc);
        for (k = 0; k < t->node[i].npfx; k++)
            free(t->node[i].pfx[k]);
        free(t->node[i].pfx);
    }
    for (i = 0; i < t->nalias; i++)
        free(t->alias[i]);
    free(t->alias);
    free(t->alias_node);
    free(t->node);
    free(t->link);
    free(t->name);
    free(t->source);
    free(t->rid);
    free(t);
}

ap_topo *ap__topo_new(const char *source, const ap_topo_opts *o)
{
    ap_topo *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->speed = o && o->speed > 0 ? o->speed : 2e8;
    t->source = ap__strdup(source ? source : "");
    if (!t->source) {
        free(t);
        return NULL;
    }
    return t;
}

tnode *ap__topo_add_node(ap_topo *t)
{
    tnode *p = ap__grow(t->node, &t->cn, t->n + 1, sizeof *p, 64, 0);
    if (!p)
        return NULL;
    t->node = p;
    memset(&t->node[t->n], 0, sizeof t->node[0]);
    return &t->node[t->n++];
}

int ap__topo_add_link(ap_topo *t, size_t a, size_t b, double len_m, double bps)
{
    tlink *p = ap__grow(t->link, &t->cm, t->m + 1, sizeof *p, 64, 0);
    if (!p)
        return -1;
    t->link = p;
    t->link[t->m].a = a;
    t->link[t->m].b = b;
    t->link[t->m].len_m = len_m;
    t->link[t->m].bps = bps;
    t->link[t->m].failed = 0;
    t->m++;
    return 0;
}

int ap__topo_add_prefix(tnode *nd, const char *p)
{
    char **q = ap__grow(nd->pfx, &nd->cpfx, nd->npfx + 1, sizeof *q, 8, 0);
    if (!q)
        return -1;
    nd->pfx = q;
    if (!(nd->pfx[nd->npfx] = ap__strdup(p)))
        return -1;
    nd->npfx++;
    return 0;
}

int ap__topo_add_alias(ap_topo *t, const char *name, size_t node)
{
    /* two parallel arrays, each with its room */
    char **a = ap__grow(t->alias, &t->calias, t->nalias + 1, sizeof *a, 32, 0);
    size_t *b;
    if (!a)
        return -1;
    t->alias = a;
    if (!(b = ap__grow(t->alias_node, &t->calias_node, t->nalias + 1, sizeof *b, 32, 0)))
        return -1;
    t->alias_node = b;
    if (!(t->alias[t->nalias] = ap__strdup(name)))
        return -1;
    t->alias_node[t->nalias++] = node;
    return 0;
}

size_t ap_topo_nnodes(const ap_topo *t) { return t ? t->n : 0; }
size_t ap_topo_nlinks(const ap_topo *t) { return t ? t->m : 0; }
const char *ap_topo_node(const ap_topo *t, size_t i) { return t && i < t->n ? t->node[i].pid : NULL; }
double ap_topo_lat(const ap_topo *t, size_t i) { return t && i < t->n ? t->node[i].lat : 0; }
double ap_topo_lon(const ap_topo *t, size_t i) { return t && i < t->n ? t->node[i].lon : 0; }

int ap_topo_link(const ap_topo *t, size_t i, size_t *a, size_t *b)
{
    if (!t || i >= t->m)
        return -1;
    *a = t->link[i].a;
    *b = t->link[i].b;
    return 0;
}

long ap_topo_find(const ap_topo *t, const char *pid)
{
    size_t i;
    if (!t || !pid)
        return -1;
    for (i = 0; i < t->n; i++)
        if (t->node[i].pid && strcmp(t->node[i].pid, pid) == 0)
            return (long)i;
    return -1;
}

/* Great-circle distance in metres (haversine, mean Earth radius). */
double ap__gc_m(double la1, double lo1, double la2, double lo2)
{
    const double r = 3.14159265358979323846 / 180;
    double dla = (la2 - la1) * r, dlo = (lo2 - lo1) * r;
    double h = sin(dla / 2) * sin(dla / 2) + cos(la1 * r) * cos(la2 * r) * sin(dlo / 2) * sin(dlo / 2);
    if (h > 1)
        h = 1;
    return 2 * 6371008.8 * asin(sqrt(h));
}

/* ------------------------------------------------------------- PID names */

/* RFC 7285 PID name from a label: characters outside A-Z a-z 0-9 - : @ _ .
 * become '_', at most 64 characters; a label already taken gets "-<id>". */
char *ap__topo_make_pid(const ap_topo *t, const char *label, const char *id)
{
    char buf[80], alt[100];
    size_t i, n = 0;
    for (i = 0; label && label[i] && n < 64; i++) {
        unsigned char c = (unsigned char)label[i];
        buf[n++] = (isalnum(c) && c < 128) || c == '-' || c == ':' || c == '@' || c == '_' || c == '.' ? (char)c : '_';
    }
    buf[n] = '\0';
    if (n == 0)
        snprintf(buf, sizeof buf, "n%.60s", id);
    if (ap_topo_find(t, buf) < 0)
        return ap__strdup(buf);
    snprintf(alt, sizeof alt, "%.50s-%.12s", buf, id);
    for (i = 0; alt[i]; i++)
        if (!(isalnum((unsigned char)alt[i]) || strchr("-:@_.", alt[i])))
            alt[i] = '_';
    return ap__strdup(alt);
}

/* ------------------------------------------------------------- failures */

int ap_topo_fail_node(ap_topo *t, const char *pid, ap_error *err)
{
    long i = ap_topo_find(t, pid);
    if (i < 0) {
        ap__err(err, AP_EINVAL, t && t->source ? t->source : "", "no node \"%s\" in the topology", pid ? pid : "");
        return -1;
    }
    t->node[i].failed = 1;
    return 0;
}

int ap_topo_fail_link(ap_topo *t, const char *a, const char *b, ap_error *err)
{
    long x = ap_topo_find(t, a), y = ap_topo_find(t, b);
    size_t l;
    int hit = 0;
    if (x < 0 || y < 0) {
        ap__err(err, AP_EINVAL, t && t->source ? t->source : "", "no node \"%s\" in the topology",
                x < 0 ? (a ? a : "") : (b ? b : ""));
        return -1;
    }
    for (l = 0; l < t->m; l++)
        if ((t->link[l].a == (size_t)x && t->link[l].b == (size_t)y) ||
            (t->link[l].a == (size_t)y && t->link[l].b == (size_t)x)) {
            t->link[l].failed = 1;
            hit = 1;
        }
    if (!hit) {
        ap__err(err, AP_EINVAL, t->source, "no link between %s and %s", a, b);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------- shortest paths */

typedef struct {
    size_t *off, *to, *lk; /* CSR adjacency: neighbours and link index */
} adj;

static int build_adj(const ap_topo *t, adj *g)
{
    size_t i, l, *fill;
    g->off = calloc(t->n + 1, sizeof *g->off);
    g->to = malloc((2 * t->m + 1) * sizeof *g->to);
    g->lk = malloc((2 * t->m + 1) * sizeof *g->lk);
    fill = calloc(t->n + 1, sizeof *fill);
    if (!g->off || !g->to || !g->lk || !fill) {
        free(fill);
        return -1;
    }
    for (l = 0; l < t->m; l++) {
        const tlink *k = &t->link[l];
        if (k->failed || t->node[k->a].failed || t->node[k->b].failed)
            continue;
        g->off[k->a + 1]++;
        g->off[k->b + 1]++;
    }
    for (i = 0; i < t->n; i++)
        g->off[i + 1] += g->off[i];
    for (l = 0; l < t->m; l++) {
        const tlink *k = &t->link[l];
        if (k->failed || t->node[k->a].failed || t->node[k->b].failed)
            continue;
        g->to[g->off[k->a] + fill[k->a]] = k->b;
        g->lk[g->off[k->a] + fill[k->a]++] = l;
        g->to[g->off[k->b] + fill[k->b]] = k->a;
        g->lk[g->off[k->b] + fill[k->b]++] = l;
    }
    free(fill);
    return 0;
}

static void free_adj(adj *g)
{
    free(g->off);
    free(g->to);
    free(g->lk);
}

/* Binary heap of (key, node) for Dijkstra. */
typedef struct {
    double *key;
    size_t *node, n;
} heap;

static void heap_push(heap *h, double key, size_t v)
{
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h->key[p] <= key)
            break;
        h->key[i] = h->key[p];
        h->node[i] = h->node[p];
        i = p;
    }
    h->key[i] = key;
    h->node[i] = v;
}

static void heap_pop(heap *h, double *key, size_t *v)
{
    double k;
    size_t x, i = 0;
    *key = h->key[0];
    *v = h->node[0];
    k = h->key[--h->n];
    x = h->node[h->n];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->key[c + 1] < h->key[c])
            c++;
        if (k <= h->key[c])
            break;
        h->key[i] = h->key[c];
        h->node[i] = h->node[c];
        i = c;
    }
    h->key[i] = k;
    h->node[i] = x;
}

double *ap_topo_costs(const ap_topo *t, const char *metric, ap_error *err)
{
    int kind;
    size_t n, s, i;
    double *out = NULL, *dist = NULL, *bw = NULL;
    size_t *hops = NULL, *queue = NULL;
    heap h = {0};
    adj g = {0};

    if (!t || !metric) {
        ap__err(err, AP_EINVAL, "", "no topology or metric");
        return NULL;
    }
    kind = !strcmp(metric, "delay-ow") ? 0 : !strcmp(metric, "hopcount") ? 1 : !strcmp(metric, "bw-maximum") ? 2 : -1;
    if (kind < 0) {
        ap__err(err, AP_EINVAL, t->source, "metric \"%s\": the topology gives delay-ow, hopcount or bw-maximum", metric);
        return NULL;
    }
    n = t->n;
    out = malloc(n * n * sizeof *out);
    dist = malloc(n * sizeof *dist);
    bw = malloc(n * sizeof *bw);
    hops = malloc(n * sizeof *hops);
    queue = malloc(n * sizeof *queue);
    h.key = malloc((2 * t->m + n + 1) * sizeof *h.key);
    h.node = malloc((2 * t->m + n + 1) * sizeof *h.node);
    if (!out || !dist || !bw || !hops || !queue || !h.key || !h.node || build_adj(t, &g)) {
        ap__err(err, AP_ENOMEM, t->source, "out of memory");
        free(out);
        out = NULL;
        goto done;
    }
    for (s = 0; s < n; s++) {
        double *row = out + s * n;
        for (i = 0; i < n; i++)
            row[i] = INFINITY;
        if (t->node[s].failed)
            continue;
        if (kind == 1) { /* BFS */
            size_t qh = 0, qt = 0;
            for (i = 0; i < n; i++)
                hops[i] = (size_t)-1;
            hops[s] = 0;
            queue[qt++] = s;
            while (qh < qt) {
                size_t u = queue[qh++], e;
                row[u] = (double)hops[u];
                for (e = g.off[u]; e < g.off[u + 1]; e++)
                    if (hops[g.to[e]] == (size_t)-1) {
                        hops[g.to[e]] = hops[u] + 1;
                        queue[qt++] = g.to[e];
                    }
            }
            continue;
        }
        for (i = 0; i < n; i++) {
            dist[i] = INFINITY;
            bw[i] = 0;
        }
        dist[s] = 0;
        bw[s] = INFINITY; /* no link yet */
        h.n = 0;
        heap_push(&h, 0, s);
        while (h.n) {
            double d;
            size_t u, e;
            heap_pop(&h, &d, &u);
            if (d > dist[u])
                continue;
            for (e = g.off[u]; e < g.off[u + 1]; e++) {
                const tlink *k = &t->link[g.lk[e]];
                double nd = d + k->len_m / t->speed * 1e6;
                size_t v = g.to[e];
                if (nd < dist[v]) {
                    double b = k->bps > 0 ? k->bps : -1; /* -1: unknown */
                    dist[v] = nd;
                    bw[v] = bw[u] < 0 || b < 0 ? -1 : (b < bw[u] ? b : bw[u]);
                    heap_push(&h, nd, v);
                }
            }
        }
        /* rounded as the cost-map files hold them (0.1 us, 1 byte/s), so
         * that costs recomputed after a failure compare with the base
         * problem's read from those files */
        for (i = 0; i < n; i++) {
            if (kind == 0)
                row[i] = isfinite(dist[i]) ? nearbyint(dist[i] * 10) / 10 : INFINITY;
            else if (isfinite(dist[i]) && i != s && bw[i] > 0)
                row[i] = nearbyint(bw[i] / 8); /* RFC 9439: bytes per second */
        }
    }
done:
    free_adj(&g);
    free(dist);
    free(bw);
    free(hops);
    free(queue);
    free(h.key);
    free(h.node);
    return out;
}

ap_topo *ap_topo_load(const char *path, ap_error *err)
{
    size_t i;
    json_t *j, *nodes, *links, *e;
    ap_topo *t = NULL;
    double sp;
    if (!(j = ap__json_load_object(path, err)))
        return NULL;
    nodes = json_object_get(j, "nodes");
    links = json_object_get(j, "links");
    sp = json_number_value(json_object_get(json_object_get(j, "meta"), "speed-m-per-s"));
    if (!json_is_array(nodes) || !json_is_array(links) || !(sp > 0)) {
        ap__err(err, AP_EFORMAT, path, "not a topology.json (needs meta.speed-m-per-s, nodes and links)");
        goto fail;
    }
    if (!(t = ap__topo_new(path, NULL)))
        goto nomem;
    t->speed = sp;
    t->name = ap__strdup(json_string_value(json_object_get(json_object_get(j, "meta"), "name")));
    json_array_foreach(nodes, i, e) {
        const char *pid = json_string_value(json_object_get(e, "pid"));
        tnode *nd;
        if (!pid || !*pid || ap_topo_find(t, pid) >= 0 || !json_is_number(json_object_get(e, "latitude")) ||
            !json_is_number(json_object_get(e, "longitude"))) {
            ap__err(err, AP_EFORMAT, path, "nodes[%zu]: needs a unique pid, latitude and longitude", i);
            goto fail;
        }
        if (!(nd = ap__topo_add_node(t)) || !(nd->pid = ap__strdup(pid)))
            goto nomem;
        nd->label = ap__strdup(json_string_value(json_object_get(e, "label")));
        nd->lat = json_number_value(json_object_get(e, "latitude"));
        nd->lon = json_number_value(json_object_get(e, "longitude"));
        nd->located = json_is_true(json_object_get(e, "estimated")) ? 2 : 1;
    }
    json_array_foreach(links, i, e) {
        long a = ap_topo_find(t, json_string_value(json_object_get(e, "a")));
        long b = ap_topo_find(t, json_string_value(json_object_get(e, "b")));
        double len_m = json_number_value(json_object_get(e, "length-m"));
        if (a < 0 || b < 0 || !(len_m >= 0)) {
            ap__err(err, AP_EFORMAT, path, "links[%zu]: needs a and b naming nodes, and length-m >= 0", i);
            goto fail;
        }
        if (ap__topo_add_link(t, (size_t)a, (size_t)b, len_m, json_number_value(json_object_get(e, "speed-bps"))))
            goto nomem;
    }
    json_decref(j);
    return t;
nomem:
    ap__err(err, AP_ENOMEM, path, "out of memory");
fail:
    ap_topo_free(t);
    json_decref(j);
    return NULL;
}
