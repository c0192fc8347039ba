/* test_jpatch.c - JSON merge patch (RFC 7396, its appendix A examples) and
 * JSON patch (RFC 6902 add, replace, remove) of the base layer. */
#include "test.h"
#include "base/base_json.h"
#include <stdio.h>

static json_t *j(const char *s)
{
    json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);
    CU_ASSERT_PTR_NOT_NULL(v);
    return v;
}

static void test_merge_patch_rfc7396(void)
{
    /* RFC 7396 appendix A: original, patch, result */
    static const char *const cases[][3] = {
        {"{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
        {"{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"},
        {"{\"a\":\"b\"}", "{\"a\":null}", "{}"},
        {"{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"},
        {"{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
        {"{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}"},
        {"{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}"},
        {"{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"},
        {"[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]"},
        {"{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]"},
        {"{\"a\":\"foo\"}", "null", "null"},
        {"{\"a\":\"foo\"}", "\"bar\"", "\"bar\""},
        {"{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"},
        {"[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}"},
        {"{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *t = j(cases[i][0]), *p = j(cases[i][1]), *want = j(cases[i][2]), *orig = j(cases[i][0]);
        json_t *got = ap__merge_patch(t, p);
        CU_ASSERT(json_equal(got, want));
        if (!json_equal(got, want))
            fprintf(stderr, "\n  RFC 7396 example %zu differs\n", i + 1);
        /* the target is not changed */
        CU_ASSERT(json_equal(t, orig));
        json_decref(t), json_decref(p), json_decref(want), json_decref(got), json_decref(orig);
    }
}

static void test_json_patch(void)
{
    json_t *doc = j("{\"cost-map\":{\"A\":{\"B\":1,\"C\":2}},\"l\":[1,2,3],\"a~b/c\":0}");
    json_t *ops = j("[{\"op\":\"replace\",\"path\":\"/cost-map/A/B\",\"value\":5},"
                    "{\"op\":\"add\",\"path\":\"/cost-map/A/D\",\"value\":7},"
                    "{\"op\":\"remove\",\"path\":\"/cost-map/A/C\"},"
                    "{\"op\":\"add\",\"path\":\"/l/1\",\"value\":9},"
                    "{\"op\":\"add\",\"path\":\"/l/-\",\"value\":4},"
                    "{\"op\":\"replace\",\"path\":\"/a~0b~1c\",\"value\":1}]");
    json_t *want = j("{\"cost-map\":{\"A\":{\"B\":5,\"D\":7}},\"l\":[1,9,2,3,4],\"a~b/c\":1}");
    CU_ASSERT_EQUAL(ap__json_patch(doc, ops), 0);
    CU_ASSERT(json_equal(doc, want));
    json_decref(ops);
    json_decref(want);
    /* what does not apply is an error */
    {
        static const char *const bad[] = {
            "[{\"op\":\"replace\",\"path\":\"/nope\",\"value\":1}]", "[{\"op\":\"remove\",\"path\":\"/x/y\"}]",
            "[{\"op\":\"add\",\"path\":\"/cost-map/A/E\"}]", "[{\"op\":\"move\",\"from\":\"/l\",\"path\":\"/m\"}]",
            "[{\"path\":\"/l\"}]", "{\"op\":\"add\"}", "[{\"op\":\"add\",\"path\":\"nope\",\"value\":1}]",
        };
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            json_t *o = j(bad[i]);
            CU_ASSERT_EQUAL(ap__json_patch(doc, o), -1);
            json_decref(o);
        }
    }
    json_decref(doc);
}

void suite_jpatch(void)
{
    CU_pSuite s = CU_add_suite("jpatch", NULL, NULL);
    CU_add_test(s, "merge patch: the RFC 7396 appendix A examples", test_merge_patch_rfc7396);
    CU_add_test(s, "JSON patch: add, replace, remove, escapes, errors", test_json_patch);
}
