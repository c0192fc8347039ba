/* solver_only.c - built by `make test` and linked with libaltoplace.a and
 * GLPK alone (no libcurl, jansson, libxml2 or zlib): building a problem and
 * solving it must not pull in the ALTO client or any parser.  It also
 * checks the answer: a 3-site line with k = 1 opens the middle site. */
#include "altoplace.h"
#include <math.h>
#include <stdio.h>

int main(void)
{
    ap_error e;
    ap_problem *p = ap_problem_new(3, 3, &e);
    ap_plan *pl;
    size_t i, j;
    int ok;
    if (!p)
        return 1;
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++)
            ap_problem_set_cost(p, i, j, fabs((double)i - (double)j), &e);
    for (i = 0; i < 3; i++)
        ap_problem_set_demand(p, i, 1, &e);
    ap_problem_set_k(p, 1, &e);
    pl = ap_solve(p, NULL, &e);
    ok = pl && ap_plan_status(pl) == AP_STATUS_OPTIMAL && ap_plan_nsites(pl) == 1 && ap_plan_site(pl, 0) == 1 &&
         ap_plan_objective(pl) == 2;
    printf("solver-only link: %s (objective %g)\n", ok ? "ok" : "WRONG", pl ? ap_plan_objective(pl) : NAN);
    ap_plan_free(pl);
    ap_problem_free(p);
    ap_thread_cleanup();
    return ok ? 0 : 1;
}
