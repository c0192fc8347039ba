/* fetch.c - fetch and parse one network map + cost map from an ALTO server
 * through the library; prints seconds for the cost map and peak RSS.
 *   build/bench-fetch DIRECTORY_URI */
#define _POSIX_C_SOURCE 200809L
#include "altoplace.h"
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

int main(int argc, char **argv)
{
    ap_error e;
    ap_alto_opts o;
    ap_alto *a;
    ap_netmap *nm;
    ap_costmap *cm;
    struct timespec t0, t1;
    struct rusage ru;
    if (argc < 2)
        return 1;
    ap_alto_opts_init(&o);
    ap_error_clear(&e);
    a = ap_alto_open(argv[1], &o, &e);
    nm = a ? ap_alto_netmap(a, NULL, &e) : NULL;
    if (!nm) {
        fprintf(stderr, "%s: %s\n", e.source, e.text);
        return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cm = ap_alto_costmap(a, nm, "routingcost", NULL, NULL, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!cm) {
        fprintf(stderr, "%s: %s\n", e.source, e.text);
        return 1;
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("%.3f %ld\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9, ru.ru_maxrss);
    ap_costmap_free(cm);
    ap_netmap_free(nm);
    ap_alto_free(a);
    return 0;
}
