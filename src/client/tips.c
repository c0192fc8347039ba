/* tips.c - the ALTO Transport Information Publication Service (RFC 9569) as
 * a client: open a TIPS view of each resource (POST to the TIPS resource),
 * fetch the recommended edge of its updates graph (a snapshot 0 -> j),
 * then long-poll the next edge <view>/ug/<seq>/<seq+1> of every view at
 * once (one connection per view, as RFC 9569 6.2 asks of HTTP/1.1
 * clients), apply full replacements, JSON merge patches and JSON patches,
 * and close the views with DELETE. */
#include "client_int.h"

#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TIPS_TYPE "application/alto-tips+json"
#define TIPS_PARAMS "application/alto-tipsparams+json"

typedef struct {
    char *rid;
    const char *type;      /* the resource's media type */
    char *view;            /* absolute URI of the TIPS view */
    long seq;              /* version of the document held */
    long next_i, next_j;   /* the next edge to ask for */
    CURL *easy;            /* the outstanding edge request, or NULL */
    struct curl_slist *hdr;
    long want;             /* the end of the edge asked for */
    char *buf;
    size_t len, cap;
    int toobig;
    size_t max_bytes;      /* the client's size limit of one answer */
    double retry_at;       /* after 425 / 429 / 503: not before */
} view;

struct ap__tips {
    ap_alto *a;
    CURLM *multi;
    char *uri;
    view *v;
    size_t n;
    json_t **doc;
};

static size_t on_bytes(char *ptr, size_t size, size_t n, void *ud)
{
    view *v = ud;
    size_t cap = v->max_bytes ? v->max_bytes : (size_t)256 << 20;
    size_t add = size * n;
    char *nb;
    if (v->toobig)
        return 0;
    nb = ap__grow(v->buf, &v->cap, v->len + add + 1, 1, 8192, cap + 1);
    if (!nb) {
        v->toobig = 1;
        return 0;
    }
    v->buf = nb;
    memcpy(v->buf + v->len, ptr, add);
    v->len += add;
    v->buf[v->len] = '\0';
    return add;
}

/* Starts GET <view>/ug/<i>/<j> on the multi handle. */
static int edge_start(ap__tips *t, view *v, long i, long j)
{
    char url[2048], accept[512];
    snprintf(url, sizeof url, "%s/ug/%ld/%ld", v->view, i, j);
    snprintf(accept, sizeof accept, "%s,application/merge-patch+json,application/json-patch+json", v->type);
    if (!(v->easy = curl_easy_init()))
        return -1;
    v->hdr = ap__alto_setup(t->a, v->easy, url, accept, NULL, NULL, NULL);
    curl_easy_setopt(v->easy, CURLOPT_WRITEFUNCTION, on_bytes);
    curl_easy_setopt(v->easy, CURLOPT_WRITEDATA, v);
    curl_easy_setopt(v->easy, CURLOPT_PRIVATE, v);
    v->len = 0;
    v->toobig = 0;
    v->next_i = i;
    v->want = j;
    curl_multi_add_handle(t->multi, v->easy);
    return 0;
}

static void edge_drop(ap__tips *t, view *v)
{
    if (!v->easy)
        return;
    curl_multi_remove_handle(t->multi, v->easy);
    curl_easy_cleanup(v->easy);
    ap__alto_headers_free(v->hdr);
    v->easy = NULL;
    v->hdr = NULL;
}

/* POST <view>/ug (RFC 9569 7.3): the server's new recommended edge, after
 * the next edge is gone; -1 with err otherwise. */
static int new_edge(ap__tips *t, view *v, long *i, long *j, ap_error *err)
{
    char url[2048], *body;
    size_t len;
    json_t *s, *rec;
    int oom;
    snprintf(url, sizeof url, "%s/ug", v->view);
    if (!(body = ap__alto_fetch(t->a, url, TIPS_TYPE, "{}", TIPS_PARAMS, &len, err)))
        return -1;
    s = ap__json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL, &oom);
    free(body);
    rec = json_object_get(s, "start-edge-rec");
    if (oom) {
        ap__err(err, AP_ENOMEM, url, "out of memory");
        return -1;
    }
    if (!json_is_integer(json_object_get(rec, "seq-i")) || !json_is_integer(json_object_get(rec, "seq-j"))) {
        json_decref(s);
        ap__err(err, AP_EFORMAT, url, "no start-edge-rec {seq-i, seq-j} in the updates graph summary");
        return -1;
    }
    *i = (long)json_integer_value(json_object_get(rec, "seq-i"));
    *j = (long)json_integer_value(json_object_get(rec, "seq-j"));
    json_decref(s);
    return 0;
}

int ap__tips_apply_edge(json_t **doc, const char *doc_type, long from, const char *ct, const char *buf,
                        size_t len, const char *url, ap_error *err)
{
    char type[128], why[300];
    size_t tl = strcspn(ct, ";");
    json_t *j;
    int oom, code;
    snprintf(type, sizeof type, "%.*s", (int)(tl < sizeof type ? tl : sizeof type - 1), ct);
    while (*type && type[strlen(type) - 1] == ' ')
        type[strlen(type) - 1] = '\0';
    if (!(j = ap__json_loadb(buf ? buf : "", len, JSON_REJECT_DUPLICATES, NULL, &oom))) {
        ap__err(err, oom ? AP_ENOMEM : AP_ESYNTAX, url, oom ? "out of memory" : "the update is not JSON");
        return -1;
    }
    if (from == 0 && strcasecmp(type, doc_type)) {
        json_decref(j);
        ap__err(err, AP_EFORMAT, url, "the first edge is of media type %s, not the full %s", type, doc_type);
        return -1;
    }
    if ((code = ap__update_apply(doc, type, doc_type, j, why, sizeof why))) {
        ap__err(err, code, url, "%s", why);
        return -1;
    }
    return 0;
}

/* A finished edge request of view k (its handle is dropped by the caller):
 * applied (1), nothing yet (0: v->next_* and retry_at say what comes next),
 * or -1 with err. */
static int edge_done(ap__tips *t, size_t k, CURLcode res, ap_error *err)
{
    view *v = &t->v[k];
    long status = 0;
    char *ct = NULL, url[2100];
    curl_easy_getinfo(v->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(v->easy, CURLINFO_CONTENT_TYPE, &ct);
    snprintf(url, sizeof url, "%s/ug/%ld/%ld", v->view, v->next_i, v->want);
    if (res != CURLE_OK) {
        ap__err(err, AP_ENET, url, "%s", v->toobig ? "the update is larger than the size limit"
                                                   : curl_easy_strerror(res));
        return -1;
    }
    if (status == 404) {
        ap__err(err, AP_ENET, v->view, "the TIPS view was closed by the server (404)");
        return -1;
    }
    if (status == 410) { /* our version left the graph: take the recommended edge */
        long i, jj;
        if (new_edge(t, v, &i, &jj, err))
            return -1;
        if ((i != 0 && i != v->seq) || jj <= i) {
            ap__err(err, AP_EFORMAT, v->view, "the recommended edge %ld -> %ld starts from neither a snapshot "
                    "nor version %ld", i, jj, v->seq);
            return -1;
        }
        v->next_i = i;
        v->next_j = jj;
        return 0;
    }
    if (status == 425 || status == 429 || status == 503) {
        v->retry_at = ap__now() + 1;
        return 0;
    }
    if (status != 200 || !ct) {
        ap__err(err, AP_ENET, url, "HTTP %ld%s%s", status, ct ? " " : "", ct ? ct : "");
        return -1;
    }
    if (ap__tips_apply_edge(&t->doc[k], v->type, v->next_i, ct, v->buf, v->len, url, err))
        return -1;
    v->seq = v->want;
    v->next_i = v->seq;
    v->next_j = v->seq + 1;
    return 1;
}

void ap__tips_close(ap__tips *t)
{
    size_t k;
    if (!t)
        return;
    for (k = 0; k < t->n; k++) {
        view *v = &t->v[k];
        edge_drop(t, v);
        if (v->view) { /* RFC 9569 5.3: DELETE the view; its answer does not matter */
            CURL *e = curl_easy_init();
            if (e) {
                struct curl_slist *h = ap__alto_setup(t->a, e, v->view, "application/alto-error+json", NULL, NULL,
                                                      NULL);
                curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "DELETE");
                curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 2000L);
                curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_bytes);
                curl_easy_setopt(e, CURLOPT_WRITEDATA, v);
                curl_easy_perform(e);
                curl_easy_cleanup(e);
                ap__alto_headers_free(h);
            }
        }
        free(v->rid);
        free(v->view);
        free(v->buf);
    }
    if (t->multi)
        curl_multi_cleanup(t->multi);
    free(t->v);
    free(t->uri);
    free(t);
}

int ap__tips_parse_open(const char *uri, const char *body, size_t len, const char *rid, char **view_uri, long *j,
                        ap_error *err)
{
    json_t *resp, *sum, *rec;
    long i;
    int oom;
    *view_uri = NULL;
    resp = ap__json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL, &oom);
    if (oom) {
        ap__err(err, AP_ENOMEM, uri, "out of memory");
        return -1;
    }
    sum = json_object_get(json_object_get(resp, "tips-view-summary"), "updates-graph-summary");
    rec = json_object_get(sum, "start-edge-rec");
    if (!json_is_string(json_object_get(resp, "tips-view-uri")) || !json_is_integer(json_object_get(rec, "seq-i")) ||
        !json_is_integer(json_object_get(rec, "seq-j"))) {
        json_decref(resp);
        ap__err(err, AP_EFORMAT, uri, "TIPS open response for %s: expected tips-view-uri and "
                "tips-view-summary.updates-graph-summary.start-edge-rec {seq-i, seq-j} (RFC 9569 5.2)", rid);
        return -1;
    }
    *view_uri = ap__uri_resolve(uri, json_string_value(json_object_get(resp, "tips-view-uri")));
    i = (long)json_integer_value(json_object_get(rec, "seq-i"));
    *j = (long)json_integer_value(json_object_get(rec, "seq-j"));
    json_decref(resp);
    if (!*view_uri) {
        ap__err(err, AP_EFORMAT, uri, "TIPS view URI of %s does not resolve", rid);
        return -1;
    }
    if (i != 0 || *j < 1) {
        ap__err(err, AP_EFORMAT, *view_uri, "the recommended edge %ld -> %ld is not a snapshot (0 -> version)", i, *j);
        return -1; /* *view_uri stays: the view exists, to be closed */
    }
    return 0;
}

/* Opens the view of resource k: POST {"resource-id": rid}, then the
 * recommended edge, fetched and applied before returning. */
static int open_view(ap__tips *t, size_t k, ap_error *err)
{
    view *v = &t->v[k];
    json_t *req = json_pack("{s:s}", "resource-id", v->rid);
    char *post = req ? json_dumps(req, JSON_COMPACT) : NULL, *body;
    size_t len;
    long j;
    int rc;
    double end;
    json_decref(req);
    if (!post) {
        ap__err(err, AP_ENOMEM, t->uri, "out of memory");
        return -1;
    }
    body = ap__alto_fetch(t->a, t->uri, TIPS_TYPE, post, TIPS_PARAMS, &len, err);
    free(post);
    if (!body)
        return -1;
    rc = ap__tips_parse_open(t->uri, body, len, v->rid, &v->view, &j, err);
    free(body);
    if (rc)
        return -1;
    v->next_i = 0;
    if (edge_start(t, v, 0, j)) {
        ap__err(err, AP_ENOMEM, v->view, "out of memory");
        return -1;
    }
    end = ap__now() + ap__alto_opts(t->a)->timeout;
    while (v->easy && ap__now() < end) {
        int running, left;
        CURLMsg *m;
        curl_multi_perform(t->multi, &running);
        while ((m = curl_multi_info_read(t->multi, &left)))
            if (m->msg == CURLMSG_DONE && m->easy_handle == v->easy) {
                int done = edge_done(t, k, m->data.result, err);
                edge_drop(t, v);
                if (done < 0)
                    return -1;
                if (done == 0) {
                    ap__err(err, AP_ENET, v->view, "the snapshot edge 0 -> %ld is not available", j);
                    return -1;
                }
                return 0;
            }
        curl_multi_poll(t->multi, NULL, 0, 100, NULL);
    }
    ap__err(err, AP_ENET, v->view, "no snapshot within %.0f s", ap__alto_opts(t->a)->timeout);
    return -1;
}

ap__tips *ap__tips_open(ap_alto *a, const char *tips_uri, char *const *rid, const char *const *type, size_t n,
                        json_t **doc, ap_error *err)
{
    ap__tips *t = calloc(1, sizeof *t);
    size_t k;
    if (!t || !(t->v = calloc(n, sizeof *t->v)) || !(t->uri = ap__strdup(tips_uri)) ||
        !(t->multi = curl_multi_init())) {
        ap__err(err, AP_ENOMEM, tips_uri, "out of memory");
        ap__tips_close(t);
        return NULL;
    }
    t->a = a;
    t->n = n;
    t->doc = doc;
    for (k = 0; k < n; k++) {
        t->v[k].type = type[k];
        t->v[k].max_bytes = ap__alto_opts(a)->max_bytes;
        if (!(t->v[k].rid = ap__strdup(rid[k]))) {
            ap__err(err, AP_ENOMEM, tips_uri, "out of memory");
            ap__tips_close(t);
            return NULL;
        }
    }
    for (k = 0; k < n; k++)
        if (open_view(t, k, err)) {
            ap__tips_close(t);
            return NULL;
        }
    return t;
}

int ap__tips_wait(ap__tips *t, double timeout, long *events, ap_error *err)
{
    double end = ap__now() + (timeout > 0 ? timeout : 0);
    unsigned changed = 0;
    size_t k;
    do {
        int running, left;
        CURLMsg *m;
        for (k = 0; k < t->n; k++)
            if (!t->v[k].easy && ap__now() >= t->v[k].retry_at &&
                edge_start(t, &t->v[k], t->v[k].next_i, t->v[k].next_j)) {
                ap__err(err, AP_ENOMEM, t->uri, "out of memory");
                return -1;
            }
        curl_multi_perform(t->multi, &running);
        while ((m = curl_multi_info_read(t->multi, &left))) {
            view *v = NULL;
            int rc;
            if (m->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&v);
            if (!v)
                continue;
            k = (size_t)(v - t->v);
            rc = edge_done(t, k, m->data.result, err);
            edge_drop(t, v);
            if (rc < 0)
                return -1;
            if (rc > 0) {
                changed |= 1u << k;
                if (events)
                    (*events)++;
            }
        }
        if (changed)
            break;
        {
            double ms = (end - ap__now()) * 1000;
            if (ms > 0)
                curl_multi_poll(t->multi, NULL, 0, ms > 200 ? 200 : (int)ms + 1, NULL);
        }
    } while (ap__now() < end);
    return (int)changed;
}
