/* fuzz_problem.c - problem files (the line network's maps beside them, and
 * in ../_line/ as the seeds from tests/fixtures/invalid name them); what
 * loads is solved by the heuristic. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ap_problem *p;
    fuzz_line();
    p = ap_problem_load(fuzz_file("p/problem.json", data, size), NULL);
    if (p) {
        ap_solve_opts o;
        ap_plan *pl;
        ap_solve_opts_init(&o);
        o.solver = AP_SOLVER_GREEDY;
        o.time_limit = 1;
        pl = ap_solve(p, &o, NULL);
        if (pl)
            free(ap_plan_to_json(pl, NULL));
        ap_plan_free(pl);
    }
    ap_problem_free(p);
    return 0;
}
