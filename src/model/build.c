/* build.c - a placement problem from ALTO documents: clients are the PIDs
 * with demand, candidate sites are PIDs, costs come from the cost map and
 * capacities or opening costs from the property map. */
#include "model_int.h"
#include "alto/alto_int.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ap_build_opts_init(ap_build_opts *o)
{
    memset(o, 0, sizeof *o);
}

ap_problem *ap_problem_from_alto(const ap_netmap *nm, const ap_costmap *cm,
                                 const ap_propmap *pm,
                                 const char *const *demand_pid,
                                 const double *demand, size_t n,
                                 const ap_build_opts *opts, ap_error *err)
{
    ap_build_opts def;
    ap_problem *p = NULL;
    size_t *cidx = NULL, *sidx = NULL, nc = 0, ns = 0, i, j;
    unsigned char *seen = NULL;

    if (!nm || !cm || (n && (!demand_pid || !demand))) {
        ap__err(err, AP_EINVAL, NULL, "ap_problem_from_alto: network map, cost map and demand are required");
        return NULL;
    }
    if (!opts) {
        ap_build_opts_init(&def);
        opts = &def;
    }
    cidx = malloc((n ? n : 1) * sizeof *cidx);
    sidx = malloc((nm->n ? nm->n : 1) * sizeof *sidx);
    seen = calloc(nm->n ? nm->n : 1, 1);
    if (!cidx || !sidx || !seen) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    for (i = 0; i < n; i++) {
        long k = ap_netmap_find(nm, demand_pid[i]);
        if (k < 0) {
            ap__err(err, AP_EFORMAT, NULL, "demand names PID \"%s\", which is not in network map %s",
                    demand_pid[i], nm->resource_id);
            goto fail;
        }
        if (!isfinite(demand[i]) || demand[i] < 0) {
            ap__err(err, AP_EFORMAT, NULL, "demand of PID %s is %g: must be finite and >= 0",
                    demand_pid[i], demand[i]);
            goto fail;
        }
        if (seen[k]) {
            ap__err(err, AP_EFORMAT, NULL, "demand lists PID %s twice", demand_pid[i]);
            goto fail;
        }
        seen[k] = 1;
        if (demand[i] > 0)
            cidx[nc++] = i;
    }
    if (nc == 0) {
        ap__err(err, AP_EFORMAT, NULL, "demand is empty: no PID has a positive volume");
        goto fail;
    }
    if (opts->candidates) {
        memset(seen, 0, nm->n);
        for (j = 0; j < opts->ncandidates; j++) {
            long k = ap_netmap_find(nm, opts->candidates[j]);
            if (k < 0) {
                ap__err(err, AP_EFORMAT, NULL, "candidate site \"%s\" is not a PID of network map %s",
                        opts->candidates[j], nm->resource_id);
                goto fail;
            }
            if (!seen[k])
                sidx[ns++] = (size_t)k;
            seen[k] = 1;
        }
    } else {
        for (j = 0; j < nm->n; j++)
            sidx[ns++] = j;
    }
    if (ns == 0) {
        ap__err(err, AP_EFORMAT, NULL, "no candidate sites");
        goto fail;
    }
    p = ap_problem_new(nc, ns, err);
    if (!p)
        goto fail;
    for (i = 0; i < nc; i++) {
        long ci = ap_netmap_find(nm, demand_pid[cidx[i]]);
        if (ap__set_name(&p->cname[i], demand_pid[cidx[i]], err))
            goto fail;
        p->demand[i] = demand[cidx[i]];
        for (j = 0; j < ns; j++) {
            double c = opts->client_to_site ? ap_costmap_get(cm, (size_t)ci, sidx[j])
                                            : ap_costmap_get(cm, sidx[j], (size_t)ci);
            p->cost[i * ns + j] = isnan(c) ? INFINITY : c; /* unknown: not allowed */
        }
    }
    for (j = 0; j < ns; j++) {
        if (ap__set_name(&p->sname[j], nm->pid[sidx[j]], err))
            goto fail;
        if (opts->capacity_prop) {
            double q = ap_propmap_get(pm, sidx[j], opts->capacity_prop);
            if (isnan(q)) {
                ap__err(err, AP_EFORMAT, NULL, "candidate site %s has no \"%s\" property in the property map",
                        nm->pid[sidx[j]], opts->capacity_prop);
                goto fail;
            }
            if (ap_problem_set_capacity(p, j, q, err))
                goto fail;
        }
        if (opts->opening_cost_prop) {
            double f = ap_propmap_get(pm, sidx[j], opts->opening_cost_prop);
            if (isnan(f)) {
                ap__err(err, AP_EFORMAT, NULL, "candidate site %s has no \"%s\" property in the property map",
                        nm->pid[sidx[j]], opts->opening_cost_prop);
                goto fail;
            }
            if (ap_problem_set_opening_cost(p, j, f, err))
                goto fail;
        }
    }
    p->metric = ap__strdup(cm->metric);
    p->mode = ap__strdup(cm->mode);
    if ((cm->metric && !p->metric) || (cm->mode && !p->mode)) {
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    free(cidx);
    free(sidx);
    free(seen);
    return p;
fail:
    ap_problem_free(p);
    free(cidx);
    free(sidx);
    free(seen);
    return NULL;
}
