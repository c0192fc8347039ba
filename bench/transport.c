/* transport.c - the split-demand assignment to a set of open sites (a
 * transportation problem): solver/transport.c's shortest paths against
 * GLPK's LP of the same problem (ap__gap_glpk), in the same run, on random
 * Euclidean instances: N clients, M open sites of equal capacity FILL times
 * tighter than the demand allows (FILL near 1: most clients blocked).
 * Prints both times, their ratio and the objectives (which must agree).
 * With a fifth argument `paths`, GLPK is left out (it takes minutes from
 * about 40 open sites x 1,000 clients at FILL 0.95).
 *
 *   build/bench-transport [N] [M] [FILL] [REPEAT] [paths]  (default 1000 10 0.95 5)
 */
#define _POSIX_C_SOURCE 200809L
#include "solver/solver.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double rnd(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)atol(argv[1]) : 1000, m = argc > 2 ? (size_t)atol(argv[2]) : 10, i, j;
    double fill = argc > 3 ? atof(argv[3]) : 0.95;
    int rep = argc > 4 ? atoi(argv[4]) : 5, r, glpk = argc <= 5;
    unsigned long long s = 4242;
    double D = 0, ta = 0, tb = 0, za = 0, zb = 0, *sx, *sy;
    unsigned char *open;
    ap_problem *p;
    ap__assign a = {0}, b = {0};
    ap_error e;
    if (n < 1 || m < 1 || !(fill > 0) || rep < 1) {
        fprintf(stderr, "usage: bench-transport [N] [M] [FILL] [REPEAT]\n");
        return 2;
    }
    p = ap_problem_new(n, m, NULL);
    sx = malloc(m * sizeof *sx);
    sy = malloc(m * sizeof *sy);
    open = malloc(m);
    if (!p || !sx || !sy || !open)
        return 2;
    for (j = 0; j < m; j++)
        sx[j] = rnd(&s), sy[j] = rnd(&s), open[j] = 1;
    for (i = 0; i < n; i++) {
        double x = rnd(&s), y = rnd(&s), d = 1 + floor(20 * rnd(&s));
        ap_problem_set_demand(p, i, d, NULL);
        D += d;
        for (j = 0; j < m; j++)
            ap_problem_set_cost(p, i, j, floor(1000 * hypot(x - sx[j], y - sy[j])), NULL);
    }
    for (j = 0; j < m; j++)
        ap_problem_set_capacity(p, j, D / (m * fill), NULL);
    for (r = 0; r < rep; r++) {
        double t0 = now(), t1;
        int pa, pb;
        ap_error_clear(&e);
        if (ap__transport(p, open, INFINITY, &a, &za, &e) != 0) {
            fprintf(stderr, "transport failed\n");
            return 1;
        }
        t1 = now();
        ta += t1 - t0;
        if (!glpk)
            continue;
        if (ap__gap_glpk(p, open, NULL, INFINITY, &b, &zb, &pb, &e) != 0) {
            fprintf(stderr, "GLPK failed\n");
            return 1;
        }
        tb += now() - t1;
        pa = fabs(za - zb) <= 1e-7 * (1 + fabs(zb));
        if (!pa) {
            fprintf(stderr, "objectives differ: %.10g vs %.10g\n", za, zb);
            return 1;
        }
    }
    if (glpk)
        printf("clients %zu  open sites %zu  fill %.2f  shortest paths %.4f s  GLPK LP %.4f s  ratio %.1f  "
               "objective %.10g (both)\n", n, m, fill, ta / rep, tb / rep, tb / ta, za);
    else
        printf("clients %zu  open sites %zu  fill %.2f  shortest paths %.4f s  objective %.10g\n", n, m, fill,
               ta / rep, za);
    ap__assign_free(&a);
    ap__assign_free(&b);
    ap_problem_free(p);
    free(sx);
    free(sy);
    free(open);
    return 0;
}
