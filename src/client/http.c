/* http.c - the ALTO client's transport over HTTP(S) (libcurl): credentials,
 * an ETag cache of fetched documents, media-type and ALTO error checks,
 * timeouts, bounded retries honouring 503 + Retry-After, a cap on response
 * size; opening a client reads its directory (ird.c). */
#include "client_int.h"
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#include <time.h>

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
    a->secret = ap__secret_dup(p);
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

/* uri without the user:password@ of its authority (new), as the cache's
 * meta file records it: credentials never reach the disk. */
static char *no_userinfo(const char *uri)
{
    const char *s = strstr(uri, "://"), *auth, *end, *at = NULL, *p;
    char *r;
    if (!s)
        return ap__strdup(uri);
    auth = s + 3;
    end = auth + strcspn(auth, "/?#");
    for (p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    if (!at)
        return ap__strdup(uri);
    if (!(r = malloc(strlen(uri) + 1)))
        return NULL;
    memcpy(r, uri, (size_t)(auth - uri));
    strcpy(r + (auth - uri), at + 1);
    return r;
}

/* The cached copy of uri: body (new) and its meta (new JSON), or NULL. */
static char *cache_get(const ap_alto *a, const char *uri, json_t **meta, size_t *len)
{
    char *mp, *bp, *buf, *body = NULL, *bare;
    size_t n;
    if (!a->cache_dir || !(bare = no_userinfo(uri)))
        return NULL;
    mp = cache_path(a, bare, "meta");
    bp = cache_path(a, bare, "body");
    *meta = NULL;
    if (mp && bp && (buf = ap__read_file(mp, &n, NULL))) {
        *meta = json_loadb(buf, n, 0, NULL);
        free(buf);
        if (*meta && json_is_string(json_object_get(*meta, "uri")) &&
            !strcmp(json_string_value(json_object_get(*meta, "uri")), bare))
            body = ap__read_file(bp, len, NULL);
        if (!body) {
            json_decref(*meta);
            *meta = NULL;
        }
    }
    free(mp);
    free(bp);
    free(bare);
    return body;
}

static void cache_put(const ap_alto *a, const char *uri, const char *etag, const char *body, size_t len)
{
    char *mp, *bp, *bare;
    json_t *m;
    /* a new cache folder is private (0700), as its files are (0600) */
    if (!a->cache_dir || ap__mkdir_p(a->cache_dir, 0700, NULL) || !(bare = no_userinfo(uri)))
        return;
    mp = cache_path(a, bare, "meta");
    bp = cache_path(a, bare, "body");
    m = json_pack("{s:s, s:s?, s:f}", "uri", bare, "etag", etag, "fetched", (double)time(NULL));
    /* body first: a meta file always has its body; both private (0600),
     * whatever the umask: what a server gave this client's credentials */
    if (mp && bp && m && ap__write_atomic(bp, body, len, NULL) == 0) {
        (void)chmod(bp, 0600);
        if (ap__json_write(mp, m, NULL) == 0)
            (void)chmod(mp, 0600);
    }
    json_decref(m);
    free(bare);
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
    o->max_pids = 10000;
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

/* Seconds as curl's milliseconds: at least 1 (curl reads 0 as "no limit",
 * so 1e-9 s must not become that), at most a day; NaN or <= 0 gives the
 * default of 30 s. */
static long ms_of(double s)
{
    if (!(s > 0))
        return 30000;
    if (s > 86400)
        return 86400000L;
    return s * 1000 < 1 ? 1 : (long)(s * 1000);
}

/* "scheme://host:port" of an http(s) URI, scheme and host in lower case,
 * the port explicit (80, 443 by default), user:password@ dropped; "" when
 * it is not such a URI. */
static void origin_of(const char *uri, char *out, size_t n)
{
    const char *p, *end, *at, *hend;
    int https;
    long port;
    size_t k, hl;
    out[0] = '\0';
    if (!strncasecmp(uri, "http://", 7))
        https = 0, p = uri + 7;
    else if (!strncasecmp(uri, "https://", 8))
        https = 1, p = uri + 8;
    else
        return;
    end = p + strcspn(p, "/?#");
    for (at = p; at < end; at++)
        if (*at == '@')
            p = at + 1;
    if (*p == '[') {
        hend = memchr(p, ']', (size_t)(end - p));
        if (!hend)
            return;
        hend++;
    } else {
        hend = p;
        while (hend < end && *hend != ':')
            hend++;
    }
    port = https ? 443 : 80;
    if (hend < end && *hend == ':' && hend + 1 < end) {
        char *e;
        port = strtol(hend + 1, &e, 10);
        if (e != end || port <= 0 || port > 65535)
            return;
    }
    hl = (size_t)(hend - p);
    if (hl == 0 || hl + 32 >= n)
        return;
    k = (size_t)snprintf(out, n, "%s://", https ? "https" : "http");
    for (; p < hend; p++)
        out[k++] = (char)tolower((unsigned char)*p);
    snprintf(out + k, n - k, ":%ld", port);
}

/* Whether the credentials may go to uri: the directory's origin, unless
 * the caller allowed every origin; warns once when they are withheld. */
static int auth_for(ap_alto *a, const char *uri)
{
    char o[320];
    if (!a->auth)
        return 0;
    if (a->o.auth_any_origin)
        return 1;
    origin_of(uri, o, sizeof o);
    if (o[0] && !strcmp(o, a->origin))
        return 1;
    if (!a->auth_withheld) {
        a->auth_withheld = 1;
        ap__logf(a->o.log, a->o.log_ud, AP_LOG_WARN,
                 "credentials not sent to %s: they go only to the directory's origin %s "
                 "(ap_alto_opts.auth_any_origin, --alto-auth-any-origin, allows other hosts)",
                 o[0] ? o : "(unreadable origin)", a->origin);
    }
    return 0;
}

void ap__alto_headers_free(void *h)
{
    struct curl_slist *l;
    for (l = h; l; l = l->next)
        if (l->data)
            memset(l->data, 0, strlen(l->data));
    curl_slist_free_all(h);
}

void *ap__alto_setup(ap_alto *a, void *curl, const char *uri, const char *type, const char *post,
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
    if (!auth_for(a, uri)) {
        /* no credentials for this origin (curl keeps no state between requests) */
        curl_easy_setopt(curl, CURLOPT_USERPWD, NULL);
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    } else if (a->auth == 1) {
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
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, ms_of(a->o.connect_timeout));
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
    /* gzip and the other encodings curl has; the size cap counts the
     * decoded bytes (on_data sees them), so a compression bomb stops there */
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    return h;
}

/* A 200 answer whose media type is not `type`: accepted under --alto-compat
 * lenient when it is plain application/json (a Python-literal dict in a
 * JSON string is unwrapped), else an error.  0 to go on, -1 with err set. */
static int check_media(ap_alto *a, const char *uri, const char *type, const char *ct, body *b, ap_error *err)
{
    char mt[128];
    size_t k = 0;
    int py;
    while (ct && ct[k] && ct[k] != ';' && ct[k] != ' ' && k + 1 < sizeof mt) {
        mt[k] = ct[k];
        k++;
    }
    mt[k] = '\0';
    if (!strcasecmp(mt, type))
        return 0;
    py = b->buf && strcasecmp(mt, "application/json") == 0 && b->len > 0 && b->buf[0] == '"';
    if (a->o.compat && !strcasecmp(mt, "application/json")) {
        char *fixed = NULL;
        if (py && (fixed = ap__compat_unwrap_python(b->buf, b->len))) {
            ap__alto_deviation(a, AP__DEV_PYLITERAL, uri, "a JSON string holding a Python-literal dict");
            free(b->buf);
            b->buf = fixed;
            b->len = strlen(fixed);
        }
        ap__alto_deviation(a, AP__DEV_MEDIA, uri, "application/json instead of the ALTO media type");
        return 0;
    }
    if (py)
        ap__err(err, AP_ENET, uri, "media type is \"%s\" and the body is a JSON string (a "
                "Python-literal dict?), expected \"%s\"; this server does not follow RFC "
                "7285 (--alto-compat lenient accepts it)", ct, type);
    else
        ap__err(err, AP_ENET, uri, "media type is \"%s\", expected \"%s\"", ct ? ct : "(none)", type);
    return -1;
}

/* The error of a fetch that failed for good, in the words that help most. */
static void fetch_error(const ap_alto *a, const char *uri, CURLcode rc, long status, const char *why,
                        ap_error *err)
{
    if (rc == CURLE_SSL_CERTPROBLEM)
        ap__err(err, AP_ENET, uri, "the client certificate %s%s%s could not be used: %s",
                a->o.client_cert ? a->o.client_cert : "", a->o.client_key ? " / key " : "",
                a->o.client_key ? a->o.client_key : "", why[0] ? why : curl_easy_strerror(rc));
    else if (rc == CURLE_BAD_CONTENT_ENCODING)
        ap__err(err, AP_ENET, uri, "the compressed body is corrupt: %s", why[0] ? why : curl_easy_strerror(rc));
    else if (rc != CURLE_OK)
        /* curl's own sentence says why (e.g. "self-signed certificate"),
         * as the curl tool prints it */
        ap__err(err, AP_ENET, uri, "%s%s%s%s", curl_easy_strerror(rc), why[0] ? ": " : "", why,
                rc == CURLE_PARTIAL_FILE ? " (the answer was cut short)"
                : rc == CURLE_OUT_OF_MEMORY ? " (curl refuses a response header over its 100 KB "
                  "limit this way)" : "");
    else if (status == 403 && !a->o.client_cert && !strncmp(uri, "https://", 8))
        ap__err(err, AP_ENET, uri, "HTTP 403 (forbidden): the server may want a client certificate "
                "(--cert/--key, or alto.cert/alto.key in the problem file)");
    else if (status == 401)
        ap__err(err, AP_ENET, uri, "HTTP 401: the server wants credentials (ALTOPLACE_ALTO_AUTH or an auth file)");
    else
        ap__err(err, AP_ENET, uri, "HTTP %ld", status);
}

char *ap__uri_resolve(const char *base, const char *uri)
{
    CURLU *u = curl_url();
    char *out = NULL, *r = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_URL, uri, 0) == CURLUE_OK && curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
        r = ap__strdup(out);
    curl_free(out);
    curl_url_cleanup(u);
    return r;
}

/* Whether a failed fetch may succeed if tried again: connection trouble,
 * a cut answer, 5xx. */
static int transient(CURLcode rc, long status)
{
    return rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_RECV_ERROR ||
           rc == CURLE_GOT_NOTHING || rc == CURLE_PARTIAL_FILE || (rc == CURLE_OK && status >= 500);
}

/* The pause before retry number attempt + 1: what Retry-After said, else
 * 0.2 s doubling, never more than the timeout. */
static void retry_pause(const ap_alto *a, double retry_after, int attempt)
{
    struct timespec ts;
    double wait = retry_after > 0 ? retry_after : ldexp(0.2, attempt < 60 ? attempt : 60);
    if (wait > a->o.timeout)
        wait = a->o.timeout;
    ts.tv_sec = (time_t)wait;
    ts.tv_nsec = (long)((wait - floor(wait)) * 1e9);
    nanosleep(&ts, NULL);
}

char *ap__alto_fetch(ap_alto *a, const char *uri, const char *type, const char *post, const char *post_type,
                     size_t *len, ap_error *err)
{
    int attempt;
    json_t *cmeta = NULL;
    size_t clen = 0;
    char *cached = post ? NULL : cache_get(a, uri, &cmeta, &clen);
    a->last_age = NAN;
    for (attempt = 0;; attempt++) {
        body b;
        struct curl_slist *h;
        char why[CURL_ERROR_SIZE];
        CURLcode rc;
        long status = 0;
        char *ct = NULL;
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
        curl_easy_setopt(a->curl, CURLOPT_TIMEOUT_MS, ms_of(a->o.timeout));
        why[0] = '\0';
        curl_easy_setopt(a->curl, CURLOPT_ERRORBUFFER, why);
        rc = curl_easy_perform(a->curl);
        curl_easy_setopt(a->curl, CURLOPT_ERRORBUFFER, NULL); /* `why` lives on this stack frame */
        ap__alto_headers_free(h);
        curl_easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(a->curl, CURLINFO_CONTENT_TYPE, &ct);
        {
            double t = 0;
            char st[32];
            snprintf(st, sizeof st, "HTTP %ld", status);
            curl_easy_getinfo(a->curl, CURLINFO_TOTAL_TIME, &t);
            ap__logf(a->o.log, a->o.log_ud, AP_LOG_INFO, "%s %s: %s, %zu bytes in %.3f s%s", post ? "POST" : "GET",
                     uri, rc == CURLE_OK ? st : curl_easy_strerror(rc), b.len, t, attempt ? " (retry)" : "");
        }
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
            if (check_media(a, uri, type, ct, &b, err)) {
                free(b.buf);
                free(cached);
                json_decref(cmeta);
                return NULL;
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
        if (attempt < a->o.retries && transient(rc, status)) {
            retry_pause(a, b.retry_after, attempt);
            free(b.buf);
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
        fetch_error(a, uri, rc, status, why, err);
        return NULL;
    }
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
    origin_of(ird_uri, a->origin, sizeof a->origin);
    if (ap__ird_load(a, ird_uri, 0, err)) {
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
    ap__secret_free(a->secret);
    free(a);
}

char *ap__alto_post(ap_alto *a, json_t *r, json_t *req, const char *type, const char *req_type, size_t *len,
                    ap_error *err)
{
    char *text = req ? json_dumps(req, JSON_COMPACT) : NULL, *buf;
    json_decref(req);
    if (!text) {
        ap__err(err, AP_ENOMEM, a->ird_uri, "out of memory");
        return NULL;
    }
    buf = ap__alto_fetch(a, json_string_value(json_object_get(r, "uri")), type, text, req_type, len, err);
    free(text);
    return buf;
}

json_t *ap__alto_post_object(ap_alto *a, json_t *r, json_t *req, const char *type, const char *req_type,
                             ap_error *err)
{
    size_t len;
    char *buf = ap__alto_post(a, r, req, type, req_type, &len, err);
    json_t *j = buf ? ap__json_parse_object(buf, len, json_string_value(json_object_get(r, "uri")), err) : NULL;
    free(buf);
    return j;
}


const char *ap_alto_uri(const ap_alto *a) { return a ? a->ird_uri : NULL; }

double ap_alto_last_age(const ap_alto *a) { return a ? a->last_age : NAN; }

const ap_alto_opts *ap__alto_opts(ap_alto *a) { return &a->o; }
