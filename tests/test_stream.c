/* test_stream.c - ALTO incremental updates (RFC 8895) from the test
 * server: full maps, merge patches, JSON patches, faults, and watch --sse. */
#include "test.h"
#include "util.h"
#include "server_ctl.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void test_update_stream(void)
{
    ap_alto *a = open_post("ok", NULL);
    ap_alto_stream *st;
    ap_netmap *nm;
    ap_costmap *cm;
    ap_error e;
    int ch, seen = 0, rounds;
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ap_error_clear(&e);
    st = ap_alto_stream_open(a, NULL, NULL, "hopcount", &e);
    if (!st)
        fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_EQUAL(ap_alto_stream_events(st), 2); /* both maps in full */
    nm = ap_alto_stream_netmap(st, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    cm = ap_alto_stream_costmap(st, nm, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 0, 3), 3, 0);
    ap_costmap_free(cm);
    /* two merge patches follow, 0.3 s apart */
    for (rounds = 0; rounds < 20 && ap_alto_stream_events(st) < 4; rounds++) {
        ch = ap_alto_stream_wait(st, 1.0, &e);
        CU_ASSERT(ch >= 0);
        if (ch < 0)
            break;
        seen |= ch;
    }
    CU_ASSERT_EQUAL(seen, AP_STREAM_COSTMAP);
    CU_ASSERT_EQUAL(ap_alto_stream_events(st), 4);
    cm = ap_alto_stream_costmap(st, nm, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 1, 3), 30, 0); /* patched */
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 3, 0), 30, 0);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 0, 3), 3, 0);
    CU_ASSERT(isnan(ap_costmap_get(cm, 3, 1)));             /* removed by null */
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 1, 2), 1, 0);  /* untouched */
    ap_costmap_free(cm);
    /* nothing more: a short wait says so */
    CU_ASSERT_EQUAL(ap_alto_stream_wait(st, 0.2, &e), 0);
    ap_netmap_free(nm);
    ap_alto_stream_free(st);
    ap_alto_free(a);
    server_stop();
}

static void test_update_stream_jsonpatch(void)
{
    ap_alto *a = open_post("sse-jsonpatch", NULL);
    ap_alto_stream *st;
    ap_netmap *nm;
    ap_costmap *cm;
    ap_error e;
    int rounds;
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ap_error_clear(&e);
    st = ap_alto_stream_open(a, NULL, NULL, "hopcount", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    for (rounds = 0; rounds < 20 && ap_alto_stream_events(st) < 5; rounds++)
        if (ap_alto_stream_wait(st, 1.0, &e) < 0)
            break;
    CU_ASSERT_EQUAL(ap_alto_stream_events(st), 5);
    nm = ap_alto_stream_netmap(st, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    cm = ap_alto_stream_costmap(st, nm, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 2, 0), 7, 0); /* replace */
    CU_ASSERT(isnan(ap_costmap_get(cm, 2, 3)));             /* remove */
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 3, 1), 9, 0); /* add back */
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 1, 3), 30, 0); /* the merge patches stay */
    ap_costmap_free(cm);
    ap_netmap_free(nm);
    ap_alto_stream_free(st);
    ap_alto_free(a);
    server_stop();
}

/* Subscribes to the test server's update stream in `mode` and waits (at
 * most 10 s) until the stream reports an error; returns that call's result
 * (-1 expected) and the events applied before it. */
static int stream_until_error(const char *mode, ap_error *e, long *events)
{
    ap_alto *a = open_post(mode, NULL);
    ap_alto_stream *st;
    int ch = 0, rounds;
    *events = -1;
    CU_ASSERT_PTR_NOT_NULL(a);
    if (!a)
        return -2;
    ap_error_clear(e);
    st = ap_alto_stream_open(a, NULL, NULL, "hopcount", e);
    CU_ASSERT_PTR_NOT_NULL(st);
    for (rounds = 0; st && rounds < 10 && ch >= 0; rounds++)
        ch = ap_alto_stream_wait(st, 1.0, e);
    *events = ap_alto_stream_events(st);
    ap_alto_stream_free(st);
    ap_alto_free(a);
    server_stop();
    return st ? ch : -2;
}

static void test_update_stream_faults(void)
{
    ap_alto *a;
    ap_error e;
    long events;
    /* a malformed merge patch */
    CU_ASSERT_EQUAL(stream_until_error("sse-broken", &e, &events), -1);
    CU_ASSERT_EQUAL(e.code, AP_ESYNTAX);
    ASSERT_ERR_HAS(e, "application/merge-patch+json,cm: data is not JSON");
    /* the connection breaks off after the last event */
    CU_ASSERT_EQUAL(stream_until_error("sse-cut", &e, &events), -1);
    CU_ASSERT_EQUAL(e.code, AP_ENET);
    ASSERT_ERR_HAS(e, "update stream");
    CU_ASSERT_EQUAL(events, 4); /* what came before was applied */
    /* noise after the patches: an error (or the end), never a crash */
    CU_ASSERT_EQUAL(stream_until_error("sse-garbage", &e, &events), -1);
    CU_ASSERT(e.code == AP_ESYNTAX || e.code == AP_EFORMAT || e.code == AP_ENET);
    CU_ASSERT(e.text[0] != '\0');
    CU_ASSERT(events >= 4);
    /* no update stream for this cost map */
    a = open_post("ok", NULL);
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_stream_open(a, NULL, NULL, "delay-ow", &e));
    ASSERT_ERR_HAS(e, "no cost map of metric delay-ow");
    ap_alto_free(a);
    server_stop();
}

static void test_watch_sse(void)
{
    const char *d = tmpdir();
    char args[3000], plan[600], log[600], outp[600];
    char *s, *o;
    ap_alto *a = open_post("ok", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ap_alto_free(a);
    snprintf(plan, sizeof plan, "%s/plan.json", d);
    snprintf(log, sizeof log, "%s/err.txt", d);
    snprintf(outp, sizeof outp, "%s/out.txt", d);
    snprintf(args, sizeof args, "watch fixtures/alto-post/problem.json --alto %s --sse --interval 5 --iterations 3 "
             "-o %s >%s 2>%s; true", server_uri, plan, outp, log);
    {
        const char *bin = getenv("AP_BIN") ? getenv("AP_BIN") : "../build/altoplace";
        char cmd[4000];
        snprintf(cmd, sizeof cmd, "%s %s", bin, args);
        CU_ASSERT_EQUAL(system(cmd), 0);
    }
    s = slurp(log, NULL);
    o = slurp(outp, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "subscribed to the update stream"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "update stream: cost map changed"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o, "\"check\": 0, \"status\": \"optimal\", \"objective\": 5, \"moved\": 0, \"sites\": [\"B\"]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o, "\"objective\": 6, \"moved\": 1"));
    free(s);
    free(o);
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "update stream of http://127.0.0.1"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"cost-unit\": \"hops\""));
    free(s);
    /* the server named by alto.ird of the problem file (no --alto) */
    {
        char doc[1000];
        snprintf(doc, sizeof doc, "{\"alto\": {\"ird\": \"%s\"}, \"cost-metric\": \"hopcount\", "
                 "\"demand\": {\"A\": 2, \"B\": 1, \"C\": 1, \"D\": 1}, \"model\": {\"type\": \"p-median\", \"k\": 1}}",
                 server_uri);
        snprintf(args, sizeof args, "watch %s --sse --iterations 1 -o %s/p2.json", write_file(d, "p.json", doc), d);
        CU_ASSERT_EQUAL(cli(args), 0);
        ASSERT_OUT_HAS("subscribed to the update stream of http://127.0.0.1");
    }
    server_stop();
}

void suite_stream(void)
{
    CU_pSuite s = CU_add_suite("stream", NULL, NULL);
    CU_add_test(s, "update stream (RFC 8895): full maps, merge patches", test_update_stream);
    CU_add_test(s, "update stream: JSON patch (RFC 6902)", test_update_stream_jsonpatch);
    CU_add_test(s, "update stream faults: malformed patch, broken connection", test_update_stream_faults);
    CU_add_test(s, "watch --sse re-plans on the stream's changes", test_watch_sse);
}
