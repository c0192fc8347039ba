/* cmd_whatif.c - altoplace whatif: run a what-if study, or merge its parts. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const whatif_usage =
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
    "  -v, --verbose      also the solver's details for each scenario\n"
    "  -h, --help         this help\n";


int cli_whatif(int argc, char **argv)
{
    const char *study = NULL, *out = NULL;
    int i, merge = 0, rc;
    ap_whatif_opts o;
    ap_error err;

    ap_whatif_opts_init(&o);
    o.log = cli_on_progress;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(whatif_usage, stdout);
            return EX_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc)
                return cli_usage_error("missing value for", a, whatif_usage);
            out = argv[i];
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 2;
        } else if (!strcmp(a, "--merge")) {
            merge = 1;
        } else if (!strcmp(a, "--part")) {
            char extra;
            if (++i >= argc || sscanf(argv[i], "%d/%d%c", &o.part, &o.nparts, &extra) != 2 || o.nparts < 1 ||
                o.part < 1 || o.part > o.nparts)
                return cli_usage_error("--part needs I/N with 1 <= I <= N", i < argc ? argv[i] : NULL, whatif_usage);
        } else if (!strcmp(a, "--time-limit")) {
            if (++i >= argc || cli_parse_double(argv[i], &o.time_limit) || o.time_limit <= 0)
                return cli_usage_error("--time-limit needs a positive number of seconds", i < argc ? argv[i] : NULL,
                                   whatif_usage);
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option", a, whatif_usage);
        } else if (!study) {
            study = a;
        } else {
            return cli_usage_error("unexpected argument", a, whatif_usage);
        }
    }
    if (!study)
        return cli_usage_error("missing STUDY.json", NULL, whatif_usage);
    if (!out)
        return cli_usage_error("missing -o DIR", NULL, whatif_usage);
    {
        struct stat st;
        if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
            return cli_fail(EX_OUTPUT, out, "is a file, not a folder for the study's outputs");
        }
    }
    if (merge && o.nparts > 1)
        return cli_usage_error("--merge and --part do not go together", NULL, whatif_usage);
    ap_error_clear(&err);
    rc = merge ? ap_whatif_merge(study, out, &err) : ap_whatif_run(study, out, &o, &err);
    if (rc)
        return cli_report(&err);
    if (verbose && o.nparts > 1 && !merge)
        fprintf(stderr, "altoplace: wrote %s/part-%d-of-%d.json; when every part is done: altoplace whatif %s -o %s --merge\n",
                out, o.part, o.nparts, study, out);
    else if (verbose)
        fprintf(stderr, "altoplace: wrote %s/report.html (tables: results.csv, results.json)\n", out);
    return EX_OK;
}

