/* test_netmap.c - network map parsing and longest-prefix match. */
#include "test.h"
#include <stdio.h>
#include <stdlib.h>

static ap_netmap *parse_str(const char *s, ap_error *e)
{
    ap_error_clear(e);
    return ap_netmap_parse(s, strlen(s), "inline", e);
}

static void test_rfc_example(void)
{
    ap_error e;
    ap_netmap *nm;
    ap_error_clear(&e);
    nm = ap_netmap_load(fx("fixtures/rfc/rfc7285-networkmap.json"), &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    CU_ASSERT_EQUAL(ap_netmap_count(nm), 3);
    CU_ASSERT_STRING_EQUAL(ap_netmap_resource_id(nm), "my-default-network-map");
    CU_ASSERT_STRING_EQUAL(ap_netmap_vtag(nm), "da65eca2eb7a10ce8b059740b0b2e3f8eb1d4785");
    CU_ASSERT_EQUAL(ap_netmap_find(nm, "PID2"), 1);
    CU_ASSERT_EQUAL(ap_netmap_find(nm, "PID9"), -1);
    CU_ASSERT_STRING_EQUAL(ap_netmap_pid(nm, 2), "PID3");
    CU_ASSERT_PTR_NULL(ap_netmap_pid(nm, 3));
    ap_netmap_free(nm);
}

static void test_lpm(void)
{
    ap_error e;
    ap_netmap *nm = ap_netmap_load(fx("fixtures/rfc/rfc7285-networkmap.json"), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    ap_error_clear(&e);
    /* PID1: 192.0.2.0/24, 198.51.100.0/25; PID2: 198.51.100.128/25; PID3: 0/0 and ::/0 */
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "192.0.2.77", &e), 0);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "198.51.100.127", &e), 0);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "198.51.100.128", &e), 1);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "198.51.100.255", &e), 1);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "8.8.8.8", &e), 2);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "2001:db8::1", &e), 2);
    CU_ASSERT_EQUAL(e.code, AP_OK);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "not-an-ip", &e), -2);
    CU_ASSERT_EQUAL(e.code, AP_EINVAL);
    ap_netmap_free(nm);
}

static void test_lpm_ipv6_and_nomatch(void)
{
    ap_error e;
    ap_netmap *nm = parse_str(
        "{\"meta\":{\"vtag\":{\"resource-id\":\"m\",\"tag\":\"t1\"}},"
        "\"network-map\":{\"A\":{\"ipv6\":[\"2001:db8::/32\"]},"
        "\"B\":{\"ipv6\":[\"2001:db8:100::/48\"],\"ipv4\":[\"10.0.0.0/8\"]},"
        "\"C\":{\"ipv4\":[\"10.1.2.3\"],\"future-type\":[\"x\"]}}}", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "2001:db8:100::1", &e), 1);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "2001:db8:200::1", &e), 0);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "2001:db9::1", &e), -1);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "10.1.2.3", &e), 2); /* bare address = /32 */
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "10.1.2.4", &e), 1);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "11.0.0.1", &e), -1);
    ap_netmap_free(nm);
}

static void test_duplicate_prefix(void)
{
    ap_error e;
    ap_netmap *nm = parse_str(
        "{\"meta\":{\"vtag\":{\"resource-id\":\"m\",\"tag\":\"t\"}},"
        "\"network-map\":{\"A\":{\"ipv4\":[\"10.0.0.0/8\"]},\"B\":{\"ipv4\":[\"10.0.0.0/8\"]}}}", &e);
    CU_ASSERT_PTR_NULL(nm);
    CU_ASSERT_EQUAL(e.code, AP_EFORMAT);
    ASSERT_ERR_HAS(e, "network-map.B.ipv4[0]");
    ASSERT_ERR_HAS(e, "also listed in PID A");
    CU_ASSERT_STRING_EQUAL(e.source, "inline");
}

static void test_rfc_filtered_host_bits(void)
{
    /* RFC 7285 11.3.1.7 prints 198.51.100.128/24, which has host bits set */
    ap_error e;
    ap_netmap *nm;
    ap_error_clear(&e);
    nm = ap_netmap_load(fx("fixtures/rfc/rfc7285-filtered-networkmap-response.json"), &e);
    CU_ASSERT_PTR_NULL(nm);
    CU_ASSERT_EQUAL(e.code, AP_EFORMAT);
    ASSERT_ERR_HAS(e, "network-map.PID2.ipv4[0]");
    ASSERT_ERR_HAS(e, "host bits");
    CU_ASSERT_PTR_NOT_NULL(strstr(e.source, "rfc7285-filtered-networkmap-response.json"));
}

static void test_rfc_ird_invalid_json(void)
{
    /* RFC 7285's IRD example has a trailing comma: reject with line number */
    ap_error e;
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_netmap_load(fx("fixtures/rfc/rfc7285-ird.json"), &e));
    CU_ASSERT_EQUAL(e.code, AP_ESYNTAX);
    ASSERT_ERR_HAS(e, "line 58");
}

static void test_missing_file(void)
{
    ap_error e;
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_netmap_load("fixtures/nope.json", &e));
    CU_ASSERT_EQUAL(e.code, AP_EIO);
    CU_ASSERT_STRING_EQUAL(e.source, "fixtures/nope.json");
    ASSERT_ERR_HAS(e, "No such file");
    ap_netmap_free(NULL); /* harmless */
}

static void test_first_error_wins(void)
{
    ap_error e;
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_netmap_load("fixtures/nope1.json", &e));
    CU_ASSERT_PTR_NULL(ap_netmap_load("fixtures/nope2.json", &e));
    CU_ASSERT_STRING_EQUAL(e.source, "fixtures/nope1.json");
    CU_ASSERT_STRING_EQUAL(ap_strerror(AP_EVTAG), "version tag mismatch between ALTO resources");
    CU_ASSERT_STRING_EQUAL(ap_strerror(9999), "unknown error code");
    /* NULL error structs are allowed */
    CU_ASSERT_PTR_NULL(ap_netmap_load("fixtures/nope1.json", NULL));
}

void suite_netmap(void)
{
    CU_pSuite s = CU_add_suite("netmap", NULL, NULL);
    CU_add_test(s, "RFC 7285 network map example parses", test_rfc_example);
    CU_add_test(s, "longest-prefix match on the RFC example", test_lpm);
    CU_add_test(s, "IPv6, bare addresses, no match", test_lpm_ipv6_and_nomatch);
    CU_add_test(s, "duplicate prefix across PIDs is rejected", test_duplicate_prefix);
    CU_add_test(s, "RFC filtered map with host bits is rejected", test_rfc_filtered_host_bits);
    CU_add_test(s, "RFC IRD example (invalid JSON) is rejected", test_rfc_ird_invalid_json);
    CU_add_test(s, "missing file names the file", test_missing_file);
    CU_add_test(s, "first error wins, NULL err allowed", test_first_error_wins);
}
