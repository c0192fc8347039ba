/* cmd_export.c - altoplace export mathprog: the problem as data for models/placement.mod. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const export_usage =
    "usage: altoplace export mathprog PROBLEM.json -o DATA.dat [-k N]\n"
    "\n"
    "Write the problem (after loading its ALTO files and demand) as a GNU\n"
    "MathProg data file for the textbook model models/placement.mod:\n"
    "  glpsol --math models/placement.mod --data DATA.dat\n"
    "\n"
    "options:\n"
    "  -o, --output FILE  the data file (written atomically)\n"
    "  -k N               open exactly N sites\n"
    "  -q, --quiet        no message on stderr\n"
    "  -v, --verbose      the same (export prints only errors)\n"
    "  -h, --help         this help\n";


int cli_export(int argc, char **argv)
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
                return cli_usage_error("missing value for", a, export_usage);
            out = argv[i];
        } else if (!strcmp(a, "-k")) {
            double v;
            if (++i >= argc || cli_parse_double(argv[i], &v) || v < 1 || v != floor(v) || v > 1e6)
                return cli_usage_error("-k needs a positive integer", i < argc ? argv[i] : NULL, export_usage);
            k = (long)v;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 2;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option", a, export_usage);
        } else if (!kind) {
            kind = a;
        } else if (!problem) {
            problem = a;
        } else {
            return cli_usage_error("unexpected argument", a, export_usage);
        }
    }
    if (!kind || strcmp(kind, "mathprog"))
        return cli_usage_error("the only export format is mathprog", kind, export_usage);
    if (!problem || !out)
        return cli_usage_error("missing PROBLEM.json or -o FILE", NULL, export_usage);
    if ((rc = cli_check_output(out)) || (rc = cli_not_input(out, problem)))
        return rc;
    ap_error_clear(&err);
    p = ap_problem_load(problem, &err);
    if (!p)
        return cli_report(&err);
    if ((k > 0 && ap_problem_set_k(p, (int)k, &err)) || ap_problem_write_mathprog(p, out, &err))
        rc = cli_report(&err);
    ap_problem_free(p);
    return rc;
}

