/* whatif.h - shared between the what-if study runner (whatif.c) and its
 * tables, plots and report (report.c).  Not public. */
#ifndef AP_WHATIF_H
#define AP_WHATIF_H
#include "internal.h"

typedef struct {
    json_t *root;       /* the study file */
    json_t *scen;       /* expanded scenarios; [0] is the base */
    char *path, *dir;   /* study file and its folder */
    char *problem;      /* base problem file */
    char *topology;     /* topology.json or NULL */
    const char *name;   /* borrowed from root */
    double time_limit;  /* per scenario, -1: the problem's */
} ap__study;

int ap__study_load(const char *path, ap__study *st, ap_error *err);
void ap__study_free(ap__study *st);
/* Writes results.csv, results.json, the SVG plots, the maps and report.html
 * into dir from the rows of every scenario (in scenario order). */
int ap__whatif_outputs(const ap__study *st, json_t *rows, const char *dir, ap_error *err);
#endif
