/* stream.c - ALTO incremental updates over Server-Sent Events (RFC 8895): one
 * update stream subscribed to a network map and a cost map; full
 * replacements, JSON merge patches (RFC 7396) and JSON patches (RFC 6902:
 * add, replace, remove) are applied as they come;
 * the caller asks which maps changed.  Without an SSE update stream that
 * covers both maps, the same calls use TIPS views (tips.c). */
#include "client_int.h"

#include <curl/curl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { SUB_NM, SUB_CM, NSUB };
static const char *const SUB_ID[NSUB] = {"nm", "cm"};
static const char *const SUB_TYPE[NSUB] = {"application/alto-networkmap+json", "application/alto-costmap+json"};

struct ap_alto_stream {
    ap_alto *a;
    CURLM *multi;
    CURL *easy;
    struct curl_slist *hdr;
    char *uri, *post;
    char *rid[NSUB];
    json_t *doc[NSUB];
    char *raw;            /* bytes not yet split into lines */
    size_t rlen, rcap;
    size_t rscan;         /* raw[0..rscan) holds no line end: not scanned again */
    char ev[256];         /* event field of the event being read */
    char *data;           /* its data lines, joined with newlines */
    size_t dlen, dcap;
    unsigned changed;
    long events;
    int started, done, failed, http_ok;
    long status;
    CURLcode result;
    ap_error perr;        /* why the stream failed */
    ap__tips *tips;       /* TIPS views (RFC 9569) instead of SSE, or NULL */
    char control[512];    /* control URI the server gave */
};

/* The size limit of one event and of the unread bytes. */
static size_t max_bytes(const ap_alto_stream *s)
{
    return s->a ? ap__alto_opts(s->a)->max_bytes : (size_t)256 << 20;
}

/* Records why the stream failed (the first reason wins). */
static void fail(ap_alto_stream *s, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(ap_alto_stream *s, int code, const char *fmt, ...)
{
    va_list ap;
    if (s->failed)
        return;
    s->failed = 1;
    va_start(ap, fmt);
    ap__verr(&s->perr, code, s->uri, fmt, ap);
    va_end(ap);
}

int ap__update_apply(json_t **doc, const char *type, const char *full_type, json_t *j, char *why, size_t n)
{
    if (!strcmp(type, "application/merge-patch+json")) {
        json_t *m;
        if (!*doc) {
            json_decref(j);
            snprintf(why, n, "a merge patch came before the full map");
            return AP_EFORMAT;
        }
        m = ap__merge_patch(*doc, j);
        json_decref(j);
        if (!m) {
            snprintf(why, n, "out of memory");
            return AP_ENOMEM;
        }
        json_decref(*doc);
        *doc = m;
    } else if (!strcmp(type, "application/json-patch+json")) {
        json_t *copy = *doc ? json_deep_copy(*doc) : NULL;
        if (!copy || ap__json_patch(copy, j)) {
            json_decref(copy);
            json_decref(j);
            snprintf(why, n, "a JSON patch does not apply%s",
                     *doc ? " (unsupported operation or missing path)" : " (no full map yet)");
            return AP_EFORMAT;
        }
        json_decref(j);
        json_decref(*doc);
        *doc = copy;
    } else if (!strcmp(type, full_type)) {
        json_decref(*doc);
        *doc = j;
    } else {
        json_decref(j);
        snprintf(why, n, "media type %s: expected %s, application/merge-patch+json or application/json-patch+json",
                 type, full_type);
        return AP_EFORMAT;
    }
    return 0;
}

/* One complete event (RFC 8895 5: "event: MEDIA-TYPE[,SUBSTREAM-ID]"). */
static void dispatch(ap_alto_stream *s)
{
    char type[256], *comma;
    const char *sub = NULL;
    json_error_t je;
    json_t *j;
    int k = -1, i;
    if (!s->dlen) { /* no data lines: nothing to dispatch (SSE) */
        s->ev[0] = '\0';
        return;
    }
    snprintf(type, sizeof type, "%s", s->ev[0] ? s->ev : "message");
    if (s->dlen && s->data[s->dlen - 1] == '\n')
        s->data[--s->dlen] = '\0';
    if ((comma = strchr(type, ','))) {
        *comma = '\0';
        sub = comma + 1;
    }
    {
        int oom;
        j = ap__json_loadb(s->data ? s->data : "", s->dlen, JSON_REJECT_DUPLICATES, &je, &oom);
        if (!j) {
            char where[300];
            snprintf(where, sizeof where, "%s%s%s", type, sub ? "," : "", sub ? sub : "");
            if (oom)
                fail(s, AP_ENOMEM, "update stream event %s: out of memory", where);
            else
                fail(s, AP_ESYNTAX, "update stream event %s: data is not JSON (%s)", where, je.text);
            goto out;
        }
    }
    if (!strcmp(type, "application/alto-updatestreamcontrol+json")) {
        json_t *rm = json_object_get(j, "remove"), *e;
        size_t x;
        const char *cu = json_string_value(json_object_get(j, "control-uri"));
        if (cu)
            snprintf(s->control, sizeof s->control, "%s", cu);
        json_array_foreach(rm, x, e)
            for (i = 0; i < NSUB; i++)
                if (json_is_string(e) && !strcmp(json_string_value(e), SUB_ID[i]))
                    fail(s, AP_ENET, "the server ended substream %s of the update stream", SUB_ID[i]);
        json_decref(j);
        goto out;
    }
    for (i = 0; sub && i < NSUB; i++)
        if (!strcmp(sub, SUB_ID[i]))
            k = i;
    if (k < 0) {
        fail(s, AP_EFORMAT, "update stream event for unknown substream \"%s\"", sub ? sub : "(none)");
        json_decref(j);
        goto out;
    }
    {
        char why[300];
        int code = ap__update_apply(&s->doc[k], type, SUB_TYPE[k], j, why, sizeof why);
        if (code) {
            fail(s, code, "update stream substream %s: %s", SUB_ID[k], why);
            goto out;
        }
    }
    s->changed |= 1u << k;
    s->events++;
out:
    s->ev[0] = '\0';
    s->dlen = 0;
    if (s->data)
        s->data[0] = '\0';
}

static int add_data(ap_alto_stream *s, const char *p, size_t n)
{
    char *nd = ap__grow(s->data, &s->dcap, s->dlen + n + 2, 1, 4096, max_bytes(s) + 4096);
    if (!nd)
        return -1;
    s->data = nd;
    memcpy(s->data + s->dlen, p, n);
    s->dlen += n;
    s->data[s->dlen++] = '\n';
    s->data[s->dlen] = '\0';
    return 0;
}

/* Splits the received bytes into lines (LF, CRLF or CR) and events. */
static void lines(ap_alto_stream *s)
{
    size_t start = 0, i;
    /* bytes already scanned are not scanned again: a long line arriving in
     * many chunks costs linear time, not quadratic */
    for (i = s->rscan; i < s->rlen && !s->failed; i++) {
        char *l = s->raw + start;
        size_t n;
        if (s->raw[i] != '\n' && s->raw[i] != '\r')
            continue;
        if (s->raw[i] == '\r' && i + 1 == s->rlen)
            break; /* may be the CR of a CRLF not yet received */
        n = i - start;
        if (n == 0) {
            dispatch(s);
        } else if (n >= 5 && !strncmp(l, "data:", 5)) {
            size_t off = 5 + (n > 5 && l[5] == ' ');
            if (add_data(s, l + off, n - off))
                fail(s, AP_ENET, "an update stream event larger than the size limit");
        } else if (n >= 6 && !strncmp(l, "event:", 6)) {
            size_t off = 6 + (n > 6 && l[6] == ' ');
            snprintf(s->ev, sizeof s->ev, "%.*s", (int)(n - off), l + off);
        } /* id:, retry: and ":" comments are not used */
        if (s->raw[i] == '\r' && i + 1 < s->rlen && s->raw[i + 1] == '\n')
            i++;
        start = i + 1;
    }
    s->rscan = (i < s->rlen ? i : s->rlen) - start;
    memmove(s->raw, s->raw + start, s->rlen - start);
    s->rlen -= start;
}

static size_t on_bytes(char *ptr, size_t size, size_t n, void *ud)
{
    ap_alto_stream *s = ud;
    size_t add = size * n;
    char *nb;
    if (!s->started) {
        char *ct = NULL;
        s->started = 1;
        curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &s->status);
        curl_easy_getinfo(s->easy, CURLINFO_CONTENT_TYPE, &ct);
        s->http_ok = s->status == 200 && ct && !strncasecmp(ct, "text/event-stream", 17);
    }
    nb = ap__grow(s->raw, &s->rcap, s->rlen + add + 1, 1, 8192, max_bytes(s) + 8192);
    if (!nb)
        return 0;
    s->raw = nb;
    memcpy(s->raw + s->rlen, ptr, add);
    s->rlen += add;
    s->raw[s->rlen] = '\0';
    if (s->http_ok)
        lines(s);
    return s->failed ? 0 : add;
}

void ap_alto_stream_free(ap_alto_stream *s)
{
    int i;
    if (!s)
        return;
    ap__tips_close(s->tips);
    if (s->multi && s->easy)
        curl_multi_remove_handle(s->multi, s->easy);
    if (s->easy)
        curl_easy_cleanup(s->easy);
    if (s->multi)
        curl_multi_cleanup(s->multi);
    ap__alto_headers_free(s->hdr);
    for (i = 0; i < NSUB; i++) {
        json_decref(s->doc[i]);
        free(s->rid[i]);
    }
    free(s->uri);
    free(s->post);
    free(s->raw);
    free(s->data);
    free(s);
}

/* Runs the transfer for up to `timeout` seconds or until something changed
 * or the stream failed or ended. */
static void pump(ap_alto_stream *s, double timeout)
{
    double end = ap__now() + timeout;
    for (;;) {
        int running = 0, left;
        CURLMsg *m;
        double rest;
        curl_multi_perform(s->multi, &running);
        while ((m = curl_multi_info_read(s->multi, &left)))
            if (m->msg == CURLMSG_DONE) {
                s->done = 1;
                s->result = m->data.result;
            }
        if (s->changed || s->failed || s->done)
            return;
        rest = end - ap__now();
        if (rest <= 0)
            return;
        curl_multi_poll(s->multi, NULL, 0, (int)(rest * 1000) + 1, NULL);
    }
}

/* Why the transfer ended, as an error. */
static void ended(ap_alto_stream *s, ap_error *err)
{
    if (s->failed) {
        if (err)
            *err = s->perr;
        return;
    }
    if (s->started && !s->http_ok) {
        if (s->status >= 400 && s->raw)
            ap__err(err, AP_ENET, s->uri, "HTTP %ld when subscribing to the update stream: %.200s", s->status, s->raw);
        else
            ap__err(err, AP_ENET, s->uri, "HTTP %ld, not an event stream (text/event-stream)", s->status);
    } else if (s->result != CURLE_OK) {
        ap__err(err, AP_ENET, s->uri, "the update stream broke off: %s", curl_easy_strerror(s->result));
    } else {
        ap__err(err, AP_ENET, s->uri, "the server closed the update stream");
    }
}

/* The first TIPS resource of the directory (RFC 9569 4) that uses both
 * maps and whose incremental-change-media-types for them are all ones this
 * client applies (4.2: else it must not be used; why says which was
 * skipped). */
static json_t *find_tips(ap_alto *a, const char *nm_rid, const char *cm_rid, char *why, size_t n)
{
    json_t *res = json_object_get(ap__alto_ird(a), "resources"), *r;
    const char *id;
    json_object_foreach(res, id, r) {
        const char *mt = json_string_value(json_object_get(r, "media-type"));
        const char *acc = json_string_value(json_object_get(r, "accepts"));
        json_t *types = json_object_get(json_object_get(r, "capabilities"), "incremental-change-media-types");
        const char *rids[2] = {nm_rid, cm_rid};
        int k, ok = 1;
        if (!mt || strcmp(mt, "application/alto-tips+json") || !acc ||
            strncmp(acc, "application/alto-tipsparams+json", 32) || !ap__alto_uses(r, nm_rid) ||
            !ap__alto_uses(r, cm_rid))
            continue;
        for (k = 0; k < 2 && ok; k++) {
            const char *t = json_string_value(json_object_get(types, rids[k]));
            while (t && *t && ok) {
                size_t l = strcspn(t, ",");
                while (l && t[l - 1] == ' ')
                    l--;
                if (!(l == 28 && !strncmp(t, "application/merge-patch+json", 28)) &&
                    !(l == 27 && !strncmp(t, "application/json-patch+json", 27))) {
                    snprintf(why, n, "TIPS %s announces incremental media type %.*s for %s, which this client "
                             "cannot apply", id, (int)l, t, rids[k]);
                    ok = 0;
                }
                t += strcspn(t, ",");
                while (*t == ',' || *t == ' ')
                    t++;
            }
        }
        if (ok)
            return r;
    }
    return NULL;
}

/* The stream as TIPS views of the two maps at TIPS resource r. */
static ap_alto_stream *open_tips(ap_alto *a, json_t *r, const char *nm_rid, const char *cm_rid, ap_error *err)
{
    ap_alto_stream *s = calloc(1, sizeof *s);
    const char *uri = json_string_value(json_object_get(r, "uri"));
    if (!s || !uri || !(s->uri = ap__strdup(uri)) || !(s->rid[SUB_NM] = ap__strdup(nm_rid)) ||
        !(s->rid[SUB_CM] = ap__strdup(cm_rid))) {
        ap__err(err, uri ? AP_ENOMEM : AP_EFORMAT, ap_alto_uri(a), uri ? "out of memory" : "a TIPS resource without uri");
        ap_alto_stream_free(s);
        return NULL;
    }
    s->a = a;
    if (!(s->tips = ap__tips_open(a, s->uri, s->rid, SUB_TYPE, NSUB, s->doc, err))) {
        ap_alto_stream_free(s);
        return NULL;
    }
    s->events = NSUB; /* the two snapshots */
    return s;
}

ap_alto_stream *ap_alto_stream_open(ap_alto *a, const char *nm_rid, const char *cm_rid, const char *metric,
                                    ap_error *err)
{
    json_t *r, *req;
    ap_alto_stream *s;
    ap__ird_query q = {0};
    if (!a || (!cm_rid && !metric)) {
        ap__err(err, AP_EINVAL, NULL, "ap_alto_stream_open: a client and a cost map id or metric are needed");
        return NULL;
    }
    if (!nm_rid && !(nm_rid = ap__ird_netmap_id(a, err)))
        return NULL;
    if (!cm_rid) {
        q.media_type = "application/alto-costmap+json";
        q.uses = nm_rid;
        q.metrics = &metric;
        q.nmetrics = 1;
        if (!ap__ird_find(a, &q, &cm_rid)) {
            ap__err(err, AP_EFORMAT, ap_alto_uri(a), "no cost map of metric %s%s%s uses network map %s", metric,
                    ap__alto_opts(a)->cost_source ? " and cost-source " : "",
                    ap__alto_opts(a)->cost_source ? ap__alto_opts(a)->cost_source : "", nm_rid);
            return NULL;
        }
    }
    memset(&q, 0, sizeof q);
    q.media_type = "text/event-stream";
    q.accepts = "application/alto-updatestreamparams+json";
    q.uses = nm_rid;
    q.uses2 = cm_rid;
    if (!(r = ap__ird_find(a, &q, NULL))) {
        /* no SSE update stream: TIPS views, when a TIPS resource covers both
         * with incremental media types this client applies */
        char why[300] = "";
        if ((r = find_tips(a, nm_rid, cm_rid, why, sizeof why)))
            return open_tips(a, r, nm_rid, cm_rid, err);
        ap__err(err, AP_EFORMAT, ap_alto_uri(a), "no update stream (RFC 8895) or TIPS (RFC 9569) covers %s and %s%s%s",
                nm_rid, cm_rid, why[0] ? "; " : "", why);
        return NULL;
    }
    s = calloc(1, sizeof *s);
    if (!s) {
        ap__err(err, AP_ENOMEM, ap_alto_uri(a), "out of memory");
        return NULL;
    }
    s->a = a;
    s->uri = ap__strdup(json_string_value(json_object_get(r, "uri")));
    s->rid[SUB_NM] = ap__strdup(nm_rid);
    s->rid[SUB_CM] = ap__strdup(cm_rid);
    req = json_pack("{s:{s:{s:s},s:{s:s}}}", "add", SUB_ID[SUB_NM], "resource-id", nm_rid, SUB_ID[SUB_CM],
                    "resource-id", cm_rid);
    s->post = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!s->uri || !s->rid[0] || !s->rid[1] || !s->post || !(s->multi = curl_multi_init()) ||
        !(s->easy = curl_easy_init())) {
        ap__err(err, AP_ENOMEM, ap_alto_uri(a), "out of memory");
        ap_alto_stream_free(s);
        return NULL;
    }
    s->hdr = ap__alto_setup(a, s->easy, s->uri, "text/event-stream", s->post,
                            "application/alto-updatestreamparams+json", NULL);
    curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_bytes);
    curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
    curl_multi_add_handle(s->multi, s->easy);
    /* wait for both full maps */
    {
        double end = ap__now() + ap__alto_opts(a)->timeout;
        while (!(s->doc[SUB_NM] && s->doc[SUB_CM])) {
            pump(s, end - ap__now());
            s->changed = 0;
            if (s->failed || s->done) {
                ended(s, err);
                ap_alto_stream_free(s);
                return NULL;
            }
            if (ap__now() >= end) {
                ap__err(err, AP_ENET, s->uri, "no full network and cost map on the update stream within %.0f s",
                        ap__alto_opts(a)->timeout);
                ap_alto_stream_free(s);
                return NULL;
            }
        }
    }
    return s;
}

int ap_alto_stream_wait(ap_alto_stream *s, double timeout, ap_error *err)
{
    unsigned ch;
    if (!s) {
        ap__err(err, AP_EINVAL, NULL, "NULL stream");
        return -1;
    }
    if (s->tips)
        return ap__tips_wait(s->tips, timeout, &s->events, err);
    pump(s, timeout > 0 ? timeout : 0);
    ch = s->changed;
    s->changed = 0;
    if (ch && !s->failed)
        return (int)ch;
    if (s->failed || s->done) {
        ended(s, err);
        return -1;
    }
    return 0;
}

long ap_alto_stream_events(const ap_alto_stream *s) { return s ? s->events : 0; }
const char *ap_alto_stream_kind(const ap_alto_stream *s) { return s && s->tips ? "tips" : "sse"; }

ap_netmap *ap_alto_stream_netmap(ap_alto_stream *s, ap_error *err)
{
    char *t;
    ap_netmap *nm;
    if (!s || !s->doc[SUB_NM]) {
        ap__err(err, AP_EINVAL, s ? s->uri : NULL, "no network map received yet");
        return NULL;
    }
    if (!(t = json_dumps(s->doc[SUB_NM], JSON_COMPACT))) {
        ap__err(err, AP_ENOMEM, s->uri, "out of memory");
        return NULL;
    }
    nm = ap_netmap_parse(t, strlen(t), s->uri, err);
    free(t);
    return nm;
}

ap_costmap *ap_alto_stream_costmap(ap_alto_stream *s, const ap_netmap *nm, ap_error *err)
{
    char *t;
    ap_costmap *cm;
    if (!s || !s->doc[SUB_CM] || !nm) {
        ap__err(err, AP_EINVAL, s ? s->uri : NULL, "no cost map received yet, or no network map given");
        return NULL;
    }
    if (!(t = json_dumps(s->doc[SUB_CM], JSON_COMPACT))) {
        ap__err(err, AP_ENOMEM, s->uri, "out of memory");
        return NULL;
    }
    cm = ap_costmap_parse(t, strlen(t), s->uri, nm, err);
    free(t);
    return cm;
}

/* For the fuzzer (tests/fuzz/fuzz_stream.c): a stream without a
 * connection, fed bytes as if they came from the server. */
ap_alto_stream *ap__stream_offline(void)
{
    ap_alto_stream *s = calloc(1, sizeof *s);
    if (!s || !(s->uri = ap__strdup("(offline stream)"))) {
        free(s);
        return NULL;
    }
    s->started = s->http_ok = 1;
    s->status = 200;
    return s;
}

int ap__stream_feed(ap_alto_stream *s, const char *buf, size_t len, ap_error *err)
{
    if (on_bytes((char *)(uintptr_t)buf, 1, len, s) != len || s->failed) {
        ended(s, err);
        return -1;
    }
    return 0;
}
