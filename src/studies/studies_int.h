/* studies_int.h - the studies layer: what-if studies (study.c reads the
 * study file, whatif.c runs the scenarios, report.c writes tables, plots,
 * maps and the HTML report). */
#ifndef AP_STUDIES_INT_H
#define AP_STUDIES_INT_H
#include "load/load_int.h"
#include <stdio.h>

typedef struct {
    json_t *root;       /* the study file */
    json_t *scen;       /* expanded scenarios; [0] is the base */
    char *path, *dir;   /* study file and its folder */
    char *problem;      /* base problem file */
    char *topology;     /* topology.json or NULL */
    const char *name;   /* borrowed from root */
    double time_limit;  /* per scenario, -1: the problem's */
    ap_problem *base;   /* the base problem, loaded once (ap__study_base) */
    ap_solve_opts solve;/* with its solver section */
} ap__study;

int ap__study_load(const char *path, ap__study *st, ap_error *err);
void ap__study_free(ap__study *st);
/* Loads the base problem (once: scenarios solve copies of it). */
int ap__study_base(ap__study *st, ap_error *err);
/* Writes results.csv, results.json, the SVG plots, the maps and report.html
 * into dir from the rows of every scenario (in scenario order). */
int ap__whatif_outputs(const ap__study *st, json_t *rows, const char *dir, ap_error *err);
/* Whether a file name is one of the plots and maps the outputs hold (an
 * earlier study's are pruned from the folder: ap__stage.prune). */
int ap__whatif_is_plot(const char *name);

/* ---- SVG helpers (svg.c) */
/* Text safe inside HTML/SVG elements and attribute values. */
void ap__esc(FILE *f, const char *s);
/* Writes `text` as a <text> of up to six lines (the sixth ends in "…" when
 * cut) that fit `width` pixels at font size px, first baseline at y, with
 * extra attributes; returns the last line's baseline.  f NULL: only counts. */
int ap__svg_wrap(FILE *f, int x, int y, int width, int px, const char *attrs, const char *text);
/* The row's open sites, space-separated, into out ("" when none). */
void ap__sites_str(json_t *row, char *out, size_t cap);

/* ---- maps (map.c) */
/* Site name -> colour index, in order of first appearance over the rows, so
 * that a site has the same colour and marker in every map of a study. */
json_t *ap__site_colours(json_t *rows);
/* One scenario's map: land, borders, links, assignments, sites, legend. */
void ap__plot_map(FILE *f, const ap_topo *t, json_t *row, json_t *colours);
#endif
