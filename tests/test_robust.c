/* test_robust.c - mutated and truncated documents never crash the parsers:
 * each call either succeeds or fails with an error code and a message. */
#include "test.h"
#include "util.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rs = 0x243F6A8885A308D3ULL;
static uint64_t rnd(void)
{
    rs ^= rs >> 12;
    rs ^= rs << 25;
    rs ^= rs >> 27;
    return rs * 2685821657736338717ULL;
}

/* Applies a few random byte edits (flip, delete, duplicate a JSON-ish token). */
static size_t mutate(char *b, size_t n, size_t cap)
{
    static const char tok[] = "{}[]\",:-0123456789eE.ntf/ \\";
    int k, edits = 1 + (int)(rnd() % 4);
    for (k = 0; k < edits && n > 0; k++) {
        size_t at = (size_t)(rnd() % n);
        switch (rnd() % 3) {
        case 0:
            b[at] = tok[rnd() % (sizeof tok - 1)];
            break;
        case 1:
            memmove(b + at, b + at + 1, n - at - 1);
            n--;
            break;
        default:
            if (n + 1 < cap) {
                memmove(b + at + 1, b + at, n - at);
                b[at] = tok[rnd() % (sizeof tok - 1)];
                n++;
            }
        }
    }
    return n;
}

static void check_outcome(void *obj, const ap_error *e, int *ok, int *bad)
{
    if (obj) {
        (*ok)++;
    } else {
        (*bad)++;
        CU_ASSERT(e->code != AP_OK);
        CU_ASSERT(e->text[0] != '\0');
    }
}

static void test_mutated_maps(void)
{
    size_t nlen, clen, i;
    char *nm_doc = slurp(fx("fixtures/rfc/rfc7285-networkmap.json"), &nlen);
    char *cm_doc = slurp(fx("fixtures/rfc/rfc7285-costmap.json"), &clen);
    char *buf = malloc(8192), *p;
    ap_netmap *good;
    int ok = 0, bad = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm_doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm_doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    /* make the cost map depend on the network map's version */
    p = strstr(cm_doc, "3ee2cb7e8d63d9fab71b9b34cbf764436315542e");
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    memcpy(p, "da65eca2eb7a10ce8b059740b0b2e3f8eb1d4785", 40);
    good = ap_netmap_parse(nm_doc, nlen, "nm", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(good);
    for (i = 0; i < 3000; i++) {
        ap_error e;
        size_t n;
        ap_netmap *nm;
        ap_costmap *cm;
        ap_propmap *pm;
        memcpy(buf, nm_doc, nlen);
        n = mutate(buf, nlen, 8192);
        ap_error_clear(&e);
        nm = ap_netmap_parse(buf, n, "mutated", &e);
        check_outcome(nm, &e, &ok, &bad);
        ap_netmap_free(nm);
        memcpy(buf, cm_doc, clen);
        n = mutate(buf, clen, 8192);
        ap_error_clear(&e);
        cm = ap_costmap_parse(buf, n, "mutated", good, &e);
        check_outcome(cm, &e, &ok, &bad);
        ap_costmap_free(cm);
        ap_error_clear(&e);
        pm = ap_propmap_parse(buf, n, "mutated", good, &e); /* wrong shape on purpose */
        check_outcome(pm, &e, &ok, &bad);
        ap_propmap_free(pm);
        /* truncations */
        n = (size_t)(rnd() % nlen);
        ap_error_clear(&e);
        nm = ap_netmap_parse(nm_doc, n, "truncated", &e);
        check_outcome(nm, &e, &ok, &bad);
        ap_netmap_free(nm);
    }
    CU_ASSERT(bad > 0);
    CU_ASSERT(ok > 0);
    ap_netmap_free(good);
    free(buf);
    free(nm_doc);
    free(cm_doc);
}

static void test_garbage_problem_files(void)
{
    const char *d = line_network();
    static const char *docs[] = {
        "", "\\0\\0\\0", "null", "[]", "{\"alto\":null}", "{\"alto\":{\"network-map\":7}}",
        "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"nm.json\"},\"demand\":{},\"model\":{}}",
        "{\"alto\":{\"network-map\":\"cm.json\",\"cost-map\":\"cm.json\"},\"demand\":{},\"model\":{\"type\":\"p-median\",\"k\":1}}",
        "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":[]},\"demand\":{\"A\":1},\"model\":{\"type\":\"p-median\",\"k\":1}}",
        "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":[7]},\"demand\":{\"A\":1},\"model\":{\"type\":\"p-median\",\"k\":1}}",
        "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"},\"demand\":{\"A\":1e400},\"model\":{\"type\":\"p-median\",\"k\":1}}",
        "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"},\"demand\":{\"A\":1},\"model\":{\"type\":\"p-median\",\"k\":1.5}}",
        "{\"alto\":{\"network-map\":\"/\",\"cost-map\":\"cm.json\"},\"demand\":{\"A\":1},\"model\":{\"type\":\"p-median\",\"k\":1}}",
    };
    size_t i;
    for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        ap_error e;
        ap_problem *p;
        ap_error_clear(&e);
        p = ap_problem_load(write_file(d, "problem.json", docs[i]), &e);
        CU_ASSERT_PTR_NULL(p);
        CU_ASSERT(e.code != AP_OK);
        CU_ASSERT(e.text[0] != '\0');
        ap_problem_free(p);
    }
}

void suite_robust(void)
{
    CU_pSuite s = CU_add_suite("robust", NULL, NULL);
    CU_add_test(s, "12,000 mutated or truncated ALTO documents", test_mutated_maps);
    CU_add_test(s, "garbage problem files are errors, not crashes", test_garbage_problem_files);
}
