/* map.c - a map of the network for one scenario: land and borders (Natural
 * Earth 1:110m) under the PoPs, an equirectangular projection fitted to the
 * network's extent with a scale bar, each site in the one colour and marker
 * it has in every map of the study, client PoPs in their site's colour with
 * a tooltip, failed links and PoPs in red, and a legend. */
#include "studies_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

extern const short ap__ne_land[], ap__ne_borders[];

/* Twenty hues, none grey (links, PoPs without demand) nor red (failures);
 * with three marker shapes, 60 sites look different. */
static const char *const HUES[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                                   "#bcbd22", "#000080", "#008080", "#e6ab02", "#1b5e20", "#c51b8a", "#66a61e",
                                   "#4b0082", "#6baed6", "#a6761d", "#00838f", "#7570b3", "#f781bf"};
#define NHUE (sizeof HUES / sizeof HUES[0])
#define RED "#d62728"
#define PI 3.14159265358979

json_t *ap__site_colours(json_t *rows)
{
    json_t *col = json_object(), *r, *e;
    size_t i, j;
    if (!col)
        return NULL;
    json_array_foreach(rows, i, r)
        json_array_foreach(json_object_get(r, "sites"), j, e)
            if (json_is_string(e) && !json_object_get(col, json_string_value(e)))
                json_object_set_new(col, json_string_value(e), json_integer((json_int_t)json_object_size(col)));
    return col;
}

static size_t colour_of(json_t *colours, const char *site)
{
    json_t *v = site ? json_object_get(colours, site) : NULL;
    return v ? (size_t)json_integer_value(v) : 0;
}

/* A marker of shape c / NHUE (square, diamond, triangle) centred on x, y,
 * with a tooltip. */
static void marker(FILE *f, size_t c, double x, double y, double r, const char *title)
{
    int shape = (int)((c / NHUE) % 3);
    if (shape == 0)
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", x - r, y - r, 2 * r, 2 * r);
    else if (shape == 1)
        fprintf(f, "<path d=\"M%.1f %.1fl%.1f %.1fl%.1f %.1fl%.1f %.1fz\"", x, y - 1.4 * r, 1.4 * r, 1.4 * r,
                -1.4 * r, 1.4 * r, -1.4 * r, -1.4 * r);
    else
        fprintf(f, "<path d=\"M%.1f %.1fl%.1f %.1fh%.1fz\"", x, y - 1.4 * r, 1.4 * r, 2.4 * r, -2.8 * r);
    fprintf(f, " fill=\"%s\" stroke=\"black\" stroke-width=\"1.3\"><title>", HUES[c % NHUE]);
    ap__esc(f, title);
    fprintf(f, "</title></%s>\n", shape == 0 ? "rect" : "path");
}

/* The projection: equirectangular, x stretched by cos(mid-latitude). */
typedef struct {
    double lo0, lo1, la0, la1; /* the view, degrees */
    double kx, s;              /* cos(mid-latitude); pixels per degree of latitude */
    int x0, y0, w, h;          /* the map's area in the picture */
} proj;
#define PX(p, lon) ((p)->x0 + ((lon) - (p)->lo0) * (p)->kx * (p)->s)
#define PY(p, lat) ((p)->y0 + ((p)->la1 - (lat)) * (p)->s)

/* Fits the view to the PoPs with coordinates, a margin around them, and
 * fills the area (the longer side sets the scale). */
static void fit(proj *p, const ap_topo *t)
{
    size_t i, n = ap_topo_nnodes(t);
    double la0 = INFINITY, la1 = -INFINITY, lo0 = INFINITY, lo1 = -INFINITY, pad, cx, cy, sx, sy;
    for (i = 0; i < n; i++) {
        double la = ap_topo_lat(t, i), lo = ap_topo_lon(t, i);
        if (!isfinite(la) || !isfinite(lo))
            continue;
        la0 = fmin(la0, la), la1 = fmax(la1, la);
        lo0 = fmin(lo0, lo), lo1 = fmax(lo1, lo);
    }
    if (!(la1 >= la0))
        la0 = -60, la1 = 75, lo0 = -180, lo1 = 180; /* no coordinates: the world */
    pad = fmax(0.5, 0.08 * fmax(la1 - la0, lo1 - lo0));
    la0 = fmax(-89, la0 - pad), la1 = fmin(89, la1 + pad), lo0 -= pad, lo1 += pad;
    cx = (lo0 + lo1) / 2, cy = (la0 + la1) / 2;
    p->kx = fmax(0.2, cos(cy * PI / 180));
    sx = (lo1 - lo0) * p->kx, sy = la1 - la0;
    p->s = fmin(p->w / sx, p->h / sy);
    p->lo0 = cx - p->w / (p->kx * p->s) / 2, p->lo1 = cx + p->w / (p->kx * p->s) / 2;
    p->la0 = cy - p->h / p->s / 2, p->la1 = cy + p->h / p->s / 2;
}

/* The shapes of d (see geo_ne110m.c) that reach into the view, as one path
 * (closed rings for land); points under 0.7 px from the last one drawn are
 * skipped. */
static void shapes(FILE *f, const proj *p, const short *d, int closed)
{
    size_t i = 0, k;
    while (d[i] > 0) {
        size_t n = (size_t)d[i];
        const short *q = d + i + 1;
        double mlo = 1e9, Mlo = -1e9, mla = 1e9, Mla = -1e9, lx = 0, ly = 0;
        i += 1 + 2 * n;
        for (k = 0; k < n; k++) {
            mlo = fmin(mlo, q[2 * k] / 100.0), Mlo = fmax(Mlo, q[2 * k] / 100.0);
            mla = fmin(mla, q[2 * k + 1] / 100.0), Mla = fmax(Mla, q[2 * k + 1] / 100.0);
        }
        if (Mlo < p->lo0 || mlo > p->lo1 || Mla < p->la0 || mla > p->la1)
            continue;
        for (k = 0; k < n; k++) {
            double x = PX(p, q[2 * k] / 100.0), y = PY(p, q[2 * k + 1] / 100.0);
            if (k && k + 1 < n && fabs(x - lx) + fabs(y - ly) < 0.7)
                continue;
            fprintf(f, "%c%.1f %.1f", k ? 'L' : 'M', x, y);
            lx = x, ly = y;
        }
        if (closed)
            fputc('Z', f);
    }
}

/* A scale bar of a round length, about a fifth of the map wide, true at
 * the map's middle latitude. */
static void scale_bar(FILE *f, const proj *p)
{
    double km_px = 111.32 / p->s, want = p->w / 5.0 * km_px, mag = pow(10, floor(log10(want))), km, len;
    int x = p->x0 + 14, y = p->y0 + p->h - 16;
    km = want / mag >= 5 ? 5 * mag : want / mag >= 2 ? 2 * mag : mag;
    len = km / km_px;
    fprintf(f, "<g stroke=\"#333\" stroke-width=\"1.5\"><path d=\"M%d %dv6h%.1fv-6\" fill=\"none\"/></g>"
               "<text x=\"%d\" y=\"%d\" fill=\"#333\">%g km (at %.0f°%c)</text>\n",
            x, y - 6, len, x, y - 10, km, fabs((p->la0 + p->la1) / 2), (p->la0 + p->la1) / 2 >= 0 ? 'N' : 'S');
}

/* Is link a-b among the scenario's failed links? */
static int link_failed(const ap_topo *t, json_t *change, size_t a, size_t b)
{
    size_t x;
    json_t *e;
    json_array_foreach(json_object_get(change, "fail-links"), x, e) {
        const char *u = json_string_value(json_array_get(e, 0)), *v = json_string_value(json_array_get(e, 1));
        if (u && v && ((!strcmp(u, ap_topo_node(t, a)) && !strcmp(v, ap_topo_node(t, b))) ||
                       (!strcmp(v, ap_topo_node(t, a)) && !strcmp(u, ap_topo_node(t, b)))))
            return 1;
    }
    return 0;
}

static int has_xy(const ap_topo *t, long i)
{
    return i >= 0 && isfinite(ap_topo_lat(t, (size_t)i)) && isfinite(ap_topo_lon(t, (size_t)i));
}

/* Links (failed ones dashed red), client-to-site lines, client PoPs (a
 * tooltip each), failed PoPs, open sites. */
static void network(FILE *f, const proj *p, const ap_topo *t, json_t *row, json_t *colours)
{
    size_t n = ap_topo_nnodes(t), i, l, a, b;
    json_t *assign = json_object_get(row, "assign"), *change = json_object_get(row, "change"), *e, *v;
    const char *key;
    int mesh = ap_topo_nlinks(t) > 4 * n; /* full meshes (WLCG) would hide everything */
    char tip[512];
#define NX(i) PX(p, ap_topo_lon(t, i))
#define NY(i) PY(p, ap_topo_lat(t, i))
    for (l = 0; l < ap_topo_nlinks(t); l++) {
        int failed;
        if (ap_topo_link(t, l, &a, &b) || !has_xy(t, (long)a) || !has_xy(t, (long)b))
            continue;
        failed = link_failed(t, change, a, b);
        if (mesh && !failed)
            continue;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"%s/>\n",
                NX(a), NY(a), NX(b), NY(b), failed ? RED : "#9a9a9a", failed ? "2.5" : "1",
                failed ? " stroke-dasharray=\"6,3\"" : "");
    }
    json_object_foreach(assign, key, v) {
        long c = ap_topo_find(t, key), j = ap_topo_find(t, json_string_value(v));
        if (has_xy(t, c) && has_xy(t, j) && c != j)
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-opacity=\"0.7\"/>\n",
                    NX(c), NY(c), NX(j), NY(j), HUES[colour_of(colours, json_string_value(v)) % NHUE]);
    }
    for (i = 0; i < n; i++) {
        const char *site = json_string_value(json_object_get(assign, ap_topo_node(t, i)));
        if (!has_xy(t, (long)i))
            continue;
        snprintf(tip, sizeof tip, site ? "%s: served by %s" : "%s: no demand in this scenario", ap_topo_node(t, i),
                 site);
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" fill=\"%s\" stroke=\"white\" stroke-width=\"0.6\"><title>",
                NX(i), NY(i), site ? HUES[colour_of(colours, site) % NHUE] : "#9a9a9a");
        ap__esc(f, tip);
        fputs("</title></circle>\n", f);
    }
    json_array_foreach(json_object_get(change, "fail-sites"), i, e) {
        long c = ap_topo_find(t, json_string_value(e));
        if (has_xy(t, c))
            fprintf(f, "<path d=\"M%.1f %.1fl12 12m0 -12l-12 12\" stroke=\"" RED "\" stroke-width=\"3\"/>\n",
                    NX(c) - 6, NY(c) - 6);
    }
    json_array_foreach(json_object_get(row, "sites"), i, e) {
        long j = ap_topo_find(t, json_string_value(e));
        size_t served = 0;
        int right;
        if (!has_xy(t, j))
            continue;
        json_object_foreach(assign, key, v)
            served += json_equal(v, e);
        snprintf(tip, sizeof tip, "%s: open site, serves %zu client PoP%s", json_string_value(e), served,
                 served == 1 ? "" : "s");
        marker(f, colour_of(colours, json_string_value(e)), NX(j), NY(j), 6, tip);
        right = NX(j) > p->x0 + p->w * 0.85; /* label on the left near the right edge */
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" font-weight=\"bold\" paint-order=\"stroke\" "
                   "stroke=\"white\" stroke-width=\"3\"%s>",
                right ? NX(j) - 10 : NX(j) + 10, NY(j) - 7, right ? " text-anchor=\"end\"" : "");
        ap__esc(f, json_string_value(e));
        fputs("</text>\n", f);
    }
#undef NX
#undef NY
}

#define MAPW 800
#define MAPH 520
#define LROW 15   /* legend line height */
#define LCOL 120  /* legend column width */

/* The legend: each open site with its marker, then what dots, lines and
 * red mean. */
static void legend(FILE *f, int x, int y, int per_col, json_t *row, json_t *colours, int failures)
{
    size_t i;
    json_t *e;
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">open sites</text>\n", x, y);
    json_array_foreach(json_object_get(row, "sites"), i, e) {
        int cx = x + (int)(i / (size_t)per_col) * LCOL, cy = y + LROW * (1 + (int)(i % (size_t)per_col));
        marker(f, colour_of(colours, json_string_value(e)), cx + 6, cy - 4, 5, json_string_value(e));
        fprintf(f, "<text x=\"%d\" y=\"%d\">", cx + 16, cy);
        ap__esc(f, json_string_value(e));
        fputs("</text>\n", f);
    }
    y += LROW * (2 + (int)(json_array_size(json_object_get(row, "sites")) < (size_t)per_col
                               ? json_array_size(json_object_get(row, "sites")) : (size_t)per_col));
    fprintf(f, "<circle cx=\"%d\" cy=\"%d\" r=\"3.2\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">client PoP, in its "
               "site's colour</text>\n", x + 6, y - 4, HUES[0], x + 16, y);
    y += LROW;
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/><text x=\"%d\" y=\"%d\">client to "
               "its site</text>\n", x, y - 4, x + 12, y - 4, HUES[0], x + 16, y);
    y += LROW;
    fprintf(f, "<circle cx=\"%d\" cy=\"%d\" r=\"3.2\" fill=\"#9a9a9a\"/><text x=\"%d\" y=\"%d\">PoP without "
               "demand</text>\n", x + 6, y - 4, x + 16, y);
    y += LROW;
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9a9a9a\"/><text x=\"%d\" y=\"%d\">link"
               "</text>\n", x, y - 4, x + 12, y - 4, x + 16, y);
    if (failures) {
        y += LROW;
        fprintf(f, "<path d=\"M%d %dl8 8m0 -8l-8 8\" stroke=\"" RED "\" stroke-width=\"2.5\"/><text x=\"%d\" "
                   "y=\"%d\" fill=\"" RED "\">failed PoP or link</text>\n", x + 2, y - 8, x + 16, y);
    }
}

void ap__plot_map(FILE *f, const ap_topo *t, json_t *row, json_t *colours)
{
    json_t *sites = json_object_get(row, "sites"), *change = json_object_get(row, "change");
    size_t ns = json_array_size(sites);
    int per_col = (MAPH - 8 * LROW) / LROW, ncol = (int)((ns + (size_t)per_col - 1) / (size_t)per_col), W, H, top;
    int failures = json_array_size(json_object_get(change, "fail-links")) ||
                   json_array_size(json_object_get(change, "fail-sites"));
    char title[2048];
    proj p;
    snprintf(title, sizeof title, "%s: ", json_string_value(json_object_get(row, "scenario")));
    if (ns)
        ap__sites_str(row, title + strlen(title), sizeof title - strlen(title));
    else
        snprintf(title + strlen(title), sizeof title - strlen(title), "%s",
                 json_string_value(json_object_get(row, "status")));
    if (ncol < 1)
        ncol = 1;
    W = 10 + MAPW + 16 + (ncol * LCOL > 180 ? ncol * LCOL : 180) + 10;
    top = ap__svg_wrap(NULL, 10, 20, W - 20, 14, NULL, title) + 12;
    H = top + MAPH + 22;
    p.x0 = 10, p.y0 = top, p.w = MAPW, p.h = MAPH;
    fit(&p, t);
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
               "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
               "<defs><clipPath id=\"area\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/></clipPath></defs>\n",
            W, H, W, H, p.x0, p.y0, p.w, p.h);
    ap__svg_wrap(f, 10, 20, W - 20, 14, "font-weight=\"bold\"", title);
    fprintf(f, "<g clip-path=\"url(#area)\">\n<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#e4eef7\"/>\n"
               "<path class=\"land\" fill=\"#f3efe4\" fill-rule=\"evenodd\" stroke=\"#b9b4a6\" stroke-width=\"0.6\" d=\"",
            p.x0, p.y0, p.w, p.h);
    shapes(f, &p, ap__ne_land, 1);
    fputs("\"/>\n<path class=\"borders\" fill=\"none\" stroke=\"#c8bfae\" stroke-width=\"0.8\" stroke-dasharray=\"3,2\" d=\"", f);
    shapes(f, &p, ap__ne_borders, 0);
    fputs("\"/>\n", f);
    network(f, &p, t, row, colours);
    fputs("</g>\n", f);
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n", p.x0, p.y0,
            p.w, p.h);
    scale_bar(f, &p);
    legend(f, p.x0 + p.w + 16, p.y0 + 12, per_col, row, colours, failures);
    fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#777\" font-size=\"10\">land and borders: Natural Earth (public "
               "domain); equirectangular projection%s</text>\n</svg>\n",
            p.x0, H - 7, ap_topo_nlinks(t) > 4 * ap_topo_nnodes(t) ? "; links of the full mesh not drawn" : "");
}
