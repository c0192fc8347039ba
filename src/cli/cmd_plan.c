/* cmd_plan.c - altoplace plan: solve a problem file and write the plan. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const plan_usage =
    "usage: altoplace plan PROBLEM.json [options]\n"
    "\n"
    "Solve the placement problem described by PROBLEM.json (ALTO network map,\n"
    "cost map, optional property map, demand, model) and write the plan.\n"
    "PROBLEM.json '-' reads the problem from standard input (its relative\n"
    "paths then resolve against the current folder).\n"
    "Options override the problem file.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE      write the plan to FILE (atomically); default: stdout.\n"
    "                         An infeasible run leaves an existing FILE untouched\n"
    "  --infeasible-to FILE   where an infeasible plan (status and reason) goes;\n"
    "                         default: stdout when there is no -o, else nowhere\n"
    "  --alto URI             read the network and cost maps from this ALTO server\n"
    "                         (its directory URI) instead of the file's sources;\n"
    "                         credentials come from ALTOPLACE_ALTO_AUTH\n"
    "                         ('bearer TOKEN', 'basic USER:PASSWORD', 'digest ...')\n"
    "                         (a user:password@ in URI is shown as user:***@)\n"
    "  --network-map ID, --cost-map ID, --property-map ID\n"
    "                         resource ids of the server's directory to use (else\n"
    "                         alto.network-map etc. of the file, when the directory\n"
    "                         has them; else the default / only network map)\n"
    "  --alto-cache DIR       keep the maps fetched from the server (ETag revalidation)\n"
    "  --cacert FILE          CA bundle to verify an https ALTO server\n"
    "  --cert FILE, --key FILE  client certificate and key (PEM) for an https ALTO\n"
    "                         server that asks for one\n"
    "  --allow-stale          if the server fails, plan on the cached maps; the plan\n"
    "                         marks them stale with their age\n"
    "  --alto-auth-any-origin send the credentials also to hosts other than the\n"
    "                         directory's that it names (default: withheld, warned)\n"
    "  --alto-compat MODE     strict (default) or lenient: accept known deviations of\n"
    "                         research servers (JSON-string Python literals, cost-map\n"
    "                         PIDs missing from the network map, churning vtags),\n"
    "                         with one warning per kind\n"
    "  --requests LOG         take the demand from this request log (access log,\n"
    "                         CSV or JSON lines, gzip allowed) instead of the file's\n"
    "  -k N                   open exactly N sites\n"
    "  --solver METHOD        auto (greedy + GLPK, default; uncapacitated models by\n"
    "                         Benders decomposition), benders (the same, GLPK errors\n"
    "                         are fatal), ilp (GLPK on the compact model, errors are\n"
    "                         fatal) or greedy (heuristic only)\n"
    "  --time-limit S         stop after S seconds with the best plan found\n"
    "  --mip-gap G            stop when the relative gap is below G (default 0)\n"
    "                         Ctrl-C (or SIGTERM) stops the solve within a second and\n"
    "                         writes the best plan found, reason \"interrupted\"\n"
    "  -q, --quiet            no summary or progress on stderr\n"
    "  -v, --verbose          also print solver details on stderr\n"
    "  -h, --help             this help\n";


static void summary(const ap_plan *pl, const ap_problem *p, const char *out)
{
    size_t i, n = ap_plan_nsites(pl);
    FILE *f = stderr;
    fprintf(f, "status:    %s\n", ap_status_name(ap_plan_status(pl)));
    if (ap_plan_reason(pl)[0])
        fprintf(f, "reason:    %s\n", ap_plan_reason(pl));
    if (isfinite(ap_plan_objective(pl))) {
        char ou[96];
        fprintf(f, "objective: %.10g", ap_plan_objective(pl));
        if (*ap_problem_objective_unit(p, ou, sizeof ou))
            fprintf(f, " %s", ou);
        if (isfinite(ap_plan_bound(pl)))
            fprintf(f, "  (bound %.10g, gap %.4f%%)", ap_plan_bound(pl), 100 * ap_plan_gap(pl));
        fprintf(f, "\n");
        {
            /* the cost of the client-to-site pairs, in the unit that reads
             * best (ms for delays in microseconds) */
            char unit[32];
            const char *m = ap_problem_metric(p);
            double fac = ap_metric_display(m, ap_plan_max_cost(pl), unit, sizeof unit);
            fprintf(f, "client cost%s%s%s: mean %.6g%s%s (weighted by demand), worst %.6g%s%s\n", *m ? " (" : "", m,
                    *m ? ")" : "", fac * ap_plan_mean_cost(pl), *unit ? " " : "", unit, fac * ap_plan_max_cost(pl),
                    *unit ? " " : "", unit);
        }
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

int cli_plan(int argc, char **argv)
{
    const char *problem = NULL, *out = "-", *solver = NULL, *infeasible_to = NULL;
    cli_alto f = {0};
    ap_load_opts lo;
    long k = -1;
    double tl = -1, gap = -1;
    int i, rc;
    ap_error err;
    ap_problem *p;
    ap_plan *pl;
    ap_solve_opts o;
    char *text = NULL;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got = cli_alto_option(argc, argv, &i, &f, plan_usage, &rc);
        if (got < 0)
            return rc;
        if (got)
            continue;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(plan_usage, stdout);
            return EX_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc)
                return cli_usage_error("missing value for", a, plan_usage);
            out = argv[i];
        } else if (!strcmp(a, "--infeasible-to")) {
            if (++i >= argc)
                return cli_usage_error("missing value for", a, plan_usage);
            infeasible_to = argv[i];
        } else if (!strcmp(a, "-k")) {
            double v;
            if (++i >= argc || cli_parse_double(argv[i], &v) || v < 1 || v != floor(v) || v > 1e6)
                return cli_usage_error("-k needs a positive integer", i < argc ? argv[i] : NULL, plan_usage);
            k = (long)v;
        } else if (!strcmp(a, "--solver")) {
            if (++i >= argc)
                return cli_usage_error("missing value for", a, plan_usage);
            solver = argv[i];
            if (strcmp(solver, "auto") && strcmp(solver, "ilp") && strcmp(solver, "greedy") &&
                strcmp(solver, "benders"))
                return cli_usage_error("--solver must be auto, ilp, greedy or benders, not", solver,
                                       plan_usage);
        } else if (!strcmp(a, "--time-limit")) {
            if (++i >= argc || cli_parse_double(argv[i], &tl) || tl <= 0)
                return cli_usage_error("--time-limit needs a positive number of seconds",
                                   i < argc ? argv[i] : NULL, plan_usage);
        } else if (!strcmp(a, "--mip-gap")) {
            if (++i >= argc || cli_parse_double(argv[i], &gap) || gap < 0 || gap >= 1)
                return cli_usage_error("--mip-gap needs a number in [0, 1)", i < argc ? argv[i] : NULL,
                                   plan_usage);
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 2;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option", a, plan_usage);
        } else if (!problem) {
            problem = a;
        } else {
            return cli_usage_error("unexpected argument", a, plan_usage);
        }
    }
    if (!problem)
        return cli_usage_error("missing PROBLEM.json", NULL, plan_usage);
    /* where the plan goes must be writable before anything is solved */
    if ((rc = cli_check_output(out)) || (rc = cli_check_output(infeasible_to)) || (rc = cli_not_input(out, problem)) ||
        (rc = cli_not_input(infeasible_to, problem)))
        return rc;

    if ((rc = cli_alto_check(&f, plan_usage)))
        return rc;
    ap_error_clear(&err);
    ap_solve_opts_init(&o);
    cli_alto_load_opts(&f, &lo);
    lo.solve = &o;
    if (!strcmp(problem, "-")) { /* the problem on standard input, paths relative to here */
        if (!(text = cli_read_stdin()))
            return EX_INPUT;
        lo.text = text;
        problem = "<stdin>";
    }
    p = ap_problem_load_opts(problem, &lo, &err);
    free(text);
    if (!p)
        return cli_report(&err);
    if (k > 0 && ap_problem_set_k(p, (int)k, &err)) {
        ap_problem_free(p);
        return cli_report(&err);
    }
    if (solver)
        o.solver = !strcmp(solver, "ilp") ? AP_SOLVER_ILP
                   : !strcmp(solver, "greedy") ? AP_SOLVER_GREEDY
                   : !strcmp(solver, "benders") ? AP_SOLVER_BENDERS : AP_SOLVER_AUTO;
    if (tl > 0)
        o.time_limit = tl;
    if (gap >= 0)
        o.mip_gap = gap;
    o.log = cli_on_log;
    o.cancel = cli_cancel;
    cli_catch_signals();
    pl = ap_solve(p, &o, &err);
    if (!pl) {
        ap_problem_free(p);
        return cli_report(&err);
    }
    if (ap_plan_status(pl) == AP_STATUS_NOSOLUTION) {
        cli_fail(EX_NOSOLUTION, problem, "no plan found: %s", ap_plan_reason(pl));
        ap_plan_free(pl);
        ap_problem_free(p);
        return EX_NOSOLUTION;
    }
    rc = ap_plan_status(pl) == AP_STATUS_INFEASIBLE ? EX_INFEASIBLE : EX_OK;
    if (rc == EX_INFEASIBLE) {
        /* never replace a deployed plan by "no sites": the infeasible plan
         * goes only where it was asked for */
        const char *dest = infeasible_to ? infeasible_to : strcmp(out, "-") ? NULL : "-";
        if (dest && ap_plan_write(pl, dest, &err)) {
            ap_plan_free(pl);
            ap_problem_free(p);
            return cli_report(&err);
        }
        if (verbose)
            summary(pl, p, dest);
        if (!verbose || cli_error_json)
            cli_fail(EX_INFEASIBLE, problem, "infeasible: %s", ap_plan_reason(pl));
        if (strcmp(out, "-"))
            fprintf(stderr, "altoplace: %s left untouched%s%s\n", out, dest ? "; the infeasible plan is in " : "",
                    dest ? (strcmp(dest, "-") ? dest : "stdout") : "");
    } else {
        if (ap_plan_write(pl, out, &err)) {
            ap_plan_free(pl);
            ap_problem_free(p);
            return cli_report(&err);
        }
        if (verbose)
            summary(pl, p, out);
    }
    ap_plan_free(pl);
    ap_problem_free(p);
    return rc;
}

