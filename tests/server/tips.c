/* tips.c - the test server's TIPS service (RFC 9569): POST /tips opens a
 * view of a resource of the directory; GET <view>/ug/<i>/<j> serves its
 * updates graph, DELETE <view> closes it, POST <view>/ug recommends a new
 * edge.  A cost map has versions 1 (the fixture), 2 and 3 (two merge
 * patches, the changes of the SSE service) and, in mode tips-jsonpatch, 4
 * (a JSON patch); version k appears 0.3 (k - 1) s after the view opened.
 * A request for an edge not there yet is held until it is (long poll), at
 * most 3 s, then answered 425.  Modes: tips-closed (the view is closed
 * after version 2 was served: 404), tips-gone (the first edge 1 -> 2 is
 * 410 Gone; the new recommendation is the snapshot 0 -> 3).  Opens and
 * DELETEs are logged to ALTO_TEST_POST_LOG when set. */
#include "server.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    char rid[128], type[128];
    json_t *v1;      /* version 1 */
    double t0;
    int open, served2, gone_sent;
} tview;

static tview views[32];
static int nviews;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void log_line(const char *what, const char *detail)
{
    FILE *lf = getenv("ALTO_TEST_POST_LOG") ? fopen(getenv("ALTO_TEST_POST_LOG"), "a") : NULL;
    if (lf) {
        fprintf(lf, "%s %s\n", what, detail);
        fclose(lf);
    }
}

static int last_version(const tview *v)
{
    if (!strstr(v->type, "costmap"))
        return 1;
    return !strcmp(mode, "tips-jsonpatch") ? 4 : 3;
}

static int available(const tview *v)
{
    int k = 1 + (int)((now_s() - v->t0) / 0.3);
    return k < last_version(v) ? k : last_version(v);
}

/* Version k of the view's resource, new. */
static json_t *version(const tview *v, int k)
{
    json_t *d = json_deep_copy(v->v1), *cm = json_object_get(d, "cost-map");
    if (k >= 2)
        json_object_set_new(json_object_get(cm, "B"), "D", json_integer(30));
    if (k >= 3) {
        json_object_set_new(json_object_get(cm, "D"), "A", json_integer(30));
        json_object_del(json_object_get(cm, "D"), "B");
    }
    if (k >= 4) {
        json_object_set_new(json_object_get(cm, "C"), "A", json_integer(7));
        json_object_del(json_object_get(cm, "C"), "D");
        json_object_set_new(json_object_get(cm, "D"), "B", json_integer(9));
    }
    return d;
}

/* The update on edge k -> k + 1: its text and media type. */
static const char *edge(int k, const char **type)
{
    *type = k == 3 ? "application/json-patch+json" : "application/merge-patch+json";
    if (k == 1)
        return "{\"cost-map\":{\"B\":{\"D\":30}}}";
    if (k == 2)
        return "{\"cost-map\":{\"D\":{\"A\":30,\"B\":null}}}";
    return "[{\"op\":\"replace\",\"path\":\"/cost-map/C/A\",\"value\":7},{\"op\":\"remove\",\"path\":\"/cost-map/C/D\"},"
           "{\"op\":\"add\",\"path\":\"/cost-map/D/B\",\"value\":9}]";
}

static enum MHD_Result summary(struct MHD_Connection *c, const tview *v, int n, int with_uri)
{
    char b[600];
    int end = available(v), rec = !strcmp(mode, "tips-gone") && v->gone_sent ? 3 : end;
    if (with_uri)
        snprintf(b, sizeof b, "{\"tips-view-uri\":\"/tips/view/%d\",\"tips-view-summary\":{\"updates-graph-summary\":"
                 "{\"start-seq\":1,\"end-seq\":%d,\"start-edge-rec\":{\"seq-i\":0,\"seq-j\":%d}}}}", n, end, rec);
    else
        snprintf(b, sizeof b, "{\"start-seq\":%d,\"end-seq\":%d,\"start-edge-rec\":{\"seq-i\":0,\"seq-j\":%d}}",
                 v->gone_sent ? 2 : 1, end, rec);
    return reply(c, 200, "application/alto-tips+json", b, strlen(b));
}

enum MHD_Result tips_open(struct MHD_Connection *c, json_t *req)
{
    const char *rid = json_string_value(json_object_get(req, "resource-id"));
    char path[800], *b;
    size_t len;
    json_t *dir, *res;
    const char *uri, *mt;
    int e;
    tview *v;
    if (!rid)
        return alto_err(c, "E_MISSING_FIELD", "resource-id", NULL);
    snprintf(path, sizeof path, "%s/directory.json", fixture_dir);
    b = load(path, &len);
    dir = b ? json_loads(b, 0, NULL) : NULL;
    free(b);
    res = json_object_get(json_object_get(dir, "resources"), rid);
    uri = json_string_value(json_object_get(res, "uri"));
    mt = json_string_value(json_object_get(res, "media-type"));
    if (!uri || !mt || strncmp(uri, base, strlen(base)) || nviews == 32) {
        json_decref(dir);
        return alto_err(c, "E_INVALID_FIELD_VALUE", "resource-id", rid);
    }
    v = &views[nviews];
    memset(v, 0, sizeof *v);
    snprintf(v->rid, sizeof v->rid, "%s", rid);
    snprintf(v->type, sizeof v->type, "%s", mt);
    for (e = 0; e < nent; e++)
        if (!strcmp(ents[e].path, uri + strlen(base)) && (b = load(ents[e].file, &len))) {
            v->v1 = json_loads(b, 0, NULL);
            free(b);
        }
    json_decref(dir);
    if (!v->v1)
        return reply(c, 500, "text/plain", "fixture missing\n", 16);
    v->t0 = now_s();
    v->open = 1;
    log_line("TIPS-OPEN", rid);
    return summary(c, v, nviews++, 1);
}

/* /tips/view/<n>[/ug[/<i>/<j>]] */
enum MHD_Result tips_view(struct MHD_Connection *c, const char *url, const char *method)
{
    int n = -1, i = -1, j = -1, used = 0;
    tview *v;
    if (sscanf(url, "/tips/view/%d%n", &n, &used) < 1 || n < 0 || n >= nviews)
        return reply(c, 404, "text/plain", "no such view\n", 13);
    v = &views[n];
    url += used;
    if (!strcmp(method, "DELETE") && !*url) {
        char d[32];
        snprintf(d, sizeof d, "%d", n);
        log_line("TIPS-DELETE", d);
        v->open = 0;
        return reply(c, 200, "application/alto-error+json", "{}", 2);
    }
    if (!v->open || (!strcmp(mode, "tips-closed") && v->served2))
        return reply(c, 404, "application/alto-error+json", "{\"meta\":{\"code\":\"E_INVALID_FIELD_VALUE\"}}", 41);
    if (!strcmp(url, "/ug") && !strcmp(method, "POST"))
        return summary(c, v, n, 0);
    if (sscanf(url, "/ug/%d/%d", &i, &j) != 2 || j <= i || i < 0 || (i > 0 && j != i + 1) || strcmp(method, "GET"))
        return reply(c, 400, "text/plain", "bad edge\n", 9);
    if (!strcmp(mode, "tips-gone") && i == 1 && !v->gone_sent) {
        v->gone_sent = 1;
        return reply(c, 410, "application/alto-error+json", "{\"meta\":{\"code\":\"E_INVALID_FIELD_VALUE\"}}", 41);
    }
    if (j > last_version(v) || j > available(v)) { /* long poll: hold until it exists, at most 3 s */
        double until = now_s() + 3;
        struct timespec ts = {0, 50 * 1000 * 1000};
        while (j > available(v) && j <= last_version(v) && now_s() < until)
            nanosleep(&ts, NULL);
        if (j > available(v))
            return reply(c, 425, "application/alto-error+json", "{\"meta\":{\"code\":\"E_INVALID_FIELD_VALUE\"}}",
                         41);
    }
    if (j >= 2)
        v->served2 = 1;
    if (i == 0) {
        json_t *d = version(v, j);
        char *s = json_dumps(d, JSON_COMPACT);
        enum MHD_Result rc = reply(c, 200, v->type, s, strlen(s));
        free(s);
        json_decref(d);
        return rc;
    }
    {
        const char *type, *body = edge(i, &type);
        return reply(c, 200, type, body, strlen(body));
    }
}
