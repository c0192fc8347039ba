/* ird.c - the information resource directory (RFC 7285 section 9): reading
 * it (with delegated directories), and the one query every service uses to
 * choose a resource: by media type, request type, the resources it uses,
 * and the cost types it offers (metric, mode, RFC 9439 cost-source). */
#include "client_int.h"
#include <stdlib.h>
#include <string.h>

int ap__ird_load(ap_alto *a, const char *uri, int depth, ap_error *err)
{
    size_t len;
    char *buf = ap__alto_fetch(a, uri, "application/alto-directory+json", NULL, NULL, &len, err);
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
        char *abs;
        json_t *e;
        if (!mt || !ru)
            continue; /* incomplete entries are ignored */
        /* "URIs can be relative to the URI of the IRD and MUST be resolved
         * according to Section 5 of [RFC3986]" (RFC 7285 section 9.2.2);
         * one that does not resolve stays as given, and fails when used */
        abs = ap__uri_resolve(uri, ru);
        if (!strcmp(mt, "application/alto-directory+json")) {
            int rc = depth == 0 ? ap__ird_load(a, abs ? abs : ru, 1, err) : 0;
            free(abs);
            if (rc) {
                json_decref(d);
                return -1;
            }
            continue;
        }
        if (!json_object_get(dst, id) && (e = json_copy(r))) {
            if (abs)
                json_object_set_new(e, "uri", json_string(abs));
            json_object_set_new(dst, id, e);
        }
        free(abs);
    }
    json_decref(d);
    return 0;
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

json_t *ap__ird_cost_type(ap_alto *a, json_t *r, const char *metric, const char *mode)
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

json_t *ap__ird_request_type(ap_alto *a, json_t *r, const char *metric, const char *mode)
{
    json_t *t = ap__ird_cost_type(a, r, metric, mode);
    if (t)
        return json_deep_copy(t);
    return json_pack("{s:s,s:s}", "cost-mode", mode ? mode : "numerical", "cost-metric", metric);
}

static int matches(ap_alto *a, json_t *e, const char *id, const ap__ird_query *q)
{
    const char *mt = json_string_value(json_object_get(e, "media-type"));
    const char *acc = json_string_value(json_object_get(e, "accepts"));
    size_t i;
    if ((q->id && strcmp(id, q->id)) || !mt || strcmp(mt, q->media_type))
        return 0;
    if (q->accepts == AP__ANY_POST ? !acc
        : q->accepts == AP__ANY_ACCEPTS ? 0
        : q->accepts ? !acc || strcmp(acc, q->accepts) : acc != NULL)
        return 0;
    if ((q->uses && !ap__alto_uses(e, q->uses)) || (q->uses2 && !ap__alto_uses(e, q->uses2)))
        return 0;
    if (q->min_cost_types &&
        json_integer_value(json_object_get(json_object_get(e, "capabilities"), "max-cost-types")) <
            (json_int_t)q->min_cost_types)
        return 0;
    for (i = 0; i < q->nmetrics; i++)
        if (!q->metrics[i] || !ap__ird_cost_type(a, e, q->metrics[i], q->mode))
            return 0;
    return 1;
}

json_t *ap__ird_find(ap_alto *a, const ap__ird_query *q, const char **idp)
{
    json_t *e;
    const char *id;
    if (!a || !q->media_type)
        return NULL;
    json_object_foreach(json_object_get(a->ird, "resources"), id, e) {
        if (matches(a, e, id, q)) {
            if (idp)
                *idp = id;
            return e;
        }
    }
    return NULL;
}

const char *ap__ird_netmap_id(ap_alto *a, ap_error *err)
{
    const char *rid = json_string_value(json_object_get(json_object_get(a->ird, "meta"), "default-alto-network-map"));
    const char *id;
    json_t *r;
    if (rid)
        return rid;
    /* the only network map, if there is exactly one */
    json_object_foreach(json_object_get(a->ird, "resources"), id, r) {
        const char *mt = json_string_value(json_object_get(r, "media-type"));
        if (mt && !strcmp(mt, "application/alto-networkmap+json") && !json_object_get(r, "accepts")) {
            if (rid) {
                ap__err(err, AP_EFORMAT, a->ird_uri, "several network maps and no default-alto-network-map: "
                        "name one (%s, %s, ...)", rid, id);
                return NULL;
            }
            rid = id;
        }
    }
    if (!rid)
        ap__err(err, AP_EFORMAT, a->ird_uri, "no network map resource in the directory");
    return rid;
}

json_t *ap__ird_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode, int filtered,
                        const char **idp)
{
    ap__ird_query q = {0};
    if (!a || !nm || !metric)
        return NULL;
    q.media_type = "application/alto-costmap+json";
    q.accepts = filtered ? "application/alto-costmapfilter+json" : NULL;
    q.uses = nm->resource_id;
    q.metrics = &metric;
    q.nmetrics = 1;
    q.mode = mode;
    return ap__ird_find(a, &q, idp);
}

const char *ap__alto_find_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                                  int filtered)
{
    const char *id = NULL;
    return ap__ird_costmap(a, nm, metric, mode, filtered, &id) ? id : NULL;
}

char *ap__alto_resource_uri(ap_alto *a, const char *rid)
{
    const char *u = json_string_value(json_object_get(json_object_get(json_object_get(a->ird, "resources"), rid), "uri"));
    return ap__strdup(u ? u : a->ird_uri);
}
