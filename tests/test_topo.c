/* test_topo.c - topology importers against hand-computed distances. */
#include "test.h"
#include "util.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* One degree of a great circle, as one-way delay at 2e8 m/s (microseconds):
 * mean Earth radius 6371008.8 m. */
#define DEG_US (6371008.8 * 3.14159265358979323846 / 180 / 2e8 * 1e6)

/* Alpha(0,0) -1G- Beta(0,1) -10G- Gamma(0,3); Zeta(2,0) -100M- Alpha;
 * Delta (no coordinates) linked to Alpha and Beta without speeds; Eps (no
 * coordinates, no links) is dropped; a second "Alpha" label; a self loop. */
static const char *GRAPH =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
    " <key attr.name=\"label\" attr.type=\"string\" for=\"node\" id=\"d1\"/>\n"
    " <key attr.name=\"Latitude\" attr.type=\"double\" for=\"node\" id=\"d2\"/>\n"
    " <key attr.name=\"Longitude\" attr.type=\"double\" for=\"node\" id=\"d3\"/>\n"
    " <key attr.name=\"Country\" attr.type=\"string\" for=\"node\" id=\"d4\"/>\n"
    " <key attr.name=\"LinkSpeedRaw\" attr.type=\"double\" for=\"edge\" id=\"d5\"/>\n"
    " <key attr.name=\"Network\" attr.type=\"string\" for=\"graph\" id=\"d6\"/>\n"
    " <graph edgedefault=\"undirected\"><data key=\"d6\">Test Net</data>\n"
    "  <node id=\"0\"><data key=\"d1\">Alpha</data><data key=\"d2\">0</data><data key=\"d3\">0</data><data key=\"d4\">Germany</data></node>\n"
    "  <node id=\"1\"><data key=\"d1\">Beta</data><data key=\"d2\">0</data><data key=\"d3\">1</data><data key=\"d4\">Germany</data></node>\n"
    "  <node id=\"2\"><data key=\"d1\">Gamma</data><data key=\"d2\">0</data><data key=\"d3\">3</data><data key=\"d4\">Atlantis</data></node>\n"
    "  <node id=\"3\"><data key=\"d1\">Zeta</data><data key=\"d2\">2</data><data key=\"d3\">0</data><data key=\"d4\">Germany</data></node>\n"
    "  <node id=\"4\"><data key=\"d1\">Delta</data></node>\n"
    "  <node id=\"5\"><data key=\"d1\">Eps</data></node>\n"
    "  <node id=\"6\"><data key=\"d1\">Alpha</data><data key=\"d2\">-1</data><data key=\"d3\">0</data></node>\n"
    "  <edge source=\"0\" target=\"1\"><data key=\"d5\">1000000000</data></edge>\n"
    "  <edge source=\"1\" target=\"2\"><data key=\"d5\">10000000000</data></edge>\n"
    "  <edge source=\"3\" target=\"0\"><data key=\"d5\">100000000</data></edge>\n"
    "  <edge source=\"4\" target=\"0\"/>\n"
    "  <edge source=\"4\" target=\"1\"/>\n"
    "  <edge source=\"1\" target=\"1\"/>\n"
    " </graph>\n</graphml>\n";

static int nlogs;
static char logs[4096];
static void collect(void *ud, ap_log_level lv, const char *msg)
{
    (void)ud;
    (void)lv;
    nlogs++;
    if (strlen(logs) + strlen(msg) + 2 < sizeof logs) {
        strcat(logs, msg);
        strcat(logs, "\n");
    }
}

static ap_topo *load_test_graph(const char *dir, int prefixes)
{
    ap_topo_opts o;
    ap_error err;
    ap_topo *t;
    char *path = write_file(dir, "g.graphml", GRAPH);
    ap_topo_opts_init(&o);
    o.log = collect;
    if (prefixes)
        o.prefixes = fx("fixtures/prefixes");
    logs[0] = '\0';
    nlogs = 0;
    ap_error_clear(&err);
    t = ap_topo_load_graphml(path, &o, &err);
    if (!t)
        fprintf(stderr, "\n  %s: %s\n", err.source, err.text);
    return t;
}

#define C(m, a, b) (m)[(size_t)ap_topo_find(t, a) * n + (size_t)ap_topo_find(t, b)]

static void test_graphml_paths(void)
{
    const char *d = tmpdir();
    ap_topo *t = load_test_graph(d, 0);
    ap_error err;
    double *dl, *hc, *bw;
    size_t n;
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    n = ap_topo_nnodes(t);
    CU_ASSERT_EQUAL(n, 6); /* Eps dropped */
    CU_ASSERT_EQUAL(ap_topo_nlinks(t), 5); /* self loop ignored */
    CU_ASSERT(ap_topo_find(t, "Eps") < 0);
    CU_ASSERT(ap_topo_find(t, "Alpha-6") >= 0); /* duplicate label */
    CU_ASSERT(strstr(logs, "Delta has no coordinates; estimated") != NULL);
    CU_ASSERT(strstr(logs, "Eps has no coordinates and no located neighbour: dropped") != NULL);
    CU_ASSERT(strstr(logs, "2 of 5 links have no speed") != NULL || strstr(logs, "links have no speed") != NULL);
    /* Delta sits at the mean of Alpha and Beta */
    CU_ASSERT_DOUBLE_EQUAL(ap_topo_lat(t, (size_t)ap_topo_find(t, "Delta")), 0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(ap_topo_lon(t, (size_t)ap_topo_find(t, "Delta")), 0.5, 1e-12);
    ap_error_clear(&err);
    dl = ap_topo_costs(t, "delay-ow", &err);
    hc = ap_topo_costs(t, "hopcount", &err);
    bw = ap_topo_costs(t, "bw-maximum", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dl);
    CU_ASSERT_PTR_NOT_NULL_FATAL(hc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bw);
    CU_ASSERT_DOUBLE_EQUAL(C(dl, "Alpha", "Beta"), DEG_US, 0.05); /* 0.1 us */
    CU_ASSERT_DOUBLE_EQUAL(DEG_US, 555.9754, 1e-3); /* 111,195.08 m at 2e8 m/s */
    CU_ASSERT_DOUBLE_EQUAL(C(dl, "Alpha", "Gamma"), 3 * DEG_US, 0.05); /* 0.1 us */
    CU_ASSERT_DOUBLE_EQUAL(C(dl, "Gamma", "Alpha"), 3 * DEG_US, 0.05); /* 0.1 us */
    CU_ASSERT_DOUBLE_EQUAL(C(dl, "Zeta", "Gamma"), 5 * DEG_US, 0.05); /* 0.1 us */
    CU_ASSERT_DOUBLE_EQUAL(C(dl, "Delta", "Gamma"), 2.5 * DEG_US, 0.05); /* 0.1 us */
    CU_ASSERT(isinf(C(dl, "Alpha-6", "Alpha"))); /* not linked */
    CU_ASSERT_DOUBLE_EQUAL(C(hc, "Alpha", "Gamma"), 2, 0);
    CU_ASSERT_DOUBLE_EQUAL(C(hc, "Zeta", "Gamma"), 3, 0);
    CU_ASSERT_DOUBLE_EQUAL(C(hc, "Delta", "Delta"), 0, 0);
    /* bottlenecks in bytes per second (RFC 9439): 1 Gbit/s = 1.25e8 B/s */
    CU_ASSERT_DOUBLE_EQUAL(C(bw, "Alpha", "Gamma"), 1.25e8, 0);
    CU_ASSERT_DOUBLE_EQUAL(C(bw, "Beta", "Gamma"), 1.25e9, 0);
    CU_ASSERT_DOUBLE_EQUAL(C(bw, "Zeta", "Gamma"), 1.25e7, 0);
    CU_ASSERT(isinf(C(bw, "Delta", "Gamma"))); /* a link without speed on the path */
    free(dl);
    free(hc);
    free(bw);

    /* Alpha-Beta fails: Alpha reaches Gamma through Delta, same length,
     * one more hop, bandwidth unknown */
    CU_ASSERT_EQUAL(ap_topo_fail_link(t, "Beta", "Alpha", &err), 0);
    dl = ap_topo_costs(t, "delay-ow", &err);
    hc = ap_topo_costs(t, "hopcount", &err);
    bw = ap_topo_costs(t, "bw-maximum", &err);
    CU_ASSERT_DOUBLE_EQUAL(C(dl, "Alpha", "Gamma"), 3 * DEG_US, 0.05); /* 0.1 us */
    CU_ASSERT_DOUBLE_EQUAL(C(hc, "Alpha", "Gamma"), 3, 0);
    CU_ASSERT(isinf(C(bw, "Alpha", "Gamma")));
    free(dl);
    free(hc);
    free(bw);
    /* Beta fails too: Gamma is cut off */
    CU_ASSERT_EQUAL(ap_topo_fail_node(t, "Beta", &err), 0);
    dl = ap_topo_costs(t, "delay-ow", &err);
    CU_ASSERT(isinf(C(dl, "Alpha", "Gamma")));
    CU_ASSERT(isinf(C(dl, "Beta", "Beta")));
    CU_ASSERT_DOUBLE_EQUAL(C(dl, "Alpha", "Zeta"), 2 * DEG_US, 0.05); /* 0.1 us */
    free(dl);
    ap_error_clear(&err);
    CU_ASSERT_EQUAL(ap_topo_fail_link(t, "Alpha", "Gamma", &err), -1);
    ASSERT_ERR_HAS(err, "no link between Alpha and Gamma");
    ap_error_clear(&err);
    CU_ASSERT_EQUAL(ap_topo_fail_node(t, "Omega", &err), -1);
    ASSERT_ERR_HAS(err, "no node \"Omega\"");
    ap_error_clear(&err);
    CU_ASSERT_PTR_NULL(ap_topo_costs(t, "tput", &err));
    ASSERT_ERR_HAS(err, "delay-ow, hopcount or bw-maximum");
    ap_topo_free(t);
}

static void test_graphml_alto_files(void)
{
    const char *d = tmpdir();
    ap_topo *t = load_test_graph(d, 1);
    ap_topo_opts o;
    ap_error err;
    ap_netmap *nm;
    ap_costmap *cm;
    ap_topo *back;
    char path[600];
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT(strstr(logs, "country \"Atlantis\" not known") != NULL);
    CU_ASSERT(strstr(logs, "skipping \"not-a-prefix\"") != NULL);
    CU_ASSERT(strstr(logs, "skipping \"10.0.0.1/8\"") != NULL); /* host bits */
    ap_topo_opts_init(&o);
    ap_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(ap_topo_write_alto(t, d, &o, &err), 0);
    snprintf(path, sizeof path, "%s/networkmap.json", d);
    nm = ap_netmap_load(path, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    CU_ASSERT_STRING_EQUAL(ap_netmap_resource_id(nm), "test-net-network-map");
    CU_ASSERT_EQUAL(ap_netmap_count(nm), 6);
    /* blocks dealt largest first to the German PoP with the least space */
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "10.1.2.3", &err), ap_netmap_find(nm, "Alpha"));
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "172.16.5.5", &err), ap_netmap_find(nm, "Beta"));
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "192.168.1.1", &err), ap_netmap_find(nm, "Zeta"));
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "2001:db8::1", &err), ap_netmap_find(nm, "Alpha"));
    snprintf(path, sizeof path, "%s/costmap-delay-ow.json", d);
    cm = ap_costmap_load(path, nm, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_STRING_EQUAL(ap_costmap_metric(cm), "delay-ow");
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, (size_t)ap_netmap_find(nm, "Alpha"), (size_t)ap_netmap_find(nm, "Gamma")),
                           3 * DEG_US, 0.051); /* written to 0.1 us */
    ap_costmap_free(cm);
    snprintf(path, sizeof path, "%s/costmap-bw-maximum.json", d);
    cm = ap_costmap_load(path, nm, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
    CU_ASSERT_DOUBLE_EQUAL(ap_costmap_get(cm, (size_t)ap_netmap_find(nm, "Zeta"), (size_t)ap_netmap_find(nm, "Gamma")),
                           1.25e7, 0);
    ap_costmap_free(cm);
    snprintf(path, sizeof path, "%s/propmap.json", d);
    {
        ap_propmap *pm = ap_propmap_load(path, nm, &err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(pm);
        CU_ASSERT_DOUBLE_EQUAL(ap_propmap_get(pm, (size_t)ap_netmap_find(nm, "Zeta"), "latitude"), 2, 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(ap_propmap_get(pm, (size_t)ap_netmap_find(nm, "Delta"), "coordinates-estimated"), 1, 0);
        CU_ASSERT_DOUBLE_EQUAL(ap_propmap_get(pm, (size_t)ap_netmap_find(nm, "Beta"), "link-capacity-gbps"), 11, 1e-9);
        ap_propmap_free(pm);
    }
    /* topology.json reads back to the same costs */
    snprintf(path, sizeof path, "%s/topology.json", d);
    back = ap_topo_load(path, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(back);
    {
        double *a = ap_topo_costs(t, "delay-ow", &err), *b = ap_topo_costs(back, "delay-ow", &err);
        size_t i, n = ap_topo_nnodes(t), bad = 0;
        CU_ASSERT_EQUAL(ap_topo_nnodes(back), n);
        for (i = 0; a && b && i < n * n; i++)
            bad += !(a[i] == b[i] || fabs(a[i] - b[i]) < 0.01); /* lengths kept to 1 m */
        CU_ASSERT_EQUAL(bad, 0);
        free(a);
        free(b);
    }
    ap_topo_free(back);
    ap_netmap_free(nm);
    ap_topo_free(t);
}

/* An AS's prefixes from a prefix-to-AS table, dealt over every PoP. */
static void test_graphml_as_prefixes(void)
{
    const char *d = tmpdir();
    const char *tables[] = {fx("fixtures/prefixes/pfx2as.dat")};
    ap_topo_opts o;
    ap_error err;
    ap_topo *t;
    ap_netmap *nm;
    char path[600], *g = write_file(d, "g.graphml", GRAPH);
    ap_topo_opts_init(&o);
    o.as_tables = tables;
    o.nas_tables = 1;
    o.asn = 64500;
    o.log = collect;
    logs[0] = '\0';
    ap_error_clear(&err);
    t = ap_topo_load_graphml(g, &o, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    /* two distinct /16s (one listed twice), one /48; 10.40.0.1/16 has host bits */
    CU_ASSERT(strstr(logs, "AS 64500: 2 IPv4 and 1 IPv6 prefixes dealt over 6 PoPs") != NULL);
    CU_ASSERT(strstr(logs, "skipping \"10.40.0.1/16\"") != NULL);
    CU_ASSERT(strstr(logs, "1 lines are not") != NULL);
    CU_ASSERT_EQUAL_FATAL(ap_topo_write_alto(t, d, &o, &err), 0);
    snprintf(path, sizeof path, "%s/networkmap.json", d);
    nm = ap_netmap_load(path, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    CU_ASSERT(ap_netmap_lookup(nm, "10.10.1.1", &err) >= 0);
    CU_ASSERT(ap_netmap_lookup(nm, "10.20.1.1", &err) >= 0);
    CU_ASSERT(ap_netmap_lookup(nm, "10.10.1.1", &err) != ap_netmap_lookup(nm, "10.20.1.1", &err));
    CU_ASSERT(ap_netmap_lookup(nm, "10.30.0.1", &err) < 0); /* another AS */
    CU_ASSERT(ap_netmap_lookup(nm, "2001:db8:5::1", &err) >= 0);
    ap_netmap_free(nm);
    ap_topo_free(t);
    /* both country and AS prefixes: an error */
    o.prefixes = fx("fixtures/prefixes");
    ap_error_clear(&err);
    CU_ASSERT_PTR_NULL(ap_topo_load_graphml(g, &o, &err));
    ASSERT_ERR_HAS(err, "not both");
    /* no PoP has coordinates: every one is dropped, and that is an error
     * before any prefix is dealt (it was a wild write) */
    o.prefixes = NULL;
    g = write_file(d, "nocoord.graphml",
                   "<graphml><key attr.name=\"label\" for=\"node\" id=\"l\"/><graph>"
                   "<node id=\"0\"><data key=\"l\">A</data></node><node id=\"1\"><data key=\"l\">B</data></node>"
                   "<edge source=\"0\" target=\"1\"/></graph></graphml>");
    ap_error_clear(&err);
    CU_ASSERT_PTR_NULL(ap_topo_load_graphml(g, &o, &err));
    ASSERT_ERR_HAS(err, "no node has coordinates");
}

static void test_graphml_errors(void)
{
    const char *d = tmpdir();
    ap_error err;
    ap_topo *t;
    char *p;
    ap_error_clear(&err);
    CU_ASSERT_PTR_NULL(ap_topo_load_graphml("no/such.graphml", NULL, &err));
    CU_ASSERT_EQUAL(err.code, AP_EIO);
    CU_ASSERT_STRING_EQUAL(err.source, "no/such.graphml");
    p = write_file(d, "bad.graphml", "<graphml><graph><node id=\"a\"></graph>");
    ap_error_clear(&err);
    CU_ASSERT_PTR_NULL(ap_topo_load_graphml(p, NULL, &err));
    CU_ASSERT_EQUAL(err.code, AP_ESYNTAX);
    p = write_file(d, "edge.graphml", "<graphml><graph><node id=\"a\"/><edge source=\"a\" target=\"b\"/></graph></graphml>");
    ap_error_clear(&err);
    CU_ASSERT_PTR_NULL(ap_topo_load_graphml(p, NULL, &err));
    ASSERT_ERR_HAS(err, "names a node that does not exist");
    p = write_file(d, "nocoord.graphml", "<graphml><graph><node id=\"a\"/><node id=\"b\"/><edge source=\"a\" target=\"b\"/></graph></graphml>");
    ap_error_clear(&err);
    CU_ASSERT_PTR_NULL(ap_topo_load_graphml(p, NULL, &err));
    ASSERT_ERR_HAS(err, "no node has coordinates");
    p = write_file(d, "notgraphml.xml", "<html/>");
    ap_error_clear(&err);
    CU_ASSERT_PTR_NULL(ap_topo_load_graphml(p, NULL, &err));
    ASSERT_ERR_HAS(err, "not <graphml>");
    p = write_file(d, "topo.json", "{\"meta\":{\"speed-m-per-s\":2e8},\"nodes\":[{\"pid\":\"A\",\"latitude\":0,\"longitude\":0}],"
                                   "\"links\":[{\"a\":\"A\",\"b\":\"B\",\"length-m\":5}]}");
    ap_error_clear(&err);
    t = ap_topo_load(p, &err);
    CU_ASSERT_PTR_NULL(t);
    ASSERT_ERR_HAS(err, "links[0]");
}

static void test_wlcg(void)
{
    const char *d = tmpdir();
    ap_topo_opts o;
    ap_error err;
    ap_topo *t;
    ap_netmap *nm;
    double *dl;
    char path[600], *s;
    ap_topo_opts_init(&o);
    o.log = collect;
    logs[0] = '\0';
    ap_error_clear(&err);
    t = ap_topo_load_wlcg(fx("fixtures/wlcg/cric.json"), "cms", fx("fixtures/wlcg/flows.json"), &o, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(ap_topo_nnodes(t), 2); /* T2_XX_C has no coordinates */
    CU_ASSERT(ap_topo_find(t, "T1_XX_A") >= 0);
    CU_ASSERT(ap_topo_find(t, "T2_XX_B") >= 0);
    CU_ASSERT(strstr(logs, "site unknown is not a cms site") != NULL);
    CU_ASSERT(strstr(logs, "T2_XX_C (RC-C) has no coordinates") != NULL);
    CU_ASSERT(strstr(logs, "skipping \"10.2.0.1/16\"") != NULL);
    dl = ap_topo_costs(t, "delay-ow", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dl);
    CU_ASSERT_DOUBLE_EQUAL(dl[1], 2 * DEG_US, 0.05); /* lon 10 -> 12 on the equator, 0.1 us */
    free(dl);
    CU_ASSERT_EQUAL_FATAL(ap_topo_write_alto(t, d, &o, &err), 0);
    snprintf(path, sizeof path, "%s/sites.json", d);
    CU_ASSERT_EQUAL_FATAL(ap_topo_write_sites(t, path, &err), 0);
    s = slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT(strstr(s, "\"T1_XX_A_Disk\": \"T1_XX_A\"") != NULL);
    CU_ASSERT(strstr(s, "\"T1_XX_A_MSS\": \"T1_XX_A\"") != NULL);
    CU_ASSERT(strstr(s, "unknown") == NULL);
    free(s);
    snprintf(path, sizeof path, "%s/networkmap.json", d);
    nm = ap_netmap_load(path, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nm);
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "10.1.9.9", &err), ap_netmap_find(nm, "T1_XX_A"));
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "10.3.0.1", &err), ap_netmap_find(nm, "T2_XX_B"));
    CU_ASSERT_EQUAL(ap_netmap_lookup(nm, "2001:db8:1::5", &err), ap_netmap_find(nm, "T1_XX_A"));
    /* the transfer records map through sites.json onto the PIDs */
    {
        ap_demand *dm;
        ap_demand_opts dop;
        char sites[600];
        snprintf(sites, sizeof sites, "%s/sites.json", d);
        ap_demand_opts_init(&dop);
        dm = ap_demand_read_flows(nm, fx("fixtures/wlcg/flows.json"), sites, &dop, &err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(dm);
        /* demand is by destination: 1e9 from T1_XX_A_Disk + 10 from "unknown" */
        CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(dm, (size_t)ap_netmap_find(nm, "T2_XX_B"), 1), 1e9 + 10, 0.5);
        CU_ASSERT_DOUBLE_EQUAL(ap_demand_total(dm, (size_t)ap_netmap_find(nm, "T1_XX_A"), 1), 2e9, 1);
        CU_ASSERT_EQUAL(ap_demand_unmatched(dm), 1); /* the transfer to T2_XX_C (no coordinates) */
        ap_demand_free(dm);
    }
    ap_netmap_free(nm);
    ap_topo_free(t);
    ap_error_clear(&err);
    CU_ASSERT_PTR_NULL(ap_topo_load_wlcg(fx("fixtures/wlcg/cric.json"), "lhcb", fx("fixtures/wlcg/flows.json"), NULL, &err));
    ASSERT_ERR_HAS(err, "no rcsite lists a site of VO \"lhcb\"");
}

/* Truncated and corrupted GraphML: an error or a topology, never a crash
 * (the ASan build runs this too). */
static void test_graphml_mutations(void)
{
    const char *d = tmpdir();
    size_t n = strlen(GRAPH), i, loaded = 0, failed = 0;
    char *buf = malloc(n + 1);
    unsigned seed = 12345;
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    for (i = 0; i < 1200; i++) {
        ap_error err;
        ap_topo *t;
        char *path;
        memcpy(buf, GRAPH, n + 1);
        if (i < 400) {
            buf[(i * 7) % n] = '\0'; /* truncation */
        } else {
            int k, edits = 1 + (int)(i % 4);
            for (k = 0; k < edits; k++) {
                seed = seed * 1103515245u + 12345u;
                buf[(seed >> 8) % n] = "<>\"/=0x-.9 &;"[(seed >> 20) % 14];
            }
        }
        path = write_file(d, "m.graphml", buf);
        ap_error_clear(&err);
        t = ap_topo_load_graphml(path, NULL, &err);
        if (t) {
            double *c = ap_topo_costs(t, "delay-ow", &err);
            loaded++;
            free(c);
            ap_topo_free(t);
        } else {
            failed++;
            CU_ASSERT(err.code != AP_OK && err.text[0]);
        }
    }
    free(buf);
    CU_ASSERT(loaded > 0 && failed > 0); /* both kinds occurred */
    CU_ASSERT_EQUAL(loaded + failed, 1200);
}

void suite_topo(void)
{
    CU_pSuite s = CU_add_suite("topo", NULL, NULL);
    CU_add_test(s, "GraphML: hand-computed delays, hops, bandwidth, failures", test_graphml_paths);
    CU_add_test(s, "GraphML: ALTO files, country prefixes, topology.json", test_graphml_alto_files);
    CU_add_test(s, "GraphML: bad inputs", test_graphml_errors);
    CU_add_test(s, "GraphML: an AS's prefixes from a prefix-to-AS table", test_graphml_as_prefixes);
    CU_add_test(s, "GraphML: 1,200 truncated or corrupted files", test_graphml_mutations);
    CU_add_test(s, "WLCG CRIC sites and transfer records", test_wlcg);
}
