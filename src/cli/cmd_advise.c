/* cmd_advise.c - altoplace advise: when do the deployed sites break a limit
 * (on the demand forecast), and which one site to add or remove. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const advise_usage =
    "usage: altoplace advise PROBLEM.json [options]\n"
    "\n"
    "For the deployed sites (--current PLAN.json, else a plan solved now): in which\n"
    "bucket of the demand forecast they first break a limit, which one site to add\n"
    "(best first, with the objective it gives) and which one to remove (cheapest\n"
    "first), so that a scheduler can scale out or in one instance at a time.  The\n"
    "forecast comes from the problem's request logs (demand.log); --horizon sets\n"
    "how far.  The advice is one JSON document on stdout.\n"
    "\n"
    "options:\n"
    "  --current FILE         the deployed plan (as altoplace plan or watch writes it)\n"
    "  --horizon N            forecast N buckets ahead (default: demand.horizon, else 0)\n"
    "  --max-load F           a site may carry F of its capacity (default 1)\n"
    "  --max-mean-cost C      limit on the demand-weighted mean client cost\n"
    "  --max-worst-cost C     limit on the worst client cost\n"
    "  --max-objective V      limit on the objective\n"
    "  --top N                sites to rank for adding and removing (default 3)\n"
    "  --time-limit S         per evaluation (default 5)\n"
    "  --alto URI, --alto-cache DIR, --allow-stale, --alto-compat MODE, --cacert FILE,\n"
    "  --cert FILE, --key FILE, --requests LOG, --alto-auth-any-origin\n"
    "                         as for plan\n"
    "  -q, --quiet            no summary on stderr\n"
    "  -v, --verbose          also the solver's details\n"
    "  -h, --help             this help\n";

/* s as a JSON string. */
static void print_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void print_sites(const char *key, const ap_advice_site *v, size_t n)
{
    size_t i;
    printf("  \"%s\": [", key);
    for (i = 0; i < n; i++) {
        printf("%s\n    {\"site\": \"%s\", \"objective\": %.10g, \"change\": ", i ? "," : "", v[i].site,
               v[i].objective);
        if (isfinite(v[i].change))
            printf("%.10g}", v[i].change);
        else
            printf("null}"); /* the current sites cannot serve that demand */
    }
    printf("%s]", n ? "\n  " : "");
}

static void print_num(const char *key, double v)
{
    if (isfinite(v))
        printf("  \"%s\": %.10g,\n", key, v);
    else
        printf("  \"%s\": null,\n", key);
}

static void print_advice(const char *problem, const ap_advice *a)
{
    printf("{\n  \"altoplace-advice\": 1,\n  \"problem\": ");
    print_str(problem);
    printf(",\n  \"sites\": %zu,\n", a->nsites);
    print_num("objective", a->objective);
    print_num("mean-cost", a->mean_cost);
    print_num("worst-cost", a->worst_cost);
    print_num("max-load", a->max_load);
    printf("  \"horizon\": %zu,\n  \"breaks-at\": ", a->horizon);
    if (a->breaks_at < 0) {
        printf("null,\n");
    } else {
        printf("%ld,\n  \"why\": ", a->breaks_at);
        print_str(a->why);
        printf(",\n");
    }
    print_sites("add", a->add, a->nadd);
    printf(",\n");
    print_sites("remove", a->remove, a->nremove);
    printf(",\n");
    print_num("optimum-plus-one", a->optimum_plus_one);
    printf("  \"advice\": ");
    print_str(a->advice);
    printf("\n}\n");
}

static int parse_limit(int argc, char **argv, int *i, double *v, double lo)
{
    if (++*i >= argc || cli_parse_double(argv[*i], v) || *v < lo)
        return cli_usage_error("needs a number >= 0:", argv[*i - 1], advise_usage);
    return 0;
}

int cli_advise(int argc, char **argv)
{
    const char *problem = NULL, *current = NULL;
    cli_alto f = {0};
    ap_advise_opts ao;
    ap_load_opts lo;
    ap_error err;
    ap_problem *p;
    ap_plan *cur = NULL;
    ap_advice a;
    double v;
    int i, rc = EX_OK;
    ap_advise_opts_init(&ao);
    ap_load_opts_init(&lo);
    for (i = 1; i < argc; i++) {
        const char *s = argv[i];
        int got = cli_alto_option(argc, argv, &i, &f, advise_usage, &rc);
        if (got < 0)
            return rc;
        if (got)
            continue;
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(advise_usage, stdout);
            return EX_OK;
        } else if (!strcmp(s, "-q") || !strcmp(s, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(s, "-v") || !strcmp(s, "--verbose")) {
            verbose = 2;
        } else if (!strcmp(s, "--current")) {
            if (++i >= argc)
                return cli_usage_error("missing value for", s, advise_usage);
            current = argv[i];
        } else if (!strcmp(s, "--max-load") || !strcmp(s, "--max-mean-cost") || !strcmp(s, "--max-worst-cost") ||
                   !strcmp(s, "--max-objective") || !strcmp(s, "--time-limit") || !strcmp(s, "--horizon") ||
                   !strcmp(s, "--top")) {
            if ((rc = parse_limit(argc, argv, &i, &v, 0)))
                return rc;
            if (!strcmp(s, "--max-load"))
                ao.max_load = v;
            else if (!strcmp(s, "--max-mean-cost"))
                ao.max_mean_cost = v;
            else if (!strcmp(s, "--max-worst-cost"))
                ao.max_worst_cost = v;
            else if (!strcmp(s, "--max-objective"))
                ao.max_objective = v;
            else if (!strcmp(s, "--time-limit"))
                ao.solve.time_limit = v > 0 ? v : ao.solve.time_limit;
            else if (v != floor(v) || v > 10000)
                return cli_usage_error("needs a whole number up to 10000:", s, advise_usage);
            else if (!strcmp(s, "--horizon"))
                lo.horizon = (size_t)v;
            else
                ao.top = (size_t)v;
        } else if (s[0] == '-' && s[1]) {
            return cli_usage_error("unknown option", s, advise_usage);
        } else if (!problem) {
            problem = s;
        } else {
            return cli_usage_error("unexpected argument", s, advise_usage);
        }
    }
    if (!problem)
        return cli_usage_error("missing PROBLEM.json", NULL, advise_usage);
    if ((rc = cli_alto_check(&f, advise_usage)))
        return rc;
    {
        size_t horizon = lo.horizon;
        cli_alto_load_opts(&f, &lo);
        lo.horizon = horizon;
    }
    ap_error_clear(&err);
    if (!(p = ap_problem_load_opts(problem, &lo, &err)))
        return cli_report(&err);
    if (current && !(cur = ap_plan_read(p, current, &err))) {
        ap_problem_free(p);
        return cli_report(&err);
    }
    if (ap_advise(p, cur, &ao, &a, &err)) {
        rc = cli_report(&err);
    } else {
        print_advice(ap_problem_name(p), &a);
        if (verbose)
            fprintf(stderr, "altoplace: advise: %s\n", a.advice);
        ap_advice_free(&a);
    }
    ap_plan_free(cur);
    ap_problem_free(p);
    return rc;
}
