/* client_int.h - the ALTO client layer, the only place that includes
 * curl: HTTP transport with credentials, ETag cache and retries (http.c),
 * the directory and its one query (ird.c), the services (services.c),
 * tolerated deviations of research servers (compat.c), update streams
 * (stream.c). */
#ifndef AP_CLIENT_INT_H
#define AP_CLIENT_INT_H
#include "alto/alto_int.h"

struct ap_alto {
    ap_alto_opts o;
    char *ird_uri;
    json_t *ird;        /* merged directory: {"resources": {...}, "meta": {...}} */
    void *curl;         /* CURL * */
    int auth;           /* 0 none, 1 bearer, 2 basic, 3 digest */
    char *secret;       /* token or user:password; never logged */
    char origin[320];   /* scheme://host:port of the directory: where credentials go */
    int auth_withheld;  /* a warning said credentials were withheld */
    char *cache_dir;
    double last_age;    /* age of the cached copy the last fetch used, NaN if fresh */
    unsigned warned;    /* lenient mode: deviations already reported (bits) */
};

/* ---- transport (http.c) */
/* Prepares a curl easy handle for a request to the ALTO server: URL,
 * Accept, credentials, TLS (CA, client certificate), timeouts, POST body;
 * returns the header list (struct curl_slist *) to free after the transfer
 * with ap__alto_headers_free. */
void *ap__alto_setup(ap_alto *a, void *curl, const char *uri, const char *type, const char *post,
                     const char *post_type, const char *etag);
/* Frees a header list of ap__alto_setup, zeroing it first (a bearer token
 * must not linger in freed memory). */
void ap__alto_headers_free(void *h);
/* GET (or POST `post` as `post_type`) `uri` expecting media type `type`:
 * the body (caller frees) or NULL.  GETs use and fill the cache. */
char *ap__alto_fetch(ap_alto *a, const char *uri, const char *type, const char *post, const char *post_type,
                     size_t *len, ap_error *err);
/* POSTs request `req` (taken over; NULL: it could not be built) to
 * directory resource r: the body, or NULL. */
char *ap__alto_post(ap_alto *a, json_t *r, json_t *req, const char *type, const char *req_type, size_t *len,
                    ap_error *err);
/* ap__alto_post, and the answer parsed as a JSON object (new) or NULL. */
json_t *ap__alto_post_object(ap_alto *a, json_t *r, json_t *req, const char *type, const char *req_type,
                             ap_error *err);
const ap_alto_opts *ap__alto_opts(ap_alto *a);

/* ---- the directory (ird.c) */
/* Adds the resources of the directory at uri to a->ird; follows
 * delegated directories (one level). */
int ap__ird_load(ap_alto *a, const char *uri, int depth, ap_error *err);
json_t *ap__alto_ird(ap_alto *a);
/* The one directory query: the first resource (in directory order) that
 * matches every field given. */
#define AP__ANY_POST ((const char *)1)
#define AP__ANY_ACCEPTS ((const char *)2)
typedef struct {
    const char *id;            /* this resource id only */
    const char *media_type;    /* required */
    const char *accepts;       /* NULL: a GET resource (no "accepts"); AP__ANY_POST: any POST
                                * resource; AP__ANY_ACCEPTS: either; else exactly this type */
    const char *uses, *uses2;  /* resource ids it must use */
    const char *const *metrics;/* cost types it must offer (with mode and the client's cost-source) */
    size_t nmetrics;
    const char *mode;          /* NULL: any mode */
    int min_cost_types;        /* capabilities.max-cost-types at least this (multi-cost) */
} ap__ird_query;
json_t *ap__ird_find(ap_alto *a, const ap__ird_query *q, const char **idp);
/* Whether directory resource r lists resource id rid in its "uses". */
int ap__alto_uses(json_t *r, const char *rid);
/* The cost type (borrowed) that resource r offers for metric/mode and the
 * client's cost-source (RFC 9439: none given means "estimation"), or NULL. */
json_t *ap__ird_cost_type(ap_alto *a, json_t *r, const char *metric, const char *mode);
/* The cost type to send in a request to r (new). */
json_t *ap__ird_request_type(ap_alto *a, json_t *r, const char *metric, const char *mode);
/* The network map to use when none is named: the directory's default, else
 * the only one; NULL (err says why) otherwise. */
const char *ap__ird_netmap_id(ap_alto *a, ap_error *err);
/* The first full (filtered = 0) or filtered cost map that uses nm and offers
 * metric/mode (its id to *idp), or NULL. */
json_t *ap__ird_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode, int filtered,
                        const char **idp);
/* Its id, or NULL. */
const char *ap__alto_find_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                                  int filtered);
/* The URI of resource rid (new string; the directory's when unknown). */
char *ap__alto_resource_uri(ap_alto *a, const char *rid);

/* ---- services with provenance (services.c): *uri gets the resource's URI */
ap_netmap *ap__alto_netmap(ap_alto *a, const char *rid, char **uri, ap_error *err);
ap_propmap *ap__alto_propmap(ap_alto *a, const ap_netmap *nm, const char *rid, char **uri, ap_error *err);
ap_costmap *ap__alto_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                             const char *rid, char **uri, ap_error *err);

/* uri resolved against base (RFC 3986 section 5): a new string, or NULL
 * when either does not parse (http.c). */
char *ap__uri_resolve(const char *base, const char *uri);

/* ---- incremental updates (stream.c, tips.c) */
/* Applies update j (taken over) of media type `type` to *doc: a full
 * replacement (full_type), a JSON merge patch or a JSON patch.  0, or an
 * error code with why. */
int ap__update_apply(json_t **doc, const char *type, const char *full_type, json_t *j, char *why, size_t n);
/* A stream without a connection, and bytes fed to it as if the server sent
 * them (the fuzz harness of the SSE framing and patches): 0, or -1 with err
 * once the stream failed. */
ap_alto_stream *ap__stream_offline(void);
int ap__stream_feed(ap_alto_stream *s, const char *buf, size_t len, ap_error *err);
typedef struct ap__tips ap__tips;
/* Opens a TIPS view (RFC 9569) of each resource rid[k] (media type
 * type[k]) at the TIPS resource tips_uri, and fetches the recommended edge
 * into doc[k]. */
ap__tips *ap__tips_open(ap_alto *a, const char *tips_uri, char *const *rid, const char *const *type, size_t n,
                        json_t **doc, ap_error *err);
/* Long-polls the next edge of every view for up to timeout seconds and
 * applies what arrives to doc[k]; the views that changed as bits (1 << k),
 * 0, or -1 (err). */
int ap__tips_wait(ap__tips *t, double timeout, long *events, ap_error *err);
/* Closes the views (DELETE) and frees t. */
void ap__tips_close(ap__tips *t);
/* The two steps of TIPS that read what a server sent, callable offline
 * (tests/fuzz/fuzz_tips.c).  The answer to opening a view of rid at uri:
 * 0 with *view_uri (new string, resolved against uri) and the snapshot's
 * version *j of the recommended edge 0 -> j, or -1 with err (*view_uri
 * may then be set: the view exists and is to be closed).  And one edge
 * body of media type ct (its parameters ignored) applied to *doc, a
 * doc_type document; from is the edge's start (0: a full snapshot is
 * required); url names the edge in errors. */
int ap__tips_parse_open(const char *uri, const char *body, size_t len, const char *rid, char **view_uri, long *j,
                        ap_error *err);
int ap__tips_apply_edge(json_t **doc, const char *doc_type, long from, const char *ct, const char *buf,
                        size_t len, const char *url, ap_error *err);

/* ---- lenient mode (compat.c) */
enum { AP__DEV_PYLITERAL = 1, AP__DEV_MEDIA = 2, AP__DEV_PIDS = 4, AP__DEV_VTAG = 8, AP__DEV_COSTTYPES = 16 };
/* Says once per kind of deviation what was tolerated. */
void ap__alto_deviation(ap_alto *a, unsigned kind, const char *uri, const char *what);
/* A body sent as application/json that is a JSON string holding a Python
 * literal: the decoded JSON text (new), or NULL. */
char *ap__compat_unwrap_python(const char *buf, size_t len);
/* Before parsing a cost map: PIDs the network map lacks become PIDs without
 * prefixes; a vtag changed without a change of content is accepted. */
void ap__compat_costmap(ap_alto *a, ap_netmap *nm, char **buf, size_t *len, const char *uri);

#endif
