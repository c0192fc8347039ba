/* load_alto.c - the ALTO documents of a problem file: network, cost and
 * property maps from files, from an ALTO server (alto.ird or --alto), or
 * from the caller (an update stream's maps); the metric checks. */
#include "load_int.h"
#include "client/client_int.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPT(obj, key, where) ap__opt_string(obj, key, L->path, where, err, &bad)

int ap__load_alto_section(ap__loader *L, ap_error *err)
{
    json_t *v;
    const char *s;
    int bad = 0;
    L->alto = json_object_get(L->root, "alto");
    if (!json_is_object(L->alto)) {
        ap__err(err, AP_EFORMAT, L->path, "alto: missing or not an object naming network-map and cost-map");
        return -1;
    }
    {
        static const char *const alto_keys[] = {"network-map", "cost-map", "property-map", "bandwidth-map", "ird",
            "cost-mode", "timeout", "cache", "allow-stale", "auth-file", "auth-any-origin", "compat", "cacert", "cert", "key",
            "cost-source", NULL};
        if (ap__check_keys(L->alto, alto_keys, L->path, "alto.", err))
            return -1;
    }
    if ((v = json_object_get(L->alto, "timeout")) &&
        (!json_is_number(v) || !(json_number_value(v) >= 0.001 && json_number_value(v) <= 86400))) {
        /* 1e-9 would be curl's 0, "no limit"; 1e300 no number of milliseconds */
        ap__err(err, AP_EFORMAT, L->path, "alto.timeout: must be a number of seconds from 0.001 to 86400");
        return -1;
    }
    L->ird = L->lo->alto_uri ? L->lo->alto_uri : OPT(L->alto, "ird", "alto.");
    if (bad)
        return -1;
    if (L->ird) {
        /* from an ALTO server: network-map and cost-map, if given, are
         * resource ids of its directory */
        if (json_object_get(L->alto, "bandwidth-map") || json_is_array(json_object_get(L->alto, "cost-map"))) {
            ap__err(err, AP_EFORMAT, L->path, "alto: bandwidth maps and several cost maps are read from "
                    "files only for now; drop them or use files instead of alto.ird");
            return -1;
        }
        return 0;
    }
    if (!(s = OPT(L->alto, "network-map", "alto."))) {
        if (!bad)
            ap__err(err, AP_EFORMAT, L->path, "alto.network-map: missing (a file, or give alto.ird)");
        return -1;
    }
    L->nmpath = ap__path_join(L->dir, s);
    v = json_object_get(L->alto, "cost-map");
    if (json_is_array(v) && json_array_size(v) > 0) {
        /* several metrics: the first builds the problem, the others are
         * combined with it by ap__load_extend() */
        if (!(s = json_string_value(json_array_get(v, 0)))) {
            ap__err(err, AP_EFORMAT, L->path, "alto.cost-map[0]: not a string");
            return -1;
        }
    } else {
        s = OPT(L->alto, "cost-map", "alto.");
    }
    if (!s) {
        if (!bad)
            ap__err(err, AP_EFORMAT, L->path, "alto.cost-map: missing");
        return -1;
    }
    L->cmpath = ap__path_join(L->dir, s);
    s = OPT(L->alto, "property-map", "alto.");
    if (bad)
        return -1;
    if (s)
        L->pmpath = ap__path_join(L->dir, s);
    if (!L->nmpath || !L->cmpath || (s && !L->pmpath)) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return -1;
    }
    return 0;
}

/* A path of the problem file's folder into *slot (NULL: none given). */
static int path_in(ap__loader *L, const char *rel, char **slot, ap_error *err)
{
    if (rel && !(*slot = ap__path_join(L->dir, rel))) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return -1;
    }
    return 0;
}

/* Client options from alto.* and the caller's overrides; the paths it
 * names are kept in `own` (freed by the caller). */
static int client_opts(ap__loader *L, ap_alto_opts *ao, char *own[5], ap_error *err)
{
    const ap_load_opts *lo = L->lo;
    json_t *to = json_object_get(L->alto, "timeout");
    const char *cache, *authf, *cp, *ca, *ce, *ke;
    int bad = 0;
    cache = OPT(L->alto, "cache", "alto.");
    authf = OPT(L->alto, "auth-file", "alto.");
    cp = OPT(L->alto, "compat", "alto.");
    ca = OPT(L->alto, "cacert", "alto.");
    ce = OPT(L->alto, "cert", "alto.");
    ke = OPT(L->alto, "key", "alto.");
    ap_alto_opts_init(ao);
    ao->cost_source = OPT(L->alto, "cost-source", "alto.");
    if (cp && strcmp(cp, "strict") && strcmp(cp, "lenient")) {
        ap__err(err, AP_EFORMAT, L->path, "alto.compat: must be \"strict\" or \"lenient\"");
        return -1;
    }
    if (bad || path_in(L, cache, &own[0], err) || path_in(L, authf, &own[1], err) || path_in(L, ca, &own[2], err) ||
        path_in(L, ce, &own[3], err) || path_in(L, ke, &own[4], err))
        return -1;
    if (to) /* checked by ap__load_alto_section */
        ao->timeout = json_number_value(to);
    ao->cache_dir = lo->alto_cache ? lo->alto_cache : own[0];
    ao->auth_file = own[1];
    ao->allow_stale = lo->allow_stale || json_is_true(json_object_get(L->alto, "allow-stale"));
    ao->auth_any_origin = lo->alto_auth_any_origin || json_is_true(json_object_get(L->alto, "auth-any-origin"));
    ao->compat = lo->alto_compat || (cp && !strcmp(cp, "lenient"));
    ao->log = lo->log;
    ao->log_ud = lo->log_ud;
    ao->cacert = lo->cacert ? lo->cacert : own[2];
    ao->client_cert = lo->client_cert ? lo->client_cert : own[3];
    ao->client_key = lo->client_cert ? lo->client_key : own[4];
    return 0;
}

/* The cost map from the server.  When the directory offers the metric only
 * as a filtered cost map, asks for just the pairs the problem uses: the
 * candidate sites (model.candidates, else all) and the PIDs with demand
 * (inline or a demand file; with request logs, all pairs). */
static ap_costmap *server_costmap(ap__loader *L, const char *metric, const char *mode, const char *cmid,
                                  ap_error *err)
{
    const char *fid = NULL, *key, **cl = NULL, **si = NULL;
    json_t *dem = json_object_get(L->root, "demand"), *dj = NULL, *dobj = NULL, *v;
    json_t *cands = json_object_get(L->model, "candidates");
    size_t nc = 0, ns = 0, i;
    ap_costmap *cm = NULL;
    if (cmid || !metric || ap__alto_find_costmap(L->client, L->nm, metric, mode, 0) ||
        !(fid = ap__alto_find_costmap(L->client, L->nm, metric, mode, 1)))
        return ap__alto_costmap(L->client, L->nm, metric, mode, cmid, &L->cmpath, err);
    if (json_is_object(dem) && !json_object_get(dem, "log") && !json_object_get(dem, "flows")) {
        dobj = dem;
    } else if (json_is_string(dem)) {
        char *dp = ap__path_join(L->dir, json_string_value(dem));
        dj = dp ? ap__json_load_object(dp, NULL) : NULL;
        dobj = json_object_get(dj, "demand");
        free(dp);
    }
    if (!json_is_object(dobj) || (cands && !json_is_array(cands))) {
        json_decref(dj); /* whatever is wrong is reported later; take all pairs */
        return ap__alto_costmap(L->client, L->nm, metric, mode, NULL, &L->cmpath, err);
    }
    cl = malloc((json_object_size(dobj) + 1) * sizeof *cl);
    si = malloc((json_array_size(cands) + 1) * sizeof *si);
    if (!cl || !si) {
        ap__err(err, AP_ENOMEM, ap_alto_uri(L->client), "out of memory");
        goto out;
    }
    json_object_foreach(dobj, key, v)
        if (json_number_value(v) > 0)
            cl[nc++] = key;
    json_array_foreach(cands, i, v)
        if (json_is_string(v))
            si[ns++] = json_string_value(v);
    cm = L->bo.client_to_site
             ? ap_alto_costmap_filtered(L->client, L->nm, metric, mode, cl, nc, si, ns, NULL, 0, fid, err)
             : ap_alto_costmap_filtered(L->client, L->nm, metric, mode, si, ns, cl, nc, NULL, 0, fid, err);
    if (cm && !(L->cmpath = ap__alto_resource_uri(L->client, fid))) {
        ap__err(err, AP_ENOMEM, ap_alto_uri(L->client), "out of memory");
        ap_costmap_free(cm);
        cm = NULL;
    }
out:
    free(cl);
    free(si);
    json_decref(dj);
    return cm;
}

/* Further metrics of a cost-metric list: one multi-cost request (RFC 8189)
 * when the server offers it, else one cost map per metric. */
static int server_extra(ap__loader *L, json_t *cmet, const char *mode, ap_error *err)
{
    size_t n = json_array_size(cmet), i;
    const char *ms[AP__MAX_EXTRA + 1];
    ap_costmap *outs[AP__MAX_EXTRA + 1];
    ap_error me;
    if (n > AP__MAX_EXTRA + 1) {
        ap__err(err, AP_EFORMAT, L->path, "cost-metric: at most %d metrics", AP__MAX_EXTRA + 1);
        return -1;
    }
    for (i = 0; i < n; i++)
        if (!(ms[i] = json_string_value(json_array_get(cmet, i)))) {
            ap__err(err, AP_EFORMAT, L->path, "cost-metric[%zu]: not a string", i);
            return -1;
        }
    ap_error_clear(&me);
    if (ap_alto_costmaps_multi(L->client, L->nm, ms, n, mode, outs, &me) == 0) {
        ap_costmap_free(outs[0]); /* the same values as L->cm */
        for (i = 1; i < n; i++) {
            L->extra[L->nextra] = outs[i];
            if (!(L->extra_src[L->nextra++] = ap__strdup(L->cmpath))) {
                for (i++; i < n; i++)
                    ap_costmap_free(outs[i]);
                ap__err(err, AP_ENOMEM, L->path, "out of memory");
                return -1;
            }
        }
        return 0;
    }
    for (i = 1; i < n; i++) {
        char *u = NULL;
        if (!(L->extra[L->nextra] = ap__alto_costmap(L->client, L->nm, ms[i], mode, NULL, &u, err))) {
            free(u);
            return -1;
        }
        L->extra_src[L->nextra++] = u;
    }
    return 0;
}

/* Network and cost maps (and further metrics) from the ALTO server. */
/* A resource id for the server: the caller's, else alto.<key> of the
 * file; with --alto, the file's value only when the directory has a
 * resource of that name (it may be a file name meant for files). */
static const char *resource_id(ap__loader *L, const char *given, const char *key, int *bad, ap_error *err)
{
    const char *v;
    if (given)
        return given;
    v = ap__opt_string(L->alto, key, L->path, "alto.", err, bad);
    if (v && L->lo->alto_uri && !json_object_get(json_object_get(ap__alto_ird(L->client), "resources"), v))
        return NULL;
    return v;
}

static int from_server(ap__loader *L, ap_error *err)
{
    json_t *cmet = json_object_get(L->root, "cost-metric");
    ap_alto_opts ao;
    char *own[5] = {0};
    const char *metric, *mode, *nmid, *cmid;
    int bad = 0, rc = -1, k;
    metric = json_is_array(cmet) ? json_string_value(json_array_get(cmet, 0)) : OPT(L->root, "cost-metric", "");
    mode = OPT(L->alto, "cost-mode", "alto.");
    if (bad)
        return -1;
    if (client_opts(L, &ao, own, err) || !(L->client = ap_alto_open(L->ird, &ao, err)))
        goto out;
    nmid = resource_id(L, L->lo->network_map_id, "network-map", &bad, err);
    cmid = resource_id(L, L->lo->cost_map_id, "cost-map", &bad, err);
    L->pmid = resource_id(L, L->lo->property_map_id, "property-map", &bad, err);
    if (bad)
        goto out;
    if (!metric && !cmid) {
        ap__err(err, AP_EFORMAT, L->path, "cost-metric: needed to choose a cost map from the ALTO server");
        goto out;
    }
    if (L->lo->netmap && L->lo->costmap) {
        rc = 0; /* the caller's maps (e.g. an update stream's); the server still gives the property map */
        goto out;
    }
    if (!(L->nm = ap__alto_netmap(L->client, nmid, &L->nmpath, err)))
        goto out;
    L->nm_age = ap_alto_last_age(L->client);
    if (!(L->cm = server_costmap(L, metric, mode, cmid, err)))
        goto out;
    L->cm_age = ap_alto_last_age(L->client);
    if (json_is_array(cmet) && json_array_size(cmet) > 1 && server_extra(L, cmet, mode, err))
        goto out;
    rc = 0;
out:
    for (k = 0; k < 5; k++)
        free(own[k]);
    return rc;
}

/* The metric checks: RFC 9439 names, a higher-is-better metric is not a
 * cost, and the cost map has the metric the problem asks for. */
static int check_metrics(ap__loader *L, ap_error *err)
{
    json_t *cmet = json_object_get(L->root, "cost-metric");
    ap_metric_info mi;
    const char *s, *m;
    size_t i;
    int bad = 0;
    if (json_is_array(cmet) && json_array_size(cmet) > 1 && !L->nextra) {
        ap__err(err, AP_EFORMAT, L->path, "cost-metric: a list of metrics is read from an ALTO server (alto.ird, "
                "not an update stream); with files, list the cost maps in alto.cost-map");
        return -1;
    }
    for (i = 0; i < L->nextra; i++) {
        if (ap_metric_parse(L->extra[i]->metric, &mi, err))
            return -1;
        if (mi.higher_is_better) {
            ap__err(err, AP_EFORMAT, L->path, "cost-metric %s: more is better (%s), so it cannot be a cost",
                    L->extra[i]->metric, mi.unit);
            return -1;
        }
    }
    s = json_is_array(cmet) ? json_string_value(json_array_get(cmet, 0)) : OPT(L->root, "cost-metric", "");
    if (bad)
        return -1;
    m = s ? s : L->cm->metric;
    if (m && ap_metric_parse(m, &mi, err)) {
        if (err)
            snprintf(err->source, sizeof err->source, "%s", s ? L->path : L->cmpath);
        return -1;
    }
    if (m && mi.higher_is_better) {
        ap__err(err, AP_EFORMAT, s ? L->path : L->cmpath, "cost-metric %s: more is better (%s), so it cannot be "
                "the cost to minimise; give it as alto.bandwidth-map to exclude pairs that lack bandwidth", m,
                mi.unit);
        return -1;
    }
    if (s && strcmp(s, L->cm->metric) != 0) {
        ap__err(err, AP_EFORMAT, L->cmpath, "cost map has metric \"%s\" but the problem %s asks for \"%s\"",
                L->cm->metric, L->path, s);
        return -1;
    }
    return 0;
}

int ap__load_maps(ap__loader *L, ap_error *err)
{
    const ap_load_opts *lo = L->lo;
    if (L->ird && from_server(L, err))
        return -1;
    if (lo->netmap && lo->costmap) {
        /* the caller's maps, named as it says */
        const char *src = lo->maps_source ? lo->maps_source : L->ird ? L->ird : L->path;
        L->nm = (ap_netmap *)(uintptr_t)lo->netmap; /* borrowed: never changed or freed */
        L->cm = (ap_costmap *)(uintptr_t)lo->costmap;
        L->borrowed = 1;
        free(L->nmpath);
        free(L->cmpath);
        if (!(L->nmpath = ap__strdup(src)) || !(L->cmpath = ap__strdup(src))) {
            ap__err(err, AP_ENOMEM, L->path, "out of memory");
            return -1;
        }
    } else if (!L->ird) {
        if (!(L->nm = ap_netmap_load(L->nmpath, err)) || !(L->cm = ap_costmap_load(L->cmpath, L->nm, err)))
            return -1;
    }
    if (check_metrics(L, err))
        return -1;
    if (L->ird && (L->bo.capacity_prop || L->bo.opening_cost_prop)) {
        if (!(L->pm = ap__alto_propmap(L->client, L->nm, L->pmid, &L->pmpath, err)))
            return -1;
    } else if (L->pmpath && !(L->pm = ap_propmap_load(L->pmpath, L->nm, err))) {
        return -1;
    }
    if (L->pm && L->pm->unchecked && (L->bo.capacity_prop || L->bo.opening_cost_prop))
        ap__logf(L->lo->log, L->lo->log_ud, AP_LOG_WARN,
                 "%s: the property map carries no dependent-vtags naming network map %s (RFC 9240): whether it "
                 "describes this version of the map cannot be checked", L->pmpath ? L->pmpath : L->path,
                 L->nm->resource_id);
    return 0;
}
