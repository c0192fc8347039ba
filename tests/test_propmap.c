/* test_propmap.c - RFC 9240 property maps. */
#include "test.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define NM "{\"meta\":{\"vtag\":{\"resource-id\":\"net\",\"tag\":\"v1\"}}," \
           "\"network-map\":{\"A\":{},\"B\":{}}}"

static ap_propmap *pm_str(const ap_netmap *nm, const char *s, ap_error *e)
{
    ap_error_clear(e);
    return ap_propmap_parse(s, strlen(s), "pm", nm, e);
}

static void test_pid_properties(void)
{
    ap_error e;
    ap_netmap *nm = ap_netmap_parse(NM, strlen(NM), "nm", NULL);
    ap_propmap *pm = pm_str(nm,
        "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"net\",\"tag\":\"v1\"}]},"
        "\"property-map\":{\"net.pid:A\":{\"capacity\":100,\"opening-cost\":7.5,\"name\":\"x\"},"
        "\"pid:B\":{\"capacity\":0},\"ipv4:192.0.2.0/24\":{\".ASN\":\"1\"}}}", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    CU_ASSERT_DOUBLE_EQUAL(ap_propmap_get(pm, 0, "capacity"), 100, 0);
    CU_ASSERT_DOUBLE_EQUAL(ap_propmap_get(pm, 0, "opening-cost"), 7.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(ap_propmap_get(pm, 1, "capacity"), 0, 0);
    CU_ASSERT(isnan(ap_propmap_get(pm, 1, "opening-cost")));
    CU_ASSERT(isnan(ap_propmap_get(pm, 0, "name"))); /* non-numeric: ignored */
    ap_propmap_free(pm);
    ap_netmap_free(nm);
}

static void test_bad(void)
{
    static const struct { const char *doc, *needle; int code; } cases[] = {
        {"{\"property-map\":{\"net.pid:Z\":{\"capacity\":1}}}", "PID \"Z\" not in network map net", AP_EFORMAT},
        {"{\"property-map\":{\"other.pid:A\":{\"capacity\":1}}}", "another network map", AP_EFORMAT},
        {"{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"net\",\"tag\":\"old\"}]},\"property-map\":{}}", "version old", AP_EVTAG},
        {"{\"meta\":{}}", "property-map: missing", AP_EFORMAT},
        {"{\"property-map\":{\"pid:A\":3}}", "property-map.pid:A: not an object", AP_EFORMAT},
    };
    size_t i;
    ap_netmap *nm = ap_netmap_parse(NM, strlen(NM), "nm", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ap_error e;
        ap_propmap *pm = pm_str(nm, cases[i].doc, &e);
        CU_ASSERT_PTR_NULL(pm);
        CU_ASSERT_EQUAL(e.code, cases[i].code);
        ASSERT_ERR_HAS(e, cases[i].needle);
        ap_propmap_free(pm);
    }
    ap_netmap_free(nm);
}

static void test_rfc_examples(void)
{
    ap_error e;
    ap_netmap *nm = ap_netmap_load(fx("fixtures/rfc/rfc7285-networkmap.json"), NULL);
    ap_propmap *pm;
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    /* RFC 9240 full property map: only ipv4 entities, valid, no PID properties */
    ap_error_clear(&e);
    pm = ap_propmap_load(fx("fixtures/rfc/rfc9240-propmap.json"), nm, &e);
    CU_ASSERT_PTR_NOT_NULL(pm);
    CU_ASSERT(isnan(ap_propmap_get(pm, 0, ".ASN")));
    ap_propmap_free(pm);
    /* the ANE example is invalid JSON as printed ("40000 Gbytes") */
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_propmap_load(fx("fixtures/rfc/rfc9240-filtered-propmap-ane-response.json"), nm, &e));
    CU_ASSERT_EQUAL(e.code, AP_ESYNTAX);
    ASSERT_ERR_HAS(e, "line 6");
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_propmap_load(fx("fixtures/rfc/rfc9240-filtered-propmap-3-request.json"), nm, &e));
    CU_ASSERT_EQUAL(e.code, AP_ESYNTAX);
    ap_netmap_free(nm);
}

void suite_propmap(void)
{
    CU_pSuite s = CU_add_suite("propmap", NULL, NULL);
    CU_add_test(s, "numeric PID properties, both entity id forms", test_pid_properties);
    CU_add_test(s, "unknown PIDs, foreign domains, vtag mismatch", test_bad);
    CU_add_test(s, "RFC 9240 examples, including invalid ones", test_rfc_examples);
}
