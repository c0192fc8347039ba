/* test_costmap.c - cost map parsing, vtag checks, unknown pairs. */
#include "test.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define NM "{\"meta\":{\"vtag\":{\"resource-id\":\"net\",\"tag\":\"v1\"}}," \
           "\"network-map\":{\"A\":{\"ipv4\":[\"10.0.0.0/8\"]},\"B\":{},\"C\":{}}}"
#define CM_HEAD(mode) "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"net\",\"tag\":\"v1\"}]," \
                      "\"cost-type\":{\"cost-mode\":\"" mode "\",\"cost-metric\":\"routingcost\"}},"

static ap_netmap *nm3(void)
{
    return ap_netmap_parse(NM, strlen(NM), "nm", NULL);
}

static ap_costmap *cm_str(const ap_netmap *nm, const char *s, ap_error *e)
{
    ap_error_clear(e);
    return ap_costmap_parse(s, strlen(s), "cm", nm, e);
}

static void test_rfc_vtag_mismatch(void)
{
    /* the RFC's network map and cost map examples carry different tags */
    ap_error e;
    ap_netmap *nm = ap_netmap_load(fx("fixtures/rfc/rfc7285-networkmap.json"), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_costmap_load(fx("fixtures/rfc/rfc7285-costmap.json"), nm, &e));
    CU_ASSERT_EQUAL(e.code, AP_EVTAG);
    ASSERT_ERR_HAS(e, "3ee2cb7e8d63d9fab71b9b34cbf764436315542e");
    ASSERT_ERR_HAS(e, "da65eca2eb7a10ce8b059740b0b2e3f8eb1d4785");
    ap_netmap_free(nm);
}

static void test_rfc_costmap_with_matching_tag(void)
{
    /* same body with the network map's tag: parses; PID3->PID3 is unknown */
    ap_error e;
    size_t len;
    char *buf = slurp(fx("fixtures/rfc/rfc7285-costmap.json"), &len), *p;
    ap_netmap *nm = ap_netmap_load(fx("fixtures/rfc/rfc7285-networkmap.json"), NULL);
    ap_costmap *cm;
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    p = strstr(buf, "3ee2cb7e8d63d9fab71b9b34cbf764436315542e");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    memcpy(p, "da65eca2eb7a10ce8b059740b0b2e3f8eb1d4785", 40);
    ap_error_clear(&e);
    cm = ap_costmap_parse(buf, len, "rfc-costmap", nm, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_STRING_EQUAL(ap_costmap_metric(cm), "routingcost");
    CU_ASSERT_STRING_EQUAL(ap_costmap_mode(cm), "numerical");
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 0, 1), 5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 2, 0), 20, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 1, 2), 15, 1e-12);
    CU_ASSERT(isnan(ap_costmap_get(cm, 2, 2)));  /* omitted: unknown, not zero */
    CU_ASSERT(isnan(ap_costmap_get(cm, 7, 0)));  /* out of range */
    ap_costmap_free(cm);
    ap_netmap_free(nm);
    free(buf);
}

static void test_bad_costs(void)
{
    static const struct { const char *doc, *needle; int code; } cases[] = {
        {CM_HEAD("numerical") "\"cost-map\":{\"A\":{\"B\":-1}}}", "cost-map.A.B: cost -1 is negative", AP_EFORMAT},
        {CM_HEAD("numerical") "\"cost-map\":{\"A\":{\"Z\":1}}}", "cost-map.A.Z: PID not in network map net", AP_EFORMAT},
        {CM_HEAD("numerical") "\"cost-map\":{\"Q\":{\"A\":1}}}", "cost-map.Q: PID not in network map", AP_EFORMAT},
        {CM_HEAD("numerical") "\"cost-map\":{\"A\":{\"B\":\"5\"}}}", "cost-map.A.B: cost is not a number", AP_EFORMAT},
        {CM_HEAD("numerical") "\"cost-map\":{\"A\":{\"B\":NaN}}}", "invalid JSON", AP_ESYNTAX},
        {CM_HEAD("numerical") "\"cost-map\":{\"A\":{\"B\":1e999}}}", "invalid JSON", AP_ESYNTAX},
        {CM_HEAD("ordinal") "\"cost-map\":{\"A\":{\"B\":1.5}}}", "ordinal cost 1.5", AP_EFORMAT},
        {CM_HEAD("fancy") "\"cost-map\":{}}", "cost-mode", AP_EFORMAT},
        {"{\"meta\":{\"cost-type\":{\"cost-mode\":\"numerical\",\"cost-metric\":\"x\"}},\"cost-map\":{}}", "dependent-vtags", AP_EFORMAT},
        {"{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"other\",\"tag\":\"v1\"}],\"cost-type\":{\"cost-mode\":\"numerical\",\"cost-metric\":\"x\"}},\"cost-map\":{}}", "does not name network map \"net\"", AP_EVTAG},
        {"{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"net\",\"tag\":\"v2\"}],\"cost-type\":{\"cost-mode\":\"numerical\",\"cost-metric\":\"x\"}},\"cost-map\":{}}", "version v2", AP_EVTAG},
        {"{\"meta\":{\"vtag\":{\"resource-id\":\"net\",\"tag\":\"v1\"}},\"network-map\":{}}", "looks like a network map", AP_EFORMAT},
        {CM_HEAD("numerical") "\"cost-map\":[]}", "cost-map: missing or not an object", AP_EFORMAT},
    };
    size_t i;
    ap_netmap *nm = nm3();
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ap_error e;
        ap_costmap *cm = cm_str(nm, cases[i].doc, &e);
        CU_ASSERT_PTR_NULL(cm);
        CU_ASSERT_EQUAL(e.code, cases[i].code);
        ASSERT_ERR_HAS(e, cases[i].needle);
        CU_ASSERT_STRING_EQUAL(e.source, "cm");
        ap_costmap_free(cm);
    }
    ap_netmap_free(nm);
}

static void test_ordinal_and_unknown_fields(void)
{
    ap_error e;
    ap_netmap *nm = nm3();
    ap_costmap *cm = cm_str(nm, CM_HEAD("ordinal") "\"future\":{\"x\":1},\"cost-map\":{\"A\":{\"B\":2,\"C\":1}}}", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_STRING_EQUAL(ap_costmap_mode(cm), "ordinal");
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 0, 1), 2, 0);
    CU_ASSERT(isnan(ap_costmap_get(cm, 1, 0)));
    ap_costmap_free(cm);
    ap_netmap_free(nm);
}

void suite_costmap(void)
{
    CU_pSuite s = CU_add_suite("costmap", NULL, NULL);
    CU_add_test(s, "RFC examples: dependent-vtags mismatch is AP_EVTAG", test_rfc_vtag_mismatch);
    CU_add_test(s, "RFC cost map with matching tag; omitted pair is NaN", test_rfc_costmap_with_matching_tag);
    CU_add_test(s, "negative, non-finite, unknown PIDs, wrong shapes", test_bad_costs);
    CU_add_test(s, "ordinal mode; unknown fields ignored", test_ordinal_and_unknown_fields);
}
