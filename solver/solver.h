/* solver.h - the solver's internal interface: checks (check.c), greedy
 * heuristic and local search (greedy.c), path relinking (pool.c), Lagrangian
 * relaxations (lagrange.c; lagrange_ss.c single source; lagrange_cfl.c split
 * demand with capacities, whose cover over the sites is cover.c), exact
 * assignments to given sites (gap.c; transport.c for split demand), the
 * Lagrangian trees (tree.c their nodes; ufl.c without capacities,
 * cfl_tree.c with capacities and split demand), Benders decomposition
 * (benders.c), GLPK branch-and-cut (ilp.c), the driver (solve.c).  The
 * solver sees only the model and base layers: no JSON, no HTTP. */
#ifndef AP_SOLVER_H
#define AP_SOLVER_H
#include "model/model_int.h"
#include <stdint.h>

/* A small deterministic pseudo-random generator (xorshift64*), for the
 * local searches (greedy.c, pool.c). */
static inline uint64_t ap__rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/* radix.c: order[0..n) = 0..n-1 sorted by key (largest first when
 * descending), ties in index order; bits and tmp hold n entries each.  No
 * NaN keys. */
void ap__radix_order(const double *key, size_t n, int descending, size_t *order, uint64_t *bits, size_t *tmp);

/* cover.c: the least-cost cover (the 0-1 knapsack in minimisation form).
 * Load n items into v, q (v_j >= 0, q_j > 0; id is the caller's), sorted
 * by v_j / q_j ascending, then ap__cover_solve finds the least cost of a
 * choice whose sizes sum to at least `need` (within 1e-9 relative) below
 * `cutoff` (INFINITY: any), or with `first` any choice below cutoff.  *val
 * is that cost (INFINITY: none below cutoff), the choice in best[0..nbest)
 * (positions in the loaded order).  Returns 1 when the search finished, 0
 * when it stopped after `limit` nodes (then *val is only the best found). */
typedef struct {
    size_t n, nbest;
    double *v, *q, *pv, *pq;
    size_t *stack, *best, *id;
} ap__cover;
int ap__cover_init(ap__cover *c, size_t cap);
void ap__cover_free(ap__cover *c);
int ap__cover_solve(ap__cover *c, double need, double cutoff, int first, size_t limit, double *val);
/* The LP bound of the cover (after ap__cover_solve on the same items, which
 * leaves their prefix sums): the least cost for `need` with fractional
 * items, without the item at position `without` (SIZE_MAX: with all);
 * INFINITY when the items cannot cover it. */
double ap__cover_lp(const ap__cover *c, double need, size_t without);

/* Whether opening the sites `open` respects max_changes. */
int ap__changes_ok(const ap_problem *p, const unsigned char *open);
/* Number of open sites that are not existing ones. */
int ap__changes(const ap_problem *p, const unsigned char *open);

/* Returns 1 and writes a reason when the problem is infeasible on its face
 * (k too large, a client no site may serve, not enough capacity), else 0. */
int ap__precheck(const ap_problem *p, char *reason, size_t n);

/* Greedy construction + local search.  Fills `open` (ns flags) and `a`.
 * Returns 0 when a feasible solution was found, 1 when none was found, -1 on
 * error (err filled).  Stops improving at `deadline` (ap__now() clock). */
int ap__greedy(const ap_problem *p, const ap_solve_opts *o, double deadline,
               unsigned char *open, ap__assign *a, ap_error *err);

/* Swap local search from the open sites `open` (for capacitated models,
 * with the capacity-aware assignment); same returns as ap__greedy. */
int ap__improve(const ap_problem *p, const ap_solve_opts *o, double deadline,
                unsigned char *open, ap__assign *a, ap_error *err);
/* ap__improve, then on capacitated models an iterated local search (a
 * kick of one or two random swaps, the descent, the better plan kept)
 * until the deadline (finite). */
int ap__improve_until(const ap_problem *p, const ap_solve_opts *o, double deadline,
                      unsigned char *open, ap__assign *a, ap_error *err);

/* pool.c: whether ap__pool applies to p (fixed k >= 2, no limit on changes,
 * every cost finite); and the search itself, from the k sites in `open`
 * until `stop`, which leaves the best set found in `open`.  1 done, 0
 * nothing to do (open is not k sites), -1 out of memory. */
int ap__pool_applies(const ap_problem *p);
int ap__pool(const ap_problem *p, const ap_solve_opts *o, double stop, unsigned char *open);
/* ap__pool with a second start `also` (k site flags, or NULL) in the pool
 * from the beginning: the relinking then combines the two. */
int ap__pool_with(const ap_problem *p, const ap_solve_opts *o, double stop, unsigned char *open,
                  const unsigned char *also);
/* For tests: from the k sites of `open` (no pinned site), `moves` random
 * swaps through the incremental tables; before each, the value and the
 * best swap's saving they give against every swap evaluated from scratch.
 * The largest difference, or -1 (out of memory, or open not k sites). */
double ap__pool_selftest(const ap_problem *p, const unsigned char *open, int moves, uint64_t seed);

/* Result of a Lagrangian relaxation (ap__lagrange, _cfl, _ss). */
typedef struct {
    double lb;            /* best lower bound (for the problem restricted by fix) */
    unsigned char *fix;   /* ns: 0 free, 1 fixed closed, 2 fixed open */
    size_t nfree, iters;
    int proven;           /* lb proves the incumbent optimal */
    int integral;         /* every objective coefficient is an integer */
    unsigned char *xfix;  /* nc*ns or NULL: 1 = no plan better than the
                           * incumbent assigns client i to site j */
    size_t nxfix;         /* how many pairs xfix excludes */
    double *mult;         /* nc or NULL: the multipliers of the best bound
                           * (ap__lagrange and ap__lagrange_ss; demand-
                           * weighted costs) */
} ap__lagr;

/* GLPK branch-and-cut, seeded with (warm_open, warm) when warm_open is not
 * NULL, over the sites and pairs the Lagrangian bound lg left free (lg may
 * be NULL).  Fills plan (status, objective, bound, gap, solution).  Returns 0 or
 * -1 on a solver failure (err filled; plan untouched). */
int ap__ilp(const ap_problem *p, const ap_solve_opts *o, double deadline,
            const unsigned char *warm_open, const ap__assign *warm,
            const ap__lagr *lg, ap_plan *plan, ap_error *err);

/* Uncapacitated models by Benders decomposition (benders.c): the master
 * has the site variables and one cost variable per client, cuts are added
 * as they are violated.  warm_open (may be NULL) is the incumbent of value
 * ub; lg (may be NULL) the sites the Lagrangian bound fixed.  Same returns
 * as ap__ilp. */
int ap__benders(const ap_problem *p, const ap_solve_opts *o, double deadline,
                const unsigned char *warm_open, const ap__lagr *lg, double ub,
                ap_plan *plan, ap_error *err);

/* Uncapacitated facility location (opening costs, k free, no limit on
 * changes) by Lagrangian branch-and-bound (ufl.c): whether it applies, and
 * the search, seeded with the incumbent warm_open (may be NULL) and the
 * root Lagrangian lg (may be NULL: its multipliers and fixed sites).  Same
 * returns as ap__ilp.  The tree also takes a fixed k (the p-median):
 * ap__ufl_applies_any_k says whether it may run with the problem's k.
 * The budget: the tree stops (as on a time limit) at `hard`; with
 * min_rate > 0 (another method follows) it gives way sooner: when, after a
 * second of search past the root, it bounds fewer than min_rate nodes a
 * second, or, once half of its time to `soft` has passed, when its
 * predicted end (ap__tpredict), with a margin, comes after `hard`. */
typedef struct {
    double soft, hard;  /* absolute times (ap__now) */
    double min_rate;    /* 0: run to hard (nothing follows) */
} ap__tbudget;
int ap__ufl_applies(const ap_problem *p);
int ap__ufl_applies_any_k(const ap_problem *p);
int ap__ufl(const ap_problem *p, const ap_solve_opts *o, ap__tbudget bud, const unsigned char *warm_open,
            const ap__lagr *lg, ap_plan *plan, ap_error *err);

/* Assigns every client to its cheapest open site (a cleared first).  0; -1
 * out of memory; i + 1 when client i has no allowed open site. */
int ap__assign_nearest(const ap_problem *p, const unsigned char *open, ap__assign *a);

/* Subgradient optimisation of the Lagrangian dual (assignment rows
 * relaxed), with variable fixing against the incumbent of value *ub whose
 * open sites are `ub_open` (never fixed against it).  The relaxed solutions
 * also seed local search: an improved incumbent replaces *ub, ub_open and
 * ub_asg.  stall > 0: stop when, in `stall` seconds, the bound moves less
 * than 0.01%, closing less than a tenth of the gap, and fewer than 1% of
 * the sites are newly fixed.  Fills out (out->fix allocated, caller frees).  Returns 0 or -1. */
int ap__lagrange(const ap_problem *p, const ap_solve_opts *o, double deadline, double stall,
                 double *ub, unsigned char *ub_open, ap__assign *ub_asg, ap__lagr *out,
                 ap_error *err);

/* The same for the capacitated model with split demand and finite
 * capacities (lagrange_cfl.c: relaxing the assignment rows leaves a
 * continuous knapsack per site and a cover problem over the sites); its
 * relaxed site choices with their best transportation plans improve *ub,
 * ub_open and ub_asg. */
int ap__lagrange_cfl(const ap_problem *p, const ap_solve_opts *o, double deadline, double *ub,
                     unsigned char *ub_open, ap__assign *ub_asg, ap__lagr *out, ap_error *err);

/* Its pieces, for the tree (cfl_tree.c): a work space bound to the
 * incumbent (*ub, ub_open, ub_asg: improved by the Lagrangian heuristic),
 * and subgradient steps from multipliers lam (nc) with the sites fixed by
 * fix (ns, updated by the fixing tests; lam left at the best multipliers).
 * In tree mode the fixing tests are against the relaxed choice and never
 * undone, and a node whose sites cannot hold the demand is pruned. */
typedef struct ap__cfl ap__cfl;
typedef struct {
    size_t maxit;       /* steps at most */
    double mu;          /* first step factor */
    int stall;          /* the factor halves after this many steps without a better bound */
    double *ybar;       /* ns or NULL: moving average of the relaxed choices */
    double lb;          /* out: the best bound (INFINITY: the fixings leave no plan) */
    size_t iters;       /* out: steps made */
    int pruned;         /* out: lb reached the threshold (no better plan here) */
} ap__cfl_run;
ap__cfl *ap__cfl_new(const ap_problem *p, const ap_solve_opts *o, double deadline, double *ub,
                     unsigned char *ub_open, ap__assign *ub_asg, ap_error *err);
void ap__cfl_free(ap__cfl *w);
void ap__cfl_tree_mode(ap__cfl *w, double deadline);
int ap__cfl_steps(ap__cfl *w, unsigned char *fix, double *lam, ap__cfl_run *run);
double ap__cfl_threshold(const ap__cfl *w);
/* The sites sel (ns flags) with their best transportation plan: the new
 * incumbent when better (fix as the steps' fixings).  0 or -1. */
int ap__cfl_try(ap__cfl *w, const unsigned char *sel, unsigned char *fix);
const double *ap__cfl_values(const ap__cfl *w);

/* tree.c: a node of the Lagrangian trees (ufl.c, cfl_tree.c) and their
 * depth-first stack.  ap__tnode_copy makes c a copy of `from` (NULL: a
 * zeroed node) for nc clients and ns sites (0 or -1);
 * ap__tstack_push_children pushes the kept children (kept[q] != 0), the
 * one of lower bound last (searched first), and frees them if it fails (0
 * or -1); ap__tstack_least is the least bound of the stack and cur. */
typedef struct {
    double lb;          /* the node's bound (its subtree holds no plan below it) */
    size_t br;          /* the site to branch on */
    double *ybar;       /* ns: moving average of the relaxed choices */
    unsigned char *fix; /* ns: 0 free, 1 closed, 2 open */
    double *u;          /* nc multipliers */
    unsigned depth;     /* branchings from the root */
} ap__tnode;
typedef struct {
    ap__tnode *v;
    size_t n, cap;
} ap__tstack;
int ap__tnode_copy(ap__tnode *c, const ap__tnode *from, size_t nc, size_t ns);
/* c: a copy of n whose branching site n->br is set to v (1 closed, 2
 * open), one level deeper.  0 or -1. */
int ap__tnode_child(ap__tnode *c, const ap__tnode *n, unsigned char v, size_t nc, size_t ns);
/* The same with another site set (strong branching's trial children). */
int ap__tnode_child_at(ap__tnode *c, const ap__tnode *n, size_t site, unsigned char v, size_t nc, size_t ns);
void ap__tnode_free(ap__tnode *n);
int ap__tstack_push(ap__tstack *s, const ap__tnode *n);
int ap__tstack_push_children(ap__tstack *s, ap__tnode c[2], const int kept[2]);
double ap__tstack_least(const ap__tstack *s, double cur);
void ap__tstack_free(ap__tstack *s);
/* Both children of n (site n->br closed, v = 1, and open, v = 2) made by
 * child (1 pruned, 0 kept in c, -1 error), the kept ones pushed: 0 or -1. */
typedef int (*ap__tchild)(void *ctx, const ap__tnode *n, unsigned char v, ap__tnode *c);
int ap__tstack_expand(ap__tstack *s, const ap__tnode *n, ap__tchild child, void *ctx);
/* The trees' progress line; closed: the share of the search space closed
 * (a pruned node at depth d counts 2^-d; 1 when the tree is exhausted);
 * left: the predicted seconds to the tree's end (ap__tpredict_left;
 * shown once 0.1% is closed and when finite). */
void ap__tree_progress(const ap_solve_opts *o, const char *what, double ub, double lb, size_t nodes, size_t open,
                       double closed, double elapsed, double left);
/* When a depth-first tree will end, from its closed share c(t): samples
 * of (elapsed, c) taken at least `every` seconds apart (AP__TPRED_N kept,
 * thinned to every other one when full), and the seconds left that the
 * growth of log2 c over the last half of the elapsed time predicts
 * (ap__tpredict_left; INFINITY when nothing closed yet or it did not
 * grow).  See ufl.c's give_way for what it was measured on. */
#define AP__TPRED_N 64
typedef struct {
    double t[AP__TPRED_N], c[AP__TPRED_N];
    int n;
    double every;
} ap__tpredict;
void ap__tpredict_init(ap__tpredict *pr);
void ap__tpredict_add(ap__tpredict *pr, double elapsed, double closed);
double ap__tpredict_left(const ap__tpredict *pr, double elapsed, double closed);

/* cfl_tree.c: Lagrangian branch-and-bound for split-demand facility
 * location (k free), from the root's multipliers and fixings lg.  1 when
 * the tree was exhausted (no plan below the incumbent's threshold), 0 when
 * time ran out (*lb the least bound left), -1 on error.  The incumbent
 * *ub, ub_open, ub_asg improves as it goes. */
int ap__cfl_tree_applies(const ap_problem *p);
int ap__cfl_tree(const ap_problem *p, const ap_solve_opts *o, double deadline, const ap__lagr *lg, double *ub,
                 unsigned char *ub_open, ap__assign *ub_asg, double *lb, ap_error *err);

/* The same for single-source capacitated models (capacitated p-median,
 * single-source facility location): relaxing the assignment rows leaves a
 * 0-1 knapsack per site, solved by dynamic programming; the relaxed
 * solutions are repaired into plans (improving *ub, ub_open, ub_asg), and
 * reduced costs fix sites and client-site pairs (out->xfix). */
int ap__lagrange_ss(const ap_problem *p, const ap_solve_opts *o, double deadline, double *ub,
                    unsigned char *ub_open, ap__assign *ub_asg, ap__lagr *out, ap_error *err);

/* gap.c: the best single-source assignment of every client to the open
 * sites `open` (a generalized assignment problem, by GLPK; warm may be NULL
 * or a full assignment to start from), stopping at `deadline`.  0: a plan
 * in out, its objective in *z, *proven when it is the best assignment; 1:
 * none found (none exists, or time ran out, or, single source, none can
 * cost less than `cutoff`: the search stops once its bound reaches it;
 * INFINITY for none); -1 error (err filled).  Not while another GLPK solve
 * of this thread runs. */
int ap__gap_exact(const ap_problem *p, const unsigned char *open, const ap__assign *warm, double cutoff,
                  double deadline, ap__assign *out, double *z, int *proven, ap_error *err);
/* The same, always by GLPK (split demand: as an LP, cutoff unused). */
int ap__gap_glpk(const ap_problem *p, const unsigned char *open, const ap__assign *warm, double cutoff,
                 double deadline, ap__assign *out, double *z, int *proven, ap_error *err);

/* transport.c: the best split-demand assignment to the open sites `open`
 * (a transportation problem, by successive shortest paths; no GLPK).  0: in
 * out, its objective in *z; 1: none (a client no open site may serve, too
 * little capacity, or past the deadline); 2: rounding trouble (the caller
 * solves it another way); -1 out of memory (err filled). */
int ap__transport(const ap_problem *p, const unsigned char *open, double deadline, ap__assign *out, double *z,
                  ap_error *err);

/* Relocation descent with exact assignments: replaces an open site by one
 * of the `cand` closed sites cheapest for its clients (and, when k is
 * free, closes an open site or opens one of the `cand` closed sites whose
 * estimated saving is largest) while the best assignment to the new sites
 * (ap__gap_exact) beats *z; open, asg and *z hold the result.  *ncalls
 * counts the assignment problems solved.  Each is solved only as far as
 * it can beat *z (ap__gap_exact's cutoff, at 1 below *z when `integral`:
 * the caller's ap__objective_integral).  0 or -1. */
int ap__gap_descent(const ap_problem *p, double deadline, size_t cand, int integral, unsigned char *open,
                    ap__assign *asg, double *z, size_t *ncalls, ap_error *err);

/* gap.c: site t of value v among the `cand` best (least v) in best[]/bv[],
 * in order, *n of them so far. */
void ap__keep_best(size_t *best, double *bv, size_t *n, size_t cand, size_t t, double v);

/* ss_lns.c: single source with capacities, a plan (open, a) improved by
 * small integer programs that re-place the clients of 2-4 nearby open
 * sites on the same number of sites, until none improves it or the
 * deadline; with `kicks`, when that descent gained over 0.5%, random kicks
 * and descents until the deadline, the best plan kept.  0 (open and a hold
 * the result, logged through o) or -1 (err filled). */
int ap__ss_lns(const ap_problem *p, const ap_solve_opts *o, double deadline, int kicks, unsigned char *open,
               ap__assign *a, ap_error *err);

/* ss_node.c: the `need` free sites (yst[j] >= 0, sel[j] = 0) of least v,
 * marked in sel; their sum (INFINITY when fewer are free).  sorted: ns
 * scratch. */
double ap__pick_least(const double *v, const signed char *yst, unsigned char *sel, size_t ns, size_t need,
                      double *sorted);

/* Helpers the Lagrangian methods share (lagrange.c). */
int ap__objective_integral(const ap_problem *p);
/* qsort comparison of doubles, ascending. */
int ap__cmp_dbl(const void *a, const void *b);
/* The 0-1 knapsack of m items (weights wt >= 0, values rv < 0) within
 * capacity C >= 0, by dynamic programming (lagrange_ss.c): returns the
 * least total value, leaves dp[c] (C + 1 cells) the least value within
 * capacity c, and sets mark[item[t]] = 1 for the items of the solution.
 * keep: m x (C + 1) scratch. */
double ap__knapsack01(size_t m, const size_t *item, const int *wt, const double *rv, long C, double *dp,
                      unsigned char *keep, unsigned char *mark);
void ap__lagr_progress(const ap_solve_opts *o, double t0, double *last, const char *what,
                       double lb, double ub, size_t it);
void ap__lagr_finish(const ap_solve_opts *o, const ap_problem *p, ap__lagr *out, const char *what);
void ap__lagr_record(ap__lagr *out, double L, double *mu, int *noimp);
void ap__lagr_step(double *lam, const double *g, size_t n, double mu, double ub, double L,
                   double norm);
/* The last 64 site choices a Lagrangian heuristic tried, by hash: each
 * choice is tried once.  ap__seen_before returns 1 when sel (ns flags) is
 * among them, else records it and returns 0. */
typedef struct {
    unsigned long long h[64];
    size_t n;
} ap__seen;
int ap__seen_before(ap__seen *s, const unsigned char *sel, size_t ns);
/* Pinned sites fixed open, each multiplier at the client's cost in the
 * incumbent ub_open. */
void ap__lagr_start(const ap_problem *p, const unsigned char *ub_open, unsigned char *fix, double *lam);
/* A new incumbent ub_open: sites fixed against it are free again. */
void ap__lagr_unfix(unsigned char *fix, const unsigned char *ub_open, size_t ns);
/* A plan strictly better than ub has an objective below this. */
double ap__lagr_threshold(int integral, double ub);

/* ap_solve registers its options for ap__cancelled (NULL when done). */
const ap_solve_opts *ap__solve_begin(const ap_solve_opts *o); /* returns the previous (a nested solve restores it) */
/* Whether the caller asked the running solve (in this thread) to stop. */
int ap__cancelled(void);
/* Time to stop: past the deadline, or cancelled. */
int ap__stopped(double deadline);

/* The fewest sites (of those fix does not close; fix may be NULL) whose
 * capacities, largest first, cover `total`; ns + 1 when all of them do not.
 * scratch holds ns values. */
size_t ap__fewest_sites(const ap_problem *p, const unsigned char *fix, double total, double *scratch);

/* Whether the problem has a finite capacity anywhere. */
int ap__capacitated(const ap_problem *p);

/* Tests only: while on (in this thread), the ILP builder misuses the GLPK
 * API on purpose, so that tests prove a GLPK error becomes AP_ESOLVER
 * instead of abort(). */
void ap__ilp_test_fault(int on);
/* Test hook: 0 turns the single-source branch-and-cut's Lagrangian node
 * bounds (ss_node.c) off in this thread, 1 back on. */
void ap__ilp_test_node_bounds(int on);
/* Test hook: 1 makes the single-source branch-and-cut compute its tree
 * bound (ap__ssnode_global_bound, or the incumbent's value when lower) at
 * every node selection in this thread and keep the largest; 0 stops.
 * Returns the largest seen since the last call (-INFINITY: none). */
double ap__ilp_test_tree_bound(int on);
/* Test hook: 1 stops the first heuristic (solve.c) right after its
 * construction in this thread, as its deadline would, so that the solve
 * resumes the descent later; 0 back to normal. */
void ap__solve_test_cut(int on);
#endif
