/* stream.c - the update-stream parser on one big event: a full cost map of
 * N x N PIDs sent as a single `data:` line (as some servers do), fed in
 * 16 KiB chunks the way curl delivers it, against the baseline of jansson
 * parsing the same JSON text once.  Before the rescan fix every chunk
 * rescanned the whole unread line (quadratic); the ratio shows it is now
 * linear.
 *   build/bench-stream [N ...]   (default 300 600 1200) */
#define _POSIX_C_SOURCE 200809L
#include "altoplace.h"
#include "client/client_int.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* "event: ...costmap...\ndata: {whole map on one line}\n\n" */
static char *make_event(int n, size_t *json_at, size_t *json_len, size_t *len)
{
    size_t cap = (size_t)n * n * 16 + (size_t)n * 32 + 4096, l = 0;
    char *b = malloc(cap);
    int i, j;
    if (!b)
        return NULL;
    l += (size_t)sprintf(b + l, "event: application/alto-costmap+json,cm\ndata: ");
    *json_at = l;
    l += (size_t)sprintf(b + l, "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"n\",\"tag\":\"t\"}],"
                                "\"cost-type\":{\"cost-mode\":\"numerical\",\"cost-metric\":\"routingcost\"}},\"cost-map\":{");
    for (i = 0; i < n; i++) {
        l += (size_t)sprintf(b + l, "%s\"P%d\":{", i ? "," : "", i);
        for (j = 0; j < n; j++)
            l += (size_t)sprintf(b + l, "%s\"P%d\":%d", j ? "," : "", j, (i * 7 + j * 13) % 1000);
        b[l++] = '}';
    }
    l += (size_t)sprintf(b + l, "}}");
    *json_len = l - *json_at;
    l += (size_t)sprintf(b + l, "\n\n");
    *len = l;
    return b;
}

int main(int argc, char **argv)
{
    static const int def[] = {300, 600, 1200};
    int k, nsizes = argc > 1 ? argc - 1 : 3;
    printf("%8s %10s %12s %12s %8s\n", "PIDs", "MB", "jansson s", "stream s", "ratio");
    for (k = 0; k < nsizes; k++) {
        int n = argc > 1 ? atoi(argv[k + 1]) : def[k];
        size_t at, jl, len, off;
        char *ev = make_event(n, &at, &jl, &len);
        double t0, tj, ts;
        json_t *j;
        ap_alto_stream *s;
        ap_error e;
        if (!ev)
            return 1;
        t0 = now();
        j = json_loadb(ev + at, jl, 0, NULL);
        tj = now() - t0;
        if (!j)
            return 1;
        json_decref(j);
        s = ap__stream_offline();
        t0 = now();
        for (off = 0; off < len; off += 16384)
            if (ap__stream_feed(s, ev + off, len - off < 16384 ? len - off : 16384, &e)) {
                fprintf(stderr, "stream: %s\n", e.text);
                return 1;
            }
        ts = now() - t0;
        if (ap_alto_stream_events(s) != 1) {
            fprintf(stderr, "stream: the event was not applied\n");
            return 1;
        }
        printf("%8d %10.1f %12.3f %12.3f %8.2f\n", n, (double)len / 1e6, tj, ts, ts / tj);
        ap_alto_stream_free(s);
        free(ev);
    }
    return 0;
}
