/* graphml.c - Internet Topology Zoo GraphML networks as topologies: PoPs
 * with coordinates (estimated where missing), links with speeds. */
#include "inputs_int.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

/* --------------------------------------------------------------- GraphML */

static char *xattr(xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *s;
    if (!v)
        return NULL;
    s = ap__strdup((const char *)v);
    xmlFree(v);
    return s;
}

typedef struct {
    char *id, *name;
} gkey;

static const char *key_name(const gkey *k, size_t nk, const char *id)
{
    size_t i;
    for (i = 0; id && i < nk; i++)
        if (strcmp(k[i].id, id) == 0)
            return k[i].name;
    return NULL;
}

/* Reads the <data> children of `n` whose key names are wanted. */
static char *gdata(xmlNode *n, const gkey *k, size_t nk, const char *want)
{
    xmlNode *c;
    for (c = n->children; c; c = c->next) {
        char *key;
        const char *name;
        if (c->type != XML_ELEMENT_NODE || xmlStrcmp(c->name, (const xmlChar *)"data"))
            continue;
        key = xattr(c, "key");
        name = key_name(k, nk, key);
        free(key);
        if (name && strcmp(name, want) == 0) {
            xmlChar *v = xmlNodeGetContent(c);
            char *s = ap__strdup(v ? (const char *)v : "");
            xmlFree(v);
            return s;
        }
    }
    return NULL;
}

static int num(const char *s, double *v)
{
    char *e;
    if (!s || !*s)
        return 0;
    *v = strtod(s, &e);
    while (*e && isspace((unsigned char)*e))
        e++;
    return *e == '\0' && isfinite(*v);
}

/* Estimates missing coordinates from located neighbours, then drops nodes
 * that are still unlocated (and their links). */
static int locate_or_drop(ap_topo *t, const ap_topo_opts *o, ap_error *err)
{
    size_t i, l, k, nest = 0, ndrop = 0;
    size_t *map, *start = calloc(t->n + 2, sizeof *start), *adj = malloc((2 * t->m + 1) * sizeof *adj);
    int changed = 1;
    if (!start || !adj) {
        free(start);
        free(adj);
        ap__err(err, AP_ENOMEM, t->source, "out of memory");
        return -1;
    }
    /* neighbours of every PoP, in link order (adjacency lists: a pass costs
     * O(n + m), not O(n m)) */
    for (l = 0; l < t->m; l++)
        if (t->link[l].a != t->link[l].b)
            start[t->link[l].a + 2]++, start[t->link[l].b + 2]++;
    for (i = 0; i < t->n; i++)
        start[i + 2] += start[i + 1];
    for (l = 0; l < t->m; l++)
        if (t->link[l].a != t->link[l].b) {
            adj[start[t->link[l].a + 1]++] = t->link[l].b;
            adj[start[t->link[l].b + 1]++] = t->link[l].a;
        }
    while (changed) {
        changed = 0;
        for (i = 0; i < t->n; i++) {
            double sla = 0, slo = 0;
            int cnt = 0;
            if (t->node[i].located)
                continue;
            for (l = start[i]; l < start[i + 1]; l++) {
                size_t other = adj[l];
                if (t->node[other].located) {
                    sla += t->node[other].lat;
                    slo += t->node[other].lon;
                    cnt++;
                }
            }
            if (cnt) {
                t->node[i].lat = sla / cnt;
                t->node[i].lon = slo / cnt;
                t->node[i].located = 2;
                nest++;
                changed = 1;
                tlog(o, AP_LOG_WARN, "%s: PoP %s has no coordinates; estimated as the mean of its %d located neighbour(s)",
                     t->source, t->node[i].pid, cnt);
            }
        }
    }
    free(start);
    free(adj);
    if (!(map = malloc((t->n ? t->n : 1) * sizeof *map))) {
        ap__err(err, AP_ENOMEM, t->source, "out of memory");
        return -1;
    }
    for (i = 0, k = 0; i < t->n; i++) {
        if (!t->node[i].located) {
            tlog(o, AP_LOG_WARN, "%s: PoP %s has no coordinates and no located neighbour: dropped",
                 t->source, t->node[i].pid);
            free(t->node[i].pid);
            free(t->node[i].label);
            free(t->node[i].cc);
            map[i] = (size_t)-1;
            ndrop++;
            continue;
        }
        map[i] = k;
        t->node[k++] = t->node[i];
    }
    t->n = k;
    for (l = 0, k = 0; l < t->m; l++) {
        if (map[t->link[l].a] == (size_t)-1 || map[t->link[l].b] == (size_t)-1)
            continue;
        t->link[k] = t->link[l];
        t->link[k].a = map[t->link[l].a];
        t->link[k].b = map[t->link[l].b];
        t->link[k].len_m = ap__gc_m(t->node[t->link[k].a].lat, t->node[t->link[k].a].lon,
                                t->node[t->link[k].b].lat, t->node[t->link[k].b].lon);
        k++;
    }
    t->m = k;
    free(map);
    if (nest || ndrop)
        tlog(o, AP_LOG_WARN, "%s: %zu PoP(s) with estimated coordinates, %zu dropped", t->source, nest, ndrop);
    return 0;
}

/* One GraphML document being read. */
typedef struct {
    const char *path;
    const ap_topo_opts *o;
    ap_error *err;
    gkey *keys;
    size_t nk, ck;
    char **ids;          /* node ids, in document order (= node index) */
    size_t nid, cid;
    ap_topo *t;
} gml;

static int nomem(gml *G)
{
    ap__err(G->err, AP_ENOMEM, G->path, "out of memory");
    return -1;
}

/* The <key> declarations; the <graph> element into *g. */
static int read_keys(gml *G, xmlNode *root, xmlNode **g)
{
    xmlNode *c;
    for (c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlStrcmp(c->name, (const xmlChar *)"key")) {
            gkey *q = ap__grow(G->keys, &G->ck, G->nk + 1, sizeof *q, 64, 0);
            if (!q)
                return nomem(G);
            G->keys = q;
            q[G->nk].id = xattr(c, "id");
            q[G->nk].name = xattr(c, "attr.name");
            if (!q[G->nk].id || !q[G->nk].name) {
                free(q[G->nk].id);
                free(q[G->nk].name);
                continue;
            }
            G->nk++;
        } else if (!xmlStrcmp(c->name, (const xmlChar *)"graph") && !*g) {
            *g = c;
        }
    }
    if (!*g) {
        ap__err(G->err, AP_EFORMAT, G->path, "no <graph> element");
        return -1;
    }
    return 0;
}

/* Index of node id in document order, or -1. */
static long node_index(const gml *G, const char *id)
{
    size_t i;
    for (i = 0; id && i < G->nid; i++)
        if (strcmp(G->ids[i], id) == 0)
            return (long)i;
    return -1;
}

/* One <node>: its PID, label, coordinates and country. */
static int read_node(gml *G, xmlNode *c)
{
    char *id, *label, *la, *lo, *country, *pid;
    tnode *nd;
    double lat, lon;
    char **q;
    if (!(id = xattr(c, "id"))) {
        ap__err(G->err, AP_EFORMAT, G->path, "line %d: <node> without id", c->line);
        return -1;
    }
    if (node_index(G, id) >= 0) {
        ap__err(G->err, AP_EFORMAT, G->path, "line %d: duplicate node id \"%s\"", c->line, id);
        free(id);
        return -1;
    }
    if (!(q = ap__grow(G->ids, &G->cid, G->nid + 1, sizeof *q, 64, 0))) {
        free(id);
        return nomem(G);
    }
    G->ids = q;
    G->ids[G->nid++] = id;
    label = gdata(c, G->keys, G->nk, "label");
    pid = ap__topo_make_pid(G->t, label, id);
    if (!pid || !(nd = ap__topo_add_node(G->t))) {
        free(pid);
        free(label);
        return nomem(G);
    }
    nd->pid = pid;
    nd->label = label ? label : ap__strdup(id);
    la = gdata(c, G->keys, G->nk, "Latitude");
    lo = gdata(c, G->keys, G->nk, "Longitude");
    if (num(la, &lat) && num(lo, &lon) && fabs(lat) <= 90 && fabs(lon) <= 180) {
        nd->lat = lat;
        nd->lon = lon;
        nd->located = 1;
    }
    free(la);
    free(lo);
    if ((country = gdata(c, G->keys, G->nk, "Country"))) {
        const char *cc = ap__country_code(country);
        if (cc)
            nd->cc = ap__strdup(cc);
        else
            tlog(G->o, AP_LOG_WARN, "%s: PoP %s: country \"%s\" not known to the importer", G->path, nd->pid,
                 country);
        free(country);
    }
    return 0;
}

/* The <edge> elements as links (self-loops ignored, speeds when given). */
static int read_links(gml *G, xmlNode *g)
{
    xmlNode *c;
    size_t nospeed = 0, loops = 0;
    for (c = g->children; c; c = c->next) {
        char *s, *d, *sp;
        long a, b;
        double bps = 0;
        if (c->type != XML_ELEMENT_NODE || xmlStrcmp(c->name, (const xmlChar *)"edge"))
            continue;
        s = xattr(c, "source");
        d = xattr(c, "target");
        a = node_index(G, s);
        b = node_index(G, d);
        if (a < 0 || b < 0) {
            ap__err(G->err, AP_EFORMAT, G->path, "line %d: edge %s-%s names a node that does not exist", c->line,
                    s ? s : "?", d ? d : "?");
            free(s);
            free(d);
            return -1;
        }
        free(s);
        free(d);
        if (a == b) {
            loops++;
            continue;
        }
        sp = gdata(c, G->keys, G->nk, "LinkSpeedRaw");
        if (!num(sp, &bps) || bps <= 0) {
            bps = 0;
            nospeed++;
        }
        free(sp);
        if (ap__topo_add_link(G->t, (size_t)a, (size_t)b, 0, bps))
            return nomem(G);
    }
    if (loops)
        tlog(G->o, AP_LOG_INFO, "%s: %zu self-loop(s) ignored", G->path, loops);
    if (nospeed)
        tlog(G->o, AP_LOG_WARN, "%s: %zu of %zu links have no speed: bandwidth unknown on paths through them",
             G->path, nospeed, G->t->m);
    return 0;
}

/* The graph: its name, nodes and links, coordinates, prefixes. */
static int read_graph(gml *G, xmlNode *root)
{
    xmlNode *g = NULL, *c;
    if (read_keys(G, root, &g))
        return -1;
    G->t->name = gdata(g, G->keys, G->nk, "Network");
    if (!G->t->name)
        G->t->name = gdata(g, G->keys, G->nk, "label");
    for (c = g->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, (const xmlChar *)"node") && read_node(G, c))
            return -1;
    if (G->t->n == 0) {
        ap__err(G->err, AP_EFORMAT, G->path, "the graph has no nodes");
        return -1;
    }
    if (read_links(G, g) || locate_or_drop(G->t, G->o, G->err))
        return -1;
    /* PoPs without coordinates are dropped: none may be left, and then
     * there is nothing to give prefixes to */
    if (G->t->n == 0) {
        ap__err(G->err, AP_EFORMAT, G->path, "no node has coordinates");
        return -1;
    }
    return ap__topo_assign_prefixes(G->t, G->o, G->err);
}

ap_topo *ap_topo_load_graphml(const char *path, const ap_topo_opts *o, ap_error *err)
{
    xmlDoc *doc;
    xmlNode *root;
    gml G;
    size_t i;
    int ok = 0;
    FILE *f;

    if (!path) {
        ap__err(err, AP_EINVAL, "", "no GraphML file given");
        return NULL;
    }
    if (!(f = fopen(path, "rb"))) {
        ap__err(err, AP_EIO, path, "cannot open: %s", strerror(errno));
        return NULL;
    }
    fclose(f);
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *xe = xmlGetLastError();
        ap__err(err, AP_ESYNTAX, path, "not well-formed XML%s%s (line %d)", xe ? ": " : "",
                xe && xe->message ? xe->message : "", xe ? xe->line : 0);
        return NULL;
    }
    memset(&G, 0, sizeof G);
    G.path = path;
    G.o = o;
    G.err = err;
    root = xmlDocGetRootElement(doc);
    if (!root || xmlStrcmp(root->name, (const xmlChar *)"graphml"))
        ap__err(err, AP_EFORMAT, path, "root element is not <graphml>");
    else if (!(G.t = ap__topo_new(path, o)))
        nomem(&G);
    else
        ok = read_graph(&G, root) == 0;
    for (i = 0; i < G.nk; i++) {
        free(G.keys[i].id);
        free(G.keys[i].name);
    }
    free(G.keys);
    for (i = 0; i < G.nid; i++)
        free(G.ids[i]);
    free(G.ids);
    xmlFreeDoc(doc);
    if (!ok) {
        ap_topo_free(G.t);
        return NULL;
    }
    return G.t;
}
