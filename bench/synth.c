/* synth.c - a synthetic p-median through the library API: n clients = n
 * candidate sites, uniform random points in the unit square (fixed seed),
 * Euclidean costs, unit demand.  Prints objective, bound, gap, status, time,
 * and the peak resident memory.  With M, only the first M points are
 * candidate sites (N clients x M sites).
 *
 *   build/bench-synth [N] [K] [TIME_LIMIT] [M]     (default 2000 50 60 N)
 */
#define _POSIX_C_SOURCE 200809L
#include "altoplace.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static void on_log(void *ud, ap_log_level lvl, const char *msg)
{
    (void)ud;
    if (lvl != AP_LOG_INFO || getenv("VERBOSE"))
        fprintf(stderr, "  %s\n", msg);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 2000, i, j;
    int k = argc > 2 ? atoi(argv[2]) : 50;
    double tl = argc > 3 ? atof(argv[3]) : 60, *x, *y;
    size_t m = argc > 4 ? (size_t)atol(argv[4]) : n;
    unsigned long long s = 12345;
    ap_error err;
    ap_problem *p;
    ap_plan *pl;
    ap_solve_opts o;
    struct rusage ru;
    struct timespec t0, t1;

    x = malloc(n * sizeof *x);
    y = malloc(n * sizeof *y);
    if (m < 1 || m > n) {
        fprintf(stderr, "M must be in [1, N]\n");
        return 2;
    }
    p = ap_problem_new(n, m, &err);
    if (!x || !y || !p) {
        fprintf(stderr, "setup failed\n");
        return 1;
    }
    for (i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        x[i] = (double)(s >> 11) / 9007199254740992.0;
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        y[i] = (double)(s >> 11) / 9007199254740992.0;
    }
    for (i = 0; i < n; i++) {
        ap_problem_set_demand(p, i, 1, NULL);
        for (j = 0; j < m; j++)
            ap_problem_set_cost(p, i, j, hypot(x[i] - x[j], y[i] - y[j]), NULL);
    }
    ap_problem_set_k(p, k, NULL);
    ap_solve_opts_init(&o);
    o.time_limit = tl;
    o.log = on_log;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pl = ap_solve(p, &o, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!pl) {
        fprintf(stderr, "solve failed: %s\n", err.text);
        return 1;
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("synthetic p-median n=%zu m=%zu k=%d: status %s, objective %.6f, bound %.6f, gap %.4f%%, "
           "solver %s, %.2f s, peak RSS %.1f MiB\n",
           n, m, k, ap_status_name(ap_plan_status(pl)), ap_plan_objective(pl), ap_plan_bound(pl),
           100 * ap_plan_gap(pl), ap_plan_solver(pl),
           (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9, ru.ru_maxrss / 1024.0);
    ap_plan_free(pl);
    ap_problem_free(p);
    ap_thread_cleanup();
    free(x);
    free(y);
    return 0;
}
