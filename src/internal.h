/* internal.h - declarations shared between the library's modules (not public). */
#ifndef AP_INTERNAL_H
#define AP_INTERNAL_H

#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <jansson.h>
#include "altoplace.h"

/* ---- errors (error.c) */
/* Records an error unless one is already recorded (first error wins). */
void ap__err(ap_error *err, int code, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Describes a jansson parse failure of `source`. */
void ap__err_json(ap_error *err, const char *source, const json_error_t *je);
int ap__failed(const ap_error *err);
/* Formats a message for a log callback (nothing when log is NULL). */
void ap__logf(ap_log_fn log, void *ud, ap_log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ap__vlogf(ap_log_fn log, void *ud, ap_log_level lvl, const char *fmt, va_list ap);

/* ---- utilities (util.c) */
/* Reads a whole file into a new NUL-terminated buffer; *len gets its size. */
char *ap__read_file(const char *path, size_t *len, ap_error *err);
/* Writes `len` bytes to `path` atomically (temp file + fsync + rename). */
int ap__write_atomic(const char *path, const char *data, size_t len, ap_error *err);
char *ap__strdup(const char *s);
/* Room for `need` elements of `elem` bytes in ptr, whose room is *cap:
 * doubles from *cap (or `first`), at most `max` bytes (0: no limit).
 * Returns the (possibly moved) array and updates *cap, or NULL (ptr is
 * then untouched). */
void *ap__grow(void *ptr, size_t *cap, size_t need, size_t elem, size_t first, size_t max);
/* Joins dir and a relative path (absolute paths are returned as copies). */
char *ap__path_join(const char *dir, const char *rel);
/* Folder part of a path ("." when none); new string. */
char *ap__dirname(const char *path);
int ap__mkdir_p(const char *dir, ap_error *err);
double ap__now(void);
/* Parses a JSON buffer, rejecting duplicate keys. */
json_t *ap__json_parse(const char *buf, size_t len, const char *source, ap_error *err);
/* Same, and rejects a top level that is not an object. */
json_t *ap__json_parse_object(const char *buf, size_t len, const char *source, ap_error *err);
/* Reads the file at `path` and hands its bytes to `parse` (with `ctx`). */
typedef void *(*ap__parse_fn)(const char *buf, size_t len, const char *source,
                              const void *ctx, ap_error *err);
void *ap__load_doc(const char *path, const void *ctx, ap__parse_fn parse, ap_error *err);
/* Serialises `j` with 2-space indent and writes it atomically. */
int ap__json_write(const char *path, json_t *j, ap_error *err);
/* The same for dir/name, taking over j (NULL: it could not be built). */
int ap__json_write_in(const char *dir, const char *name, json_t *j, ap_error *err);

/* ---- JSON scanner for large documents (jscan.c) */
typedef struct {
    const char *b;
    size_t n, p;
    const char *src;
} ap__js;
void ap__js_init(ap__js *s, const char *buf, size_t len, const char *src);
int ap__js_fail(ap__js *s, const char *what, ap_error *err);
void ap__js_ws(ap__js *s);
int ap__js_peek(ap__js *s);
int ap__js_expect(ap__js *s, char c, ap_error *err);
int ap__js_string(ap__js *s, char *out, size_t cap, ap_error *err);
int ap__js_number(ap__js *s, double *v, int *is_num, ap_error *err);
int ap__js_skip(ap__js *s, int depth, ap_error *err);
/* Where "meta" and the document's body object are (ap__js_note). */
typedef struct {
    size_t meta_at, meta_end, body_at;
    int have_meta, have_body, body_is_obj;
} ap__js_parts;
/* For a top-level key: records (and skips) "meta" or the body key `body`;
 * returns 1 when the key was one of them, 0 otherwise, -1 on error. */
int ap__js_note(ap__js *js, const char *key, const char *body, ap__js_parts *pt, ap_error *err);
int ap__js_document(ap__js *js, const char *const *unique,
                    int (*on_key)(ap__js *js, const char *key, void *ud, ap_error *err),
                    void *ud, ap_error *err);

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

int ap__check_dep_vtags(json_t *meta, const char *src, const ap_netmap *nm, int required,
                        char **rid, char **tag, ap_error *err);

/* ---- property maps (propmap.c) */
typedef struct { char *name; double *v; } ap__prop;
struct ap_propmap {
    size_t n;            /* = netmap count */
    size_t nprops;
    ap__prop *props;
};

/* ---- ALTO client (alto.c) */
/* Prepares a curl easy handle for a request to the ALTO server: URL,
 * Accept, credentials, TLS (CA, client certificate), timeouts, POST body;
 * returns the header list to free after the transfer. */
struct curl_slist *ap__alto_setup(ap_alto *a, void *curl, const char *uri, const char *type, const char *post,
                                  const char *post_type, const char *etag);
json_t *ap__alto_ird(ap_alto *a);
/* Whether directory resource r lists resource id rid in its "uses". */
int ap__alto_uses(json_t *r, const char *rid);
const ap_alto_opts *ap__alto_opts(ap_alto *a);
/* Id of the first full (filtered = 0) or filtered cost map that uses nm and
 * offers metric/mode, or NULL; the URI of resource rid (new string). */
const char *ap__alto_find_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                                  int filtered);
char *ap__alto_resource_uri(ap_alto *a, const char *rid);
ap_netmap *ap__alto_netmap(ap_alto *a, const char *rid, char **uri, ap_error *err);
ap_propmap *ap__alto_propmap(ap_alto *a, const ap_netmap *nm, const char *rid, char **uri, ap_error *err);
ap_costmap *ap__alto_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                             const char *rid, char **uri, ap_error *err);

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
    char *model;         /* model name for the plan */
    char *metric, *mode; /* cost metric/mode used */
    ap__input *inputs;
    size_t ninputs;
    /* solver section of the problem file (NaN / -1 = not set) */
    int f_solver;
    double f_time_limit, f_mip_gap;
    /* test hook: when set, the ILP builder misuses the GLPK API on purpose
     * so that tests can prove GLPK errors become AP_ESOLVER, not abort() */
    int debug_glpk_fault;
};
/* Whether opening the sites `open` respects max_changes. */
int ap__changes_ok(const ap_problem *p, const unsigned char *open);
/* Number of open sites that are not existing ones. */
int ap__changes(const ap_problem *p, const unsigned char *open);
int ap__problem_add_input(ap_problem *p, const char *role, const char *source,
                          const char *rid, const char *tag);

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

#endif
