/* load_demand.c - the demand of a problem file: a demand file, an inline
 * object, or request logs / transfer records (demand.log, demand.flows, or
 * --requests), optionally forecast one bucket ahead. */
#include "load_int.h"
#include "alto/alto_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

int ap__demand_object(json_t *obj, const char *src, const char *where, ap__volumes *v, ap_error *err)
{
    const char *key;
    json_t *x;
    size_t k = 0;
    if (!json_is_object(obj)) {
        ap__err(err, AP_EFORMAT, src, "%s: not an object of PID -> volume", where);
        return -1;
    }
    v->pid = malloc((json_object_size(obj) + 1) * sizeof *v->pid);
    v->vol = malloc((json_object_size(obj) + 1) * sizeof *v->vol);
    if (!v->pid || !v->vol) {
        ap__err(err, AP_ENOMEM, src, "out of memory");
        return -1;
    }
    json_object_foreach(obj, key, x) {
        double d;
        if (!json_is_number(x)) {
            ap__err(err, AP_EFORMAT, src, "%s.%s: volume is not a number", where, key);
            return -1;
        }
        d = json_number_value(x);
        if (!isfinite(d) || d < 0) {
            ap__err(err, AP_EFORMAT, src, "%s.%s: volume %g is negative or not finite", where, key, d);
            return -1;
        }
        v->pid[k] = key;
        v->vol[k] = d;
        k++;
    }
    v->n = k;
    return 0;
}

int ap__demand_file(const char *path, ap__volumes *v, ap_error *err)
{
    json_t *dobj;
    if (!(v->doc = ap__json_load_object(path, err)))
        return -1;
    dobj = json_object_get(v->doc, "demand");
    if (!dobj) {
        ap__err(err, AP_EFORMAT, path, "demand: missing (expected {\"demand\": {\"PID\": volume, ...}})");
        return -1;
    }
    return ap__demand_object(dobj, path, "demand", v, err);
}

void ap__volumes_free(ap__volumes *v)
{
    free(v->pid);
    free(v->vol);
    json_decref(v->doc);
    memset(v, 0, sizeof *v);
}

/* The demand.{log, flows} object of a problem file, checked. */
typedef struct {
    ap_demand_opts o;
    json_t *logs;        /* demand.log: a string or an array of them */
    const char *flows, *sites;
    size_t nlogs;
    int bytes, forecast;
    size_t season, horizon;
} logcfg;

static int number_in(json_t *cfg, const char *key, double lo, double hi, const char *src, const char *msg,
                     double *out, ap_error *err)
{
    json_t *v = json_object_get(cfg, key);
    if (!v)
        return 0;
    if (!json_is_number(v) || json_number_value(v) < lo || json_number_value(v) > hi) {
        ap__err(err, AP_EFORMAT, src, "demand.%s: %s", key, msg);
        return -1;
    }
    *out = json_number_value(v);
    return 0;
}

static int read_logcfg(json_t *cfg, const char *src, logcfg *c, ap_error *err)
{
    static const char *const keys[] = {"log", "flows", "sites", "format", "map", "weight", "bucket",
                                       "forecast", "season", "max-bad", "max-unmatched", "horizon", NULL};
    json_t *v;
    if (ap__check_keys(cfg, keys, src, "demand.", err))
        return -1;
    c->logs = json_object_get(cfg, "log");
    c->nlogs = json_is_array(c->logs) ? json_array_size(c->logs) : json_is_string(c->logs) ? 1 : 0;
    if (json_object_get(cfg, "flows")) {
        c->flows = json_string_value(json_object_get(cfg, "flows"));
        c->sites = json_string_value(json_object_get(cfg, "sites"));
        if (c->logs || !c->flows || !c->sites) {
            ap__err(err, AP_EFORMAT, src, "demand.flows: needs demand.sites (file names), and no demand.log");
            return -1;
        }
    } else if (c->nlogs == 0) {
        ap__err(err, AP_EFORMAT, src, "demand.log: must be a file name or a non-empty array of them");
        return -1;
    }
    if (json_object_get(cfg, "format") && !json_is_string(json_object_get(cfg, "format"))) {
        ap__err(err, AP_EFORMAT, src, "demand.format: must be a string");
        return -1;
    }
    c->o.format = json_string_value(json_object_get(cfg, "format"));
    if (json_object_get(cfg, "map") && !json_is_string(json_object_get(cfg, "map"))) {
        ap__err(err, AP_EFORMAT, src, "demand.map: must be a string like time=ts,addr=ip,bytes=size");
        return -1;
    }
    c->o.map = json_string_value(json_object_get(cfg, "map"));
    if ((v = json_object_get(cfg, "weight"))) {
        const char *w = json_string_value(v);
        if (!w || (strcmp(w, "requests") && strcmp(w, "bytes"))) {
            ap__err(err, AP_EFORMAT, src, "demand.weight: must be \"requests\" or \"bytes\"");
            return -1;
        }
        c->bytes = !strcmp(w, "bytes");
    }
    if (number_in(cfg, "bucket", 0, INFINITY, src, "must be a number of seconds >= 0", &c->o.bucket, err) ||
        number_in(cfg, "max-bad", 0, 1, src, "must be a fraction in [0, 1]", &c->o.max_bad, err) ||
        number_in(cfg, "max-unmatched", 0, 1, src, "must be a fraction in [0, 1]", &c->o.max_unmatched, err))
        return -1;
    if ((v = json_object_get(cfg, "forecast")))
        c->forecast = json_is_true(v);
    if ((v = json_object_get(cfg, "season"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 0) {
            ap__err(err, AP_EFORMAT, src, "demand.season: must be a number of buckets >= 0");
            return -1;
        }
        c->season = (size_t)json_integer_value(v);
    }
    if ((v = json_object_get(cfg, "horizon"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 10000) {
            ap__err(err, AP_EFORMAT, src, "demand.horizon: must be a number of buckets in 0..10000");
            return -1;
        }
        c->horizon = (size_t)json_integer_value(v);
    }
    return 0;
}

/* The request logs (or transfer records) read into a demand object. */
static ap_demand *read_logs(ap__loader *L, const logcfg *c, const char *requests, ap_error *err)
{
    size_t np = requests ? 1 : c->nlogs, i;
    char **owned = calloc(np + 1, sizeof *owned);
    ap_demand *d = NULL;
    if (!owned) {
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return NULL;
    }
    if (!requests && c->flows) {
        char *fp = ap__path_join(L->dir, c->flows), *sp = ap__path_join(L->dir, c->sites);
        d = fp && sp ? ap_demand_read_flows(L->nm, fp, sp, &c->o, err) : NULL;
        L->dpath = fp;
        free(sp);
        free(owned);
        return d;
    }
    for (i = 0; i < np; i++) {
        const char *f = requests ? requests
                        : json_is_array(c->logs) ? json_string_value(json_array_get(c->logs, i))
                                                 : json_string_value(c->logs);
        if (!f) {
            ap__err(err, AP_EFORMAT, L->path, "demand.log[%zu]: not a string", i);
            goto out;
        }
        if (!(owned[i] = requests || !strcmp(f, "-") ? ap__strdup(f) : ap__path_join(L->dir, f))) {
            ap__err(err, AP_ENOMEM, L->path, "out of memory");
            goto out;
        }
    }
    d = ap_demand_read(L->nm, (const char *const *)owned, np, &c->o, err);
    L->dpath = ap__strdup(owned[0]);
out:
    for (i = 0; i < np; i++)
        free(owned[i]);
    free(owned);
    return d;
}

/* Demand from request logs: `cfg` is the problem's {"log": ..., ...}
 * object, or NULL with `requests` a log given on the command line.  The
 * PID names are borrowed from the network map. */
static int demand_from_log(ap__loader *L, json_t *cfg, const char *requests, ap_error *err)
{
    logcfg c;
    ap_demand *d;
    const ap_netmap *nm = L->nm;
    double *next = NULL;
    size_t i, k = 0;
    int rc = -1;

    memset(&c, 0, sizeof c);
    ap_demand_opts_init(&c.o);
    if (cfg && read_logcfg(cfg, L->path, &c, err))
        return -1;
    L->dem.pid = malloc((nm->n ? nm->n : 1) * sizeof *L->dem.pid);
    L->dem.vol = malloc((nm->n ? nm->n : 1) * sizeof *L->dem.vol);
    next = malloc((nm->n ? nm->n : 1) * sizeof *next);
    if (!L->dem.pid || !L->dem.vol || !next) {
        free(next);
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
        return -1;
    }
    if (!(d = read_logs(L, &c, requests, err)))
        goto done;
    {
        /* say what was read: a log mostly outside the network map is a
         * warning well before it is an error */
        double req = (double)(ap_demand_lines(d) - ap_demand_bad_lines(d));
        ap__logf(L->lo->log, L->lo->log_ud, req > 0 && ap_demand_unmatched(d) > 0.25 * req ? AP_LOG_WARN : AP_LOG_INFO,
                 "%s: %ld lines, %ld bad, %ld requests (%.0f%%) from addresses in no PID", L->dpath ? L->dpath : L->path,
                 ap_demand_lines(d), ap_demand_bad_lines(d), ap_demand_unmatched(d),
                 req > 0 ? 100.0 * (double)ap_demand_unmatched(d) / req : 0.0);
    }
    if (c.forecast) {
        ap_backtest bt;
        memset(&bt, 0, sizeof bt);
        if (ap_demand_forecast(d, c.bytes, c.season, next, &bt, err))
            goto done;
        if (bt.points > 0 && bt.mase >= 1)
            ap__logf(L->lo->log, L->lo->log_ud, AP_LOG_WARN,
                     "%s: the forecast is no better than repeating the last bucket (backtest over %zu buckets: "
                     "MASE %.3f >= 1)", L->dpath ? L->dpath : L->path, bt.points, bt.mase);
    }
    if (L->lo->horizon)
        c.horizon = L->lo->horizon;
    if (c.horizon) {
        /* the buckets ahead, for advice on when the plan breaks */
        if (!(L->future = malloc(c.horizon * (nm->n ? nm->n : 1) * sizeof *L->future))) {
            ap__err(err, AP_ENOMEM, L->path, "out of memory");
            goto done;
        }
        if (ap_demand_forecast_ahead(d, c.bytes, c.season, c.horizon, L->future, NULL, err))
            goto done;
        L->horizon = c.horizon;
    }
    for (i = 0; i < nm->n; i++) {
        double w = c.forecast ? next[i] : ap_demand_total(d, i, c.bytes);
        if (w > 0) {
            L->dem.pid[k] = nm->pid[i];
            L->dem.vol[k] = w;
            k++;
        }
    }
    L->dem.n = k;
    L->dunit = c.bytes || c.flows ? "bytes" : "requests";
    rc = L->dpath ? 0 : -1;
    if (rc)
        ap__err(err, AP_ENOMEM, L->path, "out of memory");
done:
    ap_demand_free(d);
    free(next);
    return rc;
}

int ap__load_demand(ap__loader *L, ap_error *err)
{
    json_t *dem = json_object_get(L->root, "demand");
    const char *requests = L->lo->requests;
    if (L->lo->horizon && !requests && !(json_is_object(dem) && (json_object_get(dem, "log") ||
                                                               json_object_get(dem, "flows")))) {
        ap__err(err, AP_EINVAL, L->path, "a forecast horizon needs the demand from request logs "
                "(demand.log or --requests)");
        return -1;
    }
    if (requests || (json_is_object(dem) && (json_object_get(dem, "log") || json_object_get(dem, "flows"))))
        return demand_from_log(L, requests ? NULL : dem, requests, err);
    if (json_is_string(dem)) {
        if (!(L->dpath = ap__path_join(L->dir, json_string_value(dem)))) {
            ap__err(err, AP_ENOMEM, L->path, "out of memory");
            return -1;
        }
        if (ap__demand_file(L->dpath, &L->dem, err))
            return -1;
        {
            /* what demand(1) wrote it from */
            const char *w = json_string_value(json_object_get(json_object_get(L->dem.doc, "meta"), "weight"));
            L->dunit = w && !strcmp(w, "bytes") ? "bytes" : w && !strcmp(w, "requests") ? "requests" : NULL;
        }
        return 0;
    }
    if (json_is_object(dem))
        return ap__demand_object(dem, L->path, "demand", &L->dem, err);
    ap__err(err, AP_EFORMAT, L->path, "demand: missing; give a file name or an object PID -> volume");
    return -1;
}
