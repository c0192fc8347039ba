/* scheduler.c - an example scheduler that links libaltoplace: every round it
 * reads the network from an ALTO server, takes the current demand, and asks
 * "where should the 2 replicas run now?", re-planning from its previous
 * decision (warm start).  Prints one JSON line per decision.
 *
 *   scheduler DIRECTORY_URI [ROUNDS]
 *
 * The demand moves from the west (A) to the east (D) of the line network
 * A-B-C-D of the test server, so the replicas follow it. */
#define _POSIX_C_SOURCE 200809L
#include <altoplace.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : NULL;
    int rounds = argc > 2 ? atoi(argv[2]) : 3, r;
    static const char *pids[4] = {"A", "B", "C", "D"};
    ap_problem *prev_p = NULL;
    ap_plan *prev = NULL;
    ap_error err;

    if (!uri) {
        fprintf(stderr, "usage: %s DIRECTORY_URI [ROUNDS]\n", argv[0]);
        return 1;
    }
    for (r = 0; r < rounds; r++) {
        ap_alto_opts ao;
        ap_alto *alto;
        ap_netmap *nm = NULL;
        ap_costmap *cm = NULL;
        ap_problem *p = NULL;
        ap_plan *plan = NULL;
        ap_build_opts bo;
        ap_solve_opts so;
        double demand[4];
        size_t i, j, moved = 0;
        int k;

        ap_error_clear(&err);
        ap_alto_opts_init(&ao);
        alto = ap_alto_open(uri, &ao, &err);
        if (!alto || !(nm = ap_alto_netmap(alto, NULL, &err)) ||
            !(cm = ap_alto_costmap(alto, nm, "hopcount", NULL, NULL, &err)))
            goto fail;
        /* demand drifts east, round by round */
        for (k = 0; k < 4; k++)
            demand[k] = 1 + 10 * exp(-(k - 3.0 * r / (rounds > 1 ? rounds - 1 : 1)) *
                                     (k - 3.0 * r / (rounds > 1 ? rounds - 1 : 1)));
        ap_build_opts_init(&bo);
        p = ap_problem_from_alto(nm, cm, NULL, pids, demand, 4, &bo, &err);
        if (!p || ap_problem_set_k(p, 2, &err))
            goto fail;
        ap_solve_opts_init(&so);
        so.time_limit = 10;
        so.warm = prev; /* re-plan from the previous decision */
        plan = ap_solve(p, &so, &err);
        if (!plan)
            goto fail;
        if (prev)
            for (i = 0; i < ap_plan_nsites(plan); i++) {
                const char *s = ap_problem_site_name(p, ap_plan_site(plan, i));
                int kept = 0;
                for (j = 0; j < ap_plan_nsites(prev); j++)
                    kept |= !strcmp(s, ap_problem_site_name(prev_p, ap_plan_site(prev, j)));
                moved += !kept;
            }
        printf("{\"round\": %d, \"status\": \"%s\", \"sites\": [", r, ap_status_name(ap_plan_status(plan)));
        for (i = 0; i < ap_plan_nsites(plan); i++)
            printf("%s\"%s\"", i ? ", " : "", ap_problem_site_name(p, ap_plan_site(plan, i)));
        printf("], \"objective\": %.6g, \"moved\": %zu}\n", ap_plan_objective(plan), moved);
        fflush(stdout);
        ap_plan_free(prev);
        ap_problem_free(prev_p);
        prev = plan;
        prev_p = p;
        ap_costmap_free(cm);
        ap_netmap_free(nm);
        ap_alto_free(alto);
        continue;
fail:
        fprintf(stderr, "scheduler: %s: %s\n", err.source, err.text);
        ap_plan_free(plan);
        ap_problem_free(p);
        ap_costmap_free(cm);
        ap_netmap_free(nm);
        ap_alto_free(alto);
        ap_plan_free(prev);
        ap_problem_free(prev_p);
        ap_thread_cleanup();
        return 3;
    }
    ap_plan_free(prev);
    ap_problem_free(prev_p);
    ap_thread_cleanup();
    return 0;
}
