/* push.c - the example scheduler driven by the network instead of a clock:
 * it subscribes to the ALTO server's update stream (RFC 8895), plans once,
 * and re-plans from its previous decision (warm start) each time the server
 * pushes a change to the network or cost map.  One JSON line per decision.
 *
 *   push DIRECTORY_URI [UPDATES]
 *
 * Against the test server's tests/fixtures/alto-post: the hop-count map of
 * the line A-B-C-D, then two patches that make paths through B expensive. */
#define _POSIX_C_SOURCE 200809L
#include <altoplace.h>
#include <stdio.h>
#include <stdlib.h>

static const char *PIDS[4] = {"A", "B", "C", "D"};
static const double DEMAND[4] = {2, 1, 1, 1};

/* Decides on the stream's current maps with the library's re-placement
 * policy (ap_replan: keep the current site unless moving gains more than
 * the margin); returns the plan in force and, in *pp, the problem it
 * belongs to (*pp is the caller's to free; `prev` stays the caller's). */
static ap_plan *plan_now(ap_alto_stream *st, const ap_plan *prev, ap_problem **pp, ap_error *err)
{
    ap_netmap *nm = ap_alto_stream_netmap(st, err);
    ap_costmap *cm = nm ? ap_alto_stream_costmap(st, nm, err) : NULL;
    ap_build_opts bo;
    ap_solve_opts so;
    ap_replan_decision d;
    ap_problem *p = NULL;
    ap_plan *plan = NULL;
    *pp = NULL;
    if (cm) {
        ap_build_opts_init(&bo);
        p = ap_problem_from_alto(nm, cm, NULL, PIDS, DEMAND, 4, &bo, err);
    }
    if (p && ap_problem_set_k(p, 1, err) == 0) {
        ap_solve_opts_init(&so);
        so.time_limit = 10;
        if (ap_replan(p, prev, NULL, &so, &d, err) == 0) {
            if (d.action == AP_REPLAN_FIRST || d.action == AP_REPLAN_MOVE || d.action == AP_REPLAN_KEEP) {
                plan = d.plan;
                *pp = d.keep_problem ? d.keep_problem : p;
                d.plan = NULL;
                d.keep_problem = NULL;
            } else {
                snprintf(err->text, sizeof err->text, "%s", d.reason);
            }
            ap_replan_decision_free(&d);
        }
    }
    if (p != *pp)
        ap_problem_free(p);
    ap_costmap_free(cm);
    ap_netmap_free(nm);
    return plan;
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : NULL;
    int updates = argc > 2 ? atoi(argv[2]) : 2, seen = 0, rc = 0;
    ap_alto_opts ao;
    ap_alto *alto = NULL;
    ap_alto_stream *st = NULL;
    ap_problem *p = NULL, *np = NULL;
    ap_plan *plan = NULL, *next;
    ap_error err;

    if (!uri) {
        fprintf(stderr, "usage: %s DIRECTORY_URI [UPDATES]\n", argv[0]);
        return 1;
    }
    ap_error_clear(&err);
    ap_alto_opts_init(&ao);
    if (!(alto = ap_alto_open(uri, &ao, &err)) || !(st = ap_alto_stream_open(alto, NULL, NULL, "hopcount", &err)) ||
        !(plan = plan_now(st, NULL, &p, &err)))
        goto fail;
    for (;;) {
        size_t i;
        seen = (int)ap_alto_stream_events(st) - 2; /* after the two full maps */
        printf("{\"update\": %d, \"events\": %ld, \"status\": \"%s\", \"sites\": [", seen, ap_alto_stream_events(st),
               ap_status_name(ap_plan_status(plan)));
        for (i = 0; i < ap_plan_nsites(plan); i++)
            printf("%s\"%s\"", i ? ", " : "", ap_problem_site_name(p, ap_plan_site(plan, i)));
        printf("], \"objective\": %.6g}\n", ap_plan_objective(plan));
        fflush(stdout);
        if (seen >= updates)
            break;
        /* block until the server pushes something (at most 10 s) */
        if (ap_alto_stream_wait(st, 10.0, &err) <= 0) {
            if (err.code == AP_OK) /* 0: nothing came */
                snprintf(err.text, sizeof err.text, "no update within 10 s");
            goto fail;
        }
        if (!(next = plan_now(st, plan, &np, &err)))
            goto fail;
        ap_plan_free(plan); /* the decision is done with the old plan */
        ap_problem_free(p);
        plan = next;
        p = np;
        np = NULL;
    }
    goto out;
fail:
    fprintf(stderr, "push: %s%s%s\n", err.source, err.source[0] ? ": " : "", err.text);
    rc = 3;
out:
    ap_plan_free(plan);
    ap_problem_free(p);
    ap_problem_free(np);
    ap_alto_stream_free(st);
    ap_alto_free(alto);
    ap_thread_cleanup();
    return rc;
}
