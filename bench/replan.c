/* replan.c - re-placement after cost-map updates, decided by the library's
 * policy (ap_replan): 1,000 client PIDs, 100 candidate sites, 30 replicas;
 * each update changes 10% of the costs by up to +-30%.  Per update and in
 * total: the time of a cold solve and of a warm decision (ap_replan from
 * the deployed plan: keep evaluated, warm-started solve), and the replica
 * moves without a margin and with one.  MODEL uncap is the p-median,
 * cap the same with capacities (each site 1.25x its share of the demand,
 * split demand).
 *
 *   build/bench-replan [UPDATES] [MARGIN] [uncap|cap] [greedy|auto]
 *   (defaults 10, 0.01, uncap, greedy; each solve limited to 5 s)
 */
#define _POSIX_C_SOURCE 200809L
#include "altoplace.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N 1000 /* client PIDs */
#define M 100  /* candidate sites: every tenth PID */
#define K 30   /* replicas */

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

static ap_problem *build(const double *c, const double *d, int cap)
{
    ap_problem *p = ap_problem_new(N, M, NULL);
    double total = 0;
    size_t i, j;
    char name[16];
    for (i = 0; i < N; i++) {
        snprintf(name, sizeof name, "pid%zu", i);
        ap_problem_set_client_name(p, i, name, NULL);
        ap_problem_set_demand(p, i, d[i], NULL);
        total += d[i];
        for (j = 0; j < M; j++)
            ap_problem_set_cost(p, i, j, c[i * M + j], NULL);
    }
    for (j = 0; j < M; j++) {
        snprintf(name, sizeof name, "pid%zu", j * (N / M));
        ap_problem_set_site_name(p, j, name, NULL);
        if (cap)
            ap_problem_set_capacity(p, j, 1.25 * total / K, NULL);
    }
    ap_problem_set_k(p, K, NULL);
    return p;
}

/* One policy's deployed state. */
typedef struct {
    ap_replan_policy pol;
    ap_problem *p;
    ap_plan *cur;
    size_t moves;
    double seconds;
} track;

/* Decides for problem p (copied); returns the moves of this decision. */
static size_t decide(track *t, const ap_problem *p, const ap_solve_opts *o, double *secs, double *obj)
{
    ap_problem *q = ap_problem_copy(p, NULL);
    ap_replan_decision d;
    double t0 = now();
    size_t moved = 0;
    if (!q || ap_replan(q, t->cur, &t->pol, o, &d, NULL)) {
        fprintf(stderr, "bench-replan: ap_replan failed\n");
        exit(1);
    }
    *secs = now() - t0;
    t->seconds += *secs;
    if (d.plan && d.action != AP_REPLAN_NOPLAN && d.action != AP_REPLAN_UNCHANGED) {
        if (d.action == AP_REPLAN_MOVE)
            moved = d.moved;
        ap_plan_free(t->cur);
        ap_problem_free(t->p);
        t->cur = d.plan;
        t->p = d.keep_problem ? d.keep_problem : q;
        if (d.keep_problem)
            ap_problem_free(q);
        d.plan = NULL;
        d.keep_problem = NULL;
    } else {
        ap_problem_free(q);
    }
    *obj = ap_plan_objective(t->cur);
    ap_replan_decision_free(&d);
    t->moves += moved;
    return moved;
}

int main(int argc, char **argv)
{
    int updates = argc > 1 ? atoi(argv[1]) : 10, u;
    double margin = argc > 2 ? atof(argv[2]) : 0.01;
    int cap = argc > 3 && !strcmp(argv[3], "cap");
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y), *d = malloc(N * sizeof *d);
    double *c = malloc((size_t)N * M * sizeof *c), tcold = 0, secs, ho, po;
    size_t i, j;
    track plain, hyst;
    ap_solve_opts o;
    for (i = 0; i < N; i++)
        x[i] = rnd(), y[i] = rnd(), d[i] = 1 + 9 * rnd();
    for (i = 0; i < N; i++)
        for (j = 0; j < M; j++)
            c[i * M + j] = hypot(x[i] - x[j * (N / M)], y[i] - y[j * (N / M)]);
    ap_solve_opts_init(&o);
    o.time_limit = 5;
    /* the scheduler's question is "where now?": the heuristic plan (the ILP
     * runs to the limit on this size either way) */
    o.solver = argc > 4 && !strcmp(argv[4], "auto") ? AP_SOLVER_AUTO : AP_SOLVER_GREEDY;
    memset(&plain, 0, sizeof plain);
    memset(&hyst, 0, sizeof hyst);
    ap_replan_policy_init(&plain.pol);
    plain.pol.margin = 0;
    ap_replan_policy_init(&hyst.pol);
    hyst.pol.margin = margin;
    {
        ap_problem *p = build(c, d, cap);
        decide(&plain, p, &o, &secs, &po);
        decide(&hyst, p, &o, &secs, &ho);
        ap_problem_free(p);
    }
    plain.seconds = hyst.seconds = 0;
    printf("%s, %d clients, %d candidate sites, %d replicas, margin %.0f%%, %s\n",
           cap ? "capacitated (split demand)" : "uncapacitated p-median", N, M, K, 100 * margin,
           o.solver == AP_SOLVER_GREEDY ? "heuristic" : "heuristic + GLPK");
    printf("update  cold_s  warm_s  cold/warm  cold_obj      warm_obj      moves  moves_margin\n");
    for (u = 1; u <= updates; u++) {
        ap_problem *p;
        ap_plan *cold;
        double t0, t1, ws;
        size_t m, mh;
        for (i = 0; i < (size_t)N * M / 10; i++) {
            size_t a = (size_t)(rnd() * N), b = (size_t)(rnd() * M);
            c[a * M + b] *= 0.7 + 0.6 * rnd();
        }
        p = build(c, d, cap);
        t0 = now();
        cold = ap_solve(p, &o, NULL);
        t1 = now();
        tcold += t1 - t0;
        m = decide(&plain, p, &o, &ws, &po);
        mh = decide(&hyst, p, &o, &secs, &ho);
        printf("%6d  %6.3f  %6.3f  %9.2f  %-12.8g  %-12.8g  %5zu  %5zu\n", u, t1 - t0, ws, (t1 - t0) / ws,
               ap_plan_objective(cold), po, m, mh);
        fflush(stdout);
        ap_plan_free(cold);
        ap_problem_free(p);
    }
    printf("total: cold %.2f s, warm decision %.2f s (cold/warm %.2f); moves %zu without a margin, %zu with %.0f%%\n",
           tcold, plain.seconds, tcold / plain.seconds, plain.moves, hyst.moves, 100 * margin);
    ap_plan_free(plain.cur);
    ap_problem_free(plain.p);
    ap_plan_free(hyst.cur);
    ap_problem_free(hyst.p);
    free(x), free(y), free(d), free(c);
    ap_thread_cleanup();
    return 0;
}
