/* solver.h - the solver's internal interface (greedy heuristic, GLPK ILP). */
#ifndef AP_SOLVER_H
#define AP_SOLVER_H
#include "../src/internal.h"

/* Logs through the caller's callback, if any. */
void ap__log(const ap_solve_opts *o, ap_log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Returns 1 and writes a reason when the problem is infeasible on its face
 * (k too large, a client no site may serve, not enough capacity), else 0. */
int ap__precheck(const ap_problem *p, char *reason, size_t n);

/* Greedy construction + local search.  Fills `open` (ns flags) and `a`.
 * Returns 0 when a feasible solution was found, 1 when none was found, -1 on
 * error (err filled).  Stops improving at `deadline` (ap__now() clock). */
int ap__greedy(const ap_problem *p, const ap_solve_opts *o, double deadline,
               unsigned char *open, ap__assign *a, ap_error *err);

/* GLPK branch-and-cut, seeded with (warm_open, warm) when warm_open is not
 * NULL.  Fills plan (status, objective, bound, gap, solution).  Returns 0 or
 * -1 on a solver failure (err filled; plan untouched). */
int ap__ilp(const ap_problem *p, const ap_solve_opts *o, double deadline,
            const unsigned char *warm_open, const ap__assign *warm,
            ap_plan *plan, ap_error *err);

/* Whether the problem has a finite capacity anywhere. */
int ap__capacitated(const ap_problem *p);
#endif
