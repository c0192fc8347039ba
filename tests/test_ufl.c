/* test_ufl.c - the Lagrangian branch-and-bound for uncapacitated facility
 * location (solver/ufl.c) against the compact model on random problems
 * (Koerkel-Ghosh-like uniform costs, which leave a gap the tree must close;
 * Euclidean ones; forbidden pairs, pinned sites, fractional costs), called
 * directly (no Lagrangian root, with and without an incumbent) and through
 * ap_solve, without k and with a fixed k (p-median); 100 x 100 ones
 * against the Benders branch-and-cut; its time limit and infeasible
 * problems. */
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

/* variant 0: uniform costs in [1000, 2000], opening costs in [lo, 2 lo];
 * 1: Euclidean; 2: uniform with forbidden pairs; 3: a pinned site and
 * fractional costs and demands. */
static ap_problem *random_ufl(unsigned long seed, size_t n, size_t m, int variant)
{
    ap_problem *p = ap_problem_new(n, m, NULL);
    double lo = seed % 3 == 0 ? 100 : seed % 3 == 1 ? 1000 : 5000;
    size_t i, j;
    char name[32];
    rng_state = seed * 7919;
    for (i = 0; i < n; i++) {
        double xi = rnd(), yi = rnd();
        snprintf(name, sizeof name, "c%zu", i);
        ap_problem_set_client_name(p, i, name, NULL);
        ap_problem_set_demand(p, i, variant == 3 ? 0.5 + rnd() : 1, NULL);
        for (j = 0; j < m; j++) {
            /* Euclidean: site j on a fixed scattered point of the square */
            double c = variant == 1 ? floor(3000 * hypot(xi - (double)j / m, yi - (double)(j * 7 % m) / m))
                                    : floor(1000 + 1000 * rnd());
            if (variant == 2 && rnd() < 0.4 && j != i % m)
                c = INFINITY;
            if (variant == 3)
                c += 0.25 * floor(4 * rnd());
            ap_problem_set_cost(p, i, j, c, NULL);
        }
    }
    for (j = 0; j < m; j++) {
        snprintf(name, sizeof name, "s%zu", j);
        ap_problem_set_site_name(p, j, name, NULL);
        ap_problem_set_opening_cost(p, j, floor(lo + lo * rnd()), NULL);
    }
    if (variant == 3)
        ap_problem_set_pinned(p, seed % m, 1, NULL);
    return p;
}

/* What the tree's last log line says: the share of its search space
 * closed (%) and how many children strong branching bounded. */
typedef struct {
    double closed_pct;
    long sb;
} tree_log;

static void ufl_log(void *ud, ap_log_level level, const char *msg)
{
    tree_log *t = ud;
    const char *at = strstr(msg, " strong-branching bounds");
    tree_closed_log(&t->closed_pct, level, msg);
    if (at) {
        while (at > msg && at[-1] >= '0' && at[-1] <= '9')
            at--;
        t->sb = strtol(at, NULL, 10);
    }
}

/* ap__ufl straight from the problem: no Lagrangian root; the incumbent is
 * the greedy plan when `warm`, else none.  An exhausted tree closed all of
 * its search space (the shares 2^-depth of its pruned nodes sum to 1, the
 * measure its give-way rule reads; sites fixed by strong branching do not
 * change it).  *sb: the children strong branching bounded (NULL: not
 * wanted). */
static ap_plan *ufl_budget(const ap_problem *p, int warm, ap__tbudget bud, long *sb);
static ap_plan *ufl_direct(const ap_problem *p, int warm, double limit, long *sb)
{
    double dl = limit > 0 ? ap__now() + limit : INFINITY;
    return ufl_budget(p, warm, (ap__tbudget){dl, dl, 0}, sb);
}

/* The same with a budget (soft and hard deadlines, give-way rate). */
static ap_plan *ufl_budget(const ap_problem *p, int warm, ap__tbudget bud, long *sb)
{
    ap_solve_opts o;
    ap_error e;
    ap_plan *pl = ap__plan_new(p);
    ap__assign a = {0};
    unsigned char *open = calloc(p->ns, 1);
    int rc;
    tree_log tl = {-1, -1};
    ap_solve_opts_init(&o);
    o.log = ufl_log;
    o.log_ud = &tl;
    ap_error_clear(&e);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl);
    CU_ASSERT_PTR_NOT_NULL_FATAL(open);
    if (warm)
        CU_ASSERT_EQUAL(ap__greedy(p, &o, ap__now() + 5, open, &a, &e), 0);
    rc = ap__ufl(p, &o, bud, warm ? open : NULL, NULL, pl, &e);
    if (rc)
        fprintf(stderr, "\n  ap__ufl failed: %s\n", e.text);
    CU_ASSERT_EQUAL(rc, 0);
    if (!isfinite(bud.hard) && (pl->status == AP_STATUS_OPTIMAL || pl->status == AP_STATUS_INFEASIBLE))
        CU_ASSERT_DOUBLE_EQUAL(tl.closed_pct, 100.0, 1e-9);
    if (sb)
        *sb = tl.sb;
    ap__assign_free(&a);
    free(open);
    return pl;
}

/* One random problem (its seed, variant and pinned site) against the
 * compact model: the tree called directly without an incumbent, with the
 * greedy one (when warm), and ap_solve; with k, "infeasible" exactly when
 * the compact model says so.  Counts the trees that branched, those
 * where strong branching bounded children, and the solves that went
 * through the tree. */
static void tree_vs_compact(ap_problem *p, unsigned long seed, int variant, size_t pin, int warm, int *branched,
                            int *strong, int *via_tree)
{
    long sb = -1;
    ap_plan *ref = solve_with(p, AP_SOLVER_ILP), *a = ufl_direct(p, 0, 0, &sb), *b, *c = solve_with(p, AP_SOLVER_AUTO);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    if (p->k && ap_plan_status(ref) == AP_STATUS_INFEASIBLE) {
        CU_ASSERT_EQUAL(ap_plan_status(a), AP_STATUS_INFEASIBLE);
        CU_ASSERT_EQUAL(ap_plan_status(c), AP_STATUS_INFEASIBLE);
        ap_plan_free(ref);
        ap_plan_free(a);
        ap_plan_free(c);
        return;
    }
    b = ufl_direct(p, warm, 0, NULL);
    CU_ASSERT_EQUAL_FATAL(ap_plan_status(ref), AP_STATUS_OPTIMAL);
    CU_ASSERT_EQUAL(ap_plan_status(a), AP_STATUS_OPTIMAL);
    CU_ASSERT_EQUAL(ap_plan_status(b), AP_STATUS_OPTIMAL);
    CU_ASSERT_EQUAL(ap_plan_status(c), AP_STATUS_OPTIMAL);
    if (fabs(ap_plan_objective(ref) - ap_plan_objective(a)) > 1e-6 ||
        fabs(ap_plan_objective(ref) - ap_plan_objective(b)) > 1e-6 ||
        fabs(ap_plan_objective(ref) - ap_plan_objective(c)) > 1e-6)
        fprintf(stderr, "\n  seed %lu variant %d k %d: compact %.6f, tree %.6f / %.6f, solve %.6f (%s)\n", seed,
                variant, p->k, ap_plan_objective(ref), ap_plan_objective(a), ap_plan_objective(b),
                ap_plan_objective(c), ap_plan_solver(c));
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(a), ap_plan_objective(ref), 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(b), ap_plan_objective(ref), 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(c), ap_plan_objective(ref), 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(ap_plan_bound(a), ap_plan_objective(a), 1e-6);
    if (p->k) {
        CU_ASSERT_EQUAL(ap_plan_nsites(a), (size_t)p->k);
        CU_ASSERT_EQUAL(ap_plan_nsites(c), (size_t)p->k);
    }
    /* the plan's sites include the pinned one */
    if (variant == 3)
        CU_ASSERT(a->open[pin] && c->open[pin]);
    /* branching: tree nodes past the root, or children bounded by strong
     * branching (which may fix sites and prune without a tree node) */
    *branched += a->nodes + (size_t)(sb > 0 ? sb : 0) > 3;
    *strong += sb > 0;
    *via_tree += strstr(ap_plan_solver(c), "ufl-branch-and-bound") != NULL;
    ap_plan_free(ref);
    ap_plan_free(a);
    ap_plan_free(b);
    ap_plan_free(c);
}

/* 64 random problems: the tree's optimum is the compact model's, with and
 * without an incumbent, and through ap_solve; some need real branching. */
static void test_ufl_vs_compact(void)
{
    unsigned long seed;
    int branched = 0, strong = 0, via_tree = 0;
    for (seed = 1; seed <= 64; seed++) {
        int variant = (int)(seed % 4);
        ap_problem *p = random_ufl(seed, 20 + seed % 25, 8 + seed % 17, variant);
        tree_vs_compact(p, seed, variant, seed % p->ns, 1, &branched, &strong, &via_tree);
        ap_problem_free(p);
    }
    CU_ASSERT(branched >= 10);
    CU_ASSERT(strong >= 5);
    CU_ASSERT(via_tree >= 5);
}

/* The same with a fixed k (p-median, and k sites with opening costs):
 * the greedy start (which may miss a feasible choice of k sites when
 * pairs are forbidden) only without forbidden pairs. */
static void test_median_tree_vs_compact(void)
{
    unsigned long seed;
    int branched = 0, strong = 0, via_tree = 0;
    for (seed = 1; seed <= 64; seed++) {
        int variant = (int)(seed % 4);
        ap_problem *p = random_ufl(seed + 1000, 20 + seed % 25, 8 + seed % 17, variant);
        size_t j;
        ap_problem_set_k(p, (int)(2 + seed % 5), NULL);
        if (seed % 2)
            for (j = 0; j < p->ns; j++)
                ap_problem_set_opening_cost(p, j, 0, NULL);
        tree_vs_compact(p, seed, variant, (seed + 1000) % p->ns, variant != 2, &branched, &strong, &via_tree);
        ap_problem_free(p);
    }
    CU_ASSERT(branched >= 10);
    CU_ASSERT_EQUAL(strong, 0); /* with k: most fractional, no strong branching */
    CU_ASSERT(via_tree >= 5);
}

/* Koerkel-Ghosh-like 100 x 100 problems (uniform costs, cheap sites),
 * where the tree branches on pseudocosts past its strong branching: it
 * reaches and proves the optimum of the Benders branch-and-cut (an LP-based
 * route that shares nothing with the tree). */
static void test_ufl_deep_trees(void)
{
    unsigned long seed;
    size_t deep = 0;
    for (seed = 3; seed <= 12; seed += 3) {
        ap_problem *p = random_ufl(seed, 100, 100, 0);
        long sb = -1;
        ap_plan *ref = solve_with(p, AP_SOLVER_BENDERS), *a = ufl_direct(p, 0, 0, &sb);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
        CU_ASSERT_EQUAL(ap_plan_status(ref), AP_STATUS_OPTIMAL);
        CU_ASSERT_EQUAL(ap_plan_status(a), AP_STATUS_OPTIMAL);
        CU_ASSERT_DOUBLE_EQUAL(ap_plan_objective(a), ap_plan_objective(ref), 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(ap_plan_bound(a), ap_plan_objective(a), 1e-6);
        deep += a->nodes > 10 && sb > 0;
        ap_plan_free(ref);
        ap_plan_free(a);
        ap_problem_free(p);
    }
    CU_ASSERT(deep >= 3);
}

/* A client no site may serve: infeasible without an incumbent.  A time
 * limit already past: the incumbent, unproven, with a bound below it. */
static void test_ufl_limits(void)
{
    ap_problem *p = random_ufl(5, 30, 12, 2);
    ap_plan *pl;
    size_t j;
    pl = ufl_direct(p, 1, 1e-9, NULL);
    CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_FEASIBLE);
    CU_ASSERT(ap_plan_bound(pl) <= ap_plan_objective(pl));
    CU_ASSERT(isfinite(ap_plan_bound(pl)));
    ap_plan_free(pl);
    for (j = 0; j < p->ns; j++)
        ap_problem_set_cost(p, 3, j, INFINITY, NULL);
    pl = ufl_direct(p, 0, 0, NULL);
    CU_ASSERT_EQUAL(ap_plan_status(pl), AP_STATUS_INFEASIBLE);
    ap_plan_free(pl);
    ap_problem_free(p);
}

/* The prediction of a tree's end: nothing closed or no growth, none;
 * all closed, none left; a closed share growing geometrically, c(t) =
 * 2^(0.5 (t - 20)), ends at t = 20 from any time on, also once the
 * samples have been thinned (more than AP__TPRED_N taken). */
static void test_tree_predict(void)
{
    ap__tpredict pr;
    double t;
    ap__tpredict_init(&pr);
    CU_ASSERT(isinf(ap__tpredict_left(&pr, 1, 0)));
    for (t = 0; t <= 10 + 1e-9; t += 0.1)
        ap__tpredict_add(&pr, t, 0.001);
    CU_ASSERT(isinf(ap__tpredict_left(&pr, 10, 0.001)));
    CU_ASSERT_EQUAL(ap__tpredict_left(&pr, 10, 1), 0);
    ap__tpredict_init(&pr);
    for (t = 0; t <= 8 + 1e-9; t += 0.1)
        ap__tpredict_add(&pr, t, exp2(0.5 * (t - 20)));
    CU_ASSERT(pr.n < AP__TPRED_N);
    CU_ASSERT_DOUBLE_EQUAL(ap__tpredict_left(&pr, 8, exp2(-6)), 12, 1e-9);
    ap__tpredict_init(&pr);
    for (t = 0; t <= 19 + 1e-9; t += 0.05)
        ap__tpredict_add(&pr, t, exp2(0.5 * (t - 20)));
    CU_ASSERT(pr.n <= AP__TPRED_N && pr.n >= AP__TPRED_N / 2);
    CU_ASSERT(pr.every > 0.25);
    CU_ASSERT_DOUBLE_EQUAL(ap__tpredict_left(&pr, 19, exp2(-0.5)), 1, 1e-9);
}

/* The give-way horizon: with another method to follow (min_rate > 0) and
 * its soft deadline now, a tree that needs more than its root gives way
 * at once (no prediction yet), unproven, with a bound below its plan; with
 * the soft deadline far away the same tree runs to its end. */
static void test_ufl_give_way(void)
{
    ap_problem *p = random_ufl(3, 100, 100, 0);
    double now = ap__now();
    ap_plan *full = ufl_budget(p, 1, (ap__tbudget){now + 600, now + 600, 1e-9}, NULL), *cut;
    CU_ASSERT_EQUAL(ap_plan_status(full), AP_STATUS_OPTIMAL);
    CU_ASSERT(full->nodes > 10);
    now = ap__now();
    cut = ufl_budget(p, 1, (ap__tbudget){now, now + 600, 1e-9}, NULL);
    CU_ASSERT_EQUAL(ap_plan_status(cut), AP_STATUS_FEASIBLE);
    CU_ASSERT(cut->nodes < full->nodes);
    CU_ASSERT(isfinite(ap_plan_bound(cut)));
    CU_ASSERT(ap_plan_bound(cut) <= ap_plan_objective(full) + 1e-6);
    CU_ASSERT(ap_plan_objective(cut) >= ap_plan_objective(full) - 1e-6);
    ap_plan_free(full);
    ap_plan_free(cut);
    ap_problem_free(p);
}

void suite_ufl(void)
{
    CU_pSuite s = CU_add_suite("ufl", NULL, NULL);
    CU_add_test(s, "facility-location tree = compact model on 64 random problems", test_ufl_vs_compact);
    CU_add_test(s, "facility-location tree: time limit, no serving site", test_ufl_limits);
    CU_add_test(s, "tree end predicted from the closed share's growth", test_tree_predict);
    CU_add_test(s, "facility-location tree gives way by its soft deadline and prediction", test_ufl_give_way);
    CU_add_test(s, "facility-location tree: 100 x 100 trees (pseudocosts, strong branching) = Benders",
                test_ufl_deep_trees);
    CU_add_test(s, "the same tree with k fixed (p-median) = compact model on 64 random problems",
                test_median_tree_vs_compact);
}
