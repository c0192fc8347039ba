/* test_report.c - the what-if outputs (tables, SVG plots and maps, the HTML
 * report): written from rows given by hand, and rendered by headless
 * Chromium. */
#include "test.h"
#include "util.h"
#include "studies/studies_int.h"
#include <dirent.h>
#include <limits.h>
#include <libxml/parser.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

/* A row as the runner writes it. */
static json_t *row(int idx, const char *name, const char *group, json_t *change, const char *status, double obj,
                   int k, const char *reason)
{
    json_t *r = json_pack("{s:i,s:s,s:s,s:i,s:s,s:o,s:o,s:o,s:o,s:o,s:i,s:f,s:s,s:[s,s],s:{},s:[],s:f,s:o,s:s,"
                          "s:f,s:i}",
                          "index", idx, "scenario", name, "group", group, "source", idx ? 0 : -1, "status", status,
                          "objective", isfinite(obj) ? json_real(obj) : json_null(), "mean-cost",
                          isfinite(obj) ? json_real(obj / 4) : json_null(), "worst-cost",
                          isfinite(obj) ? json_real(obj / 2) : json_null(), "gap", json_real(0), "k",
                          json_integer(k), "nsites", k, "seconds", 0.01, "reason", reason, "sites", "P0", "P2",
                          "assign", "lost-clients", "lost-demand", 0.0, "change", change, "metric", "delay-ow",
                          "demand", 4.0, "changes", 0);
    CU_ASSERT_PTR_NOT_NULL(r);
    return r;
}

static int well_formed_svg(const char *path)
{
    xmlDocPtr d = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    int ok = d && xmlDocGetRootElement(d) && !strcmp((const char *)xmlDocGetRootElement(d)->name, "svg");
    xmlFreeDoc(d);
    return ok;
}

static void test_outputs_from_rows(void)
{
    const char *d = tmpdir(), *out = tmpdir();
    char path[700];
    ap__study st;
    ap_error e;
    json_t *rows;
    char *csv, *html;
    DIR *dir;
    struct dirent *de;
    int nsvg = 0;
    write_file(d, "study.json", "{\"name\":\"rows <by> hand\",\"problem\":\"p.json\",\"scenarios\":[{\"k\":2}]}");
    snprintf(path, sizeof path, "%s/study.json", d);
    ap_error_clear(&e);
    CU_ASSERT_EQUAL_FATAL(ap__study_load(path, &st, &e), 0);
    rows = json_pack("[o,o,o,o]", row(0, "base", "base", json_object(), "optimal", 2224, 1, ""),
                     row(1, "k=1", "k", json_pack("{s:i}", "k", 1), "optimal", 2224, 1, ""),
                     row(2, "k=2", "k", json_pack("{s:i}", "k", 2), "optimal", 1112.5, 2, ""),
                     row(3, "tight", "tight", json_pack("{s:f}", "max-cost", 10.0), "infeasible", NAN, 1,
                         "client P3 <far>, no site"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(rows);
    /* an earlier, bigger study's plots in the same folder: removed when
     * the outputs (written beside it, as ap_whatif_run does) move in */
    write_file(out, "map-13.svg", "<svg/>");
    write_file(out, "cost-vs-k-2.svg", "<svg/>");
    write_file(out, "notes.txt", "the user's own file");
    {
        ap__stage stg;
        CU_ASSERT_EQUAL_FATAL(ap__stage_begin(&stg, out, &e), 0);
        stg.prune = ap__whatif_is_plot;
        CU_ASSERT_EQUAL(ap__whatif_outputs(&st, rows, stg.dir, &e), 0);
        CU_ASSERT_EQUAL(ap__stage_commit(&stg, &e), 0);
    }
    snprintf(path, sizeof path, "%s/map-13.svg", out);
    CU_ASSERT(!file_exists(path));
    snprintf(path, sizeof path, "%s/cost-vs-k-2.svg", out);
    CU_ASSERT(!file_exists(path));
    snprintf(path, sizeof path, "%s/notes.txt", out);
    CU_ASSERT(file_exists(path)); /* not ours: kept */
    if (e.code)
        fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
    /* results.csv: a header and one line per row, in order */
    snprintf(path, sizeof path, "%s/results.csv", out);
    csv = slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
    CU_ASSERT(strncmp(csv, "index,scenario,change,status,objective,", 39) == 0);
    CU_ASSERT(strstr(csv, "\n0,base,base problem,optimal,2224,") != NULL);
    CU_ASSERT(strstr(csv, "\n2,k=2,k = 2,optimal,1112.5,2,P0 P2,") != NULL);
    CU_ASSERT(strstr(csv, "\n3,tight,cost bound 10 µs,infeasible,,") != NULL);
    CU_ASSERT(strstr(csv, "\"client P3 <far>, no site\"\n") != NULL); /* quoted: it has a comma */
    free(csv);
    /* results.json holds the rows as given */
    snprintf(path, sizeof path, "%s/results.json", out);
    {
        json_t *res = json_load_file(path, 0, NULL);
        CU_ASSERT(json_equal(json_object_get(res, "rows"), rows));
        json_decref(res);
    }
    /* every SVG is well-formed XML with an svg root: the k sweep, the bars */
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir = opendir(out));
    while ((de = readdir(dir)))
        if (strstr(de->d_name, ".svg")) {
            snprintf(path, sizeof path, "%s/%s", out, de->d_name);
            CU_ASSERT(well_formed_svg(path));
            nsvg++;
        }
    closedir(dir);
    CU_ASSERT_EQUAL(nsvg, 2);
    snprintf(path, sizeof path, "%s/cost-vs-k.svg", out);
    CU_ASSERT(file_exists(path));
    snprintf(path, sizeof path, "%s/scenarios.svg", out);
    CU_ASSERT(file_exists(path));
    /* the report: title and reasons escaped, the table, the plots inline, no
     * maps without a topology */
    snprintf(path, sizeof path, "%s/report.html", out);
    html = slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(html);
    CU_ASSERT(strstr(html, "<title>rows &lt;by&gt; hand</title>") != NULL);
    CU_ASSERT(strstr(html, "client P3 &lt;far&gt;, no site") != NULL);
    CU_ASSERT(strstr(html, "<table") != NULL);
    CU_ASSERT(strstr(html, "No maps: the study names no topology") != NULL);
    CU_ASSERT(strstr(html, "<svg") != NULL);
    CU_ASSERT(strstr(html, "<svg") != strrchr(html, '<')); /* two plots, not one */
    free(html);
    json_decref(rows);
    ap__study_free(&st);
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
    /* the plots are there: the mean-cost line (#1f77b4), the worst-cost line
     * (#ff7f0e), red and green bars (#d62728, #2ca02c) and the maps' sea
     * (#e4eef7: this line of PoPs is in the Gulf of Guinea) */
    CU_ASSERT(count_colour(rgb, w, h, 0x1f77b4, 8) > 500);
    CU_ASSERT(count_colour(rgb, w, h, 0xff7f0e, 8) > 500);
    CU_ASSERT(count_colour(rgb, w, h, 0xd62728, 8) > 500);
    CU_ASSERT(count_colour(rgb, w, h, 0x2ca02c, 8) > 2000);
    CU_ASSERT(count_colour(rgb, w, h, 0xe4eef7, 2) > 50000);
    free(rgb);
}

/* Renders one SVG file of dir in headless Chromium at w x h; the RGB pixels
 * or NULL. */
static unsigned char *render(const char *dir, const char *svg, unsigned w, unsigned h)
{
    const char *profile = tmpdir();
    char cmd[3000], shot[700];
    unsigned gw = 0, gh = 0;
    unsigned char *rgb;
    snprintf(shot, sizeof shot, "%s/%s.png", dir, svg);
    snprintf(cmd, sizeof cmd,
             "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --no-first-run "
             "--disable-background-networking --disable-component-update --disable-sync --user-data-dir=%s "
             "--hide-scrollbars --window-size=%u,%u --screenshot=%s file://%s/%s >%s/chromium.log 2>&1",
             profile, w, h, shot, dir, svg, dir);
    if (system(cmd) != 0)
        return NULL;
    rgb = png_rgb(shot, &gw, &gh);
    if (rgb && (gw != w || gh != h)) {
        free(rgb);
        return NULL;
    }
    return rgb;
}

/* The fill of site's marker in a map SVG ("#rrggbb"), or "" when absent. */
static void site_fill(const char *svg, const char *site, char out[8])
{
    char key[64];
    const char *p;
    snprintf(key, sizeof key, "\"><title>%s: open site", site);
    out[0] = '\0';
    if (!(p = strstr(svg, key)))
        return;
    /* ... fill="#rrggbb" stroke="black" stroke-width="1.3"><title>SITE: */
    while (p > svg && strncmp(p, "fill=\"#", 7))
        p--;
    if (!strncmp(p, "fill=\"#", 7)) {
        memcpy(out, p + 6, 7);
        out[7] = '\0';
    }
}

static size_t count_str(const char *s, const char *what)
{
    size_t n = 0;
    while (s && (s = strstr(s, what))) {
        n++;
        s += strlen(what);
    }
    return n;
}

/* GEANT's what-if maps and a sweep of k = 1..50 under a bound that makes
 * some k infeasible: land and sea drawn, each site in one colour (never the
 * grey of links nor the red of failures) in every map, distinct colours in a
 * map, about ten k labels and the infeasible k marked. */
static void test_maps_in_chromium(void)
{
    const char *d = tmpdir(), *out = tmpdir();
    char ex[PATH_MAX], study[2 * PATH_MAX + 400], path[700], fill[8], first[4][8];
    const char *sites[] = {"DE", "FR", "SE", "IT"};
    const char *maps[] = {"map-0.svg", "map-51.svg", "map-52.svg", "map-53.svg"};
    ap_whatif_opts o;
    ap_error err;
    unsigned char *rgb;
    char *svg;
    size_t m, k, j;
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath("../examples/geant", ex));
    snprintf(study, sizeof study,
             "{\"name\":\"GEANT maps\",\"problem\":\"%s/problem.json\",\"topology\":\"%s/topology.json\","
             "\"scenarios\":[{\"k\":{\"from\":1,\"to\":50},\"max-cost\":5000},"
             "{\"name\":\"DE fails\",\"fail-sites\":[\"DE\"]},{\"name\":\"FR fails\",\"fail-sites\":[\"FR\"]},"
             "{\"name\":\"twelve\",\"k\":12}]}", ex, ex);
    write_file(d, "study.json", study);
    snprintf(path, sizeof path, "%s/study.json", d);
    ap_whatif_opts_init(&o);
    ap_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(ap_whatif_run(path, out, &o, &err), 0);
    /* the sweep: k labels thinned, infeasible k marked with their status */
    snprintf(path, sizeof path, "%s/cost-vs-k.svg", out);
    svg = slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
    CU_ASSERT(count_str(svg, "class=\"xtick\"") >= 5 && count_str(svg, "class=\"xtick\"") <= 12);
    CU_ASSERT(count_str(svg, ": infeasible</title>") >= 16); /* k = 35..50 at least: 34 candidates */
    CU_ASSERT(strstr(svg, "delay-ow (ms)") != NULL);      /* the axis in milliseconds */
    free(svg);
    rgb = render(out, "cost-vs-k.svg", 720, 400);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rgb);
    CU_ASSERT(count_colour(rgb, 720, 400, 0xd62728, 40) > 200); /* the red marks */
    free(rgb);
    /* the maps: a site keeps its colour across maps, sites differ in a map */
    for (m = 0; m < 4; m++) {
        snprintf(path, sizeof path, "%s/%s", out, maps[m]);
        svg = slurp(path, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
        CU_ASSERT(strstr(svg, "class=\"land\"") != NULL);
        CU_ASSERT(count_str(svg, "<title>") > 30); /* a tooltip on every PoP */
        for (k = 0; k < 4; k++) {
            site_fill(svg, sites[k], fill);
            if (m == 0)
                strcpy(first[k], fill);
            else if (*fill && *first[k])
                CU_ASSERT_STRING_EQUAL(fill, first[k]);
            CU_ASSERT(strcmp(fill, "#9a9a9a") && strcmp(fill, "#d62728"));
        }
        free(svg);
    }
    for (k = 0; k < 4; k++)
        for (j = k + 1; j < 4; j++)
            if (*first[k] && *first[j])
                CU_ASSERT(strcmp(first[k], first[j]) != 0);
    CU_ASSERT(*first[0] && *first[1] && *first[2]); /* the base opens DE FR SE */
    /* what it looks like: mostly land and sea, the sites' colours drawn */
    rgb = render(out, "map-0.svg", 1026, 600);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rgb);
    CU_ASSERT(count_colour(rgb, 1026, 600, 0xf3efe4, 3) > 800 * 520 / 5); /* land */
    CU_ASSERT(count_colour(rgb, 1026, 600, 0xe4eef7, 3) > 800 * 520 / 10); /* sea */
    for (k = 0; k < 3; k++)
        CU_ASSERT(count_colour(rgb, 1026, 600, (unsigned)strtoul(first[k] + 1, NULL, 16), 10) > 100);
    free(rgb);
}

void suite_report(void)
{
    CU_pSuite s = CU_add_suite("report", NULL, NULL);
    CU_add_test(s, "tables, SVG plots and report from rows given by hand", test_outputs_from_rows);
    CU_add_test(s, "HTML report rendered by headless Chromium", test_report_in_chromium);
    CU_add_test(s, "maps and a 50-value sweep rendered by headless Chromium", test_maps_in_chromium);
}
