/* test_transport.c - the split-demand assignment by successive shortest
 * paths (solver/transport.c) against GLPK's LP of the same transportation
 * problem (ap__gap_glpk) on random problems: tight and loose capacities,
 * sites without capacity, forbidden pairs, integer costs with many ties
 * (degenerate flows), fractional demands, zero demands; and the answers
 * for too little capacity and a client no open site may serve; and
 * split-demand facility location with unequal capacities against the
 * enumeration of every site set; the least-cost cover (solver/cover.c)
 * against the enumeration of every choice. */
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
        rb = ap__gap_glpk(p, open, NULL, INFINITY, INFINITY, &b, &zb, &pb, &e);
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
 * of solver/lagrange_cfl.c with its integer cover, its fixing and heuristic):
 * ap_solve's optimum equals the least, over every set of sites, of the
 * opening costs plus that set's transportation plan. */
/* The tree of solver/cfl_tree.c alone, from the poor incumbent of every
 * site open and no root fixings: it must find the optimum and say the tree
 * was exhausted, all of it closed (or the plan stands as the optimum
 * already). */
static void tree_from_all_open(const ap_problem *p, double best)
{
    size_t j;
    unsigned char *open = malloc(p->ns);
    ap__assign a = {0};
    ap_error e;
    ap_solve_opts o;
    double z, lb, closed_pct = -1;
    CU_ASSERT_PTR_NOT_NULL_FATAL(open);
    ap_solve_opts_init(&o);
    o.log = tree_closed_log;
    o.log_ud = &closed_pct;
    for (j = 0; j < p->ns; j++)
        open[j] = 1;
    ap_error_clear(&e);
    CU_ASSERT_EQUAL_FATAL(ap__transport(p, open, INFINITY, &a, &z, &e), 0);
    z = ap__objective(p, open, &a);
    CU_ASSERT_EQUAL(ap__cfl_tree(p, &o, INFINITY, NULL, &z, open, &a, &lb, &e), 1);
    /* the pruned nodes' shares 2^-depth sum to the whole tree */
    CU_ASSERT_DOUBLE_EQUAL(closed_pct, 100.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(z, best, 1e-6 * (1 + best));
    CU_ASSERT_DOUBLE_EQUAL(ap__objective(p, open, &a), z, 1e-6 * (1 + best));
    ap__assign_free(&a);
    free(open);
}

static void test_cfl_unequal_vs_enumeration(void)
{
    unsigned long seed;
    int lagr = 0, tree = 0;
    for (seed = 1; seed <= 100; seed++) {
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
            /* different capacities, together 1.3-3 times the demand (equal
             * in every third problem); one site without capacity in every
             * fifth, one of capacity 0 in every seventh */
            ap_problem_set_capacity(p, j, seed % 5 == 0 && j == 0 ? INFINITY
                                           : seed % 7 == 2 && j == 1 ? 0
                                           : seed % 3 == 1 ? D * 0.35 : D * (0.2 + 0.4 * rnd()), NULL);
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
            tree_from_all_open(p, best);
            lagr += strstr(ap_plan_solver(pl), "lagrangian") != NULL;
            tree += strstr(ap_plan_solver(pl), "cfl branch-and-bound") != NULL;
        }
        ap_plan_free(pl);
        ap_plan_free(gr);
        ap_problem_free(p);
        free(open);
    }
    /* the Lagrangian method took part (its heuristic or its proof), and
     * its branch-and-bound proved some */
    CU_ASSERT(lagr >= 5);
    CU_ASSERT(tree >= 3);
}

/* The least-cost cover by branch-and-bound (solver/cover.c) = the least
 * over every choice of items, on random problems with integer and real
 * costs, ties, zero costs, too little room; "first" mode with a cutoff
 * finds a choice below it exactly when one exists; a cut-short search
 * says so and never reports less than the optimum. */
static void cover_order_items(ap__cover *c)
{
    size_t a, b;
    for (a = 1; a < c->n; a++)
        for (b = a; b > 0 && c->v[b] * c->q[b - 1] < c->v[b - 1] * c->q[b]; b--) {
            double tv = c->v[b], tq = c->q[b];
            c->v[b] = c->v[b - 1], c->q[b] = c->q[b - 1];
            c->v[b - 1] = tv, c->q[b - 1] = tq;
        }
}

static void test_cover_vs_enumeration(void)
{
    unsigned long seed;
    ap__cover c;
    CU_ASSERT_EQUAL_FATAL(ap__cover_init(&c, 16), 0);
    for (seed = 1; seed <= 400; seed++) {
        size_t n = 1 + seed % 16, t;
        unsigned mask;
        double total = 0, need, best = INFINITY, val, chosen_v = 0, chosen_q = 0, cutoff;
        rng_state = seed * 7919 + 3;
        c.n = n;
        for (t = 0; t < n; t++) {
            c.v[t] = seed % 3 == 0 ? floor(4 * rnd()) : 100 * rnd();
            c.q[t] = seed % 2 ? 1 + floor(9 * rnd()) : 0.5 + 10 * rnd();
            total += c.q[t];
        }
        cover_order_items(&c);
        need = seed % 10 == 7 ? total + 1 : total * (0.1 + 0.8 * rnd());
        for (mask = 0; mask < 1u << n; mask++) {
            double v = 0, q = 0;
            for (t = 0; t < n; t++)
                if (mask >> t & 1)
                    v += c.v[t], q += c.q[t];
            if (q >= need && v < best)
                best = v;
        }
        CU_ASSERT_EQUAL(ap__cover_solve(&c, need, INFINITY, 0, 1000000, &val), 1);
        if (!isfinite(best)) {
            CU_ASSERT(!isfinite(val));
            continue;
        }
        CU_ASSERT_DOUBLE_EQUAL(val, best, 1e-9 * (1 + best));
        for (t = 0; t < c.nbest; t++)
            chosen_v += c.v[c.best[t]], chosen_q += c.q[c.best[t]];
        CU_ASSERT_DOUBLE_EQUAL(chosen_v, val, 1e-9 * (1 + val));
        CU_ASSERT(chosen_q >= need - 1e-9 * (1 + need));
        /* below a cutoff just above / at the optimum */
        cutoff = best + 1e-6 * (1 + best);
        CU_ASSERT_EQUAL(ap__cover_solve(&c, need, cutoff, 1, 1000000, &val), 1);
        CU_ASSERT(val < cutoff);
        CU_ASSERT(val >= best - 1e-9 * (1 + best));
        CU_ASSERT_EQUAL(ap__cover_solve(&c, need, best - 1e-9 * (1 + best), 1, 1000000, &val), 1);
        if (isfinite(val))
            fprintf(stderr, "\n  seed %lu: %.17g below the optimum %.17g\n", seed, val, best);
        CU_ASSERT(!isfinite(val));
        /* cut short after 3 nodes: says so unless it finished, never below the optimum */
        if (ap__cover_solve(&c, need, INFINITY, 0, 3, &val) == 1)
            CU_ASSERT_DOUBLE_EQUAL(val, best, 1e-9 * (1 + best));
        CU_ASSERT(!(val < best - 1e-9 * (1 + best)));
    }
    ap__cover_free(&c);
}

void suite_transport(void)
{
    CU_pSuite s = CU_add_suite("transport", NULL, NULL);
    CU_add_test(s, "transportation by shortest paths = GLPK's LP on 300 random problems", test_transport_vs_lp);
    CU_add_test(s, "transportation: moves along a chain, no room, no serving site", test_transport_cases);
    CU_add_test(s, "facility location, split demand, unequal capacities = enumeration of site sets",
                test_cfl_unequal_vs_enumeration);
    CU_add_test(s, "least-cost cover by branch-and-bound = enumeration on 400 random problems",
                test_cover_vs_enumeration);
}
