/* test_plan.c - plan JSON content and atomic writes. */
#include "test.h"
#include "util.h"
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>
#include <fcntl.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static ap_plan *line_plan(ap_problem **pp)
{
    const char *d = line_network();
    char *path = write_file(d, "problem.json",
        "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\",\"property-map\":\"pm.json\"},"
        "\"demand\":\"demand.json\",\"model\":{\"type\":\"capacitated-facility-location\"}}");
    ap_error e;
    ap_error_clear(&e);
    *pp = ap_problem_load(path, &e);
    if (!*pp) {
        fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
        return NULL;
    }
    return ap_solve(*pp, NULL, &e);
}

static void test_plan_json(void)
{
    ap_problem *p = NULL;
    ap_plan *pl = line_plan(&p);
    ap_error e;
    char *s;
    json_t *j, *inputs, *load;
    json_error_t je;
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    ap_error_clear(&e);
    s = ap_plan_to_json(pl, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    j = json_loads(s, 0, &je);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "status")), "optimal");
    /* {A, D} open at 5 each, B -> A and C -> D at 1 each: 12 */
    CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(j, "objective")), 12, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(j, "bound")), 12, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(j, "gap")), 0, 1e-12);
    {
        const char *sv = json_string_value(json_object_get(j, "solver"));
        CU_ASSERT_PTR_NOT_NULL_FATAL(sv);
        CU_ASSERT(strstr(sv, "lagrangian") || strstr(sv, "branch-and-cut"));
    }
    CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "sites")), 2);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_object_get(j, "assignment"), "B")), "A");
    load = json_object_get(json_object_get(j, "load"), "A");
    CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(load, "load")), 5, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(json_number_value(json_object_get(load, "capacity")), 10, 1e-9);
    inputs = json_object_get(j, "inputs");
    CU_ASSERT_EQUAL(json_array_size(inputs), 4);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(inputs, 0), "resource-id")), "line");
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(json_array_get(inputs, 0), "tag")), "t1");
    CU_ASSERT(json_is_number(json_object_get(json_object_get(j, "stats"), "solve-seconds")));
    json_decref(j);
    free(s);
    ap_plan_free(pl);
    ap_problem_free(p);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    if (!d)
        return -1;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static void test_atomic_write(void)
{
    ap_problem *p = NULL;
    ap_plan *pl = line_plan(&p);
    const char *d = tmpdir();
    char path[512], bad[512];
    ap_error e;
    size_t len;
    char *s;
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    snprintf(path, sizeof path, "%s/plan.json", d);
    write_file(d, "plan.json", "OLD");
    CU_ASSERT_EQUAL(ap_plan_write(pl, path, NULL), 0);
    s = slurp(path, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"status\": \"optimal\""));
    CU_ASSERT_EQUAL(s[len - 1], '\n');
    free(s);
    CU_ASSERT_EQUAL(count_entries(d), 1); /* no temporary file left */
    /* a folder that does not exist: error naming the path, nothing written */
    snprintf(bad, sizeof bad, "%s/no/such/dir/plan.json", d);
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_plan_write(pl, bad, &e), -1);
    CU_ASSERT_EQUAL(e.code, AP_EIO);
    CU_ASSERT_STRING_EQUAL(e.source, bad);
    /* the target is a directory: error, directory untouched */
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_plan_write(pl, d, &e), -1);
    CU_ASSERT_EQUAL(e.code, AP_EIO);
    CU_ASSERT_EQUAL(count_entries(d), 1);
    ap_plan_free(pl);
    ap_problem_free(p);
}

/* Written files honour the umask (a new plan under umask 077 is 0600, not
 * world-readable) and a replaced file keeps its own mode. */
static void test_write_modes(void)
{
    ap_problem *p = NULL;
    ap_plan *pl = line_plan(&p);
    const char *d = tmpdir();
    char path[512];
    struct stat st;
    mode_t was = umask(077);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    snprintf(path, sizeof path, "%s/private.json", d);
    CU_ASSERT_EQUAL(ap_plan_write(pl, path, NULL), 0);
    CU_ASSERT_EQUAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
    umask(022);
    snprintf(path, sizeof path, "%s/shared.json", d);
    CU_ASSERT_EQUAL(ap_plan_write(pl, path, NULL), 0);
    CU_ASSERT_EQUAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0644);
    /* replacing a file the user made 0640 keeps 0640 */
    CU_ASSERT_EQUAL(chmod(path, 0640), 0);
    CU_ASSERT_EQUAL(ap_plan_write(pl, path, NULL), 0);
    CU_ASSERT_EQUAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0640);
    umask(was);
    /* a temporary file a killed writer left an hour ago goes at the next
     * write; one of a minute ago may be another writer's: kept */
    {
        char old[600], young[600];
        struct timespec t[2];
        snprintf(old, sizeof old, "%s.tmp.AbC123", path);
        snprintf(young, sizeof young, "%s.tmp.XyZ789", path);
        write_file(d, "shared.json.tmp.AbC123", "partial");
        write_file(d, "shared.json.tmp.XyZ789", "partial");
        clock_gettime(CLOCK_REALTIME, &t[0]);
        t[0].tv_sec -= 3600;
        t[1] = t[0];
        CU_ASSERT_EQUAL(utimensat(AT_FDCWD, old, t, 0), 0);
        CU_ASSERT_EQUAL(ap_plan_write(pl, path, NULL), 0);
        CU_ASSERT(access(old, F_OK) != 0);
        CU_ASSERT(access(young, F_OK) == 0);
    }
    ap_plan_free(pl);
    ap_problem_free(p);
}

void suite_plan(void)
{
    CU_pSuite s = CU_add_suite("plan", NULL, NULL);
    CU_add_test(s, "plan JSON has status, bound, sites, load, inputs", test_plan_json);
    CU_add_test(s, "plans are written atomically", test_atomic_write);
    CU_add_test(s, "written files honour the umask; a replaced file keeps its mode", test_write_modes);
}
