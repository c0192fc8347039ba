/* cmd_import.c - altoplace import: topologies and OR-Library instances as ALTO files. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const import_usage =
    "usage: altoplace import KIND FILE -o DIR [options]\n"
    "\n"
    "Turn real network data or an OR-Library instance into ALTO documents in DIR.\n"
    "\n"
    "network kinds (write networkmap.json, costmap-delay-ow.json,\n"
    "costmap-hopcount.json, costmap-bw-maximum.json when link speeds are known,\n"
    "propmap.json with coordinates, and topology.json for what-if studies):\n"
    "  zoo            Internet Topology Zoo GraphML: one PID per PoP; delay-ow =\n"
    "                 great-circle length / propagation speed along the\n"
    "                 shortest-delay path (microseconds); hopcount; bw-maximum =\n"
    "                 slowest link on that path (bytes/s).  PoPs without coordinates\n"
    "                 get their located neighbours' mean (reported) or are dropped\n"
    "  wlcg           WLCG sites from a CRIC rcsite dump (FILE) for the sites named\n"
    "                 in --flows (transfer records); every pair linked directly;\n"
    "                 also writes sites.json (record site name -> PID)\n"
    "\n"
    "OR-Library kinds (write networkmap.json, costmap.json, propmap.json,\n"
    "demand.json and problem.json, so 'altoplace plan DIR/problem.json' solves it\n"
    "through the ALTO path):\n"
    "  orlib-pmed     uncapacitated p-median (pmed1..40; Beasley 1985)\n"
    "  orlib-cap      capacitated warehouse location (cap41..134, capa/b/c;\n"
    "                 Beasley 1988); --capacity Q sets every capacity (required\n"
    "                 for capa/capb/capc)\n"
    "  orlib-pmedcap  capacitated p-median (Osman & Christofides 1994)\n"
    "  tsplib         TSPLIB coordinate file (EUC_2D) as a p-median instance\n"
    "                 with -k P medians, cost = floor of the distance\n"
    "\n"
    "options:\n"
    "  -o, --output DIR   output folder (created if missing)\n"
    "  --prefixes DIR     (zoo) per-country CIDR lists DIR/ipv4/<cc>.cidr and\n"
    "                     DIR/ipv6/<cc>.cidr: each PoP's PID gets real blocks of its\n"
    "                     country, dealt evenly over the PoPs of that country\n"
    "  --as N --as-table FILE  (zoo) instead of country blocks: the prefixes AS N\n"
    "                     originates in prefix-to-AS tables (pyasn format, e.g.\n"
    "                     RouteViews ipasn_*.dat.gz; repeat --as-table for IPv4 and\n"
    "                     IPv6), dealt evenly over all PoPs\n"
    "  --country PID=CC   (zoo) the PoP's country is CC, whatever the GraphML says\n"
    "                     (repeatable; the Zoo's geocoding has errors)\n"
    "  --speed M          propagation speed in m/s (default 2e8, light in fibre)\n"
    "  --resource-id ID   network map resource id (default: <network>-network-map)\n"
    "  --flows FILE       (wlcg) transfer records [[src, dst, start, end, bytes]]\n"
    "  --vo NAME          (wlcg) experiment whose site names the records use (cms)\n"
    "  --capacity Q       capacity of every warehouse (orlib-cap); without it, a\n"
    "                     file whose capacities are all 0 (UflLib's uncapacitated\n"
    "                     copies) becomes uncapacitated facility location\n"
    "  -k P               number of medians (tsplib, required)\n"
    "  -v, --verbose      also report how prefixes were dealt\n"
    "  -q, --quiet        no message on success\n"
    "  -h, --help         this help\n";


/* import zoo|wlcg: a topology written out as ALTO files. */
static int import_topo(const char *kind, const char *file, const char *out, const ap_topo_opts *o,
                       const char *flows, const char *vo)
{
    ap_error err;
    ap_topo *t;
    int rc = 0;
    ap_error_clear(&err);
    if (!strcmp(kind, "zoo"))
        t = ap_topo_load_graphml(file, o, &err);
    else
        t = ap_topo_load_wlcg(file, vo, flows, o, &err);
    if (!t)
        return cli_report(&err);
    /* with sites.json for a topology that has transfer-record site names */
    if (ap_topo_write_alto(t, out, o, &err))
        rc = cli_report(&err);
    if (rc == 0 && verbose)
        fprintf(stderr, "altoplace: %zu PIDs, %zu links: wrote the ALTO files and topology.json in %s\n",
                ap_topo_nnodes(t), ap_topo_nlinks(t), out);
    ap_topo_free(t);
    return rc;
}

int cli_import(int argc, char **argv)
{
    const char *kind = NULL, *file = NULL, *out = NULL, *flows = NULL, *vo = "cms";
    double cap = -1;
    long kmed = 0;
    int i, rc;
    ap_error err;
    ap_topo_opts to;
    const char *countries[64], *astables[8];

    ap_topo_opts_init(&to);
    to.countries = countries;
    to.as_tables = astables;
    to.log = cli_on_log;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(import_usage, stdout);
            return EX_OK;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i >= argc)
                return cli_usage_error("missing value for", a, import_usage);
            out = argv[i];
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            verbose = 0;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 2;
        } else if (!strcmp(a, "--capacity")) {
            if (++i >= argc || cli_parse_double(argv[i], &cap) || cap <= 0)
                return cli_usage_error("--capacity needs a positive number", i < argc ? argv[i] : NULL,
                                   import_usage);
        } else if (!strcmp(a, "-k")) {
            double v;
            if (++i >= argc || cli_parse_double(argv[i], &v) || v < 1 || v != floor(v) || v > 20000)
                return cli_usage_error("-k needs a positive integer", i < argc ? argv[i] : NULL, import_usage);
            kmed = (long)v;
        } else if (!strcmp(a, "--as")) {
            double v;
            if (++i >= argc || cli_parse_double(argv[i], &v) || v < 1 || v > 4294967295.0 || v != (long)v)
                return cli_usage_error("--as needs an AS number", i < argc ? argv[i] : NULL, import_usage);
            to.asn = (long)v;
        } else if (!strcmp(a, "--as-table")) {
            if (++i >= argc)
                return cli_usage_error("missing value for", a, import_usage);
            if (to.nas_tables == sizeof astables / sizeof astables[0])
                return cli_usage_error("too many --as-table options", NULL, import_usage);
            astables[to.nas_tables++] = argv[i];
        } else if (!strcmp(a, "--country")) {
            if (++i >= argc)
                return cli_usage_error("missing value for", a, import_usage);
            if (to.ncountries == sizeof countries / sizeof countries[0])
                return cli_usage_error("too many --country options", NULL, import_usage);
            countries[to.ncountries++] = argv[i];
        } else if (!strcmp(a, "--speed")) {
            if (++i >= argc || cli_parse_double(argv[i], &to.speed) || to.speed <= 0 || to.speed > 3e8)
                return cli_usage_error("--speed needs metres per second in (0, 3e8]", i < argc ? argv[i] : NULL,
                                   import_usage);
        } else if (!strcmp(a, "--prefixes") || !strcmp(a, "--resource-id") || !strcmp(a, "--flows") ||
                   !strcmp(a, "--vo")) {
            if (++i >= argc)
                return cli_usage_error("missing value for", a, import_usage);
            if (!strcmp(a, "--prefixes"))
                to.prefixes = argv[i];
            else if (!strcmp(a, "--resource-id"))
                to.resource_id = argv[i];
            else if (!strcmp(a, "--flows"))
                flows = argv[i];
            else
                vo = argv[i];
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option", a, import_usage);
        } else if (!kind) {
            kind = a;
        } else if (!file) {
            file = a;
        } else {
            return cli_usage_error("unexpected argument", a, import_usage);
        }
    }
    if (!kind || !file)
        return cli_usage_error("missing KIND or FILE", NULL, import_usage);
    if (!out)
        return cli_usage_error("missing -o DIR", NULL, import_usage);
    if (kmed > 0 && strcmp(kind, "tsplib"))
        return cli_usage_error("-k applies to tsplib only", NULL, import_usage);
    if ((to.asn > 0) != (to.nas_tables > 0))
        return cli_usage_error("--as and --as-table go together", NULL, import_usage);
    if (!strcmp(kind, "zoo") || !strcmp(kind, "wlcg")) {
        if (cap > 0)
            return cli_usage_error("--capacity applies to orlib-cap only", NULL, import_usage);
        if (!strcmp(kind, "wlcg") && !flows)
            return cli_usage_error("wlcg needs --flows FILE (the transfer records naming the sites)", NULL,
                               import_usage);
        if (!strcmp(kind, "zoo") && flows)
            return cli_usage_error("--flows applies to wlcg only", NULL, import_usage);
        return import_topo(kind, file, out, &to, flows, vo);
    }
    if (to.prefixes || flows)
        return cli_usage_error("--prefixes and --flows apply to zoo and wlcg only", NULL, import_usage);
    ap_error_clear(&err);
    if (!strcmp(kind, "orlib-pmed")) {
        if (cap > 0)
            return cli_usage_error("--capacity applies to orlib-cap only", NULL, import_usage);
        rc = ap_import_orlib_pmed(file, out, &err);
    } else if (!strcmp(kind, "orlib-cap")) {
        rc = ap_import_orlib_cap(file, cap, out, &err);
    } else if (!strcmp(kind, "tsplib")) {
        if (cap > 0)
            return cli_usage_error("--capacity applies to orlib-cap only", NULL, import_usage);
        if (kmed <= 0)
            return cli_usage_error("tsplib needs -k P (the number of medians)", NULL, import_usage);
        rc = ap_import_tsplib(file, kmed, out, &err);
    } else if (!strcmp(kind, "orlib-pmedcap")) {
        if (cap > 0)
            return cli_usage_error("--capacity applies to orlib-cap only", NULL, import_usage);
        rc = ap_import_orlib_pmedcap(file, out, &err);
    } else {
        return cli_usage_error("unknown import kind", kind, import_usage);
    }
    if (rc)
        return cli_report(&err);
    if (verbose)
        fprintf(stderr, "altoplace: wrote %s/problem.json and its ALTO files\n", out);
    return EX_OK;
}

