/* test_whatif.c - what-if studies on a small network with known answers,
 * parts and merge, study errors (the report: test_report.c). */
#include "test.h"
#include "util.h"
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>

#define DEG_US (6371008.8 * 3.14159265358979323846 / 180 / 2e8 * 1e6)

static json_t *rows_of(const char *dir)
{
    char path[600];
    json_error_t je;
    json_t *j;
    snprintf(path, sizeof path, "%s/results.json", dir);
    j = json_load_file(path, 0, &je);
    return j;
}

static double obj(json_t *res, size_t i)
{
    json_t *v = json_object_get(json_array_get(json_object_get(res, "rows"), i), "objective");
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *field(json_t *res, size_t i, const char *k)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(res, "rows"), i), k));
}

static double numf(json_t *res, size_t i, const char *k)
{
    return json_number_value(json_object_get(json_array_get(json_object_get(res, "rows"), i), k));
}

static void test_study_values(void)
{
    const char *d = line_study(), *out = tmpdir();
    char study[600], path[700];
    ap_whatif_opts o;
    ap_error err;
    json_t *res;
    snprintf(study, sizeof study, "%s/study.json", d);
    ap_whatif_opts_init(&o);
    ap_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(ap_whatif_run(study, out, &o, &err), 0);
    res = rows_of(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(res);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(res, "rows")), 10);
    /* cost map values are written to 0.1 us: 1 degree = 556.0, 2 = 1112.0 */
    CU_ASSERT_STRING_EQUAL(field(res, 0, "scenario"), "base");
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 0), 2224.0, 1e-6);
    CU_ASSERT_STRING_EQUAL(field(res, 1, "scenario"), "k=1");
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 1), 2224.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 2), 1112.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 3), 556.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(numf(res, 3, "changes"), 2, 0);
    /* P1 fails: costs recomputed from the topology (exact); P1's request is
     * lost, P0 is cut off and needs a site of its own, P2 or P3 the other */
    CU_ASSERT_STRING_EQUAL(field(res, 4, "status"), "optimal");
    /* (topology.json keeps link lengths to the metre: 0.0004 us here) */
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 4), DEG_US, 0.05); /* delays in 0.1 us */
    CU_ASSERT_DOUBLE_EQUAL(numf(res, 4, "lost-demand"), 1, 0);
    {
        json_t *want = json_pack("[s]", "P1");
        CU_ASSERT(json_equal(json_object_get(json_array_get(json_object_get(res, "rows"), 4), "lost-clients"), want));
        json_decref(want);
    }
    /* the P1-P2 link is cut: each half needs its own site */
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 5), 2 * DEG_US, 0.1);
    /* within 600 us one site is not enough, two are */
    CU_ASSERT_STRING_EQUAL(field(res, 6, "status"), "infeasible");
    CU_ASSERT(isnan(obj(res, 6)));
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 7), 1112.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(numf(res, 7, "worst-cost"), 556.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 8), 3 * 2224.0, 1e-6);
    /* P1 and P2 can serve one request each: one site must be an end,
     * 556 + 1112 + 1667.9 */
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 9), 3335.9, 1e-6);
    CU_ASSERT(strcmp(field(res, 9, "scenario"), "small P1 P2") == 0);
    json_decref(res);
    /* the other outputs */
    snprintf(path, sizeof path, "%s/results.csv", out);
    {
        char *csv = slurp(path, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
        const char *hdr = "index,scenario,change,status,objective,k,sites,mean_cost,";
        CU_ASSERT(strncmp(csv, hdr, strlen(hdr)) == 0);
        CU_ASSERT(strstr(csv, "\n7,\"bound, k=2\",k = 2; cost bound 600 µs,optimal,1112,2,") != NULL);
        /* the recomputed delay as the cost-map files round it (555.975 us
         * -> 556.0), and the k column is the scenario's k */
        CU_ASSERT(strstr(csv, "\n4,P1 fails,k = 2; P1 fails,optimal,556,2,") != NULL);
        CU_ASSERT(strstr(csv, "\n6,bound,cost bound 600 µs,infeasible,,1,") != NULL);
        free(csv);
    }
    snprintf(path, sizeof path, "%s/cost-vs-k.svg", out);
    CU_ASSERT(file_exists(path));
    snprintf(path, sizeof path, "%s/scenarios.svg", out);
    CU_ASSERT(file_exists(path));
    snprintf(path, sizeof path, "%s/map-4.svg", out);
    CU_ASSERT(file_exists(path));
    snprintf(path, sizeof path, "%s/map-2.svg", out); /* part of the k sweep: no map */
    CU_ASSERT(!file_exists(path));
    snprintf(path, sizeof path, "%s/report.html", out);
    {
        char *h = slurp(path, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(h);
        CU_ASSERT(strstr(h, "<title>line &lt;study&gt; &amp; co</title>") != NULL);
        CU_ASSERT(strstr(h, "<svg") != NULL);
        CU_ASSERT(strstr(h, "stroke-dasharray") != NULL); /* the cut link on its map */
        free(h);
    }
}

static void test_parts_and_merge(void)
{
    const char *d = line_study(), *whole = tmpdir(), *split = tmpdir();
    char a[2000];
    json_t *r1, *r2;
    size_t i;
    snprintf(a, sizeof a, "whatif %s/study.json -o %s", d, whole);
    CU_ASSERT_EQUAL(cli(a), 0);
    ASSERT_OUT_HAS("scenario 9 (small P1 P2), 10 of 10"); /* the index, as in the table */
    ASSERT_OUT_HAS("s left");
    snprintf(a, sizeof a, "whatif %s/study.json -o %s --part 2/3", d, split);
    CU_ASSERT_EQUAL(cli(a), 0);
    ASSERT_OUT_HAS("scenario 7 (bound, k=2), 3 of 3"); /* scenarios 1, 4, 7 */
    /* merging with parts missing names what is missing, writes nothing */
    snprintf(a, sizeof a, "whatif %s/study.json -o %s --merge", d, split);
    CU_ASSERT_EQUAL(cli(a), 2);
    ASSERT_OUT_HAS("3 of 10 scenarios present (first missing: 0, \"base\")");
    snprintf(a, sizeof a, "%s/report.html", split);
    CU_ASSERT(!file_exists(a));
    snprintf(a, sizeof a, "whatif %s/study.json -o %s --part 1/3 -q && %s whatif %s/study.json -o %s --part 3/3 -q",
             d, split, getenv("AP_BIN") ? getenv("AP_BIN") : "../build/altoplace", d, split);
    CU_ASSERT_EQUAL(cli(a), 0);
    snprintf(a, sizeof a, "whatif %s/study.json -o %s --merge", d, split);
    CU_ASSERT_EQUAL(cli(a), 0);
    r1 = rows_of(whole);
    r2 = rows_of(split);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r2);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(r2, "rows")), 10);
    for (i = 0; i < 10; i++) {
        double x = obj(r1, i), y = obj(r2, i);
        CU_ASSERT((isnan(x) && isnan(y)) || x == y);
        CU_ASSERT_STRING_EQUAL(field(r1, i, "scenario"), field(r2, i, "scenario"));
        CU_ASSERT(json_equal(json_object_get(json_array_get(json_object_get(r1, "rows"), i), "changes"),
                             json_object_get(json_array_get(json_object_get(r2, "rows"), i), "changes")));
    }
    json_decref(r1);
    json_decref(r2);
}

/* GEANT's bundled study: a link whose failure changes no shortest path
 * leaves the objective exactly as in the base (the base reads the rounded
 * cost-map file, the failure recomputes from topology.json: both must
 * round alike); doubling demand doubles the objective. */
static void test_failure_matches_base(void)
{
    const char *out = tmpdir();
    ap_whatif_opts o;
    ap_error err;
    json_t *res, *r;
    size_t i;
    double base = NAN, cut = NAN, twice = NAN;
    ap_whatif_opts_init(&o);
    ap_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(ap_whatif_run("../examples/geant/whatif.json", out, &o, &err), 0);
    res = rows_of(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(res);
    json_array_foreach(json_object_get(res, "rows"), i, r) {
        const char *n = json_string_value(json_object_get(r, "scenario"));
        double v = json_number_value(json_object_get(r, "objective"));
        if (!strcmp(n, "base"))
            base = v;
        else if (!strcmp(n, "DE-CH link fails"))
            cut = v;
        else if (!strcmp(n, "demand x2"))
            twice = v;
    }
    CU_ASSERT(base > 0);
    CU_ASSERT_DOUBLE_EQUAL(cut, base, 0); /* the same sites, the same paths */
    CU_ASSERT_DOUBLE_EQUAL(twice, 2 * base, 1e-9 * base);
    json_decref(res);
}

/* The README's recipe for distributed studies, run with Open MPI: two ranks
 * each solve their part (--part from OMPI_COMM_WORLD_RANK), --merge builds
 * the table, and every row equals the single-process study's but for the
 * time it took. */
static void test_mpi_parts(void)
{
    const char *whole = tmpdir(), *split = tmpdir(), *b = getenv("AP_BIN");
    char bin[PATH_MAX], study[PATH_MAX], a[3 * PATH_MAX + 400];
    json_t *r1, *r2, *x, *y;
    size_t i;
    if (access("/usr/bin/mpirun", X_OK) != 0) {
        CU_FAIL("mpirun not installed: run .ci/install-deps test (openmpi-bin)");
        return;
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(b ? b : "../build/altoplace", bin));
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath("../examples/geant/whatif.json", study));
    /* as root Open MPI needs its documented opt-in */
    snprintf(a, sizeof a, "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 300 mpirun --oversubscribe "
             "-n 2 sh -c '%s whatif %s -o %s -q --part $((OMPI_COMM_WORLD_RANK + 1))/2'", bin, study, split);
    CU_ASSERT_EQUAL_FATAL(run_shell(a), 0);
    snprintf(a, sizeof a, "%s/part-1-of-2.json", split);
    CU_ASSERT(file_exists(a));
    snprintf(a, sizeof a, "%s/part-2-of-2.json", split);
    CU_ASSERT(file_exists(a));
    snprintf(a, sizeof a, "whatif %s -o %s --merge -q", study, split);
    CU_ASSERT_EQUAL(cli(a), 0);
    snprintf(a, sizeof a, "whatif %s -o %s -q", study, whole);
    CU_ASSERT_EQUAL(cli(a), 0);
    r1 = rows_of(whole);
    r2 = rows_of(split);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r2);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(r1, "rows")), 14);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(r2, "rows")), 14);
    json_array_foreach(json_object_get(r1, "rows"), i, x) {
        y = json_array_get(json_object_get(r2, "rows"), i);
        json_object_del(x, "seconds");
        json_object_del(y, "seconds");
        CU_ASSERT(json_equal(x, y));
    }
    json_decref(r1);
    json_decref(r2);
}

static void test_study_errors(void)
{
    const char *d = line_study(), *out = tmpdir();
    char a[2000];
    CU_ASSERT_EQUAL(cli("whatif --help"), 0);
    ASSERT_OUT_HAS("--part I/N");
    snprintf(a, sizeof a, "whatif %s/study.json", d);
    CU_ASSERT_EQUAL(cli(a), 1);
    ASSERT_OUT_HAS("missing -o DIR");
    snprintf(a, sizeof a, "whatif %s/study.json -o %s --part 4/3", d, out);
    CU_ASSERT_EQUAL(cli(a), 1);
    write_file(d, "typo.json", "{\"problem\":\"problem.json\",\"scenarios\":[{\"k\":2,\"demand-scal\":2}]}");
    snprintf(a, sizeof a, "whatif %s/typo.json -o %s", d, out);
    CU_ASSERT_EQUAL(cli(a), 2);
    ASSERT_OUT_HAS("typo.json: scenarios[0].demand-scal: unknown key");
    /* a k range whose step would overflow past its end is refused, not
     * expanded without end */
    write_file(d, "huge.json", "{\"problem\":\"problem.json\",\"scenarios\":[{\"k\":{\"from\":1,"
                               "\"to\":9223372036854775807,\"step\":9223372036854775807}}]}");
    snprintf(a, sizeof a, "whatif %s/huge.json -o %s", d, out);
    CU_ASSERT_EQUAL(cli(a), 2);
    ASSERT_OUT_HAS("at most 1000 values");
    write_file(d, "notopo.json", "{\"problem\":\"problem.json\",\"scenarios\":[{\"fail-sites\":[\"P1\"]}]}");
    snprintf(a, sizeof a, "whatif %s/notopo.json -o %s", d, out);
    CU_ASSERT_EQUAL(cli(a), 2);
    ASSERT_OUT_HAS("failures need the study's topology");
    write_file(d, "badsite.json", "{\"problem\":\"problem.json\",\"topology\":\"topology.json\","
                                  "\"scenarios\":[{\"fail-sites\":[\"P9\"]}]}");
    snprintf(a, sizeof a, "whatif %s/badsite.json -o %s", d, out);
    CU_ASSERT_EQUAL(cli(a), 2);
    ASSERT_OUT_HAS("badsite.json: scenario \"scenario 1\": fail-sites: P9 is not a node of");
    snprintf(a, sizeof a, "%s/report.html", out);
    CU_ASSERT(!file_exists(a));
}

void suite_whatif(void)
{
    CU_pSuite s = CU_add_suite("whatif", NULL, NULL);
    CU_add_test(s, "study on a 4-PoP line: expected table", test_study_values);
    CU_add_test(s, "parts and merge give the whole study's table", test_parts_and_merge);
    CU_add_test(s, "study errors name the file and key", test_study_errors);
    CU_add_test(s, "a failure that changes no path costs what the base costs", test_failure_matches_base);
    CU_add_test(s, "the README's mpirun recipe: 2 ranks, merged = one process", test_mpi_parts);
}
