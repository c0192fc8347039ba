/* orlib.c - importers that turn benchmark instances (OR-Library pmed, cap,
 * pmedcap; TSPLIB coordinate files as p-median instances) into ALTO
 * documents plus a demand file and a problem file, so that they are solved
 * through exactly the same path as real ALTO data. */
#include "alto/alto_int.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Token reader over a whole file. */
typedef struct {
    const char *path;
    char *buf, *cur;
    long line;
} toks;

static int tok_open(toks *t, const char *path, ap_error *err)
{
    t->path = path;
    t->buf = ap__read_file(path, NULL, err);
    t->cur = t->buf;
    t->line = 1;
    return t->buf ? 0 : -1;
}

/* Whether the rest of the file holds at least `bytes` bytes: checked before
 * allocating what a header announces. */
static int holds(const toks *t, double bytes)
{
    return (double)strlen(t->cur) >= bytes;
}

/* Next token as a number.  Returns 0, 1 at end of file, or -1 when the token
 * is not a number (the token is copied into word). */
static int tok_num(toks *t, double *v, char *word, size_t wn)
{
    char *end;
    while (*t->cur && isspace((unsigned char)*t->cur)) {
        if (*t->cur == '\n')
            t->line++;
        t->cur++;
    }
    if (!*t->cur)
        return 1;
    *v = strtod(t->cur, &end);
    if (end == t->cur || (*end && !isspace((unsigned char)*end))) {
        size_t n = 0;
        while (t->cur[n] && !isspace((unsigned char)t->cur[n]) && n + 1 < wn) {
            word[n] = t->cur[n];
            n++;
        }
        word[n] = '\0';
        return -1;
    }
    t->cur = end;
    return 0;
}

static int need_num(toks *t, double *v, const char *what, ap_error *err)
{
    char word[64];
    int rc = tok_num(t, v, word, sizeof word);
    char src[300];
    snprintf(src, sizeof src, "%s:%ld", t->path, t->line);
    if (rc == 1) {
        ap__err(err, AP_EFORMAT, src, "unexpected end of file, expected %s", what);
        return -1;
    }
    if (rc < 0) {
        ap__err(err, AP_EFORMAT, src, "expected %s, found \"%s\"", what, word);
        return -1;
    }
    if (!isfinite(*v)) {
        ap__err(err, AP_EFORMAT, src, "%s is not finite", what);
        return -1;
    }
    return 0;
}

static int need_int(toks *t, long *v, long lo, long hi, const char *what, ap_error *err)
{
    double d;
    char src[300];
    if (need_num(t, &d, what, err))
        return -1;
    if (d != floor(d) || d < lo || d > hi) {
        snprintf(src, sizeof src, "%s:%ld", t->path, t->line);
        ap__err(err, AP_EFORMAT, src, "%s must be an integer in [%ld, %ld], found %g", what, lo, hi, d);
        return -1;
    }
    *v = (long)d;
    return 0;
}

/* base name of an instance file without extension, e.g. "pmed1" */
static void inst_name(const char *file, char *out, size_t n)
{
    const char *b = strrchr(file, '/');
    char *dot;
    snprintf(out, n, "%s", b ? b + 1 : file);
    dot = strrchr(out, '.');
    if (dot)
        *dot = '\0';
}

/* FNV-1a over the cost matrix, used as the map's version tag. */
static void make_tag(const double *c, size_t n, const char *salt, char out[41])
{
    uint64_t h = 1469598103934665603ULL, h2 = 1099511628211ULL;
    size_t i;
    const unsigned char *b = (const unsigned char *)c;
    for (i = 0; i < n * sizeof(double); i++) {
        h = (h ^ b[i]) * 1099511628211ULL;
        h2 = (h2 ^ b[i]) * 1469598103934665603ULL;
    }
    for (i = 0; salt[i]; i++)
        h = (h ^ (unsigned char)salt[i]) * 1099511628211ULL;
    snprintf(out, 41, "%016llx%016llx%08x", (unsigned long long)h, (unsigned long long)h2,
             (unsigned)(n & 0xffffffffu));
}

/* networkmap.json for PIDs names[0..n) with one 10.x.y.0/24 each. */
static int write_netmap(const char *dir, const char *rid, const char *tag,
                        char **names, size_t n, ap_error *err)
{
    char *path = ap__path_join(dir, "networkmap.json"), *pfx = NULL, **one = NULL, ***pf = NULL;
    size_t *np = NULL, i;
    int rc = -1;
    if (n > 65536) {
        ap__err(err, AP_EINVAL, dir, "too many PIDs (%zu) for the 10.0.0.0/8 prefix plan", n);
        free(path);
        return -1;
    }
    pfx = malloc(n * 20 + 1);
    one = malloc((n + 1) * sizeof *one);
    pf = malloc((n + 1) * sizeof *pf);
    np = malloc((n + 1) * sizeof *np);
    if (!path || !pfx || !one || !pf || !np) {
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        goto out;
    }
    for (i = 0; i < n; i++) {
        one[i] = pfx + i * 20;
        snprintf(one[i], 20, "10.%zu.%zu.0/24", i / 256, i % 256);
        pf[i] = &one[i];
        np[i] = 1;
    }
    rc = ap__write_netmap(path, rid, tag, n, names, (char *const *const *)pf, np, NULL, err);
out:
    free(path);
    free(pfx);
    free(one);
    free(pf);
    free(np);
    return rc;
}

/* costmap.json: rows src[0..ns), columns dst[0..nd), c[s*nd+d]. */
static int write_costmap(const char *dir, const char *rid, const char *tag,
                         char **src, size_t ns, char **dst, size_t nd,
                         const double *c, ap_error *err)
{
    char *path = ap__path_join(dir, "costmap.json");
    int rc;
    if (!path) {
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        return -1;
    }
    rc = ap__write_costmap(path, rid, tag, "routingcost", ns, src, nd, dst, c, -1, err);
    free(path);
    return rc;
}

/* propmap.json: capacity and (when fc) opening-cost of PIDs names[0..n). */
static int write_propmap(const char *dir, const char *rid, const char *tag, char **names,
                         size_t n, const double *cap, const double *fc, ap_error *err)
{
    static const char *const props[] = {"capacity", "opening-cost"};
    char *path = ap__path_join(dir, "propmap.json");
    double *v = malloc((2 * n + 1) * sizeof *v);
    size_t i;
    int rc = -1;
    if (!path || !v) {
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        goto out;
    }
    for (i = 0; i < n; i++) {
        v[2 * i] = cap ? cap[i] : NAN;
        v[2 * i + 1] = fc ? fc[i] : NAN;
    }
    rc = ap__write_propmap(path, rid, tag, n, names, 2, props, v, err);
out:
    free(path);
    free(v);
    return rc;
}

static int write_demand(const char *dir, const char *source, char **names,
                        const double *d, size_t n, ap_error *err)
{
    json_t *root = json_object(), *meta = json_object(), *dm = json_object();
    char *path = ap__path_join(dir, "demand.json");
    size_t i;
    int rc;
    if (!root || !meta || !dm || !path) {
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        json_decref(root), json_decref(meta), json_decref(dm), free(path);
        return -1;
    }
    json_object_set_new(meta, "source", json_string(source));
    json_object_set_new(root, "meta", meta);
    for (i = 0; i < n; i++)
        json_object_set_new(dm, names[i], json_real(d[i]));
    json_object_set_new(root, "demand", dm);
    rc = ap__json_write(path, root, err);
    json_decref(root);
    free(path);
    return rc;
}

static int write_problem(const char *dir, const char *name, json_t *model, int propmap,
                         ap_error *err)
{
    json_t *root = json_object(), *alto = json_object();
    char *path = ap__path_join(dir, "problem.json");
    int rc;
    if (!root || !alto || !path) {
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        json_decref(root), json_decref(alto), json_decref(model), free(path);
        return -1;
    }
    json_object_set_new(root, "name", json_string(name));
    json_object_set_new(alto, "network-map", json_string("networkmap.json"));
    json_object_set_new(alto, "cost-map", json_string("costmap.json"));
    if (propmap)
        json_object_set_new(alto, "property-map", json_string("propmap.json"));
    json_object_set_new(root, "alto", alto);
    json_object_set_new(root, "cost-metric", json_string("routingcost"));
    json_object_set_new(root, "demand", json_string("demand.json"));
    json_object_set_new(root, "model", model);
    rc = ap__json_write(path, root, err);
    json_decref(root);
    free(path);
    return rc;
}

static char **make_names(const char *prefix, size_t n)
{
    char **v = calloc(n + 1, sizeof *v);
    size_t i;
    if (!v)
        return NULL;
    for (i = 0; i < n; i++) {
        char b[32];
        snprintf(b, sizeof b, "%s%zu", prefix, i + 1);
        if (!(v[i] = ap__strdup(b))) {
            while (i--)
                free(v[i]);
            free(v);
            return NULL;
        }
    }
    return v;
}

static void free_names(char **v, size_t n)
{
    size_t i;
    if (!v)
        return;
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* All-pairs shortest paths in place: c holds edge weights (INFINITY: no
 * edge), and gets the distances.  Dijkstra with a binary heap from every
 * vertex over adjacency lists built from c.  0 or -1 (out of memory). */
static int all_pairs(double *c, size_t n)
{
    size_t *start = calloc(n + 1, sizeof *start), *to = NULL, *heap = NULL, *pos = NULL, m = 0, i, j, s;
    double *w = NULL, *dist = NULL;
    int rc = -1;
    if (!start)
        return -1;
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            m += i != j && isfinite(c[i * n + j]);
    to = malloc((m + 1) * sizeof *to);
    w = malloc((m + 1) * sizeof *w);
    heap = malloc((n + 1) * sizeof *heap);
    pos = malloc((n + 1) * sizeof *pos);
    dist = malloc((n + 1) * sizeof *dist);
    if (!to || !w || !heap || !pos || !dist)
        goto out;
    for (i = 0, m = 0; i < n; i++) {
        start[i] = m;
        for (j = 0; j < n; j++)
            if (i != j && isfinite(c[i * n + j]))
                to[m] = j, w[m++] = c[i * n + j];
    }
    start[n] = m;
    for (s = 0; s < n; s++) {
        size_t hn = 0;
        for (i = 0; i < n; i++)
            dist[i] = INFINITY, pos[i] = (size_t)-1;
        dist[s] = 0;
        heap[hn] = s, pos[s] = hn++;
        while (hn) {
            size_t u = heap[0], k, e;
            /* pop */
            heap[0] = heap[--hn];
            pos[heap[0]] = 0;
            pos[u] = (size_t)-2; /* done */
            for (k = 0;;) {
                size_t l = 2 * k + 1, r = l + 1, b = k, tmp;
                if (l < hn && dist[heap[l]] < dist[heap[b]])
                    b = l;
                if (r < hn && dist[heap[r]] < dist[heap[b]])
                    b = r;
                if (b == k)
                    break;
                tmp = heap[k], heap[k] = heap[b], heap[b] = tmp;
                pos[heap[k]] = k, pos[heap[b]] = b;
                k = b;
            }
            for (e = start[u]; e < start[u + 1]; e++) {
                size_t v = to[e];
                double nd = dist[u] + w[e];
                if (pos[v] == (size_t)-2 || !(nd < dist[v]))
                    continue;
                dist[v] = nd;
                if (pos[v] == (size_t)-1)
                    heap[hn] = v, pos[v] = hn++;
                for (k = pos[v]; k > 0 && dist[heap[(k - 1) / 2]] > dist[heap[k]];) {
                    size_t q = (k - 1) / 2, tmp = heap[q];
                    heap[q] = heap[k], heap[k] = tmp;
                    pos[heap[q]] = q, pos[heap[k]] = k;
                    k = q;
                }
            }
        }
        memcpy(c + s * n, dist, n * sizeof *dist);
    }
    rc = 0;
out:
    free(start), free(to), free(w), free(heap), free(pos), free(dist);
    return rc;
}

int ap_import_orlib_pmed(const char *file, const char *outdir, ap_error *err)
{
    ap__stage stg = {0};
    toks t = {0};
    long n, m, p, e, a, b, w;
    double *c = NULL, *dem = NULL;
    char **names = NULL, name[128], rid[160], tag[41];
    size_t i;
    int rc = -1;
    json_t *model;

    if (tok_open(&t, file, err))
        return -1;
    if (need_int(&t, &n, 1, 20000, "number of vertices", err) ||
        need_int(&t, &m, 0, 100000000, "number of edges", err) ||
        need_int(&t, &p, 1, n, "number of medians p", err))
        goto done;
    /* before allocating n x n: a connected graph needs n - 1 edges, and for
     * a large matrix the file must hold them (6 bytes an edge at least) */
    if (m < n - 1 || ((double)n * (double)n * 8 > 64e6 && (double)m * 6 > (double)strlen(t.buf))) {
        ap__err(err, AP_EFORMAT, file, "%ld vertices and %ld edges: %s", n, m,
                m < n - 1 ? "too few edges for a connected graph" : "the file is too short for that many edges");
        goto done;
    }
    c = malloc((size_t)n * (size_t)n * sizeof *c);
    dem = malloc((size_t)n * sizeof *dem);
    names = make_names("v", (size_t)n);
    if (!c || !dem || !names) {
        ap__err(err, AP_ENOMEM, file, "out of memory");
        goto done;
    }
    for (i = 0; i < (size_t)(n * n); i++)
        c[i] = INFINITY;
    for (i = 0; i < (size_t)n; i++)
        c[i * (size_t)n + i] = 0, dem[i] = 1;
    for (e = 0; e < m; e++) {
        /* the LAST occurrence of a duplicated edge wins (OR-Library pmedinfo) */
        if (need_int(&t, &a, 1, n, "edge end vertex", err) ||
            need_int(&t, &b, 1, n, "edge end vertex", err) ||
            need_int(&t, &w, 0, 1000000000L, "edge cost", err))
            goto done;
        c[(size_t)(a - 1) * (size_t)n + (size_t)(b - 1)] = (double)w;
        c[(size_t)(b - 1) * (size_t)n + (size_t)(a - 1)] = (double)w;
    }
    /* restore zero diagonal (a self-loop line would have overwritten it) */
    for (i = 0; i < (size_t)n; i++)
        c[i * (size_t)n + i] = 0;
    /* shortest paths: Dijkstra from every vertex over the edges (the matrix
     * holds each edge's last weight), O(n (n + m) log n) instead of n^3 */
    if (all_pairs(c, (size_t)n)) {
        ap__err(err, AP_ENOMEM, file, "out of memory");
        goto done;
    }
    inst_name(file, name, sizeof name);
    snprintf(rid, sizeof rid, "%s-network-map", name);
    make_tag(c, (size_t)(n * n), name, tag);
    if (ap__stage_begin(&stg, outdir, err) ||
        write_netmap(stg.dir, rid, tag, names, (size_t)n, err) ||
        write_costmap(stg.dir, rid, tag, names, (size_t)n, names, (size_t)n, c, err) ||
        write_demand(stg.dir, file, names, dem, (size_t)n, err))
        goto done;
    model = json_pack("{s:s, s:I}", "type", "p-median", "k", (json_int_t)p);
    if (write_problem(stg.dir, name, model, 0, err))
        goto done;
    rc = ap__stage_commit(&stg, err);
done:
    ap__stage_abort(&stg, err);
    free(t.buf);
    free(c);
    free(dem);
    free_names(names, (size_t)(names ? n : 0));
    return rc;
}

int ap_import_orlib_cap(const char *file, double capacity, const char *outdir, ap_error *err)
{
    ap__stage stg = {0};
    toks t = {0};
    long m, n;
    double *q = NULL, *f = NULL, *dem = NULL, *c = NULL, *all = NULL;
    char **names = NULL, name[128], rid[160], tag[41];
    size_t i, j;
    int rc = -1, uncap;
    json_t *model, *cands;

    if (tok_open(&t, file, err))
        return -1;
    if (need_int(&t, &m, 1, 100000, "number of warehouses", err) ||
        need_int(&t, &n, 1, 1000000, "number of customers", err))
        goto done;
    /* before allocating m x n: the file must hold the m x n costs (2 bytes
     * each at least) */
    if (!holds(&t, (double)m * (double)n * 2 - 1)) {
        ap__err(err, AP_EFORMAT, file, "%ld warehouses and %ld customers: the file is too short for %.0f costs", m,
                n, (double)m * (double)n);
        goto done;
    }
    q = malloc((size_t)m * sizeof *q);
    f = malloc((size_t)m * sizeof *f);
    dem = calloc((size_t)(m + n), sizeof *dem);
    c = malloc((size_t)m * (size_t)n * sizeof *c);
    names = calloc((size_t)(m + n) + 1, sizeof *names);
    if (!q || !f || !dem || !c || !names) {
        ap__err(err, AP_ENOMEM, file, "out of memory");
        goto done;
    }
    for (i = 0; i < (size_t)m; i++) {
        char word[64], src[300];
        int r = tok_num(&t, &q[i], word, sizeof word);
        snprintf(src, sizeof src, "%s:%ld", file, t.line);
        if (r < 0 && strcmp(word, "capacity") == 0) {
            if (capacity <= 0) {
                ap__err(err, AP_EINVAL, src, "the capacity column is the word \"capacity\" "
                        "(OR-Library capa/capb/capc): give a value with --capacity Q");
                goto done;
            }
            t.cur += strlen(word);
            q[i] = capacity;
        } else if (r != 0 || !isfinite(q[i]) || q[i] < 0) {
            ap__err(err, AP_EFORMAT, src, "expected the capacity of warehouse %zu", i + 1);
            goto done;
        }
        if (capacity > 0)
            q[i] = capacity;
        if (need_num(&t, &f[i], "fixed cost", err))
            goto done;
        if (f[i] < 0) {
            ap__err(err, AP_EFORMAT, file, "warehouse %zu: negative fixed cost", i + 1);
            goto done;
        }
    }
    for (j = 0; j < (size_t)n; j++) {
        double d;
        if (need_num(&t, &d, "customer demand", err))
            goto done;
        if (d < 0) {
            ap__err(err, AP_EFORMAT, file, "customer %zu: negative demand", j + 1);
            goto done;
        }
        dem[(size_t)m + j] = d;
        for (i = 0; i < (size_t)m; i++) {
            double v;
            if (need_num(&t, &v, "allocation cost", err))
                goto done;
            if (v < 0) {
                ap__err(err, AP_EFORMAT, file, "customer %zu, warehouse %zu: negative cost", j + 1, i + 1);
                goto done;
            }
            /* the file gives the cost of serving ALL of j's demand from i;
             * ALTO costs are per unit of demand */
            c[i * (size_t)n + j] = d > 0 ? v / d : v;
        }
    }
    for (i = 0; i < (size_t)m; i++) {
        char b[32];
        snprintf(b, sizeof b, "w%zu", i + 1);
        names[i] = ap__strdup(b);
    }
    for (j = 0; j < (size_t)n; j++) {
        char b[32];
        snprintf(b, sizeof b, "c%zu", j + 1);
        names[(size_t)m + j] = ap__strdup(b);
    }
    for (i = 0; i < (size_t)(m + n); i++)
        if (!names[i]) {
            ap__err(err, AP_ENOMEM, file, "out of memory");
            goto done;
        }
    /* UflLib's uncapacitated copies of these files give every capacity as 0 */
    uncap = capacity <= 0;
    for (i = 0; i < (size_t)m && uncap; i++)
        uncap = q[i] == 0;
    inst_name(file, name, sizeof name);
    snprintf(rid, sizeof rid, "%s-network-map", name);
    make_tag(c, (size_t)(m * n), name, tag);
    if (ap__stage_begin(&stg, outdir, err) ||
        write_netmap(stg.dir, rid, tag, names, (size_t)(m + n), err) ||
        write_costmap(stg.dir, rid, tag, names, (size_t)m, names + m, (size_t)n, c, err) ||
        write_propmap(stg.dir, rid, tag, names, (size_t)m, uncap ? NULL : q, f, err) ||
        write_demand(stg.dir, file, names + m, dem + m, (size_t)n, err))
        goto done;
    cands = json_array();
    for (i = 0; i < (size_t)m; i++)
        json_array_append_new(cands, json_string(names[i]));
    if (uncap)
        model = json_pack("{s:s, s:o, s:s}", "type", "facility-location", "candidates", cands,
                          "opening-cost-property", "opening-cost");
    else
        model = json_pack("{s:s, s:o, s:b, s:s, s:s}", "type", "capacitated-facility-location",
                          "candidates", cands, "single-source", 0, "capacity-property",
                          "capacity", "opening-cost-property", "opening-cost");
    if (write_problem(stg.dir, name, model, 1, err))
        goto done;
    rc = ap__stage_commit(&stg, err);
done:
    ap__stage_abort(&stg, err);
    (void)all;
    free(t.buf);
    free(q);
    free(f);
    free(dem);
    free(c);
    free_names(names, (size_t)(names ? m + n : 0));
    return rc;
}

int ap_import_orlib_pmedcap(const char *file, const char *outdir, ap_error *err)
{
    ap__stage stg = {0};
    toks t = {0};
    long no, n, p, id;
    double best, Q, *x = NULL, *y = NULL, *dem = NULL, *c = NULL, *q = NULL;
    char **names = NULL, name[128], rid[160], tag[41];
    size_t i, j;
    int rc = -1;
    json_t *model;

    if (tok_open(&t, file, err))
        return -1;
    if (need_int(&t, &no, 0, 1000000, "problem number", err) ||
        need_num(&t, &best, "best known value", err) ||
        need_int(&t, &n, 1, 20000, "number of customers", err) ||
        need_int(&t, &p, 1, n, "number of medians p", err) ||
        need_num(&t, &Q, "median capacity", err))
        goto done;
    /* before allocating n x n: the file must hold n customer lines (id, x,
     * y, demand: 8 bytes at least) */
    if (!holds(&t, 8.0 * (double)n - 1)) {
        ap__err(err, AP_EFORMAT, file, "%ld customers: the file is too short for that many customer lines", n);
        goto done;
    }
    x = malloc((size_t)n * sizeof *x);
    y = malloc((size_t)n * sizeof *y);
    dem = malloc((size_t)n * sizeof *dem);
    q = malloc((size_t)n * sizeof *q);
    c = malloc((size_t)n * (size_t)n * sizeof *c);
    names = make_names("p", (size_t)n);
    if (!x || !y || !dem || !q || !c || !names) {
        ap__err(err, AP_ENOMEM, file, "out of memory");
        goto done;
    }
    for (i = 0; i < (size_t)n; i++) {
        if (need_int(&t, &id, 1, n, "customer id", err) ||
            need_num(&t, &x[i], "x coordinate", err) || need_num(&t, &y[i], "y coordinate", err) ||
            need_num(&t, &dem[i], "demand", err))
            goto done;
        q[i] = Q;
    }
    /* Euclidean distances truncated to integers, as in the OR-Library values.
     * The objective counts each customer's distance once, unweighted by its
     * demand, while altoplace weights per-unit costs by demand: so the ALTO
     * cost of site i -> customer j is distance / demand_j. */
    for (i = 0; i < (size_t)n; i++)
        for (j = 0; j < (size_t)n; j++) {
            double dist = floor(sqrt((x[i] - x[j]) * (x[i] - x[j]) + (y[i] - y[j]) * (y[i] - y[j])));
            c[i * (size_t)n + j] = dem[j] > 0 ? dist / dem[j] : dist;
        }
    inst_name(file, name, sizeof name);
    snprintf(rid, sizeof rid, "%s-network-map", name);
    make_tag(c, (size_t)(n * n), name, tag);
    if (ap__stage_begin(&stg, outdir, err) ||
        write_netmap(stg.dir, rid, tag, names, (size_t)n, err) ||
        write_costmap(stg.dir, rid, tag, names, (size_t)n, names, (size_t)n, c, err) ||
        write_propmap(stg.dir, rid, tag, names, (size_t)n, q, NULL, err) ||
        write_demand(stg.dir, file, names, dem, (size_t)n, err))
        goto done;
    model = json_pack("{s:s, s:I, s:b, s:s}", "type", "capacitated-facility-location", "k",
                      (json_int_t)p, "single-source", 1, "capacity-property", "capacity");
    if (write_problem(stg.dir, name, model, 1, err))
        goto done;
    rc = ap__stage_commit(&stg, err);
done:
    ap__stage_abort(&stg, err);
    free(t.buf);
    free(x);
    free(y);
    free(dem);
    free(q);
    free(c);
    free_names(names, (size_t)(names ? n : 0));
    return rc;
}

/* TSPLIB header line "KEY : VALUE" (or "KEY: VALUE"): copies KEY and VALUE
 * (trimmed) and moves t->cur to the next line.  0, or 1 at end of file. */
static int tsp_header(toks *t, char *key, size_t kn, char *val, size_t vn)
{
    char *eol, *colon, *a, *b;
    size_t n;
    while (*t->cur == '\n' || *t->cur == '\r' || *t->cur == ' ' || *t->cur == '\t') {
        if (*t->cur == '\n')
            t->line++;
        t->cur++;
    }
    if (!*t->cur)
        return 1;
    eol = strchr(t->cur, '\n');
    if (!eol)
        eol = t->cur + strlen(t->cur);
    colon = memchr(t->cur, ':', (size_t)(eol - t->cur));
    for (a = t->cur, b = colon ? colon : eol; b > a && isspace((unsigned char)b[-1]); b--)
        ;
    n = (size_t)(b - a) < kn - 1 ? (size_t)(b - a) : kn - 1;
    memcpy(key, a, n);
    key[n] = '\0';
    val[0] = '\0';
    if (colon) {
        for (a = colon + 1; a < eol && isspace((unsigned char)*a); a++)
            ;
        for (b = eol; b > a && isspace((unsigned char)b[-1]); b--)
            ;
        n = (size_t)(b - a) < vn - 1 ? (size_t)(b - a) : vn - 1;
        memcpy(val, a, n);
        val[n] = '\0';
    }
    t->cur = *eol ? eol + 1 : eol;
    t->line += *eol == '\n';
    return 0;
}

/* The TSPLIB header up to NODE_COORD_SECTION: *n from DIMENSION, which
 * must come with EDGE_WEIGHT_TYPE EUC_2D.  0 or -1. */
static int tsp_read_header(toks *t, long *n, ap_error *err)
{
    char key[64], val[256], src[300];
    int euc = 0;
    *n = 0;
    for (;;) {
        long line = t->line;
        snprintf(src, sizeof src, "%s:%ld", t->path, line);
        if (tsp_header(t, key, sizeof key, val, sizeof val)) {
            ap__err(err, AP_EFORMAT, t->path, "no NODE_COORD_SECTION: not a TSPLIB coordinate file");
            return -1;
        }
        snprintf(src, sizeof src, "%s:%ld", t->path, line);
        if (!strcmp(key, "NODE_COORD_SECTION"))
            break;
        if (!strcmp(key, "DIMENSION")) {
            char *end;
            double d = strtod(val, &end);
            if (end == val || *end || d != floor(d) || d < 2 || d > 20000) {
                ap__err(err, AP_EFORMAT, src, "DIMENSION must be an integer in [2, 20000], found \"%s\"", val);
                return -1;
            }
            *n = (long)d;
        } else if (!strcmp(key, "EDGE_WEIGHT_TYPE")) {
            if (strcmp(val, "EUC_2D")) {
                ap__err(err, AP_EFORMAT, src, "EDGE_WEIGHT_TYPE %s: only EUC_2D coordinates are supported",
                        val);
                return -1;
            }
            euc = 1;
        } else if (!strcmp(key, "TYPE") && strcmp(val, "TSP") && strncmp(val, "TSP ", 4)) {
            ap__err(err, AP_EFORMAT, src, "TYPE %s: expected TSP (a coordinate file)", val);
            return -1;
        }
    }
    if (!*n || !euc) {
        ap__err(err, AP_EFORMAT, t->path, "the header before NODE_COORD_SECTION needs %s",
                !*n ? "DIMENSION" : "EDGE_WEIGHT_TYPE : EUC_2D");
        return -1;
    }
    return 0;
}

int ap_import_tsplib(const char *file, long p, const char *outdir, ap_error *err)
{
    ap__stage stg = {0};
    toks t = {0};
    long n, i, j, id;
    double *x = NULL, *y = NULL, *c = NULL, *dem = NULL;
    char **names = NULL, name[128], rid[160], tag[41];
    int rc = -1;
    json_t *model;

    if (tok_open(&t, file, err))
        return -1;
    if (tsp_read_header(&t, &n, err))
        goto done;
    if (p < 1 || p > n) {
        ap__err(err, AP_EINVAL, file, "p = %ld medians: must be in [1, %ld] (the number of points)", p, n);
        goto done;
    }
    /* before allocating n x n: the file must hold n coordinate lines */
    if (!holds(&t, 6.0 * (double)n)) {
        ap__err(err, AP_EFORMAT, file, "DIMENSION %ld: the file is too short for that many points", n);
        goto done;
    }
    x = malloc((size_t)n * sizeof *x);
    y = malloc((size_t)n * sizeof *y);
    dem = malloc((size_t)n * sizeof *dem);
    c = malloc((size_t)n * (size_t)n * sizeof *c);
    names = make_names("v", (size_t)n);
    if (!x || !y || !dem || !c || !names) {
        ap__err(err, AP_ENOMEM, file, "out of memory");
        goto done;
    }
    for (i = 0; i < n; i++) {
        if (need_int(&t, &id, i + 1, i + 1, "point number (points in order 1..DIMENSION)", err) ||
            need_num(&t, &x[i], "x coordinate", err) || need_num(&t, &y[i], "y coordinate", err))
            goto done;
        if (fabs(x[i]) > 1e15 || fabs(y[i]) > 1e15) {
            ap__err(err, AP_EFORMAT, file, "point %ld: coordinates beyond 1e15", i + 1);
            goto done;
        }
        dem[i] = 1;
    }
    /* cost = floor of the Euclidean distance, as the p-median literature
     * uses these files (TSPLIB itself rounds to the nearest integer) */
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            c[(size_t)i * (size_t)n + (size_t)j] = floor(hypot(x[i] - x[j], y[i] - y[j]));
    inst_name(file, name, sizeof name);
    snprintf(rid, sizeof rid, "%s-network-map", name);
    make_tag(c, (size_t)n * (size_t)n, name, tag);
    if (ap__stage_begin(&stg, outdir, err) ||
        write_netmap(stg.dir, rid, tag, names, (size_t)n, err) ||
        write_costmap(stg.dir, rid, tag, names, (size_t)n, names, (size_t)n, c, err) ||
        write_demand(stg.dir, file, names, dem, (size_t)n, err))
        goto done;
    model = json_pack("{s:s, s:I}", "type", "p-median", "k", (json_int_t)p);
    if (write_problem(stg.dir, name, model, 0, err))
        goto done;
    rc = ap__stage_commit(&stg, err);
done:
    ap__stage_abort(&stg, err);
    free(t.buf);
    free(x);
    free(y);
    free(c);
    free(dem);
    free_names(names, (size_t)(names ? n : 0));
    return rc;
}
