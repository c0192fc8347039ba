/* cmd_demand.c - altoplace demand: demand per PID (and its forecast) from request logs. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const demand_usage =
    "usage: altoplace demand LOG... -n NETWORKMAP.json [options]\n"
    "       altoplace demand --flows FLOWS.json --sites MAP.json -n NETWORKMAP.json\n"
    "\n"
    "Count requests and bytes per PID (longest-prefix match of the client\n"
    "address on the network map) and per time bucket, from access logs in\n"
    "Common or Combined Log Format, CSV with a header, or JSON lines; gzip\n"
    "files are read directly and '-' is standard input.  Writes a demand file\n"
    "that a problem file can name as its demand.\n"
    "\n"
    "options:\n"
    "  -n, --network-map FILE  the ALTO network map (required)\n"
    "  --flows FILE --sites MAP  transfer records [src, dst, start, end, bytes]\n"
    "                          (JSON) instead of logs; MAP is {\"SITE\": \"PID\"}\n"
    "  -o, --output FILE       demand JSON (default: stdout)\n"
    "  --csv FILE              also write pid,bucket_start,requests,bytes rows\n"
    "  --format F              auto (default), clf, csv or jsonl\n"
    "  --map M                 field names for csv/jsonl: time=ts,addr=client,bytes=size\n"
    "  --bucket D              time bucket: seconds, or 5m, 1h, 1d (default 1h)\n"
    "  --weight W              requests (default) or bytes\n"
    "  --max-bad F             fail when more than this fraction of lines is bad\n"
    "                          (default 0.01)\n"
    "  --max-unmatched F       fail when more than F of the requests come from\n"
    "                          addresses in no PID (default 0.9: a wrong network map)\n"
    "  --forecast              the demand is the forecast of the next bucket\n"
    "                          (Holt-Winters), with a backtest against the naive\n"
    "                          'same as last bucket' forecast\n"
    "  --season N              season length in buckets (default: 1 day of buckets)\n"
    "  --objects               also count per object id (request path, or the\n"
    "                          object column/key of CSV and JSON lines)\n"
    "  -q, --quiet             no summary on stderr\n"
    "  -v, --verbose           the summary (the default) and warnings\n"
    "  -h, --help              this help\n";


static int parse_duration(const char *s, double *v)
{
    char *end;
    double x;
    errno = 0;
    x = strtod(s, &end);
    if (end == s || errno || !isfinite(x) || x < 0)
        return -1;
    if (*end == 's' || *end == '\0')
        ;
    else if (*end == 'm')
        x *= 60;
    else if (*end == 'h')
        x *= 3600;
    else if (*end == 'd')
        x *= 86400;
    else
        return -1;
    if (*end && end[1])
        return -1;
    *v = x;
    return 0;
}

int cli_demand(int argc, char **argv)
{
    const char *nmpath = NULL, *out = "-", *csv = NULL, *paths[256], *flows = NULL, *sites = NULL;
    size_t np = 0, i, season = 0, n;
    int bytes = 0, forecast = 0, rc = EX_OK;
    ap_demand_opts o;
    ap_error err;
    ap_netmap *nm;
    ap_demand *d;
    double *next = NULL;
    ap_backtest bt;

    ap_demand_opts_init(&o);
    for (i = 1; i < (size_t)argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(demand_usage, stdout);
            return EX_OK;
        } else if (!strcmp(a, "-n") || !strcmp(a, "--network-map") || !strcmp(a, "-o") ||
                   !strcmp(a, "--output") || !strcmp(a, "--csv") || !strcmp(a, "--format") ||
                   !strcmp(a, "--map") || !strcmp(a, "--bucket") || !strcmp(a, "--weight") ||
                   !strcmp(a, "--max-bad") || !strcmp(a, "--max-unmatched") || !strcmp(a, "--season") ||
                   !strcmp(a, "--flows") ||
                   !strcmp(a, "--sites")) {
            const char *v;
            if (++i >= (size_t)argc)
                return cli_usage_error("missing value for", a, demand_usage);
            v = argv[i];
            if (!strcmp(a, "-n") || !strcmp(a, "--network-map"))
                nmpath = v;
            else if (!strcmp(a, "--flows"))
                flows = v;
            else if (!strcmp(a, "--sites"))
                sites = v;
            else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
                out = v;
            else if (!strcmp(a, "--csv"))
                csv = v;
            else if (!strcmp(a, "--format"))
                o.format = v;
            else if (!strcmp(a, "--map"))
                o.map = v;
            else if (!strcmp(a, "--bucket")) {
                if (parse_duration(v, &o.bucket))
                    return cli_usage_error("--bucket needs a duration such as 300, 5m, 1h or 1d", v, demand_usage);
            } else if (!strcmp(a, "--weight")) {
                if (strcmp(v, "requests") && strcmp(v, "bytes"))
                    return cli_usage_error("--weight must be requests or bytes, not", v, demand_usage);
                bytes = !strcmp(v, "bytes");
            } else if (!strcmp(a, "--max-unmatched")) {
                if (cli_parse_double(v, &o.max_unmatched) || o.max_unmatched < 0 || o.max_unmatched > 1)
                    return cli_usage_error("--max-unmatched needs a fraction in [0, 1]", v, demand_usage);
            } else if (!strcmp(a, "--max-bad")) {
                if (cli_parse_double(v, &o.max_bad) || o.max_bad < 0 || o.max_bad > 1)
                    return cli_usage_error("--max-bad needs a fraction in [0, 1]", v, demand_usage);
            } else {
                double s;
                if (cli_parse_double(v, &s) || s < 0 || s != floor(s))
                    return cli_usage_error("--season needs a whole number of buckets", v, demand_usage);
                season = (size_t)s;
            }
        } else if (!strcmp(a, "--forecast")) {
            forecast = 1;
        } else if (!strcmp(a, "--objects")) {
            o.objects = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 2;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option", a, demand_usage);
        } else if (np < 256) {
            paths[np++] = a;
        } else {
            return cli_usage_error("too many inputs (256 at most)", NULL, demand_usage);
        }
    }
    if (!np && !flows)
        return cli_usage_error("missing LOG", NULL, demand_usage);
    if ((flows || sites) && (np || !flows || !sites))
        return cli_usage_error("--flows and --sites go together, without LOG arguments", NULL, demand_usage);
    if (!nmpath)
        return cli_usage_error("missing -n NETWORKMAP.json", NULL, demand_usage);
    if ((rc = cli_check_output(out)) || (rc = cli_check_output(csv)))
        return rc;
    ap_error_clear(&err);
    nm = ap_netmap_load(nmpath, &err);
    if (!nm)
        return cli_report(&err);
    d = flows ? ap_demand_read_flows(nm, flows, sites, &o, &err) : ap_demand_read(nm, paths, np, &o, &err);
    if (!d) {
        ap_netmap_free(nm);
        return cli_report(&err);
    }
    n = ap_netmap_count(nm);
    if (forecast) {
        if (!season && o.bucket > 0 && o.bucket <= 86400)
            season = (size_t)(86400 / o.bucket + 0.5);
        next = malloc((n ? n : 1) * sizeof *next);
        if (!next || ap_demand_forecast(d, bytes, season, next, &bt, &err)) {
            if (!next)
                cli_oom(&err);
            rc = cli_report(&err);
            goto done;
        }
    }
    if (ap_demand_write_json(d, bytes, next, out, &err) || (csv && ap_demand_write_csv(d, csv, &err))) {
        rc = cli_report(&err);
        goto done;
    }
    if (forecast && verbose >= 1 && bt.points > 0 && bt.mase >= 1)
        fprintf(stderr, "altoplace: warning: the forecast is no better than repeating the last bucket "
                "(backtest over %zu buckets: MASE %.3f >= 1); more history or --season may help\n",
                bt.points, bt.mase);
    if (verbose) {
        double tot = 0;
        size_t withd = 0;
        for (i = 0; i < n; i++) {
            double w = ap_demand_total(d, i, bytes);
            tot += w;
            withd += w > 0;
        }
        fprintf(stderr, "lines:      %ld (%ld bad, %ld addresses in no PID)\n", ap_demand_lines(d),
                ap_demand_bad_lines(d), ap_demand_unmatched(d));
        fprintf(stderr, "demand:     %.10g %s over %zu PIDs, %zu buckets\n", tot,
                bytes ? "bytes" : "requests", withd, ap_demand_buckets(d));
        if (forecast)
            fprintf(stderr, "forecast:   next bucket; backtest over %zu buckets: MASE %.3f "
                    "(MAE %.4g vs naive %.4g), MAPE %.1f%%\n", bt.points, bt.mase, bt.mae_model,
                    bt.mae_naive, bt.mape);
    }
done:
    free(next);
    ap_demand_free(d);
    ap_netmap_free(nm);
    return rc;
}

