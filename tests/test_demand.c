/* test_demand.c - request logs to demand per PID. */
#include "test.h"
#include "util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#define NM2 "{\"meta\":{\"vtag\":{\"resource-id\":\"m\",\"tag\":\"t\"}},\"network-map\":{" \
            "\"A\":{\"ipv4\":[\"10.0.0.0/8\"]},\"B\":{\"ipv4\":[\"10.1.0.0/16\"],\"ipv6\":[\"2001:db8::/32\"]}}}"

static ap_netmap *nm2(void)
{
    return ap_netmap_parse(NM2, strlen(NM2), "nm", NULL);
}

static ap_demand *read1(const ap_netmap *nm, const char *path, const ap_demand_opts *o, ap_error *e)
{
    const char *paths[1];
    paths[0] = path;
    ap_error_clear(e);
    return ap_demand_read(nm, paths, 1, o, e);
}

static void test_real_log(void)
{
    /* the real access log on the GEANT example: 3,812 requests fall in the
     * 34 countries' blocks (DE 515, FR 873), 6,188 elsewhere */
    ap_error e;
    ap_netmap *nm = ap_netmap_load("../examples/geant/networkmap.json", NULL);
    ap_demand *d;
    double tot = 0;
    size_t i;
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    d = read1(nm, "data/apache_logs.gz", NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_EQUAL(ap_demand_lines(d), 10000);
    CU_ASSERT_EQUAL(ap_demand_bad_lines(d), 0);
    CU_ASSERT_EQUAL(ap_demand_unmatched(d), 6188);
    for (i = 0; i < ap_netmap_count(nm); i++)
        tot += ap_demand_total(d, i, 0);
    CU_ASSERT_DOUBLE_EQUAL(tot, 3812, 0);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, (size_t)ap_netmap_find(nm, "DE"), 0), 515, 0);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, (size_t)ap_netmap_find(nm, "FR"), 0), 873, 0);
    CU_ASSERT_EQUAL(ap_demand_buckets(d), 84); /* 17 May 10:00 .. 20 May 21:00, hourly */
    ap_demand_free(d);
    ap_netmap_free(nm);
}

static void test_clf_details(void)
{
    const char *dir = tmpdir();
    char *p = write_file(dir, "a.log",
        "10.0.0.1 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 100 \"-\" \"x\"\n"
        "10.1.2.3 - - [17/May/2015:11:05:03 +0100] \"GET /a HTTP/1.1\" 200 50\n"
        "\n"
        "2001:db8::7 - - [17/May/2015:10:30:00 +0000] \"GET / HTTP/1.1\" 304 -\n"
        "192.0.2.1 - - [17/May/2015:10:31:00 +0000] \"GET / HTTP/1.1\" 200 10\n"
        "this is not a log line\n");
    ap_netmap *nm = nm2();
    ap_demand_opts o;
    ap_error e;
    ap_demand *d;
    ap_demand_opts_init(&o);
    o.max_bad = 0.5;
    o.objects = 1;
    d = read1(nm, p, &o, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    {
        const char *dir2 = tmpdir();
        char out[600], *s;
        snprintf(out, sizeof out, "%s/d.json", dir2);
        CU_ASSERT_EQUAL(ap_demand_write_json(d, 0, NULL, out, &e), 0);
        s = slurp(out, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        /* B asked for "/" once (IPv6, 0 bytes) and "/a" once (50 bytes) */
        CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"/a\": [\n        1.0,\n        50.0"));
        /* 2001:db8::7 at 10:30 comes after 11:05 +0100 = 10:05 UTC: in order;
         * 192.0.2.1 (unmatched) is not a PID's request */
        CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"out-of-order-timestamps\""));
        free(s);
    }
    CU_ASSERT_EQUAL(ap_demand_lines(d), 6);
    CU_ASSERT_EQUAL(ap_demand_bad_lines(d), 1);
    CU_ASSERT_EQUAL(ap_demand_unmatched(d), 1);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, 0, 0), 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, 1, 0), 2, 0);   /* 10.1.2.3 and the IPv6 one */
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, 1, 1), 50, 0);  /* "-" counts 0 bytes */
    /* 11:05 +0100 is 10:05 UTC: every request is in the first hourly bucket */
    CU_ASSERT_EQUAL(ap_demand_buckets(d), 1);
    ap_demand_free(d);
    /* with the default 1% allowance the same file fails, naming the line */
    d = read1(nm, p, NULL, &e);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_EQUAL(e.code, AP_EFORMAT);
    ASSERT_ERR_HAS(e, "1 of 5 lines");
    ASSERT_ERR_HAS(e, "line 6");
    ap_netmap_free(nm);
}

static void test_csv_and_jsonl(void)
{
    const char *dir = tmpdir();
    char *csv = write_file(dir, "r.csv", "ts,client,size\n2015-05-17T10:00:00Z,10.0.0.9,5\n"
                                         "1431856900,10.1.0.1,7\n\"2015-05-17 11:00:00\",10.0.0.8,1\n");
    char *js, *bad;
    ap_netmap *nm = nm2();
    ap_demand_opts o;
    ap_error e;
    ap_demand *d;
    ap_demand_opts_init(&o);
    o.map = "time=ts,addr=client,bytes=size";
    d = read1(nm, csv, &o, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, 0, 1), 6, 0);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, 1, 1), 7, 0);
    CU_ASSERT_EQUAL(ap_demand_buckets(d), 2);
    ap_demand_free(d);
    /* a mapping that names a missing column */
    o.map = "addr=ip";
    d = read1(nm, csv, &o, &e);
    CU_ASSERT_PTR_NULL(d);
    ASSERT_ERR_HAS(e, "no column \"ip\"");
    js = write_file(dir, "r.jsonl", "{\"time\": 1431856800, \"addr\": \"10.0.0.1\", \"bytes\": 3}\n"
                                    "{\"time\": \"2015-05-17T10:00:01Z\", \"addr\": \"2001:db8::1\"}\n");
    d = read1(nm, js, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, 0, 0), 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, 1, 0), 1, 0);
    ap_demand_free(d);
    /* binary garbage: every line bad */
    bad = write_file(dir, "bin.log", "\x01\x02\xff\xfe [\"\n\x7f\x80\x81\n");
    d = read1(nm, bad, NULL, &e);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_EQUAL(e.code, AP_EFORMAT);
    ap_netmap_free(nm);
}

static void test_gzip_and_truncation(void)
{
    const char *dir = tmpdir();
    char path[600], cut[600];
    gzFile gz;
    FILE *f;
    int i;
    char *buf;
    size_t n;
    ap_netmap *nm = nm2();
    ap_error e;
    ap_demand *d;
    snprintf(path, sizeof path, "%s/big.log.gz", dir);
    gz = gzopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(gz);
    for (i = 0; i < 20000; i++)
        gzprintf(gz, "10.%d.0.1 - - [17/May/2015:10:05:03 +0000] \"GET /%d HTTP/1.1\" 200 %d\n",
                 i % 2, i, i % 100);
    gzclose(gz);
    d = read1(nm, path, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_EQUAL(ap_demand_lines(d), 20000);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, 0, 0) + ap_demand_total(d, 1, 0), 20000, 0);
    ap_demand_free(d);
    /* the first half of the compressed bytes only */
    buf = slurp(path, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    snprintf(cut, sizeof cut, "%s/cut.log.gz", dir);
    f = fopen(cut, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fwrite(buf, 1, n / 2, f);
    fclose(f);
    free(buf);
    d = read1(nm, cut, NULL, &e);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_EQUAL(e.code, AP_EIO);
    ASSERT_ERR_HAS(e, "truncated or corrupt gzip");
    ap_netmap_free(nm);
}

static void test_forecast(void)
{
    /* a steady daily pattern: Holt-Winters must beat "same as last hour" */
    const char *dir = tmpdir();
    char path[600];
    FILE *f;
    int h, r;
    ap_netmap *nm = nm2();
    ap_error e;
    ap_demand *d;
    ap_backtest bt;
    double next[2];
    snprintf(path, sizeof path, "%s/daily.log", dir);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    for (h = 0; h < 24 * 7; h++) {
        int n = 10 + (int)(8 * sin(2 * M_PI * (h % 24) / 24.0) + 8);
        for (r = 0; r < n; r++)
            fprintf(f, "10.0.0.1 - - [%02d/May/2015:%02d:%02d:00 +0000] \"GET / HTTP/1.1\" 200 1\n",
                    10 + h / 24, h % 24, r % 60);
    }
    fclose(f);
    d = read1(nm, path, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_EQUAL(ap_demand_buckets(d), 168);
    CU_ASSERT_EQUAL(ap_demand_forecast(d, 0, 24, next, &bt, &e), 0);
    CU_ASSERT(bt.mase < 0.5);
    CU_ASSERT(bt.points == 84);
    /* the next hour is hour 0 of day 8: 10 + 8 sin(0) + 8 = 18 requests */
    CU_ASSERT_DOUBLE_EQUAL(next[0], 18, 1.5);
    CU_ASSERT_DOUBLE_EQUAL(next[1], 0, 1e-9);
    ap_demand_free(d);
    ap_netmap_free(nm);
}

static void test_problem_with_log(void)
{
    /* a problem whose demand is the real log, planned on the GEANT example
     * (absolute paths, so the problem file can live in a scratch folder) */
    char ex[4096], data[4096], doc[12800];
    const char *dir = tmpdir();
    ap_error e;
    ap_problem *pr;
    ap_plan *pl;
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath("../examples/geant", ex));
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath("data/apache_logs.gz", data));
    snprintf(doc, sizeof doc,
             "{\"alto\":{\"network-map\":\"%s/networkmap.json\",\"cost-map\":\"%s/costmap-delay-ow.json\"},"
             "\"demand\":{\"log\":\"%s\",\"weight\":\"requests\"},"
             "\"model\":{\"type\":\"p-median\",\"k\":3}}", ex, ex, data);
    ap_error_clear(&e);
    pr = ap_problem_load(write_file(dir, "problem.json", doc), &e);
    if (!pr)
        fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pr);
    CU_ASSERT_EQUAL(ap_problem_nclients(pr), 32);
    pl = ap_solve(pr, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_OPTIMAL);
    /* the same demand as examples/geant/demand.json: the same optimum */
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(pl), 8695767.7, 1e-3);
    ap_plan_free(pl);
    ap_problem_free(pr);
}

static void test_flows(void)
{
    /* real CMS transfers: two destination sites mapped to PIDs A and B */
    const char *dir = tmpdir();
    char *map = write_file(dir, "sites.json", "{\"T2_CH_CERN\": \"A\", \"T2_IN_TIFR\": \"B\"}");
    char *bad;
    ap_netmap *nm = nm2();
    ap_demand_opts o;
    ap_error e;
    ap_demand *d;
    double sumb = 0;
    size_t b;
    ap_demand_opts_init(&o);
    o.bucket = 86400;
    ap_error_clear(&e);
    d = ap_demand_read_flows(nm, "data/flows-sample.json", map, &o, &e);
    if (!d)
        fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    CU_ASSERT_EQUAL(ap_demand_lines(d), 5);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, 0, 0), 3, 0);   /* three transfers to CERN */
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, 0, 1), 2695793208.0 + 3168867091.0 + 1300260492.0, 1);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(d, 1, 1), 4089456904.0, 1);
    CU_ASSERT_EQUAL(ap_demand_unmatched(d), 1);              /* T3_US_Colorado */
    for (b = 0; b < ap_demand_buckets(d); b++)
        sumb += ap_demand_at(d, 0, b, 1);
    CU_ASSERT_DOUBLE_EQUAL(sumb, ap_demand_total(d, 0, 1), 1); /* spread, not lost */
    ap_demand_free(d);
    bad = write_file(dir, "bad.json", "[[\"a\", \"T2_CH_CERN\", 10, 5, 1]]");
    d = ap_demand_read_flows(nm, bad, map, &o, &e);
    CU_ASSERT_PTR_NULL(d);
    ASSERT_ERR_HAS(e, "record 0");
    ap_netmap_free(nm);
}

/* Hostile times: far apart, tiny buckets, transfers from the far future.
 * Each is refused or counted as a bad line, in bounded time and memory
 * (they looped without end or took gigabytes). */
static void test_hostile_times(void)
{
    const char *d = line_network();
    ap_netmap *nm;
    ap_demand *dm;
    ap_demand_opts o;
    ap_error e;
    char *p;
    char path[600];
    snprintf(path, sizeof path, "%s/nm.json", d);
    nm = ap_netmap_load(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    ap_demand_opts_init(&o);
    o.bucket = 3600;
    o.max_bad = 0.7;
    /* 3.6e22 s later: not a time; the other line counts */
    p = write_file(d, "far.jsonl", "{\"time\": 1700000000, \"addr\": \"10.0.0.1\"}\n"
                                   "{\"time\": 3.6e22, \"addr\": \"10.0.0.2\"}\n{\"time\": 1e300, \"addr\": \"10.0.0.2\"}\n");
    ap_error_clear(&e);
    dm = ap_demand_read(nm, (const char *const *)&p, 1, &o, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dm);
    CU_ASSERT_EQUAL(ap_demand_bad_lines(dm), 2);
    CU_ASSERT_EQUAL(ap_demand_buckets(dm), 1);
    ap_demand_free(dm);
    /* a bucket of 3.6e-16 s over an hour: 1e19 buckets refused */
    p = write_file(d, "two.jsonl", "{\"time\": 1700000000, \"addr\": \"10.0.0.1\"}\n"
                                   "{\"time\": 1700003600, \"addr\": \"10.0.0.2\"}\n");
    o.bucket = 3.6e-16;
    ap_error_clear(&e);
    dm = ap_demand_read(nm, (const char *const *)&p, 1, &o, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dm);
    CU_ASSERT_EQUAL(ap_demand_bad_lines(dm), 1);
    ap_demand_free(dm);
    /* two lines 3,170 years apart with 1 s buckets: over the cap, one bad */
    p = write_file(d, "wide.jsonl", "{\"time\": 0, \"addr\": \"10.0.0.1\"}\n{\"time\": 99999999999, \"addr\": "
                                    "\"10.0.0.2\"}\n");
    o.bucket = 1;
    ap_error_clear(&e);
    dm = ap_demand_read(nm, (const char *const *)&p, 1, &o, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dm);
    CU_ASSERT_EQUAL(ap_demand_bad_lines(dm), 1);
    CU_ASSERT(ap_demand_buckets(dm) <= 1000000);
    ap_demand_free(dm);
    /* transfers starting at 1e20 s, or spanning 1e30 s: bad records */
    write_file(d, "sites.json", "{\"S1\": \"A\"}");
    write_file(d, "flows.json", "[[\"S1\", \"S1\", 1e20, 1e20, 100], [\"S1\", \"S1\", 0, 1e30, 5],"
                                "[\"S1\", \"S1\", 1700000000, 1700007200, 10]]");
    o.bucket = 3600;
    snprintf(path, sizeof path, "%s/flows.json", d);
    {
        char sp[600];
        snprintf(sp, sizeof sp, "%s/sites.json", d);
        ap_error_clear(&e);
        o.max_bad = 0.9;
        dm = ap_demand_read_flows(nm, path, sp, &o, &e);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(dm);
    CU_ASSERT_EQUAL(ap_demand_bad_lines(dm), 2);
    CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(dm, 0, 1), 10, 1e-9);
    ap_demand_free(dm);
    ap_netmap_free(nm);
}

/* A log whose addresses are all outside the network map (the wrong map),
 * and an empty log: errors, not a demand of nothing. */
static void test_unmatched_and_empty(void)
{
    const char *d = line_network();
    char args[1200];
    snprintf(args, sizeof args, "demand data/apache_logs.gz -n %s/nm.json -o %s/dm.json", d, d);
    CU_ASSERT_EQUAL(cli(args), 2);
    ASSERT_OUT_HAS("10000 of 10000 requests (100.0%) come from addresses in no PID of network map line");
    snprintf(args, sizeof args, "demand data/apache_logs.gz -n %s/nm.json -o %s/dm.json --max-unmatched 1", d, d);
    CU_ASSERT_EQUAL(cli(args), 0);
    snprintf(args, sizeof args, "demand %s -n %s/nm.json -o %s/dm.json", write_file(d, "empty.log", ""), d, d);
    CU_ASSERT_EQUAL(cli(args), 2);
    ASSERT_OUT_HAS("no request in the input");
    /* plan --requests says how much of the log fell outside the map */
    CU_ASSERT_EQUAL(cli("plan ../examples/geant/problem.json --requests data/apache_logs.gz -o -"), 0);
    ASSERT_OUT_HAS("6188 requests (62%) from addresses in no PID");
}

void suite_demand(void)
{
    CU_pSuite s = CU_add_suite("demand", NULL, NULL);
    CU_add_test(s, "real access log (gzip) on GEANT prefixes", test_real_log);
    CU_add_test(s, "CLF: zones, IPv6, '-' bytes, bad lines, max-bad", test_clf_details);
    CU_add_test(s, "CSV with mapping, JSON lines, binary garbage", test_csv_and_jsonl);
    CU_add_test(s, "gzip input; a truncated gzip is an I/O error", test_gzip_and_truncation);
    CU_add_test(s, "forecast beats the naive forecast on a daily pattern", test_forecast);
    CU_add_test(s, "problem file with demand from a log", test_problem_with_log);
    CU_add_test(s, "transfer records mapped through a site table", test_flows);
    CU_add_test(s, "hostile times: far apart, tiny buckets, far future", test_hostile_times);
    CU_add_test(s, "a log outside the network map, an empty log: errors", test_unmatched_and_empty);
}
