/* scheduler.c - an example scheduler that links libaltoplace, as a meta-OS
 * would: at every round it reads the network from the ALTO server named in
 * the problem file (cached, last good copy used when the server fails) and
 * the demand from request logs, decides with ap_replan whether the deployed
 * replicas stay or move (margin + migration cost), asks ap_advise whether
 * the forecast demand will break the sites' capacity, and then scales out
 * by the site it recommends.  The deployed plan lives in STATE.json: after
 * a restart it is read back and the first decision weighs it.
 *
 *   scheduler PROBLEM.json STATE.json [MARGIN [MIGRATION-COST]]
 *
 * A round runs for each line read on standard input ("round"; end of input
 * ends the scheduler), so that a driver can change the world between
 * rounds.  One JSON line per round on standard output. */
#define _POSIX_C_SOURCE 200809L
#include <altoplace.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *problem, *state;
    ap_replan_policy pol;
    ap_problem *cur_p; /* the problem the deployed plan belongs to */
    ap_plan *cur;      /* the deployed plan */
    int restored;
} sched;

static void print_sites(const ap_plan *pl)
{
    size_t i;
    printf("\"sites\": [");
    for (i = 0; pl && i < ap_plan_nsites(pl); i++)
        printf("%s\"%s\"", i ? ", " : "", ap_problem_site_name(ap_plan_problem(pl), ap_plan_site(pl, i)));
    printf("]");
}

/* Deploys pl (of problem pp, both taken over): written to STATE.json. */
static int deploy(sched *s, ap_plan *pl, ap_problem *pp, ap_error *err)
{
    if (ap_plan_write(pl, s->state, err)) {
        ap_plan_free(pl);
        ap_problem_free(pp);
        return -1;
    }
    ap_plan_free(s->cur);
    ap_problem_free(s->cur_p);
    s->cur = pl;
    s->cur_p = pp;
    return 0;
}

/* The deployed sites plus `site`, with one more replica: solved on a copy
 * of p with those sites pinned. */
static ap_plan *scale_out(const ap_problem *p, const ap_plan *cur, const char *site, ap_problem **qp,
                          ap_error *err)
{
    ap_problem *q = ap_problem_copy(p, err);
    ap_plan *pl = NULL;
    size_t j;
    int n = q ? ap_problem_pin_sites_of(q, cur, err) : -1;
    if (n < 0)
        goto fail;
    for (j = 0; j < ap_problem_nsites(q); j++)
        if (!strcmp(ap_problem_site_name(q, j), site) && ap_problem_set_pinned(q, j, 1, err))
            goto fail;
    if (ap_problem_set_k(q, n + 1, err) || !(pl = ap_solve(q, NULL, err)))
        goto fail;
    *qp = q;
    return pl;
fail:
    ap_problem_free(q);
    return NULL;
}

static void round_once(sched *s, int r)
{
    ap_load_opts lo;
    ap_solve_opts so;
    ap_replan_decision d;
    ap_advice adv;
    ap_error err;
    ap_problem *p;
    double stale;
    ap_error_clear(&err);
    ap_load_opts_init(&lo);
    ap_solve_opts_init(&so);
    lo.solve = &so;
    so.time_limit = 10;
    if (!(p = ap_problem_load_opts(s->problem, &lo, &err))) {
        /* the deployed replicas keep running */
        printf("{\"round\": %d, \"action\": \"error\", \"error\": \"%s: %s\"}\n", r, err.source, err.text);
        return;
    }
    stale = ap_problem_stale_age(p);
    if (!s->restored) {
        s->restored = 1;
        s->cur = ap_plan_read(p, s->state, NULL); /* NULL: nothing deployed yet */
        if (s->cur)
            s->cur_p = NULL; /* it belongs to p */
    }
    if (ap_replan(p, s->cur, &s->pol, &so, &d, &err)) {
        printf("{\"round\": %d, \"action\": \"error\", \"error\": \"%s\"}\n", r, err.text);
        if (s->cur && !s->cur_p)
            s->cur_p = p;
        else
            ap_problem_free(p);
        return;
    }
    printf("{\"round\": %d, \"action\": \"%s\", ", r, ap_replan_action_name(d.action));
    if (d.plan && d.action != AP_REPLAN_NOPLAN) {
        ap_problem *owner = d.keep_problem ? d.keep_problem : p;
        ap_plan *pl = d.plan;
        if (d.keep_problem)
            ap_problem_free(p);
        if (s->cur && !s->cur_p) {
            ap_plan_free(s->cur); /* read back at start: it belonged to p */
            s->cur = NULL;
        }
        d.plan = NULL;
        d.keep_problem = NULL;
        if (deploy(s, pl, owner, &err))
            fprintf(stderr, "scheduler: %s: %s\n", err.source, err.text);
        p = NULL;
    }
    print_sites(s->cur);
    if (isfinite(ap_plan_objective(s->cur)))
        printf(", \"objective\": %.6g", ap_plan_objective(s->cur));
    printf(", \"moved\": %zu%s", d.action == AP_REPLAN_MOVE ? d.moved : 0,
           isfinite(stale) ? ", \"stale\": true" : "");
    ap_replan_decision_free(&d);
    if (p) {
        if (s->cur && !s->cur_p)
            s->cur_p = p;
        else
            ap_problem_free(p);
    }
    /* the "when": does the forecast break the deployed sites' capacity? */
    if (s->cur && ap_problem_horizon(ap_plan_problem(s->cur)) > 0) {
        ap_advise_opts ao;
        ap_advise_opts_init(&ao);
        ao.max_load = 0.9;
        if (ap_advise(ap_plan_problem(s->cur), s->cur, &ao, &adv, &err) == 0) {
            if (adv.breaks_at >= 0 && adv.nadd > 0) {
                ap_problem *q = NULL;
                ap_plan *pl = scale_out(ap_plan_problem(s->cur), s->cur, adv.add[0].site, &q, &err);
                printf(", \"advice\": \"%s\", \"breaks-at\": %ld", adv.advice, adv.breaks_at);
                if (pl && deploy(s, pl, q, &err) == 0) {
                    printf(", \"scaled-out\": \"%s\", ", adv.add[0].site);
                    print_sites(s->cur);
                }
            }
            ap_advice_free(&adv);
        }
    }
    printf("}\n");
}

int main(int argc, char **argv)
{
    sched s;
    char line[256];
    int r = 0;
    if (argc < 3) {
        fprintf(stderr, "usage: %s PROBLEM.json STATE.json [MARGIN [MIGRATION-COST]] < rounds\n", argv[0]);
        return 1;
    }
    memset(&s, 0, sizeof s);
    s.problem = argv[1];
    s.state = argv[2];
    ap_replan_policy_init(&s.pol);
    if (argc > 3)
        s.pol.margin = atof(argv[3]);
    if (argc > 4)
        s.pol.migration_cost = atof(argv[4]);
    while (fgets(line, sizeof line, stdin)) {
        round_once(&s, r++);
        fflush(stdout);
    }
    ap_plan_free(s.cur);
    ap_problem_free(s.cur_p);
    ap_thread_cleanup();
    return 0;
}
