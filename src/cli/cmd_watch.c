/* cmd_watch.c - altoplace watch: re-plan as the network or the demand changes. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const watch_usage =
    "usage: altoplace watch PROBLEM.json -o PLAN.json [options]\n"
    "\n"
    "Re-read the problem (ALTO maps, by conditional GET when they come from a\n"
    "server, and demand) every interval; when costs or demand changed by more\n"
    "than the threshold, re-plan from the current plan (warm start) and adopt\n"
    "the new plan only if it beats keeping the current sites by more than the\n"
    "margin after migration costs (hysteresis).  Each adopted plan is written\n"
    "atomically and announced on stdout as one JSON line.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE      the plan file (required)\n"
    "  --interval S           seconds between checks (default 60)\n"
    "  --threshold F          relative change that triggers a re-plan (default 0)\n"
    "  --margin F             required relative gain (default 0.01)\n"
    "  --migration-cost C     cost charged per moved replica (default 0)\n"
    "  --iterations N         stop after N checks (default: run until killed)\n"
    "  --alto URI, --alto-cache DIR, --allow-stale, --alto-compat MODE, --cacert FILE,\n"
    "  --cert FILE, --key FILE, --requests LOG\n"
    "                         as for plan (a cache defaults to PLAN.json.cache/)\n"
    "  --sse                  with --alto: subscribe to the server's update stream\n"
    "                         (RFC 8895) and re-plan as soon as the maps change;\n"
    "                         --interval is then the longest wait (demand is\n"
    "                         re-read then); falls back to polling if it breaks\n"
    "  --time-limit S         per solve (default 30)\n"
    "  -q                     no messages on stderr\n";


static void sleep_s(double s)
{
    struct timespec ts;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - floor(s)) * 1e9);
    nanosleep(&ts, NULL);
}

/* Subscribes to the server's update stream for the problem's metric;
 * NULL (reported) when there is none. */
static ap_alto_stream *subscribe(const char *problem, const cli_alto *f, ap_alto **client, double interval)
{
    ap_load_opts lo;
    ap_alto_opts ao;
    ap_error err;
    ap_problem *pp;
    ap_alto_stream *st = NULL;
    ap_error_clear(&err);
    cli_alto_load_opts(f, &lo);
    lo.allow_stale = 0;
    lo.log = NULL;
    pp = ap_problem_load_opts(problem, &lo, &err);
    ap_alto_opts_init(&ao);
    ao.cacert = f->cacert;
    ao.client_cert = f->cert;
    ao.client_key = f->key;
    ao.compat = f->compat;
    ao.log = cli_on_log;
    if (pp && (*client = ap_alto_open(f->alto, &ao, &err)))
        st = ap_alto_stream_open(*client, NULL, NULL, ap_problem_metric(pp), &err);
    ap_problem_free(pp);
    if (!st) {
        cli_report(&err);
        if (verbose)
            fprintf(stderr, "altoplace: watch: no update stream; polling every %g s instead\n", interval);
    } else if (verbose) {
        fprintf(stderr, "altoplace: watch: subscribed to the update stream of %s\n", f->alto);
    }
    return st;
}

/* Waits for the next check: an update-stream event or the interval. */
static void wait_next(ap_alto_stream **st, double interval)
{
    ap_error err;
    int ch;
    if (!*st) {
        sleep_s(interval);
        return;
    }
    ap_error_clear(&err);
    ch = ap_alto_stream_wait(*st, interval, &err);
    if (ch < 0) {
        cli_report(&err);
        if (verbose)
            fprintf(stderr, "altoplace: watch: the update stream ended; polling every %g s instead\n", interval);
        ap_alto_stream_free(*st);
        *st = NULL;
    } else if (ch && verbose) {
        fprintf(stderr, "altoplace: watch: update stream: %s%s%s changed (%ld events)\n",
                ch & AP_STREAM_NETMAP ? "network map" : "", ch == 3 ? " and " : "",
                ch & AP_STREAM_COSTMAP ? "cost map" : "", ap_alto_stream_events(*st));
    }
}

/* The state a watch carries from check to check. */
typedef struct {
    const char *problem, *out;
    cli_alto f;
    ap_replan_policy pol;
    double interval, tl;
    long iterations;
    int sse;
    ap_alto *sclient;
    ap_alto_stream *st;
    ap_netmap *snm;
    ap_costmap *scm;
    char ssrc[600];
    ap_problem *cur_p;
    ap_plan *cur;
} watch_state;

/* One check: today's problem (from the stream's maps when subscribed),
 * the re-placement decision, and the plan file when the sites move. */
static void check(watch_state *w, long it)
{
    ap_load_opts lo;
    ap_error err;
    ap_problem *p;
    ap_solve_opts so;
    ap_replan_decision d;
    size_t a;
    ap_error_clear(&err);
    ap_solve_opts_init(&so);
    cli_alto_load_opts(&w->f, &lo);
    lo.solve = &so;
    if (w->st) {
        ap_netmap_free(w->snm);
        ap_costmap_free(w->scm);
        w->scm = NULL;
        if ((w->snm = ap_alto_stream_netmap(w->st, &err)))
            w->scm = ap_alto_stream_costmap(w->st, w->snm, &err);
        if (!w->scm) {
            cli_report(&err);
            ap_error_clear(&err);
        } else {
            snprintf(w->ssrc, sizeof w->ssrc, "update stream of %s", w->f.alto);
            lo.netmap = w->snm;
            lo.costmap = w->scm;
            lo.maps_source = w->ssrc;
        }
    }
    if (!(p = ap_problem_load_opts(w->problem, &lo, &err))) {
        cli_report(&err); /* a failing source is reported; the current plan stays */
        return;
    }
    so.time_limit = w->tl;
    so.log = cli_on_log;
    if (ap_replan(p, w->cur, &w->pol, &so, &d, &err)) {
        cli_report(&err);
        ap_problem_free(p);
        return;
    }
    if (d.action == AP_REPLAN_UNCHANGED || d.action == AP_REPLAN_NOPLAN || d.action == AP_REPLAN_KEEP) {
        if (verbose && d.action != AP_REPLAN_UNCHANGED)
            fprintf(stderr, "altoplace: watch: %s\n", d.reason);
        ap_replan_decision_free(&d);
        ap_problem_free(p);
        return;
    }
    if (ap_plan_write(d.plan, w->out, &err)) {
        cli_report(&err);
        ap_replan_decision_free(&d);
        ap_problem_free(p);
        return;
    }
    printf("{\"event\": \"plan\", \"check\": %ld, \"status\": \"%s\", \"objective\": %.10g, "
           "\"moved\": %zu, \"sites\": [", it, ap_status_name(ap_plan_status(d.plan)), d.new_objective,
           d.action == AP_REPLAN_FIRST ? (size_t)0 : d.moved);
    for (a = 0; a < ap_plan_nsites(d.plan); a++)
        printf("%s\"%s\"", a ? ", " : "", ap_problem_site_name(p, ap_plan_site(d.plan, a)));
    printf("], \"plan\": \"%s\"}\n", w->out);
    fflush(stdout);
    ap_plan_free(w->cur);
    ap_problem_free(w->cur_p);
    w->cur = d.plan;
    w->cur_p = p;
    d.plan = NULL;
    ap_replan_decision_free(&d);
}

static int parse_watch(int argc, char **argv, watch_state *w)
{
    int i, rc = EX_OK;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        double v;
        int got = cli_alto_option(argc, argv, &i, &w->f, watch_usage, &rc);
        if (got < 0)
            return rc;
        if (got)
            continue;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(watch_usage, stdout);
            return -1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(a, "--sse")) {
            w->sse = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc)
                return cli_usage_error("missing value for", a, watch_usage);
            w->out = argv[i];
        } else if (!strcmp(a, "--interval") || !strcmp(a, "--threshold") || !strcmp(a, "--margin") ||
                   !strcmp(a, "--migration-cost") || !strcmp(a, "--iterations") ||
                   !strcmp(a, "--time-limit")) {
            if (++i >= argc || cli_parse_double(argv[i], &v) || v < 0)
                return cli_usage_error("needs a number >= 0:", a, watch_usage);
            if (!strcmp(a, "--interval"))
                w->interval = v;
            else if (!strcmp(a, "--threshold"))
                w->pol.threshold = v;
            else if (!strcmp(a, "--margin"))
                w->pol.margin = v;
            else if (!strcmp(a, "--migration-cost"))
                w->pol.migration_cost = v;
            else if (!strcmp(a, "--iterations"))
                w->iterations = (long)v;
            else
                w->tl = v;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option", a, watch_usage);
        } else if (!w->problem) {
            w->problem = a;
        } else {
            return cli_usage_error("unexpected argument", a, watch_usage);
        }
    }
    if (!w->problem || !w->out)
        return cli_usage_error("missing PROBLEM.json or -o PLAN.json", NULL, watch_usage);
    if (w->sse && !w->f.alto)
        return cli_usage_error("--sse needs --alto URI (the server to subscribe to)", NULL, watch_usage);
    return cli_alto_check(&w->f, watch_usage);
}

int cli_watch(int argc, char **argv)
{
    watch_state w;
    char defcache[4200];
    long it;
    int rc;
    memset(&w, 0, sizeof w);
    ap_replan_policy_init(&w.pol);
    w.interval = 60;
    w.tl = 30;
    w.iterations = -1;
    if ((rc = parse_watch(argc, argv, &w)))
        return rc < 0 ? EX_OK : rc;
    if (!w.f.alto_cache) {
        snprintf(defcache, sizeof defcache, "%s.cache", w.out);
        w.f.alto_cache = defcache;
    }
    for (it = 0; w.iterations < 0 || it < w.iterations; it++) {
        if (w.sse && !w.st && !w.sclient)
            w.st = subscribe(w.problem, &w.f, &w.sclient, w.interval);
        if (it > 0)
            wait_next(&w.st, w.interval);
        check(&w, it);
    }
    ap_plan_free(w.cur);
    ap_problem_free(w.cur_p);
    ap_netmap_free(w.snm);
    ap_costmap_free(w.scm);
    ap_alto_stream_free(w.st);
    ap_alto_free(w.sclient);
    return EX_OK;
}
