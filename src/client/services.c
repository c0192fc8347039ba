/* services.c - the ALTO services as client calls: network, cost and
 * property maps (full and filtered), multi-cost (RFC 8189), the endpoint
 * cost service.  Each chooses its resource with the directory query
 * (ird.c) and parses answers with the same code as local files. */
#include "client_int.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (!rid && !(rid = ap__ird_netmap_id(a, err)))
        return NULL;
    r = rid ? json_object_get(res, rid) : NULL;
    mt = json_string_value(json_object_get(r, "media-type"));
    if (!r || !mt || strcmp(mt, "application/alto-networkmap+json")) {
        ap__err(err, AP_EFORMAT, a->ird_uri, "no network map resource%s%s in the directory",
                rid ? " " : "", rid ? rid : "");
        return NULL;
    }
    uri = json_string_value(json_object_get(r, "uri"));
    buf = ap__alto_fetch(a, uri, "application/alto-networkmap+json", NULL, NULL, &len, err);
    if (!buf)
        return NULL;
    nm = ap_netmap_parse(buf, len, uri, err);
    free(buf);
    if (nm && a->o.max_pids && nm->n > a->o.max_pids) {
        /* a small document can name many PIDs, and each cost map of them is
         * n x n doubles */
        ap__err(err, AP_EFORMAT, uri, "the network map has %zu PIDs, more than the limit of %zu (a cost map of it "
                "would take %.3g GB; ap_alto_opts.max_pids)", nm->n, a->o.max_pids,
                (double)nm->n * (double)nm->n * 8 / 1e9);
        ap_netmap_free(nm);
        return NULL;
    }
    if (nm && strcmp(nm->resource_id, rid)) {
        ap__err(err, AP_EFORMAT, uri, "meta.vtag.resource-id is \"%s\" but the directory calls it \"%s\"",
                nm->resource_id, rid);
        ap_netmap_free(nm);
        return NULL;
    }
    return nm;
}

/* The first POST resource of media type mt accepting `accepts` (and using
 * `uses`, if given), or resource rid when given; its id goes to *idp. */
static json_t *find_post(ap_alto *a, const char *rid, const char *mt, const char *accepts, const char *uses,
                         const char **idp)
{
    ap__ird_query q = {0};
    q.id = rid;
    q.media_type = mt;
    q.accepts = rid ? AP__ANY_POST : accepts;
    q.uses = rid ? NULL : uses;
    return ap__ird_find(a, &q, idp);
}

/* The cost map the server sent must have the metric and mode asked for
 * (the directory may claim what the map is not). */
static ap_costmap *check_type(ap_costmap *cm, const char *metric, const char *mode, const char *uri, ap_error *err)
{
    if (!cm)
        return NULL;
    if ((metric && strcmp(ap_costmap_metric(cm), metric)) || (mode && strcmp(ap_costmap_mode(cm), mode))) {
        ap__err(err, AP_EFORMAT, uri, "the server sent a cost map of metric %s and mode %s, but %s%s%s%s was "
                "asked for (and the directory offers it)", ap_costmap_metric(cm), ap_costmap_mode(cm),
                metric ? metric : "", metric && mode ? ", mode " : "", mode && !metric ? "mode " : "",
                mode ? mode : "");
        ap_costmap_free(cm);
        return NULL;
    }
    return cm;
}

static json_t *str_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    size_t i;
    for (i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(v[i] ? v[i] : ""));
    return a;
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
    r = rid ? json_object_get(json_object_get(a->ird, "resources"), rid) : ap__ird_costmap(a, nm, metric, mode, 1, &id);
    if (!r || !json_object_get(r, "accepts") || !ap__ird_cost_type(a, r, metric, mode)) {
        ap__err(err, AP_EFORMAT, a->ird_uri, "no filtered cost map%s%s with metric %s that uses network map %s",
                rid ? " " : "", rid ? rid : "", metric, nm->resource_id);
        return NULL;
    }
    if (ncons && !json_is_true(json_object_get(json_object_get(r, "capabilities"), "cost-constraints"))) {
        ap__err(err, AP_EINVAL, json_string_value(json_object_get(r, "uri")),
                "filtered cost map %s does not announce cost-constraints", id);
        return NULL;
    }
    req = json_pack("{s:o,s:{s:o,s:o}}", "cost-type", ap__ird_request_type(a, r, metric, mode), "pids", "srcs",
                    str_array(srcs, nsrcs), "dsts", str_array(dsts, ndsts));
    if (req && ncons)
        json_object_set_new(req, "constraints", str_array(cons, ncons));
    buf = ap__alto_post(a, r, req, "application/alto-costmap+json", "application/alto-costmapfilter+json", &len, err);
    if (!buf)
        return NULL;
    cm = ap_costmap_parse(buf, len, json_string_value(json_object_get(r, "uri")), nm, err);
    free(buf);
    return check_type(cm, metric, mode, json_string_value(json_object_get(r, "uri")), err);
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
    r = find_post(a, rid, "application/alto-networkmap+json", "application/alto-networkmapfilter+json", NULL, &id);
    if (!r || !json_object_get(r, "accepts")) {
        ap__err(err, AP_EFORMAT, a->ird_uri, "no filtered network map%s%s in the directory", rid ? " " : "",
                rid ? rid : "");
        return NULL;
    }
    req = json_pack("{s:o}", "pids", str_array(pids, npids));
    buf = ap__alto_post(a, r, req, "application/alto-networkmap+json", "application/alto-networkmapfilter+json", &len,
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
    r = find_post(a, rid, "application/alto-propmap+json", "application/alto-propmapparams+json", nm->resource_id,
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
    buf = ap__alto_post(a, r, req, "application/alto-propmap+json", "application/alto-propmapparams+json", &len, err);
    if (!buf)
        return NULL;
    pm = ap_propmap_parse(buf, len, json_string_value(json_object_get(r, "uri")), nm, err);
    free(buf);
    return pm;
}

int ap_alto_costmaps_multi(ap_alto *a, const ap_netmap *nm, const char *const *metrics, size_t n,
                           const char *mode, ap_costmap **out, ap_error *err)
{
    json_t *r, *types, *req, *resp = NULL, *map, *row, *v;
    const char *uri = NULL;
    ap__ird_query q = {0};
    size_t i, k;
    int rc = -1;
    if (!a || !nm || !metrics || !n || !out) {
        ap__err(err, AP_EINVAL, NULL, "ap_alto_costmaps_multi: client, network map and metrics are needed");
        return -1;
    }
    for (i = 0; i < n; i++)
        out[i] = NULL;
    q.media_type = "application/alto-costmap+json";
    q.accepts = "application/alto-costmapfilter+json";
    q.uses = nm->resource_id;
    q.metrics = metrics;
    q.nmetrics = n;
    q.mode = mode;
    q.min_cost_types = (int)(n < 1000 ? n : 1000);
    if (!(r = ap__ird_find(a, &q, NULL))) {
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
        json_array_append_new(types, ap__ird_request_type(a, r, metrics[i], mode));
    req = json_pack("{s:o,s:{s:[],s:[]}}", "multi-cost-types", types, "pids", "srcs", "dsts");
    if (!(resp = ap__alto_post_object(a, r, req, "application/alto-costmap+json", "application/alto-costmapfilter+json", err)))
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
    json_t *r = NULL, *req, *resp, *ecm, *s, *d;
    const char *uri;
    size_t i, j;
    if (!a || !metric || !srcs || !dsts || !out || !nsrcs || !ndsts) {
        ap__err(err, AP_EINVAL, NULL, "ap_alto_endpoint_costs: client, metric and addresses are needed");
        return -1;
    }
    {
        ap__ird_query q = {0};
        q.media_type = "application/alto-endpointcost+json";
        q.accepts = AP__ANY_ACCEPTS;
        q.metrics = &metric;
        q.nmetrics = 1;
        q.mode = mode;
        r = ap__ird_find(a, &q, NULL);
    }
    if (!r) {
        ap__err(err, AP_EFORMAT, a->ird_uri, "no endpoint cost service offers metric %s", metric);
        return -1;
    }
    uri = json_string_value(json_object_get(r, "uri"));
    s = typed_addrs(srcs, nsrcs);
    d = typed_addrs(dsts, ndsts);
    /* the request takes its own references; s and d name the answer's rows */
    req = s && d ? json_pack("{s:o,s:{s:O,s:O}}", "cost-type", ap__ird_request_type(a, r, metric, mode), "endpoints",
                             "srcs", s, "dsts", d) : NULL;
    resp = ap__alto_post_object(a, r, req, "application/alto-endpointcost+json", "application/alto-endpointcostparams+json",
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
    json_t *res, *r = NULL;
    const char *uri;
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
        /* full cost maps (GET) first */
        if (!(r = ap__ird_costmap(a, nm, metric, mode, 0, &rid))) {
            /* no full cost map: a filtered one asked for every pair will do */
            if (ap__ird_costmap(a, nm, metric, mode, 1, NULL))
                return ap_alto_costmap_filtered(a, nm, metric, mode, NULL, 0, NULL, 0, NULL, 0, NULL, err);
            ap__err(err, AP_EFORMAT, a->ird_uri, "no cost map with metric %s%s%s%s%s that uses network map %s",
                    metric, mode ? " and mode " : "", mode ? mode : "", a->o.cost_source ? " and cost-source " : "",
                    a->o.cost_source ? a->o.cost_source : "", nm->resource_id);
            return NULL;
        }
    }
    uri = json_string_value(json_object_get(r, "uri"));
    if (json_array_size(json_object_get(json_object_get(r, "capabilities"), "cost-type-names")) > 1) {
        /* RFC 7285 section 11.2.3.4: a (full) cost map offers one cost type */
        if (!a->o.compat) {
            ap__err(err, AP_EFORMAT, a->ird_uri, "cost map resource %s lists %zu cost-type-names; RFC 7285 allows "
                    "exactly one for a cost map (--alto-compat lenient accepts it and checks the map's own cost type)",
                    rid, json_array_size(json_object_get(json_object_get(r, "capabilities"), "cost-type-names")));
            return NULL;
        }
        ap__alto_deviation(a, AP__DEV_COSTTYPES, a->ird_uri, "a cost map resource lists several cost-type-names "
                           "(the map's own meta.cost-type is checked)");
    }
    buf = ap__alto_fetch(a, uri, "application/alto-costmap+json", NULL, NULL, &len, err);
    if (!buf)
        return NULL;
    if (a->o.compat) /* lenient mode extends the caller's network map (documented) */
        ap__compat_costmap(a, (ap_netmap *)(uintptr_t)nm, &buf, &len, uri);
    cm = ap_costmap_parse(buf, len, uri, nm, err);
    free(buf);
    return check_type(cm, metric, mode, uri, err);
}

ap_netmap *ap__alto_netmap(ap_alto *a, const char *rid, char **uri, ap_error *err)
{
    ap_netmap *nm = ap_alto_netmap(a, rid, err);
    if (nm)
        *uri = ap__alto_resource_uri(a, nm->resource_id);
    return nm;
}

ap_costmap *ap__alto_costmap(ap_alto *a, const ap_netmap *nm, const char *metric, const char *mode,
                             const char *rid, char **uri, ap_error *err)
{
    ap_costmap *cm = ap_alto_costmap(a, nm, metric, mode, rid, err);
    if (cm) {
        /* the resource actually fetched: rid, or the first that matched */
        const char *id = NULL;
        *uri = NULL;
        if (rid)
            *uri = ap__alto_resource_uri(a, rid);
        else if (ap__ird_costmap(a, nm, metric, mode, 0, &id) || ap__ird_costmap(a, nm, metric, mode, 1, &id))
            *uri = ap__alto_resource_uri(a, id);
        if (!*uri) {
            ap__err(err, AP_ENOMEM, a->ird_uri, "out of memory");
            ap_costmap_free(cm);
            return NULL;
        }
    }
    return cm;
}

ap_propmap *ap_alto_propmap(ap_alto *a, const ap_netmap *nm, const char *rid, ap_error *err)
{
    char *uri = NULL;
    ap_propmap *pm = ap__alto_propmap(a, nm, rid, &uri, err);
    free(uri);
    return pm;
}

ap_propmap *ap__alto_propmap(ap_alto *a, const ap_netmap *nm, const char *rid, char **urip, ap_error *err)
{
    json_t *r;
    const char *uri;
    char *buf;
    size_t len;
    ap_propmap *pm;
    if (!a || !nm) {
        ap__err(err, AP_EINVAL, NULL, "ap_alto_propmap: client and network map are needed");
        return NULL;
    }
    {
        /* full property maps (GET) only; a named one need not say it uses nm */
        ap__ird_query q = {0};
        q.id = rid;
        q.media_type = "application/alto-propmap+json";
        q.uses = rid ? NULL : nm->resource_id;
        r = ap__ird_find(a, &q, NULL);
    }
    if (!r) {
        /* only a filtered property map (POST, RFC 9240): every PID of nm,
         * every property it announces */
        const char *fid = NULL;
        json_t *f = find_post(a, rid, "application/alto-propmap+json", "application/alto-propmapparams+json",
                              nm->resource_id, &fid);
        if (f) {
            pm = ap_alto_propmap_filtered(a, nm, NULL, 0, NULL, 0, fid, err);
            if (pm && !(*urip = ap__strdup(json_string_value(json_object_get(f, "uri"))))) {
                ap_propmap_free(pm);
                ap__err(err, AP_ENOMEM, a->ird_uri, "out of memory");
                return NULL;
            }
            return pm;
        }
        ap__err(err, AP_EFORMAT, a->ird_uri, "no property map %s%sthat uses network map %s (neither GET nor filtered)",
                rid ? rid : "", rid ? " " : "", nm->resource_id);
        return NULL;
    }
    uri = json_string_value(json_object_get(r, "uri"));
    buf = ap__alto_fetch(a, uri, "application/alto-propmap+json", NULL, NULL, &len, err);
    if (!buf)
        return NULL;
    pm = ap_propmap_parse(buf, len, uri, nm, err);
    free(buf);
    if (pm)
        *urip = ap__strdup(uri);
    return pm;
}
