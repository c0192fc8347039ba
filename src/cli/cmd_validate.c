/* cmd_validate.c - altoplace validate FILE...: checks problem and study
 * files as plan and whatif would read them (maps, demand, model; a study's
 * base problem, topology and scenarios), without solving. */
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const validate_usage =
    "usage: altoplace validate FILE.json... [options]\n"
    "\n"
    "Check problem files (as 'plan' reads them: ALTO maps from files or the\n"
    "server, demand, model) and what-if study files (the base problem, the\n"
    "topology and every scenario) without solving anything. A file with\n"
    "\"scenarios\" is a study. Prints one line per file; the exit code is that\n"
    "of the first file that fails (2 bad input, 3 ALTO server, 4 certainly\n"
    "infeasible), 0 when all are valid.\n"
    "\n"
    "options:\n"
    "  --alto URI, --alto-cache DIR, --allow-stale, --alto-compat MODE, --cacert F,\n"
    "  --cert F, --key F, --network-map ID, --cost-map ID, --property-map ID,\n"
    "  --alto-auth-any-origin as for plan (problem files only)\n"
    "  -q, --quiet            print only errors\n"
    "  -h, --help             this help\n";

static int check_problem(const char *path, const cli_alto *f)
{
    ap_load_opts lo;
    ap_error err;
    ap_problem *p;
    char reason[512];
    int rc = EX_OK;
    ap_error_clear(&err);
    cli_alto_load_opts(f, &lo);
    if (!(p = ap_problem_load_opts(path, &lo, &err)))
        return cli_report(&err);
    if (ap_problem_check(p, reason, sizeof reason)) {
        rc = cli_fail(EX_INFEASIBLE, path, "infeasible: %s", reason);
    } else if (verbose >= 1) {
        const char *m = ap_problem_metric(p);
        printf("%s: valid problem: %s", path, ap_problem_model(p));
        if (ap_problem_k(p) > 0)
            printf(", k = %d", ap_problem_k(p));
        printf(", %zu clients, %zu candidate sites%s%s\n", ap_problem_nclients(p), ap_problem_nsites(p),
               *m ? ", metric " : "", m);
    }
    ap_problem_free(p);
    return rc;
}

static int check_study(const char *path)
{
    ap_error err;
    size_t n = 0;
    ap_error_clear(&err);
    if (ap_whatif_check(path, &n, &err))
        return cli_report(&err);
    if (verbose >= 1)
        printf("%s: valid study: %zu scenarios (base included)\n", path, n);
    return EX_OK;
}

int cli_validate(int argc, char **argv)
{
    cli_alto f;
    int i, rc = EX_OK, nfiles = 0;
    const char **files = calloc((size_t)argc, sizeof *files);
    if (!files) {
        return cli_fail(EX_INTERNAL, NULL, "out of memory");
    }
    memset(&f, 0, sizeof f);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got = cli_alto_option(argc, argv, &i, &f, validate_usage, &rc);
        if (got < 0)
            goto out;
        if (got)
            continue;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(validate_usage, stdout);
            goto out;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 2;
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage_error("unknown option", a, validate_usage);
            goto out;
        } else {
            files[nfiles++] = a;
        }
    }
    if (!nfiles)
        rc = cli_usage_error("missing FILE.json", NULL, validate_usage);
    else if (!(rc = cli_alto_check(&f, validate_usage)))
        for (i = 0; i < nfiles; i++) {
            int r = ap_whatif_is_study(files[i]) ? check_study(files[i]) : check_problem(files[i], &f);
            if (r != EX_OK && rc == EX_OK)
                rc = r;
        }
out:
    free(files);
    return rc;
}
