/* test_jscan.c - the streaming JSON scanner of the base layer (strings,
 * numbers, skipping, positions, whole documents). */
#include "test.h"
#include "base/base_json.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void init(ap__js *s, const char *doc)
{
    ap__js_init(s, doc, strlen(doc), "doc");
}

static void test_strings(void)
{
    ap__js s;
    ap_error e;
    char out[64];
    init(&s, "\"a\\\"b\\\\c\\/d\\n\\u00e9\\u20ac\" rest");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_string(&s, out, sizeof out, &e), 0);
    CU_ASSERT_STRING_EQUAL(out, "a\"b\\c/d\n\xc3\xa9\xe2\x82\xac");
    CU_ASSERT_EQUAL(ap__js_peek(&s), 'r');
    /* errors, with what is wrong */
    {
        static const struct { const char *doc, *needle; } bad[] = {
            {"\"tab\there\"", "control character"}, {"\"\\q\"", "invalid escape"},
            {"\"\\u12zz\"", "invalid \\u escape"}, {"\"\\u00", "truncated \\u escape"},
            {"\"open", "unexpected end of input in a string"}, {"\"\\ud800\\udc00\"", "surrogate in a name"},
            {"\"0123456789\"", "string too long"}, {"x", "'\"' expected"},
        };
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            init(&s, bad[i].doc);
            ap_error_clear(&e);
            CU_ASSERT_EQUAL(ap__js_string(&s, out, 8, &e), -1);
            CU_ASSERT_EQUAL(e.code, AP_ESYNTAX);
            ASSERT_ERR_HAS(e, bad[i].needle);
        }
    }
}

/* UTF-8 as jansson checks it: well-formed sequences kept byte for byte,
 * anything else (overlong forms, surrogates, above U+10FFFF, cut short,
 * stray continuation bytes) an error, in names and in skipped strings */
static void test_utf8(void)
{
    static const char *const bad[] = {"\"\xc0\xaf\"", "\"\xe0\x80\xaf\"", "\"\xed\xa0\x80\"",
                                      "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"", "\"\x80\"", "\"a\xff\"",
                                      "\"\xf5\x80\x80\x80\"", "\"\xc3"};
    ap__js s;
    ap_error e;
    char out[64];
    size_t i;
    init(&s, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\"");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_string(&s, out, sizeof out, &e), 0);
    CU_ASSERT_STRING_EQUAL(out, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int skip;
        for (skip = 0; skip < 2; skip++) {
            init(&s, bad[i]);
            ap_error_clear(&e);
            CU_ASSERT_EQUAL(ap__js_string(&s, skip ? NULL : out, skip ? 0 : sizeof out, &e), -1);
            CU_ASSERT_EQUAL(e.code, AP_ESYNTAX);
            if (i + 1 < sizeof bad / sizeof bad[0]) /* the last is cut short before any check */
                ASSERT_ERR_HAS(e, "invalid UTF-8");
            /* and jansson agrees */
            CU_ASSERT_PTR_NULL(json_loads(bad[i], JSON_DECODE_ANY, NULL));
        }
    }
}

static void test_numbers(void)
{
    static const char *const good[] = {"0", "-0", "12", "-3.25", "1e3", "2.5E-3", "123456789012345",
                                       "0.1", "1234567890.12345678", "9007199254740993", "4.9e-324"};
    static const char *const bad[] = {"01", "1.", "-", "1e", "1e+", ".5", "-x"};
    size_t i;
    ap__js s;
    ap_error e;
    double v;
    int isn;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        init(&s, good[i]);
        ap_error_clear(&e);
        CU_ASSERT_EQUAL(ap__js_number(&s, &v, &isn, &e), 0);
        CU_ASSERT(isn);
        CU_ASSERT(v == strtod(good[i], NULL)); /* the same double, bit for bit */
        CU_ASSERT_EQUAL(s.p, strlen(good[i]));
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        init(&s, bad[i]);
        ap_error_clear(&e);
        if (ap__js_number(&s, &v, &isn, &e) == 0) {
            /* "01" reads 0 and stops; ".5" and "-x" are not numbers here */
            CU_ASSERT(!isn || s.p < strlen(bad[i]));
        } else {
            ASSERT_ERR_HAS(e, "invalid number");
        }
    }
    init(&s, "1e999");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_number(&s, &v, &isn, &e), -1);
    ASSERT_ERR_HAS(e, "overflow");
    init(&s, "\"5\"");
    CU_ASSERT_EQUAL(ap__js_number(&s, &v, &isn, &e), 0);
    CU_ASSERT(!isn); /* not a number: the position stays */
    CU_ASSERT_EQUAL(s.p, 0);
}

static void test_skip(void)
{
    ap__js s;
    ap_error e;
    char *deep, *longs;
    size_t i;
    init(&s, " {\"a\": [1, 2.5, true, false, null, {\"b\": \"c\"}], \"d\": {}} tail");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_skip(&s, 0, &e), 0);
    CU_ASSERT_EQUAL(ap__js_peek(&s), 't');
    /* skipped values may hold what names may not: long strings, \u0000,
     * surrogate pairs */
    longs = malloc(20000);
    CU_ASSERT_PTR_NOT_NULL_FATAL(longs);
    strcpy(longs, "{\"description\": \"");
    for (i = strlen(longs); i < 19000; i++)
        longs[i] = 'x';
    strcpy(longs + i, "\\u0000\\ud83d\\ude00\"}");
    ap__js_init(&s, longs, strlen(longs), "doc");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_skip(&s, 0, &e), 0);
    if (e.code)
        fprintf(stderr, "\n  %s\n", e.text);
    strcpy(longs + i, "\\ud83d\"}"); /* a lone high surrogate is not JSON */
    ap__js_init(&s, longs, strlen(longs), "doc");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_skip(&s, 0, &e), -1);
    ASSERT_ERR_HAS(e, "high surrogate");
    free(longs);
    /* nesting: 500 levels are fine (on a small stack too), 600 are refused */
    deep = malloc(1300);
    CU_ASSERT_PTR_NOT_NULL_FATAL(deep);
    for (i = 0; i < 500; i++)
        deep[i] = '[', deep[1000 - 1 - i] = ']';
    deep[1000] = '\0';
    ap__js_init(&s, deep, 1000, "doc");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_skip(&s, 0, &e), 0);
    for (i = 0; i < 600; i++)
        deep[i] = '[', deep[1200 - 1 - i] = ']';
    ap__js_init(&s, deep, 1200, "doc");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_skip(&s, 0, &e), -1);
    ASSERT_ERR_HAS(e, "nesting too deep");
    free(deep);
    /* errors say where, as line and column */
    init(&s, "{\n  \"a\": [1,\n   2,,]}");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_skip(&s, 0, &e), -1);
    ASSERT_ERR_HAS(e, "line 3, column 6");
    CU_ASSERT_STRING_EQUAL(e.source, "doc");
}

static int on_key(ap__js *js, const char *key, void *ud, ap_error *err)
{
    double v;
    int isn;
    if (strcmp(key, "n"))
        return 0;
    if (ap__js_number(js, &v, &isn, err))
        return -1;
    *(double *)ud += v;
    return isn ? 1 : 0;
}

static void test_document(void)
{
    static const char *const unique[] = {"n", NULL};
    ap__js s;
    ap_error e;
    double sum = 0;
    init(&s, "{\"x\": [1, {\"y\": 2}], \"n\": 40.5, \"z\": \"n\"}");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_document(&s, unique, on_key, &sum, &e), 0);
    CU_ASSERT_DOUBLE_EQUAL(sum, 40.5, 0);
    init(&s, "{\"n\": 1, \"n\": 2}");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_document(&s, unique, on_key, &sum, &e), -1);
    ASSERT_ERR_HAS(e, "duplicate object key");
    init(&s, "[1, 2]");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_document(&s, unique, on_key, &sum, &e), -1);
    CU_ASSERT_EQUAL(e.code, AP_EFORMAT);
    init(&s, "{} {}");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_document(&s, unique, on_key, &sum, &e), -1);
    ASSERT_ERR_HAS(e, "end of file expected");
    init(&s, "   ");
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__js_document(&s, unique, on_key, &sum, &e), -1);
    CU_ASSERT_EQUAL(e.code, AP_ESYNTAX);
}

/* A network map with an unknown member nested 500 deep, parsed on a thread
 * with a 256 KiB stack (a scheduler's worker): the scanner keeps little
 * stack per level (it kept 4 KiB and overflowed 1 MiB). */
static void *parse_deep(void *arg)
{
    char *doc = arg;
    ap_error e;
    ap_netmap *nm;
    ap_error_clear(&e);
    nm = ap_netmap_parse(doc, strlen(doc), "deep", &e);
    if (!nm)
        fprintf(stderr, "\n  %s\n", e.text);
    return nm;
}

static void test_deep_on_small_stack(void)
{
    char *doc = malloc(2000);
    size_t i, n = 0;
    pthread_t th;
    pthread_attr_t at;
    void *res = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    n += (size_t)sprintf(doc + n, "{\"future\": ");
    for (i = 0; i < 500; i++)
        doc[n++] = '[';
    for (i = 0; i < 500; i++)
        doc[n++] = ']';
    sprintf(doc + n, ", \"meta\": {\"vtag\": {\"resource-id\": \"m\", \"tag\": \"t\"}}, "
                     "\"network-map\": {\"A\": {\"ipv4\": [\"10.0.0.0/8\"]}}}");
    pthread_attr_init(&at);
    pthread_attr_setstacksize(&at, 256 * 1024);
    CU_ASSERT_EQUAL_FATAL(pthread_create(&th, &at, parse_deep, doc), 0);
    pthread_join(th, &res);
    pthread_attr_destroy(&at);
    CU_ASSERT_PTR_NOT_NULL(res);
    CU_ASSERT_EQUAL(ap_netmap_count(res), 1);
    ap_netmap_free(res);
    free(doc);
}

void suite_jscan(void)
{
    CU_pSuite s = CU_add_suite("jscan", NULL, NULL);
    CU_add_test(s, "strings: escapes decoded, errors named", test_strings);
    CU_add_test(s, "UTF-8 validated as jansson does", test_utf8);
    CU_add_test(s, "numbers: strict grammar, the doubles strtod gives", test_numbers);
    CU_add_test(s, "skipping: long strings, surrogates, nesting, positions", test_skip);
    CU_add_test(s, "documents: keys, duplicates, top level, trailing data", test_document);
    CU_add_test(s, "500 levels of nesting on a 256 KiB thread stack", test_deep_on_small_stack);
}
