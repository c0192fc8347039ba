/* topo.c - network topologies: Topology Zoo GraphML and WLCG CRIC importers,
 * shortest-path costs, failures, and output as ALTO documents.
 *
 * Delay model: a link's one-way delay is its great-circle length divided by
 * the propagation speed (2e8 m/s by default: light in fibre, about 2/3 c);
 * a PID pair's delay is that of the shortest-delay path.  Hop count is the
 * fewest-link path; bandwidth is the slowest link on the shortest-delay path
 * (unknown when any link on it has no speed). */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

typedef struct {
    char *pid, *label, *cc;  /* cc: ISO 3166 alpha-2, lower case, or NULL */
    double lat, lon;
    int located;             /* 0 no, 1 from the data, 2 estimated */
    int failed;
    char **pfx;
    size_t npfx, cpfx;
} tnode;

typedef struct {
    size_t a, b;
    double len_m, bps; /* bps 0: unknown */
    int failed;
} tlink;

struct ap_topo {
    size_t n, m, cn, cm;
    tnode *node;
    tlink *link;
    double speed;
    char *name, *source, *rid;
    /* WLCG: transfer-record site name -> node */
    char **alias;
    size_t *alias_node, nalias, calias, calias_node;
};

void ap_topo_opts_init(ap_topo_opts *o)
{
    memset(o, 0, sizeof *o);
    o->speed = 2e8;
}

/* Reports through the options' log callback (o may be NULL). */
#define tlog(o, ...) ap__logf((o) ? (o)->log : NULL, (o) ? (o)->log_ud : NULL, __VA_ARGS__)

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

static ap_topo *topo_new(const char *source, const ap_topo_opts *o)
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

static tnode *add_node(ap_topo *t)
{
    tnode *p = ap__grow(t->node, &t->cn, t->n + 1, sizeof *p, 64, 0);
    if (!p)
        return NULL;
    t->node = p;
    memset(&t->node[t->n], 0, sizeof t->node[0]);
    return &t->node[t->n++];
}

static int add_link(ap_topo *t, size_t a, size_t b, double len_m, double bps)
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

static int add_prefix(tnode *nd, const char *p)
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

static int add_alias(ap_topo *t, const char *name, size_t node)
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
static double gc_m(double la1, double lo1, double la2, double lo2)
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
static char *make_pid(const ap_topo *t, const char *label, const char *id)
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

/* ------------------------------------------------------- country prefixes */

/* Country names used in the Topology Zoo -> ISO 3166-1 alpha-2. */
static const char *const COUNTRIES[][2] = {
    {"Albania", "al"}, {"Algeria", "dz"}, {"Antigua and Barbuda", "ag"}, {"Argentina", "ar"},
    {"Armenia", "am"}, {"Australia", "au"}, {"Austria", "at"}, {"Bahamas", "bs"},
    {"Barbados", "bb"}, {"Belarus", "by"}, {"Belgium", "be"}, {"Belize", "bz"},
    {"Bolivia", "bo"}, {"Bonaire, Saint Eustatius and Saba", "bq"},
    {"Bosnia and Herzegovina", "ba"}, {"Brazil", "br"}, {"Brunei", "bn"}, {"Bulgaria", "bg"},
    {"Canada", "ca"}, {"Cayman Islands", "ky"}, {"Chile", "cl"}, {"China", "cn"},
    {"Colombia", "co"}, {"Costa Rica", "cr"}, {"Croatia", "hr"}, {"Curacao", "cw"},
    {"Cyprus", "cy"}, {"Czech Republic", "cz"}, {"Denmark", "dk"}, {"Dominica", "dm"},
    {"Dominican Republic", "do"}, {"Ecuador", "ec"}, {"Egypt", "eg"}, {"El Salvador", "sv"},
    {"Estonia", "ee"}, {"Fiji", "fj"}, {"Finland", "fi"}, {"France", "fr"}, {"Gambia", "gm"},
    {"Georgia", "ge"}, {"Germany", "de"}, {"Gibraltar", "gi"}, {"Greece", "gr"},
    {"Grenada", "gd"}, {"Guadeloupe", "gp"}, {"Guam", "gu"}, {"Guatemala", "gt"},
    {"Guyana", "gy"}, {"Honduras", "hn"}, {"Hong Kong", "hk"}, {"Hungary", "hu"},
    {"Iceland", "is"}, {"India", "in"}, {"Indonesia", "id"}, {"Ireland", "ie"},
    {"Israel", "il"}, {"Italy", "it"}, {"Jamaica", "jm"}, {"Japan", "jp"}, {"Kosovo", "xk"},
    {"Latvia", "lv"}, {"Lebanon", "lb"}, {"Libya", "ly"}, {"Liechtenstein", "li"},
    {"Lithuania", "lt"}, {"Luxembourg", "lu"}, {"Macau", "mo"}, {"Macedonia", "mk"},
    {"Malaysia", "my"}, {"Malta", "mt"}, {"Martinique", "mq"}, {"Mexico", "mx"},
    {"Moldova", "md"}, {"Montenegro", "me"}, {"Morocco", "ma"}, {"Myanmar [Burma]", "mm"},
    {"Netherlands", "nl"}, {"New Zealand", "nz"}, {"Nicaragua", "ni"}, {"Nigeria", "ng"},
    {"Norway", "no"}, {"Pakistan", "pk"}, {"Panama", "pa"}, {"Peru", "pe"},
    {"Philippines", "ph"}, {"Poland", "pl"}, {"Portugal", "pt"}, {"Puerto Rico", "pr"},
    {"Romania", "ro"}, {"Russia", "ru"}, {"Saint Martin", "mf"},
    {"Saint Vincent and the Grenadines", "vc"}, {"Saudi Arabia", "sa"}, {"Serbia", "rs"},
    {"Singapore", "sg"}, {"Slovakia", "sk"}, {"Slovenia", "si"}, {"South Africa", "za"},
    {"South Korea", "kr"}, {"Spain", "es"}, {"Sri Lanka", "lk"}, {"Suriname", "sr"},
    {"Svalbard and Jan Mayen", "sj"}, {"Sweden", "se"}, {"Switzerland", "ch"}, {"Syria", "sy"},
    {"Taiwan", "tw"}, {"Thailand", "th"}, {"Trinidad and Tobago", "tt"}, {"Turkey", "tr"},
    {"Turks and Caicos Islands", "tc"}, {"U.S. Virgin Islands", "vi"}, {"Ukraine", "ua"},
    {"United Arab Emirates", "ae"}, {"United Kingdom", "gb"}, {"United States", "us"},
    {"Uruguay", "uy"}, {"Venezuela", "ve"}, {"Vietnam", "vn"}, {"Zambia", "zm"},
};

static const char *country_code(const char *name)
{
    size_t i;
    if (!name)
        return NULL;
    for (i = 0; i < sizeof COUNTRIES / sizeof COUNTRIES[0]; i++)
        if (strcmp(COUNTRIES[i][0], name) == 0)
            return COUNTRIES[i][1];
    return NULL;
}

/* Deals a country's real blocks over its PoPs: each block goes to the PoP
 * with the least address space so far (largest blocks first keeps it even).
 * Which PoP gets which block is this importer's assumption, not data. */
typedef struct {
    char *s;
    int plen;
} cblock;

static int cmp_block(const void *a, const void *b)
{
    const cblock *x = a, *y = b;
    if (x->plen != y->plen)
        return x->plen - y->plen;
    return strcmp(x->s, y->s);
}

/* Deals `nb` blocks of one family over the PoPs `who`: each block goes to
 * the PoP with the least address space so far, largest blocks first. */
static int deal_blocks(ap_topo *t, const size_t *who, size_t nw, cblock *bl, size_t nb, int fam)
{
    double *load = calloc(nw ? nw : 1, sizeof *load);
    size_t i, k;
    if (!load)
        return -1;
    qsort(bl, nb, sizeof *bl, cmp_block);
    for (i = 0; i < nb; i++) {
        size_t best = 0;
        for (k = 1; k < nw; k++)
            if (load[k] < load[best])
                best = k;
        load[best] += ldexp(1.0, (fam == 4 ? 32 : 64) - (bl[i].plen > 64 ? 64 : bl[i].plen));
        if (add_prefix(&t->node[who[best]], bl[i].s)) {
            free(load);
            return -1;
        }
    }
    free(load);
    return 0;
}

static int push_block(cblock **bl, size_t *nb, size_t *cb, const char *s, int plen)
{
    cblock *q = ap__grow(*bl, cb, *nb + 1, sizeof *q, 256, 0);
    if (!q)
        return -1;
    *bl = q;
    if (!((*bl)[*nb].s = ap__strdup(s)))
        return -1;
    (*bl)[(*nb)++].plen = plen;
    return 0;
}

static void free_blocks(cblock *bl, size_t nb)
{
    size_t i;
    for (i = 0; i < nb; i++)
        free(bl[i].s);
    free(bl);
}

static int deal_country(ap_topo *t, const char *cc, const char *dir, const ap_topo_opts *o,
                        ap_error *err)
{
    size_t *who = NULL, nw = 0, i, k;
    int fam, rc = 0;
    for (i = 0; i < t->n; i++)
        if (t->node[i].cc && strcmp(t->node[i].cc, cc) == 0)
            nw++;
    if (!nw)
        return 0;
    if (!(who = malloc(nw * sizeof *who))) {
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        return -1;
    }
    for (i = 0, k = 0; i < t->n; i++)
        if (t->node[i].cc && strcmp(t->node[i].cc, cc) == 0)
            who[k++] = i;
    for (fam = 4; fam <= 6 && rc == 0; fam += 2) {
        char path[4096], line[256];
        FILE *f;
        cblock *bl = NULL;
        size_t cb = 0, nb = 0;
        snprintf(path, sizeof path, "%s/ipv%d/%s.cidr", dir, fam, cc);
        if (!(f = fopen(path, "r"))) {
            tlog(o, AP_LOG_WARN, "%s: no IPv%d blocks for country %s (%s)", path, fam, cc, "file missing");
            continue;
        }
        while (rc == 0 && fgets(line, sizeof line, f)) {
            uint8_t a[16];
            int plen;
            char *e = line + strlen(line);
            while (e > line && isspace((unsigned char)e[-1]))
                *--e = '\0';
            if (!line[0] || line[0] == '#')
                continue;
            if (ap__cidr_parse(line, fam, a, &plen) != 0) {
                tlog(o, AP_LOG_WARN, "%s: skipping \"%s\" (not an IPv%d prefix)", path, line, fam);
                continue;
            }
            rc = push_block(&bl, &nb, &cb, line, plen);
        }
        fclose(f);
        if (rc == 0)
            rc = deal_blocks(t, who, nw, bl, nb, fam);
        free_blocks(bl, nb);
    }
    if (rc)
        ap__err(err, AP_ENOMEM, dir, "out of memory");
    else if (nw > 1)
        tlog(o, AP_LOG_INFO, "country %s: its blocks are dealt over %zu PoPs (assumed split)", cc, nw);
    free(who);
    return rc;
}

/* The prefixes that AS `asn` originates in prefix-to-AS tables (pyasn
 * IPASN-DAT: "prefix<TAB>asn" lines, ';' comments; gzip allowed), dealt over
 * every PoP of the network. */
static int deal_as(ap_topo *t, const ap_topo_opts *o, ap_error *err)
{
    size_t *who = malloc((t->n ? t->n : 1) * sizeof *who), i, f, total = 0;
    int fam, rc = 0;
    cblock *bl[2] = {NULL, NULL};
    size_t nb[2] = {0, 0}, cb[2] = {0, 0};
    if (!who) {
        ap__err(err, AP_ENOMEM, t->source, "out of memory");
        return -1;
    }
    for (i = 0; i < t->n; i++)
        who[i] = i;
    for (f = 0; f < o->nas_tables && rc == 0; f++) {
        gzFile z = gzopen(o->as_tables[f], "rb");
        char line[512];
        long lineno = 0, bad = 0;
        if (!z) {
            ap__err(err, AP_EIO, o->as_tables[f], "cannot open: %s", strerror(errno));
            rc = -2;
            break;
        }
        while (rc == 0 && gzgets(z, line, sizeof line)) {
            char *tab = strchr(line, '\t'), *end;
            long asn;
            uint8_t a[16];
            int plen, fm;
            lineno++;
            if (line[0] == ';' || line[0] == '\n' || line[0] == '\0')
                continue;
            if (!tab) {
                bad++;
                continue;
            }
            *tab = '\0';
            asn = strtol(tab + 1, &end, 10);
            if (end == tab + 1) {
                bad++;
                continue;
            }
            if (asn != o->asn)
                continue;
            fm = strchr(line, ':') ? 6 : 4;
            if (ap__cidr_parse(line, fm, a, &plen) != 0) {
                tlog(o, AP_LOG_WARN, "%s:%ld: skipping \"%s\" (not an IPv%d prefix)", o->as_tables[f], lineno, line, fm);
                continue;
            }
            rc = push_block(&bl[fm == 6], &nb[fm == 6], &cb[fm == 6], line, plen);
        }
        if (gzclose(z) != Z_OK && rc == 0) {
            ap__err(err, AP_EIO, o->as_tables[f], "read error (truncated gzip?)");
            rc = -2;
        }
        if (bad)
            tlog(o, AP_LOG_WARN, "%s: %ld lines are not \"prefix<TAB>asn\"", o->as_tables[f], bad);
    }
    for (fam = 0; fam < 2 && rc == 0; fam++) {
        /* the same prefix in two tables (e.g. IPv4 in both dumps) once */
        size_t w = 0;
        qsort(bl[fam], nb[fam], sizeof *bl[fam], cmp_block);
        for (i = 0; i < nb[fam]; i++) {
            if (w && !strcmp(bl[fam][w - 1].s, bl[fam][i].s)) {
                free(bl[fam][i].s);
                continue;
            }
            bl[fam][w++] = bl[fam][i];
        }
        nb[fam] = w;
        total += nb[fam];
        rc = deal_blocks(t, who, t->n, bl[fam], nb[fam], fam ? 6 : 4);
    }
    if (rc == -1)
        ap__err(err, AP_ENOMEM, t->source, "out of memory");
    if (rc == 0) {
        if (total == 0)
            tlog(o, AP_LOG_WARN, "AS %ld originates no prefix in the given tables: PIDs have no prefixes", o->asn);
        else
            tlog(o, AP_LOG_INFO, "AS %ld: %zu IPv4 and %zu IPv6 prefixes dealt over %zu PoPs (assumed split)",
                 o->asn, nb[0], nb[1], t->n);
    }
    free_blocks(bl[0], nb[0]);
    free_blocks(bl[1], nb[1]);
    free(who);
    return rc ? -1 : 0;
}

static int assign_prefixes(ap_topo *t, const ap_topo_opts *o, ap_error *err)
{
    size_t i, j, nocc = 0;
    if (o && o->asn > 0 && o->nas_tables) {
        if (o->prefixes) {
            ap__err(err, AP_EINVAL, t->source, "give country prefixes or an AS's prefixes, not both");
            return -1;
        }
        return deal_as(t, o, err);
    }
    if (!o || !o->prefixes)
        return 0;
    for (i = 0; i < o->ncountries; i++) {
        const char *eq = strchr(o->countries[i], '=');
        char pid[128];
        long at;
        if (!eq || eq == o->countries[i] || (size_t)(eq - o->countries[i]) >= sizeof pid || strlen(eq + 1) != 2) {
            ap__err(err, AP_EINVAL, t->source, "country override \"%s\": expected PID=cc (ISO 3166 alpha-2)",
                    o->countries[i]);
            return -1;
        }
        memcpy(pid, o->countries[i], (size_t)(eq - o->countries[i]));
        pid[eq - o->countries[i]] = '\0';
        if ((at = ap_topo_find(t, pid)) < 0) {
            ap__err(err, AP_EINVAL, t->source, "country override \"%s\": no PoP %s", o->countries[i], pid);
            return -1;
        }
        free(t->node[at].cc);
        if (!(t->node[at].cc = ap__strdup(eq + 1))) {
            ap__err(err, AP_ENOMEM, t->source, "out of memory");
            return -1;
        }
        for (j = 0; t->node[at].cc[j]; j++)
            t->node[at].cc[j] = (char)tolower((unsigned char)t->node[at].cc[j]);
        tlog(o, AP_LOG_INFO, "PoP %s: country set to %s", pid, t->node[at].cc);
    }
    for (i = 0; i < t->n; i++) {
        int seen = 0;
        if (!t->node[i].cc) {
            nocc++;
            continue;
        }
        for (j = 0; j < i && !seen; j++)
            seen = t->node[j].cc && strcmp(t->node[j].cc, t->node[i].cc) == 0;
        if (!seen && deal_country(t, t->node[i].cc, o->prefixes, o, err))
            return -1;
    }
    if (nocc)
        tlog(o, AP_LOG_WARN, "%zu PoPs have no known country: their PIDs have no prefixes", nocc);
    return 0;
}

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
        t->link[k].len_m = gc_m(t->node[t->link[k].a].lat, t->node[t->link[k].a].lon,
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
    if (!(t = topo_new(path, o)))
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
            char *pid = make_pid(t, label, id);
            if (!pid || !(nd = add_node(t))) {
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
            const char *cc = country_code(country);
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
        if (add_link(t, (size_t)a, (size_t)b, 0, bps))
            goto nomem;
    }
    if (loops)
        tlog(o, AP_LOG_INFO, "%s: %zu self-loop(s) ignored", path, loops);
    if (nospeed)
        tlog(o, AP_LOG_WARN, "%s: %zu of %zu links have no speed: bandwidth unknown on paths through them",
             path, nospeed, t->m);
    if (locate_or_drop(t, o, err) || assign_prefixes(t, o, err))
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

/* ------------------------------------------------------------------ WLCG */

/* Storage-endpoint suffixes of CMS site names (T1_DE_KIT_Disk -> T1_DE_KIT). */
static const char *const SUFFIXES[] = {"_Disk", "_Buffer", "_MSS", "_Export", "_HPC"};

static int located(json_t *rc)
{
    double lat = json_number_value(json_object_get(rc, "latitude"));
    double lon = json_number_value(json_object_get(rc, "longitude"));
    return json_is_number(json_object_get(rc, "latitude")) && json_is_number(json_object_get(rc, "longitude")) &&
           !(lat == 0 && lon == 0) && fabs(lat) <= 90 && fabs(lon) <= 180;
}

/* The rcsite of an experiment site name: the name itself if that site has
 * coordinates, else the name without its storage suffix. */
static json_t *site_of(json_t *bysite, const char *name, char *base, size_t cap)
{
    size_t i, n = strlen(name);
    json_t *r = json_object_get(bysite, name);
    snprintf(base, cap, "%s", name);
    if (r && located(r))
        return r;
    for (i = 0; i < sizeof SUFFIXES / sizeof SUFFIXES[0]; i++) {
        size_t k = strlen(SUFFIXES[i]);
        if (n > k && strcmp(name + n - k, SUFFIXES[i]) == 0 && n - k < cap) {
            json_t *b;
            memcpy(base, name, n - k);
            base[n - k] = '\0';
            if ((b = json_object_get(bysite, base)) && (located(b) || !r))
                return b;
            snprintf(base, cap, "%s", name);
            return r;
        }
    }
    return r;
}

static int add_rc_prefixes(ap_topo *t, tnode *nd, json_t *rc, const ap_topo_opts *o)
{
    json_t *routes = json_object_get(rc, "netroutes"), *r;
    const char *rk;
    json_object_foreach(routes, rk, r) {
        json_t *nets = json_object_get(r, "networks");
        int fam;
        for (fam = 4; fam <= 6; fam += 2) {
            json_t *arr = json_object_get(nets, fam == 4 ? "ipv4" : "ipv6"), *e;
            size_t k;
            json_array_foreach(arr, k, e) {
                uint8_t a[16];
                int plen;
                const char *p = json_string_value(e);
                if (!p || ap__cidr_parse(p, fam, a, &plen) != 0) {
                    tlog(o, AP_LOG_WARN, "%s: site %s route %s: skipping \"%s\" (not a valid IPv%d prefix)",
                         t->source, nd->pid, rk, p ? p : "?", fam);
                    continue;
                }
                {
                    size_t x, y;
                    long dup = -1;
                    for (x = 0; x < t->n && dup < 0; x++)
                        for (y = 0; y < t->node[x].npfx && dup < 0; y++)
                            if (strcmp(t->node[x].pfx[y], p) == 0)
                                dup = (long)x;
                    if (dup >= 0 && &t->node[dup] != nd) {
                        tlog(o, AP_LOG_WARN, "%s: site %s: prefix %s already belongs to %s: skipped", t->source,
                             nd->pid, p, t->node[dup].pid);
                        continue;
                    }
                    if (dup >= 0)
                        continue; /* listed twice by the same site */
                }
                if (add_prefix(nd, p))
                    return -1;
            }
        }
    }
    return 0;
}

ap_topo *ap_topo_load_wlcg(const char *cric, const char *vo, const char *flows,
                           const ap_topo_opts *o, ap_error *err)
{
    json_t *cj = NULL, *fj = NULL, *bysite = NULL, *names = NULL, *rc, *e;
    char *buf = NULL;
    size_t len, i, j, unmatched = 0;
    const char *k;
    ap_topo *t = NULL;
    int ok = 0;

    if (!cric || !vo || !flows) {
        ap__err(err, AP_EINVAL, "", "WLCG import needs the CRIC file, the VO and the transfer records");
        return NULL;
    }
    if (!(buf = ap__read_file(cric, &len, err)) || !(cj = ap__json_parse_object(buf, len, cric, err)))
        goto out;
    free(buf);
    if (!(buf = ap__read_file(flows, &len, err)) || !(fj = ap__json_parse(buf, len, flows, err)))
        goto out;
    if (!json_is_array(fj)) {
        ap__err(err, AP_EFORMAT, flows, "not an array of transfer records");
        goto out;
    }
    if (!(t = topo_new(cric, o)) || !(bysite = json_object()) || !(names = json_object()))
        goto nomem;
    t->name = ap__strdup("wlcg");
    /* experiment site name -> rcsite */
    json_object_foreach(cj, k, rc) {
        json_t *sites = json_object_get(rc, "sites");
        json_array_foreach(sites, i, e) {
            const char *v = json_string_value(json_object_get(e, "vo_name"));
            const char *nm = json_string_value(json_object_get(e, "name"));
            if (v && nm && strcmp(v, vo) == 0 && json_object_set(bysite, nm, rc))
                goto nomem;
        }
    }
    if (json_object_size(bysite) == 0) {
        ap__err(err, AP_EFORMAT, cric, "no rcsite lists a site of VO \"%s\"", vo);
        goto out;
    }
    /* site names of the transfer records, in order of first appearance */
    json_array_foreach(fj, i, e) {
        for (j = 0; j < 2; j++) {
            const char *s = json_string_value(json_array_get(e, j));
            if (!json_is_array(e) || json_array_size(e) < 5 || !s) {
                ap__err(err, AP_EFORMAT, flows, "[%zu]: not [src_site, dst_site, start, end, bytes]", i);
                goto out;
            }
            if (!json_object_get(names, s) && json_object_set_new(names, s, json_true()))
                goto nomem;
        }
    }
    json_object_foreach(names, k, e) {
        char base[256];
        json_t *r = site_of(bysite, k, base, sizeof base);
        double lat, lon;
        long at;
        tnode *nd;
        if (!r) {
            tlog(o, AP_LOG_WARN, "%s: site %s is not a %s site of %s: its transfers are unmatched",
                 flows, k, vo, cric);
            unmatched++;
            continue;
        }
        lat = json_number_value(json_object_get(r, "latitude"));
        lon = json_number_value(json_object_get(r, "longitude"));
        if (!located(r)) {
            const char *rn = json_string_value(json_object_get(r, "name"));
            tlog(o, AP_LOG_WARN, "%s: site %s (%s) has no coordinates: left out", cric, base, rn ? rn : "unnamed rcsite");
            unmatched++;
            continue;
        }
        if ((at = ap_topo_find(t, base)) < 0) {
            char *pid = make_pid(t, base, "x");
            if (!pid || !(nd = add_node(t))) {
                free(pid);
                goto nomem;
            }
            nd->pid = pid;
            nd->label = ap__strdup(json_string_value(json_object_get(r, "name")));
            nd->lat = lat;
            nd->lon = lon;
            nd->located = 1;
            if (add_rc_prefixes(t, nd, r, o))
                goto nomem;
            if (nd->npfx == 0)
                tlog(o, AP_LOG_WARN, "%s: site %s (%s): no prefixes of its own", cric, nd->pid,
                     nd->label ? nd->label : "unnamed rcsite");
            at = (long)(t->n - 1);
        }
        if (add_alias(t, k, (size_t)at))
            goto nomem;
    }
    if (t->n < 2) {
        ap__err(err, AP_EFORMAT, flows, "fewer than two of its sites are %s sites with coordinates in %s", vo, cric);
        goto out;
    }
    for (i = 0; i < t->n; i++)
        for (j = i + 1; j < t->n; j++)
            if (add_link(t, i, j, gc_m(t->node[i].lat, t->node[i].lon, t->node[j].lat, t->node[j].lon), 0))
                goto nomem;
    tlog(o, AP_LOG_INFO, "%s: %zu sites (%zu transfer-record names), %zu names not matched", cric, t->n,
         t->nalias, unmatched);
    ok = 1;
    goto out;
nomem:
    ap__err(err, AP_ENOMEM, cric, "out of memory");
out:
    free(buf);
    json_decref(cj);
    json_decref(fj);
    json_decref(bysite);
    json_decref(names);
    if (!ok) {
        ap_topo_free(t);
        return NULL;
    }
    return t;
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
        for (i = 0; i < n; i++) {
            if (kind == 0)
                row[i] = dist[i];
            else if (isfinite(dist[i]) && i != s && bw[i] > 0)
                row[i] = bw[i] / 8; /* RFC 9439: bytes per second */
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

/* ----------------------------------------------------------------- output */

static char *default_rid(const ap_topo *t, const ap_topo_opts *o)
{
    char buf[128];
    size_t i, n = 0;
    const char *nm = o && o->resource_id ? o->resource_id : NULL;
    if (nm)
        return ap__strdup(nm);
    for (i = 0; t->name && t->name[i] && n < 40; i++) {
        unsigned char c = (unsigned char)t->name[i];
        if (isalnum(c) && c < 128)
            buf[n++] = (char)tolower(c);
        else if (n && buf[n - 1] != '-')
            buf[n++] = '-';
    }
    if (n == 0)
        n = (size_t)snprintf(buf, sizeof buf, "topology");
    snprintf(buf + n, sizeof buf - n, "-network-map");
    return ap__strdup(buf);
}

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static json_t *dep_vtags(const char *rid, const char *tag)
{
    return json_pack("[{s:s,s:s}]", "resource-id", rid, "tag", tag);
}

static int write_costmap(const ap_topo *t, const char *dir, const char *metric, const char *rid,
                         const char *tag, int *written, ap_error *err)
{
    double *c = ap_topo_costs(t, metric, err);
    char *buf = NULL, *path;
    size_t blen = 0, i, j, have = 0;
    FILE *f;
    int rc;
    *written = 0;
    if (!c)
        return -1;
    if (!(f = open_memstream(&buf, &blen))) {
        free(c);
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        return -1;
    }
    fprintf(f, "{\n  \"meta\": {\n    \"dependent-vtags\": [{\"resource-id\": \"%s\", \"tag\": \"%s\"}],\n"
               "    \"cost-type\": {\"cost-mode\": \"numerical\", \"cost-metric\": \"%s\"}\n  },\n"
               "  \"cost-map\": {", rid, tag, metric);
    for (i = 0; i < t->n; i++) {
        int first = 1;
        fprintf(f, "%s\n    \"%s\": {", i ? "," : "", t->node[i].pid);
        for (j = 0; j < t->n; j++) {
            double v = c[i * t->n + j];
            if (!isfinite(v))
                continue;
            have++;
            if (strcmp(metric, "delay-ow") == 0)
                fprintf(f, "%s\"%s\": %.1f", first ? "" : ", ", t->node[j].pid, v);
            else
                fprintf(f, "%s\"%s\": %.0f", first ? "" : ", ", t->node[j].pid, v);
            first = 0;
        }
        fputc('}', f);
    }
    fputs("\n  }\n}\n", f);
    fclose(f);
    free(c);
    if (!buf) {
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        return -1;
    }
    if (have == 0) { /* e.g. no link speed known at all */
        free(buf);
        return 0;
    }
    {
        char name[64];
        snprintf(name, sizeof name, "costmap-%s.json", metric);
        path = ap__path_join(dir, name);
    }
    rc = path ? ap__write_atomic(path, buf, blen, err) : -1;
    if (!path)
        ap__err(err, AP_ENOMEM, dir, "out of memory");
    free(path);
    free(buf);
    *written = rc == 0;
    return rc;
}

int ap_topo_write_alto(const ap_topo *t, const char *outdir, const ap_topo_opts *o, ap_error *err)
{
    json_t *nm = NULL, *pm = NULL, *top = NULL, *nodes, *links;
    char *rid = NULL, *body = NULL, tag[32];
    size_t i, k;
    double *capgb = NULL;
    int rc = -1, w;

    if (!t || !outdir) {
        ap__err(err, AP_EINVAL, "", "no topology or output folder");
        return -1;
    }
    if (ap__mkdir_p(outdir, err))
        return -1;
    if (!(rid = default_rid(t, o)) || !(nm = json_object()) || !(capgb = calloc(t->n + 1, sizeof *capgb)))
        goto nomem;
    for (i = 0; i < t->n; i++) {
        json_t *grp = json_object(), *v4 = json_array(), *v6 = json_array();
        if (!grp || !v4 || !v6) {
            json_decref(grp);
            json_decref(v4);
            json_decref(v6);
            goto nomem;
        }
        for (k = 0; k < t->node[i].npfx; k++)
            json_array_append_new(strchr(t->node[i].pfx[k], ':') ? v6 : v4, json_string(t->node[i].pfx[k]));
        if (json_array_size(v4))
            json_object_set(grp, "ipv4", v4);
        if (json_array_size(v6))
            json_object_set(grp, "ipv6", v6);
        json_decref(v4);
        json_decref(v6);
        json_object_set_new(nm, t->node[i].pid, grp);
    }
    if (!(body = json_dumps(nm, JSON_COMPACT | JSON_SORT_KEYS)))
        goto nomem;
    snprintf(tag, sizeof tag, "%016llx", (unsigned long long)fnv1a(body, strlen(body)));
    if (ap__json_write_in(outdir, "networkmap.json",
                      json_pack("{s:{s:{s:s,s:s}},s:O}", "meta", "vtag", "resource-id", rid, "tag", tag,
                                "network-map", nm), err))
        goto out;
    if (write_costmap(t, outdir, "delay-ow", rid, tag, &w, err) ||
        write_costmap(t, outdir, "hopcount", rid, tag, &w, err) ||
        write_costmap(t, outdir, "bw-maximum", rid, tag, &w, err))
        goto out;
    if (!w)
        tlog(o, AP_LOG_INFO, "%s: no link speeds: no bw-maximum cost map", t->source);
    for (i = 0; i < t->m; i++)
        if (t->link[i].bps > 0) {
            capgb[t->link[i].a] += t->link[i].bps / 1e9;
            capgb[t->link[i].b] += t->link[i].bps / 1e9;
        }
    if (!(pm = json_object()))
        goto nomem;
    for (i = 0; i < t->n; i++) {
        char key[200];
        json_t *pr = json_pack("{s:f,s:f,s:i}", "latitude", t->node[i].lat, "longitude", t->node[i].lon,
                               "coordinates-estimated", t->node[i].located == 2);
        if (!pr)
            goto nomem;
        if (capgb[i] > 0)
            json_object_set_new(pr, "link-capacity-gbps", json_real(capgb[i]));
        snprintf(key, sizeof key, "%s.pid:%s", rid, t->node[i].pid);
        json_object_set_new(pm, key, pr);
    }
    if (ap__json_write_in(outdir, "propmap.json",
                      json_pack("{s:{s:o},s:O}", "meta", "dependent-vtags", dep_vtags(rid, tag), "property-map", pm),
                      err))
        goto out;
    /* topology.json: what what-if studies recompute costs from */
    if (!(nodes = json_array()) || !(links = json_array()))
        goto nomem;
    top = json_pack("{s:{s:s,s:s,s:f,s:s},s:o,s:o}", "meta", "source", t->source, "name", t->name ? t->name : "",
                    "speed-m-per-s", t->speed, "network-map", rid, "nodes", nodes, "links", links);
    if (!top)
        goto nomem;
    for (i = 0; i < t->n; i++)
        json_array_append_new(nodes, json_pack("{s:s,s:s,s:f,s:f,s:b}", "pid", t->node[i].pid, "label",
                                               t->node[i].label ? t->node[i].label : "", "latitude", t->node[i].lat,
                                               "longitude", t->node[i].lon, "estimated", t->node[i].located == 2));
    for (i = 0; i < t->m; i++) {
        json_t *lk = json_pack("{s:s,s:s,s:f}", "a", t->node[t->link[i].a].pid, "b", t->node[t->link[i].b].pid,
                               "length-m", round(t->link[i].len_m));
        if (!lk)
            goto nomem;
        if (t->link[i].bps > 0)
            json_object_set_new(lk, "speed-bps", json_real(t->link[i].bps));
        json_array_append_new(links, lk);
    }
    if (ap__json_write_in(outdir, "topology.json", top, err)) {
        top = NULL;
        goto out;
    }
    top = NULL;
    rc = 0;
    goto out;
nomem:
    ap__err(err, AP_ENOMEM, outdir, "out of memory");
out:
    json_decref(nm);
    json_decref(pm);
    json_decref(top);
    free(body);
    free(rid);
    free(capgb);
    return rc;
}

int ap_topo_write_sites(const ap_topo *t, const char *path, ap_error *err)
{
    json_t *j;
    size_t i;
    int rc;
    if (!t || !path || t->nalias == 0) {
        ap__err(err, AP_EINVAL, path ? path : "", "the topology has no transfer-record site names");
        return -1;
    }
    if (!(j = json_object())) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        return -1;
    }
    for (i = 0; i < t->nalias; i++)
        json_object_set_new(j, t->alias[i], json_string(t->node[t->alias_node[i]].pid));
    rc = ap__json_write(path, j, err);
    json_decref(j);
    return rc;
}

ap_topo *ap_topo_load(const char *path, ap_error *err)
{
    size_t len, i;
    char *buf = ap__read_file(path, &len, err);
    json_t *j, *nodes, *links, *e;
    ap_topo *t = NULL;
    double sp;
    if (!buf)
        return NULL;
    j = ap__json_parse_object(buf, len, path, err);
    free(buf);
    if (!j)
        return NULL;
    nodes = json_object_get(j, "nodes");
    links = json_object_get(j, "links");
    sp = json_number_value(json_object_get(json_object_get(j, "meta"), "speed-m-per-s"));
    if (!json_is_array(nodes) || !json_is_array(links) || !(sp > 0)) {
        ap__err(err, AP_EFORMAT, path, "not a topology.json (needs meta.speed-m-per-s, nodes and links)");
        goto fail;
    }
    if (!(t = topo_new(path, NULL)))
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
        if (!(nd = add_node(t)) || !(nd->pid = ap__strdup(pid)))
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
        if (add_link(t, (size_t)a, (size_t)b, len_m, json_number_value(json_object_get(e, "speed-bps"))))
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
