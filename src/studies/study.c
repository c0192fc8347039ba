/* study.c - what-if study files: checked, k ranges expanded into
 * scenarios (scenario 0 is always the base problem unchanged), and the base
 * problem loaded once. */
#include "studies_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const STUDY_KEYS[] = {"name", "description", "problem", "topology", "time-limit",
                                        "scenarios", NULL};
static const char *const SCENARIO_KEYS[] = {"name", "k", "demand-scale", "demand", "fail-sites",
                                           "fail-links", "capacity", "max-cost", NULL};

/* One scenario's fields, checked (i: its position in the study file). */
static int check_scenario(const ap__study *st, json_t *e, size_t i, ap_error *err)
{
    const char *path = st->path;
    char where[48];
    json_t *v;
    if (!json_is_object(e)) {
        ap__err(err, AP_EFORMAT, path, "scenarios[%zu]: not an object", i);
        return -1;
    }
    snprintf(where, sizeof where, "scenarios[%zu].", i);
    if (ap__check_keys(e, SCENARIO_KEYS, path, where, err))
        return -1;
    if (json_object_size(e) == 0 || (json_object_size(e) == 1 && json_object_get(e, "name"))) {
        ap__err(err, AP_EFORMAT, path, "scenarios[%zu]: changes nothing (the base is always run)", i);
        return -1;
    }
    if ((v = json_object_get(e, "demand-scale")) && (!json_is_number(v) || json_number_value(v) < 0)) {
        ap__err(err, AP_EFORMAT, path, "scenarios[%zu].demand-scale: a number >= 0", i);
        return -1;
    }
    if ((v = json_object_get(e, "max-cost")) && (!json_is_number(v) || json_number_value(v) < 0)) {
        ap__err(err, AP_EFORMAT, path, "scenarios[%zu].max-cost: a number >= 0 (in the problem's metric)", i);
        return -1;
    }
    if ((v = json_object_get(e, "demand")) && !json_is_string(v)) {
        ap__err(err, AP_EFORMAT, path, "scenarios[%zu].demand: a demand file ({\"demand\": {PID: volume}})", i);
        return -1;
    }
    if ((v = json_object_get(e, "name")) && !json_is_string(v)) {
        ap__err(err, AP_EFORMAT, path, "scenarios[%zu].name: a string", i);
        return -1;
    }
    if ((v = json_object_get(e, "capacity"))) {
        json_t *q;
        const char *site;
        if (!json_is_object(v)) {
            ap__err(err, AP_EFORMAT, path, "scenarios[%zu].capacity: an object SITE -> capacity", i);
            return -1;
        }
        json_object_foreach(v, site, q)
            if (!json_is_number(q) || !(json_number_value(q) >= 0)) {
                ap__err(err, AP_EFORMAT, path, "scenarios[%zu].capacity.%s: a number >= 0", i, site);
                return -1;
            }
    }
    if ((v = json_object_get(e, "fail-sites"))) {
        json_t *q;
        size_t x;
        if (!json_is_array(v)) {
            ap__err(err, AP_EFORMAT, path, "scenarios[%zu].fail-sites: a list of PIDs", i);
            return -1;
        }
        json_array_foreach(v, x, q)
            if (!json_is_string(q)) {
                ap__err(err, AP_EFORMAT, path, "scenarios[%zu].fail-sites[%zu]: not a PID name", i, x);
                return -1;
            }
    }
    if ((v = json_object_get(e, "fail-links"))) {
        json_t *q;
        size_t x;
        if (!json_is_array(v)) {
            ap__err(err, AP_EFORMAT, path, "scenarios[%zu].fail-links: a list of [PID, PID] pairs", i);
            return -1;
        }
        json_array_foreach(v, x, q)
            if (!json_is_array(q) || json_array_size(q) != 2 || !json_is_string(json_array_get(q, 0)) ||
                !json_is_string(json_array_get(q, 1))) {
                ap__err(err, AP_EFORMAT, path, "scenarios[%zu].fail-links[%zu]: not a [PID, PID] pair", i, x);
                return -1;
            }
    }
    if ((json_object_get(e, "fail-sites") || json_object_get(e, "fail-links")) && !st->topology) {
        ap__err(err, AP_EFORMAT, path, "scenarios[%zu]: failures need the study's topology "
                "(topology.json written by altoplace import)", i);
        return -1;
    }
    return 0;
}

/* Appends a copy of scenario e as `name`, of group `group`. */
static int add_copy(ap__study *st, json_t *e, const char *name, const char *group, size_t i, json_t *k,
                    ap_error *err)
{
    json_t *c = json_deep_copy(e);
    if (!c || (k && json_object_set_new(c, "k", k)) || (name && json_object_set_new(c, "name", json_string(name))) ||
        json_object_set_new(c, "group", json_string(group)) ||
        json_object_set_new(c, "source", json_integer((json_int_t)i)) || json_array_append_new(st->scen, c)) {
        ap__err(err, AP_ENOMEM, st->path, "out of memory");
        return -1;
    }
    return 0;
}

/* Scenario e as one scenario, or one per value of its k range. */
static int add_scenarios(ap__study *st, json_t *e, size_t i, ap_error *err)
{
    const char *name = json_string_value(json_object_get(e, "name"));
    json_t *k = json_object_get(e, "k");
    char group[64], nm[256];
    snprintf(group, sizeof group, "s%zu", i);
    if (json_is_object(k)) {
        json_t *f = json_object_get(k, "from"), *t = json_object_get(k, "to"), *s = json_object_get(k, "step");
        json_int_t a, b, step = s ? json_integer_value(s) : 1, j, n;
        if (!json_is_integer(f) || !json_is_integer(t) || (s && !json_is_integer(s)) ||
            (a = json_integer_value(f)) < 1 || (b = json_integer_value(t)) < a || step < 1 ||
            (b - a) / step > 1000 || b > 1000000) {
            ap__err(err, AP_EFORMAT, st->path, "scenarios[%zu].k: {\"from\": a, \"to\": b, \"step\": s} "
                    "with 1 <= a <= b <= 1000000, s >= 1, at most 1000 values", i);
            return -1;
        }
        /* counted, so that a + j*step never passes b (no overflow) */
        n = (b - a) / step + 1;
        for (j = 0; j < n; j++) {
            json_int_t x = a + j * step;
            snprintf(nm, sizeof nm, "%s%sk=%lld", name ? name : "", name ? " " : "", (long long)x);
            if (add_copy(st, e, nm, group, i, json_integer(x), err))
                return -1;
        }
        return 0;
    }
    if (k && (!json_is_integer(k) || json_integer_value(k) < 1)) {
        ap__err(err, AP_EFORMAT, st->path, "scenarios[%zu].k: a whole number >= 1 or {from, to, step}", i);
        return -1;
    }
    snprintf(nm, sizeof nm, "scenario %zu", i + 1);
    return add_copy(st, e, name ? NULL : nm, group, i, NULL, err);
}

/* Reads the study file: checks it and expands k ranges into scenarios.
 * Scenario 0 is always the base problem unchanged. */
int ap__study_load(const char *path, ap__study *st, ap_error *err)
{
    size_t i;
    json_t *root, *sc, *e, *base, *v;

    memset(st, 0, sizeof *st);
    if (!(root = ap__json_load_object(path, err)))
        return -1;
    st->root = root;
    st->path = ap__strdup(path);
    st->dir = ap__dirname(path);
    st->scen = json_array();
    if (!st->path || !st->dir || !st->scen) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        return -1;
    }
    if (ap__check_keys(root, STUDY_KEYS, path, "", err))
        return -1;
    if (!json_is_string(json_object_get(root, "problem"))) {
        ap__err(err, AP_EFORMAT, path, "problem: missing; give the base problem file");
        return -1;
    }
    st->problem = ap__path_join(st->dir, json_string_value(json_object_get(root, "problem")));
    if (json_is_string(json_object_get(root, "topology")))
        st->topology = ap__path_join(st->dir, json_string_value(json_object_get(root, "topology")));
    else if (json_object_get(root, "topology")) {
        ap__err(err, AP_EFORMAT, path, "topology: must be the file name of a topology.json");
        return -1;
    }
    st->name = json_string_value(json_object_get(root, "name"));
    if (!st->name)
        st->name = "what-if study";
    st->time_limit = -1;
    if ((v = json_object_get(root, "time-limit"))) {
        if (!json_is_number(v) || json_number_value(v) <= 0) {
            ap__err(err, AP_EFORMAT, path, "time-limit: seconds per scenario, a positive number");
            return -1;
        }
        st->time_limit = json_number_value(v);
    }
    sc = json_object_get(root, "scenarios");
    if (!json_is_array(sc) || json_array_size(sc) == 0) {
        ap__err(err, AP_EFORMAT, path, "scenarios: missing or empty; give a list of variations");
        return -1;
    }
    base = json_pack("{s:s,s:s,s:i}", "name", "base", "group", "base", "source", -1);
    if (!base || json_array_append_new(st->scen, base)) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        return -1;
    }
    json_array_foreach(sc, i, e)
        if (check_scenario(st, e, i, err) || add_scenarios(st, e, i, err))
            return -1;
    if (!st->problem || (json_object_get(root, "topology") && !st->topology)) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        return -1;
    }
    return 0;
}

void ap__study_free(ap__study *st)
{
    json_decref(st->root);
    json_decref(st->scen);
    free(st->path);
    free(st->dir);
    free(st->problem);
    free(st->topology);
    ap_problem_free(st->base);
    memset(st, 0, sizeof *st);
}

int ap__study_base(ap__study *st, ap_error *err)
{
    ap_load_opts lo;
    ap_load_opts_init(&lo);
    ap_solve_opts_init(&st->solve);
    lo.solve = &st->solve;
    st->base = ap_problem_load_opts(st->problem, &lo, err);
    return st->base ? 0 : -1;
}

int ap_whatif_is_study(const char *path)
{
    json_t *j = path ? json_load_file(path, 0, NULL) : NULL;
    int s = json_is_object(j) && json_object_get(j, "scenarios") != NULL;
    json_decref(j);
    return s;
}
