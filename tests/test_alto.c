/* test_alto.c - the ALTO client against a real HTTP server process
 * (tests/server/alto_server.c) on 127.0.0.1, in each of its fault modes. */
#include "test.h"
#include "base/base.h"
#include <sys/stat.h>
#include <dirent.h>
#include "util.h"
#include "server_ctl.h"
#include <math.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Opens the server and fetches the network map and hop-count cost map. */
static int fetch_maps(const ap_alto_opts *o, ap_error *e, double *cost_ad)
{
    ap_alto *a;
    ap_netmap *nm = NULL;
    ap_costmap *cm = NULL;
    int rc = -1;
    ap_error_clear(e);
    a = ap_alto_open(server_uri, o, e);
    if (a && (nm = ap_alto_netmap(a, NULL, e)) && (cm = ap_alto_costmap(a, nm, "hopcount", NULL, NULL, e))) {
        if (cost_ad)
            *cost_ad = ap_costmap_get(cm, 0, 3);
        rc = 0;
    }
    ap_costmap_free(cm);
    ap_netmap_free(nm);
    ap_alto_free(a);
    return rc;
}

static void test_ok(void)
{
    ap_error e;
    double c = NAN;
    ap_alto *a;
    ap_netmap *nm;
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    CU_ASSERT_EQUAL(fetch_maps(NULL, &e, &c), 0);
    CU_ASSERT_DOUBLE_EQUAL(c, 3, 0);
    /* the delay map depends on an older network map version */
    a = ap_alto_open(server_uri, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    nm = ap_alto_netmap(a, "line-network-map", &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_costmap(a, nm, "delay-ow", NULL, NULL, &e));
    CU_ASSERT_EQUAL(e.code, AP_EVTAG);
    ASSERT_ERR_HAS(e, "v0-stale");
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_costmap(a, nm, "lossrate", NULL, NULL, &e));
    ASSERT_ERR_HAS(e, "no cost map with metric lossrate");
    ap_netmap_free(nm);
    ap_alto_free(a);
    server_stop();
}

static void test_faults(void)
{
    static const struct { const char *mode, *needle; } cases[] = {
        {"status500", "HTTP 500"},
        {"alto-error", "ALTO server error E_INVALID_FIELD_VALUE (HTTP 400), field cost-type/cost-metric, value \"foo\""},
        {"wrong-media", "media type is \"application/json\", expected \"application/alto-networkmap+json\""},
        {"slow", "Timeout"},
        {"truncated", "cut short"},
        {"oversized", "larger than the 1048576-byte limit"},
        {"slowloris", "Timeout"},
        {"endless", "larger than the 1048576-byte limit"},
        {"redirect-loop", "redirect"},
        {"redirect-file", "file"},
        {"redirect-ftp", "ftp"},
        {"huge-header", "response header over its 100 KB"},
        /* 64 MiB once decoded: the cap counts decoded bytes */
        {"gzip-bomb", "larger than the 1048576-byte limit"},
        {"gzip-corrupt", "the compressed body is corrupt"},
        {"reset", "cut short"},
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ap_alto_opts o;
        ap_error e;
        ap_alto_opts_init(&o);
        o.timeout = 1;
        o.retries = 1;
        o.max_bytes = 1 << 20;
        CU_ASSERT_EQUAL_FATAL(server_start(cases[i].mode), 0);
        CU_ASSERT_EQUAL(fetch_maps(&o, &e, NULL), -1);
        CU_ASSERT_EQUAL(e.code, AP_ENET);
        ASSERT_ERR_HAS(e, cases[i].needle);
        CU_ASSERT_PTR_NOT_NULL(strstr(e.source, "http://127.0.0.1:"));
        server_stop();
    }
}

/* gzip is accepted and decoded; a body cut at half its length (with a
 * matching Content-Length) is a syntax error naming the URL, not a map */
static void test_gzip_and_short(void)
{
    ap_error e;
    double c = NAN;
    CU_ASSERT_EQUAL_FATAL(server_start("gzip"), 0);
    CU_ASSERT_EQUAL(fetch_maps(NULL, &e, &c), 0);
    CU_ASSERT_DOUBLE_EQUAL(c, 3, 0);
    server_stop();
    CU_ASSERT_EQUAL_FATAL(server_start("short-length"), 0);
    CU_ASSERT_EQUAL(fetch_maps(NULL, &e, NULL), -1);
    CU_ASSERT_EQUAL(e.code, AP_ESYNTAX);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.source, "http://127.0.0.1:"));
    server_stop();
}

/* Hostile JSON from a server: a clear error naming the URL, or (-0) a valid
 * number read as 0; and a Content-Length shorter than the body sent. */
static void test_hostile_json(void)
{
    static const struct { const char *mode, *needle; } bad[] = {
        {"json-dupkey", "duplicate object key network-map.A (a PID listed twice)"},
        {"json-badutf8", "UTF-8"},
        {"json-1e309", ""},
        {"json-nan", ""},
        {"long-length", ""},
    };
    size_t i;
    ap_error e;
    double c = NAN;
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        CU_ASSERT_EQUAL_FATAL(server_start(bad[i].mode), 0);
        CU_ASSERT_EQUAL(fetch_maps(NULL, &e, NULL), -1);
        CU_ASSERT(e.code == AP_ESYNTAX || e.code == AP_EFORMAT);
        CU_ASSERT_PTR_NOT_NULL(strstr(e.source, "http://127.0.0.1:"));
        ASSERT_ERR_HAS(e, bad[i].needle);
        if (e.code != AP_ESYNTAX && e.code != AP_EFORMAT)
            fprintf(stderr, "\n  %s: [%s] %s\n", bad[i].mode, e.source, e.text);
        server_stop();
    }
    CU_ASSERT_EQUAL_FATAL(server_start("json-minus0"), 0);
    CU_ASSERT_EQUAL(fetch_maps(NULL, &e, &c), 0);
    CU_ASSERT_DOUBLE_EQUAL(c, 3, 0);
    server_stop();
}

/* Relative resource URIs (RFC 7285 9.2.2) resolve against the directory
 * that lists them, a delegated one included; a password in the directory's
 * URI, carried into the resolved ones, shows in no plan input. */
static void test_relative_uris(void)
{
    const char *d = tmpdir();
    char args[2000], plan[700], want[300], *s;
    ap_error e;
    double c = NAN;
    server_dir = "fixtures/alto-relative";
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    server_dir = "fixtures/alto-server";
    CU_ASSERT_EQUAL(fetch_maps(NULL, &e, &c), 0);
    if (isnan(c))
        fprintf(stderr, "\n  [%s] %s\n", e.source, e.text);
    CU_ASSERT_DOUBLE_EQUAL(c, 3, 0);
    snprintf(plan, sizeof plan, "%s/plan.json", d);
    snprintf(args, sizeof args, "plan fixtures/alto-server/problem.json --alto http://alice:pw5ecret@%s -o %s",
             server_uri + 7, plan);
    CU_ASSERT_EQUAL(cli(args), 0);
    s = slurp(plan, NULL);
    snprintf(want, sizeof want, "\"source\": \"http://alice:***@%.*s/maps/networkmap\"",
             (int)(strchr(server_uri + 7, '/') - server_uri - 7), server_uri + 7);
    CU_ASSERT(s && strstr(s, want) && strstr(s, "/sub/costmap/hop\"") && !strstr(s, "pw5ecret"));
    if (s && !strstr(s, want))
        fprintf(stderr, "\n  wanted %s in %s\n", want, s);
    free(s);
    server_stop();
}

static void test_retry_after(void)
{
    ap_alto_opts o;
    ap_error e;
    double c = NAN;
    struct timespec t0, t1;
    ap_alto_opts_init(&o);
    CU_ASSERT_EQUAL_FATAL(server_start("retry"), 0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, &c), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CU_ASSERT_DOUBLE_EQUAL(c, 3, 0);
    /* two resources each answered 503 + Retry-After: 1 once */
    CU_ASSERT((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9 >= 1.9);
    server_stop();
    /* no retries allowed: the 503 is the answer */
    o.retries = 0;
    CU_ASSERT_EQUAL_FATAL(server_start("retry"), 0);
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, NULL), -1);
    ASSERT_ERR_HAS(e, "HTTP 503");
    server_stop();
}

static void test_no_server(void)
{
    ap_alto_opts o;
    ap_error e;
    ap_alto_opts_init(&o);
    o.retries = 0;
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_open("http://127.0.0.1:9/directory", &o, &e));
    CU_ASSERT_EQUAL(e.code, AP_ENET);
    CU_ASSERT_STRING_EQUAL(e.source, "http://127.0.0.1:9/directory");
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_open("file:///etc/passwd", &o, &e));
    CU_ASSERT_EQUAL(e.code, AP_EINVAL);
}

static void test_plan_from_server(void)
{
    const char *d = tmpdir();
    char args[1024], plan[600];
    char *s;
    snprintf(plan, sizeof plan, "%s/plan.json", d);
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    snprintf(args, sizeof args, "plan fixtures/alto-server/problem.json --alto %s -o %s", server_uri, plan);
    CU_ASSERT_EQUAL(cli(args), 0);
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 2"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "/costmap/hop\""));
    free(s);
    /* capacitated: capacities and opening costs from the server's property map */
    snprintf(args, sizeof args, "plan fixtures/alto-server/cfl-problem.json --alto %s -o %s", server_uri, plan);
    CU_ASSERT_EQUAL(cli(args), 0);
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 12")); /* {A, D}: 2 x 5 + 2 */
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "/propmap\""));
    free(s);
    snprintf(args, sizeof args, "plan fixtures/alto-server/problem.json --alto %s -o %s", server_uri, plan);
    CU_ASSERT_EQUAL(cli(args), 0);
    server_stop();
    /* the server fails: exit 3, the earlier plan stays */
    CU_ASSERT_EQUAL_FATAL(server_start("status500"), 0);
    CU_ASSERT_EQUAL(cli(args), 3);
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 2"));
    free(s);
    server_stop();
}

static void test_credentials(void)
{
    const char *d = tmpdir();
    char *f;
    ap_alto_opts o;
    ap_error e;
    double c = NAN;
    ap_alto_opts_init(&o);
    o.retries = 0;
    CU_ASSERT_EQUAL_FATAL(server_start("auth"), 0);
    unsetenv("ALTOPLACE_ALTO_AUTH");
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, NULL), -1);
    ASSERT_ERR_HAS(e, "HTTP 401");
    /* from the environment */
    setenv("ALTOPLACE_ALTO_AUTH", "bearer s3cret", 1);
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, &c), 0);
    CU_ASSERT_DOUBLE_EQUAL(c, 3, 0);
    /* from a file; a malformed one is an error that does not show the secret */
    f = write_file(d, "auth", "Bearer s3cret\n");
    o.auth_file = f;
    unsetenv("ALTOPLACE_ALTO_AUTH");
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, &c), 0);
    f = write_file(d, "auth2", "token s3cret\n");
    o.auth_file = f;
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, NULL), -1);
    CU_ASSERT_EQUAL(e.code, AP_EINVAL);
    CU_ASSERT_PTR_NULL(strstr(e.text, "s3cret"));
    CU_ASSERT_PTR_NULL(strstr(e.source, "s3cret"));
    server_stop();
}

static char withheld[512];
static void catch_withheld(void *ud, ap_log_level lvl, const char *msg)
{
    (void)ud;
    if (lvl == AP_LOG_WARN && strstr(msg, "credentials not sent"))
        snprintf(withheld, sizeof withheld, "%s", msg);
}

/* The directory at 127.0.0.1 names its maps at localhost (same server,
 * another origin): the credentials stay with the directory's origin, the
 * maps are then refused with 401, and a warning says why; allowing every
 * origin sends them. */
static void test_auth_origin(void)
{
    ap_alto_opts o;
    ap_error e;
    double c = NAN;
    ap_alto_opts_init(&o);
    o.retries = 0;
    o.log = catch_withheld;
    withheld[0] = '\0';
    CU_ASSERT_EQUAL_FATAL(server_start("auth-other"), 0);
    setenv("ALTOPLACE_ALTO_AUTH", "bearer s3cret", 1);
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, NULL), -1);
    ASSERT_ERR_HAS(e, "HTTP 401");
    CU_ASSERT_PTR_NOT_NULL(strstr(e.source, "http://localhost:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(withheld, "credentials not sent to http://localhost:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(withheld, "origin http://127.0.0.1:"));
    CU_ASSERT_PTR_NULL(strstr(withheld, "s3cret"));
    o.auth_any_origin = 1;
    withheld[0] = '\0';
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, &c), 0);
    CU_ASSERT_DOUBLE_EQUAL(c, 3, 0);
    CU_ASSERT_EQUAL(withheld[0], '\0');
    unsetenv("ALTOPLACE_ALTO_AUTH");
    server_stop();
}

static void test_cache_and_stale(void)
{
    const char *d = tmpdir();
    ap_alto_opts o;
    ap_error e;
    double c = NAN;
    ap_alto *a;
    ap_netmap *nm;
    ap_alto_opts_init(&o);
    o.retries = 0;
    o.cache_dir = d;
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, &c), 0);     /* fills the cache */
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, &c), 0);     /* revalidated: 304 */
    CU_ASSERT_DOUBLE_EQUAL(c, 3, 0);
    server_stop();
    /* the server is gone: an error, unless stale data is allowed */
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, NULL), -1);
    CU_ASSERT_EQUAL(e.code, AP_ENET);
    o.allow_stale = 1;
    ap_error_clear(&e);
    a = ap_alto_open(server_uri, &o, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    nm = ap_alto_netmap(a, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL(nm);
    CU_ASSERT(ap_alto_last_age(a) >= 0);
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, &c), 0);
    CU_ASSERT_DOUBLE_EQUAL(c, 3, 0);
    ap_netmap_free(nm);
    ap_alto_free(a);
}

/* A password in the directory URI never reaches the cache: the meta files
 * record the URI without user:password@, and cache files are 0600. */
static void test_cache_no_secrets(void)
{
    const char *d = tmpdir();
    char uri[300];
    ap_alto_opts o;
    ap_error e;
    ap_alto *a;
    ap_netmap *nm;
    DIR *dir;
    struct dirent *de;
    int files = 0;
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    snprintf(uri, sizeof uri, "http://alice:s3cr3tpw@%s", server_uri + 7);
    ap_alto_opts_init(&o);
    o.retries = 0;
    o.cache_dir = d;
    ap_error_clear(&e);
    a = ap_alto_open(uri, &o, &e);
    if (!a)
        fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    nm = ap_alto_netmap(a, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL(nm);
    ap_netmap_free(nm);
    ap_alto_free(a);
    server_stop();
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir = opendir(d));
    while ((de = readdir(dir))) {
        char path[700], *s;
        struct stat st;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", d, de->d_name);
        s = slurp(path, NULL);
        CU_ASSERT_PTR_NOT_NULL(s);
        CU_ASSERT(s && !strstr(s, "s3cr3tpw") && !strstr(s, "alice"));
        if (strstr(de->d_name, ".meta"))
            CU_ASSERT(s && strstr(s, "\"uri\": \"http://127.0.0.1:") != NULL);
        CU_ASSERT(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
        free(s);
        files++;
    }
    closedir(dir);
    CU_ASSERT(files >= 2); /* the directory and the network map, body + meta each */
}

/* ap__redact: the password (or userinfo without one) of every URI in a
 * text becomes ***; nothing else changes. */
static void test_redact(void)
{
    static const char *const cases[][2] = {
        {"http://alice:pw@h/x", "http://alice:***@h/x"},
        {"https://tok@h:8080/d?q=a@b", "https://***@h:8080/d?q=a@b"},
        {"GET http://a:b@h/1 then ftp://c:d@g/2.", "GET http://a:***@h/1 then ftp://c:***@g/2."},
        {"http://h/path@x", "http://h/path@x"},
        {"no uri: a@b:c", "no uri: a@b:c"},
        {"http://u:p:q@h", "http://u:***@h"},
        {"x://", "x://"},
        {"", ""},
    };
    char out[64], tiny[6];
    size_t k;
    for (k = 0; k < sizeof cases / sizeof *cases; k++) {
        CU_ASSERT_STRING_EQUAL(ap__redact(cases[k][0], out, sizeof out), cases[k][1]);
    }
    /* truncation keeps the string terminated and never shows the secret */
    CU_ASSERT_STRING_EQUAL(ap__redact("http://u:secret@h", tiny, sizeof tiny), "http:");
    {
        char *d = ap__redact_dup("http://u:secret@h");
        CU_ASSERT(d && !strcmp(d, "http://u:***@h"));
        free(d);
        /* growth: many short userinfos, none cut */
        d = ap__redact_dup("a://u@h b://v@h c://:@h d://w:@h");
        CU_ASSERT(d && !strcmp(d, "a://***@h b://***@h c://:***@h d://w:***@h"));
        free(d);
    }
}

/* ap__secret_dup: the copy sits in a mapping that core dumps leave out
 * (VmFlags "dd" in /proc/self/smaps) and is zeroed when freed */
static void test_secret_memory(void)
{
    char *t = ap__secret_dup("bearer-t0ken"), line[512];
    unsigned long lo, hi, at = (unsigned long)(uintptr_t)t;
    int in = 0, dd = 0;
    FILE *f = fopen("/proc/self/smaps", "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_STRING_EQUAL(t, "bearer-t0ken");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
            in = at >= lo && at < hi;
        else if (in && !strncmp(line, "VmFlags:", 8))
            dd = strstr(line, " dd") != NULL;
    }
    fclose(f);
    CU_ASSERT(dd);
    ap__secret_free(t);
    ap__secret_free(NULL);
}

static int file_has(const char *path, const char *needle)
{
    char *s = slurp(path, NULL);
    int r = s && strstr(s, needle) != NULL;
    free(s);
    return r;
}

/* A password in the --alto URI shows nowhere: not in ps (/proc/PID/cmdline
 * while the tool runs), not in -v logs, errors, the plan or the cache, whose
 * folder only the user can read. */
static void test_secrets(void)
{
    const char *d = tmpdir(), *bin = getenv("AP_BIN");
    char cmd[4000], uri[300], path[700];
    DIR *dir;
    struct dirent *de;
    struct stat st;
    CU_ASSERT_EQUAL_FATAL(server_start("slow"), 0);
    snprintf(uri, sizeof uri, "http://alice:pw5ecret@%s", server_uri + 7);
    snprintf(cmd, sizeof cmd,
             "{ %s plan fixtures/alto-server/problem.json --alto %s -v --alto-cache %s/cache -o %s/plan.json "
             "2>%s/err.txt & p=$!; sleep 1; tr '\\000' ' ' </proc/$p/cmdline >%s/cmdline.txt; wait $p; }",
             bin ? bin : "../build/altoplace", uri, d, d, d, d);
    CU_ASSERT_EQUAL(run_shell(cmd), 0);
    snprintf(path, sizeof path, "%s/cmdline.txt", d);
    CU_ASSERT(file_has(path, "--alto http://alice:********@127.0.0.1:"));
    CU_ASSERT(!file_has(path, "pw5ecret"));
    /* a bare user@ (a token) is hidden whole, in the --alto=URI form too */
    snprintf(cmd, sizeof cmd,
             "{ %s plan fixtures/alto-server/problem.json --alto=http://tok3n@%s -q -o %s/plan2.json "
             "& p=$!; sleep 1; tr '\\000' ' ' </proc/$p/cmdline >%s/cmdline2.txt; wait $p; }",
             bin ? bin : "../build/altoplace", server_uri + 7, d, d);
    CU_ASSERT_EQUAL(run_shell(cmd), 0);
    snprintf(path, sizeof path, "%s/cmdline2.txt", d);
    CU_ASSERT(file_has(path, "--alto=http://*****@127.0.0.1:"));
    CU_ASSERT(!file_has(path, "tok3n"));
    snprintf(path, sizeof path, "%s/err.txt", d);
    CU_ASSERT(file_has(path, "GET http://alice:***@127.0.0.1:")); /* -v logs the requests */
    CU_ASSERT(file_has(path, "/directory: HTTP 200, "));
    CU_ASSERT(!file_has(path, "pw5ecret"));
    snprintf(path, sizeof path, "%s/plan.json", d);
    CU_ASSERT(file_has(path, "\"source\""));
    CU_ASSERT(!file_has(path, "pw5ecret"));
    snprintf(path, sizeof path, "%s/cache", d);
    CU_ASSERT(stat(path, &st) == 0 && (st.st_mode & 0777) == 0700);
    if ((dir = opendir(path))) {
        int files = 0;
        while ((de = readdir(dir))) {
            char f[1000];
            if (de->d_name[0] == '.')
                continue;
            snprintf(f, sizeof f, "%s/%s", path, de->d_name);
            CU_ASSERT(!file_has(f, "pw5ecret"));
            files++;
        }
        closedir(dir);
        CU_ASSERT(files >= 2);
    }
    server_stop();
    /* errors: a 404 and a refused connection name the URL without the password */
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    snprintf(cmd, sizeof cmd, "plan fixtures/alto-server/problem.json --alto http://alice:pw5ecret@%s/nope -v",
             server_uri + 7);
    CU_ASSERT_EQUAL(cli(cmd), 3);
    ASSERT_OUT_HAS("alice:***@127.0.0.1");
    CU_ASSERT(!strstr(out_buf, "pw5ecret"));
    server_stop();
    CU_ASSERT_EQUAL(cli("plan fixtures/alto-server/problem.json --alto http://alice:pw5ecret@127.0.0.1:1/x --error-format json"), 3);
    ASSERT_OUT_HAS("alice:***@127.0.0.1:1");
    CU_ASSERT(!strstr(out_buf, "pw5ecret"));
    CU_ASSERT_EQUAL(cli("plan fixtures/alto-server/problem.json --alto http://tok3n@127.0.0.1:1/x"), 3);
    ASSERT_OUT_HAS("http://***@127.0.0.1:1");
    CU_ASSERT(!strstr(out_buf, "tok3n"));
}

static void test_plan_stale(void)
{
    const char *d = tmpdir();
    char args[2000], plan[600], cache[600];
    char *s;
    snprintf(plan, sizeof plan, "%s/plan.json", d);
    snprintf(cache, sizeof cache, "%s/cache", d);
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    snprintf(args, sizeof args, "plan fixtures/alto-server/problem.json --alto %s --alto-cache %s -o %s",
             server_uri, cache, plan);
    CU_ASSERT_EQUAL(cli(args), 0);
    server_stop();
    /* server down: fails (3) without --allow-stale, plans on the cache with it */
    CU_ASSERT_EQUAL(cli(args), 3);
    snprintf(args, sizeof args, "plan fixtures/alto-server/problem.json --alto %s --alto-cache %s "
             "--allow-stale -o %s", server_uri, cache, plan);
    CU_ASSERT_EQUAL(cli(args), 0);
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"stale\": true"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"age-seconds\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 2"));
    free(s);
}

static int warnings;
static void count_warn(void *ud, ap_log_level lvl, const char *msg)
{
    (void)ud;
    if (lvl == AP_LOG_WARN && strstr(msg, "lenient"))
        warnings++;
}

static void test_compat(void)
{
    ap_alto_opts o;
    ap_error e;
    ap_alto *a;
    ap_netmap *nm;
    ap_costmap *cm;
    ap_alto_opts_init(&o);
    o.retries = 0;
    /* a Python-literal body under application/json: a specific error by default */
    CU_ASSERT_EQUAL_FATAL(server_start("python"), 0);
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, NULL), -1);
    ASSERT_ERR_HAS(e, "JSON string (a Python-literal dict?)");
    ASSERT_ERR_HAS(e, "--alto-compat lenient");
    /* lenient: decoded, with one warning per kind of deviation */
    o.compat = 1;
    o.log = count_warn;
    warnings = 0;
    a = ap_alto_open(server_uri, &o, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    nm = ap_alto_netmap(a, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    cm = ap_alto_costmap(a, nm, "hopcount", NULL, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL(cm);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 0, 3), 3, 0);
    CU_ASSERT_EQUAL(warnings, 2); /* Python literal, media type: once each */
    ap_costmap_free(cm);
    /* a cost map with a PID the network map lacks: kept as a prefix-less PID */
    cm = ap_alto_costmap(a, nm, "routingcost", NULL, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_EQUAL(ap_netmap_count(nm), 5);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, (size_t)ap_netmap_find(nm, "E"), 0), 1, 0);
    CU_ASSERT_EQUAL(warnings, 3);
    ap_costmap_free(cm);
    ap_netmap_free(nm);
    ap_alto_free(a);
    server_stop();
    /* the same cost map from a conforming server is an error by default */
    o.compat = 0;
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    a = ap_alto_open(server_uri, &o, &e);
    nm = a ? ap_alto_netmap(a, NULL, &e) : NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_costmap(a, nm, "routingcost", NULL, NULL, &e));
    ASSERT_ERR_HAS(e, "cost-map.A.E: PID not in network map");
    ap_netmap_free(nm);
    ap_alto_free(a);
    server_stop();
    /* a vtag that changes on every request without content change */
    CU_ASSERT_EQUAL_FATAL(server_start("churn"), 0);
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, NULL), -1);
    CU_ASSERT_EQUAL(e.code, AP_EVTAG);
    o.compat = 1;
    warnings = 0;
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, NULL), 0);
    CU_ASSERT_EQUAL(warnings, 1);
    /* both deviations at once: the vtag churns and the cost map names a PID
     * (E) the network map lacks; the fresh copy is compared modulo the PIDs
     * lenient mode added (it failed on the PID count) */
    {
        int round, ok = 0;
        for (round = 0; round < 5; round++) {
            ap_alto *b = ap_alto_open(server_uri, &o, &e);
            ap_netmap *m = b ? ap_alto_netmap(b, NULL, &e) : NULL;
            ap_costmap *xm;
            ap_error_clear(&e);
            xm = m ? ap_alto_costmap(b, m, "routingcost", NULL, NULL, &e) : NULL;
            if (!xm)
                fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
            ok += xm != NULL && ap_netmap_count(m) == 5;
            ap_costmap_free(xm);
            ap_netmap_free(m);
            ap_alto_free(b);
        }
        CU_ASSERT_EQUAL(ok, 5);
    }
    server_stop();
    /* a network map with more PIDs than the client accepts (each cost map
     * would be PIDs x PIDs doubles) */
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    o.max_pids = 3;
    a = ap_alto_open(server_uri, &o, &e);
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(a ? ap_alto_netmap(a, NULL, &e) : NULL);
    ASSERT_ERR_HAS(e, "4 PIDs, more than the limit of 3");
    ap_alto_free(a);
    o.max_pids = 10000;
    server_stop();
    /* the directory claims an ordinal map, the server sends a numerical one;
     * a cost map listing two cost types (RFC 7285 allows one) */
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    o.compat = 0;
    a = ap_alto_open(server_uri, &o, &e);
    nm = a ? ap_alto_netmap(a, NULL, &e) : NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_costmap(a, nm, "hopcount", "ordinal", NULL, &e));
    ASSERT_ERR_HAS(e, "sent a cost map of metric hopcount and mode numerical, but hopcount, mode ordinal was asked");
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_costmap(a, nm, NULL, NULL, "two-types-map", &e));
    ASSERT_ERR_HAS(e, "lists 2 cost-type-names; RFC 7285 allows exactly one");
    ap_netmap_free(nm);
    ap_alto_free(a);
    o.compat = 1;
    warnings = 0;
    a = ap_alto_open(server_uri, &o, &e);
    nm = a ? ap_alto_netmap(a, NULL, &e) : NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    cm = ap_alto_costmap(a, nm, NULL, NULL, "two-types-map", &e);
    CU_ASSERT_PTR_NOT_NULL(cm);
    CU_ASSERT_EQUAL(warnings, 1);
    ap_costmap_free(cm);
    ap_netmap_free(nm);
    ap_alto_free(a);
    server_stop();
}

static void test_tls(void)
{
    /* a self-signed certificate for 127.0.0.1: rejected by default, accepted
     * with it as the CA bundle */
    const char *d = tmpdir();
    static char cert[600], key[600];
    char cmd[2000];
    ap_alto_opts o;
    ap_error e;
    double c = NAN;
    snprintf(cert, sizeof cert, "%s/cert.pem", d);
    snprintf(key, sizeof key, "%s/key.pem", d);
    snprintf(cmd, sizeof cmd, "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
             "-addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s >/dev/null 2>&1", key, cert);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    tls_cert = cert;
    tls_key = key;
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    tls_cert = tls_key = NULL;
    CU_ASSERT_PTR_NOT_NULL(strstr(server_uri, "https://"));
    ap_alto_opts_init(&o);
    o.retries = 0;
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, NULL), -1);
    CU_ASSERT_EQUAL(e.code, AP_ENET);
    ASSERT_ERR_HAS(e, "certificate");
    ASSERT_ERR_HAS(e, "self-signed"); /* curl's reason, as the curl tool says it */
    o.cacert = cert;
    CU_ASSERT_EQUAL(fetch_maps(&o, &e, &c), 0);
    CU_ASSERT_DOUBLE_EQUAL(c, 3, 0);
    server_stop();
}

/* ---------------------------------------------------- POST services, SSE */

static void test_filtered_costmap(void)
{
    ap_netmap *nm = NULL;
    ap_alto *a = open_post("ok", &nm);
    ap_costmap *cm;
    ap_error e;
    const char *srcs[] = {"A", "B"}, *dsts[] = {"C", "D"}, *le[] = {"le 2500"}, *bad[] = {"about 3"};
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    /* only the pairs asked for */
    ap_error_clear(&e);
    cm = ap_alto_costmap_filtered(a, nm, "delay-ow", NULL, srcs, 2, dsts, 2, NULL, 0, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 0, 3), 4000, 0);  /* A -> D */
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 1, 2), 1500, 0);  /* B -> C */
    CU_ASSERT(isnan(ap_costmap_get(cm, 2, 3)));                 /* C was not asked for */
    CU_ASSERT(isnan(ap_costmap_get(cm, 0, 1)));
    ap_costmap_free(cm);
    /* with a constraint (RFC 7285 11.3.2.3) */
    cm = ap_alto_costmap_filtered(a, nm, "delay-ow", NULL, srcs, 2, dsts, 2, le, 1, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 0, 2), 2500, 0);
    CU_ASSERT(isnan(ap_costmap_get(cm, 0, 3)));                 /* 4000 > 2500 */
    ap_costmap_free(cm);
    /* a constraint the server rejects: the ALTO error names the field */
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_costmap_filtered(a, nm, "delay-ow", NULL, NULL, 0, NULL, 0, bad, 1, NULL, &e));
    CU_ASSERT_EQUAL(e.code, AP_ENET);
    ASSERT_ERR_HAS(e, "E_INVALID_FIELD_VALUE");
    ASSERT_ERR_HAS(e, "field constraints");
    /* no full delay map in this directory: the plain call uses the filtered one */
    ap_error_clear(&e);
    cm = ap_alto_costmap(a, nm, "delay-ow", NULL, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, 3, 0), 4000, 0);
    ap_costmap_free(cm);
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_costmap_filtered(a, nm, "lossrate", NULL, NULL, 0, NULL, 0, NULL, 0, NULL, &e));
    ASSERT_ERR_HAS(e, "no filtered cost map with metric lossrate");
    ap_netmap_free(nm);
    ap_alto_free(a);
    /* cost-source (RFC 9439): the directory's delay is an estimation */
    {
        ap_alto_opts o;
        ap_alto *b;
        ap_netmap *nm2;
        ap_alto_opts_init(&o);
        o.retries = 0;
        o.cost_source = "sla";
        ap_error_clear(&e);
        b = ap_alto_open(server_uri, &o, &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b);
        nm2 = ap_alto_netmap(b, NULL, &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL(nm2);
        CU_ASSERT_PTR_NULL(ap_alto_costmap(b, nm2, "delay-ow", NULL, NULL, &e));
        ASSERT_ERR_HAS(e, "and cost-source sla");
        ap_alto_free(b);
        o.cost_source = "estimation";
        ap_error_clear(&e);
        b = ap_alto_open(server_uri, &o, &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b);
        cm = ap_alto_costmap(b, nm2, "delay-ow", NULL, NULL, &e);
        CU_ASSERT_PTR_NOT_NULL(cm);
        ap_costmap_free(cm);
        /* hop count has no cost-context: it counts as an estimation */
        cm = ap_alto_costmap(b, nm2, "hopcount", NULL, NULL, &e);
        CU_ASSERT_PTR_NOT_NULL(cm);
        ap_costmap_free(cm);
        ap_netmap_free(nm2);
        ap_alto_free(b);
    }
    server_stop();
}

static void test_filtered_net_and_prop_maps(void)
{
    ap_netmap *nm = NULL, *fnm;
    ap_alto *a = open_post("ok", &nm);
    ap_propmap *pm;
    ap_error e;
    const char *two[] = {"B", "C"}, *ends[] = {"A", "D"}, *cap[] = {"capacity"};
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    ap_error_clear(&e);
    fnm = ap_alto_netmap_filtered(a, two, 2, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(fnm);
    CU_ASSERT_EQUAL(ap_netmap_count(fnm), 2);
    CU_ASSERT_EQUAL(ap_netmap_lookup(fnm, "10.0.1.5", &e), ap_netmap_find(fnm, "B"));
    CU_ASSERT(ap_netmap_lookup(fnm, "10.0.0.5", &e) < 0); /* A was not asked for */
    ap_netmap_free(fnm);
    ap_error_clear(&e);
    pm = ap_alto_propmap_filtered(a, nm, ends, 2, cap, 1, NULL, &e);
    if (!pm)
        fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    CU_ASSERT_DOUBLE_EQUAL(ap_propmap_get(pm, 0, "capacity"), 10, 0);
    CU_ASSERT_DOUBLE_EQUAL(ap_propmap_get(pm, 3, "capacity"), 10, 0);
    CU_ASSERT(isnan(ap_propmap_get(pm, 1, "capacity")));  /* B not asked for */
    CU_ASSERT(isnan(ap_propmap_get(pm, 0, "opening-cost"))); /* property not asked for */
    ap_propmap_free(pm);
    /* all PIDs, every property the resource announces */
    pm = ap_alto_propmap_filtered(a, nm, NULL, 0, NULL, 0, NULL, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
    CU_ASSERT_DOUBLE_EQUAL(ap_propmap_get(pm, 2, "opening-cost"), 5, 0);
    ap_propmap_free(pm);
    ap_netmap_free(nm);
    ap_alto_free(a);
    server_stop();
}

/* A problem file with two metrics: one multi-cost request, weighted sum. */
static void test_problem_multicost(void)
{
    const char *d = tmpdir();
    char args[1600], plan[600];
    char *s;
    ap_alto *a = open_post("ok", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ap_alto_free(a);
    snprintf(plan, sizeof plan, "%s/plan.json", d);
    snprintf(args, sizeof args, "plan fixtures/alto-post/problem-multi.json --alto %s -o %s", server_uri, plan);
    CU_ASSERT_EQUAL(cli(args), 0);
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    /* site B: 2*(1000+1000) + 0 + (1500+1000) + (3000+2000) */
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 11500"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "delay-ow + 1000*hopcount"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "/costmap/filtered"));
    CU_ASSERT_PTR_NULL(strstr(s, "/costmap/hop")); /* one request, not a second map */
    free(s);
    server_stop();
    /* a list of metrics with local files is refused with a hint */
    {
        const char *ln = line_network();
        char *pf = write_file(ln, "pl.json", "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"},"
                                             "\"cost-metric\":[\"hopcount\",\"delay-ow\"],\"demand\":\"demand.json\","
                                             "\"model\":{\"type\":\"p-median\",\"k\":1}}");
        ap_error e;
        ap_problem *p;
        ap_error_clear(&e);
        p = ap_problem_load(pf, &e);
        CU_ASSERT_PTR_NULL(p);
        ASSERT_ERR_HAS(e, "a list of metrics is read from an ALTO server");
        ap_problem_free(p);
    }
}

/* A problem whose metric the server offers only as a filtered cost map asks
 * for the candidate sites x the PIDs with demand, not the whole map. */
static void test_problem_filtered_pairs(void)
{
    const char *d = tmpdir();
    char args[1600], plan[600], logf[600];
    char *s;
    ap_alto *a;
    snprintf(logf, sizeof logf, "%s/post.log", d);
    setenv("ALTO_TEST_POST_LOG", logf, 1);
    a = open_post("ok", NULL);
    unsetenv("ALTO_TEST_POST_LOG");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ap_alto_free(a);
    snprintf(plan, sizeof plan, "%s/plan.json", d);
    snprintf(args, sizeof args, "plan fixtures/alto-post/problem-delay.json --alto %s -o %s", server_uri, plan);
    CU_ASSERT_EQUAL(cli(args), 0);
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 3500")); /* B: 2*1000 + 1500 */
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "/costmap/filtered"));
    free(s);
    s = slurp(logf, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"pids\":{\"srcs\":[\"B\",\"C\"],\"dsts\":[\"A\",\"C\"]}"));
    free(s);
    server_stop();
}

/* Resource ids of the problem file count with --alto when the directory
 * has them (a file name does not); flags override; a property map offered
 * only as a filtered one (RFC 9240) is asked for by POST. */
static void test_problem_resource_ids(void)
{
    const char *d = tmpdir();
    char args[2000], plan[600];
    char *s;
    ap_alto *a = open_post("ok", NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    ap_alto_free(a);
    snprintf(plan, sizeof plan, "%s/plan.json", d);
    /* the directory's ids named in the file count with --alto; the
     * capacities come from the filtered property map, which the plan names */
    write_file(d, "cfl.json", "{\"alto\":{\"ird\":\"http://127.0.0.1:1/directory\",\"network-map\":\"line-network-map\","
                              "\"property-map\":\"filtered-site-properties\"},\"cost-metric\":\"hopcount\","
                              "\"demand\":{\"A\":2,\"B\":1,\"C\":1,\"D\":1},"
                              "\"model\":{\"type\":\"capacitated-facility-location\"}}");
    snprintf(args, sizeof args, "plan %s/cfl.json --alto %s -o %s -q", d, server_uri, plan);
    CU_ASSERT_EQUAL(cli(args), 0);
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "/propmap/filtered"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"capacity\": 10"));
    free(s);
    /* a file name in alto.network-map is not a resource id: ignored with --alto */
    write_file(d, "files.json", "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"},"
                                "\"cost-metric\":\"hopcount\",\"demand\":{\"A\":2,\"B\":1,\"C\":1,\"D\":1},"
                                "\"model\":{\"type\":\"p-median\",\"k\":1}}");
    snprintf(args, sizeof args, "plan %s/files.json --alto %s -o %s -q", d, server_uri, plan);
    CU_ASSERT_EQUAL(cli(args), 0);
    /* a flag names a resource that is not there: said */
    snprintf(args, sizeof args, "plan %s/files.json --alto %s --network-map nosuch -o %s -q", d, server_uri, plan);
    CU_ASSERT_EQUAL(cli(args), 2);
    ASSERT_OUT_HAS("no network map resource nosuch");
    server_stop();
}

static void test_multicost_and_ecs(void)
{
    ap_netmap *nm = NULL;
    ap_alto *a = open_post("ok", &nm);
    ap_costmap *two[3];
    ap_error e;
    const char *metrics[] = {"delay-ow", "hopcount"}, *three[] = {"delay-ow", "hopcount", "routingcost"};
    const char *srcs[] = {"10.0.0.7", "ipv4:10.0.2.1"}, *dsts[] = {"10.0.3.1", "10.0.1.9", "192.0.2.1"};
    double c[6];
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    ap_error_clear(&e);
    CU_ASSERT_EQUAL_FATAL(ap_alto_costmaps_multi(a, nm, metrics, 2, NULL, two, &e), 0);
    CU_ASSERT_STRING_EQUAL(ap_costmap_metric(two[0]), "delay-ow");
    CU_ASSERT_STRING_EQUAL(ap_costmap_metric(two[1]), "hopcount");
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(two[0], 0, 3), 4000, 0);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(two[1], 0, 3), 3, 0);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(two[1], 2, 1), 1, 0);
    ap_costmap_free(two[0]);
    ap_costmap_free(two[1]);
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_alto_costmaps_multi(a, nm, three, 3, NULL, two, &e), -1);
    ASSERT_ERR_HAS(e, "max-cost-types >= 3");
    /* endpoint costs: addresses, plain or typed; unknown ones have none */
    ap_error_clear(&e);
    CU_ASSERT_EQUAL_FATAL(ap_alto_endpoint_costs(a, "hopcount", NULL, srcs, 2, dsts, 3, c, &e), 0);
    CU_ASSERT_DOUBLE_EQUAL(c[0], 3, 0); /* A -> D */
    CU_ASSERT_DOUBLE_EQUAL(c[1], 1, 0); /* A -> B */
    CU_ASSERT(isnan(c[2]));             /* 192.0.2.1 is in no PID */
    CU_ASSERT_DOUBLE_EQUAL(c[3], 1, 0); /* C -> D */
    CU_ASSERT_DOUBLE_EQUAL(c[4], 1, 0); /* C -> B */
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_alto_endpoint_costs(a, "delay-ow", NULL, dsts + 2, 1, dsts, 1, c, &e), -1);
    ASSERT_ERR_HAS(e, "E_INVALID_FIELD_VALUE");
    ap_netmap_free(nm);
    ap_alto_free(a);
    server_stop();
}

static void test_client_certificates(void)
{
    /* a CA, a client certificate it signed, and a server that requires one */
    const char *d = tmpdir();
    static char cert[600], key[600], ca[600], cakey[600], ccert[600], ckey[600], csr[600];
    char cmd[8192];
    ap_alto_opts o;
    ap_error e;
    ap_alto *a;
    snprintf(cert, sizeof cert, "%s/cert.pem", d);
    snprintf(key, sizeof key, "%s/key.pem", d);
    snprintf(ca, sizeof ca, "%s/ca.pem", d);
    snprintf(cakey, sizeof cakey, "%s/cakey.pem", d);
    snprintf(ccert, sizeof ccert, "%s/client.pem", d);
    snprintf(ckey, sizeof ckey, "%s/clientkey.pem", d);
    snprintf(csr, sizeof csr, "%s/client.csr", d);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
             "-addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s >/dev/null 2>&1 && "
             "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-client-ca "
             "-keyout %s -out %s >/dev/null 2>&1 && "
             "openssl req -newkey rsa:2048 -nodes -subj /CN=altoplace-client -keyout %s -out %s >/dev/null 2>&1 && "
             "openssl x509 -req -in %s -CA %s -CAkey %s -CAcreateserial -days 2 -out %s >/dev/null 2>&1",
             key, cert, cakey, ca, ckey, csr, csr, ca, cakey, ccert);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    tls_cert = cert;
    tls_key = key;
    tls_client_ca = ca;
    CU_ASSERT_EQUAL_FATAL(server_start("ok"), 0);
    tls_cert = tls_key = tls_client_ca = NULL;
    ap_alto_opts_init(&o);
    o.retries = 0;
    o.cacert = cert;
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_open(server_uri, &o, &e));
    CU_ASSERT_EQUAL(e.code, AP_ENET);
    ASSERT_ERR_HAS(e, "client certificate");
    /* a certificate the server's CA did not sign is refused too */
    o.client_cert = cert;
    o.client_key = key;
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_open(server_uri, &o, &e));
    CU_ASSERT_EQUAL(e.code, AP_ENET);
    o.client_cert = ccert;
    o.client_key = ckey;
    ap_error_clear(&e);
    a = ap_alto_open(server_uri, &o, &e);
    if (!a)
        fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
    CU_ASSERT_PTR_NOT_NULL(a);
    ap_alto_free(a);
    /* a missing key file is named */
    o.client_key = "no/such/key.pem";
    ap_error_clear(&e);
    CU_ASSERT_PTR_NULL(ap_alto_open(server_uri, &o, &e));
    CU_ASSERT_EQUAL(e.code, AP_EIO);
    CU_ASSERT_STRING_EQUAL(e.source, "no/such/key.pem");
    server_stop();
}

/* altoplace watch --sse re-plans when the stream's patch makes site B
 * expensive: the first plan opens B, a later one moves away from it. */
void suite_alto(void)
{
    CU_pSuite s = CU_add_suite("alto", NULL, NULL);
    CU_add_test(s, "directory, network map, cost map by metric; stale vtag", test_ok);
    CU_add_test(s, "5xx, ALTO error, media type, timeout, truncation, size cap", test_faults);
    CU_add_test(s, "503 + Retry-After is retried, within the retry budget", test_retry_after);
    CU_add_test(s, "no server, non-http URIs", test_no_server);
    CU_add_test(s, "plan --alto from the server; failure keeps the old plan", test_plan_from_server);
    CU_add_test(s, "bearer credentials from the environment or a file", test_credentials);
    CU_add_test(s, "credentials only to the directory's origin unless allowed", test_auth_origin);
    CU_add_test(s, "ETag revalidation; last-known-good copy when allowed", test_cache_and_stale);
    CU_add_test(s, "no password from the URI in the cache; cache files 0600", test_cache_no_secrets);
    CU_add_test(s, "gzip decoded; a half body is a syntax error", test_gzip_and_short);
    CU_add_test(s, "hostile JSON and a short Content-Length from a server", test_hostile_json);
    CU_add_test(s, "secrets in memory that core dumps leave out", test_secret_memory);
    CU_add_test(s, "relative resource URIs, delegated directory too; no password in the plan", test_relative_uris);
    CU_add_test(s, "redaction of passwords in URIs", test_redact);
    CU_add_test(s, "no password in ps, logs, errors, plan or cache; cache folder 0700", test_secrets);
    CU_add_test(s, "plan --allow-stale records stale maps and their age", test_plan_stale);
    CU_add_test(s, "non-conforming servers: errors by default, --alto-compat lenient", test_compat);
    CU_add_test(s, "https: certificates verified; --cacert-style CA bundle", test_tls);
    CU_add_test(s, "https: client certificates", test_client_certificates);
    CU_add_test(s, "filtered cost map (POST), constraints, fallback", test_filtered_costmap);
    CU_add_test(s, "filtered network and property maps (POST)", test_filtered_net_and_prop_maps);
    CU_add_test(s, "multi-cost (RFC 8189) and endpoint cost service", test_multicost_and_ecs);
    CU_add_test(s, "problem file with two metrics: one multi-cost request", test_problem_multicost);
    CU_add_test(s, "problem file: only the pairs it uses from a filtered cost map", test_problem_filtered_pairs);
    CU_add_test(s, "resource ids with --alto; a filtered property map by POST", test_problem_resource_ids);
}
