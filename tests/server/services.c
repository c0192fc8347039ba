/* services.c - the POST services of the test ALTO server: filtered cost map
 * (RFC 7285 11.3.2, with constraints and RFC 8189 multi-cost), endpoint cost
 * service (RFC 7285 11.5), and update streams over Server-Sent Events (RFC
 * 8895) with full replacements and JSON merge patches.  Answers are computed
 * from the fixture cost maps (DIR/costmap-*.json) and network map. */
#include "server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum MHD_Result alto_err(struct MHD_Connection *c, const char *code, const char *field, const char *value)
{
    json_t *j = json_pack("{s:{s:s}}", "meta", "code", code);
    char *s;
    enum MHD_Result rc;
    if (field)
        json_object_set_new(json_object_get(j, "meta"), "field", json_string(field));
    if (value)
        json_object_set_new(json_object_get(j, "meta"), "value", json_string(value));
    s = json_dumps(j, JSON_COMPACT);
    rc = reply(c, 400, "application/alto-error+json", s, strlen(s));
    free(s);
    json_decref(j);
    return rc;
}

/* The fixture cost map whose metric is `metric` (new reference) or NULL. */
static json_t *costmap_for(const char *metric)
{
    DIR *d = opendir(fixture_dir);
    struct dirent *de;
    json_t *found = NULL;
    while (d && (de = readdir(d)) && !found) {
        char path[800];
        size_t len;
        char *b;
        json_t *j;
        if (strncmp(de->d_name, "costmap-", 8))
            continue;
        snprintf(path, sizeof path, "%s/%s", fixture_dir, de->d_name);
        if (!(b = load(path, &len)))
            continue;
        j = json_loads(b, 0, NULL);
        free(b);
        if (j && !strcmp(json_string_value(json_object_get(json_object_get(json_object_get(j, "meta"), "cost-type"),
                                                           "cost-metric")) ?: "", metric))
            found = j;
        else
            json_decref(j);
    }
    if (d)
        closedir(d);
    return found;
}

/* "le 5" style constraint on value v; idx gets the "[i]" prefix (RFC 8189)
 * or -1.  Returns 1 when satisfied, 0 when not, -1 when malformed. */
static int check_constraint(const char *s, const double *v, int nv)
{
    char op[3];
    double x;
    int i = 0, k;
    if (s[0] == '[') {
        if (sscanf(s, "[%d] %2s %lf", &i, op, &x) != 3)
            return -1;
    } else if (sscanf(s, "%2s %lf", op, &x) != 2) {
        return -1;
    }
    if (i < 0 || i >= nv)
        return -1;
    k = !strcmp(op, "le") ? v[i] <= x : !strcmp(op, "ge") ? v[i] >= x : !strcmp(op, "lt") ? v[i] < x
      : !strcmp(op, "gt") ? v[i] > x : !strcmp(op, "eq") ? v[i] == x : -1;
    return k;
}

static int in_list(json_t *arr, const char *s)
{
    size_t i;
    json_t *e;
    if (!json_array_size(arr))
        return 1; /* empty or absent: all */
    json_array_foreach(arr, i, e)
        if (json_is_string(e) && !strcmp(json_string_value(e), s))
            return 1;
    return 0;
}

static enum MHD_Result filtered_costmap(struct MHD_Connection *c, json_t *req)
{
    json_t *ct = json_object_get(req, "cost-type"), *mct = json_object_get(req, "multi-cost-types");
    json_t *maps[4] = {0}, *types, *pids = json_object_get(req, "pids"), *out, *cm, *row, *v;
    json_t *cons = json_object_get(req, "constraints");
    const char *src, *dst;
    int n = 0, i;
    char *s;
    enum MHD_Result rc;
    if (!ct && !mct)
        return alto_err(c, "E_MISSING_FIELD", "cost-type", NULL);
    types = mct ? json_incref(mct) : json_pack("[O]", ct);
    if (!json_is_array(types) || json_array_size(types) < 1 || json_array_size(types) > 2) {
        json_decref(types);
        return alto_err(c, "E_INVALID_FIELD_VALUE", "multi-cost-types", NULL);
    }
    for (i = 0; i < (int)json_array_size(types); i++) {
        const char *m = json_string_value(json_object_get(json_array_get(types, (size_t)i), "cost-metric"));
        if (!m || !(maps[i] = costmap_for(m))) {
            rc = alto_err(c, "E_INVALID_FIELD_VALUE", mct ? "multi-cost-types/cost-metric" : "cost-type/cost-metric",
                          m ? m : "");
            while (i-- > 0)
                json_decref(maps[i]);
            json_decref(types);
            return rc;
        }
        n++;
    }
    cm = json_object();
    json_object_foreach(json_object_get(maps[0], "cost-map"), src, row) {
        json_t *orow;
        if (!in_list(json_object_get(pids, "srcs"), src))
            continue;
        orow = json_object();
        json_object_foreach(row, dst, v) {
            double vals[4];
            size_t k;
            json_t *e;
            int ok = 1;
            if (!in_list(json_object_get(pids, "dsts"), dst))
                continue;
            for (i = 0; i < n; i++)
                vals[i] = json_number_value(json_object_get(json_object_get(json_object_get(maps[i], "cost-map"), src), dst));
            json_array_foreach(cons, k, e) {
                int r = check_constraint(json_string_value(e) ?: "", vals, n);
                if (r < 0) {
                    json_decref(orow);
                    json_decref(cm);
                    for (i = 0; i < n; i++)
                        json_decref(maps[i]);
                    json_decref(types);
                    return alto_err(c, "E_INVALID_FIELD_VALUE", "constraints", json_string_value(e));
                }
                ok &= r;
            }
            if (!ok)
                continue;
            if (mct) {
                json_t *a = json_array();
                for (i = 0; i < n; i++)
                    json_array_append_new(a, json_real(vals[i]));
                json_object_set_new(orow, dst, a);
            } else {
                json_object_set(orow, dst, v);
            }
        }
        json_object_set_new(cm, src, orow);
    }
    out = json_pack("{s:{s:O},s:o}", "meta", "dependent-vtags",
                    json_object_get(json_object_get(maps[0], "meta"), "dependent-vtags"), "cost-map", cm);
    if (mct) {
        json_object_set_new(json_object_get(out, "meta"), "cost-type", json_object());
        json_object_set(json_object_get(out, "meta"), "multi-cost-types", mct);
    } else {
        json_object_set(json_object_get(out, "meta"), "cost-type", ct);
    }
    s = json_dumps(out, JSON_COMPACT);
    rc = reply(c, 200, "application/alto-costmap+json", s, strlen(s));
    free(s);
    json_decref(out);
    for (i = 0; i < n; i++)
        json_decref(maps[i]);
    json_decref(types);
    return rc;
}

/* PID of an "ipv4:a.b.c.d" address in the fixture network map, or NULL. */
static const char *pid_of(json_t *nm, const char *typed)
{
    struct in_addr a;
    const char *pid, *best = NULL;
    json_t *grp;
    int bestlen = -1;
    if (strncmp(typed, "ipv4:", 5) || inet_pton(AF_INET, typed + 5, &a) != 1)
        return NULL;
    json_object_foreach(json_object_get(nm, "network-map"), pid, grp) {
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(grp, "ipv4"), i, p) {
            char net[64];
            int len;
            struct in_addr n;
            uint32_t mask;
            if (sscanf(json_string_value(p), "%63[^/]/%d", net, &len) != 2 || inet_pton(AF_INET, net, &n) != 1)
                continue;
            mask = len ? htonl(~0u << (32 - len)) : 0;
            if ((a.s_addr & mask) == (n.s_addr & mask) && len > bestlen) {
                bestlen = len;
                best = pid;
            }
        }
    }
    return best;
}

static enum MHD_Result endpoint_cost(struct MHD_Connection *c, json_t *req)
{
    json_t *ct = json_object_get(req, "cost-type"), *eps = json_object_get(req, "endpoints"), *cm, *nm, *out, *ecm;
    json_t *s, *d;
    size_t i, k;
    char path[800], *b, *str;
    size_t len;
    enum MHD_Result rc;
    const char *m = json_string_value(json_object_get(ct, "cost-metric"));
    if (!ct)
        return alto_err(c, "E_MISSING_FIELD", "cost-type", NULL);
    if (!json_is_array(json_object_get(eps, "srcs")) || !json_is_array(json_object_get(eps, "dsts")))
        return alto_err(c, "E_MISSING_FIELD", "endpoints/srcs", NULL);
    if (!m || !(cm = costmap_for(m)))
        return alto_err(c, "E_INVALID_FIELD_VALUE", "cost-type/cost-metric", m ? m : "");
    snprintf(path, sizeof path, "%s/networkmap.json", fixture_dir);
    b = load(path, &len);
    nm = b ? json_loads(b, 0, NULL) : NULL;
    free(b);
    ecm = json_object();
    json_array_foreach(json_object_get(eps, "srcs"), i, s) {
        const char *sp = pid_of(nm, json_string_value(s) ?: "");
        json_t *row = json_object();
        if (!sp) {
            json_decref(row);
            json_decref(ecm);
            json_decref(cm);
            json_decref(nm);
            return alto_err(c, "E_INVALID_FIELD_VALUE", "endpoints/srcs", json_string_value(s));
        }
        json_array_foreach(json_object_get(eps, "dsts"), k, d) {
            const char *dp = pid_of(nm, json_string_value(d) ?: "");
            json_t *v = dp ? json_object_get(json_object_get(json_object_get(cm, "cost-map"), sp), dp) : NULL;
            if (v)
                json_object_set(row, json_string_value(d), v);
        }
        json_object_set_new(ecm, json_string_value(s), row);
    }
    out = json_pack("{s:{s:O},s:o}", "meta", "cost-type", ct, "endpoint-cost-map", ecm);
    str = json_dumps(out, JSON_COMPACT);
    rc = reply(c, 200, "application/alto-endpointcost+json", str, strlen(str));
    free(str);
    json_decref(out);
    json_decref(cm);
    json_decref(nm);
    return rc;
}

/* ------------------------------------------------------------------ SSE */

typedef struct {
    char *data;   /* the whole stream text, produced up front */
    size_t len;
    size_t *cut;  /* offsets where the server pauses */
    int ncut, next;
    double pause; /* seconds between parts */
    int hold;     /* keep the connection open after the last part (s) */
    double t_end;
} sse;

static void sse_free(void *cls)
{
    sse *s = cls;
    free(s->data);
    free(s->cut);
    free(s);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static ssize_t sse_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    sse *s = cls;
    size_t end = s->next < s->ncut ? s->cut[s->next] : s->len, n;
    if (pos >= s->len) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        if (!s->t_end)
            s->t_end = now_s() + s->hold;
        if (now_s() >= s->t_end)
            return !strcmp(mode, "sse-cut") ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
        nanosleep(&ts, NULL);
        return 0;
    }
    if (pos >= end) { /* pause between parts */
        struct timespec ts;
        ts.tv_sec = (time_t)s->pause;
        ts.tv_nsec = (long)((s->pause - (double)ts.tv_sec) * 1e9);
        nanosleep(&ts, NULL);
        s->next++;
        end = s->next < s->ncut ? s->cut[s->next] : s->len;
    }
    n = end - (size_t)pos;
    if (n > max)
        n = max;
    memcpy(buf, s->data + pos, n);
    return (ssize_t)n;
}

/* One event: "event: TYPE,ID" and the JSON split over data: lines. */
static void event(FILE *f, const char *type, const char *id, const char *json)
{
    const char *p = json;
    fprintf(f, "event: %s%s%s\n", type, id ? "," : "", id ? id : "");
    /* split long JSON over several data lines (RFC 8895 framing): after a
     * comma outside strings, since the lines are joined with newlines */
    while (*p) {
        size_t n = 0;
        int in_str = 0;
        for (; p[n]; n++) {
            if (in_str && p[n] == '\\' && p[n + 1]) {
                n++;
                continue;
            }
            if (p[n] == '"')
                in_str = !in_str;
            if (!in_str && p[n] == ',' && n >= 60) {
                n++;
                break;
            }
        }
        fprintf(f, "data: %.*s\n", (int)n, p);
        p += n;
    }
    fputc('\n', f);
}

static enum MHD_Result updates(struct MHD_Connection *c, json_t *req)
{
    json_t *add = json_object_get(req, "add"), *sub, *dir;
    const char *id, *cm_id = NULL;
    char path[800], *b, *text = NULL;
    size_t len, tlen = 0;
    FILE *f;
    sse *s;
    struct MHD_Response *r;
    enum MHD_Result rc;
    if (!json_is_object(add) || !json_object_size(add))
        return alto_err(c, "E_MISSING_FIELD", "add", NULL);
    snprintf(path, sizeof path, "%s/directory.json", fixture_dir);
    b = load(path, &len);
    dir = b ? json_loads(b, 0, NULL) : NULL;
    free(b);
    s = calloc(1, sizeof *s);
    s->cut = calloc(8, sizeof *s->cut);
    s->pause = 0.3;
    s->hold = 10;
    f = open_memstream(&text, &tlen);
    fprintf(f, "event: application/alto-updatestreamcontrol+json\ndata: {\"control-uri\":\n"
               "data: \"%s/updates/streams/1\"}\n\n", base);
    json_object_foreach(add, id, sub) {
        const char *rid = json_string_value(json_object_get(sub, "resource-id"));
        json_t *res = json_object_get(json_object_get(dir, "resources"), rid ? rid : "");
        const char *uri = json_string_value(json_object_get(res, "uri"));
        const char *mt = json_string_value(json_object_get(res, "media-type"));
        int e;
        char *body = NULL;
        if (!uri || !mt || strncmp(uri, base, strlen(base))) {
            fclose(f);
            free(text);
            sse_free(s);
            json_decref(dir);
            return alto_err(c, "E_INVALID_FIELD_VALUE", "add/resource-id", rid ? rid : "");
        }
        for (e = 0; e < nent; e++)
            if (!strcmp(ents[e].path, uri + strlen(base)))
                body = load(ents[e].file, &len);
        if (body) {
            json_t *j = json_loads(body, 0, NULL);
            char *compact = json_dumps(j, JSON_COMPACT);
            event(f, mt, id, compact);
            free(compact);
            json_decref(j);
            free(body);
        }
        if (strstr(mt, "costmap"))
            cm_id = id;
    }
    fflush(f);
    s->cut[s->ncut++] = (size_t)ftell(f);
    if (cm_id) {
        /* two changes, each a JSON merge patch (RFC 7396) */
        event(f, "application/merge-patch+json", cm_id,
              !strcmp(mode, "sse-broken") ? "{\"cost-map\": {\"B\": {\"D\": 30" : "{\"cost-map\":{\"B\":{\"D\":30}}}");
        fflush(f);
        s->cut[s->ncut++] = (size_t)ftell(f);
        event(f, "application/merge-patch+json", cm_id, "{\"cost-map\":{\"D\":{\"A\":30,\"B\":null}}}");
        if (!strcmp(mode, "sse-jsonpatch")) {
            fflush(f);
            s->cut[s->ncut++] = (size_t)ftell(f);
            event(f, "application/json-patch+json", cm_id,
                  "[{\"op\":\"replace\",\"path\":\"/cost-map/C/A\",\"value\":7},"
                  "{\"op\":\"remove\",\"path\":\"/cost-map/C/D\"},"
                  "{\"op\":\"add\",\"path\":\"/cost-map/D/B\",\"value\":9}]");
        }
    }
    if (!strcmp(mode, "sse-garbage")) {
        /* 4 KiB of noise: field-like lines, stray bytes, NULs, CRs */
        unsigned seed = 7;
        int n;
        fflush(f);
        s->cut[s->ncut++] = (size_t)ftell(f);
        for (n = 0; n < 4096; n++) {
            static const char alphabet[] = "data: event:,{}[]\"\r\n\n\0\x01\xff:cm nm";
            seed = seed * 1103515245u + 12345u;
            fputc(alphabet[(seed >> 16) % (sizeof alphabet - 1)], f);
        }
        fputs("\n\n", f);
        s->hold = 0;
    }
    if (!strcmp(mode, "sse-cut"))
        s->hold = 0;
    fclose(f);
    s->data = text;
    s->len = tlen;
    json_decref(dir);
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_reader, s, sse_free);
    MHD_add_response_header(r, "Content-Type", "text/event-stream");
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    rc = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return rc;
}

/* A fixture map restricted to the names a filter lists (RFC 7285 11.2.2,
 * RFC 9240 7): `file` is DIR/<file>, `body_key` the member holding the
 * entries, `list` the request's array of names (empty = all), and for
 * property maps `props` the properties asked for. */
static enum MHD_Result filtered_map(struct MHD_Connection *c, const char *file, const char *body_key, json_t *list,
                                   json_t *props, const char *type)
{
    char path[800], *b, *s;
    size_t len, i;
    json_t *j, *m, *out, *v, *p;
    const char *k;
    enum MHD_Result rc;
    if (!json_is_array(list))
        return alto_err(c, "E_MISSING_FIELD", !strcmp(body_key, "network-map") ? "pids" : "entities", NULL);
    snprintf(path, sizeof path, "%s/%s", fixture_dir, file);
    b = load(path, &len);
    j = b ? json_loads(b, 0, NULL) : NULL;
    free(b);
    m = json_object_get(j, body_key);
    out = json_object();
    json_object_foreach(m, k, v) {
        if (!in_list(list, k))
            continue;
        if (props && json_array_size(props)) {
            json_t *o = json_object();
            json_array_foreach(props, i, p)
                if (json_object_get(v, json_string_value(p) ? json_string_value(p) : ""))
                    json_object_set(o, json_string_value(p), json_object_get(v, json_string_value(p)));
            json_object_set_new(out, k, o);
        } else {
            json_object_set(out, k, v);
        }
    }
    json_object_set_new(j, body_key, out);
    s = json_dumps(j, JSON_COMPACT);
    rc = reply(c, 200, type, s, strlen(s));
    free(s);
    json_decref(j);
    return rc;
}

enum MHD_Result service(struct MHD_Connection *c, const char *name, const char *method, const char *body,
                        size_t len)
{
    const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    const char *want = !strcmp(name, "@filtered-costmap") ? "application/alto-costmapfilter+json"
                     : !strcmp(name, "@endpoint-cost") ? "application/alto-endpointcostparams+json"
                     : !strcmp(name, "@filtered-netmap") ? "application/alto-networkmapfilter+json"
                     : !strcmp(name, "@filtered-propmap") ? "application/alto-propmapparams+json"
                     : !strcmp(name, "@tips") ? "application/alto-tipsparams+json"
                     : "application/alto-updatestreamparams+json";
    json_t *req;
    json_error_t je;
    enum MHD_Result rc;
    if (strcmp(method, "POST"))
        return reply(c, 405, "text/plain", "POST only\n", 10);
    if (getenv("ALTO_TEST_POST_LOG")) { /* tests look at what the client asked */
        FILE *lf = fopen(getenv("ALTO_TEST_POST_LOG"), "a");
        if (lf) {
            fprintf(lf, "%s %.*s\n", name, (int)len, body ? body : "");
            fclose(lf);
        }
    }
    if (!ct || strncmp(ct, want, strlen(want)))
        return reply(c, 415, "text/plain", "wrong Content-Type\n", 19);
    req = json_loadb(body ? body : "", len, 0, &je);
    if (!json_is_object(req)) {
        json_decref(req);
        return alto_err(c, "E_SYNTAX", NULL, NULL);
    }
    if (!strcmp(name, "@filtered-costmap"))
        rc = filtered_costmap(c, req);
    else if (!strcmp(name, "@endpoint-cost"))
        rc = endpoint_cost(c, req);
    else if (!strcmp(name, "@filtered-netmap"))
        rc = filtered_map(c, "networkmap.json", "network-map", json_object_get(req, "pids"), NULL,
                          "application/alto-networkmap+json");
    else if (!strcmp(name, "@filtered-propmap"))
        rc = filtered_map(c, "propmap.json", "property-map", json_object_get(req, "entities"),
                          json_object_get(req, "properties"), "application/alto-propmap+json");
    else if (!strcmp(name, "@tips"))
        rc = tips_open(c, req);
    else
        rc = updates(c, req);
    json_decref(req);
    return rc;
}
