/* test_formulations.c - coverage, re-placement, bandwidth and weighted
 * metrics, from problem files on the line network A-B-C-D (hop counts,
 * demand 4, 1, 1, 4). */
#include "test.h"
#include "util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALTO "\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"}"

/* Loads and solves `doc` on a fresh line network; NULL on failure. */
static ap_plan *plan_of(const char *doc, ap_problem **pp)
{
    const char *d = line_network();
    char *path = write_file(d, "problem.json", doc);
    ap_error e;
    ap_plan *pl;
    write_file(d, "bw.json",
               "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"line\",\"tag\":\"t1\"}],"
               "\"cost-type\":{\"cost-mode\":\"numerical\",\"cost-metric\":\"bw-available\"}},\"cost-map\":{"
               "\"A\":{\"A\":100,\"B\":100,\"C\":100,\"D\":100},\"B\":{\"A\":1,\"B\":100,\"C\":100,\"D\":100},"
               "\"C\":{\"A\":1,\"B\":100,\"C\":100,\"D\":100},\"D\":{\"B\":100,\"C\":100,\"D\":100}}}");
    ap_error_clear(&e);
    *pp = ap_problem_load(path, &e);
    if (!*pp) {
        fprintf(stderr, "\n  load: %s: %s\n", e.source, e.text);
        return NULL;
    }
    pl = ap_solve(*pp, NULL, &e);
    if (!pl)
        fprintf(stderr, "\n  solve: %s\n", e.text);
    return pl;
}

static int site_open(const ap_plan *pl, const ap_problem *p, const char *name)
{
    size_t i;
    for (i = 0; i < ap_plan_nsites(pl); i++)
        if (!strcmp(ap_problem_site_name(p, ap_plan_site(pl, i)), name))
            return 1;
    return 0;
}

#define CHECK(doc, status, obj)                                                 \
    ap_problem *p = NULL;                                                      \
    ap_plan *pl = plan_of(doc, &p);                                            \
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);                                          \
    CU_ASSERT_EQUAL(ap_plan_status(pl), status);                               \
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(pl), obj, 1e-9)

static void test_coverage(void)
{
    /* within 1 hop of every client: 2 sites suffice, none fewer */
    CHECK("{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"coverage\",\"bound\":1}}",
          AP_STATUS_OPTIMAL, 2);
    CU_ASSERT_EQUAL(ap_plan_nsites(pl), 2);
    CU_ASSERT(ap_plan_max_cost(pl) <= 1); /* reported in hops, not the internal 0/1 */
    /* of the 2-site covers {A,C} 5, {A,D} 2, {B,C} 8, {B,D} 5 (demand x
     * hops), the cheapest */
    CU_ASSERT(site_open(pl, p, "A") && site_open(pl, p, "D"));
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_mean_cost(pl), 0.2, 1e-9);
    ap_plan_free(pl);
    ap_problem_free(p);
}

/* A p-median with an SLA no k sites can meet: the reason says how many
 * sites covering every client takes and who is left out. */
static void test_bound_infeasible_explained(void)
{
    ap_problem *p = NULL;
    ap_plan *pl = plan_of("{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1,"
                          "\"bound\":1}}", &p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_INFEASIBLE);
    CU_ASSERT(strstr(ap_plan_reason(pl), "no 1 site reaches every client") != NULL);
    CU_ASSERT(strstr(ap_plan_reason(pl), "covering every client takes 2 sites") != NULL);
    CU_ASSERT(strstr(ap_plan_reason(pl), "leaves 1 client out") != NULL); /* B or C covers 3 of 4 */
    ap_plan_free(pl);
    ap_problem_free(p);
}

/* capacity-property on a p-median makes it capacitated (it was ignored):
 * capacity 5 per site ("opening-cost" read as the capacity), demand 10 */
static void test_pmedian_capacity_property(void)
{
    {
        CHECK("{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\",\"property-map\":\"pm.json\"},"
              "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1}}", AP_STATUS_OPTIMAL, 13);
        ap_plan_free(pl);
        ap_problem_free(p);
    }
    {
        ap_problem *p = NULL;
        ap_plan *pl = plan_of("{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\",\"property-map\":"
                              "\"pm.json\"},\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1,"
                              "\"capacity-property\":\"opening-cost\"}}", &p);
        CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
        CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_INFEASIBLE); /* 10 of demand, 5 of capacity */
        CU_ASSERT(isnan(ap_plan_objective(pl)));
        ap_plan_free(pl);
        ap_problem_free(p);
    }
    {
        CHECK("{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\",\"property-map\":\"pm.json\"},"
              "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":2,"
              "\"capacity-property\":\"opening-cost\"}}", AP_STATUS_OPTIMAL, 2);
        CU_ASSERT(site_open(pl, p, "A") && site_open(pl, p, "D"));
        ap_plan_free(pl);
        ap_problem_free(p);
    }
}

static void test_coverage_zero(void)
{
    CHECK("{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"coverage\",\"bound\":0}}",
          AP_STATUS_OPTIMAL, 4);
    ap_plan_free(pl);
    ap_problem_free(p);
}

static void test_migration_keeps_existing(void)
{
    /* moving to {A, D} saves 6 but costs 2 x 100: keep {B, C} (cost 8) */
    CHECK("{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":2,"
          "\"existing\":[\"B\",\"C\"],\"migration-cost\":100}}", AP_STATUS_OPTIMAL, 8);
    CU_ASSERT(site_open(pl, p, "B") && site_open(pl, p, "C"));
    ap_plan_free(pl);
    ap_problem_free(p);
}

static void test_migration_moves(void)
{
    /* cheap migration: {A, D} costs 2 + 2 x 0.5 = 3 < 8 */
    CHECK("{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":2,"
          "\"existing\":[\"B\",\"C\"],\"migration-cost\":0.5}}", AP_STATUS_OPTIMAL, 3);
    {
        char *s = ap_plan_to_json(pl, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"closed\": [\n      \"B\",\n      \"C\""));
        free(s);
    }
    ap_plan_free(pl);
    ap_problem_free(p);
}

static void test_max_changes(void)
{
    /* at most one new site: {A, C} or {B, D}, both 5 ({A, D} = 2 needs two) */
    CHECK("{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":2,"
          "\"existing\":[\"B\",\"C\"],\"max-changes\":1}}", AP_STATUS_OPTIMAL, 5);
    ap_plan_free(pl);
    ap_problem_free(p);
}

static void test_pinned_and_forbidden(void)
{
    {
        CHECK("{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":2,"
              "\"pinned\":[\"B\"]}}", AP_STATUS_OPTIMAL, 5);
        CU_ASSERT(site_open(pl, p, "B"));
        ap_plan_free(pl);
        ap_problem_free(p);
    }
    {
        CHECK("{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":2,"
              "\"forbidden\":[\"A\",\"D\"]}}", AP_STATUS_OPTIMAL, 8);
        CU_ASSERT_EQUAL(ap_problem_nsites(p), 2);
        ap_plan_free(pl);
        ap_problem_free(p);
    }
}

static void test_weights_and_bandwidth(void)
{
    {
        /* the same metric twice, weights 1 and 0.5: costs x 1.5 */
        CHECK("{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":[\"cm.json\",\"cm.json\"]},"
              "\"cost-weights\":[1,0.5],\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":2}}",
              AP_STATUS_OPTIMAL, 3);
        ap_plan_free(pl);
        ap_problem_free(p);
    }
    {
        /* only site A has the bandwidth (>= 4) to serve client A */
        CHECK("{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\",\"bandwidth-map\":\"bw.json\"},"
              "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1}}",
              AP_STATUS_OPTIMAL, 15);
        CU_ASSERT(site_open(pl, p, "A"));
        ap_plan_free(pl);
        ap_problem_free(p);
    }
}

static void test_replacement_errors(void)
{
    static const struct { const char *doc, *needle; } cases[] = {
        {"{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1,\"existing\":[\"Q\"]}}", "model.existing[0]: \"Q\" is not a candidate"},
        {"{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1,\"forbidden\":[\"A\"],\"pinned\":[\"A\"]}}", "model.pinned[0]"},
        {"{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1,\"max-changes\":-1}}", "model.max-changes"},
        {"{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"coverage\"}}", "model.bound"},
        {"{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1,\"bound\":-3}}", "model.bound: must be a number >= 0"},
        {"{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":[\"cm.json\",\"cm.json\"]},\"cost-weights\":[1],\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1}}", "cost-weights"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *d = line_network();
        ap_error e;
        ap_error_clear(&e);
        CU_ASSERT_PTR_NULL(ap_problem_load(write_file(d, "problem.json", cases[i].doc), &e));
        CU_ASSERT_EQUAL(e.code, AP_EFORMAT);
        ASSERT_ERR_HAS(e, cases[i].needle);
    }
}

/* model.bound on a p-median: an SLA on every client's cost (hops here). */
static void test_bound_on_pmedian(void)
{
    ap_problem *p = NULL;
    ap_plan *pl = plan_of("{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1,"
                          "\"bound\":1}}", &p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_INFEASIBLE); /* A and D are 3 hops apart */
    ap_plan_free(pl);
    ap_problem_free(p);
    p = NULL;
    pl = plan_of("{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":2,\"bound\":1}}", &p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_OPTIMAL);
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(pl), 2, 1e-9); /* A and D: B and C one hop away */
    CU_ASSERT(ap_plan_max_cost(pl) <= 1);
    ap_plan_free(pl);
    ap_problem_free(p);
}

static void test_replacement_infeasible(void)
{
    /* k = 2, one existing site, no changes allowed */
    ap_problem *p = NULL;
    ap_plan *pl = plan_of("{" ALTO ",\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":2,"
                          "\"existing\":[\"B\"],\"max-changes\":0}}", &p);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_INFEASIBLE);
    CU_ASSERT(isnan(ap_plan_objective(pl)));
    CU_ASSERT_PTR_NOT_NULL(strstr(ap_plan_reason(pl), "changes allowed"));
    ap_plan_free(pl);
    ap_problem_free(p);
}

void suite_formulations(void)
{
    CU_pSuite s = CU_add_suite("formulations", NULL, NULL);
    CU_add_test(s, "model.bound on a p-median: an SLA per client", test_bound_on_pmedian);
    CU_add_test(s, "coverage: fewest sites within a bound", test_coverage);
    CU_add_test(s, "coverage with bound 0 opens every client's PID", test_coverage_zero);
    CU_add_test(s, "an SLA no k sites meet: the reason names the clients", test_bound_infeasible_explained);
    CU_add_test(s, "capacity-property on a p-median makes it capacitated", test_pmedian_capacity_property);
    CU_add_test(s, "re-placement: high migration cost keeps sites", test_migration_keeps_existing);
    CU_add_test(s, "re-placement: low migration cost moves them", test_migration_moves);
    CU_add_test(s, "re-placement: max-changes", test_max_changes);
    CU_add_test(s, "pinned and forbidden sites", test_pinned_and_forbidden);
    CU_add_test(s, "weighted metrics and bandwidth exclusion", test_weights_and_bandwidth);
    CU_add_test(s, "re-placement errors name the field", test_replacement_errors);
    CU_add_test(s, "re-placement that cannot be met is infeasible", test_replacement_infeasible);
}
