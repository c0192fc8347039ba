/* alto_int.h - the ALTO documents layer (RFC 7285, RFC 9240): network,
 * cost and property maps as parsed objects, version tags, metric names,
 * and the writers of map files.  No HTTP here (that is src/client). */
#ifndef AP_ALTO_INT_H
#define AP_ALTO_INT_H
#include "base/base_json.h"

/* ---- network maps (netmap.c) */
typedef struct ap__trie ap__trie;
struct ap_netmap {
    size_t n;
    char **pid;          /* names, in document order */
    char *resource_id;
    char *vtag;
    ap__trie *v4, *v6;
    void *index;         /* name -> index hash (netmap.c) */
};
int ap__netmap_add_pid(ap_netmap *nm, const char *name);
int ap__netmap_same(const ap_netmap *a, const ap_netmap *b);
/* Parses "a.b.c.d/len" or "x::y/len" into 16 bytes + length; family 4 or 6. */
int ap__cidr_parse(const char *s, int family, uint8_t addr[16], int *plen);

/* ---- cost maps (costmap.c) */
struct ap_costmap {
    size_t n;            /* = netmap count */
    double *c;           /* n*n, row = source; NaN = unknown */
    char *metric, *mode;
    char *dep_rid, *dep_tag;
};

/* ---- version tags (vtag.c) */
/* Checks meta.dependent-vtags against the network map: an entry for nm's
 * resource id must carry nm's vtag.  `required` (cost maps): the entry must
 * exist and every entry be well formed; otherwise (property maps) only a
 * mismatching entry is an error.  rid/tag (may be NULL) get the entry. */
int ap__check_dep_vtags(json_t *meta, const char *src, const ap_netmap *nm, int required,
                        char **rid, char **tag, ap_error *err);

/* ---- property maps (propmap.c) */
typedef struct { char *name; double *v; } ap__prop;
struct ap_propmap {
    size_t n;            /* = netmap count */
    size_t nprops;
    ap__prop *props;
    int unchecked;       /* no meta.dependent-vtags names the network map
                          * (RFC 9240 6.2: its version cannot be checked) */
};

/* ---- writers (write.c): ALTO map files, written atomically */
/* A network map of PIDs pids[0..n), PID i with the prefixes
 * pfx[i][0..npfx[i]) (IPv4 or IPv6 by their form).  tag NULL: the vtag is
 * a hash of the map's content, copied to tag_out (33 bytes) if not NULL. */
int ap__write_netmap(const char *path, const char *rid, const char *tag, size_t n, char *const *pids,
                     char *const *const *pfx, const size_t *npfx, char *tag_out, ap_error *err);
/* A numerical cost map: rows src[0..ns), columns dst[0..nd), cost c[s*nd+d]
 * (not finite: omitted), depending on network map rid/tag.  decimals < 0:
 * 17 significant digits, else that many decimals. */
int ap__write_costmap(const char *path, const char *rid, const char *tag, const char *metric, size_t ns,
                      char *const *src, size_t nd, char *const *dst, const double *c, int decimals,
                      ap_error *err);
/* A property map over PIDs pids[0..n): property names[k] of PID i is
 * v[i*nprops+k] (NaN: omitted; integral values written as integers). */
int ap__write_propmap(const char *path, const char *rid, const char *tag, size_t n, char *const *pids,
                      size_t nprops, const char *const *names, const double *v, ap_error *err);

#endif
