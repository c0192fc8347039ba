/* test_orlib.c - OR-Library instances through import + problem file + solve
 * must reproduce the published optima (Beasley 1985, 1988; Osman &
 * Christofides 1994). */
#include "test.h"
#include "util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef enum { PMED, CAP, PMEDCAP } kind;

static void run_file(kind k, const char *file, const char *name, double optimum)
{
    char prob[512];
    const char *dir = tmpdir();
    ap_error e;
    ap_problem *p;
    ap_plan *pl;
    ap_solve_opts o;
    int rc;

    ap_error_clear(&e);
    rc = k == PMED ? ap_import_orlib_pmed(file, dir, &e)
         : k == CAP ? ap_import_orlib_cap(file, -1, dir, &e)
                    : ap_import_orlib_pmedcap(file, dir, &e);
    if (rc)
        fprintf(stderr, "\n  import %s: %s\n", name, e.text);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    snprintf(prob, sizeof prob, "%s/problem.json", dir);
    p = ap_problem_load(prob, &e);
    if (!p)
        fprintf(stderr, "\n  load %s: %s: %s\n", name, e.source, e.text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    ap_solve_opts_init(&o);
    o.solver = AP_SOLVER_ILP;
    pl = ap_solve(p, &o, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_OPTIMAL);
    if (fabs(ap_plan_objective(pl) - optimum) > 1e-3 + 1e-9 * optimum)
        fprintf(stderr, "\n  %s: objective %.6f, published %.6f\n", name, ap_plan_objective(pl), optimum);
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(pl), optimum, 1e-3 + 1e-9 * optimum);
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_bound(pl), ap_plan_objective(pl), 1e-6 * optimum);
    /* the greedy warm start is a valid solution, never better than optimal */
    CU_ASSERT(ap_plan_greedy_objective(pl) >= optimum - 1e-6 * optimum);
    ap_plan_free(pl);
    ap_problem_free(p);
}

static void run(kind k, const char *name, double optimum)
{
    char file[256];
    snprintf(file, sizeof file, "data/orlib/%s.txt", name);
    run_file(k, file, name, optimum);
}

/* pmedopt (Beasley 1985) */
static void test_pmed1(void) { run(PMED, "pmed1", 5819); }
static void test_pmed2(void) { run(PMED, "pmed2", 4093); }
static void test_pmed3(void) { run(PMED, "pmed3", 4250); }
static void test_pmed4(void) { run(PMED, "pmed4", 3034); }
static void test_pmed5(void) { run(PMED, "pmed5", 1355); }

/* capopt (Beasley 1988), multi-source */
static void test_cap(void)
{
    static const struct { const char *n; double v; } c[] = {
        {"cap41", 1040444.375}, {"cap42", 1098000.450}, {"cap43", 1153000.450},
        {"cap44", 1235500.450}, {"cap51", 1025208.225}, {"cap61", 932615.750},
        {"cap62", 977799.400}, {"cap63", 1014062.050}, {"cap64", 1045650.250},
        {"cap71", 932615.750}, {"cap72", 977799.400}, {"cap73", 1010641.450},
        {"cap74", 1034976.975},
    };
    size_t i;
    for (i = 0; i < sizeof c / sizeof c[0]; i++)
        run(CAP, c[i].n, c[i].v);
}

/* pmedcapinfo, single-source capacitated p-median */
static void test_pmedcap(void)
{
    run(PMEDCAP, "pmedcap1", 713);
    run(PMEDCAP, "pmedcap2", 740);
}

/* The same file with every demand and the capacity times f: fractional
 * demands (f = 1.37) or demands in the thousands (f = 1000) take the node
 * bounds' cover form (ss_node.c) and the root's grid (lagrange_ss.c); the
 * objective (the sum of distances) and so the optimum do not change. */
static void run_scaled(const char *name, double f, double optimum)
{
    char in[256], out[512], line[256];
    FILE *a, *b;
    int n, p, lineno = 0;
    double id, x, y, d;
    snprintf(in, sizeof in, "data/orlib/%s.txt", name);
    snprintf(out, sizeof out, "%s/scaled.txt", tmpdir());
    a = fopen(in, "r");
    b = fopen(out, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    while (fgets(line, sizeof line, a)) {
        if (++lineno == 1)
            fputs(line, b);
        else if (lineno == 2 && sscanf(line, "%d %d %lf", &n, &p, &d) == 3)
            fprintf(b, "%d %d %.17g\n", n, p, d * f);
        else if (sscanf(line, "%lf %lf %lf %lf", &id, &x, &y, &d) == 4)
            fprintf(b, "%.0f %.17g %.17g %.17g\n", id, x, y, d * f);
    }
    fclose(a);
    CU_ASSERT_EQUAL(fclose(b), 0);
    CU_ASSERT_EQUAL(lineno, 2 + n);
    run_file(PMEDCAP, out, name, optimum);
}

static void test_pmedcap_scaled(void)
{
    run_scaled("pmedcap1", 1.37, 713);
    run_scaled("pmedcap1", 1000, 713);
}

static void test_import_errors(void)
{
    ap_error e;
    const char *dir = tmpdir();
    char path[512];
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_import_orlib_pmed("data/orlib/none.txt", dir, &e), -1);
    CU_ASSERT_EQUAL(e.code, AP_EIO);
    snprintf(path, sizeof path, "%s/bad.txt", dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(write_file(dir, "bad.txt", "3 2 1\n1 2 5\n2 x 4\n"));
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_import_orlib_pmed(path, dir, &e), -1);
    CU_ASSERT_EQUAL(e.code, AP_EFORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.source, "bad.txt:3"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "\"x\""));
    /* a 10-byte header claiming 20,000 vertices is refused before any
     * n x n allocation (it took 3.1 GB and an n^3 Floyd-Warshall) */
    CU_ASSERT_PTR_NOT_NULL_FATAL(write_file(dir, "bad.txt", "20000 0 1"));
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_import_orlib_pmed(path, dir, &e), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "too few edges for a connected graph"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(write_file(dir, "bad.txt", "20000 19999 1\n1 2 3\n"));
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_import_orlib_pmed(path, dir, &e), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "too short for that many edges"));
    /* fuzz_orlib, 30-minute campaign: a 40-byte cap file claiming 10,022
     * warehouses and 100,200 customers asked malloc for 8 GB of costs */
    CU_ASSERT_PTR_NOT_NULL_FATAL(write_file(dir, "bad.txt", " 10022  100200\n\n\n\v\n\n\n 38 3 92 "));
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_import_orlib_cap(path, -1, dir, &e), -1);
    CU_ASSERT_EQUAL(e.code, AP_EFORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "too short for 1004204400 costs"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(write_file(dir, "bad.txt", "1 0\n20000 5 10\n1 2 3 4\n"));
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_import_orlib_pmedcap(path, dir, &e), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "too short for that many customer lines"));
    /* capa-style file without --capacity */
    CU_ASSERT_PTR_NOT_NULL_FATAL(write_file(dir, "bad.txt", "1 1\ncapacity 7.5\n3 1.0\n"));
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_import_orlib_cap(path, -1, dir, &e), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "--capacity"));
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_import_orlib_cap(path, 10, dir, &e), 0);
    /* truncated file */
    CU_ASSERT_PTR_NOT_NULL_FATAL(write_file(dir, "bad.txt", "4 5 2\n1 2 3\n"));
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_import_orlib_pmed(path, dir, &e), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.text, "unexpected end of file"));
}

void suite_orlib(void)
{
    CU_pSuite s = CU_add_suite("orlib", NULL, NULL);
    CU_add_test(s, "pmed1 = 5819", test_pmed1);
    CU_add_test(s, "pmed2 = 4093", test_pmed2);
    CU_add_test(s, "pmed3 = 4250", test_pmed3);
    CU_add_test(s, "pmed4 = 3034", test_pmed4);
    CU_add_test(s, "pmed5 = 1355", test_pmed5);
    CU_add_test(s, "cap41..cap74 = capopt", test_cap);
    CU_add_test(s, "pmedcap1, pmedcap2 = published", test_pmedcap);
    CU_add_test(s, "pmedcap1 with fractional demands, demands in the thousands = published", test_pmedcap_scaled);
    CU_add_test(s, "importer errors name file and line", test_import_errors);
}
