/* metric.c - cost metric names: RFC 7285 10.6 (at most 32 characters) and
 * the base metrics, units and statistical operators of RFC 9439. */
#include "alto_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name, *unit;
    int higher;
} METRICS[] = {
    {"routingcost", "", 0},
    {"hopcount", "hops", 0},
    {"delay-ow", "microseconds", 0},
    {"delay-rt", "microseconds", 0},
    {"delay-variation", "microseconds", 0},
    {"lossrate", "percent", 0},
    {"tput", "bytes per second", 1},
    {"bw-residual", "bytes per second", 1},
    {"bw-available", "bytes per second", 1},
    {"bw-maximum", "bytes per second", 1},
};

static const char *const STATS[] = {"cur", "min", "max", "median", "mean", "stddev", "stdvar"};

int ap_metric_parse(const char *name, ap_metric_info *out, ap_error *err)
{
    const char *colon;
    size_t i, blen;
    if (!name || !out) {
        ap__err(err, AP_EINVAL, NULL, "no metric name");
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->unit = "";
    if (strlen(name) == 0 || strlen(name) > 32) {
        ap__err(err, AP_EINVAL, name, "a cost metric name has 1 to 32 characters (RFC 7285 10.6)");
        return -1;
    }
    colon = strchr(name, ':');
    blen = colon ? (size_t)(colon - name) : strlen(name);
    /* "priv:NAME" is a private-use metric, not a statistical operator */
    if (colon && blen == 4 && !strncmp(name, "priv", 4)) {
        colon = strchr(colon + 1, ':');
        blen = colon ? (size_t)(colon - name) : strlen(name);
    }
    for (i = 0; i < blen; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!(isalnum(c) && c < 128) && c != '-' && c != '_' && c != '.' && !(c == ':' && i == 4)) {
            ap__err(err, AP_EINVAL, name, "cost metric \"%s\": character '%c' not allowed", name, c);
            return -1;
        }
    }
    if (blen == 0) {
        ap__err(err, AP_EINVAL, name, "cost metric \"%s\": empty base name", name);
        return -1;
    }
    memcpy(out->base, name, blen);
    out->base[blen] = '\0';
    if (colon) {
        const char *st = colon + 1;
        int ok = 0;
        for (i = 0; i < sizeof STATS / sizeof STATS[0]; i++)
            ok |= !strcmp(st, STATS[i]);
        if (!ok && st[0] == 'p' && isdigit((unsigned char)st[1])) {
            /* pNN or pNN.N: a percentile in [0, 100] */
            char *end;
            double v = strtod(st + 1, &end);
            const char *q;
            ok = *end == '\0' && v >= 0 && v <= 100 && st[strlen(st) - 1] != '.';
            for (q = st + 1; ok && *q; q++)
                ok = isdigit((unsigned char)*q) || *q == '.';
        }
        if (!ok || strlen(st) >= sizeof out->stat) {
            ap__err(err, AP_EINVAL, name, "cost metric \"%s\": statistical operator \"%s\" is not one of cur, min, "
                    "max, median, mean, stddev, stdvar, p<0-100> (RFC 9439)", name, st);
            return -1;
        }
        strcpy(out->stat, st);
    }
    for (i = 0; i < sizeof METRICS / sizeof METRICS[0]; i++)
        if (!strcmp(out->base, METRICS[i].name)) {
            out->known = 1;
            out->unit = METRICS[i].unit;
            out->higher_is_better = METRICS[i].higher;
        }
    if (!strcmp(out->stat, "stdvar"))
        out->unit = ""; /* the square of the unit */
    return 0;
}

double ap_metric_display(const char *metric, double typical, char *label, size_t cap)
{
    ap_metric_info mi;
    const char *u = "";
    double f = 1;
    if (!label || !cap)
        return 1;
    if (metric && *metric && ap_metric_parse(metric, &mi, NULL) == 0)
        u = mi.unit;
    if (!strcmp(u, "microseconds")) {
        if (fabs(typical) >= 1e6)
            u = "s", f = 1e-6;
        else if (fabs(typical) >= 1000)
            u = "ms", f = 1e-3;
        else
            u = "µs";
    } else if (!strcmp(u, "bytes per second")) {
        static const char *const BPS[] = {"B/s", "kB/s", "MB/s", "GB/s", "TB/s"};
        int i = 0;
        while (i < 4 && fabs(typical) * f >= 1000) {
            f *= 1e-3;
            i++;
        }
        u = BPS[i];
    } else if (!strcmp(u, "percent")) {
        u = "%";
    }
    snprintf(label, cap, "%s", u);
    return f;
}
