/* test_diskfull.c - what a failing disk or a kill leaves behind: writes
 * that fail with ENOSPC, short writes and failing renames (through the
 * LD_PRELOAD shim tests/link/fault.c, $AP_FAULT_LIB), and kill -9 of a
 * what-if study.  Each test asserts the exit status, the message naming the
 * path, the previous file or folder intact and nothing temporary left. */
#include "test.h"
#include "util.h"
#include "server_ctl.h"
#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char bin[PATH_MAX], shim[PATH_MAX];

static int setup(void)
{
    const char *b = getenv("AP_BIN"), *f = getenv("AP_FAULT_LIB");
    if (!realpath(b ? b : "../build/altoplace", bin) || !realpath(f ? f : "../build/libapfault.so", shim)) {
        fprintf(stderr, "test_diskfull: no altoplace binary or fault shim (AP_BIN, AP_FAULT_LIB)\n");
        return 1;
    }
    return 0;
}

/* Runs `args` of altoplace in folder d with the shim and the fault `env`. */
static int faulty(const char *d, const char *env, const char *args)
{
    char cmd[4 * PATH_MAX];
    const char *asan = getenv("ASAN_OPTIONS");
    snprintf(cmd, sizeof cmd,
             "cd %s && LD_PRELOAD=%s ASAN_OPTIONS=%s%sverify_asan_link_order=0 %s %s %s -q", d, shim,
             asan ? asan : "", asan && *asan ? ":" : "", env, bin, args);
    return run_shell(cmd);
}

/* Names in folder d (dot files too) joined by spaces, into buf. */
static const char *listing(const char *d, char *buf, size_t n)
{
    DIR *dir = opendir(d);
    struct dirent *de;
    size_t at = 0;
    buf[0] = '\0';
    while (dir && (de = readdir(dir)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") && at + strlen(de->d_name) + 2 < n)
            at += (size_t)snprintf(buf + at, n - at, "%s ", de->d_name);
    if (dir)
        closedir(dir);
    return buf;
}

static char *path_in(const char *d, const char *name)
{
    static char p[4][700];
    static int i;
    char *r = p[i++ & 3];
    snprintf(r, 700, "%s/%s", d, name);
    return r;
}

/* The geant example's problem, copied so that its plan goes to d. */
static const char *geant_dir(void)
{
    const char *d = tmpdir();
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cp ../examples/geant/*.json %s/", d);
    CU_ASSERT_EQUAL(run_shell(cmd), 0);
    return d;
}

static void test_plan_disk_full(void)
{
    const char *d = geant_dir();
    char ls[4096], *s;
    write_file(d, "plan.json", "the old plan\n");
    /* the disk fills after 100 bytes of the new plan */
    CU_ASSERT_NOT_EQUAL(faulty(d, "AP_FAULT_PATH=plan.json AP_FAULT_AFTER=100", "plan problem.json -o plan.json"), 0);
    ASSERT_OUT_HAS("plan.json");
    ASSERT_OUT_HAS("No space left on device");
    s = slurp(path_in(d, "plan.json"), NULL);
    CU_ASSERT_STRING_EQUAL(s ? s : "", "the old plan\n");
    free(s);
    CU_ASSERT_PTR_NULL(strstr(listing(d, ls, sizeof ls), ".tmp."));
    /* full from the first byte, and no old plan: no plan.json at all */
    remove(path_in(d, "plan.json"));
    CU_ASSERT_NOT_EQUAL(faulty(d, "AP_FAULT_PATH=plan.json", "plan problem.json -o plan.json"), 0);
    ASSERT_OUT_HAS("No space left on device");
    CU_ASSERT_FALSE(file_exists(path_in(d, "plan.json")));
    CU_ASSERT_PTR_NULL(strstr(listing(d, ls, sizeof ls), "plan.json"));
}

/* How many files of d/acache hold `needle`. */
static int count_in_cache(const char *d, const char *needle)
{
    DIR *dir = opendir(path_in(d, "acache"));
    struct dirent *de;
    int n = 0;
    while (dir && (de = readdir(dir))) {
        char f[1000], *s;
        snprintf(f, sizeof f, "%s/acache/%s", d, de->d_name);
        if (de->d_name[0] != '.' && (s = slurp(f, NULL))) {
            n += strstr(s, needle) != NULL;
            free(s);
        }
    }
    if (dir)
        closedir(dir);
    return n;
}

/* The ALTO cache under a full disk: the plan is still made (the cache is an
 * aid), no temporary file stays, and the previous entries stay whole, so a
 * later run with the server down still plans from them (--allow-stale). */
static void test_cache_disk_full(void)
{
    const char *d = tmpdir();
    char args[2000], before[4096], after[4096], *s;
    DIR *dir;
    struct dirent *de;
    int metas = 0;
    write_file(d, "problem.json", "{\"alto\": {\"ird\": \"http://127.0.0.1:9/directory\"}, \"cost-metric\": \"hopcount\", \"demand\": {\"A\": 4, \"B\": 1, \"C\": 1, "
                                  "\"D\": 4}, \"model\": {\"type\": \"p-median\", \"k\": 2}}");
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    snprintf(args, sizeof args, "plan problem.json --alto %s --alto-cache acache -o plan.json", server_uri);
    CU_ASSERT_EQUAL_FATAL(faulty(d, "", args), 0);
    listing(path_in(d, "acache"), before, sizeof before);
    /* a wrong ETag in every meta file: the server answers 200 again, so the
     * cache is rewritten, and the disk is full from the first byte */
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir = opendir(path_in(d, "acache")));
    while ((de = readdir(dir))) {
        char f[1000];
        json_t *m;
        if (!strstr(de->d_name, ".meta"))
            continue;
        snprintf(f, sizeof f, "%s/acache/%s", d, de->d_name);
        CU_ASSERT_PTR_NOT_NULL_FATAL(m = json_load_file(f, 0, NULL));
        json_object_set_new(m, "etag", json_string("\"outdated\""));
        CU_ASSERT_EQUAL(json_dump_file(m, f, 0), 0);
        json_decref(m);
        metas++;
    }
    closedir(dir);
    CU_ASSERT(metas >= 2);
    CU_ASSERT_EQUAL(faulty(d, "AP_FAULT_PATH=acache/", args), 0);
    CU_ASSERT_STRING_EQUAL(listing(path_in(d, "acache"), after, sizeof after), before);
    CU_ASSERT_EQUAL(count_in_cache(d, "outdated"), metas); /* the rewrite failed, the old meta stayed */
    /* and with room on the disk the same run does rewrite them */
    CU_ASSERT_EQUAL(faulty(d, "AP_FAULT_PATH=elsewhere/", args), 0);
    CU_ASSERT_EQUAL(count_in_cache(d, "outdated"), 0);
    server_stop();
    /* the server gone: the entries kept serve the plan */
    remove(path_in(d, "plan.json"));
    snprintf(args, sizeof args, "plan problem.json --alto %s --alto-cache acache --allow-stale -o plan.json",
             server_uri);
    CU_ASSERT_EQUAL(faulty(d, "", args), 0);
    s = slurp(path_in(d, "plan.json"), NULL);
    CU_ASSERT(s && strstr(s, "\"stale\": true") && strstr(s, "\"optimal\""));
    free(s);
}

static void test_plan_rename_fails(void)
{
    const char *d = geant_dir();
    char ls[4096], *s;
    write_file(d, "plan.json", "the old plan\n");
    CU_ASSERT_NOT_EQUAL(faulty(d, "AP_FAULT_RENAME=plan.json", "plan problem.json -o plan.json"), 0);
    ASSERT_OUT_HAS("plan.json: cannot rename");
    s = slurp(path_in(d, "plan.json"), NULL);
    CU_ASSERT_STRING_EQUAL(s ? s : "", "the old plan\n");
    free(s);
    CU_ASSERT_PTR_NULL(strstr(listing(d, ls, sizeof ls), ".tmp."));
}

/* Writes of 7 bytes at a time: the plan is complete and the same as with
 * whole writes. */
static void test_short_writes(void)
{
    const char *d = geant_dir();
    json_t *a, *b;
    CU_ASSERT_EQUAL_FATAL(faulty(d, "AP_FAULT_SHORT=7", "plan problem.json -o short.json"), 0);
    CU_ASSERT_EQUAL_FATAL(faulty(d, "", "plan problem.json -o whole.json"), 0);
    a = json_load_file(path_in(d, "short.json"), 0, NULL);
    b = json_load_file(path_in(d, "whole.json"), 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT(json_equal(json_object_get(a, "sites"), json_object_get(b, "sites")));
    CU_ASSERT(json_equal(json_object_get(a, "objective"), json_object_get(b, "objective")));
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, "status")), "optimal");
    json_decref(a);
    json_decref(b);
}

/* A study whose report cannot be written: no output folder appears (a new
 * one), or the old outputs stay as they were (an existing one). */
static void test_whatif_disk_full(void)
{
    const char *d = line_study();
    char ls[4096], args[1024], *before, *after;
    snprintf(args, sizeof args, "whatif study.json -o out");
    CU_ASSERT_NOT_EQUAL(faulty(d, "AP_FAULT_PATH=report.html AP_FAULT_AFTER=500", args), 0);
    ASSERT_OUT_HAS("out/report.html");
    ASSERT_OUT_HAS("No space left on device");
    CU_ASSERT_PTR_NULL(strstr(out_buf, ".stage."));
    CU_ASSERT_FALSE(file_exists(path_in(d, "out")));
    CU_ASSERT_PTR_NULL(strstr(listing(d, ls, sizeof ls), ".stage."));
    /* a good run, then a failing one over it */
    CU_ASSERT_EQUAL_FATAL(faulty(d, "", args), 0);
    CU_ASSERT_TRUE(file_exists(path_in(d, "out/report.html")));
    CU_ASSERT_TRUE(file_exists(path_in(d, "out/map-5.svg")));
    before = slurp(path_in(d, "out/results.csv"), NULL);
    write_file(d, "out/mine.txt", "a file of the user's\n");
    write_file(d, "study2.json", "{\"problem\":\"problem.json\",\"topology\":\"topology.json\","
               "\"scenarios\":[{\"name\":\"only\",\"k\":2}]}");
    CU_ASSERT_NOT_EQUAL(faulty(d, "AP_FAULT_PATH=report.html AP_FAULT_AFTER=500", "whatif study2.json -o out"), 0);
    after = slurp(path_in(d, "out/results.csv"), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(before);
    CU_ASSERT_STRING_EQUAL(after ? after : "", before);
    CU_ASSERT_TRUE(file_exists(path_in(d, "out/mine.txt")));
    CU_ASSERT_PTR_NULL(strstr(listing(d, ls, sizeof ls), ".stage."));
    free(before);
    free(after);
    /* and a good run of the second study replaces the outputs, keeps mine.txt */
    CU_ASSERT_EQUAL(faulty(d, "", "whatif study2.json -o out"), 0);
    after = slurp(path_in(d, "out/results.csv"), NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(after ? after : "", "only"));
    CU_ASSERT_TRUE(file_exists(path_in(d, "out/mine.txt")));
    /* the first study's maps of scenarios 2.. are gone, this one's are there */
    CU_ASSERT_TRUE(file_exists(path_in(d, "out/map-1.svg")));
    CU_ASSERT_FALSE(file_exists(path_in(d, "out/map-5.svg")));
    free(after);
}

/* import writes several files: all of them or none. */
static void test_import_disk_full(void)
{
    const char *d = tmpdir();
    char ls[4096], args[2 * PATH_MAX], pm[PATH_MAX], *s;
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath("data/orlib/pmed1.txt", pm));
    snprintf(args, sizeof args, "import orlib-pmed %s -o inst", pm);
    CU_ASSERT_NOT_EQUAL(faulty(d, "AP_FAULT_PATH=costmap.json AP_FAULT_AFTER=4096", args), 0);
    ASSERT_OUT_HAS("inst/costmap.json");
    ASSERT_OUT_HAS("No space left on device");
    CU_ASSERT_FALSE(file_exists(path_in(d, "inst")));
    CU_ASSERT_PTR_NULL(strstr(listing(d, ls, sizeof ls), "stage"));
    /* the folder cannot be renamed into place: nothing either */
    CU_ASSERT_NOT_EQUAL(faulty(d, "AP_FAULT_RENAME=inst", args), 0);
    ASSERT_OUT_HAS("inst: cannot rename");
    CU_ASSERT_FALSE(file_exists(path_in(d, "inst")));
    CU_ASSERT_STRING_EQUAL(listing(d, ls, sizeof ls), "");
    CU_ASSERT_EQUAL(faulty(d, "", args), 0);
    CU_ASSERT_TRUE(file_exists(path_in(d, "inst/problem.json")));
    /* zoo into an existing folder: the old files stay when a write fails */
    write_file(d, "inst/networkmap.json", "old\n");
    snprintf(args, sizeof args, "import zoo %s/line.graphml -o inst", line_study());
    CU_ASSERT_NOT_EQUAL(faulty(d, "AP_FAULT_PATH=topology.json", args), 0);
    ASSERT_OUT_HAS("inst/topology.json");
    s = slurp(path_in(d, "inst/networkmap.json"), NULL);
    CU_ASSERT_STRING_EQUAL(s ? s : "", "old\n");
    free(s);
    CU_ASSERT_FALSE(file_exists(path_in(d, "inst/costmap-delay-ow.json")));
    CU_ASSERT_PTR_NULL(strstr(listing(d, ls, sizeof ls), "stage"));
    CU_ASSERT_EQUAL(faulty(d, "", args), 0);
    CU_ASSERT_TRUE(file_exists(path_in(d, "inst/costmap-delay-ow.json")));
    CU_ASSERT_TRUE(file_exists(path_in(d, "inst/problem.json"))); /* of the orlib import, left alone */
}

/* The rows of a study's results.json without their solve times. */
static json_t *rows_without_times(const char *path)
{
    json_t *doc = json_load_file(path, 0, NULL), *rows, *r;
    size_t i;
    rows = json_incref(json_object_get(doc, "rows"));
    json_decref(doc);
    json_array_foreach(rows, i, r)
        json_object_del(r, "seconds");
    return rows;
}

/* kill -9 of a study mid-solve: the old outputs are intact; the stage it
 * left is removed by the next run. */
static void test_kill9_whatif(void)
{
    const char *d = line_study();
    char cmd[3 * PATH_MAX], ls[4096], *before, *after;
    json_t *rows0, *rows1;
    CU_ASSERT_EQUAL_FATAL(faulty(d, "", "whatif study.json -o out"), 0);
    before = slurp(path_in(d, "out/results.csv"), NULL);
    /* a study of one long solve: 1,200 random points, p = 40 */
    CU_ASSERT_PTR_NOT_NULL_FATAL(write_random_tsp(d, "pts.tsp", 1200, 11));
    CU_ASSERT_EQUAL_FATAL(faulty(d, "", "import tsplib pts.tsp -k 40 -o big"), 0);
    write_file(d, "long.json", "{\"problem\":\"big/problem.json\",\"scenarios\":[{\"name\":\"long\",\"k\":41}]}");
    snprintf(cmd, sizeof cmd, "cd %s && { %s whatif long.json -q -o out & p=$!; sleep 1.5; "
             "kill -9 $p; wait $p; echo \"status $?\"; }", d, bin);
    CU_ASSERT_EQUAL(run_shell(cmd), 0);
    ASSERT_OUT_HAS("status 137");
    after = slurp(path_in(d, "out/results.csv"), NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(before);
    CU_ASSERT_STRING_EQUAL(after ? after : "", before);
    free(after);
    CU_ASSERT_PTR_NOT_NULL(strstr(listing(d, ls, sizeof ls), ".out.stage."));
    /* the next run (of the short study) removes the dead process's stage
     * and gives the same rows as the first (but for the solve times) */
    rows0 = rows_without_times(path_in(d, "out/results.json"));
    CU_ASSERT_EQUAL(faulty(d, "", "whatif study.json -o out"), 0);
    CU_ASSERT_PTR_NULL(strstr(listing(d, ls, sizeof ls), ".stage."));
    rows1 = rows_without_times(path_in(d, "out/results.json"));
    CU_ASSERT_PTR_NOT_NULL(rows0);
    CU_ASSERT(rows0 && rows1 && json_equal(rows0, rows1));
    json_decref(rows0);
    json_decref(rows1);
    free(before);
}

void suite_diskfull(void)
{
    CU_pSuite s = CU_add_suite("disk full, failed renames, kills", setup, NULL);
    CU_add_test(s, "plan: ENOSPC keeps the old plan, names the file, no temporary left", test_plan_disk_full);
    CU_add_test(s, "ALTO cache: ENOSPC leaves the old entries usable", test_cache_disk_full);
    CU_add_test(s, "plan: a failing rename keeps the old plan", test_plan_rename_fails);
    CU_add_test(s, "short writes give the same plan", test_short_writes);
    CU_add_test(s, "whatif: outputs all or nothing under ENOSPC", test_whatif_disk_full);
    CU_add_test(s, "import: the folder appears whole or not at all", test_import_disk_full);
    CU_add_test(s, "kill -9 of whatif: old outputs intact, the stage cleaned next run", test_kill9_whatif);
}
