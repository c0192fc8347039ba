/* test_costmap.c - cost map parsing, vtag checks, unknown pairs. */
#include "test.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define NM "{\"meta\":{\"vtag\":{\"resource-id\":\"net\",\"tag\":\"v1\"}}," \
           "\"network-map\":{\"A\":{\"ipv4\":[\"10.0.0.0/8\"]},\"B\":{},\"C\":{}}}"
#define CM_HEAD(mode) "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"net\",\"tag\":\"v1\"}]," \
                      "\"cost-type\":{\"cost-mode\":\"" mode "\",\"cost-metric\":\"routingcost\"}},"

/* kB of the /proc/self/status line `key` (VmRSS, VmHWM), or -1 */
static long status_kb(const char *key)
{
    char line[256];
    long v = -1;
    size_t n = strlen(key);
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, key, n) && line[n] == ':')
            v = strtol(line + n + 1, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

/* resets the peak RSS (VmHWM) to the current RSS (Linux 4.0 and later) */
static int reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    int ok = f && fputs("5", f) >= 0;
    if (f && fclose(f))
        ok = 0;
    return ok ? 0 : -1;
}

/* The README's bound: parsing an N x N cost map needs, besides the
 * document, at most 2x the dense matrix of doubles it builds.  Measured as
 * the rise of the peak RSS, against the rise for allocating and filling
 * that matrix alone in the same process (so allocator and sanitizer
 * overheads count on both sides). */
static void test_parse_memory(void)
{
    enum { N = 700 };
    size_t cap = (size_t)N * N * 12 + 4096, at = 0, i, j;
    char *nmdoc = malloc(N * 48 + 200), *doc = malloc(cap);
    ap_netmap *nm;
    ap_costmap *cm;
    ap_error e;
    long before, dense, peak;
    double *m;
    CU_ASSERT_PTR_NOT_NULL_FATAL(nmdoc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    at = (size_t)sprintf(nmdoc, "{\"meta\":{\"vtag\":{\"resource-id\":\"net\",\"tag\":\"v1\"}},\"network-map\":{");
    for (i = 0; i < N; i++)
        at += (size_t)sprintf(nmdoc + at, "%s\"P%zu\":{\"ipv4\":[\"10.%zu.%zu.0/24\"]}", i ? "," : "", i, i / 256,
                              i % 256);
    strcpy(nmdoc + at, "}}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm = ap_netmap_parse(nmdoc, strlen(nmdoc), "nm", &e));
    at = (size_t)sprintf(doc, CM_HEAD("numerical") "\"cost-map\":{");
    for (i = 0; i < N; i++) {
        at += (size_t)sprintf(doc + at, "%s\"P%zu\":{", i ? "," : "", i);
        for (j = 0; j < N; j++)
            at += (size_t)sprintf(doc + at, "%s\"P%zu\":%zu", j ? "," : "", j, (i * 7 + j) % 1000);
        doc[at++] = '}';
    }
    strcpy(doc + at, "}}");
    if (reset_peak() || status_kb("VmHWM") < 0) {
        fprintf(stderr, "\n  peak RSS cannot be reset here (/proc/self/clear_refs): bound not checked\n");
    } else {
        before = status_kb("VmRSS");
        m = malloc((size_t)N * N * sizeof *m);
        CU_ASSERT_PTR_NOT_NULL_FATAL(m);
        for (i = 0; i < (size_t)N * N; i++)
            m[i] = (double)i;
        dense = status_kb("VmHWM") - before;
        free(m);
        reset_peak();
        before = status_kb("VmRSS");
        cm = ap_costmap_parse(doc, strlen(doc), "cm", nm, &e);
        peak = status_kb("VmHWM") - before;
        CU_ASSERT_PTR_NOT_NULL(cm);
        CU_ASSERT(cm && ap_costmap_get(cm, 3, 5) == (3 * 7 + 5) % 1000);
        ap_costmap_free(cm);
        fprintf(stderr, "\n  %dx%d cost map (%.1f MB): peak RSS rise %ld kB = %.2fx the dense matrix (%ld kB)\n", N, N,
                (double)strlen(doc) / 1e6, peak, dense > 0 ? (double)peak / (double)dense : 0.0, dense);
        CU_ASSERT(dense > 0 && peak <= 2 * dense);
    }
    ap_netmap_free(nm);
    free(nmdoc);
    free(doc);
}

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

/* Cost values read exactly as strtod reads them (the scanner's fast path
 * for short decimals must round the same way). */
static void test_numbers_as_strtod(void)
{
    enum { N = 40 };
    char nm[4096], *cm = malloc(200000), num[N * N][40];
    size_t o = 0, i, j, bad = 0;
    unsigned seed = 99;
    ap_netmap *m;
    ap_costmap *c;
    ap_error e;
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    o = (size_t)snprintf(nm, sizeof nm, "{\"meta\":{\"vtag\":{\"resource-id\":\"n\",\"tag\":\"t\"}},\"network-map\":{");
    for (i = 0; i < N; i++)
        o += (size_t)snprintf(nm + o, sizeof nm - o, "%s\"P%zu\":{}", i ? "," : "", i);
    snprintf(nm + o, sizeof nm - o, "}}");
    ap_error_clear(&e);
    m = ap_netmap_parse(nm, strlen(nm), "nm", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    o = (size_t)sprintf(cm, "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"n\",\"tag\":\"t\"}],"
                            "\"cost-type\":{\"cost-mode\":\"numerical\",\"cost-metric\":\"routingcost\"}},\"cost-map\":{");
    for (i = 0; i < N; i++) {
        o += (size_t)sprintf(cm + o, "%s\"P%zu\":{", i ? "," : "", i);
        for (j = 0; j < N; j++) {
            char *x = num[i * N + j];
            unsigned kind;
            seed = seed * 1103515245u + 12345u;
            kind = (seed >> 16) % 6;
            if (kind == 0)
                sprintf(x, "%u", seed % 100000u);
            else if (kind == 1)
                sprintf(x, "%u.%u", (seed >> 3) % 100000u, seed % 1000u);
            else if (kind == 2)
                sprintf(x, "0.%06u", seed % 1000000u);
            else if (kind == 3)
                sprintf(x, "%.17g", (double)seed / 7.0);  /* 17 digits: strtod's path */
            else if (kind == 4)
                sprintf(x, "%u.%ue%d", seed % 100u, seed % 10u, (int)(seed % 7u) - 3);
            else
                sprintf(x, "123456789012.%03u", seed % 1000u); /* 15 digits */
            o += (size_t)sprintf(cm + o, "%s\"P%zu\":%s", j ? "," : "", j, x);
        }
        o += (size_t)sprintf(cm + o, "}");
    }
    sprintf(cm + o, "}}");
    c = ap_costmap_parse(cm, strlen(cm), "cm", m, &e);
    if (!c)
        fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++)
            if (ap_costmap_get(c, i, j) != strtod(num[i * N + j], NULL)) {
                if (bad++ < 3)
                    fprintf(stderr, "\n  %s read as %.17g\n", num[i * N + j], ap_costmap_get(c, i, j));
            }
    CU_ASSERT_EQUAL(bad, 0);
    ap_costmap_free(c);
    ap_netmap_free(m);
    free(cm);
}

/* A caller's buffer that ends right after "cost-map": (not NUL-terminated:
 * the parser must not read past len; ASan sees it if it does). */
static void test_buffer_end(void)
{
    static const char doc[] = CM_HEAD("numerical") "\"cost-map\":";
    size_t n = strlen(doc);
    char *b = malloc(n);
    ap_netmap *nm = nm3();
    ap_error e;
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    memcpy(b, doc, n);
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_costmap_parse(b, n, "cm", nm, &e));
    CU_ASSERT_EQUAL(e.code, AP_ESYNTAX);
    free(b);
    ap_netmap_free(nm);
}

void suite_costmap(void)
{
    CU_pSuite s = CU_add_suite("costmap", NULL, NULL);
    CU_add_test(s, "RFC examples: dependent-vtags mismatch is AP_EVTAG", test_rfc_vtag_mismatch);
    CU_add_test(s, "RFC cost map with matching tag; omitted pair is NaN", test_rfc_costmap_with_matching_tag);
    CU_add_test(s, "ordinal mode; unknown fields ignored", test_ordinal_and_unknown_fields);
    CU_add_test(s, "1,600 costs read exactly as strtod reads them", test_numbers_as_strtod);
    CU_add_test(s, "peak memory of parsing a 700 x 700 map within 2x the dense matrix", test_parse_memory);
    CU_add_test(s, "a buffer ending after \"cost-map\": is not read past", test_buffer_end);
}
