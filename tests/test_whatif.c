/* test_whatif.c - what-if studies on a small network with known answers,
 * parts and merge, and the HTML report rendered by headless Chromium. */
#include "test.h"
#include "util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <jansson.h>

#define DEG_US (6371008.8 * 3.14159265358979323846 / 180 / 2e8 * 1e6)

/* P0 - P1 - P2 - P3 on the equator, one degree apart; one request each. */
static const char *line_study(void)
{
    const char *d = tmpdir();
    ap_topo *t;
    ap_topo_opts o;
    ap_error err;
    char *g = write_file(d, "line.graphml",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"
        "<key attr.name=\"label\" for=\"node\" id=\"l\"/><key attr.name=\"Latitude\" for=\"node\" id=\"a\"/>"
        "<key attr.name=\"Longitude\" for=\"node\" id=\"o\"/><key attr.name=\"Network\" for=\"graph\" id=\"n\"/>"
        "<graph><data key=\"n\">line</data>"
        "<node id=\"0\"><data key=\"l\">P0</data><data key=\"a\">0</data><data key=\"o\">0</data></node>"
        "<node id=\"1\"><data key=\"l\">P1</data><data key=\"a\">0</data><data key=\"o\">1</data></node>"
        "<node id=\"2\"><data key=\"l\">P2</data><data key=\"a\">0</data><data key=\"o\">2</data></node>"
        "<node id=\"3\"><data key=\"l\">P3</data><data key=\"a\">0</data><data key=\"o\">3</data></node>"
        "<edge source=\"0\" target=\"1\"/><edge source=\"1\" target=\"2\"/><edge source=\"2\" target=\"3\"/>"
        "</graph></graphml>");
    ap_topo_opts_init(&o);
    ap_error_clear(&err);
    t = ap_topo_load_graphml(g, &o, &err);
    if (!t || ap_topo_write_alto(t, d, &o, &err))
        fprintf(stderr, "\n  %s: %s\n", err.source, err.text);
    ap_topo_free(t);
    write_file(d, "problem.json",
               "{\"alto\":{\"network-map\":\"networkmap.json\",\"cost-map\":\"costmap-delay-ow.json\"},"
               "\"cost-metric\":\"delay-ow\",\"demand\":{\"P0\":1,\"P1\":1,\"P2\":1,\"P3\":1},"
               "\"model\":{\"type\":\"p-median\",\"k\":1}}");
    write_file(d, "study.json",
               "{\"name\":\"line <study> & co\",\"description\":\"four PoPs in a row\",\"problem\":\"problem.json\","
               "\"topology\":\"topology.json\",\"scenarios\":["
               "{\"k\":{\"from\":1,\"to\":3}},"
               "{\"name\":\"P1 fails\",\"fail-sites\":[\"P1\"],\"k\":2},"
               "{\"name\":\"cut\",\"fail-links\":[[\"P1\",\"P2\"]],\"k\":2},"
               "{\"name\":\"bound\",\"max-cost\":600},"
               "{\"name\":\"bound, k=2\",\"max-cost\":600,\"k\":2},"
               "{\"name\":\"x3\",\"demand-scale\":3},"
               "{\"name\":\"small P1 P2\",\"capacity\":{\"P1\":1,\"P2\":1}}]}");
    return d;
}

static json_t *rows_of(const char *dir)
{
    char path[600];
    json_error_t je;
    json_t *j;
    snprintf(path, sizeof path, "%s/results.json", dir);
    j = json_load_file(path, 0, &je);
    return j;
}

static double obj(json_t *res, size_t i)
{
    json_t *v = json_object_get(json_array_get(json_object_get(res, "rows"), i), "objective");
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *field(json_t *res, size_t i, const char *k)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(res, "rows"), i), k));
}

static double numf(json_t *res, size_t i, const char *k)
{
    return json_number_value(json_object_get(json_array_get(json_object_get(res, "rows"), i), k));
}

static void test_study_values(void)
{
    const char *d = line_study(), *out = tmpdir();
    char study[600], path[700];
    ap_whatif_opts o;
    ap_error err;
    json_t *res;
    snprintf(study, sizeof study, "%s/study.json", d);
    ap_whatif_opts_init(&o);
    ap_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(ap_whatif_run(study, out, &o, &err), 0);
    res = rows_of(out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(res);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(res, "rows")), 10);
    /* cost map values are written to 0.1 us: 1 degree = 556.0, 2 = 1112.0 */
    CU_ASSERT_STRING_EQUAL(field(res, 0, "scenario"), "base");
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 0), 2224.0, 1e-6);
    CU_ASSERT_STRING_EQUAL(field(res, 1, "scenario"), "k=1");
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 1), 2224.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 2), 1112.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 3), 556.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(numf(res, 3, "changes"), 2, 0);
    /* P1 fails: costs recomputed from the topology (exact); P1's request is
     * lost, P0 is cut off and needs a site of its own, P2 or P3 the other */
    CU_ASSERT_STRING_EQUAL(field(res, 4, "status"), "optimal");
    /* (topology.json keeps link lengths to the metre: 0.0004 us here) */
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 4), DEG_US, 1e-3);
    CU_ASSERT_DOUBLE_EQUAL(numf(res, 4, "lost-demand"), 1, 0);
    {
        json_t *want = json_pack("[s]", "P1");
        CU_ASSERT(json_equal(json_object_get(json_array_get(json_object_get(res, "rows"), 4), "lost-clients"), want));
        json_decref(want);
    }
    /* the P1-P2 link is cut: each half needs its own site */
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 5), 2 * DEG_US, 1e-3);
    /* within 600 us one site is not enough, two are */
    CU_ASSERT_STRING_EQUAL(field(res, 6, "status"), "infeasible");
    CU_ASSERT(isnan(obj(res, 6)));
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 7), 1112.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(numf(res, 7, "worst-cost"), 556.0, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 8), 3 * 2224.0, 1e-6);
    /* P1 and P2 can serve one request each: one site must be an end,
     * 556 + 1112 + 1667.9 */
    CU_ASSERT_DOUBLE_EQUAL(obj(res, 9), 3335.9, 1e-6);
    CU_ASSERT(strcmp(field(res, 9, "scenario"), "small P1 P2") == 0);
    json_decref(res);
    /* the other outputs */
    snprintf(path, sizeof path, "%s/results.csv", out);
    {
        char *csv = slurp(path, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
        const char *hdr = "index,scenario,change,status,objective,k,sites,mean_cost,";
        CU_ASSERT(strncmp(csv, hdr, strlen(hdr)) == 0);
        CU_ASSERT(strstr(csv, "\n7,\"bound, k=2\",k = 2; cost bound 600,optimal,1112,2,") != NULL);
        CU_ASSERT(strstr(csv, "\n4,P1 fails,k = 2; P1 fails,optimal,555.975,2,P0 P") != NULL);
        free(csv);
    }
    snprintf(path, sizeof path, "%s/cost-vs-k.svg", out);
    CU_ASSERT(file_exists(path));
    snprintf(path, sizeof path, "%s/scenarios.svg", out);
    CU_ASSERT(file_exists(path));
    snprintf(path, sizeof path, "%s/map-4.svg", out);
    CU_ASSERT(file_exists(path));
    snprintf(path, sizeof path, "%s/map-2.svg", out); /* part of the k sweep: no map */
    CU_ASSERT(!file_exists(path));
    snprintf(path, sizeof path, "%s/report.html", out);
    {
        char *h = slurp(path, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(h);
        CU_ASSERT(strstr(h, "<title>line &lt;study&gt; &amp; co</title>") != NULL);
        CU_ASSERT(strstr(h, "<svg") != NULL);
        CU_ASSERT(strstr(h, "stroke-dasharray") != NULL); /* the cut link on its map */
        free(h);
    }
}

static void test_parts_and_merge(void)
{
    const char *d = line_study(), *whole = tmpdir(), *split = tmpdir();
    char a[2000];
    json_t *r1, *r2;
    size_t i;
    snprintf(a, sizeof a, "whatif %s/study.json -o %s", d, whole);
    CU_ASSERT_EQUAL(cli(a), 0);
    ASSERT_OUT_HAS("scenario 10 of 10 (small P1 P2)");
    ASSERT_OUT_HAS("s left");
    snprintf(a, sizeof a, "whatif %s/study.json -o %s --part 2/3", d, split);
    CU_ASSERT_EQUAL(cli(a), 0);
    ASSERT_OUT_HAS("scenario 3 of 3");
    /* merging with parts missing names what is missing, writes nothing */
    snprintf(a, sizeof a, "whatif %s/study.json -o %s --merge", d, split);
    CU_ASSERT_EQUAL(cli(a), 2);
    ASSERT_OUT_HAS("3 of 10 scenarios present (first missing: 0, \"base\")");
    snprintf(a, sizeof a, "%s/report.html", split);
    CU_ASSERT(!file_exists(a));
    snprintf(a, sizeof a, "whatif %s/study.json -o %s --part 1/3 -q && %s whatif %s/study.json -o %s --part 3/3 -q",
             d, split, getenv("AP_BIN") ? getenv("AP_BIN") : "../build/altoplace", d, split);
    CU_ASSERT_EQUAL(cli(a), 0);
    snprintf(a, sizeof a, "whatif %s/study.json -o %s --merge", d, split);
    CU_ASSERT_EQUAL(cli(a), 0);
    r1 = rows_of(whole);
    r2 = rows_of(split);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r2);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(r2, "rows")), 10);
    for (i = 0; i < 10; i++) {
        double x = obj(r1, i), y = obj(r2, i);
        CU_ASSERT((isnan(x) && isnan(y)) || x == y);
        CU_ASSERT_STRING_EQUAL(field(r1, i, "scenario"), field(r2, i, "scenario"));
        CU_ASSERT(json_equal(json_object_get(json_array_get(json_object_get(r1, "rows"), i), "changes"),
                             json_object_get(json_array_get(json_object_get(r2, "rows"), i), "changes")));
    }
    json_decref(r1);
    json_decref(r2);
}

static void test_study_errors(void)
{
    const char *d = line_study(), *out = tmpdir();
    char a[2000];
    CU_ASSERT_EQUAL(cli("whatif --help"), 0);
    ASSERT_OUT_HAS("--part I/N");
    snprintf(a, sizeof a, "whatif %s/study.json", d);
    CU_ASSERT_EQUAL(cli(a), 1);
    ASSERT_OUT_HAS("missing -o DIR");
    snprintf(a, sizeof a, "whatif %s/study.json -o %s --part 4/3", d, out);
    CU_ASSERT_EQUAL(cli(a), 1);
    write_file(d, "typo.json", "{\"problem\":\"problem.json\",\"scenarios\":[{\"k\":2,\"demand-scal\":2}]}");
    snprintf(a, sizeof a, "whatif %s/typo.json -o %s", d, out);
    CU_ASSERT_EQUAL(cli(a), 2);
    ASSERT_OUT_HAS("typo.json: scenarios[0].demand-scal: unknown key");
    write_file(d, "notopo.json", "{\"problem\":\"problem.json\",\"scenarios\":[{\"fail-sites\":[\"P1\"]}]}");
    snprintf(a, sizeof a, "whatif %s/notopo.json -o %s", d, out);
    CU_ASSERT_EQUAL(cli(a), 2);
    ASSERT_OUT_HAS("failures need the study's topology");
    write_file(d, "badsite.json", "{\"problem\":\"problem.json\",\"topology\":\"topology.json\","
                                  "\"scenarios\":[{\"fail-sites\":[\"P9\"]}]}");
    snprintf(a, sizeof a, "whatif %s/badsite.json -o %s", d, out);
    CU_ASSERT_EQUAL(cli(a), 2);
    ASSERT_OUT_HAS("badsite.json: scenario \"scenario 1\": fail-sites: P9 is not a node of");
    snprintf(a, sizeof a, "%s/report.html", out);
    CU_ASSERT(!file_exists(a));
}

/* ------------------------------------------------------------ PNG reading */

static unsigned be32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Decodes an 8-bit RGB/RGBA non-interlaced PNG into RGB; NULL otherwise. */
static unsigned char *png_rgb(const char *path, unsigned *w, unsigned *h)
{
    size_t len, p = 8, zlen = 0, zcap = 0, stride, y, x;
    unsigned char *b = (unsigned char *)slurp(path, &len), *z = NULL, *raw = NULL, *rgb = NULL;
    int ch = 0;
    uLongf rawlen;
    if (!b || len < 8 || memcmp(b, "\x89PNG\r\n\x1a\n", 8))
        goto out;
    while (p + 12 <= len) {
        unsigned n = be32(b + p);
        const unsigned char *t = b + p + 4, *dat = b + p + 8;
        if (p + 12 + n > len)
            goto out;
        if (!memcmp(t, "IHDR", 4)) {
            *w = be32(dat);
            *h = be32(dat + 4);
            if (dat[8] != 8 || (dat[9] != 2 && dat[9] != 6) || dat[12] != 0)
                goto out;
            ch = dat[9] == 2 ? 3 : 4;
        } else if (!memcmp(t, "IDAT", 4)) {
            if (zlen + n > zcap) {
                zcap = (zlen + n) * 2;
                z = realloc(z, zcap);
            }
            memcpy(z + zlen, dat, n);
            zlen += n;
        }
        p += 12 + n;
    }
    if (!ch || !z)
        goto out;
    stride = (size_t)*w * ch;
    rawlen = (uLongf)((stride + 1) * *h);
    raw = malloc(rawlen);
    if (!raw || uncompress(raw, &rawlen, z, zlen) != Z_OK || rawlen != (stride + 1) * *h)
        goto out;
    rgb = malloc((size_t)*w * *h * 3);
    for (y = 0; y < *h; y++) {
        unsigned char *row = raw + y * (stride + 1) + 1, *up = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;
        int f = row[-1];
        for (x = 0; x < stride; x++) {
            int a = x >= (size_t)ch ? row[x - ch] : 0, u = up ? up[x] : 0, c = up && x >= (size_t)ch ? up[x - ch] : 0;
            row[x] = (unsigned char)(row[x] + (f == 1 ? a : f == 2 ? u : f == 3 ? (a + u) / 2 : f == 4 ? paeth(a, u, c) : 0));
        }
        for (x = 0; x < *w; x++)
            memcpy(rgb + (y * *w + x) * 3, row + x * ch, 3);
    }
out:
    free(b);
    free(z);
    free(raw);
    return rgb;
}

/* Pixels within `tol` of colour #rrggbb. */
static size_t count_colour(const unsigned char *rgb, unsigned w, unsigned h, unsigned colour, int tol)
{
    size_t i, n = 0;
    int r = (int)(colour >> 16), g = (int)(colour >> 8 & 255), b = (int)(colour & 255);
    for (i = 0; i < (size_t)w * h; i++)
        n += abs(rgb[3 * i] - r) <= tol && abs(rgb[3 * i + 1] - g) <= tol && abs(rgb[3 * i + 2] - b) <= tol;
    return n;
}

static void test_report_in_chromium(void)
{
    const char *d = line_study(), *out = tmpdir(), *profile = tmpdir();
    char study[600], cmd[3000], shot[700];
    ap_whatif_opts o;
    ap_error err;
    unsigned w = 0, h = 0;
    unsigned char *rgb;
    const char *chromium = access("/usr/bin/chromium", X_OK) == 0 ? "/usr/bin/chromium" : NULL;
    if (!chromium) {
        /* make check installs it (.ci/install-deps); a missing browser is a
         * failure, not a skip */
        CU_FAIL("chromium not installed: run .ci/install-deps test");
        return;
    }
    snprintf(study, sizeof study, "%s/study.json", d);
    ap_whatif_opts_init(&o);
    ap_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(ap_whatif_run(study, out, &o, &err), 0);
    snprintf(shot, sizeof shot, "%s/report.png", out);
    snprintf(cmd, sizeof cmd,
             "timeout 120 %s --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
             "--disable-component-update --disable-sync --user-data-dir=%s --hide-scrollbars "
             "--window-size=1200,2400 --screenshot=%s file://%s/report.html >%s/chromium.log 2>&1",
             chromium, profile, shot, out, out);
    CU_ASSERT_EQUAL(system(cmd), 0);
    rgb = png_rgb(shot, &w, &h);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rgb);
    CU_ASSERT_EQUAL(w, 1200);
    CU_ASSERT_EQUAL(h, 2400);
    /* the plots are there: the mean-cost line (#1f77b4) and worst-cost line
     * (#d62728), the green bars (#2ca02c) and the map background (#f7fbff) */
    CU_ASSERT(count_colour(rgb, w, h, 0x1f77b4, 8) > 500);
    CU_ASSERT(count_colour(rgb, w, h, 0xd62728, 8) > 500);
    CU_ASSERT(count_colour(rgb, w, h, 0x2ca02c, 8) > 2000);
    CU_ASSERT(count_colour(rgb, w, h, 0xf7fbff, 2) > 50000);
    free(rgb);
}

void suite_whatif(void)
{
    CU_pSuite s = CU_add_suite("whatif", NULL, NULL);
    CU_add_test(s, "study on a 4-PoP line: expected table", test_study_values);
    CU_add_test(s, "parts and merge give the whole study's table", test_parts_and_merge);
    CU_add_test(s, "study errors name the file and key", test_study_errors);
    CU_add_test(s, "HTML report rendered by headless Chromium", test_report_in_chromium);
}
