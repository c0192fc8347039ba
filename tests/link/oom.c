/* oom.c - allocation failures, the SQLite way: this program replaces
 * malloc, calloc, realloc and free (forwarding to glibc's), makes the Nth
 * allocation fail for N = 1, 2, ... until a run needs fewer than N, and
 * checks every run of each entry point: it returns an out-of-memory error,
 * or, when the failure was absorbed (stdio reads unbuffered when it cannot
 * allocate a buffer), a result identical to the one without failures; no
 * crash, and no allocation is left behind.
 * Built and run by `make test` (not under ASan, which owns malloc).
 *   oom DIR   (DIR: tests/, for the fixtures) */
#define _GNU_SOURCE
#include "altoplace.h"
#include "../rmtree.h"
#include <errno.h>
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long countdown = -1; /* allocations left before the failure; -1: none */
static long live;           /* allocations not yet freed (while armed) */
static int armed, failed;

static int fail_now(void)
{
    if (!armed || countdown < 0)
        return 0;
    if (countdown-- == 0) {
        failed = 1;
        errno = ENOMEM; /* as glibc's malloc does */
        if (getenv("OOM_TRACE")) { /* where the failing allocation is */
            void *bt[16];
            int n = backtrace(bt, 16);
            armed = 0;
            backtrace_symbols_fd(bt, n, 2);
            armed = 1;
        }
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    void *p = fail_now() ? NULL : __libc_malloc(n);
    live += armed && p;
    return p;
}

void *calloc(size_t a, size_t b)
{
    void *p = fail_now() ? NULL : __libc_calloc(a, b);
    live += armed && p;
    return p;
}

void *realloc(void *q, size_t n)
{
    void *p;
    if (fail_now())
        return NULL;
    p = __libc_realloc(q, n);
    if (armed && p && !q)
        live++;
    if (armed && q && !p && n == 0)
        live--;
    return p;
}

void free(void *p)
{
    if (p && armed)
        live--;
    __libc_free(p);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    b = __libc_malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        __libc_free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        *len = (size_t)n;
    }
    return b;
}

static char *nm_text, *cm_text, *pm_text;
static size_t nm_len, cm_len, pm_len;
static const char *dir;

/* One run of an entry point: 0 when it succeeded (and freed what it made,
 * leaving a summary of its result in sig), 1 when it failed (err set). */
typedef int (*run_fn)(ap_error *e);
static char sig[8192];
static ap_problem *ref_problem;

static void sig_add(double x, const char *s)
{
    size_t n = strlen(sig);
    if (n < sizeof sig)
        snprintf(sig + n, sizeof sig - n, " %.17g %s", x, s ? s : "");
}

static int run_netmap(ap_error *e)
{
    ap_netmap *nm = ap_netmap_parse(nm_text, nm_len, "nm", e);
    size_t i;
    if (nm) {
        sig_add((double)ap_netmap_count(nm), ap_netmap_resource_id(nm));
        sig_add(0, ap_netmap_vtag(nm));
        for (i = 0; i < ap_netmap_count(nm); i++)
            sig_add((double)i, ap_netmap_pid(nm, i));
    }
    ap_netmap_free(nm);
    return nm ? 0 : 1;
}

/* The network map the cost map, property map and log runs read against:
 * their input, parsed once before any failure is armed. */
static ap_netmap *line_nm;

static int run_costmap(ap_error *e)
{
    ap_costmap *cm = ap_costmap_parse(cm_text, cm_len, "cm", line_nm, e);
    if (cm) {
        size_t i, j;
        for (i = 0; i < ap_netmap_count(line_nm); i++)
            for (j = 0; j < ap_netmap_count(line_nm); j++)
                sig_add(ap_costmap_get(cm, i, j), NULL);
    }
    ap_costmap_free(cm);
    return cm ? 0 : 1;
}

static int run_propmap(ap_error *e)
{
    ap_propmap *pm = ap_propmap_parse(pm_text, pm_len, "pm", line_nm, e);
    if (pm) {
        size_t i;
        for (i = 0; i < ap_netmap_count(line_nm); i++) {
            sig_add(ap_propmap_get(pm, i, "capacity"), NULL);
            sig_add(ap_propmap_get(pm, i, "opening-cost"), NULL);
        }
    }
    ap_propmap_free(pm);
    return pm ? 0 : 1;
}

static char problem_path[700], jsonl_path[700], clf_path[700];
static const char *log_now;

/* Request logs (JSON lines, then Common Log Format) per PID of the line
 * network. */
static int run_demand(ap_error *e)
{
    ap_demand *d = ap_demand_read(line_nm, &log_now, 1, NULL, e);
    if (d) {
        size_t i;
        for (i = 0; i < ap_netmap_count(line_nm); i++) {
            sig_add(ap_demand_total(d, i, 0), NULL);
            sig_add(ap_demand_total(d, i, 1), NULL);
        }
    }
    ap_demand_free(d);
    return d ? 0 : 1;
}
static const char *problem_now = problem_path; /* the problem the runs load */

static int run_problem(ap_error *e)
{
    ap_problem *p = ap_problem_load(problem_now, e);
    if (p) {
        int was = armed;
        size_t i;
        armed = 0;
        sig_add(ap_problem_difference(ref_problem, p), ap_problem_metric(p));
        sig_add((double)ap_problem_k(p), NULL);
        for (i = 0; i < ap_problem_nclients(p); i++)
            sig_add((double)i, ap_problem_client_name(p, i));
        armed = was;
    }
    ap_problem_free(p);
    return p ? 0 : 1;
}

/* ap_solve of ref_problem (loaded or built unarmed) with `solver`: its
 * objective, status, bound, solver line and sites. */
static int run_solve(ap_solver solver, ap_error *e)
{
    ap_plan *pl;
    ap_solve_opts o;
    int was = armed;
    ap_solve_opts_init(&o);
    o.solver = solver;
    pl = ap_solve(ref_problem, &o, e);
    if (pl) {
        size_t i;
        sig_add(ap_plan_objective(pl), ap_status_name(ap_plan_status(pl)));
        sig_add(ap_plan_bound(pl), ap_plan_solver(pl));
        for (i = 0; i < ap_plan_nsites(pl); i++)
            sig_add((double)ap_plan_site(pl, i), NULL);
    }
    ap_plan_free(pl);
    armed = 0;
    ap_thread_cleanup();
    armed = was;
    return pl ? 0 : 1;
}

/* The heuristic alone (GLPK aborts when it cannot allocate: not tested). */
static int run_greedy(ap_error *e)
{
    return run_solve(AP_SOLVER_GREEDY, e);
}

/* Facility location through ap_solve: the Lagrangian bound, then the
 * facility-location tree (solver/ufl.c); neither calls GLPK. */
static int run_ufl(ap_error *e)
{
    return run_solve(AP_SOLVER_AUTO, e);
}

/* Split-demand facility location through ap_solve: the Lagrangian bound,
 * then the tree of solver/cfl_tree.c (the reference run checks that the
 * tree proved the plan: GLPK, which aborts when it cannot allocate, is not
 * reached). */
static int run_cfl(ap_error *e)
{
    int r = run_solve(AP_SOLVER_AUTO, e);
    if (r == 0 && !armed && !strstr(sig, "cfl branch-and-bound")) {
        fprintf(stderr, "oom: cfl-tree: the plan was not proven by the tree: %s\n", sig);
        return 1;
    }
    return r;
}

/* The same problem as a p-median (k = 3, no opening costs): the
 * Lagrangian bound, then the tree of solver/ufl.c with k fixed (the
 * reference run checks that no GLPK model was reached). */
static int run_median(ap_error *e)
{
    int r = run_solve(AP_SOLVER_AUTO, e);
    if (r == 0 && !armed && !strstr(sig, "ufl-branch-and-bound") && !strstr(sig, "lagrangian bound")) {
        fprintf(stderr, "oom: median-tree: the plan was not proven by the tree: %s\n", sig);
        return 1;
    }
    return r;
}

/* A 24 x 24 facility-location problem with uniform random costs (the
 * Koerkel-Ghosh kind: the Lagrangian bound leaves a gap the tree closes). */
static ap_problem *ufl_problem(void)
{
    ap_problem *p = ap_problem_new(24, 24, NULL);
    unsigned long x = 12345;
    size_t i, j;
    char name[16];
    for (i = 0; i < 24 && p; i++) {
        snprintf(name, sizeof name, "c%zu", i);
        ap_problem_set_client_name(p, i, name, NULL);
        snprintf(name, sizeof name, "s%zu", i);
        ap_problem_set_site_name(p, i, name, NULL);
        ap_problem_set_demand(p, i, 1, NULL);
        for (j = 0; j < 24; j++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            ap_problem_set_cost(p, i, j, (double)(1000 + (x >> 33) % 1000), NULL);
        }
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        ap_problem_set_opening_cost(p, i, (double)(1000 + (x >> 33) % 1000), NULL);
    }
    return p;
}

/* The 24 x 24 problem with a capacity of 4 clients per site and split
 * demand: the heuristic's split-demand Lagrangian, its transportation
 * plans (solver/transport.c) and relocation descent, without GLPK. */
static ap_problem *cfl_problem(void)
{
    ap_problem *p = ufl_problem();
    size_t j;
    for (j = 0; p && j < 24; j++)
        ap_problem_set_capacity(p, j, 4, NULL);
    return p;
}

/* Every N (every stride-th; OOM_FULL=1 in the environment: every one)
 * until a run completes without reaching the failure. */
static int sweep(const char *name, run_fn fn, long stride)
{
    long n, bad = 0;
    char ref[sizeof sig];
    ap_error e0;
    ap_error_clear(&e0);
    sig[0] = '\0';
    if (fn(&e0) != 0) {
        fprintf(stderr, "oom: %s: fails without any allocation failure: %s\n", name, e0.text);
        return 1;
    }
    memcpy(ref, sig, sizeof ref);
    if (getenv("OOM_FULL"))
        stride = 1;
    for (n = 0;; n += stride) {
        ap_error e;
        int r;
        ap_error_clear(&e);
        sig[0] = '\0';
        live = 0;
        failed = 0;
        countdown = n;
        armed = 1;
        r = fn(&e);
        armed = 0;
        countdown = -1;
        if (live != 0) {
            fprintf(stderr, "oom: %s: allocation %ld failing leaves %ld allocation(s) behind\n", name, n + 1, live);
            bad++;
        }
        if (failed && r == 0 && strcmp(sig, ref)) {
            /* a failure absorbed is fine only when the result is the same */
            fprintf(stderr, "oom: %s: allocation %ld failed and the call succeeded with a different result\n",
                    name, n + 1);
            bad++;
        }
        if (failed && r == 1 && e.code != AP_ENOMEM && !(e.code == AP_EIO && strstr(e.text, "memory"))) {
            fprintf(stderr, "oom: %s: allocation %ld failing gave error %d (%s)\n", name, n + 1, e.code, e.text);
            bad++;
        }
        if (!failed) {
            if (r != 0) {
                fprintf(stderr, "oom: %s: fails with no allocation failure: %s\n", name, e.text);
                bad++;
            }
            printf("oom: %-12s %5ld allocations, %s failing in turn: %s\n", name, n,
                   stride == 1 ? "each" : "every tenth", bad ? "DEFECTS" : "clean errors, nothing leaked");
            return bad ? 1 : 0;
        }
        if (n > 200000) {
            fprintf(stderr, "oom: %s: more than 200000 allocations\n", name);
            return 1;
        }
    }
}

/* The folder of the problem files, removed at exit (also on early
 * returns): the test leaves nothing in /tmp. */
static char tmp_dir[32];

static void rm_tmp_dir(void)
{
    rmtree(tmp_dir);
}

int main(int argc, char **argv)
{
    char path[600];
    int bad = 0;
    dir = argc > 1 ? argv[1] : "tests";
    snprintf(path, sizeof path, "%s/fixtures/alto-post/networkmap.json", dir);
    nm_text = slurp(path, &nm_len);
    snprintf(path, sizeof path, "%s/fixtures/alto-post/costmap-hop.json", dir);
    cm_text = slurp(path, &cm_len);
    snprintf(path, sizeof path, "%s/fixtures/alto-post/propmap.json", dir);
    pm_text = slurp(path, &pm_len);
    if (!nm_text || !cm_text || !pm_text || !(line_nm = ap_netmap_parse(nm_text, nm_len, "nm", NULL))) {
        fprintf(stderr, "oom: fixtures missing under %s\n", dir);
        return 2;
    }
    bad |= sweep("netmap", run_netmap, 1);
    bad |= sweep("costmap", run_costmap, 1);
    bad |= sweep("propmap", run_propmap, 1);
    {
        /* a problem of files: the line network, its hop counts, inline
         * demand, beside it under short names.  The documents must not
         * depend on where the repository is checked out: jansson aborts
         * (an assert in its string lexer) when some allocations of a long
         * string fail, and a path in the document would move them. */
        char *d, copy[700];
        FILE *f;
        snprintf(tmp_dir, sizeof tmp_dir, "/tmp/altoplace-oom-XXXXXX");
        if (!(d = mkdtemp(tmp_dir))) {
            tmp_dir[0] = 0;
            return 2;
        }
        atexit(rm_tmp_dir);
        snprintf(copy, sizeof copy, "%s/nm.json", d);
        if (!(f = fopen(copy, "w")) || fwrite(nm_text, 1, nm_len, f) != nm_len || fclose(f))
            return 2;
        snprintf(copy, sizeof copy, "%s/cm.json", d);
        if (!(f = fopen(copy, "w")) || fwrite(cm_text, 1, cm_len, f) != cm_len || fclose(f))
            return 2;
        snprintf(problem_path, sizeof problem_path, "%s/problem.json", d);
        if (!(f = fopen(problem_path, "w")))
            return 2;
        fprintf(f, "{\"alto\": {\"network-map\": \"nm.json\", \"cost-map\": \"cm.json\"}, \"cost-metric\": "
                "\"hopcount\", \"demand\": {\"A\": 2, \"B\": 1, \"C\": 1, \"D\": 1}, \"model\": {\"type\": "
                "\"p-median\", \"k\": 2}}\n");
        fclose(f);
        snprintf(jsonl_path, sizeof jsonl_path, "%s/log.jsonl", d);
        snprintf(clf_path, sizeof clf_path, "%s/access.log", d);
        if (!(f = fopen(jsonl_path, "w")))
            return 2;
        fprintf(f, "{\"time\": 1431820800, \"addr\": \"10.0.0.7\", \"bytes\": 120}\n"
                   "{\"time\": 1431820860, \"addr\": \"10.0.2.9\", \"bytes\": 4000}\n"
                   "{\"time\": 1431824400, \"addr\": \"10.0.3.1\", \"bytes\": 7}\n");
        fclose(f);
        if (!(f = fopen(clf_path, "w")))
            return 2;
        fprintf(f, "10.0.1.5 - - [17/May/2015:10:05:03 +0000] \"GET /a HTTP/1.1\" 200 203023\n"
                   "10.0.3.8 - - [17/May/2015:11:05:03 +0000] \"GET /b HTTP/1.1\" 200 17\n");
        fclose(f);
    }
    log_now = jsonl_path;
    bad |= sweep("demand-jsonl", run_demand, 1);
    log_now = clf_path;
    bad |= sweep("demand-clf", run_demand, 1);
    if (!(ref_problem = ap_problem_load(problem_path, NULL)))
        return 2;
    bad |= sweep("problem", run_problem, 1);
    bad |= sweep("greedy", run_greedy, 1);
    ap_problem_free(ref_problem);
    if (!(ref_problem = ufl_problem()))
        return 2;
    bad |= sweep("ufl-tree", run_ufl, 1);
    {
        size_t j;
        ap_problem_set_k(ref_problem, 3, NULL);
        for (j = 0; j < 24; j++)
            ap_problem_set_opening_cost(ref_problem, j, 0, NULL);
    }
    bad |= sweep("median-tree", run_median, 1);
    ap_problem_free(ref_problem);
    if (!(ref_problem = cfl_problem()))
        return 2;
    bad |= sweep("cfl-greedy", run_greedy, 1);
    bad |= sweep("cfl-tree", run_cfl, 1);
    ap_problem_free(ref_problem);
    /* GEANT's bundled problem: files, a demand file, a property map */
    {
        static char geant[700];
        snprintf(geant, sizeof geant, "%s/../examples/geant/problem.json", dir);
        problem_now = geant;
        if (!(ref_problem = ap_problem_load(problem_now, NULL)))
            return 2;
        bad |= sweep("geant", run_problem, 10);
        bad |= sweep("geant-greedy", run_greedy, 1);
        ap_problem_free(ref_problem);
    }
    ap_netmap_free(line_nm);
    return bad;
}
