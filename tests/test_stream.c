/* test_stream.c - ALTO incremental updates (RFC 8895) from the test
 * server: full maps, merge patches, JSON patches, faults, and watch --sse. */
#include "test.h"
#include "util.h"
#include "server_ctl.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "subscribed to the update stream (RFC 8895)"));
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
        ASSERT_OUT_HAS("subscribed to the update stream (RFC 8895) of http://127.0.0.1");
    }
    server_stop();
}

/* ------------------------------------------------------------ TIPS */

/* The test server of fixtures/alto-tips (a TIPS resource, no SSE) in mode,
 * a client on it, and a log of its opens and DELETEs. */
static ap_alto *open_tips(const char *mode, char *log, size_t n)
{
    ap_alto_opts o;
    ap_error e;
    ap_alto *a;
    snprintf(log, n, "%s/tips.log", tmpdir());
    setenv("ALTO_TEST_POST_LOG", log, 1);
    server_dir = "fixtures/alto-tips";
    if (server_start(mode) != 0) {
        server_dir = "fixtures/alto-server";
        unsetenv("ALTO_TEST_POST_LOG");
        return NULL;
    }
    server_dir = "fixtures/alto-server";
    unsetenv("ALTO_TEST_POST_LOG");
    ap_alto_opts_init(&o);
    /* generous: valgrind on a loaded machine is slow (a 5 s limit with no
     * retry failed once there); the faults these tests want come later */
    o.retries = 2;
    o.timeout = 15;
    ap_error_clear(&e);
    if (!(a = ap_alto_open(server_uri, &o, &e)))
        fprintf(stderr, "\n  open_tips(%s): [%s] %s\n", mode, e.source, e.text);
    return a;
}

/* Waits until the stream has applied `events` (at most 10 s); the maps
 * that changed on the way. */
static int until_events(ap_alto_stream *st, long events, ap_error *e)
{
    int seen = 0, ch, rounds;
    for (rounds = 0; rounds < 20 && ap_alto_stream_events(st) < events; rounds++) {
        ch = ap_alto_stream_wait(st, 0.5, e);
        CU_ASSERT(ch >= 0);
        if (ch < 0) {
            fprintf(stderr, "\n  %s: %s\n", e->source, e->text);
            break;
        }
        seen |= ch;
    }
    return seen;
}

/* TIPS (RFC 9569) behind the stream calls: two views opened, snapshots,
 * then the cost map's merge patches long-polled edge by edge and applied;
 * the views DELETEd at the end.  The directory lists first a TIPS resource
 * announcing an incremental media type this client cannot apply: it is
 * skipped (RFC 9569 4.2; its service would refuse every request). */
static void test_tips(void)
{
    char log[700], *l;
    ap_alto *a = open_tips("ok", log, sizeof log);
    ap_alto_stream *st;
    ap_netmap *nm;
    ap_costmap *cm;
    ap_error e;
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ap_error_clear(&e);
    st = ap_alto_stream_open(a, NULL, NULL, "hopcount", &e);
    if (!st)
        fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_STRING_EQUAL(ap_alto_stream_kind(st), "tips");
    CU_ASSERT_EQUAL(ap_alto_stream_events(st), 2);
    nm = ap_alto_stream_netmap(st, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    CU_ASSERT_EQUAL(until_events(st, 4, &e), AP_STREAM_COSTMAP);
    CU_ASSERT_EQUAL(ap_alto_stream_events(st), 4);
    cm = ap_alto_stream_costmap(st, nm, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 1, 3), 30, 0); /* edge 1 -> 2 */
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 3, 0), 30, 0); /* edge 2 -> 3 */
    CU_ASSERT(isnan(ap_costmap_get(cm, 3, 1)));             /* removed by null */
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 0, 3), 3, 0);  /* untouched */
    ap_costmap_free(cm);
    CU_ASSERT_EQUAL(ap_alto_stream_wait(st, 0.3, &e), 0); /* nothing more */
    ap_netmap_free(nm);
    ap_alto_stream_free(st);
    ap_alto_free(a);
    server_stop();
    l = slurp(log, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(l);
    CU_ASSERT(strstr(l, "TIPS-OPEN line-network-map\n") && strstr(l, "TIPS-OPEN hop-cost-map\n"));
    CU_ASSERT(strstr(l, "TIPS-DELETE 0\n") && strstr(l, "TIPS-DELETE 1\n")); /* both views closed */
    free(l);
}

/* A JSON patch edge; an edge gone (410: the new recommended snapshot is
 * taken); a view the server closed (404: an error naming the view). */
static void test_tips_faults(void)
{
    char log[700];
    ap_alto *a;
    ap_alto_stream *st;
    ap_netmap *nm;
    ap_costmap *cm;
    ap_error e;
    int ch = 0, rounds;
    CU_ASSERT_PTR_NOT_NULL_FATAL(a = open_tips("tips-jsonpatch", log, sizeof log));
    ap_error_clear(&e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st = ap_alto_stream_open(a, NULL, NULL, "hopcount", &e));
    until_events(st, 5, &e);
    CU_ASSERT_EQUAL(ap_alto_stream_events(st), 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm = ap_alto_stream_netmap(st, &e));
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm = ap_alto_stream_costmap(st, nm, &e));
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 2, 0), 7, 0); /* replace */
    CU_ASSERT(isnan(ap_costmap_get(cm, 2, 3)));             /* remove */
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 3, 1), 9, 0); /* add */
    ap_costmap_free(cm);
    ap_netmap_free(nm);
    ap_alto_stream_free(st);
    ap_alto_free(a);
    server_stop();

    CU_ASSERT_PTR_NOT_NULL_FATAL(a = open_tips("tips-gone", log, sizeof log));
    CU_ASSERT_PTR_NOT_NULL_FATAL(st = ap_alto_stream_open(a, NULL, NULL, "hopcount", &e));
    for (rounds = 0; rounds < 20; rounds++) {
        CU_ASSERT(ap_alto_stream_wait(st, 0.5, &e) >= 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(nm = ap_alto_stream_netmap(st, &e));
        CU_ASSERT_PTR_NOT_NULL_FATAL(cm = ap_alto_stream_costmap(st, nm, &e));
        ch = ap_costmap_get(cm, 3, 0) == 30; /* version 3, by the new snapshot */
        ap_costmap_free(cm);
        ap_netmap_free(nm);
        if (ch)
            break;
    }
    CU_ASSERT(ch);
    ap_alto_stream_free(st);
    ap_alto_free(a);
    server_stop();

    CU_ASSERT_PTR_NOT_NULL_FATAL(a = open_tips("tips-closed", log, sizeof log));
    CU_ASSERT_PTR_NOT_NULL_FATAL(st = ap_alto_stream_open(a, NULL, NULL, "hopcount", &e));
    for (rounds = 0, ch = 0; rounds < 20 && ch >= 0; rounds++)
        ch = ap_alto_stream_wait(st, 0.5, &e);
    CU_ASSERT_EQUAL(ch, -1);
    CU_ASSERT_EQUAL(e.code, AP_ENET);
    ASSERT_ERR_HAS(e, "the TIPS view was closed by the server (404)");
    CU_ASSERT(strstr(e.source, "/tips/view/1") != NULL); /* the cost map's view, by its URI */
    ap_alto_stream_free(st);
    ap_alto_free(a);
    server_stop();
}

/* watch --sse against a directory that offers TIPS and no update stream:
 * it follows the TIPS views and re-plans on the cost map's changes. */
static void test_watch_tips(void)
{
    const char *d = tmpdir();
    char log[700], args[3000], doc[1000];
    ap_alto *a = open_tips("ok", log, sizeof log);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ap_alto_free(a);
    snprintf(doc, sizeof doc, "{\"alto\": {\"ird\": \"%s\"}, \"cost-metric\": \"hopcount\", "
             "\"demand\": {\"A\": 2, \"B\": 1, \"C\": 1, \"D\": 1}, \"model\": {\"type\": \"p-median\", \"k\": 1}}",
             server_uri);
    snprintf(args, sizeof args, "watch %s --sse --interval 3 --iterations 3 -o %s/plan.json",
             write_file(d, "p.json", doc), d);
    {
        int rc = cli(args);
        CU_ASSERT_EQUAL(rc, 0);
        if (rc)
            fprintf(stderr, "\n%s\n", out_buf);
    }
    ASSERT_OUT_HAS("subscribed to TIPS views (RFC 9569) of http://127.0.0.1");
    ASSERT_OUT_HAS("update stream: cost map changed");
    ASSERT_OUT_HAS("\"check\": 0, \"status\": \"optimal\", \"objective\": 5, \"moved\": 0, \"sites\": [\"B\"]");
    snprintf(args, sizeof args, "%s/plan.json", d);
    {
        char *s = slurp(args, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        CU_ASSERT(strstr(s, "TIPS views of http://127.0.0.1") != NULL); /* the plan's provenance */
        free(s);
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
    CU_add_test(s, "TIPS (RFC 9569): views, snapshots, long-polled patches, DELETE", test_tips);
    CU_add_test(s, "TIPS faults: JSON patch, 410 Gone, a view closed by the server", test_tips_faults);
    CU_add_test(s, "watch --sse follows TIPS views when there is no update stream", test_watch_tips);
}
