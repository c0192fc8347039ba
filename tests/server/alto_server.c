/* alto_server.c - a small ALTO server for the tests (libmicrohttpd).
 *
 *   alto-test-server DIR [MODE [CERT.pem KEY.pem [CLIENT-CA.pem]]]
 *
 * With a certificate and key it speaks https; with a client CA too, every
 * request must present a client certificate signed by it (else 403).
 * Lines of media.txt whose file starts with '@' are POST services
 * (services.c): @filtered-costmap, @endpoint-cost, @updates (SSE).
 *
 * Serves the files listed in DIR/media.txt ("URL-PATH FILE MEDIA-TYPE" per
 * line) on 127.0.0.1 at a free port, which it prints on standard output;
 * "{{BASE}}" in a file becomes http://127.0.0.1:PORT.  The first line is
 * the directory, always served as is; MODE changes every other answer:
 *   ok           as listed
 *   status500    HTTP 500, text/plain
 *   alto-error   HTTP 400 with an application/alto-error+json body
 *   wrong-media  the right body under application/json
 *   slow         waits 3 s before answering
 *   truncated    announces the full length, sends half, closes
 *   oversized    2 MiB of spaces after the body
 *   retry        503 with Retry-After: 1 on the first request of each path
 *   auth         every answer (directory included) needs
 *                "Authorization: Bearer s3cret", else 401
 *   python       the body as a JSON string holding a Python-literal dict
 *                (single quotes), under application/json
 *   churn        the network map's vtag changes on every request (content
 *                does not)
 *   sse-broken   the update stream's first merge patch is malformed JSON
 *   sse-cut      the update stream breaks off after its last event
 *   sse-jsonpatch  a JSON patch (RFC 6902) follows the merge patches
 *   sse-garbage  4 KiB of noise follow the patches, then the stream ends
 *   tips-jsonpatch, tips-closed, tips-gone  TIPS (RFC 9569) faults: tips.c
 *   slowloris    the body at one byte every 0.3 s (against the total timeout)
 *   endless      the body, then spaces without end, no Content-Length
 *                (against the size cap)
 *   redirect-loop  302 to the same path, for ever
 *   redirect-file  302 to file:///etc/passwd
 *   redirect-ftp   302 to ftp://127.0.0.1/x
 *   huge-header  a 200 KB response header before the body
 *   auth-other   as auth, and the directory names its resources at
 *                http://localhost:PORT (another origin than 127.0.0.1)
 *   gzip         the body gzip-compressed (Content-Encoding: gzip)
 *   gzip-bomb    gzip of the body and 64 MiB of spaces (about 64 KB sent)
 *   gzip-corrupt gzip with bytes in the middle of the stream overwritten
 *   short-length Content-Length and body cut to half the document
 *   reset        a status line, headers and a few bytes, then a TCP reset
 *   long-length  Content-Length: half the body, then the whole body (a lie
 *                the other way round from truncated), written by hand
 *   json-dupkey, json-badutf8, json-1e309, json-nan, json-minus0
 *                hostile JSON edited into the maps (edit_json below)
 * Every 200 answer carries an ETag; a matching If-None-Match gets 304.
 * With ALTO_TEST_POST_LOG=FILE in the environment, every POST body is
 * appended to FILE (service name, body).  It runs until killed. */
#include "server.h"
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <zlib.h>
#include <time.h>
#include <unistd.h>

entry ents[64];
int nent;
const char *mode = "ok";
char base[64];
const char *fixture_dir;
static int want_client_cert;

static char *slurp_file(const char *file)
{
    FILE *f = fopen(file, "rb");
    char *b;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b)
        b[n] = '\0';
    fclose(f);
    return b;
}

char *load(const char *file, size_t *len)
{
    char *b = slurp_file(file), *out, *p, other[64];
    const char *sub = base;
    size_t n, blen, cap, o = 0;
    if (!strcmp(mode, "auth-other") && nent > 0 && !strcmp(file, ents[0].file)) {
        /* the directory names the resources at another origin */
        snprintf(other, sizeof other, "http://localhost%s", strrchr(base, ':'));
        sub = other;
    }
    blen = strlen(sub);
    if (!b)
        return NULL;
    n = strlen(b);
    cap = n * 2 + 64;
    out = malloc(cap);
    for (p = b; *p;) {
        if (!strncmp(p, "{{BASE}}", 8)) {
            if (o + blen + 1 > cap)
                out = realloc(out, cap = cap * 2 + blen);
            memcpy(out + o, sub, blen);
            o += blen;
            p += 8;
        } else {
            if (o + 2 > cap)
                out = realloc(out, cap *= 2);
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    free(b);
    *len = o;
    return out;
}

typedef struct {
    char *data;
    size_t len, sent;
} half;

static ssize_t half_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    half *h = cls;
    size_t n;
    if (pos >= h->len / 2)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    n = h->len / 2 - (size_t)pos;
    if (n > max)
        n = max;
    memcpy(buf, h->data + pos, n);
    return (ssize_t)n;
}

/* slowloris: one byte per call, 0.3 s apart */
static ssize_t slow_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    half *h = cls;
    struct timespec ts = {0, 300000000L};
    (void)max;
    if (pos >= h->len)
        return MHD_CONTENT_READER_END_OF_STREAM;
    nanosleep(&ts, NULL);
    buf[0] = h->data[pos];
    return 1;
}

/* endless: the body, then spaces for ever */
static ssize_t endless_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    half *h = cls;
    size_t n = 0;
    while (n < max && pos + n < h->len) {
        buf[n] = h->data[pos + n];
        n++;
    }
    if (n < max) {
        memset(buf + n, ' ', max - n);
        n = max;
    }
    return (ssize_t)n;
}

static void half_free(void *cls)
{
    half *h = cls;
    free(h->data);
    free(h);
}

/* gzip of data followed by `pad` spaces (a compression bomb when pad is
 * large); *n gets its length. */
static char *gzip_of(const char *data, size_t len, size_t pad, size_t *n)
{
    z_stream z;
    static char spaces[65536];
    size_t cap = len + pad / 500 + 65536, left = pad;
    char *out = malloc(cap);
    memset(&z, 0, sizeof z);
    memset(spaces, ' ', sizeof spaces);
    if (!out || deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(out);
        return NULL;
    }
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    deflate(&z, left ? Z_NO_FLUSH : Z_FINISH);
    while (left) {
        size_t k = left < sizeof spaces ? left : sizeof spaces;
        left -= k;
        z.next_in = (Bytef *)spaces;
        z.avail_in = (uInt)k;
        deflate(&z, left ? Z_NO_FLUSH : Z_FINISH);
    }
    *n = z.total_out;
    deflateEnd(&z);
    return out;
}

/* the gzip modes: a valid stream, a bomb, or a corrupt stream */
static enum MHD_Result reply_gzip(struct MHD_Connection *c, const char *type, const char *body, size_t len)
{
    size_t n = 0;
    char *z = gzip_of(body, len, !strcmp(mode, "gzip-bomb") ? (size_t)64 << 20 : 0, &n);
    struct MHD_Response *r;
    enum MHD_Result rc;
    if (!z)
        return MHD_NO;
    if (!strcmp(mode, "gzip-corrupt") && n > 40)
        memset(z + n / 2, 0xff, 16);
    r = MHD_create_response_from_buffer(n, z, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Content-Encoding", "gzip");
    rc = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return rc;
}

/* reset: a response begun by hand on the socket, then an RST (SO_LINGER 0)
 * as MHD closes the connection */
static enum MHD_Result reply_reset(struct MHD_Connection *c, const char *type)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    char head[300];
    struct linger lg = {1, 0};
    int k;
    if (!ci)
        return MHD_NO;
    k = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: 5000\r\n\r\n"
                 "{\"meta\": {", type);
    if (write(ci->connect_fd, head, (size_t)k) < 0)
        return MHD_NO;
    setsockopt(ci->connect_fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    return MHD_NO;
}

/* the json-* modes: one edit of the first occurrence of `from` */
static const struct { const char *mode, *from, *to; } EDITS[] = {
    {"json-dupkey", "\"network-map\":{", "\"network-map\":{\"A\":{\"ipv4\":[\"192.0.2.0/24\"]},"},
    {"json-badutf8", "\"network-map\":{", "\"network-map\":{\"P\xff\xfe\":{\"ipv4\":[\"192.0.2.0/24\"]},"},
    {"json-1e309", "\"A\":{\"A\":0,\"B\":1,", "\"A\":{\"A\":0,\"B\":1e309,"},
    {"json-nan", "\"A\":{\"A\":0,\"B\":1,", "\"A\":{\"A\":0,\"B\":NaN,"},
    {"json-minus0", "\"A\":{\"A\":0,", "\"A\":{\"A\":-0,"},
};

/* body with the edit of this mode applied (new string), or NULL when the
 * mode edits nothing in it */
static char *edit_json(const char *body, size_t len, size_t *n)
{
    size_t k;
    for (k = 0; k < sizeof EDITS / sizeof *EDITS; k++) {
        const char *at;
        char *out;
        size_t fl = strlen(EDITS[k].from), tl = strlen(EDITS[k].to);
        if (strcmp(mode, EDITS[k].mode) || !(at = strstr(body, EDITS[k].from)) || !(out = malloc(len + tl + 1)))
            continue;
        memcpy(out, body, (size_t)(at - body));
        memcpy(out + (at - body), EDITS[k].to, tl);
        memcpy(out + (at - body) + tl, at + fl, len - (size_t)(at - body) - fl + 1);
        *n = len - fl + tl;
        return out;
    }
    return NULL;
}

/* long-length: a response written by hand whose Content-Length is half the
 * body, then the whole body, then the connection closed */
static enum MHD_Result reply_long(struct MHD_Connection *c, const char *type, const char *body, size_t len)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    char head[300];
    int k;
    if (!ci)
        return MHD_NO;
    k = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                 "Connection: close\r\n\r\n", type, len / 2);
    if (write(ci->connect_fd, head, (size_t)k) < 0 || write(ci->connect_fd, body, len) < 0)
        return MHD_NO;
    return MHD_NO;
}

enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type, const char *body, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
    enum MHD_Result rc;
    char tag[64];
    MHD_add_response_header(r, "Content-Type", type);
    if (code == 200) {
        snprintf(tag, sizeof tag, "\"%zu\"", len);
        MHD_add_response_header(r, "ETag", tag);
    }
    rc = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return rc;
}

typedef struct {
    char *buf;
    size_t len;
} upload;

static void completed(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_RequestTerminationCode t)
{
    upload *u = *ctx;
    (void)cls, (void)c, (void)t;
    if (u)
        free(u->buf);
    free(u);
    *ctx = NULL;
}

/* Whether the TLS peer presented a certificate that the trusted CA signed. */
static int client_cert_ok(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    gnutls_session_t s;
    unsigned status = 0, n = 0;
    if (!ci || !(s = (gnutls_session_t)ci->tls_session))
        return 0;
    if (!gnutls_certificate_get_peers(s, &n) || n == 0)
        return 0;
    return gnutls_certificate_verify_peers2(s, &status) == 0 && status == 0;
}

/* The faults of the transport: bodies cut, slowed, endless, compressed,
 * edited, lied about or reset; redirects.  Takes body over. */
static enum MHD_Result transport_reply(struct MHD_Connection *c, entry *e, const char *url, char *body, size_t len)
{
    enum MHD_Result rc;
    if (!strcmp(mode, "truncated")) {
        half *h = malloc(sizeof *h);
        struct MHD_Response *r;
        h->data = body;
        h->len = len;
        h->sent = 0;
        r = MHD_create_response_from_callback(len, 4096, half_reader, h, half_free);
        MHD_add_response_header(r, "Content-Type", e->type);
        rc = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (!strcmp(mode, "slowloris") || !strcmp(mode, "endless")) {
        half *h = malloc(sizeof *h);
        struct MHD_Response *r;
        int slow = !strcmp(mode, "slowloris");
        h->data = body;
        h->len = len;
        h->sent = 0;
        r = MHD_create_response_from_callback(slow ? len : MHD_SIZE_UNKNOWN, slow ? 1 : 4096,
                                              slow ? slow_reader : endless_reader, h, half_free);
        MHD_add_response_header(r, "Content-Type", e->type);
        rc = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return rc;
    }
    if (!strncmp(mode, "redirect-", 9)) {
        struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        char loc[700];
        if (!strcmp(mode, "redirect-loop"))
            snprintf(loc, sizeof loc, "%s%s", base, url);
        else
            snprintf(loc, sizeof loc, "%s", !strcmp(mode, "redirect-file") ? "file:///etc/passwd"
                                                                            : "ftp://127.0.0.1/x");
        MHD_add_response_header(r, "Location", loc);
        rc = MHD_queue_response(c, 302, r);
        MHD_destroy_response(r);
        free(body);
        return rc;
    }
    if (!strcmp(mode, "huge-header")) {
        struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_COPY);
        char *v = malloc(200001);
        memset(v, 'x', 200000);
        v[200000] = '\0';
        MHD_add_response_header(r, "Content-Type", e->type);
        MHD_add_response_header(r, "X-Padding", v);
        rc = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        free(v);
        free(body);
        return rc;
    }
    if (!strncmp(mode, "gzip", 4)) {
        rc = reply_gzip(c, e->type, body, len);
        free(body);
        return rc;
    }
    if (!strncmp(mode, "json-", 5)) {
        size_t n;
        char *ed = edit_json(body, len, &n);
        if (ed) {
            free(body);
            body = ed;
            len = n;
        }
    }
    if (!strcmp(mode, "long-length")) {
        rc = reply_long(c, e->type, body, len);
        free(body);
        return rc;
    }
    if (!strcmp(mode, "reset")) {
        free(body);
        return reply_reset(c, e->type);
    }
    if (!strcmp(mode, "short-length")) {
        rc = reply(c, 200, e->type, body, len / 2);
        free(body);
        return rc;
    }
    if (!strcmp(mode, "oversized")) {
        size_t big = len + (2u << 20);
        char *b2 = malloc(big);
        memcpy(b2, body, len);
        memset(b2 + len, ' ', big - len);
        rc = reply(c, 200, e->type, b2, big);
        free(b2);
        free(body);
        return rc;
    }
    rc = reply(c, 200, e->type, body, len);
    free(body);
    return rc;
}

/* An answer in the fault mode of the command line (every resource but
 * the directory): status and content faults here, the transport's in
 * transport_reply.  Takes body over. */
static enum MHD_Result fault_reply(struct MHD_Connection *c, entry *e, const char *url, char *body, size_t len)
{
    enum MHD_Result rc;
    if (!strcmp(mode, "status500")) {
        free(body);
        return reply(c, 500, "text/plain", "internal error\n", 15);
    }
    if (!strcmp(mode, "alto-error")) {
        static const char err[] = "{\"meta\": {\"code\": \"E_INVALID_FIELD_VALUE\", "
                                  "\"field\": \"cost-type/cost-metric\", \"value\": \"foo\"}}";
        free(body);
        return reply(c, 400, "application/alto-error+json", err, sizeof err - 1);
    }
    if (!strcmp(mode, "python")) {
        /* {"a": 1} -> "{'a': 1}" as a JSON string */
        char *py = malloc(len * 2 + 8);
        size_t k, o = 0;
        py[o++] = '"';
        for (k = 0; k < len; k++) {
            if (body[k] == '\n')
                continue;
            py[o++] = body[k] == '"' ? '\'' : body[k];
        }
        py[o++] = '"';
        rc = reply(c, 200, "application/json", py, o);
        free(py);
        free(body);
        return rc;
    }
    if (!strcmp(mode, "churn") && strstr(e->type, "networkmap")) {
        char *t = strstr(body, "\"v1\"");
        if (t) {
            char *nb = malloc(len + 32);
            size_t pre = (size_t)(t - body);
            int w;
            memcpy(nb, body, pre);
            w = sprintf(nb + pre, "\"v1-%d\"", e->hits);
            strcpy(nb + pre + w, t + 4);
            rc = reply(c, 200, e->type, nb, strlen(nb));
            free(nb);
            free(body);
            return rc;
        }
    }
    if (!strcmp(mode, "wrong-media")) {
        rc = reply(c, 200, "application/json", body, len);
        free(body);
        return rc;
    }
    if (!strcmp(mode, "slow")) {
        struct timespec ts = {3, 0};
        nanosleep(&ts, NULL);
    }
    if (!strcmp(mode, "retry") && e->hits == 1) {
        struct MHD_Response *r = MHD_create_response_from_buffer(5, (void *)"busy\n", MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "Retry-After", "1");
        MHD_add_response_header(r, "Content-Type", "text/plain");
        rc = MHD_queue_response(c, 503, r);
        MHD_destroy_response(r);
        free(body);
        return rc;
    }
    return transport_reply(c, e, url, body, len);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *data, size_t *size, void **ctx)
{
    int i;
    entry *e = NULL;
    char *body;
    size_t len;
    enum MHD_Result rc;
    upload *u = *ctx;
    (void)cls, (void)version;
    if (!u) { /* first call: headers only */
        *ctx = calloc(1, sizeof(upload));
        return *ctx ? MHD_YES : MHD_NO;
    }
    if (*size) { /* a piece of the request body */
        char *nb = realloc(u->buf, u->len + *size + 1);
        if (!nb)
            return MHD_NO;
        memcpy(nb + u->len, data, *size);
        u->len += *size;
        nb[u->len] = '\0';
        u->buf = nb;
        *size = 0;
        return MHD_YES;
    }
    if (want_client_cert && !client_cert_ok(c))
        return reply(c, 403, "text/plain", "client certificate required\n", 28);
    if (!strncmp(url, "/tips/view/", 11))
        return tips_view(c, url, method);
    for (i = 0; i < nent; i++)
        if (!strcmp(ents[i].path, url))
            e = &ents[i];
    if (!e)
        return reply(c, 404, "text/plain", "not found\n", 10);
    if (e->file[strlen(fixture_dir) + 1] == '@')
        return service(c, e->file + strlen(fixture_dir) + 1, method, u->buf, u->len);
    if (!strcmp(mode, "auth") || !strcmp(mode, "auth-other")) {
        const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
        if (!h || strcmp(h, "Bearer s3cret"))
            return reply(c, 401, "text/plain", "who are you?\n", 13);
    }
    body = load(e->file, &len);
    if (!body)
        return reply(c, 500, "text/plain", "fixture missing\n", 16);
    e->hits++;
    {
        char tag[64];
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
        snprintf(tag, sizeof tag, "\"%zu\"", len);
        if (inm && !strcmp(inm, tag)) {
            struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
            MHD_add_response_header(r, "ETag", tag);
            rc = MHD_queue_response(c, 304, r);
            MHD_destroy_response(r);
            free(body);
            return rc;
        }
    }
    if (e != &ents[0] && strcmp(mode, "ok"))
        return fault_reply(c, e, url, body, len);
    rc = reply(c, 200, e->type, body, len);
    free(body);
    return rc;
}

int main(int argc, char **argv)
{
    char path[600], line[1200];
    FILE *f;
    struct MHD_Daemon *d;
    struct sockaddr_in sa;
    const union MHD_DaemonInfo *info;
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [MODE]\n", argv[0]);
        return 2;
    }
    if (argc > 2)
        mode = argv[2];
    fixture_dir = argv[1];
    snprintf(path, sizeof path, "%s/media.txt", argv[1]);
    f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 2;
    }
    while (nent < 64 && fgets(line, sizeof line, f)) {
        char file[256];
        if (sscanf(line, "%255s %255s %127s", ents[nent].path, file, ents[nent].type) == 3) {
            snprintf(ents[nent].file, sizeof ents[nent].file, "%s/%s", argv[1], file);
            nent++;
        }
    }
    fclose(f);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    if (argc > 4) {
        char *cert = slurp_file(argv[3]), *key = slurp_file(argv[4]);
        if (!cert || !key) {
            fprintf(stderr, "cannot read %s or %s\n", argv[3], argv[4]);
            return 2;
        }
        char *ca = argc > 5 ? slurp_file(argv[5]) : NULL;
        if (argc > 5 && !ca) {
            fprintf(stderr, "cannot read %s\n", argv[5]);
            return 2;
        }
        want_client_cert = ca != NULL;
        if (ca)
            d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_TLS,
                                 0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_HTTPS_MEM_CERT, cert,
                                 MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_HTTPS_MEM_TRUST, ca, MHD_OPTION_END);
        else
            d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_TLS,
                                 0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_HTTPS_MEM_CERT, cert,
                                 MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
    } else {
        d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL,
                             handle, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                             MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(1u << 20), MHD_OPTION_END);
    }
    if (!d) {
        fprintf(stderr, "cannot start the server\n");
        return 1;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(base, sizeof base, "%s://127.0.0.1:%u", argc > 4 ? "https" : "http", (unsigned)info->port);
    printf("%u\n", (unsigned)info->port);
    fflush(stdout);
    for (;;)
        pause();
}
