/* test_benders.c - the Benders decomposition for uncapacitated models
 * (solver/benders.c) against the compact Elloumi model on random problems
 * with every feature the master handles (k, opening costs, forbidden pairs,
 * pinned sites, max-changes), against published optima (OR-Library pmed,
 * UflLib's uncapacitated cap101), and the TSPLIB importer against brute
 * force. */
#include "test.h"
#include "solver/solver.h"
#include "util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long rng_state;
static double rnd(void)
{
    return test_rnd(&rng_state);
}

/* A random uncapacitated problem: points in the unit square scaled to
 * integer costs, some pairs forbidden, optional opening costs, pins and
 * existing sites with a change limit. */
static ap_problem *random_problem(unsigned long seed, size_t n, size_t m, int variant)
{
    ap_problem *p = ap_problem_new(n, m, NULL);
    double *x = malloc((n + m) * sizeof *x), *y = malloc((n + m) * sizeof *y);
    size_t i, j;
    char name[32];
    rng_state = seed;
    for (i = 0; i < n + m; i++)
        x[i] = rnd(), y[i] = rnd();
    for (i = 0; i < n; i++) {
        snprintf(name, sizeof name, "c%zu", i);
        ap_problem_set_client_name(p, i, name, NULL);
        ap_problem_set_demand(p, i, 1 + floor(rnd() * 9), NULL);
        for (j = 0; j < m; j++) {
            double c = floor(100 * hypot(x[i] - x[n + j], y[i] - y[n + j]));
            /* forbidden pairs (variant 2): far ones, but never all of a client's */
            if (variant == 2 && c > 60 && j != i % m)
                c = INFINITY;
            ap_problem_set_cost(p, i, j, c, NULL);
        }
    }
    for (j = 0; j < m; j++) {
        snprintf(name, sizeof name, "s%zu", j);
        ap_problem_set_site_name(p, j, name, NULL);
        if (variant == 1)
            ap_problem_set_opening_cost(p, j, floor(100 + 300 * rnd()), NULL);
    }
    if (variant != 1)
        ap_problem_set_k(p, 2 + (int)(seed % 4), NULL);
    if (variant == 3)
        ap_problem_set_pinned(p, seed % m, 1, NULL);
    if (variant == 4) {
        for (j = 0; j < m; j += 3)
            ap_problem_set_existing(p, j, 1, NULL);
        ap_problem_set_max_changes(p, 1, NULL);
    }
    free(x);
    free(y);
    return p;
}

/* 60 random problems: Benders and the compact model agree on status and
 * optimal value (the compact model is the reference: these are small). */
static void test_benders_vs_compact(void)
{
    unsigned long seed;
    int benders_used = 0;
    for (seed = 1; seed <= 60; seed++) {
        int variant = (int)(seed % 5);
        ap_problem *p = random_problem(seed, 30 + seed % 20, 12 + seed % 15, variant);
        ap_plan *a = solve_with(p, AP_SOLVER_ILP), *b = solve_with(p, AP_SOLVER_BENDERS);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b);
        CU_ASSERT_EQUAL(ap_plan_status(a), ap_plan_status(b));
        CU_ASSERT_EQUAL(ap_plan_status(b), AP_STATUS_OPTIMAL);
        if (fabs(ap_plan_objective(a) - ap_plan_objective(b)) > 1e-6)
            fprintf(stderr, "\n  seed %lu variant %d: compact %.6f, benders %.6f (%s)\n", seed, variant,
                    ap_plan_objective(a), ap_plan_objective(b), ap_plan_solver(b));
        CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(a), ap_plan_objective(b), 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(ap_plan_bound(b), ap_plan_objective(b), 1e-6);
        benders_used += strstr(ap_plan_solver(b), "benders") != NULL;
        ap_plan_free(a);
        ap_plan_free(b);
        ap_problem_free(p);
    }
    /* most are proven by the Lagrangian bound before any GLPK model; the
     * rest went through the master */
    CU_ASSERT(benders_used >= 10);
}

/* The master seeded with cuts at arbitrary multiplier levels (below every
 * cost, between cost levels, above every cost, fractional) still finds
 * the compact model's optimum: every level gives a valid cut.  Called
 * directly, with no site fixed, and half the time without an incumbent
 * (which could otherwise be declared optimal by too strong a cut). */
static void test_seeded_cuts_valid(void)
{
    unsigned long seed;
    int seeded = 0;
    for (seed = 1; seed <= 24; seed++) {
        ap_problem *p = random_problem(1000 + seed, 36 + seed % 9, 18 + seed % 7, seed % 2);
        ap_plan *ref = solve_with(p, AP_SOLVER_ILP), *pl = ap__plan_new(p);
        ap_solve_opts o;
        ap_error e;
        ap__assign a = {0};
        ap__lagr lg;
        unsigned char *open = calloc(p->ns, 1);
        double ub;
        size_t i;
        CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
        CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
        ap_solve_opts_init(&o);
        ap_error_clear(&e);
        memset(&lg, 0, sizeof lg);
        lg.fix = calloc(p->ns, 1);
        lg.mult = malloc(p->nc * sizeof *lg.mult);
        rng_state = seed;
        for (i = 0; i < p->nc; i++)
            lg.mult[i] = p->demand[i] * (seed % 3 == 0 ? 200 * rnd() : 10 + 60 * rnd());
        CU_ASSERT_EQUAL_FATAL(ap__greedy(p, &o, INFINITY, open, &a, &e), 0);
        ub = ap__objective(p, open, &a);
        /* half without the incumbent: the master must find the optimum */
        CU_ASSERT_EQUAL(ap__benders(p, &o, INFINITY, seed % 2 ? open : NULL, &lg, seed % 2 ? ub : INFINITY, pl, &e),
                        0);
        CU_ASSERT_EQUAL(pl->status, AP_STATUS_OPTIMAL);
        if (fabs(pl->objective - ap_plan_objective(ref)) > 1e-6)
            fprintf(stderr, "\n  seed %lu: compact %.6f, seeded master %.6f\n", seed, ap_plan_objective(ref),
                    pl->objective);
        CU_ASSERT_DOUBLE_EQUAL(pl->objective, ap_plan_objective(ref), 1e-6);
        seeded++;
        free(open);
        free(lg.fix);
        free(lg.mult);
        ap__assign_free(&a);
        ap_plan_free(pl);
        ap_plan_free(ref);
        ap_problem_free(p);
    }
    CU_ASSERT_EQUAL(seeded, 24);
}

/* Imports, then solves with --solver benders; the plan must be optimal at
 * the published value. */
static void check_import(int tsplib_k, const char *file, double optimum)
{
    const char *dir = tmpdir();
    char prob[512];
    ap_error e;
    ap_problem *p;
    ap_plan *pl;
    int rc;
    ap_error_clear(&e);
    rc = tsplib_k ? ap_import_tsplib(file, tsplib_k, dir, &e)
         : strstr(file, "pmed") ? ap_import_orlib_pmed(file, dir, &e) : ap_import_orlib_cap(file, -1, dir, &e);
    if (rc)
        fprintf(stderr, "\n  import %s: %s\n", file, e.text);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    snprintf(prob, sizeof prob, "%s/problem.json", dir);
    p = ap_problem_load(prob, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    pl = solve_with(p, AP_SOLVER_BENDERS);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_OPTIMAL);
    if (fabs(ap_plan_objective(pl) - optimum) > 1e-3)
        fprintf(stderr, "\n  %s: objective %.6f, expected %.6f\n", file, ap_plan_objective(pl), optimum);
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(pl), optimum, 1e-3);
    ap_plan_free(pl);
    ap_problem_free(p);
}

/* UflLib's copy of cap101 with its capacity column set to 0, the way
 * UflLib writes the uncapacitated copies of capa, capb and capc (cap101's
 * capacities never bind: its optimum is the same). */
static const char *ufl_file(void)
{
    static char path[512];
    const char *dir = tmpdir();
    char *doc = slurp("data/orlib/ufl-cap101.txt", NULL), *s = doc;
    FILE *f;
    int line;
    snprintf(path, sizeof path, "%s/ufl101.txt", dir);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    for (line = 0; *s; line++) {
        char *eol = strchr(s, '\n');
        size_t n = eol ? (size_t)(eol - s) + 1 : strlen(s);
        if (line >= 1 && line <= 25) {
            char *sp = s;
            while (*sp == ' ')
                sp++;
            sp = strchr(sp, ' '); /* after the capacity */
            fprintf(f, " 0%.*s", (int)(n - (size_t)(sp - s)), sp);
        } else {
            fprintf(f, "%.*s", (int)n, s);
        }
        s += n;
    }
    fclose(f);
    free(doc);
    return path;
}

static void test_published(void)
{
    check_import(0, "data/orlib/pmed1.txt", 5819);
    check_import(0, "data/orlib/pmed2.txt", 4093);
    check_import(0, "data/orlib/pmed3.txt", 4250);
    check_import(0, "data/orlib/pmed4.txt", 3034);
    check_import(0, "data/orlib/pmed5.txt", 1355);
    /* uncapacitated cap101 (capacities all 0) */
    check_import(0, ufl_file(), 796648.4375);
}

/* The uncapacitated import is a facility-location problem (no capacity
 * property), and solves to the UflLib optimum with the default solver. */
static void test_ufl_import(void)
{
    const char *dir = tmpdir();
    char prob[512];
    char *doc;
    ap_error e;
    ap_problem *p;
    ap_plan *pl;
    ap_error_clear(&e);
    CU_ASSERT_EQUAL_FATAL(ap_import_orlib_cap(ufl_file(), -1, dir, &e), 0);
    snprintf(prob, sizeof prob, "%s/problem.json", dir);
    doc = slurp(prob, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(doc, "\"facility-location\""));
    CU_ASSERT_PTR_NULL(strstr(doc, "capacity-property"));
    free(doc);
    p = ap_problem_load(prob, &e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    pl = solve_with(p, AP_SOLVER_AUTO);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_OPTIMAL);
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(pl), 796648.4375, 1e-3);
    ap_plan_free(pl);
    ap_problem_free(p);
}

static const double pts[10][2] = {{0, 0}, {3, 4}, {10, 1}, {7, 7}, {2, 9}, {15, 3},
                                  {12, 12}, {5, 14}, {1, 5}, {9, 10}};

/* Brute force p-median over the 10 points above, cost floor(distance). */
static double brute(int k)
{
    double best = INFINITY;
    unsigned s;
    for (s = 0; s < 1u << 10; s++) {
        double tot = 0;
        int i, j;
        if (__builtin_popcount(s) != k)
            continue;
        for (i = 0; i < 10; i++) {
            double c = INFINITY;
            for (j = 0; j < 10; j++)
                if (s >> j & 1)
                    c = fmin(c, floor(hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1])));
            tot += c;
        }
        best = fmin(best, tot);
    }
    return best;
}

static void test_tsplib_import(void)
{
    const char *dir = tmpdir();
    char path[512];
    FILE *f;
    int i, k;
    snprintf(path, sizeof path, "%s/ten.tsp", dir);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "NAME : ten\nCOMMENT : test\nTYPE : TSP\nDIMENSION: 10\nEDGE_WEIGHT_TYPE : EUC_2D\n"
               "NODE_COORD_SECTION\n");
    for (i = 0; i < 10; i++)
        fprintf(f, "%d %g %g\n", i + 1, pts[i][0], pts[i][1]);
    fputs("EOF\n", f);
    fclose(f);
    for (k = 1; k <= 4; k++)
        check_import(k, path, brute(k));
}

static void tsp_error(const char *text, long k, const char *needle)
{
    const char *dir = tmpdir();
    char path[512];
    ap_error e;
    FILE *f;
    snprintf(path, sizeof path, "%s/bad.tsp", dir);
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap_import_tsplib(path, k, dir, &e), -1);
    ASSERT_ERR_HAS(e, needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.source, "bad.tsp"));
}

static void test_tsplib_errors(void)
{
    const char *pts3 = "NODE_COORD_SECTION\n1 0 0\n2 1 1\n3 2 2\nEOF\n";
    char buf[256];
    tsp_error("DIMENSION : 3\nEDGE_WEIGHT_TYPE : GEO\nNODE_COORD_SECTION\n", 1, "only EUC_2D");
    tsp_error("EDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n", 1, "needs DIMENSION");
    tsp_error("DIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\n", 1, "no NODE_COORD_SECTION");
    tsp_error("TYPE : ATSP\nDIMENSION : 3\n", 1, "expected TSP");
    tsp_error("DIMENSION : 99999\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n", 1, "[2, 20000]");
    /* a short file claiming 20,000 points: refused before the n x n matrix */
    tsp_error("DIMENSION : 20000\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n", 1, "too short");
    snprintf(buf, sizeof buf, "DIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\n%s", pts3);
    tsp_error(buf, 4, "p = 4 medians");
    tsp_error("DIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n3 1 1\n2 2 2\nEOF\n", 1,
              "point number");
    tsp_error("DIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 x\n3 2 2\nEOF\n", 1,
              "y coordinate");
}

void suite_benders(void)
{
    CU_pSuite s = CU_add_suite("benders", NULL, NULL);
    CU_add_test(s, "Benders = compact model on 60 random problems", test_benders_vs_compact);
    CU_add_test(s, "cuts seeded at arbitrary multiplier levels stay valid", test_seeded_cuts_valid);
    CU_add_test(s, "Benders reproduces published optima (pmed1-5, uncapacitated cap101)", test_published);
    CU_add_test(s, "capacities 0 (UflLib's copies): facility location", test_ufl_import);
    CU_add_test(s, "TSPLIB import: p-median = brute force", test_tsplib_import);
    CU_add_test(s, "TSPLIB import errors name the file and the fault", test_tsplib_errors);
}
