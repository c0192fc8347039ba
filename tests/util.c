/* util.c - helpers for writing small scenario folders in tests. */
#include "test.h"
#include <stdio.h>
#include <stdlib.h>
#include "util.h"
#include <sys/wait.h>

char *write_file(const char *dir, const char *name, const char *content)
{
    static char path[8][512];
    static int slot;
    FILE *f;
    char *p = path[slot++ & 7];
    snprintf(p, 512, "%s/%s", dir, name);
    f = fopen(p, "w");
    if (!f)
        return NULL;
    fputs(content, f);
    fclose(f);
    return p;
}

char *write_random_tsp(const char *dir, const char *name, int n, unsigned long seed)
{
    char *p = write_file(dir, name, "");
    FILE *f = p ? fopen(p, "w") : NULL;
    int i;
    if (!f)
        return NULL;
    fprintf(f, "NAME : %s\nTYPE : TSP\nDIMENSION : %d\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n", name, n);
    for (i = 1; i <= n; i++) {
        double x, y;
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        x = (double)(seed >> 33) / 2147483648.0 * 10000;
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        y = (double)(seed >> 33) / 2147483648.0 * 10000;
        fprintf(f, "%d %.1f %.1f\n", i, x, y);
    }
    return fclose(f) == 0 ? p : NULL;
}

/* A 4-PID network (line A-B-C-D, unit links) with a cost map, a property map
 * and a demand file; returns the folder. */
const char *line_network(void)
{
    const char *d = tmpdir();
    write_file(d, "nm.json",
               "{\"meta\":{\"vtag\":{\"resource-id\":\"line\",\"tag\":\"t1\"}},\"network-map\":{"
               "\"A\":{\"ipv4\":[\"10.0.0.0/24\"]},\"B\":{\"ipv4\":[\"10.0.1.0/24\"]},"
               "\"C\":{\"ipv4\":[\"10.0.2.0/24\"]},\"D\":{\"ipv4\":[\"10.0.3.0/24\"]}}}");
    write_file(d, "cm.json",
               "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"line\",\"tag\":\"t1\"}],"
               "\"cost-type\":{\"cost-mode\":\"numerical\",\"cost-metric\":\"hopcount\"}},\"cost-map\":{"
               "\"A\":{\"A\":0,\"B\":1,\"C\":2,\"D\":3},\"B\":{\"A\":1,\"B\":0,\"C\":1,\"D\":2},"
               "\"C\":{\"A\":2,\"B\":1,\"C\":0,\"D\":1},\"D\":{\"A\":3,\"B\":2,\"C\":1,\"D\":0}}}");
    write_file(d, "pm.json",
               "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"line\",\"tag\":\"t1\"}]},\"property-map\":{"
               "\"line.pid:A\":{\"capacity\":10,\"opening-cost\":5},\"line.pid:B\":{\"capacity\":10,\"opening-cost\":5},"
               "\"line.pid:C\":{\"capacity\":10,\"opening-cost\":5},\"line.pid:D\":{\"capacity\":10,\"opening-cost\":5}}}");
    write_file(d, "demand.json", "{\"demand\":{\"A\":4,\"B\":1,\"C\":1,\"D\":4}}");
    return d;
}

char out_buf[65536];

int run_shell(const char *cmdline)
{
    char cmd[8192], log[600];
    FILE *f;
    size_t n;
    int st;
    snprintf(log, sizeof log, "%s/out.txt", tmpdir());
    snprintf(cmd, sizeof cmd, "%s >%s 2>&1", cmdline, log);
    st = system(cmd);
    out_buf[0] = '\0';
    if ((f = fopen(log, "r"))) {
        n = fread(out_buf, 1, sizeof out_buf - 1, f);
        out_buf[n] = '\0';
        fclose(f);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int cli(const char *args)
{
    const char *bin = getenv("AP_BIN");
    char cmd[6000];
    snprintf(cmd, sizeof cmd, "%s %s", bin ? bin : "../build/altoplace", args);
    return run_shell(cmd);
}

/* P0 - P1 - P2 - P3 on the equator, one degree apart; one request each. */
const char *line_study(void)
{
    const char *d = tmpdir();
    ap_topo *t;
    ap_topo_opts o;
    ap_error err;
    char *g = write_file(d, "line.graphml",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"
        "<key attr.name=\"label\" for=\"node\" id=\"l\"/><key attr.name=\"Latitude\" for=\"node\" id=\"a\"/>"
        "<key attr.name=\"Longitude\" for=\"node\" id=\"o\"/><key attr.name=\"Network\" for=\"graph\" id=\"n\"/>"
        "<graph><data key=\"n\">line</data>"
        "<node id=\"0\"><data key=\"l\">P0</data><data key=\"a\">0</data><data key=\"o\">0</data></node>"
        "<node id=\"1\"><data key=\"l\">P1</data><data key=\"a\">0</data><data key=\"o\">1</data></node>"
        "<node id=\"2\"><data key=\"l\">P2</data><data key=\"a\">0</data><data key=\"o\">2</data></node>"
        "<node id=\"3\"><data key=\"l\">P3</data><data key=\"a\">0</data><data key=\"o\">3</data></node>"
        "<edge source=\"0\" target=\"1\"/><edge source=\"1\" target=\"2\"/><edge source=\"2\" target=\"3\"/>"
        "</graph></graphml>");
    ap_topo_opts_init(&o);
    ap_error_clear(&err);
    t = ap_topo_load_graphml(g, &o, &err);
    if (!t || ap_topo_write_alto(t, d, &o, &err))
        fprintf(stderr, "\n  %s: %s\n", err.source, err.text);
    ap_topo_free(t);
    write_file(d, "problem.json",
               "{\"alto\":{\"network-map\":\"networkmap.json\",\"cost-map\":\"costmap-delay-ow.json\"},"
               "\"cost-metric\":\"delay-ow\",\"demand\":{\"P0\":1,\"P1\":1,\"P2\":1,\"P3\":1},"
               "\"model\":{\"type\":\"p-median\",\"k\":1}}");
    write_file(d, "study.json",
               "{\"name\":\"line <study> & co\",\"description\":\"four PoPs in a row\",\"problem\":\"problem.json\","
               "\"topology\":\"topology.json\",\"scenarios\":["
               "{\"k\":{\"from\":1,\"to\":3}},"
               "{\"name\":\"P1 fails\",\"fail-sites\":[\"P1\"],\"k\":2},"
               "{\"name\":\"cut\",\"fail-links\":[[\"P1\",\"P2\"]],\"k\":2},"
               "{\"name\":\"bound\",\"max-cost\":600},"
               "{\"name\":\"bound, k=2\",\"max-cost\":600,\"k\":2},"
               "{\"name\":\"x3\",\"demand-scale\":3},"
               "{\"name\":\"small P1 P2\",\"capacity\":{\"P1\":1,\"P2\":1}}]}");
    return d;
}


double test_rnd(unsigned long *state)
{
    *state = *state * 6364136223846793005UL + 1442695040888963407UL;
    return (double)(*state >> 11) / 9007199254740992.0;
}

ap_plan *solve_with(const ap_problem *p, ap_solver s)
{
    ap_solve_opts o;
    ap_error e;
    ap_plan *pl;
    ap_solve_opts_init(&o);
    o.solver = s;
    ap_error_clear(&e);
    pl = ap_solve(p, &o, &e);
    if (!pl)
        fprintf(stderr, "\n  solve failed: %s\n", e.text);
    return pl;
}

void tree_closed_log(void *ud, ap_log_level level, const char *msg)
{
    const char *at = strstr(msg, "tree exhausted after ");
    (void)level;
    if (at && (at = strchr(at, '(')))
        *(double *)ud = strtod(at + 1, NULL);
}
