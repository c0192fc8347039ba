/* test_problem.c - problem files and the programmatic problem API. */
#include "test.h"
#include "util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define ALTO "\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\",\"property-map\":\"pm.json\"}"

static ap_problem *load_str(const char *dir, const char *doc, ap_error *e)
{
    char *p = write_file(dir, "problem.json", doc);
    ap_error_clear(e);
    return ap_problem_load(p, e);
}

/* The same, with the file's solver section copied into *so. */
static ap_problem *load_str_solve(const char *dir, const char *doc, ap_solve_opts *so, ap_error *e)
{
    char *p = write_file(dir, "problem.json", doc);
    ap_load_opts lo;
    ap_load_opts_init(&lo);
    ap_solve_opts_init(so);
    lo.solve = so;
    ap_error_clear(e);
    return ap_problem_load_opts(p, &lo, e);
}

static void test_load_pmedian(void)
{
    ap_error e;
    const char *d = line_network();
    ap_solve_opts o;
    ap_problem *p = load_str_solve(d, "{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":2},"
                                      "\"solver\":{\"method\":\"greedy\",\"time-limit\":5}}", &o, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(ap_problem_nclients(p), 4);
    CU_ASSERT_EQUAL(ap_problem_nsites(p), 4);
    CU_ASSERT_EQUAL(ap_problem_k(p), 2);
    CU_ASSERT_STRING_EQUAL(ap_problem_site_name(p, 3), "D");
    CU_ASSERT_EQUAL(o.solver, AP_SOLVER_GREEDY);
    CU_ASSERT_DOUBLE_EQUAL(o.time_limit, 5, 0);
    ap_problem_free(p);
}

static void test_inline_demand_and_candidates(void)
{
    ap_error e;
    const char *d = line_network();
    ap_problem *p = load_str(d, "{" ALTO ",\"demand\":{\"A\":1,\"D\":0},"
                                "\"model\":{\"type\":\"p-median\",\"k\":1,\"candidates\":[\"C\",\"D\"]}}", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(ap_problem_nclients(p), 1); /* zero demand: not a client */
    CU_ASSERT_STRING_EQUAL(ap_problem_client_name(p, 0), "A");
    CU_ASSERT_EQUAL(ap_problem_nsites(p), 2);
    CU_ASSERT_STRING_EQUAL(ap_problem_site_name(p, 0), "C");
    ap_problem_free(p);
}

static void test_setters(void)
{
    ap_error e;
    ap_problem *p;
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_problem_new(0, 3, &e));
    CU_ASSERT_EQUAL(e.code, AP_EINVAL);
    p = ap_problem_new(2, 3, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_problem_set_cost(p, 0, 0, NAN, &e), -1);
    CU_ASSERT_EQUAL(e.code, AP_EINVAL);
    CU_ASSERT_EQUAL(ap_problem_set_cost(p, 0, 0, -1, NULL), -1);
    CU_ASSERT_EQUAL(ap_problem_set_cost(p, 5, 0, 1, NULL), -1);
    CU_ASSERT_EQUAL(ap_problem_set_cost(p, 0, 0, INFINITY, NULL), 0);
    CU_ASSERT_EQUAL(ap_problem_set_demand(p, 0, NAN, NULL), -1);
    CU_ASSERT_EQUAL(ap_problem_set_demand(p, 0, 2, NULL), 0);
    CU_ASSERT_EQUAL(ap_problem_set_capacity(p, 0, -1, NULL), -1);
    CU_ASSERT_EQUAL(ap_problem_set_opening_cost(p, 0, INFINITY, NULL), -1);
    CU_ASSERT_EQUAL(ap_problem_set_k(p, -1, NULL), -1);
    CU_ASSERT_EQUAL(ap_problem_set_site_name(p, 1, "", NULL), -1);
    CU_ASSERT_EQUAL(ap_problem_set_site_name(p, 1, "edge-1", NULL), 0);
    CU_ASSERT_STRING_EQUAL(ap_problem_site_name(p, 1), "edge-1");
    CU_ASSERT_STRING_EQUAL(ap_problem_client_name(p, 1), "c1");
    ap_problem_free(p);
    ap_problem_free(NULL);
}

void suite_problem(void)
{
    CU_pSuite s = CU_add_suite("problem", NULL, NULL);
    CU_add_test(s, "p-median problem file with demand file", test_load_pmedian);
    CU_add_test(s, "inline demand, zero demand, candidates", test_inline_demand_and_candidates);
    CU_add_test(s, "setters validate their values", test_setters);
}
