/* wlcg.c - WLCG sites (CRIC) and their transfer records as a topology. */
#include "inputs_int.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ WLCG */

/* Storage-endpoint suffixes of CMS site names (T1_DE_KIT_Disk -> T1_DE_KIT). */
static const char *const SUFFIXES[] = {"_Disk", "_Buffer", "_MSS", "_Export", "_HPC"};

static int located(json_t *rc)
{
    double lat = json_number_value(json_object_get(rc, "latitude"));
    double lon = json_number_value(json_object_get(rc, "longitude"));
    return json_is_number(json_object_get(rc, "latitude")) && json_is_number(json_object_get(rc, "longitude")) &&
           !(lat == 0 && lon == 0) && fabs(lat) <= 90 && fabs(lon) <= 180;
}

/* The rcsite of an experiment site name: the name itself if that site has
 * coordinates, else the name without its storage suffix. */
static json_t *site_of(json_t *bysite, const char *name, char *base, size_t cap)
{
    size_t i, n = strlen(name);
    json_t *r = json_object_get(bysite, name);
    snprintf(base, cap, "%s", name);
    if (r && located(r))
        return r;
    for (i = 0; i < sizeof SUFFIXES / sizeof SUFFIXES[0]; i++) {
        size_t k = strlen(SUFFIXES[i]);
        if (n > k && strcmp(name + n - k, SUFFIXES[i]) == 0 && n - k < cap) {
            json_t *b;
            memcpy(base, name, n - k);
            base[n - k] = '\0';
            if ((b = json_object_get(bysite, base)) && (located(b) || !r))
                return b;
            snprintf(base, cap, "%s", name);
            return r;
        }
    }
    return r;
}

static int add_rc_prefixes(ap_topo *t, tnode *nd, json_t *rc, const ap_topo_opts *o)
{
    json_t *routes = json_object_get(rc, "netroutes"), *r;
    const char *rk;
    json_object_foreach(routes, rk, r) {
        json_t *nets = json_object_get(r, "networks");
        int fam;
        for (fam = 4; fam <= 6; fam += 2) {
            json_t *arr = json_object_get(nets, fam == 4 ? "ipv4" : "ipv6"), *e;
            size_t k;
            json_array_foreach(arr, k, e) {
                uint8_t a[16];
                int plen;
                const char *p = json_string_value(e);
                if (!p || ap__cidr_parse(p, fam, a, &plen) != 0) {
                    tlog(o, AP_LOG_WARN, "%s: site %s route %s: skipping \"%s\" (not a valid IPv%d prefix)",
                         t->source, nd->pid, rk, p ? p : "?", fam);
                    continue;
                }
                {
                    size_t x, y;
                    long dup = -1;
                    for (x = 0; x < t->n && dup < 0; x++)
                        for (y = 0; y < t->node[x].npfx && dup < 0; y++)
                            if (strcmp(t->node[x].pfx[y], p) == 0)
                                dup = (long)x;
                    if (dup >= 0 && &t->node[dup] != nd) {
                        tlog(o, AP_LOG_WARN, "%s: site %s: prefix %s already belongs to %s: skipped", t->source,
                             nd->pid, p, t->node[dup].pid);
                        continue;
                    }
                    if (dup >= 0)
                        continue; /* listed twice by the same site */
                }
                if (ap__topo_add_prefix(nd, p))
                    return -1;
            }
        }
    }
    return 0;
}

ap_topo *ap_topo_load_wlcg(const char *cric, const char *vo, const char *flows,
                           const ap_topo_opts *o, ap_error *err)
{
    json_t *cj = NULL, *fj = NULL, *bysite = NULL, *names = NULL, *rc, *e;
    size_t i, j, unmatched = 0;
    const char *k;
    ap_topo *t = NULL;
    int ok = 0;

    if (!cric || !vo || !flows) {
        ap__err(err, AP_EINVAL, "", "WLCG import needs the CRIC file, the VO and the transfer records");
        return NULL;
    }
    if (!(cj = ap__json_load_object(cric, err)) || !(fj = ap__json_load(flows, err)))
        goto out;
    if (!json_is_array(fj)) {
        ap__err(err, AP_EFORMAT, flows, "not an array of transfer records");
        goto out;
    }
    if (!(t = ap__topo_new(cric, o)) || !(bysite = json_object()) || !(names = json_object()))
        goto nomem;
    t->name = ap__strdup("wlcg");
    /* experiment site name -> rcsite */
    json_object_foreach(cj, k, rc) {
        json_t *sites = json_object_get(rc, "sites");
        json_array_foreach(sites, i, e) {
            const char *v = json_string_value(json_object_get(e, "vo_name"));
            const char *nm = json_string_value(json_object_get(e, "name"));
            if (v && nm && strcmp(v, vo) == 0 && json_object_set(bysite, nm, rc))
                goto nomem;
        }
    }
    if (json_object_size(bysite) == 0) {
        ap__err(err, AP_EFORMAT, cric, "no rcsite lists a site of VO \"%s\"", vo);
        goto out;
    }
    /* site names of the transfer records, in order of first appearance */
    json_array_foreach(fj, i, e) {
        for (j = 0; j < 2; j++) {
            const char *s = json_string_value(json_array_get(e, j));
            if (!json_is_array(e) || json_array_size(e) < 5 || !s) {
                ap__err(err, AP_EFORMAT, flows, "[%zu]: not [src_site, dst_site, start, end, bytes]", i);
                goto out;
            }
            if (!json_object_get(names, s) && json_object_set_new(names, s, json_true()))
                goto nomem;
        }
    }
    json_object_foreach(names, k, e) {
        char base[256];
        json_t *r = site_of(bysite, k, base, sizeof base);
        double lat, lon;
        long at;
        tnode *nd;
        if (!r) {
            tlog(o, AP_LOG_WARN, "%s: site %s is not a %s site of %s: its transfers are unmatched",
                 flows, k, vo, cric);
            unmatched++;
            continue;
        }
        lat = json_number_value(json_object_get(r, "latitude"));
        lon = json_number_value(json_object_get(r, "longitude"));
        if (!located(r)) {
            const char *rn = json_string_value(json_object_get(r, "name"));
            tlog(o, AP_LOG_WARN, "%s: site %s (%s) has no coordinates: left out", cric, base, rn ? rn : "unnamed rcsite");
            unmatched++;
            continue;
        }
        if ((at = ap_topo_find(t, base)) < 0) {
            char *pid = ap__topo_make_pid(t, base, "x");
            if (!pid || !(nd = ap__topo_add_node(t))) {
                free(pid);
                goto nomem;
            }
            nd->pid = pid;
            nd->label = ap__strdup(json_string_value(json_object_get(r, "name")));
            nd->lat = lat;
            nd->lon = lon;
            nd->located = 1;
            if (add_rc_prefixes(t, nd, r, o))
                goto nomem;
            if (nd->npfx == 0)
                tlog(o, AP_LOG_WARN, "%s: site %s (%s): no prefixes of its own", cric, nd->pid,
                     nd->label ? nd->label : "unnamed rcsite");
            at = (long)(t->n - 1);
        }
        if (ap__topo_add_alias(t, k, (size_t)at))
            goto nomem;
    }
    if (t->n < 2) {
        ap__err(err, AP_EFORMAT, flows, "fewer than two of its sites are %s sites with coordinates in %s", vo, cric);
        goto out;
    }
    for (i = 0; i < t->n; i++)
        for (j = i + 1; j < t->n; j++)
            if (ap__topo_add_link(t, i, j, ap__gc_m(t->node[i].lat, t->node[i].lon, t->node[j].lat, t->node[j].lon), 0))
                goto nomem;
    tlog(o, AP_LOG_INFO, "%s: %zu sites (%zu transfer-record names), %zu names not matched", cric, t->n,
         t->nalias, unmatched);
    ok = 1;
    goto out;
nomem:
    ap__err(err, AP_ENOMEM, cric, "out of memory");
out:
    json_decref(cj);
    json_decref(fj);
    json_decref(bysite);
    json_decref(names);
    if (!ok) {
        ap_topo_free(t);
        return NULL;
    }
    return t;
}
