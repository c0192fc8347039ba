/* test_models.c - models/placement.mod (run by glpsol) and the built-in
 * solver agree on the optimum. */
#include "test.h"
#include "util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs glpsol on the model with `dat`; returns the printed objective or NaN. */
static double glpsol_objective(const char *dat)
{
    char cmd[1400], line[256];
    const char *d = tmpdir();
    char out[600];
    FILE *f;
    double v = NAN;
    snprintf(out, sizeof out, "%s/glpsol.out", d);
    snprintf(cmd, sizeof cmd, "glpsol --math ../models/placement.mod --data %s >%s 2>&1", dat, out);
    if (system(cmd) != 0)
        return NAN;
    f = fopen(out, "r");
    if (!f)
        return NAN;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "objective %lf", &v) == 1)
            break;
    fclose(f);
    return v;
}

/* Loads the problem file, solves it with glpsol on models/placement.mod and
 * with the built-in solver, and checks both optima agree. */
static void same_optimum(const char *prob, const char *dir)
{
    char dat[600];
    ap_error e;
    ap_problem *p;
    ap_plan *pl;
    double ref;
    snprintf(dat, sizeof dat, "%s/problem.dat", dir);
    ap_error_clear(&e);
    p = ap_problem_load(prob, &e);
    if (!p)
        fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL_FATAL(ap_problem_write_mathprog(p, dat, &e), 0);
    ref = glpsol_objective(dat);
    CU_ASSERT_FALSE(isnan(ref));
    pl = ap_solve(p, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_OPTIMAL);
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(pl), ref, 1e-5 * (1 + fabs(ref)));
    ap_plan_free(pl);
    ap_problem_free(p);
}

static void compare(const char *kind, const char *file)
{
    const char *d = tmpdir();
    char prob[600];
    ap_error e;
    int rc;
    ap_error_clear(&e);
    rc = !strcmp(kind, "pmed") ? ap_import_orlib_pmed(file, d, &e)
         : !strcmp(kind, "cap") ? ap_import_orlib_cap(file, -1, d, &e)
                                : ap_import_orlib_pmedcap(file, d, &e);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    snprintf(prob, sizeof prob, "%s/problem.json", d);
    same_optimum(prob, d);
}

static void test_model_checks(void)
{
    CU_ASSERT_EQUAL(system("glpsol --check --math ../models/placement.mod --data ../tests/data/tiny.dat >/dev/null 2>&1"), 0);
}

static void test_pmed1(void) { compare("pmed", "data/orlib/pmed1.txt"); }
static void test_cap41(void) { compare("cap", "data/orlib/cap41.txt"); }
static void test_cap71(void) { compare("cap", "data/orlib/cap71.txt"); }

static void test_single_source(void)
{
    /* a small single-source capacitated p-median: the first 12 customers of
     * pmedcap1 with k = 3 and capacity 120 */
    const char *d = tmpdir();
    char path[600];
    FILE *in = fopen("data/orlib/pmedcap1.txt", "r"), *out;
    char line[256];
    int n = 0;
    snprintf(path, sizeof path, "%s/small.txt", d);
    out = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(in);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    if (fgets(line, sizeof line, in))
        fputs(" 1 0\n 12 3 120\n", out);
    if (fgets(line, sizeof line, in)) { /* skip "50 5 120" */ }
    while (n < 12 && fgets(line, sizeof line, in)) {
        fputs(line, out);
        n++;
    }
    fclose(in);
    fclose(out);
    compare("pmedcap", path);
}

static void test_replacement(void)
{
    /* re-placement on cap41: two existing warehouses, at most 10 new ones,
     * one pinned, a migration cost */
    const char *d = tmpdir();
    char prob[600], doc[1024];
    ap_error e;
    FILE *f;
    ap_error_clear(&e);
    CU_ASSERT_EQUAL_FATAL(ap_import_orlib_cap("data/orlib/cap41.txt", -1, d, &e), 0);
    snprintf(prob, sizeof prob, "%s/replace.json", d);
    snprintf(doc, sizeof doc,
             "{\"alto\":{\"network-map\":\"networkmap.json\",\"cost-map\":\"costmap.json\","
             "\"property-map\":\"propmap.json\"},\"demand\":\"demand.json\",\"model\":{"
             "\"type\":\"capacitated-facility-location\",\"candidates\":[\"w1\",\"w2\",\"w3\",\"w4\","
             "\"w5\",\"w6\",\"w7\",\"w8\",\"w9\",\"w10\",\"w11\",\"w12\",\"w13\",\"w14\",\"w15\",\"w16\"],"
             "\"existing\":[\"w1\",\"w2\"],\"pinned\":[\"w3\"],\"max-changes\":10,\"migration-cost\":1000}}");
    f = fopen(prob, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(doc, f);
    fclose(f);
    same_optimum(prob, d);
}

void suite_models(void)
{
    CU_pSuite s = CU_add_suite("models", NULL, NULL);
    CU_add_test(s, "glpsol --check accepts models/placement.mod", test_model_checks);
    CU_add_test(s, "pmed1: model file = built-in optimum", test_pmed1);
    CU_add_test(s, "cap41: model file = built-in optimum", test_cap41);
    CU_add_test(s, "cap71: model file = built-in optimum", test_cap71);
    CU_add_test(s, "single-source capacitated: model file = built-in", test_single_source);
    CU_add_test(s, "re-placement (pinned, max changes, migration): model file = built-in", test_replacement);
}
