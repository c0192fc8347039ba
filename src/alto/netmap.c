/* netmap.c - RFC 7285 network maps: parsing, PID index, longest-prefix match. */
#include "alto_int.h"
#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Binary trie over address bits.  Nodes live in one growing array; child
 * links and the PID stored at a node are indices (-1 = none). */
typedef struct {
    int32_t child[2];
    int32_t pid;
} trie_node;

struct ap__trie {
    trie_node *n;
    size_t len, cap;
};

static ap__trie *trie_new(void)
{
    ap__trie *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cap = 64;
    t->n = malloc(t->cap * sizeof *t->n);
    if (!t->n) {
        free(t);
        return NULL;
    }
    t->n[0].child[0] = t->n[0].child[1] = -1;
    t->n[0].pid = -1;
    t->len = 1;
    return t;
}

static void trie_free(ap__trie *t)
{
    if (!t)
        return;
    free(t->n);
    free(t);
}

/* Inserts addr/plen for pid.  Returns 0, -1 on memory exhaustion, or the
 * index+1 of the PID that already owns exactly this prefix (as a positive
 * number) when it is a different PID. */
static long trie_insert(ap__trie *t, const uint8_t *addr, int plen, int32_t pid)
{
    size_t cur = 0;
    int b;
    for (b = 0; b < plen; b++) {
        int bit = (addr[b >> 3] >> (7 - (b & 7))) & 1;
        int32_t nx = t->n[cur].child[bit];
        if (nx < 0) {
            if (t->len == t->cap) {
                size_t ncap = t->cap * 2;
                trie_node *nn = realloc(t->n, ncap * sizeof *nn);
                if (!nn)
                    return -1;
                t->n = nn;
                t->cap = ncap;
            }
            nx = (int32_t)t->len++;
            t->n[nx].child[0] = t->n[nx].child[1] = -1;
            t->n[nx].pid = -1;
            t->n[cur].child[bit] = nx;
        }
        cur = (size_t)nx;
    }
    if (t->n[cur].pid >= 0 && t->n[cur].pid != pid)
        return (long)t->n[cur].pid + 1;
    t->n[cur].pid = pid;
    return 0;
}

static long trie_lookup(const ap__trie *t, const uint8_t *addr, int bits)
{
    size_t cur = 0;
    long best = -1;
    int b;
    if (!t)
        return -1;
    for (b = 0;; b++) {
        if (t->n[cur].pid >= 0)
            best = t->n[cur].pid;
        if (b == bits)
            break;
        {
            int bit = (addr[b >> 3] >> (7 - (b & 7))) & 1;
            int32_t nx = t->n[cur].child[bit];
            if (nx < 0)
                break;
            cur = (size_t)nx;
        }
    }
    return best;
}

int ap__cidr_parse(const char *s, int family, uint8_t addr[16], int *plen)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    size_t alen;
    int maxlen = family == 4 ? 32 : 128, len, i;
    char *end;

    memset(addr, 0, 16);
    alen = slash ? (size_t)(slash - s) : strlen(s);
    if (alen == 0 || alen >= sizeof buf)
        return -1;
    memcpy(buf, s, alen);
    buf[alen] = '\0';
    if (inet_pton(family == 4 ? AF_INET : AF_INET6, buf, addr) != 1)
        return -1;
    if (slash) {
        if (slash[1] < '0' || slash[1] > '9')
            return -1;
        len = (int)strtol(slash + 1, &end, 10);
        if (*end || len < 0 || len > maxlen || (end - (slash + 1)) > 3)
            return -1;
    } else {
        len = maxlen;
    }
    /* host bits must be zero */
    for (i = len; i < maxlen; i++)
        if ((addr[i >> 3] >> (7 - (i & 7))) & 1)
            return -2;
    *plen = len;
    return 0;
}

void ap_netmap_free(ap_netmap *nm)
{
    size_t i;
    if (!nm)
        return;
    for (i = 0; i < nm->n; i++)
        free(nm->pid[i]);
    free(nm->pid);
    free(nm->resource_id);
    free(nm->vtag);
    trie_free(nm->v4);
    trie_free(nm->v6);
    json_decref((json_t *)nm->index);
    free(nm);
}

/* Checks meta.vtag: an object with string resource-id and tag. */
static int parse_vtag(json_t *root, const char *src, char **rid, char **tag,
                      ap_error *err)
{
    json_t *meta = json_object_get(root, "meta"), *vt, *r, *t;
    if (!json_is_object(meta)) {
        ap__err(err, AP_EFORMAT, src, "meta: missing or not an object");
        return -1;
    }
    vt = json_object_get(meta, "vtag");
    if (!json_is_object(vt)) {
        ap__err(err, AP_EFORMAT, src, "meta.vtag: missing or not an object "
                "(a network map must carry a version tag, RFC 7285 11.2.1.6)");
        return -1;
    }
    r = json_object_get(vt, "resource-id");
    t = json_object_get(vt, "tag");
    if (!json_is_string(r) || !json_string_length(r)) {
        ap__err(err, AP_EFORMAT, src, "meta.vtag.resource-id: missing or not a non-empty string");
        return -1;
    }
    if (!json_is_string(t) || !json_string_length(t)) {
        ap__err(err, AP_EFORMAT, src, "meta.vtag.tag: missing or not a non-empty string");
        return -1;
    }
    *rid = ap__strdup(json_string_value(r));
    *tag = ap__strdup(json_string_value(t));
    if (!*rid || !*tag) {
        ap__err(err, AP_ENOMEM, src, "out of memory");
        return -1;
    }
    return 0;
}

static int valid_pid_name(const char *s)
{
    /* RFC 7285 10.1: up to 64 chars of alphanumerics, '-', ':', '@', '_', '.' */
    size_t n = 0;
    for (; *s; s++, n++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '@' ||
              c == '_' || c == '.'))
            return 0;
    }
    return n > 0 && n <= 64;
}

/* Appends a PID (name checked by the caller). */
static int add_pid_name(ap_netmap *nm, const char *name, size_t *cap)
{
    if (nm->n + 1 >= *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        char **np = realloc(nm->pid, nc * sizeof *np);
        if (!np)
            return -1;
        nm->pid = np;
        *cap = nc;
    }
    nm->pid[nm->n] = ap__strdup(name);
    if (!nm->pid[nm->n] || json_object_set_new(nm->index, name, json_integer((json_int_t)nm->n))) {
        free(nm->pid[nm->n]);
        return -1;
    }
    nm->n++;
    return 0;
}

/* Reads the "network-map" object at the scanner's position. */
static int parse_groups(ap__js *js, ap_netmap *nm, ap_error *err)
{
    char name[4096], fam[256], pfx[256];
    size_t cap = 0;
    const char *src = js->src;
    if (ap__js_expect(js, '{', err))
        return -1;
    if (ap__js_peek(js) == '}') {
        js->p++;
        return 0;
    }
    for (;;) {
        if (ap__js_string(js, name, sizeof name, err) || ap__js_expect(js, ':', err))
            return -1;
        if (!valid_pid_name(name)) {
            ap__err(err, AP_EFORMAT, src, "network-map: \"%.80s\" is not a valid PID name "
                    "(1-64 characters of A-Z a-z 0-9 - : @ _ .)", name);
            return -1;
        }
        if (ap_netmap_find(nm, name) >= 0) {
            char what[160];
            snprintf(what, sizeof what, "duplicate object key network-map.%.80s (a PID listed twice)", name);
            return ap__js_fail(js, what, err);
        }
        if (ap__js_peek(js) != '{') {
            ap__err(err, AP_EFORMAT, src, "network-map.%s: not an object of address lists", name);
            return -1;
        }
        if (add_pid_name(nm, name, &cap)) {
            ap__err(err, AP_ENOMEM, src, "out of memory");
            return -1;
        }
        js->p++;
        if (ap__js_peek(js) == '}') {
            js->p++;
        } else {
            for (;;) {
                int family;
                size_t k = 0;
                if (ap__js_string(js, fam, sizeof fam, err) || ap__js_expect(js, ':', err))
                    return -1;
                family = !strcmp(fam, "ipv4") ? 4 : !strcmp(fam, "ipv6") ? 6 : 0;
                if (!family) {
                    /* unknown address types are ignored (RFC 7285 8.3.7) */
                    if (ap__js_skip(js, 0, err))
                        return -1;
                } else {
                    if (ap__js_peek(js) != '[') {
                        if (ap__js_skip(js, 0, err))
                            return -1;
                        ap__err(err, AP_EFORMAT, src, "network-map.%s.%s: not an array", name, fam);
                        return -1;
                    }
                    js->p++;
                    if (ap__js_peek(js) == ']') {
                        js->p++;
                    } else {
                        for (;; k++) {
                            uint8_t a[16];
                            int plen, rc;
                            long other;
                            if (ap__js_peek(js) != '"') {
                                if (ap__js_skip(js, 0, err))
                                    return -1;
                                ap__err(err, AP_EFORMAT, src, "network-map.%s.%s[%zu]: not a string", name, fam, k);
                                return -1;
                            }
                            if (ap__js_string(js, pfx, sizeof pfx, err))
                                return -1;
                            rc = ap__cidr_parse(pfx, family, a, &plen);
                            if (rc == -2) {
                                ap__err(err, AP_EFORMAT, src, "network-map.%s.%s[%zu]: \"%s\" has host bits set "
                                        "beyond the prefix length", name, fam, k, pfx);
                                return -1;
                            }
                            if (rc) {
                                ap__err(err, AP_EFORMAT, src, "network-map.%s.%s[%zu]: \"%.80s\" is not a valid "
                                        "%s prefix", name, fam, k, pfx, fam);
                                return -1;
                            }
                            other = trie_insert(family == 4 ? nm->v4 : nm->v6, a, plen, (int32_t)(nm->n - 1));
                            if (other < 0) {
                                ap__err(err, AP_ENOMEM, src, "out of memory");
                                return -1;
                            }
                            if (other > 0) {
                                ap__err(err, AP_EFORMAT, src, "network-map.%s.%s[%zu]: prefix %s is also listed "
                                        "in PID %s", name, fam, k, pfx, nm->pid[other - 1]);
                                return -1;
                            }
                            if (ap__js_peek(js) == ',') {
                                js->p++;
                                continue;
                            }
                            if (ap__js_expect(js, ']', err))
                                return -1;
                            break;
                        }
                    }
                }
                if (ap__js_peek(js) == ',') {
                    js->p++;
                    continue;
                }
                if (ap__js_expect(js, '}', err))
                    return -1;
                break;
            }
        }
        if (ap__js_peek(js) == ',') {
            js->p++;
            continue;
        }
        return ap__js_expect(js, '}', err);
    }
}

/* What the top-level walk of a network map records. */
typedef struct {
    ap__js_parts pt;
    int saw_costmap;
} nm_top;

static int nm_key(ap__js *js, const char *key, void *ud, ap_error *err)
{
    nm_top *t = ud;
    if (!strcmp(key, "cost-map"))
        t->saw_costmap = 1;
    return ap__js_note(js, key, "network-map", &t->pt, err);
}

/* Parses a network map with the JSON scanner: "meta" (small) through
 * jansson, the address groups straight into the tries, so that maps of
 * hundreds of thousands of prefixes load without a JSON tree. */
ap_netmap *ap_netmap_parse(const char *buf, size_t len, const char *source,
                           ap_error *err)
{
    static const char *const unique[] = {"meta", "network-map", NULL};
    const char *src = source ? source : "<buffer>";
    json_t *root = NULL, *meta;
    ap_netmap *nm = NULL;
    ap__js js;
    nm_top t;

    if (!buf) {
        ap__err(err, AP_EINVAL, src, "no document");
        return NULL;
    }
    memset(&t, 0, sizeof t);
    ap__js_init(&js, buf, len, src);
    if (ap__js_document(&js, unique, nm_key, &t, err))
        return NULL;
    nm = calloc(1, sizeof *nm);
    root = json_object();
    if (!nm || !root)
        goto oom;
    if (t.pt.have_meta) {
        meta = ap__json_parse(buf + t.pt.meta_at, t.pt.meta_end - t.pt.meta_at, src, err);
        if (!meta)
            goto fail;
        if (json_object_set_new(root, "meta", meta))
            goto oom;
    }
    if (parse_vtag(root, src, &nm->resource_id, &nm->vtag, err))
        goto fail;
    if (!t.pt.have_body || !t.pt.body_is_obj) {
        if (t.saw_costmap)
            ap__err(err, AP_EFORMAT, src, "network-map: missing; this looks like a cost map, not a network map");
        else
            ap__err(err, AP_EFORMAT, src, "network-map: missing or not an object");
        goto fail;
    }
    nm->index = json_object();
    nm->v4 = trie_new();
    nm->v6 = trie_new();
    if (!nm->index || !nm->v4 || !nm->v6)
        goto oom;
    js.p = t.pt.body_at;
    if (parse_groups(&js, nm, err))
        goto fail;
    json_decref(root);
    return nm;
oom:
    ap__err(err, AP_ENOMEM, src, "out of memory");
fail:
    json_decref(root);
    ap_netmap_free(nm);
    return NULL;
}

static void *parse_doc(const char *buf, size_t len, const char *src, const void *ctx, ap_error *err)
{
    (void)ctx;
    return ap_netmap_parse(buf, len, src, err);
}

ap_netmap *ap_netmap_load(const char *path, ap_error *err)
{
    return ap__load_doc(path, NULL, parse_doc, err);
}

size_t ap_netmap_count(const ap_netmap *nm) { return nm ? nm->n : 0; }

const char *ap_netmap_pid(const ap_netmap *nm, size_t i)
{
    return nm && i < nm->n ? nm->pid[i] : NULL;
}

long ap_netmap_find(const ap_netmap *nm, const char *name)
{
    json_t *v;
    if (!nm || !name)
        return -1;
    v = json_object_get((json_t *)nm->index, name);
    return v ? (long)json_integer_value(v) : -1;
}

const char *ap_netmap_resource_id(const ap_netmap *nm) { return nm ? nm->resource_id : NULL; }
const char *ap_netmap_vtag(const ap_netmap *nm) { return nm ? nm->vtag : NULL; }

long ap_netmap_lookup(const ap_netmap *nm, const char *addr, ap_error *err)
{
    uint8_t a[16];
    if (!nm || !addr) {
        ap__err(err, AP_EINVAL, NULL, "ap_netmap_lookup: NULL argument");
        return -2;
    }
    if (inet_pton(AF_INET, addr, a) == 1)
        return trie_lookup(nm->v4, a, 32);
    if (inet_pton(AF_INET6, addr, a) == 1)
        return trie_lookup(nm->v6, a, 128);
    ap__err(err, AP_EINVAL, NULL, "\"%.80s\" is not an IPv4 or IPv6 address", addr);
    return -2;
}

/* Adds a PID without prefixes (lenient ALTO compatibility).  Returns 0 or -1. */
int ap__netmap_add_pid(ap_netmap *nm, const char *name)
{
    char **np;
    char *d;
    if (ap_netmap_find(nm, name) >= 0)
        return -1;
    if (!valid_pid_name(name))
        return -1;
    np = realloc(nm->pid, (nm->n + 2) * sizeof *np);
    if (!np)
        return -1;
    nm->pid = np;
    d = ap__strdup(name);
    if (!d || json_object_set_new((json_t *)nm->index, name, json_integer((json_int_t)nm->n))) {
        free(d);
        return -1;
    }
    nm->pid[nm->n++] = d;
    return 0;
}

/* Whether two network maps have the same PIDs and the same answers for every
 * prefix (compared through their tries). */
static int trie_same(const ap__trie *a, const ap__trie *b, size_t x, size_t y, const ap_netmap *na,
                     const ap_netmap *nb)
{
    int k;
    int32_t pa = a->n[x].pid, pb = b->n[y].pid;
    if ((pa < 0) != (pb < 0))
        return 0;
    if (pa >= 0 && strcmp(na->pid[pa], nb->pid[pb]))
        return 0;
    for (k = 0; k < 2; k++) {
        int32_t ca = a->n[x].child[k], cb = b->n[y].child[k];
        if ((ca < 0) != (cb < 0))
            return 0;
        if (ca >= 0 && !trie_same(a, b, (size_t)ca, (size_t)cb, na, nb))
            return 0;
    }
    return 1;
}

int ap__netmap_same(const ap_netmap *a, const ap_netmap *b)
{
    size_t i;
    if (a->n != b->n)
        return 0;
    for (i = 0; i < a->n; i++)
        if (ap_netmap_find(b, a->pid[i]) < 0)
            return 0;
    return trie_same(a->v4, b->v4, 0, 0, a, b) && trie_same(a->v6, b->v6, 0, 0, a, b);
}
