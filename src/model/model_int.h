/* model_int.h - the model layer: placement problems (pure data: who needs
 * what, where a replica may go, at what cost) and plans (a solution with
 * its status, bound and assignment).  Knows nothing of ALTO servers, files
 * of problems, or JSON except for writing plans (plan_json.c). */
#ifndef AP_MODEL_INT_H
#define AP_MODEL_INT_H
#include "base/base.h"

/* ---- problems (problem.c) */
typedef struct {
    char *role, *source, *resource_id, *tag;
    double age;          /* seconds, when a stale cached copy was used; else NaN */
} ap__input;

struct ap_problem {
    size_t nc, ns;
    char **cname, **sname;
    double *demand;      /* nc */
    double *cost;        /* nc*ns row-major by client; INFINITY = forbidden */
    double *cap;         /* ns, INFINITY = unlimited */
    double *fcost;       /* ns, opening cost */
    int k;
    int single_source;
    unsigned char *pin;      /* ns or NULL: 1 = site must be open */
    unsigned char *existing; /* ns or NULL: 1 = site already runs a replica */
    int max_changes;         /* -1: none; else at most this many open sites not existing */
    double *mcost;           /* nc*ns or NULL: metric cost reported in plans (cost if NULL) */
    int has_cap, has_fcost;
    int cover_ties;      /* coverage, fewest sites: among the fewest, the
                          * sites of least mcost (a second, p-median solve) */
    char *model;         /* model name for the plan */
    char *name;          /* the problem's name (problem file "name", else its path), or NULL */
    char *server;        /* the ALTO directory URI its maps came from, or NULL */
    char *metric, *mode; /* cost metric/mode used */
    char *dunit;         /* what demand counts ("requests", "bytes"), or NULL */
    size_t horizon;      /* forecast buckets ahead in future (0: none) */
    double *future;      /* horizon x nc: demand h + 1 buckets ahead, or NULL */
    ap__input *inputs;   /* where the data came from (reported in plans) */
    size_t ninputs;
};
int ap__problem_add_input(ap_problem *p, const char *role, const char *source,
                          const char *rid, const char *tag);
/* Replaces *slot by a copy of a non-empty name; -1 (err filled) otherwise. */
int ap__set_name(char **slot, const char *name, ap_error *err);

/* ---- solutions and plans (plan.c) */
typedef struct {
    size_t na, cap;
    size_t *client, *site;
    double *share;
} ap__assign;
void ap__assign_clear(ap__assign *a);
int ap__assign_push(ap__assign *a, size_t i, size_t j, double share);
void ap__assign_free(ap__assign *a);

struct ap_plan {
    const ap_problem *p;
    ap_status status;
    double objective, bound, gap, seconds, greedy_obj;
    char solver[64];
    char reason[512];
    unsigned char *open;  /* ns flags */
    size_t *sites;        /* indices of open sites */
    size_t nsites;
    ap__assign asg;
    long nodes;
};
ap_plan *ap__plan_new(const ap_problem *p);
/* Sets open sites from flags and recomputes objective from the assignment. */
int ap__plan_set(ap_plan *plan, const unsigned char *open, const ap__assign *a);
double ap__objective(const ap_problem *p, const unsigned char *open,
                     const ap__assign *a);
/* Per-unit cost of each client (nc values) under the plan's assignment. */
void ap__plan_client_costs(const ap_plan *pl, double *cc);

#endif
