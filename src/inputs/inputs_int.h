/* inputs_int.h - the inputs layer: request logs (demand.c, forecast),
 * topologies (topo.c, graphml.c, wlcg.c, prefixes.c, topo_write.c),
 * OR-Library instances (orlib.c), and the line reader they share. */
#ifndef AP_INPUTS_INT_H
#define AP_INPUTS_INT_H
#include "alto/alto_int.h"

/* ---- lines of plain or gzip files (lines.c) */
typedef struct ap__lines ap__lines;
/* Opens path ("-": stdin); lines may grow to max_line bytes. */
ap__lines *ap__lines_open(const char *path, size_t max_line, ap_error *err);
/* The next line without its line end in *line (valid until the next call):
 * its length, -1 at the end, -2 on a read error (err filled). */
long ap__lines_next(ap__lines *r, char **line, ap_error *err);
long ap__lines_lineno(const ap__lines *r);
void ap__lines_close(ap__lines *r);

/* ---- topologies (topo.c) */
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

/* Reports through the options' log callback (o may be NULL). */
#define tlog(o, ...) ap__logf((o) ? (o)->log : NULL, (o) ? (o)->log_ud : NULL, __VA_ARGS__)

ap_topo *ap__topo_new(const char *source, const ap_topo_opts *o);
tnode *ap__topo_add_node(ap_topo *t);
int ap__topo_add_link(ap_topo *t, size_t a, size_t b, double len_m, double bps);
int ap__topo_add_prefix(tnode *nd, const char *p);
int ap__topo_add_alias(ap_topo *t, const char *name, size_t node);
/* Great-circle distance in metres (haversine, mean Earth radius). */
double ap__gc_m(double la1, double lo1, double la2, double lo2);
/* RFC 7285 PID name from a label (a label already taken gets "-<id>"). */
char *ap__topo_make_pid(const ap_topo *t, const char *label, const char *id);

/* ---- prefixes of PoPs (prefixes.c) */
/* ISO 3166-1 alpha-2 code of a Topology Zoo country name, or NULL. */
const char *ap__country_code(const char *name);
/* Gives every PoP its prefixes as the options say (country blocks or an
 * AS's prefixes, else a synthetic 10.x plan). */
int ap__topo_assign_prefixes(ap_topo *t, const ap_topo_opts *o, ap_error *err);

#endif
