/* altoplace.h - the public API of libaltoplace: ALTO-informed replica placement.
 *
 * This is the only public header.  It does not include curl, jansson, GLPK or
 * BLAS headers.  Conventions (see STYLE.md of the project):
 *
 *  - Every call that can fail returns NULL or a negative value and fills the
 *    caller-owned `ap_error` passed last.  `err` may be NULL.  The first error
 *    recorded wins.
 *  - Objects are opaque, created by `ap_<object>_new/_load/_parse` and
 *    released by `ap_<object>_free`; `_free(NULL)` is a harmless no-op.
 *  - Getters returning `const char *` return borrowed strings that live as long
 *    as the object they came from.
 *  - The library never prints, exits or aborts.  Diagnostics go through the
 *    optional log callback in `ap_solve_opts`.  An infeasible problem is a
 *    successful solve whose plan status is AP_STATUS_INFEASIBLE.
 *  - Thread-safety: distinct objects may be used from distinct threads at the
 *    same time (GLPK's environment is per thread).  One object must not be
 *    used from two threads at once.
 */
#ifndef ALTOPLACE_H
#define ALTOPLACE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Everything declared here is the library's interface: with
 * -fvisibility=hidden (how libaltoplace is built) only these symbols are
 * exported from the shared library. */
#if defined(__GNUC__)
#pragma GCC visibility push(default)
#endif

#define AP_VERSION "0.1.0"
/* The version of the library linked at run time (AP_VERSION is the one
 * compiled against). */
const char *ap_version(void);

/* ------------------------------------------------------------------ errors */

/* X-macro list: code, name, description.  Generates the enum and ap_strerror. */
#define AP_ERRNO_MAP(XX)                                                      \
    XX(AP_OK, "success")                                                      \
    XX(AP_ENOMEM, "out of memory")                                            \
    XX(AP_EINVAL, "invalid argument")                                         \
    XX(AP_EIO, "input/output error")                                          \
    XX(AP_ESYNTAX, "malformed document")                                      \
    XX(AP_EFORMAT, "invalid document content")                                \
    XX(AP_EVTAG, "version tag mismatch between ALTO resources")               \
    XX(AP_ENET, "network or ALTO server error")                               \
    XX(AP_ESOLVER, "solver failure")                                          \
    XX(AP_EINTERNAL, "internal error")

typedef enum {
#define AP__XX(code, text) code,
    AP_ERRNO_MAP(AP__XX)
#undef AP__XX
    AP_ERRNO_MAX
} ap_code;

#define AP_ERROR_SOURCE_LEN 256
#define AP_ERROR_TEXT_LEN 512

/* Filled by failing calls.  `source` names the file, URL or file:line the
 * error is about (may be empty); `text` is a human sentence that includes the
 * JSON path where one applies. */
typedef struct ap_error {
    int code;
    char source[AP_ERROR_SOURCE_LEN];
    char text[AP_ERROR_TEXT_LEN];
} ap_error;

/* Returns a static description of an ap_code; never NULL. */
const char *ap_strerror(int code);

/* Clears an error struct to AP_OK (no-op for NULL). */
void ap_error_clear(ap_error *err);

/* Log callback: the library never prints; it reports through this. */
typedef enum { AP_LOG_ERROR, AP_LOG_WARN, AP_LOG_INFO, AP_LOG_PROGRESS } ap_log_level;
typedef void (*ap_log_fn)(void *ud, ap_log_level level, const char *msg);

/* ------------------------------------------------------------ network maps */

typedef struct ap_netmap ap_netmap;

/* Parses an RFC 7285 network map (application/alto-networkmap+json) from a
 * buffer.  `source` names where the buffer came from, for error messages.
 * Rejects: malformed JSON, missing meta.vtag, invalid CIDRs (including host
 * bits set), unknown address types, and a prefix listed in two PIDs.
 * Returns a new object or NULL. */
ap_netmap *ap_netmap_parse(const char *buf, size_t len, const char *source,
                           ap_error *err);
/* Same, reading the file at `path`. */
ap_netmap *ap_netmap_load(const char *path, ap_error *err);
void ap_netmap_free(ap_netmap *nm);

size_t ap_netmap_count(const ap_netmap *nm);
/* Borrowed PID name for index i (0 <= i < count), or NULL. */
const char *ap_netmap_pid(const ap_netmap *nm, size_t i);
/* Index of the PID called `name`, or -1. */
long ap_netmap_find(const ap_netmap *nm, const char *name);
const char *ap_netmap_resource_id(const ap_netmap *nm);
const char *ap_netmap_vtag(const ap_netmap *nm);
/* Longest-prefix match of an IPv4 or IPv6 address in text form.  Returns the
 * PID index, -1 when no prefix covers the address, or -2 when `addr` is not
 * an IP address (err filled). */
long ap_netmap_lookup(const ap_netmap *nm, const char *addr, ap_error *err);

/* --------------------------------------------------------------- cost maps */

typedef struct ap_costmap ap_costmap;

/* Parses an RFC 7285 cost map (application/alto-costmap+json) whose PIDs are
 * those of `nm`.  meta.dependent-vtags must name nm's resource id and tag
 * (AP_EVTAG otherwise).  Costs must be finite and non-negative; a PID not in
 * nm is rejected.  Pairs that the map omits are unknown (NaN), never zero. */
ap_costmap *ap_costmap_parse(const char *buf, size_t len, const char *source,
                             const ap_netmap *nm, ap_error *err);
ap_costmap *ap_costmap_load(const char *path, const ap_netmap *nm,
                            ap_error *err);
void ap_costmap_free(ap_costmap *cm);
/* Cost from PID index `src` to PID index `dst`; NaN when unknown. */
double ap_costmap_get(const ap_costmap *cm, size_t src, size_t dst);
const char *ap_costmap_metric(const ap_costmap *cm);
const char *ap_costmap_mode(const ap_costmap *cm); /* numerical | ordinal */

/* ----------------------------------------------------------- property maps */

typedef struct ap_propmap ap_propmap;

/* Parses an RFC 9240 property map (application/alto-propmap+json) and keeps
 * the numeric properties of PID entities of `nm`.  Entity ids are
 * "<netmap-resource-id>.pid:<PID>" (or "pid:<PID>").  Other entity domains
 * (ipv4:, ipv6:, .ane:) are ignored.  A PID entity unknown to nm, or a
 * non-finite number, is an error; non-numeric values are ignored. */
ap_propmap *ap_propmap_parse(const char *buf, size_t len, const char *source,
                             const ap_netmap *nm, ap_error *err);
ap_propmap *ap_propmap_load(const char *path, const ap_netmap *nm,
                            ap_error *err);
void ap_propmap_free(ap_propmap *pm);
/* Numeric property `name` of PID index `pid`; NaN when absent. */
double ap_propmap_get(const ap_propmap *pm, size_t pid, const char *name);

/* ------------------------------------------------------------- ALTO server */

typedef struct ap_alto ap_alto;

typedef struct ap_alto_opts {
    double connect_timeout; /* seconds (default 5) */
    double timeout;         /* whole request, seconds (default 30) */
    int retries;            /* on connection errors, 5xx, 503 (+Retry-After); default 2 */
    size_t max_bytes;       /* largest response accepted (default 256 MiB) */
    const char *cacert;     /* CA bundle for https (default: the system's) */
    const char *client_cert; /* PEM client certificate for https servers that
                               ask for one (and its chain), or NULL */
    const char *client_key; /* PEM private key of client_cert (unencrypted);
                               NULL: in the client_cert file */
    const char *auth_file;  /* credentials: a file holding "bearer TOKEN",
                               "basic USER:PASSWORD" or "digest USER:PASSWORD";
                               default: the environment variable
                               ALTOPLACE_ALTO_AUTH (same syntax); never logged */
    const char *cache_dir;  /* keep the last good copy of every map here and
                               revalidate it with If-None-Match (ETag) */
    int allow_stale;        /* with cache_dir: when the server fails, use the
                               cached copy (ap_alto_last_age says how old) */
    int compat;             /* 0 strict (default); 1 lenient: accept bodies sent
                               as application/json (also a JSON string holding a
                               Python-literal dict), cost-map PIDs missing from
                               the network map (added without prefixes, which
                               changes the network map), and a vtag that changed
                               without content change; each deviation is
                               reported once through `log` */
    const char *cost_source; /* RFC 9439 cost-source a cost map must have
                               ("nominal", "sla", "estimation"; a cost type
                               without one counts as "estimation"); NULL: any */
    ap_log_fn log;          /* warnings; may be NULL */
    void *log_ud;
    size_t max_pids;        /* a network map from the server with more PIDs is refused:
                               every cost map of it takes PIDs x PIDs doubles
                               (default 10000: 800 MB; 0: no limit) */
    int auth_any_origin;    /* credentials go only to the origin (scheme, host,
                               port) of the directory given to ap_alto_open;
                               1: also to every other host the directory names
                               (a warning says when they are withheld) */
} ap_alto_opts;
void ap_alto_opts_init(ap_alto_opts *o);

/* Opens an ALTO server by its information resource directory (http:// or
 * https://; certificates are verified), following delegated directories one
 * level.  Requests send Accept: <type>,application/alto-error+json; answers
 * must carry the expected media type; ALTO error objects and HTTP failures
 * become AP_ENET errors naming the URI. */
ap_alto *ap_alto_open(const char *ird_uri, const ap_alto_opts *opts, ap_error *err);
void ap_alto_free(ap_alto *a);
const char *ap_alto_uri(const ap_alto *a);
/* Age in seconds of the cached copy the last fetch fell back to, or NaN when
 * it came fresh from the server. */
double ap_alto_last_age(const ap_alto *a);
/* Fetches the network map `resource_id` (NULL: the directory's default, or
 * its only network map). */
ap_netmap *ap_alto_netmap(ap_alto *a, const char *resource_id, ap_error *err);
/* Fetches the property map `resource_id`, or (NULL) the first full property
 * map that uses nm (for site capacities and opening costs). */
ap_propmap *ap_alto_propmap(ap_alto *a, const ap_netmap *nm, const char *resource_id, ap_error *err);
/* Fetches the cost map `resource_id`, or (NULL) the first unfiltered cost
 * map that uses nm and offers cost metric `metric` (and mode `mode`, NULL =
 * any).  Its dependent-vtags must match nm (AP_EVTAG otherwise). */
ap_costmap *ap_alto_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                            const char *resource_id, ap_error *err);

/* Filtered cost map (POST, RFC 7285 11.3.2): only the sources `srcs` and
 * destinations `dsts` (PID names; NULL/0 = all), only pairs that satisfy
 * every constraint ("le 5000", "gt 0", ...; the resource must announce
 * cost-constraints).  Resource chosen as in ap_alto_costmap among filtered
 * cost maps.  Pairs the server leaves out are unknown (NaN). */
ap_costmap *ap_alto_costmap_filtered(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                                     const char *const *srcs, size_t nsrcs, const char *const *dsts,
                                     size_t ndsts, const char *const *constraints, size_t nconstraints,
                                     const char *resource_id, ap_error *err);
/* Filtered network map (POST, RFC 7285 11.2.2): only the PIDs `pids`
 * (NULL/0 = all); resource `resource_id` or the first filtered network map. */
ap_netmap *ap_alto_netmap_filtered(ap_alto *a, const char *const *pids, size_t npids, const char *resource_id,
                                   ap_error *err);
/* Filtered property map (POST, RFC 9240 7): properties `props` (e.g.
 * "capacity"; NULL/0 = all the resource announces) of the PIDs of nm
 * (`pids`, NULL/0 = every PID). */
ap_propmap *ap_alto_propmap_filtered(ap_alto *a, const ap_netmap *nm, const char *const *pids, size_t npids,
                                     const char *const *props, size_t nprops, const char *resource_id,
                                     ap_error *err);
/* Multi-cost (RFC 8189): `n` metrics of the same PID pairs in one filtered
 * cost map request; out[i] receives metric i's map (free each).  The
 * resource must announce max-cost-types >= n.  Returns 0 or -1. */
int ap_alto_costmaps_multi(ap_alto *a, const ap_netmap *nm, const char *const *metrics, size_t n,
                           const char *mode, ap_costmap **out, ap_error *err);
/* Endpoint cost service (RFC 7285 11.5): the cost of `metric` from every
 * source address to every destination address ("192.0.2.1", "2001:db8::1",
 * or typed "ipv4:..."), into out[i * ndsts + j]; NaN where the server gives
 * none.  Returns 0 or -1. */
int ap_alto_endpoint_costs(ap_alto *a, const char *metric, const char *mode, const char *const *srcs,
                           size_t nsrcs, const char *const *dsts, size_t ndsts, double *out, ap_error *err);

/* Incremental updates (RFC 8895): an update stream subscribed to a network
 * map and a cost map.  The server sends them in full, then changes as JSON
 * merge patches (RFC 7396) or full replacements; the client applies them
 * and says which maps changed. */
typedef struct ap_alto_stream ap_alto_stream;
/* Subscribes through the directory's update stream resource (media type
 * text/event-stream) that uses both maps; NULL ids: the default network map
 * and the first cost map of `metric` it offers.  Waits (at most the client's
 * timeout) until both maps have arrived. */
ap_alto_stream *ap_alto_stream_open(ap_alto *a, const char *netmap_id, const char *costmap_id,
                                    const char *metric, ap_error *err);
/* Waits up to `timeout` seconds for updates and applies them.  Returns the
 * maps that changed since the last call (AP_STREAM_NETMAP | AP_STREAM_COSTMAP),
 * 0 when nothing changed, -1 on error (the stream ended or sent something
 * malformed; err says which). */
#define AP_STREAM_NETMAP 1
#define AP_STREAM_COSTMAP 2
int ap_alto_stream_wait(ap_alto_stream *s, double timeout, ap_error *err);
/* The current maps, as new objects (the cost map checked against nm). */
ap_netmap *ap_alto_stream_netmap(ap_alto_stream *s, ap_error *err);
ap_costmap *ap_alto_stream_costmap(ap_alto_stream *s, const ap_netmap *nm, ap_error *err);
/* Events applied so far (full maps and patches). */
long ap_alto_stream_events(const ap_alto_stream *s);
/* "sse" (an RFC 8895 update stream) or "tips" (RFC 9569 TIPS views: used
 * when the directory has no update stream covering both maps but a TIPS
 * resource that does; the same calls then long-poll the views' updates
 * graphs, and ap_alto_stream_free closes the views with DELETE). */
const char *ap_alto_stream_kind(const ap_alto_stream *s);
void ap_alto_stream_free(ap_alto_stream *s);

/* Cost metric names (RFC 7285 10.6, RFC 9439 3): a base metric and an
 * optional statistical operator ("delay-ow:p99.9", "bw-available:max"). */
typedef struct {
    char base[33];
    char stat[16];        /* "", "cur", "min", "max", "median", "mean", "stddev",
                             "stdvar" or "pNN[.N]" */
    const char *unit;     /* "microseconds", "percent", "hops", "bytes per second",
                             or "" (routingcost and metrics this library does not know) */
    int higher_is_better; /* tput, bw-residual, bw-available, bw-maximum */
    int known;            /* a metric of RFC 7285 or RFC 9439 */
} ap_metric_info;
/* Checks `name` (at most 32 characters; an operator among those above; a
 * percentile in [0, 100]).  Unknown base names are accepted (known = 0). */
int ap_metric_parse(const char *name, ap_metric_info *out, ap_error *err);
/* How values of `metric` around `typical` read best: writes the unit's label
 * ("ms", "µs", "hops", "MB/s", "%"; "" when the metric has none) into label
 * and returns the factor to multiply values by (1e-3 for microseconds shown
 * as milliseconds). */
double ap_metric_display(const char *metric, double typical, char *label, size_t cap);

/* ---------------------------------------------------------------- problems */

typedef struct ap_problem ap_problem;

/* Creates an empty problem with `nclients` clients and `nsites` candidate
 * sites, named "c<i>" and "s<j>", zero demand, every assignment forbidden
 * (cost +inf), no capacities, no opening costs, k = 0 (free). */
ap_problem *ap_problem_new(size_t nclients, size_t nsites, ap_error *err);
void ap_problem_free(ap_problem *p);
/* A deep copy (data, flags, provenance): what-if scenarios and re-planning
 * change copies instead of loading the problem again. */
ap_problem *ap_problem_copy(const ap_problem *p, ap_error *err);

/* Loads a problem file (JSON; see README "Problem file"): the ALTO sources,
 * demand and model.  Relative paths are resolved against the file's folder. */
ap_problem *ap_problem_load(const char *path, ap_error *err);


/* Overrides of a problem file, for ap_problem_load_opts. */
typedef struct ap_load_opts {
    const char *requests;   /* request log for the demand (any format
                               ap_demand_read detects; weight = requests)
                               instead of the file's demand; NULL: the file's */
    const char *alto_uri;   /* ALTO directory URI (NULL: the file's sources) */
    const char *alto_cache; /* cache folder for maps fetched from the server */
    int allow_stale;        /* use cached maps when the server fails */
    int alto_auth_any_origin; /* ap_alto_opts.auth_any_origin */
    int alto_compat;        /* 1: lenient with non-conforming ALTO servers */
    const char *cacert;     /* CA bundle for https ALTO servers */
    const char *client_cert; /* PEM client certificate for the ALTO server */
    const char *client_key; /* its PEM key (NULL: in client_cert) */
    const ap_netmap *netmap; /* with costmap: use these maps (borrowed, e.g.
                               from ap_alto_stream_*) instead of the file's */
    const ap_costmap *costmap;
    const char *maps_source; /* what the plan names as their source */
    ap_log_fn log;          /* warnings while loading; may be NULL */
    void *log_ud;
    /* When not NULL: the problem file's "solver" section (method,
     * time-limit, mip-gap) is copied into it; fields the file does not set
     * are left unchanged. */
    struct ap_solve_opts *solve;
    /* Resource ids of the server's directory (override alto.network-map,
     * alto.cost-map, alto.property-map; NULL: the file's, which with
     * alto_uri count only when the directory has such a resource). */
    const char *network_map_id, *cost_map_id, *property_map_id;
    /* Forecast this many buckets ahead from the request logs (overrides
     * demand.horizon; 0: the file's) for ap_problem_future_demand. */
    size_t horizon;
    /* The problem document itself (NUL-terminated, e.g. read from standard
     * input) instead of reading `path`, which then only names it in
     * messages; its relative paths resolve against base_dir (NULL: the
     * current folder). */
    const char *text;
    const char *base_dir;
} ap_load_opts;
void ap_load_opts_init(ap_load_opts *o);
ap_problem *ap_problem_load_opts(const char *path, const ap_load_opts *o, ap_error *err);

/* Builds a problem from ALTO documents.  `demand_pid`/`demand` give the volume
 * of each client PID (n entries, PID names of nm).  `candidates` lists the
 * PIDs that may host a site (NULL = every PID of nm).  Cost of serving client i
 * from site j is cm(site -> client) (or client -> site when
 * `client_to_site`).  Capacities and opening costs come from property
 * `capacity_prop` / `opening_cost_prop` of pm (either may be NULL). */
typedef struct ap_build_opts {
    const char *const *candidates;
    size_t ncandidates;
    int client_to_site;
    const char *capacity_prop;
    const char *opening_cost_prop;
} ap_build_opts;
void ap_build_opts_init(ap_build_opts *o);
ap_problem *ap_problem_from_alto(const ap_netmap *nm, const ap_costmap *cm,
                                 const ap_propmap *pm,
                                 const char *const *demand_pid,
                                 const double *demand, size_t n,
                                 const ap_build_opts *opts, ap_error *err);

size_t ap_problem_nclients(const ap_problem *p);
size_t ap_problem_nsites(const ap_problem *p);
const char *ap_problem_client_name(const ap_problem *p, size_t i);
const char *ap_problem_site_name(const ap_problem *p, size_t j);

/* Setters; each returns 0 or -1 (AP_EINVAL for bad indices or values). */
int ap_problem_set_client_name(ap_problem *p, size_t i, const char *name,
                               ap_error *err);
int ap_problem_set_site_name(ap_problem *p, size_t j, const char *name,
                             ap_error *err);
int ap_problem_set_demand(ap_problem *p, size_t i, double d, ap_error *err);
/* Cost per unit of demand of serving client i from site j.  INFINITY forbids
 * the pair; NaN or negative values are rejected. */
int ap_problem_set_cost(ap_problem *p, size_t i, size_t j, double c,
                        ap_error *err);
/* Capacity of site j (INFINITY = unlimited). */
int ap_problem_set_capacity(ap_problem *p, size_t j, double q, ap_error *err);
int ap_problem_set_opening_cost(ap_problem *p, size_t j, double f,
                                ap_error *err);
/* Number of sites to open: exactly k (k >= 1), or 0 to let opening costs
 * decide. */
int ap_problem_set_k(ap_problem *p, int k, ap_error *err);
/* 1: each client is served by exactly one site; 0: demand may be split. */
int ap_problem_set_single_source(ap_problem *p, int on, ap_error *err);
int ap_problem_k(const ap_problem *p);
/* The checks ap_solve makes before solving: 1 with the reason when the
 * problem is certainly infeasible (a client no site may serve, k above the
 * number of candidates, demand over the total capacity, ...), 0 when they
 * find nothing (the problem may still be infeasible). */
int ap_problem_check(const ap_problem *p, char *reason, size_t n);
/* The model type ("p-median", "coverage", ...; "custom" for a built problem). */
const char *ap_problem_model(const ap_problem *p);
/* The cost metric the problem's costs are in ("" when not known). */
const char *ap_problem_metric(const ap_problem *p);
/* What the demand counts: "requests" or "bytes" when the demand came from
 * logs or a demand file that says so (meta.weight), else "". */
const char *ap_problem_demand_unit(const ap_problem *p);
/* The objective's unit into buf (returned): "requests x microseconds" for
 * demand times a metric with a unit, "sites" for coverage with the fewest
 * sites, "" when not known (opening costs, weighted metrics, no unit). */
const char *ap_problem_objective_unit(const ap_problem *p, char *buf, size_t cap);
/* The age in seconds of the oldest stale input (maps read from the cache
 * because the ALTO server failed, with allow-stale), NaN when none. */
double ap_problem_stale_age(const ap_problem *p);
/* The ALTO directory URI the problem's maps came from ("" for files). */
const char *ap_problem_alto_uri(const ap_problem *p);
/* The problem file's "name" (else its path); "" for a built problem. */
const char *ap_problem_name(const ap_problem *p);
/* Forecast demand: `horizon` buckets ahead (0: none), volume of client i
 * h + 1 buckets ahead (NaN out of range).  The loader fills it from request
 * logs when asked (demand.horizon, ap_load_opts.horizon); a program sets it
 * from horizon x nclients volumes, row h = h + 1 buckets ahead. */
size_t ap_problem_horizon(const ap_problem *p);
double ap_problem_future_demand(const ap_problem *p, size_t h, size_t i);
int ap_problem_set_future_demand(ap_problem *p, size_t horizon, const double *demand, ap_error *err);
/* Re-placement: site j must be open (pinned), or already runs a replica
 * (existing).  With max_changes >= 0, at most that many open sites may be
 * sites that are not existing (-1: no limit).  A migration cost is an
 * opening cost on the sites that are not existing. */
int ap_problem_set_pinned(ap_problem *p, size_t j, int on, ap_error *err);
int ap_problem_set_existing(ap_problem *p, size_t j, int on, ap_error *err);
int ap_problem_set_max_changes(ap_problem *p, int n, ap_error *err);

/* Writes the problem as a GNU MathProg data file for models/placement.mod
 * (the textbook model), atomically. */
int ap_problem_write_mathprog(const ap_problem *p, const char *path, ap_error *err);

/* Largest relative change of demand or cost between two problems (matched
 * by name); INFINITY when their clients, sites or allowed pairs differ. */
double ap_problem_difference(const ap_problem *a, const ap_problem *b);

/* ------------------------------------------------------------------ solving */

typedef enum {
    AP_SOLVER_AUTO = 0, /* greedy + local search, then GLPK seeded with it
                         * (uncapacitated models by Benders decomposition) */
    AP_SOLVER_ILP,      /* as AUTO but a GLPK failure is an error, and
                         * uncapacitated models by the compact model */
    AP_SOLVER_GREEDY,   /* greedy + local search only */
    AP_SOLVER_BENDERS   /* as AUTO but a GLPK failure is an error */
} ap_solver;


typedef struct ap_plan ap_plan;

typedef struct ap_solve_opts {
    ap_solver solver;
    double time_limit; /* seconds; <= 0 means none */
    double mip_gap;    /* relative gap target; 0 = prove optimality */
    ap_log_fn log;     /* may be NULL */
    void *log_ud;
    /* Warm start: a previous plan (of this or an earlier version of the
     * problem; its problem must still be alive).  Its open sites, matched by
     * name, replace the greedy construction as the start of the local search
     * (uncapacitated models) and seed branch-and-cut.  NULL: none. */
    const struct ap_plan *warm;
    /* Cancellation: polled while solving (at least every second); when it
     * returns non-zero the solve stops and returns the best plan found so
     * far, status AP_STATUS_FEASIBLE and reason "interrupted" (NOSOLUTION
     * when there was none yet).  Safe to flip from a signal handler when
     * it only reads a volatile sig_atomic_t.  NULL: never. */
    int (*cancel)(void *ud);
    void *cancel_ud;
} ap_solve_opts;
void ap_solve_opts_init(ap_solve_opts *o);

/* Frees the per-thread state of the solver engine (GLPK's environment).
 * Call it in a thread that has used ap_solve before the thread exits, or the
 * environment (about 16 KiB) leaks.  Safe to call at any time when no solve
 * is running in this thread; the next ap_solve re-creates the state.  If the
 * application itself uses GLPK in this thread, its GLPK objects are freed
 * too: do not call it then. */
void ap_thread_cleanup(void);

typedef enum {
    AP_STATUS_OPTIMAL,    /* proven optimal (within mip_gap) */
    AP_STATUS_FEASIBLE,   /* a valid plan, optimality not proven */
    AP_STATUS_INFEASIBLE, /* no plan satisfies the constraints; see reason */
    AP_STATUS_NOSOLUTION  /* time ran out before any plan was found */
} ap_status;
const char *ap_status_name(ap_status s);

/* Solves `p`.  Returns a new plan (also when infeasible) or NULL on error.
 * The plan borrows `p`: free the plan before the problem. */
ap_plan *ap_solve(const ap_problem *p, const ap_solve_opts *opts,
                  ap_error *err);
void ap_plan_free(ap_plan *plan);

ap_status ap_plan_status(const ap_plan *plan);
double ap_plan_objective(const ap_plan *plan); /* NaN when no solution */
double ap_plan_bound(const ap_plan *plan);     /* NaN when unknown */
double ap_plan_gap(const ap_plan *plan);       /* NaN when unknown */
const char *ap_plan_solver(const ap_plan *plan);
const char *ap_plan_reason(const ap_plan *plan); /* why infeasible, or "" */
double ap_plan_seconds(const ap_plan *plan);
double ap_plan_greedy_objective(const ap_plan *plan);
size_t ap_plan_nsites(const ap_plan *plan);
/* The problem the plan solves (its site indices refer to it). */
const ap_problem *ap_plan_problem(const ap_plan *plan);
/* Site index (into the problem's sites) of the i-th open site. */
size_t ap_plan_site(const ap_plan *plan, size_t i);
/* Demand-weighted mean and worst per-unit cost of the clients (NaN when
 * there is no solution). */
double ap_plan_mean_cost(const ap_plan *plan);
double ap_plan_max_cost(const ap_plan *plan);
/* Share of client i's demand served by site j (0..1). */
double ap_plan_share(const ap_plan *plan, size_t i, size_t j);

/* Reads back a plan file (as ap_plan_write writes it) as a plan of problem
 * p: its "sites", matched by name (a site p does not have is an error),
 * without assignment (objective NaN).  What ap_replan and warm starts need
 * of the plan a scheduler has deployed.  A plan with no sites (an
 * infeasible one) is an error too. */
ap_plan *ap_plan_read(const ap_problem *p, const char *path, ap_error *err);

/* Pins, in p, the sites that `plan` opens (matched by name); returns how
 * many, or -1.  With k equal to that number, solving p evaluates keeping
 * those sites under p's costs and demand. */
int ap_problem_pin_sites_of(ap_problem *p, const ap_plan *plan, ap_error *err);

/* ------------------------------------------------------------ re-placement */

/* The re-placement policy a scheduler applies at every check: "should the
 * deployed sites move, given today's network and demand?"  The same
 * decisions for `altoplace watch` and for any program linking the library. */
typedef struct ap_replan_policy {
    double threshold;      /* re-solve only when the problem changed by more than this
                              (ap_problem_difference); default 0 */
    double margin;         /* move only when the new plan, plus migration, beats keeping
                              the current sites by this fraction; default 0.01 */
    double migration_cost; /* added per site opened that the current plan does not
                              have; default 0 */
} ap_replan_policy;
void ap_replan_policy_init(ap_replan_policy *pol);

typedef enum {
    AP_REPLAN_FIRST,     /* no current plan: the new plan is the first */
    AP_REPLAN_UNCHANGED, /* the problem did not change beyond the threshold: nothing solved */
    AP_REPLAN_KEEP,      /* a new plan does not pay for the move: keep the current sites */
    AP_REPLAN_MOVE,      /* adopt the new plan */
    AP_REPLAN_NOPLAN     /* no usable plan today (infeasible, no solution): keep what runs */
} ap_replan_action;
const char *ap_replan_action_name(ap_replan_action a);

typedef struct ap_replan_decision {
    ap_replan_action action;
    ap_plan *plan;           /* FIRST, MOVE: the plan to deploy; KEEP: the current sites
                                evaluated on today's problem (may be NULL when that
                                failed); NOPLAN: the solver's plan with its reason.
                                Freed by ap_replan_decision_free. */
    ap_problem *keep_problem; /* KEEP: the copy of p (current sites pinned) that plan
                                was solved on; freed with the decision */
    double change;           /* ap_problem_difference(current plan's problem, p) */
    double new_objective;    /* the best plan found today (NaN if none) */
    double keep_objective;   /* the current sites on today's problem (INFINITY if they
                                cannot serve it, NaN when not evaluated) */
    double migration;        /* migration_cost x moved */
    size_t moved;            /* sites of the new plan that the current plan does not open */
    /* What to do, as site names: FIRST and MOVE open `opened` and close
     * `closed`; every action keeps `kept` (KEEP, UNCHANGED, NOPLAN: all the
     * current sites). */
    char **opened, **closed, **kept;
    size_t nopened, nclosed, nkept;
    char reason[256];        /* one sentence: why this action */
} ap_replan_decision;

/* Decides, for the problem p of today, whether to keep the plan `current`
 * (NULL: nothing deployed yet; its problem must still be alive) or to move
 * to a better one: solves p warm-started from current, evaluates keeping
 * the current sites on p, and moves only when the new plan beats keeping
 * by the policy's margin after migration cost.  A current plan without an
 * objective (from ap_plan_read: a deployment read back after a restart) is
 * always evaluated, whatever the threshold.  Returns 0 with *d filled
 * (release it with ap_replan_decision_free), or -1 on a solver error (err). */
int ap_replan(const ap_problem *p, const ap_plan *current, const ap_replan_policy *pol,
              const ap_solve_opts *opts, ap_replan_decision *d, ap_error *err);
/* Frees the decision's plan (unless the caller took it: set d->plan to
 * NULL first) and its keep_problem. */
void ap_replan_decision_free(ap_replan_decision *d);

/* ------------------------------------------------------------------ advice */

/* "When and where should the next instance go?" for the deployed sites:
 * in which forecast bucket they first break a limit, and which one site to
 * add (or remove) is best. */
typedef struct ap_advise_opts {
    double max_load;       /* a site may carry this fraction of its capacity (default 1) */
    double max_mean_cost;  /* limits on the demand-weighted mean and the worst client */
    double max_worst_cost; /* cost, and on the objective; INFINITY: none (default) */
    double max_objective;
    size_t top;            /* sites to rank for adding and for removing (default 3) */
    ap_solve_opts solve;   /* for each evaluation (default: 5 s each) */
} ap_advise_opts;
void ap_advise_opts_init(ap_advise_opts *o);

typedef struct ap_advice_site {
    char *site;
    double objective;      /* with this site added (or removed) */
    double change;         /* objective minus the current sites' (negative: better; NaN
                              when the current sites cannot serve that demand) */
} ap_advice_site;

typedef struct ap_advice {
    size_t nsites;         /* the current sites */
    double objective, mean_cost, worst_cost, max_load; /* theirs now (max_load: highest
                              load / capacity of a site; NaN without capacities) */
    long breaks_at;        /* 0: now; h: h buckets ahead; -1: not within the horizon */
    size_t horizon;        /* buckets of forecast looked at */
    char why[256];         /* the limit broken, and by how much */
    ap_advice_site *add;   /* best sites to add, best first (evaluated on the bucket
                              where the plan breaks, else now) */
    size_t nadd;
    ap_advice_site *remove;/* sites whose removal costs least, cheapest first */
    size_t nremove;
    double optimum_plus_one; /* the best plan with one site more (re-solved), its objective */
    char advice[256];      /* one sentence: what to do, and when */
} ap_advice;

/* Evaluates the sites of `current` (matched by name; NULL: solve p first)
 * on p now and on each bucket of p's forecast (ap_problem_future_demand),
 * against the limits of o; ranks one site more and one site less.  0 with
 * *a filled (release with ap_advice_free), or -1 (err). */
int ap_advise(const ap_problem *p, const ap_plan *current, const ap_advise_opts *o, ap_advice *a,
              ap_error *err);
void ap_advice_free(ap_advice *a);

/* Writes the plan as JSON to `path` atomically (temporary file in the same
 * folder, then rename); on failure nothing is left behind and an existing
 * file at `path` is untouched.  `path` "-" writes to standard output. */
int ap_plan_write(const ap_plan *plan, const char *path, ap_error *err);
/* Returns the plan as a newly allocated JSON string (free with free()). */
char *ap_plan_to_json(const ap_plan *plan, ap_error *err);

/* ------------------------------------------------------------------ demand */

typedef struct ap_demand ap_demand;

typedef struct ap_demand_opts {
    const char *format; /* "auto" (default), "clf" (Common/Combined Log Format),
                           "csv" (header line required), "jsonl" */
    const char *map;    /* CSV/JSON field names: "time=ts,addr=client,bytes=size";
                           defaults time, addr, bytes */
    double bucket;      /* time bucket in seconds (default 3600); 0 = one bucket */
    double max_bad;     /* fail when more than this fraction of lines is bad (0.01) */
    double max_unmatched; /* fail when more than this fraction of the requests comes
                           from addresses in no PID: a wrong network map (0.9) */
    int objects;        /* also count per object id (request path, or the
                           object column / key); at most 100,000 per PID */
} ap_demand_opts;
void ap_demand_opts_init(ap_demand_opts *o);

/* Reads request records from `paths` ("-" = standard input; gzip detected
 * from the content) and counts requests and bytes per PID of `nm` (longest-
 * prefix match of the client address) and per time bucket.  Lines that do
 * not parse are counted with a sample (line number, text); addresses in no
 * PID are counted with a sample.  Fails (AP_EFORMAT) when the bad fraction
 * exceeds opts->max_bad, when no line holds a request, when the unmatched
 * fraction exceeds opts->max_unmatched, and on I/O errors such as a
 * truncated gzip (AP_EIO).
 * `nm` must outlive the result. */
ap_demand *ap_demand_read(const ap_netmap *nm, const char *const *paths, size_t npaths,
                          const ap_demand_opts *opts, ap_error *err);
void ap_demand_free(ap_demand *d);
/* Demand from transfer records such as
 * [[src_site, dst_site, start_unix, end_unix, bytes], ...] (JSON): the
 * destination site, mapped to a PID by `sites` ({"SITE": "PID", ...}), asks
 * for the data; one request per transfer at its start, bytes spread over the
 * buckets the transfer spans.  Sites missing from the mapping are counted as
 * unmatched. */
ap_demand *ap_demand_read_flows(const ap_netmap *nm, const char *flows, const char *sites,
                                const ap_demand_opts *opts, ap_error *err);
long ap_demand_lines(const ap_demand *d);
long ap_demand_bad_lines(const ap_demand *d);
long ap_demand_unmatched(const ap_demand *d);
size_t ap_demand_buckets(const ap_demand *d);
/* Requests (bytes = 0) or bytes (bytes = 1) of PID index `pid`: in total, or
 * in one bucket.  NaN for out-of-range indices. */
double ap_demand_total(const ap_demand *d, size_t pid, int bytes);
double ap_demand_at(const ap_demand *d, size_t pid, size_t bucket, int bytes);

/* Backtest of the forecast on the second half of the buckets (total over
 * all PIDs), one step ahead, against the naive "same as last bucket". */
typedef struct ap_backtest {
    double mae_model, mae_naive;
    double mase;        /* mae_model / mae_naive: below 1 beats the naive forecast */
    double mape;        /* percent, over buckets with demand */
    double alpha, beta, gamma;
    size_t points;
} ap_backtest;

/* Forecasts the next bucket of every PID (next[] has one entry per PID of the
 * network map) with Holt's method, additive Holt-Winters when the data holds
 * two seasons of `season` buckets (e.g. 24 for hourly buckets; 0 = none),
 * smoothing constants chosen on the data.  Fills bt when not NULL. */
int ap_demand_forecast(const ap_demand *d, int bytes, size_t season, double *next,
                       ap_backtest *bt, ap_error *err);
/* The same for `horizon` buckets past the data: out[h * npids + pid] is the
 * forecast h + 1 buckets ahead (h = 0: the next bucket, as above). */
int ap_demand_forecast_ahead(const ap_demand *d, int bytes, size_t season, size_t horizon, double *out,
                             ap_backtest *bt, ap_error *err);
/* Writes the demand as JSON (usable as a problem's demand file: its
 * "demand" object is the weight per PID, or the forecast when `next` is not
 * NULL), with per-PID series, bad lines and unmatched addresses. */
int ap_demand_write_json(const ap_demand *d, int bytes, const double *next, const char *path,
                         ap_error *err);
/* Writes pid,bucket_start,requests,bytes rows. */
int ap_demand_write_csv(const ap_demand *d, const char *path, ap_error *err);

/* ---------------------------------------------------------------- importers */

/* Turns an OR-Library instance into ALTO files in `outdir` (created if
 * missing): networkmap.json, costmap.json, propmap.json (cap, pmedcap),
 * demand.json and problem.json.  `capacity` overrides the capacity of every
 * site for orlib-cap (<= 0: use the file's values; required for capa/b/c
 * whose capacity column is the word "capacity"). */
int ap_import_orlib_pmed(const char *file, const char *outdir, ap_error *err);
int ap_import_orlib_cap(const char *file, double capacity, const char *outdir,
                        ap_error *err);
int ap_import_orlib_pmedcap(const char *file, const char *outdir,
                            ap_error *err);
/* A TSPLIB coordinate file (EDGE_WEIGHT_TYPE EUC_2D, e.g. rl1304.tsp) as a
 * p-median instance with p medians: every point a client of demand 1 and a
 * candidate site, cost = floor of the Euclidean distance.  Same outputs as
 * ap_import_orlib_pmed. */
int ap_import_tsplib(const char *file, long p, const char *outdir, ap_error *err);


/* ---------------------------------------------------------------- topologies */

/* A network topology: points of presence (nodes) with coordinates, and
 * links with lengths and speeds.  Importers build one from real data, write
 * it out as ALTO files, and what-if studies recompute costs from it after a
 * node or link fails.  Each node is one PID. */
typedef struct ap_topo ap_topo;

typedef struct {
    double speed;          /* propagation speed, m/s (default 2e8: light in fibre) */
    const char *prefixes;  /* folder of per-country CIDR lists (ipv4/<cc>.cidr,
                              ipv6/<cc>.cidr) or NULL: PIDs without prefixes */
    const char *resource_id; /* network map resource id (default from the name) */
    const char *const *as_tables; /* prefix-to-AS tables (pyasn IPASN-DAT,
                              "prefix<TAB>asn", gzip allowed): with asn, the
                              prefixes AS `asn` originates are dealt over all
                              PoPs instead of country blocks */
    size_t nas_tables;
    long asn;
    const char *const *countries; /* "PID=cc" overrides of a PoP's country (the
                              Zoo's geocoding has errors), or NULL */
    size_t ncountries;
    ap_log_fn log;         /* what was estimated, dropped or missing; may be NULL */
    void *log_ud;
} ap_topo_opts;
void ap_topo_opts_init(ap_topo_opts *o);

/* Internet Topology Zoo GraphML.  Nodes without coordinates get the mean of
 * their located neighbours' coordinates (reported, and marked "estimated");
 * nodes that cannot be located that way are dropped (reported). */
ap_topo *ap_topo_load_graphml(const char *path, const ap_topo_opts *o, ap_error *err);
/* WLCG sites from a CRIC rcsite dump: the experiment sites of `vo` (e.g.
 * "cms") named in the transfer records `flows` (site names with a storage
 * suffix such as _Disk are folded onto the site), with their coordinates and
 * network prefixes; every pair of sites is linked directly (great circle). */
ap_topo *ap_topo_load_wlcg(const char *cric, const char *vo, const char *flows,
                           const ap_topo_opts *o, ap_error *err);
/* The topology.json written by ap_topo_write_alto. */
ap_topo *ap_topo_load(const char *path, ap_error *err);
void ap_topo_free(ap_topo *t);
size_t ap_topo_nnodes(const ap_topo *t);
size_t ap_topo_nlinks(const ap_topo *t);
const char *ap_topo_node(const ap_topo *t, size_t i); /* PID name */
long ap_topo_find(const ap_topo *t, const char *pid);
/* Coordinates in degrees; 0 when unknown (the node was dropped). */
double ap_topo_lat(const ap_topo *t, size_t i);
double ap_topo_lon(const ap_topo *t, size_t i);
/* Link i's end nodes; -1 when out of range. */
int ap_topo_link(const ap_topo *t, size_t i, size_t *a, size_t *b);
/* Takes a node (all its links) or the links between two nodes out of
 * service.  AP_EINVAL when the names are unknown or not linked. */
int ap_topo_fail_node(ap_topo *t, const char *pid, ap_error *err);
int ap_topo_fail_link(ap_topo *t, const char *a, const char *b, ap_error *err);
/* n x n matrix (row-major, new array) of the metric between every pair of
 * nodes along the shortest-delay path: "delay-ow" (microseconds), "hopcount"
 * (links on the fewest-hop path), "bw-maximum" (bottleneck link speed,
 * bytes per second as RFC 9439 has it).  INFINITY when unreachable or (bandwidth) unknown.
 * Delays are rounded to 0.1 microsecond and bandwidths to 1 byte/s, as the
 * cost maps of ap_topo_write_alto hold them. */
double *ap_topo_costs(const ap_topo *t, const char *metric, ap_error *err);
/* Writes networkmap.json, costmap-delay-ow.json, costmap-hopcount.json,
 * costmap-bw-maximum.json (when some link speeds are known), propmap.json
 * (latitude, longitude, estimated, link-capacity-gbps), topology.json and,
 * for WLCG topologies, sites.json into `outdir`.  The files appear together
 * or not at all: a new folder is renamed into place once complete; into an
 * existing one the files are moved after all are written. */
int ap_topo_write_alto(const ap_topo *t, const char *outdir, const ap_topo_opts *o,
                       ap_error *err);
/* Writes {"SITE": "PID", ...} mapping the transfer records' site names to
 * PIDs (for ap_demand_read_flows); only for WLCG topologies. */
int ap_topo_write_sites(const ap_topo *t, const char *path, ap_error *err);


/* ---------------------------------------------------------- what-if studies */

/* A study file names a base problem (and optionally the topology.json its
 * costs come from) and a list of scenarios; each scenario is solved on its
 * own (see README, "What-if studies").  The output folder receives
 * results.csv, results.json, SVG plots, maps and report.html, together or
 * not at all (written beside it first, as for ap_topo_write_alto). */
typedef struct {
    int part, nparts;   /* solve only scenarios i with i % nparts == part - 1
                           and write part-<part>-of-<nparts>.json (default 1/1:
                           everything, and the outputs) */
    double time_limit;  /* seconds per scenario; <= 0: the study's/problem's */
    ap_log_fn log;      /* progress (scenario i of n, elapsed, estimate) */
    void *log_ud;
} ap_whatif_opts;
void ap_whatif_opts_init(ap_whatif_opts *o);
int ap_whatif_run(const char *study, const char *outdir, const ap_whatif_opts *o, ap_error *err);
/* Checks a study without solving: the study file, its base problem (maps,
 * demand), the topology, and every scenario's sites, links and capacities;
 * *nscenarios (may be NULL) gets the number of scenarios. */
int ap_whatif_check(const char *study, size_t *nscenarios, ap_error *err);
/* 1 when the file is a JSON object with "scenarios" (a study file), else 0. */
int ap_whatif_is_study(const char *path);
/* Reads every part-*-of-*.json in outdir (all scenarios must be present,
 * once) and writes the outputs as ap_whatif_run does for a whole study. */
int ap_whatif_merge(const char *study, const char *outdir, ap_error *err);

#if defined(__GNUC__)
#pragma GCC visibility pop
#endif

#ifdef __cplusplus
}
#endif
#endif /* ALTOPLACE_H */
