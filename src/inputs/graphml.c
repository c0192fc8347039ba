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
    size_t *map;
    int changed = 1;
    while (changed) {
        changed = 0;
        for (i = 0; i < t->n; i++) {
            double sla = 0, slo = 0;
            int cnt = 0;
            if (t->node[i].located)
                continue;
            for (l = 0; l < t->m; l++) {
                size_t other = t->link[l].a == i ? t->link[l].b : t->link[l].b == i ? t->link[l].a : (size_t)-1;
                if (other != (size_t)-1 && other != i && t->node[other].located) {
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

ap_topo *ap_topo_load_graphml(const char *path, const ap_topo_opts *o, ap_error *err)
{
    xmlDoc *doc;
    xmlNode *root, *c, *g = NULL;
    gkey *keys = NULL;
    size_t nk = 0, ck = 0, i, nospeed = 0, loops = 0, nid = 0, cid = 0;
    char **ids = NULL;
    ap_topo *t = NULL;
    int ok = 0;

    if (!path) {
        ap__err(err, AP_EINVAL, "", "no GraphML file given");
        return NULL;
    }
    {
        FILE *f = fopen(path, "rb");
        if (!f) {
            ap__err(err, AP_EIO, path, "cannot open: %s", strerror(errno));
            return NULL;
        }
        fclose(f);
    }
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *xe = xmlGetLastError();
        ap__err(err, AP_ESYNTAX, path, "not well-formed XML%s%s (line %d)", xe ? ": " : "",
                xe && xe->message ? xe->message : "", xe ? xe->line : 0);
        return NULL;
    }
    root = xmlDocGetRootElement(doc);
    if (!root || xmlStrcmp(root->name, (const xmlChar *)"graphml")) {
        ap__err(err, AP_EFORMAT, path, "root element is not <graphml>");
        goto out;
    }
    if (!(t = ap__topo_new(path, o)))
        goto nomem;
    for (c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!xmlStrcmp(c->name, (const xmlChar *)"key")) {
            gkey *q = ap__grow(keys, &ck, nk + 1, sizeof *q, 64, 0);
            if (!q)
                goto nomem;
            keys = q;
            keys[nk].id = xattr(c, "id");
            keys[nk].name = xattr(c, "attr.name");
            if (!keys[nk].id || !keys[nk].name) {
                free(keys[nk].id);
                free(keys[nk].name);
                continue;
            }
            nk++;
        } else if (!xmlStrcmp(c->name, (const xmlChar *)"graph") && !g) {
            g = c;
        }
    }
    if (!g) {
        ap__err(err, AP_EFORMAT, path, "no <graph> element");
        goto out;
    }
    t->name = gdata(g, keys, nk, "Network");
    if (!t->name)
        t->name = gdata(g, keys, nk, "label");
    /* nodes */
    for (c = g->children; c; c = c->next) {
        char *id, *label, *la, *lo, *country;
        tnode *nd;
        double lat, lon;
        if (c->type != XML_ELEMENT_NODE || xmlStrcmp(c->name, (const xmlChar *)"node"))
            continue;
        if (!(id = xattr(c, "id"))) {
            ap__err(err, AP_EFORMAT, path, "line %d: <node> without id", c->line);
            goto out;
        }
        for (i = 0; i < nid; i++)
            if (strcmp(ids[i], id) == 0) {
                ap__err(err, AP_EFORMAT, path, "line %d: duplicate node id \"%s\"", c->line, id);
                free(id);
                goto out;
            }
        {
            char **q = ap__grow(ids, &cid, nid + 1, sizeof *q, 64, 0);
            if (!q) {
                free(id);
                goto nomem;
            }
            ids = q;
        }
        ids[nid++] = id;
        label = gdata(c, keys, nk, "label");
        la = gdata(c, keys, nk, "Latitude");
        lo = gdata(c, keys, nk, "Longitude");
        country = gdata(c, keys, nk, "Country");
        {
            char *pid = ap__topo_make_pid(t, label, id);
            if (!pid || !(nd = ap__topo_add_node(t))) {
                free(pid);
                free(label);
                free(la);
                free(lo);
                free(country);
                goto nomem;
            }
            nd->pid = pid;
        }
        nd->label = label ? label : ap__strdup(id);
        if (num(la, &lat) && num(lo, &lon) && fabs(lat) <= 90 && fabs(lon) <= 180) {
            nd->lat = lat;
            nd->lon = lon;
            nd->located = 1;
        }
        if (country) {
            const char *cc = ap__country_code(country);
            if (cc)
                nd->cc = ap__strdup(cc);
            else
                tlog(o, AP_LOG_WARN, "%s: PoP %s: country \"%s\" not known to the importer",
                     path, nd->pid, country);
        }
        free(la);
        free(lo);
        free(country);
    }
    if (t->n == 0) {
        ap__err(err, AP_EFORMAT, path, "the graph has no nodes");
        goto out;
    }
    /* links */
    for (c = g->children; c; c = c->next) {
        char *s, *d, *sp;
        long a = -1, b = -1;
        double bps = 0;
        if (c->type != XML_ELEMENT_NODE || xmlStrcmp(c->name, (const xmlChar *)"edge"))
            continue;
        s = xattr(c, "source");
        d = xattr(c, "target");
        for (i = 0; i < nid; i++) {
            if (s && strcmp(ids[i], s) == 0)
                a = (long)i;
            if (d && strcmp(ids[i], d) == 0)
                b = (long)i;
        }
        if (a < 0 || b < 0) {
            ap__err(err, AP_EFORMAT, path, "line %d: edge %s-%s names a node that does not exist",
                    c->line, s ? s : "?", d ? d : "?");
            free(s);
            free(d);
            goto out;
        }
        free(s);
        free(d);
        if (a == b) {
            loops++;
            continue;
        }
        sp = gdata(c, keys, nk, "LinkSpeedRaw");
        if (!num(sp, &bps) || bps <= 0) {
            bps = 0;
            nospeed++;
        }
        free(sp);
        if (ap__topo_add_link(t, (size_t)a, (size_t)b, 0, bps))
            goto nomem;
    }
    if (loops)
        tlog(o, AP_LOG_INFO, "%s: %zu self-loop(s) ignored", path, loops);
    if (nospeed)
        tlog(o, AP_LOG_WARN, "%s: %zu of %zu links have no speed: bandwidth unknown on paths through them",
             path, nospeed, t->m);
    if (locate_or_drop(t, o, err) || ap__topo_assign_prefixes(t, o, err))
        goto out;
    if (t->n == 0) {
        ap__err(err, AP_EFORMAT, path, "no node has coordinates");
        goto out;
    }
    ok = 1;
    goto out;
nomem:
    ap__err(err, AP_ENOMEM, path, "out of memory");
out:
    for (i = 0; i < nk; i++) {
        free(keys[i].id);
        free(keys[i].name);
    }
    free(keys);
    for (i = 0; i < nid; i++)
        free(ids[i]);
    free(ids);
    xmlFreeDoc(doc);
    if (!ok) {
        ap_topo_free(t);
        return NULL;
    }
    return t;
}
