/* test_metric.c - cost metric names, statistics and units (RFC 9439), and
 * what problem files may use as a cost. */
#include "test.h"
#include "util.h"
#include <stdio.h>

static void test_metric_names(void)
{
    ap_metric_info m;
    ap_error e;
    CU_ASSERT_EQUAL(ap_metric_parse("delay-ow", &m, &e), 0);
    CU_ASSERT_STRING_EQUAL(m.unit, "microseconds");
    CU_ASSERT(m.known && !m.higher_is_better && !m.stat[0]);
    CU_ASSERT_EQUAL(ap_metric_parse("delay-ow:p99.9", &m, &e), 0);
    CU_ASSERT_STRING_EQUAL(m.base, "delay-ow");
    CU_ASSERT_STRING_EQUAL(m.stat, "p99.9");
    CU_ASSERT_EQUAL(ap_metric_parse("bw-available:max", &m, &e), 0);
    CU_ASSERT(m.higher_is_better);
    CU_ASSERT_STRING_EQUAL(m.unit, "bytes per second");
    CU_ASSERT_EQUAL(ap_metric_parse("lossrate:mean", &m, &e), 0);
    CU_ASSERT_STRING_EQUAL(m.unit, "percent");
    CU_ASSERT_EQUAL(ap_metric_parse("routingcost", &m, &e), 0);
    CU_ASSERT(m.known);
    CU_ASSERT_EQUAL(ap_metric_parse("priv:latency:median", &m, &e), 0);
    CU_ASSERT_STRING_EQUAL(m.base, "priv:latency");
    CU_ASSERT(!m.known);
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_metric_parse("delay-ow:p101", &m, &e), -1);
    ASSERT_ERR_HAS(e, "statistical operator");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_metric_parse("delay-ow:average", &m, &e), -1);
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_metric_parse("delay ow", &m, &e), -1);
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_metric_parse("a-very-long-metric-name-over-32-chars", &m, &e), -1);
    ASSERT_ERR_HAS(e, "1 to 32 characters");
    /* problem files: a bandwidth metric is not a cost; a bad name is named */
    {
        const char *d = line_network();
        char *pf;
        ap_problem *p;
        write_file(d, "bw.json",
                   "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"line\",\"tag\":\"t1\"}],"
                   "\"cost-type\":{\"cost-mode\":\"numerical\",\"cost-metric\":\"bw-available\"}},\"cost-map\":{"
                   "\"A\":{\"A\":9,\"B\":9},\"B\":{\"A\":9,\"B\":9}}}");
        pf = write_file(d, "pbw.json", "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"bw.json\"},"
                                       "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1}}");
        ap_error_clear(&e);
        p = ap_problem_load(pf, &e);
        CU_ASSERT_PTR_NULL(p);
        ASSERT_ERR_HAS(e, "cost-metric bw-available: more is better");
        ap_problem_free(p);
        pf = write_file(d, "pbad.json", "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"},"
                                        "\"cost-metric\":\"hopcount:p200\",\"demand\":\"demand.json\","
                                        "\"model\":{\"type\":\"p-median\",\"k\":1}}");
        ap_error_clear(&e);
        p = ap_problem_load(pf, &e);
        CU_ASSERT_PTR_NULL(p);
        ASSERT_ERR_HAS(e, "statistical operator \"p200\"");
        CU_ASSERT(strstr(e.source, "pbad.json") != NULL);
        ap_problem_free(p);
    }
}

void suite_metric(void)
{
    CU_pSuite s = CU_add_suite("metric", NULL, NULL);
    CU_add_test(s, "cost metric names and units (RFC 9439)", test_metric_names);
}
