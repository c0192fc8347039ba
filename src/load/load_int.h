/* load_int.h - the load layer: a problem file turned into an ap_problem, in
 * stages around one struct that owns every buffer (load.c drives them):
 * the file and its model section, the ALTO documents from files or a
 * server (load_alto.c), the demand from a file, inline or from request logs
 * (load_demand.c), then what ap_problem_from_alto does not know: further
 * metrics, bandwidth, bounds, re-placement (load_extend.c). */
#ifndef AP_LOAD_INT_H
#define AP_LOAD_INT_H
#include "model/model_int.h"
#include "base/base_json.h"

#define AP__MAX_EXTRA 8  /* further metrics of a cost-metric list */

/* PID -> volume pairs of a demand object (names borrowed from `doc`, or
 * from a network map). */
typedef struct {
    const char **pid;
    double *vol;
    size_t n;
    json_t *doc;         /* the demand file, when one was read */
} ap__volumes;

typedef struct {
    /* the file */
    const char *path;
    const ap_load_opts *lo;
    char *dir;
    json_t *root, *alto, *model;
    /* the model section */
    const char *type;
    int k, ss;
    ap_build_opts bo;
    const char **cands, **cands2;
    /* the ALTO documents and where they came from */
    const char *ird;     /* server URI, NULL: files */
    const char *pmid;    /* property map resource id on the server, or NULL */
    ap_alto *client;
    ap_netmap *nm;
    ap_costmap *cm;
    ap_propmap *pm;
    int borrowed;        /* nm and cm are the caller's */
    char *nmpath, *cmpath, *pmpath, *dpath;
    double nm_age, cm_age;
    ap_costmap *extra[AP__MAX_EXTRA];
    char *extra_src[AP__MAX_EXTRA];
    size_t nextra;
    /* the demand */
    ap__volumes dem;
    const char *dunit;   /* "requests", "bytes" or NULL: what demand counts */
    size_t horizon;      /* forecast buckets ahead, and per PID of nm: */
    double *future;      /* horizon x nm->n volumes, or NULL */
    /* the result */
    ap_problem *p;
} ap__loader;

/* A string member `key` of obj, NULL when absent; *bad = 1 (and err) when
 * it is not a string. */
const char *ap__opt_string(json_t *obj, const char *key, const char *src, const char *where, ap_error *err,
                           int *bad);

/* ---- the ALTO documents (load_alto.c) */
/* The file names of alto.* (files), or nothing for a server. */
int ap__load_alto_section(ap__loader *L, ap_error *err);
/* Network, cost (and further) maps from the server, the files or the
 * caller; the property map; the metric checks. */
int ap__load_maps(ap__loader *L, ap_error *err);

/* ---- demand (load_demand.c) */
/* {"PID": volume, ...} into v (names borrowed from obj). */
int ap__demand_object(json_t *obj, const char *src, const char *where, ap__volumes *v, ap_error *err);
/* A demand file {"demand": {"PID": volume, ...}}, duplicate keys refused. */
int ap__demand_file(const char *path, ap__volumes *v, ap_error *err);
void ap__volumes_free(ap__volumes *v);
/* The problem's demand: --requests, demand.log/flows, a file or inline. */
int ap__load_demand(ap__loader *L, ap_error *err);

/* ---- extensions (load_extend.c) */
/* Further cost maps with their weights, the bandwidth map, the bound,
 * existing and pinned sites, migration cost and max changes. */
int ap__load_extend(ap__loader *L, ap_error *err);

#endif
