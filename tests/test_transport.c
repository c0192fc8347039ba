/* test_transport.c - the split-demand assignment by successive shortest
 * paths (solver/transport.c) against GLPK's LP of the same transportation
 * problem (ap__gap_glpk) on random problems: tight and loose capacities,
 * sites without capacity, forbidden pairs, integer costs with many ties
 * (degenerate flows), fractional demands, zero demands; and the answers
 * for too little capacity and a client no open site may serve; and
 * split-demand facility location with unequal capacities against the
 * enumeration of every site set. */
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

/* n clients, m sites, about half open (in open[]); total capacity of the
 * open sites `slack` times the demand. */
static ap_problem *random_tp(unsigned long seed, size_t n, size_t m, double slack, unsigned char *open)
{
    ap_problem *p = ap_problem_new(n, m, NULL);
    int ties = seed % 3 == 0, forbid = seed % 4 == 1, uncap = seed % 5 == 2;
    double D = 0, w = 0, *share = malloc(m * sizeof *share);
    size_t i, j, no = 0;
    rng_state = seed * 104729 + 17;
    for (i = 0; i < n; i++) {
        double d = seed % 2 ? 1 + floor(10 * rnd()) : 0.1 + 3 * rnd();
        if (seed % 7 == 3 && i % 9 == 4)
            d = 0;
        ap_problem_set_demand(p, i, d, NULL);
        D += d;
        for (j = 0; j < m; j++) {
            double c = ties ? floor(5 * rnd()) : 100 * rnd();
            if (forbid && rnd() < 0.3 && j != i % m)
                c = INFINITY;
            ap_problem_set_cost(p, i, j, c, NULL);
        }
    }
    for (j = 0; j < m; j++) {
        open[j] = j == 0 || rnd() < 0.5;
        share[j] = open[j] ? 0.5 + rnd() : 0;
        w += share[j];
        no += open[j];
    }
    for (j = 0; j < m; j++)
        if (open[j])
            ap_problem_set_capacity(p, j, uncap && j == m - 1 ? INFINITY : slack * D * share[j] / w, NULL);
        else
            ap_problem_set_capacity(p, j, 1 + 100 * rnd(), NULL);
    free(share);
    return p;
}

/* Each client's shares sum to 1, each open site's load within its
 * capacity, only open sites and allowed pairs used. */
static void check_plan(const ap_problem *p, const unsigned char *open, const ap__assign *a)
{
    double *load = calloc(p->ns, sizeof *load), *tot = calloc(p->nc, sizeof *tot);
    size_t h, i, j;
    CU_ASSERT_PTR_NOT_NULL_FATAL(load);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tot);
    for (h = 0; h < a->na; h++) {
        CU_ASSERT(open[a->site[h]]);
        CU_ASSERT(a->share[h] > 0);
        CU_ASSERT(isfinite(p->cost[a->client[h] * p->ns + a->site[h]]));
        load[a->site[h]] += p->demand[a->client[h]] * a->share[h];
        tot[a->client[h]] += a->share[h];
    }
    for (i = 0; i < p->nc; i++)
        CU_ASSERT_DOUBLE_EQUAL(tot[i], 1, 1e-9);
    for (j = 0; j < p->ns; j++)
        CU_ASSERT(load[j] <= p->cap[j] * (1 + 1e-7) + 1e-9);
    free(load);
    free(tot);
}

static void test_transport_vs_lp(void)
{
    unsigned long seed;
    int solved = 0, none = 0;
    for (seed = 1; seed <= 300; seed++) {
        size_t n = 5 + seed % 60, m = 2 + seed % 13;
        double slack = seed % 6 == 0 ? 0.97 : seed % 6 == 1 ? 1.0 : 1.0 + 0.5 * (double)(seed % 5) / 4;
        unsigned char *open = malloc(m);
        ap_problem *p;
        ap__assign a = {0}, b = {0};
        ap_error e;
        double za, zb;
        int ra, rb, pa, pb;
        CU_ASSERT_PTR_NOT_NULL_FATAL(open);
        p = random_tp(seed, n, m, slack, open);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        ap_error_clear(&e);
        ra = ap__transport(p, open, INFINITY, &a, &za, &e);
        rb = ap__gap_glpk(p, open, NULL, INFINITY, &b, &zb, &pb, &e);
        pa = ra == 0;
        if (ra != rb || (ra == 0 && fabs(za - zb) > 1e-7 * (1 + fabs(zb))))
            fprintf(stderr, "\n  seed %lu (%zu x %zu, slack %.2f): transport %d %.9g, LP %d %.9g\n", seed, n, m,
                    slack, ra, za, rb, zb);
        CU_ASSERT_EQUAL(ra, rb);
        if (ra == 0 && rb == 0) {
            CU_ASSERT(pa && pb);
            CU_ASSERT_DOUBLE_EQUAL(za, zb, 1e-7 * (1 + fabs(zb)));
            CU_ASSERT_DOUBLE_EQUAL(za, ap__objective(p, open, &a), 1e-7 * (1 + fabs(za)));
            check_plan(p, open, &a);
            solved++;
        } else {
            none++;
        }
        ap__assign_free(&a);
        ap__assign_free(&b);
        ap_problem_free(p);
        free(open);
    }
    /* both kinds of answer were exercised */
    CU_ASSERT(solved >= 200);
    CU_ASSERT(none >= 20);
}

/* A client that no open site may serve, and a site that must take a share
 * of a client through a chain of moves (the cheapest site is full). */
static void test_transport_cases(void)
{
    ap_problem *p = ap_problem_new(3, 3, NULL);
    unsigned char open[3] = {1, 1, 0};
    ap__assign a = {0};
    ap_error e;
    double z;
    size_t i, j;
    /* client 0 likes site 0 a lot, client 1 likes site 0 a little, client 2
     * only site 0 or 2; site 0 holds 2 of the 3 units */
    static const double c[3][3] = {{1, 10, 50}, {4, 5, 50}, {3, INFINITY, 1}};
    for (i = 0; i < 3; i++) {
        ap_problem_set_demand(p, i, 1, NULL);
        for (j = 0; j < 3; j++)
            ap_problem_set_cost(p, i, j, c[i][j], NULL);
    }
    ap_problem_set_capacity(p, 0, 2, NULL);
    ap_problem_set_capacity(p, 1, 5, NULL);
    ap_error_clear(&e);
    CU_ASSERT_EQUAL(ap__transport(p, open, INFINITY, &a, &z, &e), 0);
    /* clients 0 and 2 at site 0 (1 + 3), client 1 moved to site 1 (5) */
    CU_ASSERT_DOUBLE_EQUAL(z, 9, 1e-12);
    check_plan(p, open, &a);
    ap_problem_set_capacity(p, 0, 1, NULL);
    /* site 0 holds one unit, and client 2 has no other: 3 + 5 + 10 */
    CU_ASSERT_EQUAL(ap__transport(p, open, INFINITY, &a, &z, &e), 0);
    CU_ASSERT_DOUBLE_EQUAL(z, 18, 1e-12);
    ap_problem_set_capacity(p, 0, 0.5, NULL);
    CU_ASSERT_EQUAL(ap__transport(p, open, INFINITY, &a, &z, &e), 1);
    ap_problem_set_capacity(p, 0, 5, NULL);
    ap_problem_set_cost(p, 2, 0, INFINITY, NULL);
    CU_ASSERT_EQUAL(ap__transport(p, open, INFINITY, &a, &z, &e), 1);
    open[2] = 1;
    CU_ASSERT_EQUAL(ap__transport(p, open, INFINITY, &a, &z, &e), 0);
    CU_ASSERT_DOUBLE_EQUAL(z, 1 + 4 + 1, 1e-12);
    ap__assign_free(&a);
    ap_problem_free(p);
}

/* Split-demand facility location with unequal capacities, some sites
 * without capacity (the Lagrangian
 * of solver/lagrange_cfl.c with its LP cover, its fixing and heuristic):
 * ap_solve's optimum equals the least, over every set of sites, of the
 * opening costs plus that set's transportation plan. */
static void test_cfl_unequal_vs_enumeration(void)
{
    unsigned long seed;
    int lagr = 0;
    for (seed = 1; seed <= 40; seed++) {
        size_t n = 8 + seed % 23, m = 5 + seed % 6, j;
        unsigned char *open = malloc(m);
        ap_problem *p = random_tp(seed, n, m, 1, open);
        double D = 0, best = INFINITY;
        unsigned mask;
        ap_plan *pl, *gr;
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        for (j = 0; j < n; j++)
            D += p->demand[j];
        rng_state = seed * 31 + 5;
        for (j = 0; j < m; j++) {
            /* different capacities, together 1.3-3 times the demand; one
             * site without capacity in every fifth problem */
            ap_problem_set_capacity(p, j, seed % 5 == 0 && j == 0 ? INFINITY : D * (0.2 + 0.4 * rnd()), NULL);
            ap_problem_set_opening_cost(p, j, floor(D * (2 + 20 * rnd())), NULL);
        }
        for (mask = 1; mask < 1u << m; mask++) {
            ap__assign a = {0};
            ap_error e;
            double z;
            for (j = 0; j < m; j++)
                open[j] = (unsigned char)(mask >> j & 1);
            ap_error_clear(&e);
            if (ap__transport(p, open, INFINITY, &a, &z, &e) == 0 && z < best)
                best = z;
            ap__assign_free(&a);
        }
        pl = solve_with(p, AP_SOLVER_AUTO);
        gr = solve_with(p, AP_SOLVER_GREEDY);
        CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
        CU_ASSERT_PTR_NOT_NULL_FATAL(gr);
        if (!isfinite(best)) {
            CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_INFEASIBLE);
        } else {
            if (fabs(ap_plan_objective(pl) - best) > 1e-6 * (1 + best))
                fprintf(stderr, "\n  seed %lu: solve %.9g (%s), enumeration %.9g\n", seed,
                        ap_plan_objective(pl), ap_plan_solver(pl), best);
            CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_OPTIMAL);
            CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(pl), best, 1e-6 * (1 + best));
            CU_ASSERT(ap_plan_objective(gr) >= best - 1e-6 * (1 + best));
            CU_ASSERT(!(ap_plan_bound(gr) > best + 1e-6 * (1 + best)));
            lagr += strstr(ap_plan_solver(pl), "lagrangian") != NULL;
        }
        ap_plan_free(pl);
        ap_plan_free(gr);
        ap_problem_free(p);
        free(open);
    }
    /* the Lagrangian method took part (its heuristic or its proof) */
    CU_ASSERT(lagr >= 5);
}

void suite_transport(void)
{
    CU_pSuite s = CU_add_suite("transport", NULL, NULL);
    CU_add_test(s, "transportation by shortest paths = GLPK's LP on 300 random problems", test_transport_vs_lp);
    CU_add_test(s, "transportation: moves along a chain, no room, no serving site", test_transport_cases);
    CU_add_test(s, "facility location, split demand, unequal capacities = enumeration of site sets",
                test_cfl_unequal_vs_enumeration);
}
