/* report.c - what a what-if study leaves behind: a CSV and JSON table, SVG
 * plots (cost against the number of replicas, scenarios compared), maps of
 * the network with the chosen sites and client assignments, and one
 * self-contained HTML page holding all of them. */
#include "studies_int.h"
#include <dirent.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const PALETTE[] = {"#1f77b4", "#ff7f0e"}; /* mean and worst cost */

/* A CSV field: quoted when it holds a comma, quote or newline. */
static void csv(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static double num(json_t *row, const char *k)
{
    json_t *v = json_object_get(row, k);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static void fmt_num(char *buf, size_t n, double x)
{
    if (fabs(x) < 1e-12)
        x = 0; /* rounding noise, e.g. a gap of 2e-16 */
    if (!isfinite(x))
        snprintf(buf, n, "%s", "");
    else if (fabs(x) >= 1e6 || (fabs(x) < 1e-3 && x != 0))
        snprintf(buf, n, "%.4g", x);
    else
        snprintf(buf, n, "%.6g", x);
}

/* A number for the CSV table: all its digits (the shortest form that reads
 * back as the same double), empty when there is none. */
static void csv_num(char *buf, size_t n, double x)
{
    int prec;
    if (!isfinite(x)) {
        snprintf(buf, n, "%s", "");
        return;
    }
    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

/* "k=3; demand x2; DE fails" from a scenario's change object. */
static void describe(json_t *row, char *out, size_t cap)
{
    json_t *c = json_object_get(row, "change"), *v, *e;
    size_t len = 0, i;
    const char *key;
#define ADD(...) do { if (len < cap) len += (size_t)snprintf(out + len, cap - len, __VA_ARGS__); } while (0)
    out[0] = '\0';
    if (json_integer_value(json_object_get(row, "index")) == 0) {
        ADD("base problem");
        return;
    }
    if ((v = json_object_get(c, "k")))
        ADD("%sk = %lld", len ? "; " : "", (long long)json_integer_value(v));
    if ((v = json_object_get(c, "demand")))
        ADD("%sdemand from %s", len ? "; " : "", json_string_value(v));
    if ((v = json_object_get(c, "demand-scale")))
        ADD("%sdemand x %g", len ? "; " : "", json_number_value(v));
    json_array_foreach(json_object_get(c, "fail-sites"), i, e)
        ADD("%s%s fails", len ? "; " : "", json_string_value(e));
    json_array_foreach(json_object_get(c, "fail-links"), i, e)
        ADD("%slink %s-%s fails", len ? "; " : "", json_string_value(json_array_get(e, 0)),
            json_string_value(json_array_get(e, 1)));
    json_object_foreach(json_object_get(c, "capacity"), key, v)
        ADD("%scapacity %s = %g", len ? "; " : "", key, json_number_value(v));
    if ((v = json_object_get(c, "max-cost"))) {
        char u[32];
        double f = ap_metric_display(json_string_value(json_object_get(row, "metric")), json_number_value(v), u,
                                     sizeof u);
        ADD("%scost bound %g%s%s", len ? "; " : "", f * json_number_value(v), *u ? " " : "", u);
    }
#undef ADD
}


/* Writes the memstream buffer to dir/name atomically. */
static int put(const char *dir, const char *name, char *buf, size_t len, ap_error *err)
{
    char *path = ap__path_join(dir, name);
    int rc;
    if (!path || !buf) {
        free(path);
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        return -1;
    }
    rc = ap__write_atomic(path, buf, len, err);
    free(path);
    return rc;
}

static int write_csv(json_t *rows, const char *dir, ap_error *err)
{
    char *buf = NULL, tmp[4096], a[64];
    size_t len = 0, i;
    json_t *r;
    FILE *f = open_memstream(&buf, &len);
    int rc;
    if (!f) {
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        return -1;
    }
    fputs("index,scenario,change,status,objective,k,sites,mean_cost,worst_cost,changes_from_base,"
          "lost_demand,gap,seconds,reason\n", f);
    json_array_foreach(rows, i, r) {
        fprintf(f, "%lld,", (long long)json_integer_value(json_object_get(r, "index")));
        csv(f, json_string_value(json_object_get(r, "scenario")));
        fputc(',', f);
        describe(r, tmp, sizeof tmp);
        csv(f, tmp);
        fprintf(f, ",%s,", json_string_value(json_object_get(r, "status")));
        csv_num(a, sizeof a, num(r, "objective"));
        fprintf(f, "%s,", a);
        csv_num(a, sizeof a, num(r, "k"));
        fprintf(f, "%s,", a);
        ap__sites_str(r, tmp, sizeof tmp);
        csv(f, tmp);
        csv_num(a, sizeof a, num(r, "mean-cost"));
        fprintf(f, ",%s,", a);
        csv_num(a, sizeof a, num(r, "worst-cost"));
        fprintf(f, "%s,", a);
        csv_num(a, sizeof a, num(r, "changes"));
        fprintf(f, "%s,", a);
        csv_num(a, sizeof a, num(r, "lost-demand"));
        fprintf(f, "%s,", a);
        csv_num(a, sizeof a, num(r, "gap"));
        fprintf(f, "%s,%.3f,", a, num(r, "seconds"));
        csv(f, json_string_value(json_object_get(r, "reason")));
        fputc('\n', f);
    }
    fclose(f);
    rc = put(dir, "results.csv", buf, len, err);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------------ plots */

/* A "nice" step for about `n` ticks over [lo, hi]. */
static double nice_step(double lo, double hi, int n)
{
    double raw = (hi - lo) / n, mag, r;
    if (!(raw > 0))
        return 1;
    mag = pow(10, floor(log10(raw)));
    r = raw / mag;
    return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
}

#define PW 720
#define PH 400
#define ML 80
#define MR 150
#define MT 40
#define MB 56

static int in_group(json_t *r, const char *group)
{
    const char *g = json_string_value(json_object_get(r, "group"));
    return g && group && !strcmp(g, group);
}

/* "delay-ow (ms)" for an axis: the metric and the unit shown; *factor
 * converts values to that unit. */
static void axis_label(const char *metric, double typical, double *factor, char *out, size_t cap)
{
    char unit[32];
    *factor = ap_metric_display(metric, typical, unit, sizeof unit);
    snprintf(out, cap, "%s%s%s%s", metric && *metric ? metric : "cost", *unit ? " (" : "", unit, *unit ? ")" : "");
}

/* Line chart of mean and worst client cost against k for one sweep; k
 * values without a plan are marked on the axis. */
static void plot_sweep(FILE *f, json_t *rows, const char *group, const char *title, const char *metric)
{
    size_t i, npt = 0, nbad = 0;
    json_t *r;
    double xmin = INFINITY, xmax = -INFINITY, ymax = 0, step, xstep, v, fac;
    const char *series[] = {"mean-cost", "worst-cost"};
    const char *label[] = {"mean client cost", "worst client cost"};
    char ylab[128];
    int s, top;
    json_array_foreach(rows, i, r) {
        if (!in_group(r, group) || !isfinite(num(r, "k")))
            continue;
        xmin = fmin(xmin, num(r, "k"));
        xmax = fmax(xmax, num(r, "k"));
        if (!isfinite(num(r, "worst-cost"))) {
            nbad++;
            continue;
        }
        npt++;
        ymax = fmax(ymax, num(r, "worst-cost"));
    }
    axis_label(metric, ymax, &fac, ylab, sizeof ylab);
    ymax *= fac;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
               "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            PW, PH, PW, PH);
    top = ap__svg_wrap(f, 10, 22, PW - 20, 15, "font-weight=\"bold\"", title) - 22 + MT;
    if (npt + nbad == 0) {
        fprintf(f, "<text x=\"%d\" y=\"%d\">no scenario with a number of replicas in this sweep</text>\n</svg>\n",
                ML, PH / 2);
        return;
    }
    if (xmax == xmin)
        xmax = xmin + 1;
    if (ymax <= 0)
        ymax = 1;
    step = nice_step(0, ymax, 5);
    ymax = ceil(ymax / step) * step;
    xstep = fmax(1, ceil(nice_step(xmin, xmax, 10))); /* k is an integer: at most about 10 labels */
#define X(x) (ML + ((x) - xmin) / (xmax - xmin) * (PW - ML - MR))
#define Y(y) (PH - MB - (y) / ymax * (PH - top - MB))
    for (v = 0; v <= ymax + step / 2; v += step) {
        char a[64];
        fmt_num(a, sizeof a, v);
        fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                   "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                ML, PW - MR, Y(v), Y(v), ML - 6, Y(v) + 4, a);
    }
    for (v = ceil(xmin / xstep) * xstep; v <= xmax + 1e-9; v += xstep)
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>"
                   "<text class=\"xtick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
                X(v), X(v), PH - MB, PH - MB + 5, X(v), PH - MB + 18, v);
    fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", ML, PW - MR, PH - MB, PH - MB);
    fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", ML, ML, top, PH - MB);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">number of replicas (k)</text>\n",
            (ML + PW - MR) / 2, PH - 14);
    fprintf(f, "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\">", (top + PH - MB) / 2);
    ap__esc(f, ylab);
    fputs("</text>\n", f);
    for (s = 0; s < 2; s++) {
        int first = 1;
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" points=\"", PALETTE[s]);
        json_array_foreach(rows, i, r) {
            if (!in_group(r, group) || !isfinite(num(r, series[s])) || !isfinite(num(r, "k")))
                continue;
            fprintf(f, "%s%.1f,%.1f", first ? "" : " ", X(num(r, "k")), Y(fac * num(r, series[s])));
            first = 0;
        }
        fputs("\"/>\n", f);
        json_array_foreach(rows, i, r) {
            if (!in_group(r, group) || !isfinite(num(r, series[s])) || !isfinite(num(r, "k")))
                continue;
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\"><title>k = %g: %s %.6g</title></circle>\n",
                    X(num(r, "k")), Y(fac * num(r, series[s])), npt > 25 ? "2.5" : "4", PALETTE[s], num(r, "k"),
                    label[s], fac * num(r, series[s]));
        }
        fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"/>"
                   "<text x=\"%d\" y=\"%d\">%s</text>\n",
                PW - MR + 12, PW - MR + 32, top + 10 + 20 * s, top + 10 + 20 * s, PALETTE[s], PW - MR + 36,
                top + 14 + 20 * s, label[s]);
    }
    if (nbad) {
        json_array_foreach(rows, i, r) {
            if (!in_group(r, group) || !isfinite(num(r, "k")) || isfinite(num(r, "worst-cost")))
                continue;
            fprintf(f, "<path d=\"M%.1f %dl8 8m0 -8l-8 8\" stroke=\"#d62728\" stroke-width=\"2\"><title>k = %g: ",
                    X(num(r, "k")) - 4, PH - MB - 4, num(r, "k"));
            ap__esc(f, json_string_value(json_object_get(r, "status")));
            fputs("</title></path>\n", f);
        }
        fprintf(f, "<path d=\"M%d %dl8 8m0 -8l-8 8\" stroke=\"#d62728\" stroke-width=\"2\"/>"
                   "<text x=\"%d\" y=\"%d\">no plan (infeasible,</text><text x=\"%d\" y=\"%d\">time limit or error)</text>\n",
                PW - MR + 18, top + 44, PW - MR + 36, top + 54, PW - MR + 36, top + 68);
    }
#undef X
#undef Y
    fputs("</svg>\n", f);
}

/* Horizontal bars: mean client cost of each single scenario, base first. */
static void plot_bars(FILE *f, json_t *rows, const char *metric)
{
    size_t i, n = 0;
    json_t *r;
    double vmax = 0, step, v, base = NAN, fac;
    int h, y = 0, lw = 230;
    char title[200], ax[128];
    json_array_foreach(rows, i, r) {
        const char *g = json_string_value(json_object_get(r, "group"));
        if (json_integer_value(json_object_get(r, "index")) == 0)
            base = num(r, "mean-cost");
        if (!g)
            continue;
        n++;
        if (isfinite(num(r, "mean-cost")))
            vmax = fmax(vmax, num(r, "mean-cost"));
    }
    axis_label(metric, vmax, &fac, ax, sizeof ax);
    snprintf(title, sizeof title, "Mean client cost per scenario: %s", ax);
    vmax *= fac;
    base *= fac;
    h = MT + 30 + (int)n * 26 + MB;
    if (vmax <= 0)
        vmax = 1;
    step = nice_step(0, vmax, 5);
    vmax = ceil(vmax / step) * step;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
               "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
            PW, h, PW, h);
    ap__svg_wrap(f, 10, 22, PW - 20, 15, "font-weight=\"bold\"", title);
#define X(x) (lw + (x) / vmax * (PW - lw - 70))
    for (v = 0; v <= vmax + step / 2; v += step) {
        char a[64];
        fmt_num(a, sizeof a, v);
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                   "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                X(v), X(v), MT, h - MB, X(v), h - MB + 16, a);
    }
    json_array_foreach(rows, i, r) {
        double m = fac * num(r, "mean-cost");
        const char *name = json_string_value(json_object_get(r, "scenario"));
        int yy = MT + 10 + y * 26;
        const char *status = json_string_value(json_object_get(r, "status"));
        y++;
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", lw - 8, yy + 14);
        if (name && strlen(name) > 34) { /* cut, whole name on hover */
            char cut[40];
            size_t k = 31;
            while (k > 1 && ((unsigned char)name[k] & 0xC0) == 0x80)
                k--;
            snprintf(cut, sizeof cut, "%.*s…", (int)k, name);
            ap__esc(f, cut);
            fputs("<title>", f);
            ap__esc(f, name);
            fputs("</title>", f);
        } else {
            ap__esc(f, name);
        }
        fputs("</text>\n", f);
        if (isfinite(m)) {
            fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>", lw, yy,
                    X(m) - lw, json_integer_value(json_object_get(r, "index")) == 0 ? "#7f7f7f"
                               : isfinite(base) && m > base * 1.0000001 ? "#d62728" : "#2ca02c");
            if (isfinite(base) && base > 0)
                fprintf(f, "<text x=\"%.1f\" y=\"%d\">%+.1f%%</text>\n", X(m) + 4, yy + 14, 100 * (m / base - 1));
            else
                fputc('\n', f);
        } else {
            fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#d62728\">%s</text>\n", lw + 4, yy + 14, status ? status : "");
        }
    }
#undef X
    fprintf(f, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", lw, lw, MT, h - MB);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">grey: base; green: no worse; red: worse "
               "(label: change from base)</text>\n</svg>\n", (lw + PW) / 2, h - 12);
}

/* Renders into a memory buffer with fn, writes dir/name, and appends the
 * same SVG to the HTML page. */
typedef struct {
    FILE *html;
    const char *dir;
    ap_error *err;
    int failed;
} sink;

static void emit(sink *s, const char *name, char *buf, size_t len)
{
    if (s->failed || !buf) {
        s->failed = 1;
        free(buf);
        return;
    }
    if (put(s->dir, name, buf, len, s->err))
        s->failed = 1;
    else
        fprintf(s->html, "<figure>%s<figcaption>%s</figcaption></figure>\n", buf, name);
    free(buf);
}

/* Whether a file of an output folder is one of the plots and maps a study
 * writes (cost-vs-k*.svg, scenarios.svg, map-N.svg): those of an earlier
 * study that this one did not write are removed when its outputs move in,
 * so that the folder holds one study's outputs. */
int ap__whatif_is_plot(const char *n)
{
    return (!strncmp(n, "cost-vs-k", 9) || !strncmp(n, "map-", 4) || !strcmp(n, "scenarios.svg")) &&
           strlen(n) > 4 && !strcmp(n + strlen(n) - 4, ".svg");
}

static size_t group_size(json_t *rows, const char *g)
{
    size_t i, n = 0;
    json_t *r;
    json_array_foreach(rows, i, r)
        n += in_group(r, g);
    return n;
}

/* The largest finite value of key over the rows (0 when none). */
static double max_of(json_t *rows, const char *key)
{
    size_t i;
    json_t *r;
    double m = 0;
    json_array_foreach(rows, i, r)
        if (isfinite(num(r, key)))
            m = fmax(m, fabs(num(r, key)));
    return m;
}

static void html_table(FILE *h, json_t *rows)
{
    size_t i;
    json_t *r, *r0 = json_array_get(rows, 0);
    char tmp[4096], a[64], cu[32], ou[64], oh[128] = "objective";
    const char *metric = json_string_value(json_object_get(r0, "metric"));
    const char *du = json_string_value(json_object_get(r0, "demand-unit"));
    double cf = ap_metric_display(metric, max_of(rows, "worst-cost"), cu, sizeof cu);
    const char *obj_unit = json_string_value(json_object_get(r0, "objective-unit"));
    double of = 1;
    if (!du || !*du)
        du = "demand";
    if (obj_unit && !strcmp(obj_unit, "sites")) {
        snprintf(oh, sizeof oh, "objective (sites)");
    } else if (obj_unit && *obj_unit) { /* demand x metric: in the readable unit */
        of = ap_metric_display(metric, max_of(rows, "objective") / fmax(1, max_of(rows, "demand")), ou, sizeof ou);
        snprintf(oh, sizeof oh, "objective (%s × %s)", du, ou);
    }
    fprintf(h, "<table>\n<tr><th>#</th><th>scenario</th><th>change</th><th>status</th><th>%s</th>"
               "<th>sites</th><th>mean cost%s%s%s</th><th>worst cost%s%s%s</th><th>changes from base</th>"
               "<th>lost demand (%s)</th><th>gap</th><th>time (s)</th></tr>\n",
            oh, *cu ? " (" : "", cu, *cu ? ")" : "", *cu ? " (" : "", cu, *cu ? ")" : "", du);
    json_array_foreach(rows, i, r) {
        const char *st = json_string_value(json_object_get(r, "status"));
        fprintf(h, "<tr%s><td>%lld</td><td>", st && (!strcmp(st, "optimal") || !strcmp(st, "feasible")) ? "" :
                " class=\"bad\"", (long long)json_integer_value(json_object_get(r, "index")));
        ap__esc(h, json_string_value(json_object_get(r, "scenario")));
        fputs("</td><td>", h);
        describe(r, tmp, sizeof tmp);
        ap__esc(h, tmp);
        fputs("</td><td>", h);
        ap__esc(h, st);
        if (json_string_length(json_object_get(r, "reason"))) {
            fputs(": ", h);
            ap__esc(h, json_string_value(json_object_get(r, "reason")));
        }
        fmt_num(a, sizeof a, of * num(r, "objective"));
        fprintf(h, "</td><td class=\"n\">%s</td><td>", a);
        ap__sites_str(r, tmp, sizeof tmp);
        ap__esc(h, tmp);
        fmt_num(a, sizeof a, cf * num(r, "mean-cost"));
        fprintf(h, "</td><td class=\"n\">%s</td>", a);
        fmt_num(a, sizeof a, cf * num(r, "worst-cost"));
        fprintf(h, "<td class=\"n\">%s</td>", a);
        fmt_num(a, sizeof a, num(r, "changes"));
        fprintf(h, "<td class=\"n\">%s</td>", a);
        fmt_num(a, sizeof a, num(r, "lost-demand"));
        fprintf(h, "<td class=\"n\">%s</td>", a);
        fmt_num(a, sizeof a, 100 * num(r, "gap"));
        fprintf(h, "<td class=\"n\">%s%s</td><td class=\"n\">%.3f</td></tr>\n", a, *a ? "%" : "", num(r, "seconds"));
    }
    fputs("</table>\n", h);
}

int ap__whatif_outputs(const ap__study *st, json_t *rows, const char *dir, ap_error *err)
{
    char *hbuf = NULL, *buf = NULL, name[96];
    size_t hlen = 0, len = 0, i, nsweep = 0, nmaps = 0;
    FILE *h, *f;
    sink s;
    json_t *r;
    ap_topo *t = NULL;
    json_t *colours = NULL;
    const char *metric = json_string_value(json_object_get(json_array_get(rows, 0), "metric"));
    int rc = -1, have_single = 0;

    if (ap__json_write_in(dir, "results.json",
                          json_pack("{s:s,s:s,s:O}", "study", st->name, "problem", st->problem, "rows", rows), err) ||
        write_csv(rows, dir, err))
        return -1;
    if (st->topology && !(t = ap_topo_load(st->topology, err)))
        return -1;
    if (!(h = open_memstream(&hbuf, &hlen))) {
        ap_topo_free(t);
        ap__err(err, AP_ENOMEM, dir, "out of memory");
        return -1;
    }
    s.html = h;
    s.dir = dir;
    s.err = err;
    s.failed = 0;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", h);
    ap__esc(h, st->name);
    fputs("</title>\n<style>body{font-family:sans-serif;margin:24px;max-width:1400px;color:#222}"
          "table{border-collapse:collapse;font-size:13px;margin:12px 0}td,th{border:1px solid #ccc;padding:3px 7px}"
          "th{background:#eef}td.n{text-align:right;font-variant-numeric:tabular-nums}tr.bad td{background:#fee}"
          "figure{display:inline-block;margin:8px;vertical-align:top}figcaption{font-size:12px;color:#666}"
          "</style></head><body>\n<h1>", h);
    ap__esc(h, st->name);
    fputs("</h1>\n<p>", h);
    ap__esc(h, json_string_value(json_object_get(st->root, "description")));
    fputs("</p>\n<p>Base problem: <code>", h);
    ap__esc(h, st->problem);
    fprintf(h, "</code>; %zu scenarios, each solved on its own. A client's cost is the problem's metric (",
            json_array_size(rows));
    ap__esc(h, metric && *metric ? metric : "cost");
    fputs(") from it to the site serving it; mean cost is weighted by demand, the objective is the sum of demand "
          "times cost. The table shows rounded values in readable units; results.csv and results.json hold every "
          "digit, in the metric's own unit. Files: <a href=\"results.csv\">results.csv</a>, "
          "<a href=\"results.json\">results.json</a>.</p>\n<h2>Results</h2>\n", h);
    html_table(h, rows);
    fputs("<h2>Plots</h2>\n", h);
    /* one line chart per k sweep */
    json_array_foreach(rows, i, r) {
        const char *g = json_string_value(json_object_get(r, "group"));
        size_t x;
        json_t *q;
        int first = 1;
        json_array_foreach(rows, x, q)
            if (x < i && in_group(q, g))
                first = 0;
        if (!first || group_size(rows, g) < 2 || !json_is_integer(json_object_get(json_object_get(r, "change"), "k")))
            continue;
        nsweep++;
        if (!(f = open_memstream(&buf, &len)))
            s.failed = 1;
        else {
            char title[300];
            snprintf(title, sizeof title, "Client cost against the number of replicas%s%s",
                     nsweep > 1 ? " — " : "", nsweep > 1 ? json_string_value(json_object_get(r, "scenario")) : "");
            plot_sweep(f, rows, g, title, metric);
            fclose(f);
        }
        snprintf(name, sizeof name, nsweep > 1 ? "cost-vs-k-%zu.svg" : "cost-vs-k.svg", nsweep);
        emit(&s, name, buf, len);
        buf = NULL;
    }
    json_array_foreach(rows, i, r)
        have_single |= i > 0;
    if (have_single) {
        if (!(f = open_memstream(&buf, &len)))
            s.failed = 1;
        else {
            plot_bars(f, rows, metric);
            fclose(f);
        }
        emit(&s, "scenarios.svg", buf, len);
        buf = NULL;
    }
    fputs("<h2>Maps</h2>\n", h);
    if (t && !(colours = ap__site_colours(rows)))
        s.failed = 1;
    if (!t)
        fputs("<p>No maps: the study names no topology (coordinates come from a topology.json).</p>\n", h);
    else
        json_array_foreach(rows, i, r) {
            /* the base, and each scenario that is not part of a k sweep (the
             * sweep's maps would be many near-copies) */
            int sweep = group_size(rows, json_string_value(json_object_get(r, "group"))) > 1;
            if (sweep || nmaps >= 40)
                continue;
            if (!(f = open_memstream(&buf, &len)))
                s.failed = 1;
            else {
                ap__plot_map(f, t, r, colours);
                fclose(f);
            }
            snprintf(name, sizeof name, "map-%lld.svg", (long long)json_integer_value(json_object_get(r, "index")));
            emit(&s, name, buf, len);
            buf = NULL;
            nmaps++;
        }
    fputs("<p style=\"color:#666;font-size:12px\">Made by altoplace " AP_VERSION ".</p>\n</body></html>\n", h);
    fclose(h);
    if (!s.failed && put(dir, "report.html", hbuf, hlen, err) == 0)
        rc = 0;
    json_decref(colours);
    free(hbuf);
    ap_topo_free(t);
    return rc;
}
