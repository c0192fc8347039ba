/* altoplace.c - the command-line tool: a thin layer over libaltoplace. */
#define _POSIX_C_SOURCE 200809L
#include "altoplace.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Exit codes (documented in --help and README). */
enum {
    EX_OK = 0,          /* plan written */
    EX_USAGE = 1,       /* bad command line */
    EX_INPUT = 2,       /* bad input: file missing, malformed or invalid */
    EX_NET = 3,         /* network or ALTO server error */
    EX_INFEASIBLE = 4,  /* problem infeasible (plan written with the reason) */
    EX_INTERNAL = 5,    /* solver or internal error, out of memory */
    EX_NOSOLUTION = 6   /* time limit reached before any plan was found */
};

static int verbose = 1;

static void ap__fake_oom(ap_error *e)
{
    e->code = AP_ENOMEM;
    e->source[0] = '\0';
    snprintf(e->text, sizeof e->text, "out of memory");
}

static int exit_for(int code)
{
    switch (code) {
    case AP_EIO: case AP_ESYNTAX: case AP_EFORMAT: case AP_EVTAG: case AP_EINVAL:
        return EX_INPUT;
    case AP_ENET:
        return EX_NET;
    default:
        return EX_INTERNAL;
    }
}

static int report(const ap_error *e)
{
    if (e->source[0])
        fprintf(stderr, "altoplace: %s: %s\n", e->source, e->text);
    else
        fprintf(stderr, "altoplace: %s\n", e->text);
    return exit_for(e->code);
}

static void on_log(void *ud, ap_log_level lvl, const char *msg)
{
    (void)ud;
    if (lvl == AP_LOG_INFO && verbose < 2)
        return;
    if (verbose < 1 && lvl != AP_LOG_ERROR)
        return;
    fprintf(stderr, "altoplace: %s%s\n", lvl == AP_LOG_WARN ? "warning: " : "", msg);
}

static const char *main_usage =
    "usage: altoplace [--version] [--help] COMMAND [ARGS]\n"
    "\n"
    "Decide where to place replicas, caches or service instances from the state\n"
    "of the network as an ALTO server (RFC 7285) describes it.\n"
    "\n"
    "commands:\n"
    "  plan PROBLEM.json     solve a placement problem and write a plan (JSON)\n"
    "  import KIND FILE      turn a Topology Zoo network, WLCG sites or an\n"
    "                        OR-Library instance into ALTO files\n"
    "  watch PROBLEM.json    re-plan as the network or the demand changes\n"
    "  demand LOG... -n NETWORKMAP.json\n"
    "                        demand per PID (and its forecast) from request logs\n"
    "  whatif STUDY.json -o DIR\n"
    "                        run a what-if study: table, plots, maps, HTML report\n"
    "  export mathprog PROBLEM.json -o DATA.dat\n"
    "                        write the problem as data for models/placement.mod\n"
    "\n"
    "Run 'altoplace COMMAND --help' for the options of a command.\n"
    "\n"
    "exit codes:\n"
    "  0  plan written (status optimal or feasible)\n"
    "  1  bad command line\n"
    "  2  bad input: a file is missing, malformed or invalid\n"
    "  3  network or ALTO server error\n"
    "  4  the problem is infeasible (a plan with status and reason is written)\n"
    "  5  solver or internal error\n"
    "  6  time limit reached before any plan was found\n";

static const char *plan_usage =
    "usage: altoplace plan PROBLEM.json [options]\n"
    "\n"
    "Solve the placement problem described by PROBLEM.json (ALTO network map,\n"
    "cost map, optional property map, demand, model) and write the plan.\n"
    "Options override the problem file.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE      write the plan to FILE (atomically); default: stdout\n"
    "  --alto URI             read the network and cost maps from this ALTO server\n"
    "                         (its directory URI) instead of the file's sources;\n"
    "                         credentials come from ALTOPLACE_ALTO_AUTH\n"
    "                         ('bearer TOKEN', 'basic USER:PASSWORD', 'digest ...')\n"
    "  --alto-cache DIR       keep the maps fetched from the server (ETag revalidation)\n"
    "  --cacert FILE          CA bundle to verify an https ALTO server\n"
    "  --cert FILE, --key FILE  client certificate and key (PEM) for an https ALTO\n"
    "                         server that asks for one\n"
    "  --allow-stale          if the server fails, plan on the cached maps; the plan\n"
    "                         marks them stale with their age\n"
    "  --alto-compat MODE     strict (default) or lenient: accept known deviations of\n"
    "                         research servers (JSON-string Python literals, cost-map\n"
    "                         PIDs missing from the network map, churning vtags),\n"
    "                         with one warning per kind\n"
    "  --requests LOG         take the demand from this request log (access log,\n"
    "                         CSV or JSON lines, gzip allowed) instead of the file's\n"
    "  -k N                   open exactly N sites\n"
    "  --solver METHOD        auto (greedy + GLPK, default), ilp (GLPK, errors are\n"
    "                         fatal) or greedy (heuristic only)\n"
    "  --time-limit S         stop after S seconds with the best plan found\n"
    "  --mip-gap G            stop when the relative gap is below G (default 0)\n"
    "  -q, --quiet            no summary or progress on stderr\n"
    "  -v, --verbose          also print solver details on stderr\n"
    "  -h, --help             this help\n";

static const char *import_usage =
    "usage: altoplace import KIND FILE -o DIR [options]\n"
    "\n"
    "Turn real network data or an OR-Library instance into ALTO documents in DIR.\n"
    "\n"
    "network kinds (write networkmap.json, costmap-delay-ow.json,\n"
    "costmap-hopcount.json, costmap-bw-maximum.json when link speeds are known,\n"
    "propmap.json with coordinates, and topology.json for what-if studies):\n"
    "  zoo            Internet Topology Zoo GraphML: one PID per PoP; delay-ow =\n"
    "                 great-circle length / propagation speed along the\n"
    "                 shortest-delay path (microseconds); hopcount; bw-maximum =\n"
    "                 slowest link on that path (bytes/s).  PoPs without coordinates\n"
    "                 get their located neighbours' mean (reported) or are dropped\n"
    "  wlcg           WLCG sites from a CRIC rcsite dump (FILE) for the sites named\n"
    "                 in --flows (transfer records); every pair linked directly;\n"
    "                 also writes sites.json (record site name -> PID)\n"
    "\n"
    "OR-Library kinds (write networkmap.json, costmap.json, propmap.json,\n"
    "demand.json and problem.json, so 'altoplace plan DIR/problem.json' solves it\n"
    "through the ALTO path):\n"
    "  orlib-pmed     uncapacitated p-median (pmed1..40; Beasley 1985)\n"
    "  orlib-cap      capacitated warehouse location (cap41..134, capa/b/c;\n"
    "                 Beasley 1988); --capacity Q sets every capacity (required\n"
    "                 for capa/capb/capc)\n"
    "  orlib-pmedcap  capacitated p-median (Osman & Christofides 1994)\n"
    "\n"
    "options:\n"
    "  -o, --output DIR   output folder (created if missing)\n"
    "  --prefixes DIR     (zoo) per-country CIDR lists DIR/ipv4/<cc>.cidr and\n"
    "                     DIR/ipv6/<cc>.cidr: each PoP's PID gets real blocks of its\n"
    "                     country, dealt evenly over the PoPs of that country\n"
    "  --as N --as-table FILE  (zoo) instead of country blocks: the prefixes AS N\n"
    "                     originates in prefix-to-AS tables (pyasn format, e.g.\n"
    "                     RouteViews ipasn_*.dat.gz; repeat --as-table for IPv4 and\n"
    "                     IPv6), dealt evenly over all PoPs\n"
    "  --country PID=CC   (zoo) the PoP's country is CC, whatever the GraphML says\n"
    "                     (repeatable; the Zoo's geocoding has errors)\n"
    "  --speed M          propagation speed in m/s (default 2e8, light in fibre)\n"
    "  --resource-id ID   network map resource id (default: <network>-network-map)\n"
    "  --flows FILE       (wlcg) transfer records [[src, dst, start, end, bytes]]\n"
    "  --vo NAME          (wlcg) experiment whose site names the records use (cms)\n"
    "  --capacity Q       capacity of every warehouse (orlib-cap)\n"
    "  -v, --verbose      also report how prefixes were dealt\n"
    "  -q, --quiet        no message on success\n"
    "  -h, --help         this help\n";

static const char *demand_usage =
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
    "  --forecast              the demand is the forecast of the next bucket\n"
    "                          (Holt-Winters), with a backtest against the naive\n"
    "                          'same as last bucket' forecast\n"
    "  --season N              season length in buckets (default: 1 day of buckets)\n"
    "  --objects               also count per object id (request path, or the\n"
    "                          object column/key of CSV and JSON lines)\n"
    "  -q, --quiet             no summary on stderr\n"
    "  -h, --help              this help\n";

static const char *watch_usage =
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

static const char *whatif_usage =
    "usage: altoplace whatif STUDY.json -o DIR [options]\n"
    "\n"
    "Run a what-if study: the base problem it names and each of its scenarios\n"
    "(number of replicas from a to b, demand scaled or replaced by a forecast,\n"
    "sites or links failing, capacities, a cost bound), each solved on its own.\n"
    "DIR receives results.csv, results.json, cost-vs-k.svg, scenarios.svg,\n"
    "map-<scenario>.svg and report.html (self-contained).\n"
    "\n"
    "options:\n"
    "  -o, --output DIR   output folder (created if missing)\n"
    "  --part I/N         solve only scenarios s with s mod N = I-1 and write\n"
    "                     DIR/part-I-of-N.json (one job of a job array or MPI rank)\n"
    "  --merge            combine DIR/part-*-of-N.json into the outputs\n"
    "  --time-limit S     seconds per scenario (overrides study and problem)\n"
    "  -q, --quiet        no progress on stderr\n"
    "  -h, --help         this help\n";

static const char *export_usage =
    "usage: altoplace export mathprog PROBLEM.json -o DATA.dat [-k N]\n"
    "\n"
    "Write the problem (after loading its ALTO files and demand) as a GNU\n"
    "MathProg data file for the textbook model models/placement.mod:\n"
    "  glpsol --math models/placement.mod --data DATA.dat\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  the data file (written atomically)\n"
    "  -k N               open exactly N sites\n"
    "  -h, --help         this help\n";

static int parse_double(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return (end == s || *end || errno || !isfinite(*v)) ? -1 : 0;
}

static int usage_error(const char *msg, const char *arg, const char *usage)
{
    fprintf(stderr, "altoplace: %s%s%s\n\n%s", msg, arg ? ": " : "", arg ? arg : "", usage);
    return EX_USAGE;
}

static void summary(const ap_plan *pl, const ap_problem *p, const char *out)
{
    size_t i, n = ap_plan_nsites(pl);
    FILE *f = stderr;
    fprintf(f, "status:    %s\n", ap_status_name(ap_plan_status(pl)));
    if (ap_plan_reason(pl)[0])
        fprintf(f, "reason:    %s\n", ap_plan_reason(pl));
    if (isfinite(ap_plan_objective(pl))) {
        fprintf(f, "objective: %.10g", ap_plan_objective(pl));
        if (isfinite(ap_plan_bound(pl)))
            fprintf(f, "  (bound %.10g, gap %.4f%%)", ap_plan_bound(pl), 100 * ap_plan_gap(pl));
        fprintf(f, "\n");
        fprintf(f, "client cost: mean %.6g, worst %.6g (per unit of demand)\n",
                ap_plan_mean_cost(pl), ap_plan_max_cost(pl));
        fprintf(f, "sites:     %zu of %zu candidates:", n, ap_problem_nsites(p));
        for (i = 0; i < n && i < 12; i++)
            fprintf(f, " %s", ap_problem_site_name(p, ap_plan_site(pl, i)));
        if (n > 12)
            fprintf(f, " ...");
        fprintf(f, "\n");
    }
    fprintf(f, "clients:   %zu\n", ap_problem_nclients(p));
    fprintf(f, "solver:    %s, %.3f s\n", ap_plan_solver(pl), ap_plan_seconds(pl));
    if (out && strcmp(out, "-"))
        fprintf(f, "plan:      %s\n", out);
}

static int cmd_plan(int argc, char **argv)
{
    const char *problem = NULL, *out = "-", *solver = NULL, *requests = NULL, *alto = NULL;
    const char *alto_cache = NULL, *cacert = NULL, *cert = NULL, *key = NULL;
    int allow_stale = 0, compat = 0;
    ap_load_opts lo;
    long k = -1;
    double tl = -1, gap = -1;
    int i, rc;
    ap_error err;
    ap_problem *p;
    ap_plan *pl;
    ap_solve_opts o;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(plan_usage, stdout);
            return EX_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc)
                return usage_error("missing value for", a, plan_usage);
            out = argv[i];
        } else if (!strcmp(a, "--requests")) {
            if (++i >= argc)
                return usage_error("missing value for", a, plan_usage);
            requests = argv[i];
        } else if (!strcmp(a, "--alto")) {
            if (++i >= argc)
                return usage_error("missing value for", a, plan_usage);
            alto = argv[i];
        } else if (!strcmp(a, "--alto-cache")) {
            if (++i >= argc)
                return usage_error("missing value for", a, plan_usage);
            alto_cache = argv[i];
        } else if (!strcmp(a, "--cacert")) {
            if (++i >= argc)
                return usage_error("missing value for", a, plan_usage);
            cacert = argv[i];
        } else if (!strcmp(a, "--cert") || !strcmp(a, "--key")) {
            if (++i >= argc)
                return usage_error("missing value for", a, plan_usage);
            if (!strcmp(a, "--cert"))
                cert = argv[i];
            else
                key = argv[i];
        } else if (!strcmp(a, "--allow-stale")) {
            allow_stale = 1;
        } else if (!strcmp(a, "--alto-compat")) {
            if (++i >= argc || (strcmp(argv[i], "strict") && strcmp(argv[i], "lenient")))
                return usage_error("--alto-compat must be strict or lenient", i < argc ? argv[i] : NULL,
                                   plan_usage);
            compat = !strcmp(argv[i], "lenient");
        } else if (!strcmp(a, "-k")) {
            double v;
            if (++i >= argc || parse_double(argv[i], &v) || v < 1 || v != floor(v) || v > 1e6)
                return usage_error("-k needs a positive integer", i < argc ? argv[i] : NULL, plan_usage);
            k = (long)v;
        } else if (!strcmp(a, "--solver")) {
            if (++i >= argc)
                return usage_error("missing value for", a, plan_usage);
            solver = argv[i];
            if (strcmp(solver, "auto") && strcmp(solver, "ilp") && strcmp(solver, "greedy"))
                return usage_error("--solver must be auto, ilp or greedy, not", solver, plan_usage);
        } else if (!strcmp(a, "--time-limit")) {
            if (++i >= argc || parse_double(argv[i], &tl) || tl <= 0)
                return usage_error("--time-limit needs a positive number of seconds",
                                   i < argc ? argv[i] : NULL, plan_usage);
        } else if (!strcmp(a, "--mip-gap")) {
            if (++i >= argc || parse_double(argv[i], &gap) || gap < 0 || gap >= 1)
                return usage_error("--mip-gap needs a number in [0, 1)", i < argc ? argv[i] : NULL,
                                   plan_usage);
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 2;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option", a, plan_usage);
        } else if (!problem) {
            problem = a;
        } else {
            return usage_error("unexpected argument", a, plan_usage);
        }
    }
    if (!problem)
        return usage_error("missing PROBLEM.json", NULL, plan_usage);

    ap_error_clear(&err);
    ap_load_opts_init(&lo);
    lo.requests = requests;
    lo.alto_uri = alto;
    lo.alto_cache = alto_cache;
    lo.allow_stale = allow_stale;
    lo.alto_compat = compat;
    lo.cacert = cacert;
    if (key && !cert)
        return usage_error("--key goes with --cert", NULL, plan_usage);
    lo.client_cert = cert;
    lo.client_key = key;
    lo.log = on_log;
    p = ap_problem_load_opts(problem, &lo, &err);
    if (!p)
        return report(&err);
    if (k > 0 && ap_problem_set_k(p, (int)k, &err)) {
        ap_problem_free(p);
        return report(&err);
    }
    ap_solve_opts_init(&o);
    ap_problem_apply_solve_opts(p, &o);
    if (solver)
        o.solver = !strcmp(solver, "ilp") ? AP_SOLVER_ILP
                   : !strcmp(solver, "greedy") ? AP_SOLVER_GREEDY : AP_SOLVER_AUTO;
    if (tl > 0)
        o.time_limit = tl;
    if (gap >= 0)
        o.mip_gap = gap;
    o.log = on_log;
    pl = ap_solve(p, &o, &err);
    if (!pl) {
        ap_problem_free(p);
        return report(&err);
    }
    if (ap_plan_status(pl) == AP_STATUS_NOSOLUTION) {
        fprintf(stderr, "altoplace: %s: no plan found: %s\n", problem, ap_plan_reason(pl));
        ap_plan_free(pl);
        ap_problem_free(p);
        return EX_NOSOLUTION;
    }
    if (ap_plan_write(pl, out, &err)) {
        ap_plan_free(pl);
        ap_problem_free(p);
        return report(&err);
    }
    if (verbose)
        summary(pl, p, out);
    rc = ap_plan_status(pl) == AP_STATUS_INFEASIBLE ? EX_INFEASIBLE : EX_OK;
    if (rc == EX_INFEASIBLE && !verbose)
        fprintf(stderr, "altoplace: %s: infeasible: %s\n", problem, ap_plan_reason(pl));
    ap_plan_free(pl);
    ap_problem_free(p);
    return rc;
}

/* import zoo|wlcg: a topology written out as ALTO files. */
static int import_topo(const char *kind, const char *file, const char *out, const ap_topo_opts *o,
                       const char *flows, const char *vo)
{
    ap_error err;
    ap_topo *t;
    int rc = 0;
    ap_error_clear(&err);
    if (!strcmp(kind, "zoo"))
        t = ap_topo_load_graphml(file, o, &err);
    else
        t = ap_topo_load_wlcg(file, vo, flows, o, &err);
    if (!t)
        return report(&err);
    if (ap_topo_write_alto(t, out, o, &err))
        rc = report(&err);
    else if (!strcmp(kind, "wlcg")) {
        char path[4096];
        snprintf(path, sizeof path, "%s/sites.json", out);
        if (ap_topo_write_sites(t, path, &err))
            rc = report(&err);
    }
    if (rc == 0 && verbose)
        fprintf(stderr, "altoplace: %zu PIDs, %zu links: wrote the ALTO files and topology.json in %s\n",
                ap_topo_nnodes(t), ap_topo_nlinks(t), out);
    ap_topo_free(t);
    return rc;
}

static int cmd_import(int argc, char **argv)
{
    const char *kind = NULL, *file = NULL, *out = NULL, *flows = NULL, *vo = "cms";
    double cap = -1;
    int i, rc;
    ap_error err;
    ap_topo_opts to;
    const char *countries[64], *astables[8];

    ap_topo_opts_init(&to);
    to.countries = countries;
    to.as_tables = astables;
    to.log = on_log;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(import_usage, stdout);
            return EX_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc)
                return usage_error("missing value for", a, import_usage);
            out = argv[i];
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 2;
        } else if (!strcmp(a, "--capacity")) {
            if (++i >= argc || parse_double(argv[i], &cap) || cap <= 0)
                return usage_error("--capacity needs a positive number", i < argc ? argv[i] : NULL,
                                   import_usage);
        } else if (!strcmp(a, "--as")) {
            double v;
            if (++i >= argc || parse_double(argv[i], &v) || v < 1 || v > 4294967295.0 || v != (long)v)
                return usage_error("--as needs an AS number", i < argc ? argv[i] : NULL, import_usage);
            to.asn = (long)v;
        } else if (!strcmp(a, "--as-table")) {
            if (++i >= argc)
                return usage_error("missing value for", a, import_usage);
            if (to.nas_tables == sizeof astables / sizeof astables[0])
                return usage_error("too many --as-table options", NULL, import_usage);
            astables[to.nas_tables++] = argv[i];
        } else if (!strcmp(a, "--country")) {
            if (++i >= argc)
                return usage_error("missing value for", a, import_usage);
            if (to.ncountries == sizeof countries / sizeof countries[0])
                return usage_error("too many --country options", NULL, import_usage);
            countries[to.ncountries++] = argv[i];
        } else if (!strcmp(a, "--speed")) {
            if (++i >= argc || parse_double(argv[i], &to.speed) || to.speed <= 0 || to.speed > 3e8)
                return usage_error("--speed needs metres per second in (0, 3e8]", i < argc ? argv[i] : NULL,
                                   import_usage);
        } else if (!strcmp(a, "--prefixes") || !strcmp(a, "--resource-id") || !strcmp(a, "--flows") ||
                   !strcmp(a, "--vo")) {
            if (++i >= argc)
                return usage_error("missing value for", a, import_usage);
            if (!strcmp(a, "--prefixes"))
                to.prefixes = argv[i];
            else if (!strcmp(a, "--resource-id"))
                to.resource_id = argv[i];
            else if (!strcmp(a, "--flows"))
                flows = argv[i];
            else
                vo = argv[i];
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option", a, import_usage);
        } else if (!kind) {
            kind = a;
        } else if (!file) {
            file = a;
        } else {
            return usage_error("unexpected argument", a, import_usage);
        }
    }
    if (!kind || !file)
        return usage_error("missing KIND or FILE", NULL, import_usage);
    if (!out)
        return usage_error("missing -o DIR", NULL, import_usage);
    if ((to.asn > 0) != (to.nas_tables > 0))
        return usage_error("--as and --as-table go together", NULL, import_usage);
    if (!strcmp(kind, "zoo") || !strcmp(kind, "wlcg")) {
        if (cap > 0)
            return usage_error("--capacity applies to orlib-cap only", NULL, import_usage);
        if (!strcmp(kind, "wlcg") && !flows)
            return usage_error("wlcg needs --flows FILE (the transfer records naming the sites)", NULL,
                               import_usage);
        if (!strcmp(kind, "zoo") && flows)
            return usage_error("--flows applies to wlcg only", NULL, import_usage);
        return import_topo(kind, file, out, &to, flows, vo);
    }
    if (to.prefixes || flows)
        return usage_error("--prefixes and --flows apply to zoo and wlcg only", NULL, import_usage);
    ap_error_clear(&err);
    if (!strcmp(kind, "orlib-pmed")) {
        if (cap > 0)
            return usage_error("--capacity applies to orlib-cap only", NULL, import_usage);
        rc = ap_import_orlib_pmed(file, out, &err);
    } else if (!strcmp(kind, "orlib-cap")) {
        rc = ap_import_orlib_cap(file, cap, out, &err);
    } else if (!strcmp(kind, "orlib-pmedcap")) {
        if (cap > 0)
            return usage_error("--capacity applies to orlib-cap only", NULL, import_usage);
        rc = ap_import_orlib_pmedcap(file, out, &err);
    } else {
        return usage_error("unknown import kind", kind, import_usage);
    }
    if (rc)
        return report(&err);
    if (verbose)
        fprintf(stderr, "altoplace: wrote %s/problem.json and its ALTO files\n", out);
    return EX_OK;
}

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

static int cmd_demand(int argc, char **argv)
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
                   !strcmp(a, "--max-bad") || !strcmp(a, "--season") || !strcmp(a, "--flows") ||
                   !strcmp(a, "--sites")) {
            const char *v;
            if (++i >= (size_t)argc)
                return usage_error("missing value for", a, demand_usage);
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
                    return usage_error("--bucket needs a duration such as 300, 5m, 1h or 1d", v, demand_usage);
            } else if (!strcmp(a, "--weight")) {
                if (strcmp(v, "requests") && strcmp(v, "bytes"))
                    return usage_error("--weight must be requests or bytes, not", v, demand_usage);
                bytes = !strcmp(v, "bytes");
            } else if (!strcmp(a, "--max-bad")) {
                if (parse_double(v, &o.max_bad) || o.max_bad < 0 || o.max_bad > 1)
                    return usage_error("--max-bad needs a fraction in [0, 1]", v, demand_usage);
            } else {
                double s;
                if (parse_double(v, &s) || s < 0 || s != floor(s))
                    return usage_error("--season needs a whole number of buckets", v, demand_usage);
                season = (size_t)s;
            }
        } else if (!strcmp(a, "--forecast")) {
            forecast = 1;
        } else if (!strcmp(a, "--objects")) {
            o.objects = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option", a, demand_usage);
        } else if (np < 256) {
            paths[np++] = a;
        } else {
            return usage_error("too many inputs (256 at most)", NULL, demand_usage);
        }
    }
    if (!np && !flows)
        return usage_error("missing LOG", NULL, demand_usage);
    if ((flows || sites) && (np || !flows || !sites))
        return usage_error("--flows and --sites go together, without LOG arguments", NULL, demand_usage);
    if (!nmpath)
        return usage_error("missing -n NETWORKMAP.json", NULL, demand_usage);
    ap_error_clear(&err);
    nm = ap_netmap_load(nmpath, &err);
    if (!nm)
        return report(&err);
    d = flows ? ap_demand_read_flows(nm, flows, sites, &o, &err) : ap_demand_read(nm, paths, np, &o, &err);
    if (!d) {
        ap_netmap_free(nm);
        return report(&err);
    }
    n = ap_netmap_count(nm);
    if (forecast) {
        if (!season && o.bucket > 0 && o.bucket <= 86400)
            season = (size_t)(86400 / o.bucket + 0.5);
        next = malloc((n ? n : 1) * sizeof *next);
        if (!next || ap_demand_forecast(d, bytes, season, next, &bt, &err)) {
            if (!next)
                ap__fake_oom(&err);
            rc = report(&err);
            goto done;
        }
    }
    if (ap_demand_write_json(d, bytes, next, out, &err) || (csv && ap_demand_write_csv(d, csv, &err))) {
        rc = report(&err);
        goto done;
    }
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

static void sleep_s(double s)
{
    struct timespec ts;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - floor(s)) * 1e9);
    nanosleep(&ts, NULL);
}

static int cmd_watch(int argc, char **argv)
{
    const char *problem = NULL, *out = NULL, *alto = NULL, *cache = NULL, *requests = NULL;
    const char *cacert = NULL, *cert = NULL, *key = NULL;
    double interval = 60, threshold = 0, margin = 0.01, migration = 0, tl = 30;
    long iterations = -1, it;
    int i, allow_stale = 0, compat = 0, sse = 0;
    ap_alto *sclient = NULL;
    ap_alto_stream *st = NULL;
    ap_netmap *snm = NULL;
    ap_costmap *scm = NULL;
    char ssrc[600];
    char defcache[4200];
    ap_problem *cur_p = NULL;
    ap_plan *cur = NULL;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        double v;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(watch_usage, stdout);
            return EX_OK;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(a, "--allow-stale")) {
            allow_stale = 1;
        } else if (!strcmp(a, "--sse")) {
            sse = 1;
        } else if (!strcmp(a, "--cacert") || !strcmp(a, "--cert") || !strcmp(a, "--key")) {
            if (++i >= argc)
                return usage_error("missing value for", a, watch_usage);
            if (!strcmp(a, "--cacert"))
                cacert = argv[i];
            else if (!strcmp(a, "--cert"))
                cert = argv[i];
            else
                key = argv[i];
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--alto") ||
                   !strcmp(a, "--alto-cache") || !strcmp(a, "--requests") || !strcmp(a, "--alto-compat")) {
            if (++i >= argc)
                return usage_error("missing value for", a, watch_usage);
            if (!strcmp(a, "-o") || !strcmp(a, "--output"))
                out = argv[i];
            else if (!strcmp(a, "--alto"))
                alto = argv[i];
            else if (!strcmp(a, "--alto-cache"))
                cache = argv[i];
            else if (!strcmp(a, "--requests"))
                requests = argv[i];
            else if (strcmp(argv[i], "strict") && strcmp(argv[i], "lenient"))
                return usage_error("--alto-compat must be strict or lenient", argv[i], watch_usage);
            else
                compat = !strcmp(argv[i], "lenient");
        } else if (!strcmp(a, "--interval") || !strcmp(a, "--threshold") || !strcmp(a, "--margin") ||
                   !strcmp(a, "--migration-cost") || !strcmp(a, "--iterations") ||
                   !strcmp(a, "--time-limit")) {
            if (++i >= argc || parse_double(argv[i], &v) || v < 0)
                return usage_error("needs a number >= 0:", a, watch_usage);
            if (!strcmp(a, "--interval"))
                interval = v;
            else if (!strcmp(a, "--threshold"))
                threshold = v;
            else if (!strcmp(a, "--margin"))
                margin = v;
            else if (!strcmp(a, "--migration-cost"))
                migration = v;
            else if (!strcmp(a, "--iterations"))
                iterations = (long)v;
            else
                tl = v;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option", a, watch_usage);
        } else if (!problem) {
            problem = a;
        } else {
            return usage_error("unexpected argument", a, watch_usage);
        }
    }
    if (!problem || !out)
        return usage_error("missing PROBLEM.json or -o PLAN.json", NULL, watch_usage);
    if (sse && !alto)
        return usage_error("--sse needs --alto URI (the server to subscribe to)", NULL, watch_usage);
    if (key && !cert)
        return usage_error("--key goes with --cert", NULL, watch_usage);
    if (!cache) {
        snprintf(defcache, sizeof defcache, "%s.cache", out);
        cache = defcache;
    }
    for (it = 0; iterations < 0 || it < iterations; it++) {
        ap_load_opts lo;
        ap_error err;
        ap_problem *p;
        ap_plan *np = NULL, *keep = NULL;
        ap_solve_opts so;
        double diff, keepv, newv;
        size_t moved = 0, a, b;
        ap_error_clear(&err);
        if (sse && !st && !sclient) {
            /* subscribe: the metric comes from the problem itself */
            ap_alto_opts ao;
            ap_problem *pp;
            ap_load_opts_init(&lo);
            lo.alto_uri = alto;
            lo.alto_cache = cache;
            lo.alto_compat = compat;
            lo.cacert = cacert;
            lo.client_cert = cert;
            lo.client_key = key;
            lo.requests = requests;
            pp = ap_problem_load_opts(problem, &lo, &err);
            ap_alto_opts_init(&ao);
            ao.cacert = cacert;
            ao.client_cert = cert;
            ao.client_key = key;
            ao.compat = compat;
            ao.log = on_log;
            if (pp && (sclient = ap_alto_open(alto, &ao, &err)))
                st = ap_alto_stream_open(sclient, NULL, NULL, ap_problem_metric(pp), &err);
            ap_problem_free(pp);
            if (!st) {
                report(&err);
                if (verbose)
                    fprintf(stderr, "altoplace: watch: no update stream; polling every %g s instead\n", interval);
                ap_error_clear(&err);
            } else if (verbose) {
                fprintf(stderr, "altoplace: watch: subscribed to the update stream of %s\n", alto);
            }
        }
        if (it > 0) {
            if (st) {
                int ch = ap_alto_stream_wait(st, interval, &err);
                if (ch < 0) {
                    report(&err);
                    if (verbose)
                        fprintf(stderr, "altoplace: watch: the update stream ended; polling every %g s instead\n",
                                interval);
                    ap_alto_stream_free(st);
                    st = NULL;
                    ap_error_clear(&err);
                } else if (ch && verbose) {
                    fprintf(stderr, "altoplace: watch: update stream: %s%s%s changed (%ld events)\n",
                            ch & AP_STREAM_NETMAP ? "network map" : "", ch == 3 ? " and " : "",
                            ch & AP_STREAM_COSTMAP ? "cost map" : "", ap_alto_stream_events(st));
                }
            } else {
                sleep_s(interval);
            }
        }
        ap_load_opts_init(&lo);
        lo.requests = requests;
        lo.alto_uri = alto;
        lo.alto_cache = cache;
        lo.allow_stale = allow_stale;
        lo.alto_compat = compat;
        lo.cacert = cacert;
        lo.client_cert = cert;
        lo.client_key = key;
        lo.log = on_log;
        if (st) {
            ap_netmap_free(snm);
            ap_costmap_free(scm);
            scm = NULL;
            if ((snm = ap_alto_stream_netmap(st, &err)))
                scm = ap_alto_stream_costmap(st, snm, &err);
            if (!scm) {
                report(&err);
                ap_error_clear(&err);
            } else {
                snprintf(ssrc, sizeof ssrc, "update stream of %s", alto);
                lo.netmap = snm;
                lo.costmap = scm;
                lo.maps_source = ssrc;
            }
        }
        p = ap_problem_load_opts(problem, &lo, &err);
        if (!p) {
            /* a failing source is reported; the current plan stays */
            report(&err);
            continue;
        }
        diff = cur_p ? ap_problem_difference(cur_p, p) : INFINITY;
        if (cur && !(diff > threshold)) {
            ap_problem_free(p);
            continue;
        }
        ap_solve_opts_init(&so);
        ap_problem_apply_solve_opts(p, &so);
        so.time_limit = tl;
        so.log = on_log;
        so.warm = cur;
        np = ap_solve(p, &so, &err);
        if (!np || (ap_plan_status(np) != AP_STATUS_OPTIMAL && ap_plan_status(np) != AP_STATUS_FEASIBLE)) {
            if (!np)
                report(&err);
            else if (verbose)
                fprintf(stderr, "altoplace: watch: no plan (%s): %s\n", ap_status_name(ap_plan_status(np)),
                        ap_plan_reason(np));
            ap_plan_free(np);
            ap_problem_free(p);
            continue;
        }
        newv = ap_plan_objective(np);
        if (cur) {
            /* hysteresis: what would keeping the current sites cost now? */
            ap_problem *kp = ap_problem_load_opts(problem, &lo, &err);
            int pinned = kp ? ap_problem_pin_sites_of(kp, cur, &err) : -1;
            keepv = INFINITY;
            if (pinned > 0 && ap_problem_set_k(kp, pinned, &err) == 0) {
                ap_solve_opts ko;
                ap_solve_opts_init(&ko);
                ko.time_limit = tl;
                keep = ap_solve(kp, &ko, &err);
                if (keep && (ap_plan_status(keep) == AP_STATUS_OPTIMAL ||
                             ap_plan_status(keep) == AP_STATUS_FEASIBLE))
                    keepv = ap_plan_objective(keep);
            }
            for (a = 0; a < ap_plan_nsites(np); a++) {
                int kept = 0;
                for (b = 0; b < ap_plan_nsites(cur); b++)
                    kept |= !strcmp(ap_problem_site_name(p, ap_plan_site(np, a)),
                                    ap_problem_site_name(cur_p, ap_plan_site(cur, b)));
                moved += !kept;
            }
            ap_plan_free(keep);
            ap_problem_free(kp);
            if (!(newv + migration * (double)moved < keepv * (1 - margin))) {
                if (verbose)
                    fprintf(stderr, "altoplace: watch: change %.3g; keeping the plan (new %.10g + "
                            "migration %.10g vs current %.10g)\n", diff, newv, migration * (double)moved, keepv);
                ap_plan_free(np);
                ap_problem_free(p);
                continue;
            }
        }
        if (ap_plan_write(np, out, &err)) {
            report(&err);
            ap_plan_free(np);
            ap_problem_free(p);
            continue;
        }
        printf("{\"event\": \"plan\", \"check\": %ld, \"status\": \"%s\", \"objective\": %.10g, "
               "\"moved\": %zu, \"sites\": [", it, ap_status_name(ap_plan_status(np)), newv, moved);
        for (a = 0; a < ap_plan_nsites(np); a++)
            printf("%s\"%s\"", a ? ", " : "", ap_problem_site_name(p, ap_plan_site(np, a)));
        printf("], \"plan\": \"%s\"}\n", out);
        fflush(stdout);
        ap_plan_free(cur);
        ap_problem_free(cur_p);
        cur = np;
        cur_p = p;
    }
    ap_plan_free(cur);
    ap_problem_free(cur_p);
    ap_netmap_free(snm);
    ap_costmap_free(scm);
    ap_alto_stream_free(st);
    ap_alto_free(sclient);
    return EX_OK;
}

static int cmd_export(int argc, char **argv)
{
    const char *kind = NULL, *problem = NULL, *out = NULL;
    long k = -1;
    int i, rc = EX_OK;
    ap_error err;
    ap_problem *p;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(export_usage, stdout);
            return EX_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc)
                return usage_error("missing value for", a, export_usage);
            out = argv[i];
        } else if (!strcmp(a, "-k")) {
            double v;
            if (++i >= argc || parse_double(argv[i], &v) || v < 1 || v != floor(v) || v > 1e6)
                return usage_error("-k needs a positive integer", i < argc ? argv[i] : NULL, export_usage);
            k = (long)v;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option", a, export_usage);
        } else if (!kind) {
            kind = a;
        } else if (!problem) {
            problem = a;
        } else {
            return usage_error("unexpected argument", a, export_usage);
        }
    }
    if (!kind || strcmp(kind, "mathprog"))
        return usage_error("the only export format is mathprog", kind, export_usage);
    if (!problem || !out)
        return usage_error("missing PROBLEM.json or -o FILE", NULL, export_usage);
    ap_error_clear(&err);
    p = ap_problem_load(problem, &err);
    if (!p)
        return report(&err);
    if ((k > 0 && ap_problem_set_k(p, (int)k, &err)) || ap_problem_write_mathprog(p, out, &err))
        rc = report(&err);
    ap_problem_free(p);
    return rc;
}

static void on_progress(void *ud, ap_log_level lvl, const char *msg)
{
    (void)ud;
    if (verbose < 1)
        return;
    fprintf(stderr, "altoplace: %s%s\n", lvl == AP_LOG_WARN ? "warning: " : "", msg);
}

static int cmd_whatif(int argc, char **argv)
{
    const char *study = NULL, *out = NULL;
    int i, merge = 0, rc;
    ap_whatif_opts o;
    ap_error err;

    ap_whatif_opts_init(&o);
    o.log = on_progress;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(whatif_usage, stdout);
            return EX_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc)
                return usage_error("missing value for", a, whatif_usage);
            out = argv[i];
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(a, "--merge")) {
            merge = 1;
        } else if (!strcmp(a, "--part")) {
            char extra;
            if (++i >= argc || sscanf(argv[i], "%d/%d%c", &o.part, &o.nparts, &extra) != 2 || o.nparts < 1 ||
                o.part < 1 || o.part > o.nparts)
                return usage_error("--part needs I/N with 1 <= I <= N", i < argc ? argv[i] : NULL, whatif_usage);
        } else if (!strcmp(a, "--time-limit")) {
            if (++i >= argc || parse_double(argv[i], &o.time_limit) || o.time_limit <= 0)
                return usage_error("--time-limit needs a positive number of seconds", i < argc ? argv[i] : NULL,
                                   whatif_usage);
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option", a, whatif_usage);
        } else if (!study) {
            study = a;
        } else {
            return usage_error("unexpected argument", a, whatif_usage);
        }
    }
    if (!study)
        return usage_error("missing STUDY.json", NULL, whatif_usage);
    if (!out)
        return usage_error("missing -o DIR", NULL, whatif_usage);
    if (merge && o.nparts > 1)
        return usage_error("--merge and --part do not go together", NULL, whatif_usage);
    ap_error_clear(&err);
    rc = merge ? ap_whatif_merge(study, out, &err) : ap_whatif_run(study, out, &o, &err);
    if (rc)
        return report(&err);
    if (verbose && o.nparts > 1 && !merge)
        fprintf(stderr, "altoplace: wrote %s/part-%d-of-%d.json; when every part is done: altoplace whatif %s -o %s --merge\n",
                out, o.part, o.nparts, study, out);
    else if (verbose)
        fprintf(stderr, "altoplace: wrote %s/report.html (tables: results.csv, results.json)\n", out);
    return EX_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("missing command", NULL, main_usage);
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        fputs(main_usage, stdout);
        return EX_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("altoplace %s\n", AP_VERSION);
        return EX_OK;
    }
    if (!strcmp(argv[1], "plan")) {
        int rc = cmd_plan(argc - 1, argv + 1);
        ap_thread_cleanup();
        return rc;
    }
    if (!strcmp(argv[1], "watch")) {
        int rc = cmd_watch(argc - 1, argv + 1);
        ap_thread_cleanup();
        return rc;
    }
    if (!strcmp(argv[1], "whatif")) {
        int rc = cmd_whatif(argc - 1, argv + 1);
        ap_thread_cleanup();
        return rc;
    }
    if (!strcmp(argv[1], "demand"))
        return cmd_demand(argc - 1, argv + 1);
    if (!strcmp(argv[1], "export"))
        return cmd_export(argc - 1, argv + 1);
    if (!strcmp(argv[1], "import"))
        return cmd_import(argc - 1, argv + 1);
    return usage_error("unknown command", argv[1], main_usage);
}
