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
    "than the threshold, re-plan from the deployed plan (warm start) and move\n"
    "only if the new plan beats keeping the deployed sites by more than the\n"
    "margin after migration costs (hysteresis).  The plan already at -o (or\n"
    "--current FILE) is the deployed state at start.  Each decision rewrites\n"
    "PLAN.json atomically with today's costs (moved or kept sites) and is\n"
    "announced on stdout as one JSON line; a check that finds no usable plan\n"
    "leaves PLAN.json as it is.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE      the plan file (required)\n"
    "  --current FILE         the deployed plan (default: the -o file, if any)\n"
    "  --interval S           seconds between checks (default 60)\n"
    "  --threshold F          relative change that triggers a re-plan (default 0)\n"
    "  --margin F             required relative gain (default 0.01)\n"
    "  --migration-cost C     cost charged per moved replica (default 0)\n"
    "  --iterations N         stop after N checks (default: run until SIGINT/SIGTERM,\n"
    "                         which end the current check and exit 0)\n"
    "  --alto URI, --alto-cache DIR, --allow-stale, --alto-compat MODE, --cacert FILE,\n"
    "  --cert FILE, --key FILE, --requests LOG, --network-map ID, --cost-map ID,\n"
    "  --property-map ID, --alto-auth-any-origin\n"
    "                         as for plan (a cache defaults to PLAN.json.cache/)\n"
    "  --sse                  follow the server's updates (--alto, else alto.ird of\n"
    "                         the problem file): its update stream (RFC 8895), or\n"
    "                         TIPS views (RFC 9569) when the directory offers those\n"
    "                         instead; re-plan as soon as the maps change;\n"
    "                         --interval is then the longest wait (demand is\n"
    "                         re-read then); falls back to polling if it breaks\n"
    "  --time-limit S         per solve (default 30)\n"
    "  -q, --quiet            no messages on stderr\n"
    "  -v, --verbose          also the solver's details\n"
    "  -h, --help             this help\n"
    "\n"
    "exit status: 0 when the last check succeeded (or on SIGINT/SIGTERM); else the\n"
    "code of its failure (2 input, 3 network, 4 infeasible, 5 internal, 6 no plan)\n";

/* Sleeps s seconds, in slices, until a signal asks to stop. */
static void sleep_s(double s)
{
    double end = s;
    while (end > 0 && !cli_interrupted) {
        double slice = end < 0.2 ? end : 0.2;
        struct timespec ts;
        ts.tv_sec = (time_t)slice;
        ts.tv_nsec = (long)((slice - floor(slice)) * 1e9);
        nanosleep(&ts, NULL);
        end -= slice;
    }
}

/* Subscribes to the server's update stream for the problem's metric;
 * NULL (reported) when there is none. */
static ap_alto_stream *subscribe(const char *problem, const cli_alto *f, ap_alto **client, double interval,
                                 int *no_server)
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
    if (pp && !*ap_problem_alto_uri(pp)) {
        cli_fail(EX_USAGE, problem, "--sse needs an ALTO server: --alto URI, or alto.ird in the problem file");
        ap_problem_free(pp);
        *no_server = 1;
        return NULL;
    }
    ap_alto_opts_init(&ao);
    ao.cacert = f->cacert;
    ao.client_cert = f->cert;
    ao.client_key = f->key;
    ao.compat = f->compat;
    ao.log = cli_on_log;
    if (pp && (*client = ap_alto_open(ap_problem_alto_uri(pp), &ao, &err)))
        st = ap_alto_stream_open(*client, f->network_map, f->cost_map, ap_problem_metric(pp), &err);
    ap_problem_free(pp);
    if (!st) {
        cli_report(&err);
        if (verbose)
            fprintf(stderr, "altoplace: watch: no update stream; polling every %g s instead\n", interval);
    } else if (verbose) {
        fprintf(stderr, "altoplace: watch: subscribed to %s of %s\n",
                !strcmp(ap_alto_stream_kind(st), "tips") ? "TIPS views (RFC 9569)" : "the update stream (RFC 8895)",
                ap_alto_uri(*client));
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
    {
        /* in slices of a second, so that a signal is seen */
        double left = interval;
        do {
            ch = ap_alto_stream_wait(*st, left < 1 ? left : 1, &err);
            left -= 1;
        } while (ch == 0 && left > 0 && !cli_interrupted);
    }
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
    const char *problem, *out, *current;
    cli_alto f;
    ap_replan_policy pol;
    double interval, tl;
    long iterations;
    int sse, read_current, last_rc;
    ap_alto *sclient;
    ap_alto_stream *st;
    ap_netmap *snm;
    ap_costmap *scm;
    char ssrc[600];
    ap_problem *cur_p;   /* the problem the deployed plan belongs to */
    ap_plan *cur;        /* the deployed plan */
} watch_state;

/* At the first check: the deployed plan, read back against today's
 * problem p (its sites matched by name). */
static void read_deployed(watch_state *w, ap_problem *p)
{
    const char *path = w->current ? w->current : w->out;
    ap_error err;
    FILE *f;
    w->read_current = 1;
    if (!(f = fopen(path, "r"))) {
        if (verbose)
            fprintf(stderr, "altoplace: watch: no deployed plan at %s: the first decision is a fresh plan\n", path);
        return;
    }
    fclose(f);
    ap_error_clear(&err);
    if (!(w->cur = ap_plan_read(p, path, &err))) {
        cli_report(&err);
        if (verbose)
            fprintf(stderr, "altoplace: watch: starting without a deployed plan\n");
        return;
    }
    w->cur_p = NULL; /* it belongs to p, whose owner the check is */
    if (verbose) {
        size_t a;
        fprintf(stderr, "altoplace: watch: deployed plan %s:", path);
        for (a = 0; a < ap_plan_nsites(w->cur); a++)
            fprintf(stderr, " %s", ap_problem_site_name(p, ap_plan_site(w->cur, a)));
        fprintf(stderr, "\n");
    }
}

/* Today's problem: from the stream's maps when subscribed. */
static ap_problem *load_today(watch_state *w, ap_solve_opts *so, ap_error *err)
{
    ap_load_opts lo;
    cli_alto_load_opts(&w->f, &lo);
    lo.solve = so;
    if (w->st) {
        ap_netmap_free(w->snm);
        ap_costmap_free(w->scm);
        w->scm = NULL;
        if ((w->snm = ap_alto_stream_netmap(w->st, err)))
            w->scm = ap_alto_stream_costmap(w->st, w->snm, err);
        if (!w->scm) {
            cli_report(err);
            ap_error_clear(err);
        } else {
            snprintf(w->ssrc, sizeof w->ssrc, "%s of %s",
                     !strcmp(ap_alto_stream_kind(w->st), "tips") ? "TIPS views" : "update stream",
                     ap_alto_uri(w->sclient));
            lo.netmap = w->snm;
            lo.costmap = w->scm;
            lo.maps_source = w->ssrc;
        }
    }
    return ap_problem_load_opts(w->problem, &lo, err);
}

static void print_names(const char *key, char **v, size_t n)
{
    size_t a;
    printf(", \"%s\": [", key);
    for (a = 0; a < n; a++)
        printf("%s\"%s\"", a ? ", " : "", v[a]);
    printf("]");
}

/* The decision as one JSON line on stdout. */
static void announce(const watch_state *w, long it, const ap_replan_decision *d)
{
    const ap_plan *pl = d->plan;
    size_t a;
    printf("{\"event\": \"%s\", \"check\": %ld, \"status\": \"%s\", \"objective\": %.10g, "
           "\"moved\": %zu, \"sites\": [", d->action == AP_REPLAN_KEEP ? "keep" : "plan", it,
           ap_status_name(ap_plan_status(pl)), ap_plan_objective(pl), d->action == AP_REPLAN_MOVE ? d->moved : 0);
    for (a = 0; a < ap_plan_nsites(pl); a++)
        printf("%s\"%s\"", a ? ", " : "", ap_problem_site_name(ap_plan_problem(pl), ap_plan_site(pl, a)));
    printf("]");
    print_names("opened", d->opened, d->nopened);
    print_names("closed", d->closed, d->nclosed);
    printf(", \"action\": \"%s\", \"plan\": \"%s\"}\n", ap_replan_action_name(d->action), w->out);
    fflush(stdout);
}
/* Today's problem p when the check ends without adopting a plan: kept
 * alive when the deployed plan (read at start) belongs to it. */
static void drop_today(watch_state *w, ap_problem *p)
{
    if (w->cur && !w->cur_p)
        w->cur_p = p;
    else
        ap_problem_free(p);
}

/* Adopts the decision's plan as the deployed one, with the problem it
 * belongs to (p, today's problem, is taken over). */
static void adopt(watch_state *w, ap_replan_decision *d, ap_problem *p)
{
    ap_plan_free(w->cur);
    ap_problem_free(w->cur_p);
    w->cur = d->plan;
    if (d->keep_problem) {
        w->cur_p = d->keep_problem;
        ap_problem_free(p);
    } else {
        w->cur_p = p;
    }
    d->plan = NULL;
    d->keep_problem = NULL;
}

/* One check: today's problem, the re-placement decision, the plan file.
 * Returns the check's exit code (0: done). */
static int check(watch_state *w, long it)
{
    ap_error err;
    ap_problem *p;
    ap_solve_opts so;
    ap_replan_decision d;
    int rc = EX_OK;
    ap_error_clear(&err);
    ap_solve_opts_init(&so);
    if (!(p = load_today(w, &so, &err)))
        return cli_report(&err); /* a failing source is reported; the deployed plan stays */
    if (!w->read_current)
        read_deployed(w, p);
    so.time_limit = w->tl;
    so.log = cli_on_log;
    so.cancel = cli_cancel;
    if (ap_replan(p, w->cur, &w->pol, &so, &d, &err)) {
        drop_today(w, p);
        return cli_report(&err);
    }
    if (d.action == AP_REPLAN_UNCHANGED || d.action == AP_REPLAN_NOPLAN || !d.plan) {
        /* nothing to write: the plan file stays as it is */
        if (d.action == AP_REPLAN_NOPLAN)
            rc = d.plan && ap_plan_status(d.plan) == AP_STATUS_INFEASIBLE ? EX_INFEASIBLE : EX_NOSOLUTION;
        if (verbose && d.action != AP_REPLAN_UNCHANGED)
            fprintf(stderr, "altoplace: watch: %s; %s left as it is\n", d.reason, w->out);
    } else if (ap_plan_write(d.plan, w->out, &err)) {
        rc = cli_report(&err);
    } else {
        if (verbose && d.action == AP_REPLAN_KEEP)
            fprintf(stderr, "altoplace: watch: %s\n", d.reason);
        announce(w, it, &d);
        adopt(w, &d, p);
        p = NULL;
    }
    if (p)
        drop_today(w, p);
    ap_replan_decision_free(&d);
    return rc;
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
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 2;
        } else if (!strcmp(a, "--sse")) {
            w->sse = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--current")) {
            if (++i >= argc)
                return cli_usage_error("missing value for", a, watch_usage);
            if (!strcmp(a, "--current"))
                w->current = argv[i];
            else
                w->out = argv[i];
        } else if (!strcmp(a, "--interval") || !strcmp(a, "--threshold") || !strcmp(a, "--margin") ||
                   !strcmp(a, "--migration-cost") || !strcmp(a, "--iterations") ||
                   !strcmp(a, "--time-limit")) {
            if (++i >= argc || cli_parse_double(argv[i], &v) || v < 0)
                return cli_usage_error("needs a number >= 0:", a, watch_usage);
            if (!strcmp(a, "--iterations") && (v != floor(v) || v > 1e9))
                return cli_usage_error("--iterations needs a whole number of checks up to 1e9, not", argv[i],
                                       watch_usage);
            if ((!strcmp(a, "--interval") || !strcmp(a, "--time-limit")) && v > 1e7)
                return cli_usage_error("needs at most 1e7 seconds", a, watch_usage);
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
    if ((rc = cli_check_output(w->out)) || (rc = cli_not_input(w->out, w->problem)))
        return rc;
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
    cli_catch_signals();
    for (it = 0; (w.iterations < 0 || it < w.iterations) && !cli_interrupted; it++) {
        if (w.sse && !w.st && !w.sclient) {
            int no_server = 0;
            w.st = subscribe(w.problem, &w.f, &w.sclient, w.interval, &no_server);
            if (no_server)
                w.sse = 0; /* files: polling it is */
        }
        if (it > 0)
            wait_next(&w.st, w.interval);
        if (cli_interrupted)
            break;
        w.last_rc = check(&w, it);
    }
    if (cli_interrupted) {
        if (verbose)
            fprintf(stderr, "altoplace: watch: stopped by a signal after %ld check(s)\n", it);
        w.last_rc = EX_OK;
    }
    ap_plan_free(w.cur);
    ap_problem_free(w.cur_p);
    ap_netmap_free(w.snm);
    ap_costmap_free(w.scm);
    ap_alto_stream_free(w.st);
    ap_alto_free(w.sclient);
    return w.last_rc;
}
