/* replan.c - re-planning after cost-map updates: a 500-PID network with 20
 * replicas, a replayed sequence of updates (each changes 10% of the costs by
 * up to +-30%).  Prints, per update and in total, the time to re-plan cold
 * and warm (previous plan as warm start; each solve limited to 5 s), and the replica moves with and
 * without hysteresis (move only when the new plan is better by more than
 * the margin after a migration cost per moved replica).
 *
 *   build/bench-replan [UPDATES] [MARGIN] [greedy|auto]   (default 10 updates, 1%, greedy)
 */
#define _POSIX_C_SOURCE 200809L
#include "altoplace.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 500
#define K 20

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static unsigned long long rs = 42;
static double rnd(void)
{
    rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rs >> 11) / 9007199254740992.0;
}

static ap_problem *build(const double *c, const double *d)
{
    ap_problem *p = ap_problem_new(N, N, NULL);
    size_t i, j;
    for (i = 0; i < N; i++) {
        ap_problem_set_demand(p, i, d[i], NULL);
        for (j = 0; j < N; j++)
            ap_problem_set_cost(p, i, j, c[i * N + j], NULL);
    }
    ap_problem_set_k(p, K, NULL);
    return p;
}

/* Objective of keeping the sites of `old` on problem p. */
static double keep_cost(const ap_problem *p, const ap_plan *old, const double *c, const double *d)
{
    double z = 0;
    size_t i, k;
    (void)p;
    for (i = 0; i < N; i++) {
        double b = INFINITY;
        for (k = 0; k < ap_plan_nsites(old); k++)
            if (c[i * N + ap_plan_site(old, k)] < b)
                b = c[i * N + ap_plan_site(old, k)];
        z += d[i] * b;
    }
    return z;
}

static size_t moves(const ap_plan *a, const ap_plan *b)
{
    size_t i, j, m = 0;
    for (i = 0; i < ap_plan_nsites(b); i++) {
        int kept = 0;
        for (j = 0; j < ap_plan_nsites(a); j++)
            kept |= ap_plan_site(a, j) == ap_plan_site(b, i);
        m += !kept;
    }
    return m;
}

int main(int argc, char **argv)
{
    int updates = argc > 1 ? atoi(argv[1]) : 10, u;
    double margin = argc > 2 ? atof(argv[2]) : 0.01;
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y), *d = malloc(N * sizeof *d);
    double *c = malloc((size_t)N * N * sizeof *c), tcold = 0, twarm = 0;
    size_t i, j, mv_plain = 0, mv_hyst = 0;
    ap_problem *p, *pcur;
    ap_plan *cur, *held;
    ap_solve_opts o;
    for (i = 0; i < N; i++)
        x[i] = rnd(), y[i] = rnd(), d[i] = 1 + 9 * rnd();
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++)
            c[i * N + j] = hypot(x[i] - x[j], y[i] - y[j]);
    ap_solve_opts_init(&o);
    o.time_limit = 5;
    /* the scheduler's question is "where now?": the heuristic plan (the ILP
     * on this size runs to the limit either way) */
    o.solver = argc > 3 && !strcmp(argv[3], "auto") ? AP_SOLVER_AUTO : AP_SOLVER_GREEDY;
    pcur = build(c, d);
    cur = ap_solve(pcur, &o, NULL);
    held = cur; /* the plan in force under hysteresis: the same at first */
    printf("update  cold_s  warm_s  speedup  cold_obj      warm_obj      moves  moves_hyst  status cold/warm\n");
    fflush(stdout);
    for (u = 1; u <= updates; u++) {
        ap_plan *cold, *warm;
        double t0, t1, t2, kc;
        size_t m, mh;
        for (i = 0; i < (size_t)N * N / 10; i++) {
            size_t a = (size_t)(rnd() * N), b = (size_t)(rnd() * N);
            double f = 0.7 + 0.6 * rnd();
            c[a * N + b] *= f;
            c[b * N + a] = c[a * N + b];
        }
        for (i = 0; i < N; i++)
            c[i * N + i] = 0;
        p = build(c, d);
        t0 = now();
        cold = ap_solve(p, &o, NULL);
        t1 = now();
        o.warm = cur;
        warm = ap_solve(p, &o, NULL);
        t2 = now();
        o.warm = NULL;
        tcold += t1 - t0;
        twarm += t2 - t1;
        m = moves(cur, warm);
        mv_plain += m;
        /* hysteresis: keep the held sites unless the new plan saves more
         * than the margin (each move costs margin/K of the objective) */
        kc = keep_cost(p, held, c, d);
        mh = moves(held, warm);
        if (ap_plan_objective(warm) + mh * (margin / K) * kc < kc * (1 - margin)) {
            mv_hyst += mh;
            held = warm;
        }
        printf("%6d  %6.2f  %6.2f  %7.1f  %-12.6g  %-12.6g  %5zu  %5zu  %s/%s\n", u, t1 - t0, t2 - t1,
               (t1 - t0) / (t2 - t1), ap_plan_objective(cold), ap_plan_objective(warm), m,
               held == warm ? mh : (size_t)0, ap_status_name(ap_plan_status(cold)),
               ap_status_name(ap_plan_status(warm)));
        fflush(stdout);
        ap_plan_free(cold);
        if (held != cur)
            ap_plan_free(cur);
        /* keep the problem of `held` alive: plans borrow their problem */
        cur = warm;
        (void)pcur;
        pcur = p;
    }
    printf("total: cold %.2f s, warm %.2f s (%.1fx); moves %zu without hysteresis, %zu with a %.0f%% margin\n",
           tcold, twarm, tcold / twarm, mv_plain, mv_hyst, 100 * margin);
    ap_thread_cleanup();
    return 0; /* the process ends: plans and problems are not freed one by one */
}
