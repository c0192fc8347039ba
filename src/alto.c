/* alto.c - the ALTO client over HTTP(S) (libcurl): information resource
 * directory discovery, network and cost maps, media-type and ALTO error
 * checks, timeouts, bounded retries honouring 503 + Retry-After, and a cap on
 * response size.  Documents are parsed by the same code as local files. */
#include "internal.h"
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct ap_alto {
    ap_alto_opts o;
    char *ird_uri;
    json_t *ird;        /* merged directory: {"resources": {...}, "meta": {...}} */
    CURL *curl;
    int auth;           /* 0 none, 1 bearer, 2 basic, 3 digest */
    char *secret;       /* token or user:password; never logged */
    char *cache_dir;
    double last_age;    /* age of the cached copy the last fetch used, NaN if fresh */
    unsigned warned;    /* lenient mode: deviations already reported (bits) */
};

enum { DEV_PYLITERAL = 1, DEV_MEDIA = 2, DEV_PIDS = 4, DEV_VTAG = 8 };

/* Lenient mode: says once per kind of deviation what was tolerated. */
static void deviation(ap_alto *a, unsigned kind, const char *uri, const char *what)
{
    if (a->warned & kind)
        return;
    a->warned |= kind;
    ap__logf(a->o.log, a->o.log_ud, AP_LOG_WARN,
             "%s: ALTO server deviates from RFC 7285, accepted in lenient mode: %s", uri, what);
}

/* Converts a Python literal (single-quoted strings, True/False/None,
 * tuples) to JSON text.  Returns a new string or NULL when it is not one. */
static char *python_to_json(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *out = malloc(2 * n + 16);
    if (!out)
        return NULL;
    while (*s) {
        if (*s == '\'' || *s == '"') {
            char q = *s++;
            out[o++] = '"';
            while (*s && *s != q) {
                if (*s == '\\' && s[1]) {
                    if (s[1] == '\'') {
                        out[o++] = '\'';
                        s += 2;
                        continue;
                    }
                    out[o++] = *s++;
                    out[o++] = *s++;
                    continue;
                }
                if (*s == '"')
                    out[o++] = '\\';
                out[o++] = *s++;
            }
            if (*s != q) {
                free(out);
                return NULL;
            }
            s++;
            out[o++] = '"';
        } else if (!strncmp(s, "True", 4)) {
            memcpy(out + o, "true", 4), o += 4, s += 4;
        } else if (!strncmp(s, "False", 5)) {
            memcpy(out + o, "false", 5), o += 5, s += 5;
        } else if (!strncmp(s, "None", 4)) {
            memcpy(out + o, "null", 4), o += 4, s += 4;
        } else if (*s == '(' || *s == ')') {
            out[o++] = *s == '(' ? '[' : ']';
            s++;
        } else {
            out[o++] = *s++;
        }
    }
    out[o] = '\0';
    return out;
}

/* A body sent as application/json that is a JSON string holding a Python
 * literal: the decoded JSON text (new), or NULL. */
static char *unwrap_python(const char *buf, size_t len)
{
    json_error_t je;
    json_t *j = json_loadb(buf, len, JSON_DECODE_ANY, &je);
    char *r = NULL;
    if (json_is_string(j))
        r = python_to_json(json_string_value(j));
    json_decref(j);
    return r;
}

/* ------------------------------------------------------------ credentials */

/* Reads "bearer TOKEN", "basic USER:PASSWORD" or "digest USER:PASSWORD"
 * from the file opts->auth_file or the environment variable
 * ALTOPLACE_ALTO_AUTH.  Error messages never contain the secret. */
static int load_auth(ap_alto *a, ap_error *err)
{
    const char *src = a->o.auth_file, *env = getenv("ALTOPLACE_ALTO_AUTH");
    char *text = NULL, *p, *end;
    size_t n;
    if (src) {
        text = ap__read_file(src, &n, err);
        if (!text)
            return -1;
    } else if (env && *env) {
        src = "ALTOPLACE_ALTO_AUTH";
        text = ap__strdup(env);
        if (!text) {
            ap__err(err, AP_ENOMEM, NULL, "out of memory");
            return -1;
        }
    } else {
        return 0;
    }
    for (p = text; *p == ' ' || *p == '\t'; p++)
        ;
    end = p + strlen(p);
    while (end > p && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
        *--end = '\0';
    if (!strncasecmp(p, "bearer ", 7))
        a->auth = 1, p += 7;
    else if (!strncasecmp(p, "basic ", 6))
        a->auth = 2, p += 6;
    else if (!strncasecmp(p, "digest ", 7))
        a->auth = 3, p += 7;
    while (*p == ' ')
        p++;
    if (!a->auth || !*p || (a->auth > 1 && !strchr(p, ':'))) {
        memset(text, 0, strlen(text));
        free(text);
        a->auth = 0;
        ap__err(err, AP_EINVAL, src, "credentials must read 'bearer TOKEN', 'basic USER:PASSWORD' or "
                "'digest USER:PASSWORD'");
        return -1;
    }
    a->secret = ap__strdup(p);
    memset(text, 0, strlen(text));
    free(text);
    return a->secret ? 0 : -1;
}

/* ------------------------------------------------------------------ cache */

static char *cache_path(const ap_alto *a, const char *uri, const char *ext)
{
    uint64_t h = 1469598103934665603ULL;
    const char *s;
    char *p;
    for (s = uri; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    p = malloc(strlen(a->cache_dir) + 40);
    if (p)
        sprintf(p, "%s/%016llx.%s", a->cache_dir, (unsigned long long)h, ext);
    return p;
}

/* The cached copy of uri: body (new) and its meta (new JSON), or NULL. */
static char *cache_get(const ap_alto *a, const char *uri, json_t **meta, size_t *len)
{
    char *mp, *bp, *buf, *body = NULL;
    size_t n;
    if (!a->cache_dir)
        return NULL;
    mp = cache_path(a, uri, "meta");
    bp = cache_path(a, uri, "body");
    *meta = NULL;
    if (mp && bp && (buf = ap__read_file(mp, &n, NULL))) {
        *meta = json_loadb(buf, n, 0, NULL);
        free(buf);
        if (*meta && json_is_string(json_object_get(*meta, "uri")) &&
            !strcmp(json_string_value(json_object_get(*meta, "uri")), uri))
            body = ap__read_file(bp, len, NULL);
        if (!body) {
            json_decref(*meta);
            *meta = NULL;
        }
    }
    free(mp);
    free(bp);
    return body;
}

static void cache_put(const ap_alto *a, const char *uri, const char *etag, const char *body, size_t len)
{
    char *mp, *bp;
    json_t *m;
    if (!a->cache_dir || ap__mkdir_p(a->cache_dir, NULL))
        return;
    mp = cache_path(a, uri, "meta");
    bp = cache_path(a, uri, "body");
    m = json_pack("{s:s, s:s?, s:f}", "uri", uri, "etag", etag, "fetched", (double)time(NULL));
    /* body first: a meta file always has its body */
    if (mp && bp && m && ap__write_atomic(bp, body, len, NULL) == 0)
        ap__json_write(mp, m, NULL);
    json_decref(m);
    free(mp);
    free(bp);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static int curl_ok;
static void curl_init_once(void)
{
    curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

void ap_alto_opts_init(ap_alto_opts *o)
{
    memset(o, 0, sizeof *o);
    o->connect_timeout = 5;
    o->timeout = 30;
    o->retries = 2;
    o->max_bytes = (size_t)256 << 20;
}

typedef struct {
    char *buf;
    size_t len, cap, max;
    size_t expect;      /* Content-Length, when the server gave one */
    int too_big;
    double retry_after;
    char etag[256];
} body;

static size_t on_data(char *ptr, size_t size, size_t n, void *ud)
{
    body *b = ud;
    size_t add = size * n;
    char *nb;
    if (b->len + add > b->max) {
        b->too_big = 1;
        return 0; /* abort the transfer */
    }
    /* the announced length at once (no copies while growing), else doubling */
    nb = ap__grow(b->buf, &b->cap, b->len + add + 1, 1,
                  b->expect > 0 && b->expect <= b->max ? b->expect + 1 : 65536, 0);
    if (!nb)
        return 0;
    b->buf = nb;
    memcpy(b->buf + b->len, ptr, add);
    b->len += add;
    b->buf[b->len] = '\0';
    return add;
}

static size_t on_header(char *ptr, size_t size, size_t n, void *ud)
{
    body *b = ud;
    size_t len = size * n;
    if (len > 12 && strncasecmp(ptr, "Retry-After:", 12) == 0) {
        double v = strtod(ptr + 12, NULL);
        if (v > 0)
            b->retry_after = v;
    }
    if (len > 15 && strncasecmp(ptr, "Content-Length:", 15) == 0) {
        char *end;
        unsigned long long v = strtoull(ptr + 15, &end, 10);
        if (end != ptr + 15)
            b->expect = (size_t)v;
    }
    if (len > 5 && strncasecmp(ptr, "ETag:", 5) == 0) {
        size_t k = 5, m = 0;
        while (k < len && ptr[k] == ' ')
            k++;
        while (k < len && ptr[k] != '\r' && ptr[k] != '\n' && m + 1 < sizeof b->etag)
            b->etag[m++] = ptr[k++];
        b->etag[m] = '\0';
    }
    return len;
}

/* Turns an application/alto-error+json body into a sentence. */
static void alto_error(const char *buf, size_t len, const char *uri, long status, ap_error *err)
{
    json_error_t je;
    json_t *j = json_loadb(buf, len, 0, &je), *meta = json_object_get(j, "meta");
    const char *code = json_string_value(json_object_get(meta, "code"));
    const char *field = json_string_value(json_object_get(meta, "field"));
    json_t *value = json_object_get(meta, "value");
    const char *syn = json_string_value(json_object_get(meta, "syntax-error"));
    char *vs = value ? json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    if (!code)
        ap__err(err, AP_ENET, uri, "HTTP %ld with an ALTO error body that has no meta.code", status);
    else
        ap__err(err, AP_ENET, uri, "ALTO server error %s (HTTP %ld)%s%s%s%s%s%s", code, status,
                field ? ", field " : "", field ? field : "", vs ? ", value " : "", vs ? vs : "",
                syn ? ": " : "", syn ? syn : "");
    free(vs);
    json_decref(j);
}

struct curl_slist *ap__alto_setup(ap_alto *a, void *curl, const char *uri, const char *type, const char *post,
                                  const char *post_type, const char *etag)
{
    char line[1100];
    struct curl_slist *h = NULL;
    snprintf(line, sizeof line, "Accept: %s,application/alto-error+json", type);
    h = curl_slist_append(h, line);
    if (etag) {
        snprintf(line, sizeof line, "If-None-Match: %s", etag);
        h = curl_slist_append(h, line);
    }
    if (a->auth == 1) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", a->secret);
        h = curl_slist_append(h, line);
    } else if (a->auth > 1) {
        curl_easy_setopt(curl, CURLOPT_USERPWD, a->secret);
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, a->auth == 2 ? CURLAUTH_BASIC : CURLAUTH_DIGEST);
    }
    memset(line, 0, sizeof line); /* the token must not linger on the stack */
    if (post) {
        snprintf(line, sizeof line, "Content-Type: %s", post_type);
        h = curl_slist_append(h, line);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post);
    }
    curl_easy_setopt(curl, CURLOPT_URL, uri);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)(a->o.connect_timeout * 1000));
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (a->o.cacert)
        curl_easy_setopt(curl, CURLOPT_CAINFO, a->o.cacert);
    if (a->o.client_cert) {
        curl_easy_setopt(curl, CURLOPT_SSLCERT, a->o.client_cert);
        curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
    }
    if (a->o.client_key)
        curl_easy_setopt(curl, CURLOPT_SSLKEY, a->o.client_key);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "altoplace/" AP_VERSION);
    return h;
}

json_t *ap__alto_ird(ap_alto *a) { return a ? a->ird : NULL; }

int ap__alto_uses(json_t *r, const char *rid)
{
    size_t k;
    json_t *u;
    json_array_foreach(json_object_get(r, "uses"), k, u)
        if (json_is_string(u) && rid && !strcmp(json_string_value(u), rid))
            return 1;
    return 0;
}
const ap_alto_opts *ap__alto_opts(ap_alto *a) { return &a->o; }

/* GET (or POST `post` as `post_type`) `uri` expecting media type `type`.
 * Returns the body (caller frees) or NULL. */
static char *fetch(ap_alto *a, const char *uri, const char *type, const char *post,
                   const char *post_type, size_t *len, ap_error *err)
{
    int attempt;
    json_t *cmeta = NULL;
    size_t clen = 0;
    char *cached = post ? NULL : cache_get(a, uri, &cmeta, &clen);
    a->last_age = NAN;
    for (attempt = 0;; attempt++) {
        body b;
        struct curl_slist *h = NULL;
        CURLcode rc;
        long status = 0;
        char *ct = NULL;
        double wait;
        memset(&b, 0, sizeof b);
        b.max = a->o.max_bytes;
        curl_easy_reset(a->curl);
        h = ap__alto_setup(a, a->curl, uri, type, post, post_type,
                           cached && json_is_string(json_object_get(cmeta, "etag"))
                               ? json_string_value(json_object_get(cmeta, "etag")) : NULL);
        curl_easy_setopt(a->curl, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(a->curl, CURLOPT_WRITEDATA, &b);
        curl_easy_setopt(a->curl, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(a->curl, CURLOPT_HEADERDATA, &b);
        curl_easy_setopt(a->curl, CURLOPT_TIMEOUT_MS, (long)(a->o.timeout * 1000));
        rc = curl_easy_perform(a->curl);
        curl_slist_free_all(h);
        curl_easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(a->curl, CURLINFO_CONTENT_TYPE, &ct);
        if (b.too_big) {
            free(b.buf);
            free(cached);
            json_decref(cmeta);
            ap__err(err, AP_ENET, uri, "response larger than the %zu-byte limit", a->o.max_bytes);
            return NULL;
        }
        if (rc == CURLE_OK && status == 304 && cached) {
            /* not modified: the cached copy is current */
            free(b.buf);
            json_decref(cmeta);
            *len = clen;
            return cached;
        }
        if (rc == CURLE_OK && status == 200) {
            char mt[128];
            size_t k = 0;
            while (ct && ct[k] && ct[k] != ';' && ct[k] != ' ' && k + 1 < sizeof mt) {
                mt[k] = ct[k];
                k++;
            }
            mt[k] = '\0';
            if (strcasecmp(mt, type) != 0) {
                char *fixed = NULL;
                int py = b.buf && strcasecmp(mt, "application/json") == 0 && b.len > 0 && b.buf[0] == '"';
                if (a->o.compat && !strcasecmp(mt, "application/json")) {
                    if (py && (fixed = unwrap_python(b.buf, b.len))) {
                        deviation(a, DEV_PYLITERAL, uri, "a JSON string holding a Python-literal dict");
                        free(b.buf);
                        b.buf = fixed;
                        b.len = strlen(fixed);
                    }
                    deviation(a, DEV_MEDIA, uri, "application/json instead of the ALTO media type");
                } else {
                    if (py)
                        ap__err(err, AP_ENET, uri, "media type is \"%s\" and the body is a JSON string (a "
                                "Python-literal dict?), expected \"%s\"; this server does not follow RFC "
                                "7285 (--alto-compat lenient accepts it)", ct, type);
                    else
                        ap__err(err, AP_ENET, uri, "media type is \"%s\", expected \"%s\"", ct ? ct : "(none)",
                                type);
                    free(b.buf);
                    free(cached);
                    json_decref(cmeta);
                    return NULL;
                }
            }
            if (!b.buf) {
                b.buf = ap__strdup("");
                if (!b.buf) {
                    ap__err(err, AP_ENOMEM, uri, "out of memory");
                    free(cached);
                    json_decref(cmeta);
                    return NULL;
                }
            }
            if (!post)
                cache_put(a, uri, b.etag[0] ? b.etag : NULL, b.buf, b.len);
            free(cached);
            json_decref(cmeta);
            *len = b.len;
            return b.buf;
        }
        if (rc == CURLE_OK && ct && strncasecmp(ct, "application/alto-error+json", 27) == 0) {
            alto_error(b.buf ? b.buf : "", b.len, uri, status, err);
            free(b.buf);
            free(cached);
            json_decref(cmeta);
            return NULL;
        }
        /* transient: connection trouble, 5xx; 503 may say when to retry */
        if (attempt < a->o.retries &&
            (rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_RECV_ERROR ||
             rc == CURLE_GOT_NOTHING || rc == CURLE_PARTIAL_FILE || (rc == CURLE_OK && status >= 500))) {
            struct timespec ts;
            wait = b.retry_after > 0 ? b.retry_after : 0.2 * (1 << attempt);
            if (wait > a->o.timeout)
                wait = a->o.timeout;
            free(b.buf);
            ts.tv_sec = (time_t)wait;
            ts.tv_nsec = (long)((wait - floor(wait)) * 1e9);
            nanosleep(&ts, NULL);
            continue;
        }
        free(b.buf);
        if (cached && a->o.allow_stale && status != 401 && status != 403) {
            /* the server is unreachable or failing: last known good copy */
            a->last_age = difftime(time(NULL), (time_t)json_number_value(json_object_get(cmeta, "fetched")));
            json_decref(cmeta);
            *len = clen;
            return cached;
        }
        free(cached);
        json_decref(cmeta);
        if (rc == CURLE_SSL_CERTPROBLEM)
            ap__err(err, AP_ENET, uri, "the client certificate %s%s%s could not be used: %s",
                    a->o.client_cert ? a->o.client_cert : "", a->o.client_key ? " / key " : "",
                    a->o.client_key ? a->o.client_key : "", curl_easy_strerror(rc));
        else if (rc != CURLE_OK)
            ap__err(err, AP_ENET, uri, "%s%s", curl_easy_strerror(rc),
                    rc == CURLE_PARTIAL_FILE ? " (the answer was cut short)" : "");
        else if (status == 403 && !a->o.client_cert && !strncmp(uri, "https://", 8))
            ap__err(err, AP_ENET, uri, "HTTP 403 (forbidden): the server may want a client certificate "
                    "(--cert/--key, or alto.cert/alto.key in the problem file)");
        else if (status == 401)
            ap__err(err, AP_ENET, uri, "HTTP 401: the server wants credentials (ALTOPLACE_ALTO_AUTH or an auth file)");
        else
            ap__err(err, AP_ENET, uri, "HTTP %ld", status);
        return NULL;
    }
}

/* Adds the resources of directory `d` to a->ird; follows delegated
 * directories (one level). */
static int add_directory(ap_alto *a, const char *uri, int depth, ap_error *err)
{
    size_t len;
    char *buf = fetch(a, uri, "application/alto-directory+json", NULL, NULL, &len, err);
    json_t *d, *res, *r, *types, *dst;
    const char *id;
    if (!buf)
        return -1;
    d = ap__json_parse_object(buf, len, uri, err);
    free(buf);
    if (!d)
        return -1;
    res = json_object_get(d, "resources");
    if (!json_is_object(res)) {
        ap__err(err, AP_EFORMAT, uri, "resources: missing or not an object (not an ALTO directory?)");
        json_decref(d);
        return -1;
    }
    types = json_object_get(json_object_get(d, "meta"), "cost-types");
    if (json_is_object(types))
        json_object_update(json_object_get(json_object_get(a->ird, "meta"), "cost-types"), types);
    if (!json_object_get(json_object_get(a->ird, "meta"), "default-alto-network-map")) {
        json_t *def = json_object_get(json_object_get(d, "meta"), "default-alto-network-map");
        if (json_is_string(def))
            json_object_set(json_object_get(a->ird, "meta"), "default-alto-network-map", def);
    }
    dst = json_object_get(a->ird, "resources");
    json_object_foreach(res, id, r) {
        const char *mt = json_string_value(json_object_get(r, "media-type"));
        const char *ru = json_string_value(json_object_get(r, "uri"));
        if (!mt || !ru)
            continue; /* incomplete entries are ignored */
        if (!strcmp(mt, "application/alto-directory+json")) {
            if (depth == 0 && add_directory(a, ru, 1, err)) {
                json_decref(d);
                return -1;
            }
            continue;
        }
        if (!json_object_get(dst, id))
            json_object_set(dst, id, r);
    }
    json_decref(d);
    return 0;
}

ap_alto *ap_alto_open(const char *ird_uri, const ap_alto_opts *opts, ap_error *err)
{
    ap_alto *a;
    ap_alto_opts def;
    if (!ird_uri) {
        ap__err(err, AP_EINVAL, NULL, "no directory URI");
        return NULL;
    }
    if (strncmp(ird_uri, "http://", 7) && strncmp(ird_uri, "https://", 8)) {
        ap__err(err, AP_EINVAL, ird_uri, "not an http:// or https:// URI");
        return NULL;
    }
    pthread_once(&curl_once, curl_init_once);
    if (!curl_ok) {
        ap__err(err, AP_ENET, ird_uri, "libcurl could not be initialised");
        return NULL;
    }
    if (!opts) {
        ap_alto_opts_init(&def);
        opts = &def;
    }
    a = calloc(1, sizeof *a);
    if (!a || !(a->ird_uri = ap__strdup(ird_uri)) || !(a->curl = curl_easy_init()) ||
        !(a->ird = json_pack("{s:{s:{}}, s:{}}", "meta", "cost-types", "resources"))) {
        ap__err(err, AP_ENOMEM, ird_uri, "out of memory");
        ap_alto_free(a);
        return NULL;
    }
    a->o = *opts;
    a->last_age = NAN;
    {
        const char *files[2] = {opts->client_cert, opts->client_key};
        int k;
        for (k = 0; k < 2; k++) {
            FILE *f = files[k] ? fopen(files[k], "r") : NULL;
            if (files[k] && !f) {
                ap__err(err, AP_EIO, files[k], "cannot read the client %s: %s", k ? "key" : "certificate",
                        strerror(errno));
                ap_alto_free(a);
                return NULL;
            }
            if (f)
                fclose(f);
        }
    }
    if ((opts->cache_dir && !(a->cache_dir = ap__strdup(opts->cache_dir))) || load_auth(a, err)) {
        ap__err(err, AP_ENOMEM, ird_uri, "out of memory");
        ap_alto_free(a);
        return NULL;
    }
    if (add_directory(a, ird_uri, 0, err)) {
        ap_alto_free(a);
        return NULL;
    }
    return a;
}

void ap_alto_free(ap_alto *a)
{
    if (!a)
        return;
    if (a->curl)
        curl_easy_cleanup(a->curl);
    json_decref(a->ird);
    free(a->ird_uri);
    free(a->cache_dir);
    if (a->secret) {
        memset(a->secret, 0, strlen(a->secret));
        free(a->secret);
    }
    free(a);
}

ap_netmap *ap_alto_netmap(ap_alto *a, const char *rid, ap_error *err)
{
    json_t *res, *r;
    const char *uri, *mt;
    char *buf;
    size_t len;
    ap_netmap *nm;
    if (!a) {
        ap__err(err, AP_EINVAL, NULL, "NULL client");
        return NULL;
    }
    res = json_object_get(a->ird, "resources");
    if (!rid)
        rid = json_string_value(json_object_get(json_object_get(a->ird, "meta"), "default-alto-network-map"));
    if (!rid) {
        /* the only network map, if there is exactly one */
        const char *id;
        json_object_foreach(res, id, r) {
            if (!strcmp(json_string_value(json_object_get(r, "media-type")), "application/alto-networkmap+json") &&
                !json_object_get(r, "accepts")) {
                if (rid) {
                    ap__err(err, AP_EFORMAT, a->ird_uri, "several network maps and no default-alto-network-map: "
                            "name one (%s, %s, ...)", rid, id);
                    return NULL;
                }
                rid = id;
            }
        }
    }
    r = rid ? json_object_get(res, rid) : NULL;
    mt = json_string_value(json_object_get(r, "media-type"));
    if (!r || !mt || strcmp(mt, "application/alto-networkmap+json")) {
        ap__err(err, AP_EFORMAT, a->ird_uri, "no network map resource%s%s in the directory",
                rid ? " " : "", rid ? rid : "");
        return NULL;
    }
    uri = json_string_value(json_object_get(r, "uri"));
    buf = fetch(a, uri, "application/alto-networkmap+json", NULL, NULL, &len, err);
    if (!buf)
        return NULL;
    nm = ap_netmap_parse(buf, len, uri, err);
    free(buf);
    if (nm && strcmp(nm->resource_id, rid)) {
        ap__err(err, AP_EFORMAT, uri, "meta.vtag.resource-id is \"%s\" but the directory calls it \"%s\"",
                nm->resource_id, rid);
        ap_netmap_free(nm);
        return NULL;
    }
    return nm;
}

/* Whether directory resource r offers cost type metric/mode. */
/* The cost type (borrowed) of directory resource r with metric/mode and,
 * when the client asks for one, cost-source (RFC 9439: none given means
 * "estimation"), or NULL. */
static json_t *offered_type(ap_alto *a, json_t *r, const char *metric, const char *mode)
{
    json_t *names = json_object_get(json_object_get(r, "capabilities"), "cost-type-names"), *n;
    json_t *types = json_object_get(json_object_get(a->ird, "meta"), "cost-types");
    size_t i;
    json_array_foreach(names, i, n) {
        json_t *t = json_object_get(types, json_string_value(n));
        const char *m = json_string_value(json_object_get(t, "cost-metric"));
        const char *md = json_string_value(json_object_get(t, "cost-mode"));
        const char *src = json_string_value(json_object_get(json_object_get(t, "cost-context"), "cost-source"));
        if (m && md && !strcmp(m, metric) && (!mode || !strcmp(md, mode)) &&
            (!a->o.cost_source || !strcmp(a->o.cost_source, src ? src : "estimation")))
            return t;
    }
    return NULL;
}

static int offers(ap_alto *a, json_t *r, const char *metric, const char *mode)
{
    return offered_type(a, r, metric, mode) != NULL;
}

/* Lenient mode, before parsing a cost map: PIDs the network map lacks become
 * PIDs without prefixes (candidate sites); a dependent-vtags tag that
 * differs from the network map's is accepted when a fresh copy of the
 * network map has the same content (the server changed the tag only). */
static void lenient_costmap(ap_alto *a, ap_netmap *nm, char **buf, size_t *len, const char *uri)
{
    json_t *j = json_loadb(*buf, *len, 0, NULL), *map, *row, *v, *dv, *e;
    const char *s, *d;
    size_t k;
    int changed = 0;
    if (!json_is_object(j)) {
        json_decref(j);
        return;
    }
    map = json_object_get(j, "cost-map");
    json_object_foreach(map, s, row) {
        if (ap_netmap_find(nm, s) < 0 && ap__netmap_add_pid(nm, s) == 0)
            deviation(a, DEV_PIDS, uri, "the cost map names PIDs its network map omits (kept as "
                      "candidate sites without prefixes)");
        json_object_foreach(row, d, v)
            if (ap_netmap_find(nm, d) < 0 && ap__netmap_add_pid(nm, d) == 0)
                deviation(a, DEV_PIDS, uri, "the cost map names PIDs its network map omits (kept as "
                          "candidate sites without prefixes)");
    }
    dv = json_object_get(json_object_get(j, "meta"), "dependent-vtags");
    json_array_foreach(dv, k, e) {
        const char *rid = json_string_value(json_object_get(e, "resource-id"));
        const char *tag = json_string_value(json_object_get(e, "tag"));
        if (rid && tag && !strcmp(rid, nm->resource_id) && strcmp(tag, nm->vtag)) {
            /* refetch the network map once: same PIDs and prefixes? */
            ap_error e2;
            ap_netmap *fresh = ap_alto_netmap(a, rid, &e2);
            if (fresh && ap__netmap_same(fresh, nm)) {
                json_object_set_new(e, "tag", json_string(nm->vtag));
                changed = 1;
                deviation(a, DEV_VTAG, uri, "the version tag changed without a change of content");
            }
            ap_netmap_free(fresh);
        }
    }
    if (changed) {
        char *nb = json_dumps(j, JSON_COMPACT);
        if (nb) {
            free(*buf);
            *buf = nb;
            *len = strlen(nb);
        }
    }
    json_decref(j);
}

/* The first filtered (filtered = 1) cost map resource that uses nm and
 * offers metric/mode; its id goes to *id. */
static json_t *find_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode, int filtered,
                            const char **idp)
{
    json_t *e;
    const char *id;
    json_object_foreach(json_object_get(a->ird, "resources"), id, e) {
        const char *mt = json_string_value(json_object_get(e, "media-type"));
        const char *acc = json_string_value(json_object_get(e, "accepts"));
        if (!mt || strcmp(mt, "application/alto-costmap+json") || !filtered != !acc ||
            (acc && strcmp(acc, "application/alto-costmapfilter+json")))
            continue;
        if (ap__alto_uses(e, nm->resource_id) && (!metric || offers(a, e, metric, mode))) {
            if (idp)
                *idp = id;
            return e;
        }
    }
    return NULL;
}

static json_t *str_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(v[i] ? v[i] : ""));
    return a;
}

/* The cost type object the directory names for metric/mode in resource r
 * (copy), or a plain {"cost-mode", "cost-metric"}. */
static json_t *cost_type_of(ap_alto *a, json_t *r, const char *metric, const char *mode)
{
    json_t *t = offered_type(a, r, metric, mode);
    if (t)
        return json_deep_copy(t);
    return json_pack("{s:s,s:s}", "cost-mode", mode ? mode : "numerical", "cost-metric", metric);
}

/* POSTs request `req` (taken over; NULL: it could not be built) to
 * resource r and returns the body (or NULL). */
static char *post_json(ap_alto *a, json_t *r, json_t *req, const char *type, const char *req_type, size_t *len,
                       ap_error *err)
{
    char *body = req ? json_dumps(req, JSON_COMPACT) : NULL, *buf;
    json_decref(req);
    if (!body) {
        ap__err(err, AP_ENOMEM, a->ird_uri, "out of memory");
        return NULL;
    }
    buf = fetch(a, json_string_value(json_object_get(r, "uri")), type, body, req_type, len, err);
    free(body);
    return buf;
}

/* post_json, and the answer parsed as a JSON object (new reference) or NULL. */
static json_t *post_object(ap_alto *a, json_t *r, json_t *req, const char *type, const char *req_type,
                           ap_error *err)
{
    size_t len;
    char *buf = post_json(a, r, req, type, req_type, &len, err);
    json_t *j = buf ? ap__json_parse_object(buf, len, json_string_value(json_object_get(r, "uri")), err) : NULL;
    free(buf);
    return j;
}

ap_costmap *ap_alto_costmap_filtered(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                                     const char *const *srcs, size_t nsrcs, const char *const *dsts,
                                     size_t ndsts, const char *const *cons, size_t ncons, const char *rid,
                                     ap_error *err)
{
    json_t *r, *req;
    const char *id = rid;
    char *buf;
    size_t len;
    ap_costmap *cm;
    if (!a || !nm || !metric) {
        ap__err(err, AP_EINVAL, NULL, "ap_alto_costmap_filtered: client, network map and metric are needed");
        return NULL;
    }
    r = rid ? json_object_get(json_object_get(a->ird, "resources"), rid) : find_costmap(a, nm, metric, mode, 1, &id);
    if (!r || !json_object_get(r, "accepts") || !offers(a, r, metric, mode)) {
        ap__err(err, AP_EFORMAT, a->ird_uri, "no filtered cost map%s%s with metric %s that uses network map %s",
                rid ? " " : "", rid ? rid : "", metric, nm->resource_id);
        return NULL;
    }
    if (ncons && !json_is_true(json_object_get(json_object_get(r, "capabilities"), "cost-constraints"))) {
        ap__err(err, AP_EINVAL, json_string_value(json_object_get(r, "uri")),
                "filtered cost map %s does not announce cost-constraints", id);
        return NULL;
    }
    req = json_pack("{s:o,s:{s:o,s:o}}", "cost-type", cost_type_of(a, r, metric, mode), "pids", "srcs",
                    str_array(srcs, nsrcs), "dsts", str_array(dsts, ndsts));
    if (req && ncons)
        json_object_set_new(req, "constraints", str_array(cons, ncons));
    buf = post_json(a, r, req, "application/alto-costmap+json", "application/alto-costmapfilter+json", &len, err);
    if (!buf)
        return NULL;
    cm = ap_costmap_parse(buf, len, json_string_value(json_object_get(r, "uri")), nm, err);
    free(buf);
    return cm;
}

/* The first resource of media type `mt` accepting `accepts` (and using
 * `uses`, if given); its id goes to *idp. */
static json_t *find_post(ap_alto *a, const char *mt, const char *accepts, const char *uses, const char **idp)
{
    json_t *e;
    const char *id;
    json_object_foreach(json_object_get(a->ird, "resources"), id, e) {
        const char *m = json_string_value(json_object_get(e, "media-type"));
        const char *acc = json_string_value(json_object_get(e, "accepts"));
        if (!m || !acc || strcmp(m, mt) || strcmp(acc, accepts))
            continue;
        if (!uses || ap__alto_uses(e, uses)) {
            if (idp)
                *idp = id;
            return e;
        }
    }
    return NULL;
}

ap_netmap *ap_alto_netmap_filtered(ap_alto *a, const char *const *pids, size_t npids, const char *rid,
                                   ap_error *err)
{
    json_t *r, *req;
    const char *id = rid;
    char *buf;
    size_t len;
    ap_netmap *nm;
    if (!a) {
        ap__err(err, AP_EINVAL, NULL, "NULL client");
        return NULL;
    }
    r = rid ? json_object_get(json_object_get(a->ird, "resources"), rid)
            : find_post(a, "application/alto-networkmap+json", "application/alto-networkmapfilter+json", NULL, &id);
    if (!r || !json_object_get(r, "accepts")) {
        ap__err(err, AP_EFORMAT, a->ird_uri, "no filtered network map%s%s in the directory", rid ? " " : "",
                rid ? rid : "");
        return NULL;
    }
    req = json_pack("{s:o}", "pids", str_array(pids, npids));
    buf = post_json(a, r, req, "application/alto-networkmap+json", "application/alto-networkmapfilter+json", &len,
                    err);
    if (!buf)
        return NULL;
    nm = ap_netmap_parse(buf, len, json_string_value(json_object_get(r, "uri")), err);
    free(buf);
    return nm;
}

ap_propmap *ap_alto_propmap_filtered(ap_alto *a, const ap_netmap *nm, const char *const *pids, size_t npids,
                                     const char *const *props, size_t nprops, const char *rid, ap_error *err)
{
    json_t *r, *req, *ents, *pr;
    const char *id = rid;
    char *buf;
    size_t len, i;
    ap_propmap *pm;
    if (!a || !nm) {
        ap__err(err, AP_EINVAL, NULL, "ap_alto_propmap_filtered: client and network map are needed");
        return NULL;
    }
    r = rid ? json_object_get(json_object_get(a->ird, "resources"), rid)
            : find_post(a, "application/alto-propmap+json", "application/alto-propmapparams+json", nm->resource_id,
                        &id);
    if (!r || !json_object_get(r, "accepts")) {
        ap__err(err, AP_EFORMAT, a->ird_uri, "no filtered property map%s%s that uses network map %s",
                rid ? " " : "", rid ? rid : "", nm->resource_id);
        return NULL;
    }
    ents = json_array();
    pr = json_array();
    for (i = 0; ents && i < (npids ? npids : nm->n); i++) {
        char e[400];
        snprintf(e, sizeof e, "%s.pid:%s", nm->resource_id, npids ? pids[i] : nm->pid[i]);
        json_array_append_new(ents, json_string(e));
    }
    if (nprops) {
        /* property names as the resource's mappings give them */
        for (i = 0; pr && i < nprops; i++)
            json_array_append_new(pr, json_string(props[i] ? props[i] : ""));
    } else {
        /* every property the resource announces for this network map's PIDs */
        char dom[300];
        json_t *m, *v;
        size_t k;
        snprintf(dom, sizeof dom, "%s.pid", nm->resource_id);
        m = json_object_get(json_object_get(json_object_get(r, "capabilities"), "mappings"), dom);
        json_array_foreach(m, k, v)
            json_array_append(pr, v);
    }
    if (ents && pr) {
        req = json_pack("{s:o,s:o}", "entities", ents, "properties", pr); /* takes both */
    } else {
        req = NULL;
        json_decref(ents);
        json_decref(pr);
    }
    buf = post_json(a, r, req, "application/alto-propmap+json", "application/alto-propmapparams+json", &len, err);
    if (!buf)
        return NULL;
    pm = ap_propmap_parse(buf, len, json_string_value(json_object_get(r, "uri")), nm, err);
    free(buf);
    return pm;
}

int ap_alto_costmaps_multi(ap_alto *a, const ap_netmap *nm, const char *const *metrics, size_t n,
                           const char *mode, ap_costmap **out, ap_error *err)
{
    json_t *res, *r = NULL, *types, *req, *resp = NULL, *map, *row, *v, *e;
    const char *id, *uri = NULL;
    size_t i, k;
    int rc = -1;
    if (!a || !nm || !metrics || !n || !out) {
        ap__err(err, AP_EINVAL, NULL, "ap_alto_costmaps_multi: client, network map and metrics are needed");
        return -1;
    }
    for (i = 0; i < n; i++)
        out[i] = NULL;
    res = json_object_get(a->ird, "resources");
    json_object_foreach(res, id, e) {
        json_t *mx = json_object_get(json_object_get(e, "capabilities"), "max-cost-types");
        int all = 1;
        const char *acc = json_string_value(json_object_get(e, "accepts"));
        if (!ap__alto_uses(e, nm->resource_id) || !acc || strcmp(acc, "application/alto-costmapfilter+json") ||
            json_integer_value(mx) < (json_int_t)n)
            continue;
        for (i = 0; i < n && all; i++)
            all = offers(a, e, metrics[i], mode);
        if (all) {
            r = e;
            break;
        }
    }
    if (!r) {
        ap__err(err, AP_EFORMAT, a->ird_uri, "no filtered cost map offers these %zu metrics together "
                "(multi-cost, RFC 8189: max-cost-types >= %zu)", n, n);
        return -1;
    }
    uri = json_string_value(json_object_get(r, "uri"));
    if (!(types = json_array())) {
        ap__err(err, AP_ENOMEM, uri, "out of memory");
        return -1;
    }
    for (i = 0; i < n; i++)
        json_array_append_new(types, cost_type_of(a, r, metrics[i], mode));
    req = json_pack("{s:o,s:{s:[],s:[]}}", "multi-cost-types", types, "pids", "srcs", "dsts");
    if (!(resp = post_object(a, r, req, "application/alto-costmap+json", "application/alto-costmapfilter+json", err)))
        return -1;
    types = json_object_get(json_object_get(resp, "meta"), "multi-cost-types");
    map = json_object_get(resp, "cost-map");
    if (!json_is_array(types) || json_array_size(types) != n || !json_is_object(map)) {
        ap__err(err, AP_EFORMAT, uri, "meta.multi-cost-types: missing or not the %zu cost types asked for", n);
        goto out;
    }
    for (i = 0; i < n; i++) {
        json_t *doc, *cmap = json_object();
        const char *src, *dst;
        char *txt;
        if (!cmap || !(doc = json_pack("{s:{s:O,s:O},s:o}", "meta", "dependent-vtags",
                                       json_object_get(json_object_get(resp, "meta"), "dependent-vtags"),
                                       "cost-type", json_array_get(types, i), "cost-map", cmap))) {
            ap__err(err, AP_ENOMEM, uri, "out of memory");
            goto out;
        }
        json_object_foreach(map, src, row) {
            json_t *orow = json_object();
            json_object_set_new(cmap, src, orow);
            json_object_foreach(row, dst, v) {
                if (!json_is_array(v) || json_array_size(v) != n) {
                    ap__err(err, AP_EFORMAT, uri, "cost-map.%s.%s: not an array of %zu costs", src, dst, n);
                    json_decref(doc);
                    goto out;
                }
                json_object_set(orow, dst, json_array_get(v, i));
            }
        }
        txt = json_dumps(doc, JSON_COMPACT);
        json_decref(doc);
        if (!txt) {
            ap__err(err, AP_ENOMEM, uri, "out of memory");
            goto out;
        }
        out[i] = ap_costmap_parse(txt, strlen(txt), uri, nm, err);
        free(txt);
        if (!out[i])
            goto out;
    }
    rc = 0;
out:
    if (rc)
        for (k = 0; k < n; k++) {
            ap_costmap_free(out[k]);
            out[k] = NULL;
        }
    json_decref(resp);
    return rc;
}

/* "192.0.2.1" -> "ipv4:192.0.2.1"; typed addresses are kept. */
static json_t *typed_addrs(const char *const *v, size_t n)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; a && i < n; i++) {
        char buf[128];
        const char *s = v[i] ? v[i] : "";
        if (!strncmp(s, "ipv4:", 5) || !strncmp(s, "ipv6:", 5))
            snprintf(buf, sizeof buf, "%s", s);
        else
            snprintf(buf, sizeof buf, "%s:%s", strchr(s, ':') ? "ipv6" : "ipv4", s);
        json_array_append_new(a, json_string(buf));
    }
    return a;
}

int ap_alto_endpoint_costs(ap_alto *a, const char *metric, const char *mode, const char *const *srcs,
                           size_t nsrcs, const char *const *dsts, size_t ndsts, double *out, ap_error *err)
{
    json_t *r = NULL, *e, *req, *resp, *ecm, *s, *d;
    const char *id, *uri;
    size_t i, j;
    if (!a || !metric || !srcs || !dsts || !out || !nsrcs || !ndsts) {
        ap__err(err, AP_EINVAL, NULL, "ap_alto_endpoint_costs: client, metric and addresses are needed");
        return -1;
    }
    json_object_foreach(json_object_get(a->ird, "resources"), id, e) {
        const char *mt = json_string_value(json_object_get(e, "media-type"));
        if (mt && !strcmp(mt, "application/alto-endpointcost+json") && offers(a, e, metric, mode)) {
            r = e;
            break;
        }
    }
    if (!r) {
        ap__err(err, AP_EFORMAT, a->ird_uri, "no endpoint cost service offers metric %s", metric);
        return -1;
    }
    uri = json_string_value(json_object_get(r, "uri"));
    s = typed_addrs(srcs, nsrcs);
    d = typed_addrs(dsts, ndsts);
    /* the request takes its own references; s and d name the answer's rows */
    req = s && d ? json_pack("{s:o,s:{s:O,s:O}}", "cost-type", cost_type_of(a, r, metric, mode), "endpoints",
                             "srcs", s, "dsts", d) : NULL;
    resp = post_object(a, r, req, "application/alto-endpointcost+json", "application/alto-endpointcostparams+json",
                       err);
    ecm = json_object_get(resp, "endpoint-cost-map");
    if (resp && !json_is_object(ecm))
        ap__err(err, AP_EFORMAT, uri, "endpoint-cost-map: missing or not an object");
    if (!json_is_object(ecm)) {
        json_decref(resp);
        json_decref(s);
        json_decref(d);
        return -1;
    }
    for (i = 0; i < nsrcs; i++)
        for (j = 0; j < ndsts; j++) {
            json_t *v = json_object_get(json_object_get(ecm, json_string_value(json_array_get(s, i))),
                                        json_string_value(json_array_get(d, j)));
            if (v && (!json_is_number(v) || json_number_value(v) < 0)) {
                ap__err(err, AP_EFORMAT, uri, "endpoint-cost-map.%s.%s: not a cost >= 0",
                        json_string_value(json_array_get(s, i)), json_string_value(json_array_get(d, j)));
                json_decref(resp);
                json_decref(s);
                json_decref(d);
                return -1;
            }
            out[i * ndsts + j] = v ? json_number_value(v) : NAN;
        }
    json_decref(resp);
    json_decref(s);
    json_decref(d);
    return 0;
}

ap_costmap *ap_alto_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                            const char *rid, ap_error *err)
{
    json_t *res, *r = NULL, *e;
    const char *id, *uri;
    char *buf;
    size_t len;
    ap_costmap *cm;
    if (!a || !nm || (!metric && !rid)) {
        ap__err(err, AP_EINVAL, NULL, "ap_alto_costmap: client, network map and a metric or resource id are needed");
        return NULL;
    }
    res = json_object_get(a->ird, "resources");
    if (rid) {
        r = json_object_get(res, rid);
        if (!r || strcmp(json_string_value(json_object_get(r, "media-type")) ? json_string_value(json_object_get(r, "media-type")) : "",
                         "application/alto-costmap+json")) {
            ap__err(err, AP_EFORMAT, a->ird_uri, "no cost map resource %s in the directory", rid);
            return NULL;
        }
    } else {
        json_object_foreach(res, id, e) {
            const char *mt = json_string_value(json_object_get(e, "media-type"));
            if (!mt || strcmp(mt, "application/alto-costmap+json") || json_object_get(e, "accepts"))
                continue; /* filtered cost maps (POST) are not used here */
            if (ap__alto_uses(e, nm->resource_id) && offers(a, e, metric, mode)) {
                r = e;
                rid = id;
                break;
            }
        }
        if (!r) {
            /* no full cost map: a filtered one asked for every pair will do */
            if (find_costmap(a, nm, metric, mode, 1, NULL))
                return ap_alto_costmap_filtered(a, nm, metric, mode, NULL, 0, NULL, 0, NULL, 0, NULL, err);
            ap__err(err, AP_EFORMAT, a->ird_uri, "no cost map with metric %s%s%s%s%s that uses network map %s",
                    metric, mode ? " and mode " : "", mode ? mode : "", a->o.cost_source ? " and cost-source " : "",
                    a->o.cost_source ? a->o.cost_source : "", nm->resource_id);
            return NULL;
        }
    }
    uri = json_string_value(json_object_get(r, "uri"));
    buf = fetch(a, uri, "application/alto-costmap+json", NULL, NULL, &len, err);
    if (!buf)
        return NULL;
    if (a->o.compat)
        lenient_costmap(a, (ap_netmap *)nm, &buf, &len, uri);
    cm = ap_costmap_parse(buf, len, uri, nm, err);
    free(buf);
    return cm;
}

const char *ap_alto_uri(const ap_alto *a) { return a ? a->ird_uri : NULL; }

/* The same, also returning the resource's URI (new string) for provenance. */
static char *resource_uri(ap_alto *a, const char *rid)
{
    const char *u = json_string_value(json_object_get(json_object_get(json_object_get(a->ird, "resources"), rid), "uri"));
    return ap__strdup(u ? u : a->ird_uri);
}

ap_netmap *ap__alto_netmap(ap_alto *a, const char *rid, char **uri, ap_error *err)
{
    ap_netmap *nm = ap_alto_netmap(a, rid, err);
    if (nm)
        *uri = resource_uri(a, nm->resource_id);
    return nm;
}

const char *ap__alto_find_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                                  int filtered)
{
    const char *id = NULL;
    return a && nm && metric && find_costmap(a, nm, metric, mode, filtered, &id) ? id : NULL;
}

char *ap__alto_resource_uri(ap_alto *a, const char *rid) { return resource_uri(a, rid); }

ap_costmap *ap__alto_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                             const char *rid, char **uri, ap_error *err)
{
    ap_costmap *cm = ap_alto_costmap(a, nm, metric, mode, rid, err);
    if (cm) {
        /* the resource actually fetched: rid, or the first that matched */
        const char *id = NULL;
        *uri = NULL;
        if (rid)
            *uri = resource_uri(a, rid);
        else if (find_costmap(a, nm, metric, mode, 0, &id) || find_costmap(a, nm, metric, mode, 1, &id))
            *uri = resource_uri(a, id);
        if (!*uri) {
            ap__err(err, AP_ENOMEM, a->ird_uri, "out of memory");
            ap_costmap_free(cm);
            return NULL;
        }
    }
    return cm;
}

double ap_alto_last_age(const ap_alto *a) { return a ? a->last_age : NAN; }

ap_propmap *ap_alto_propmap(ap_alto *a, const ap_netmap *nm, const char *rid, ap_error *err)
{
    char *uri = NULL;
    ap_propmap *pm = ap__alto_propmap(a, nm, rid, &uri, err);
    free(uri);
    return pm;
}

ap_propmap *ap__alto_propmap(ap_alto *a, const ap_netmap *nm, const char *rid, char **urip, ap_error *err)
{
    json_t *res, *r = NULL, *e;
    const char *id, *uri;
    char *buf;
    size_t len;
    ap_propmap *pm;
    if (!a || !nm) {
        ap__err(err, AP_EINVAL, NULL, "ap_alto_propmap: client and network map are needed");
        return NULL;
    }
    res = json_object_get(a->ird, "resources");
    json_object_foreach(res, id, e) {
        const char *mt = json_string_value(json_object_get(e, "media-type"));
        if (rid && strcmp(id, rid))
            continue;
        if (!mt || strcmp(mt, "application/alto-propmap+json") || json_object_get(e, "accepts"))
            continue; /* full property maps (GET) only */
        if (ap__alto_uses(e, nm->resource_id) || rid) {
            r = e;
            break;
        }
    }
    if (!r) {
        ap__err(err, AP_EFORMAT, a->ird_uri, "no property map %s%sthat uses network map %s",
                rid ? rid : "", rid ? " " : "", nm->resource_id);
        return NULL;
    }
    uri = json_string_value(json_object_get(r, "uri"));
    buf = fetch(a, uri, "application/alto-propmap+json", NULL, NULL, &len, err);
    if (!buf)
        return NULL;
    pm = ap_propmap_parse(buf, len, uri, nm, err);
    free(buf);
    if (pm)
        *urip = ap__strdup(uri);
    return pm;
}
