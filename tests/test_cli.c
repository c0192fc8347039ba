/* test_cli.c - the altoplace command: help, exit codes, messages, files. */
#include "test.h"
#include "util.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_help(void)
{
    CU_ASSERT_EQUAL(cli("--help"), 0);
    ASSERT_OUT_HAS("exit codes");
    CU_ASSERT_EQUAL(cli("plan --help"), 0);
    ASSERT_OUT_HAS("--time-limit");
    CU_ASSERT_EQUAL(cli("import --help"), 0);
    ASSERT_OUT_HAS("orlib-pmed");
    CU_ASSERT_EQUAL(cli("--version"), 0);
    ASSERT_OUT_HAS("altoplace " AP_VERSION);
}

static void test_usage_errors(void)
{
    CU_ASSERT_EQUAL(cli(""), 1);
    CU_ASSERT_EQUAL(cli("frobnicate"), 1);
    ASSERT_OUT_HAS("unknown command: frobnicate");
    CU_ASSERT_EQUAL(cli("plan"), 1);
    ASSERT_OUT_HAS("missing PROBLEM.json");
    CU_ASSERT_EQUAL(cli("plan x.json -k zero"), 1);
    CU_ASSERT_EQUAL(cli("plan x.json --solver magic"), 1);
    CU_ASSERT_EQUAL(cli("plan x.json --bogus"), 1);
    ASSERT_OUT_HAS("unknown option: --bogus");
    CU_ASSERT_EQUAL(cli("import orlib-pmed data/orlib/pmed1.txt"), 1);
    ASSERT_OUT_HAS("missing -o DIR");
}

static void test_plan_roundtrip(void)
{
    const char *d = line_network();
    char args[1024], plan[600];
    char *s;
    write_file(d, "problem.json",
               "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"},"
               "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1}}");
    snprintf(plan, sizeof plan, "%s/plan.json", d);
    /* -k overrides the file: k = 2 gives sites A and D, objective 2 */
    snprintf(args, sizeof args, "plan %s/problem.json -k 2 -o %s", d, plan);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("status:    optimal");
    ASSERT_OUT_HAS("sites:     2 of 4 candidates: A D");
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 2"));
    free(s);
    /* to stdout */
    snprintf(args, sizeof args, "plan %s/problem.json -q", d);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("\"altoplace-plan\": 1");
}

static void test_bad_input_keeps_old_plan(void)
{
    const char *d = line_network();
    char args[1024], plan[600];
    char *s;
    write_file(d, "problem.json",
               "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"missing.json\"},"
               "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1}}");
    snprintf(plan, sizeof plan, "%s/plan.json", d);
    write_file(d, "plan.json", "OLD PLAN");
    snprintf(args, sizeof args, "plan %s/problem.json -o %s", d, plan);
    CU_ASSERT_EQUAL(cli(args), 2);
    ASSERT_OUT_HAS("missing.json: cannot open");
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(s, "OLD PLAN");
    free(s);
    /* vtag mismatch is bad input too, naming the cost map */
    write_file(d, "cm2.json",
               "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"line\",\"tag\":\"OLD\"}],"
               "\"cost-type\":{\"cost-mode\":\"numerical\",\"cost-metric\":\"hopcount\"}},\"cost-map\":{}}");
    write_file(d, "problem.json",
               "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm2.json\"},"
               "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1}}");
    CU_ASSERT_EQUAL(cli(args), 2);
    ASSERT_OUT_HAS("cm2.json: meta.dependent-vtags[0]: depends on line version OLD");
    s = slurp(plan, NULL);
    CU_ASSERT_STRING_EQUAL(s, "OLD PLAN");
    free(s);
    snprintf(args, sizeof args, "plan %s/nothing.json", d);
    CU_ASSERT_EQUAL(cli(args), 2);
}

static void test_infeasible_exit(void)
{
    const char *d = line_network();
    char args[1024], plan[600];
    char *s;
    write_file(d, "problem.json",
               "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"},"
               "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":9}}");
    /* the deployed plan at -o is left as it is; the infeasible plan goes
     * where asked */
    snprintf(plan, sizeof plan, "%s", write_file(d, "plan.json", "OLD PLAN"));
    snprintf(args, sizeof args, "plan %s/problem.json -o %s --infeasible-to %s/why.json", d, plan, d);
    CU_ASSERT_EQUAL(cli(args), 4);
    ASSERT_OUT_HAS("status:    infeasible");
    ASSERT_OUT_HAS("plan.json left untouched; the infeasible plan is in");
    s = slurp(plan, NULL);
    CU_ASSERT_STRING_EQUAL(s, "OLD PLAN");
    free(s);
    snprintf(plan, sizeof plan, "%s/why.json", d);
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"reason\": \"k = 9 sites requested"));
    free(s);
    /* without -o: on stdout, as asked */
    snprintf(args, sizeof args, "plan %s/problem.json -q", d);
    CU_ASSERT_EQUAL(cli(args), 4);
    ASSERT_OUT_HAS("\"status\": \"infeasible\"");
}

static void test_import_and_plan(void)
{
    const char *d = tmpdir();
    char args[1024];
    snprintf(args, sizeof args, "import orlib-cap data/orlib/cap41.txt -o %s/cap41", d);
    CU_ASSERT_EQUAL(cli(args), 0);
    snprintf(args, sizeof args, "plan %s/cap41/problem.json -o %s/plan.json", d, d);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("objective: 1040444.375");
    snprintf(args, sizeof args, "import orlib-pmed data/orlib/missing.txt -o %s/x", d);
    CU_ASSERT_EQUAL(cli(args), 2);
    ASSERT_OUT_HAS("data/orlib/missing.txt: cannot open");
}

static void test_demand_command(void)
{
    const char *d = tmpdir();
    char args[1024];
    char *s;
    snprintf(args, sizeof args, "demand data/apache_logs.gz -n ../examples/geant/networkmap.json "
             "-o %s/demand.json --csv %s/demand.csv --forecast", d, d);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("lines:      10000 (0 bad, 6188 addresses in no PID)");
    ASSERT_OUT_HAS("demand:     3812 requests over 32 PIDs, 84 buckets");
    ASSERT_OUT_HAS("MASE");
    snprintf(args, sizeof args, "%s/demand.csv", d);
    s = slurp(args, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT(strncmp(s, "pid,bucket_start,requests,bytes\n", 32) == 0);
    free(s);
    CU_ASSERT_EQUAL(cli("demand data/apache_logs.gz"), 1);
    ASSERT_OUT_HAS("missing -n");
    CU_ASSERT_EQUAL(cli("demand data/none.log -n ../examples/geant/networkmap.json"), 2);
    ASSERT_OUT_HAS("data/none.log: cannot open");
    CU_ASSERT_EQUAL(cli("demand data/apache_logs.gz -n ../examples/geant/networkmap.json --bucket 7x"), 1);
    /* 6-hour buckets of four days: the forecast loses to the naive one */
    snprintf(args, sizeof args, "demand data/apache_logs.gz -n ../examples/geant/networkmap.json -o %s/d6.json "
             "--forecast --bucket 6h", d);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("warning: the forecast is no better than repeating the last bucket (backtest over 8 buckets: "
                   "MASE 1.767 >= 1)");
    /* plan with the demand of a request log */
    CU_ASSERT_EQUAL(cli("plan ../examples/geant/problem.json --requests data/apache_logs.gz -q -o -"), 0);
    ASSERT_OUT_HAS("\"objective\": 8695767.7");
}

static void test_scheduler_example(void)
{
    /* examples/scheduler: links the library, re-plans against the test ALTO
     * server; the replicas follow the demand from A to D */
    const char *bin = getenv("AP_BIN") ? getenv("AP_BIN") : "../build/altoplace";
    char dir[512], cmd[1600], *slash;
    snprintf(dir, sizeof dir, "%s", bin);
    slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    snprintf(cmd, sizeof cmd, "sh ../examples/scheduler/story.sh %s", dir);
    CU_ASSERT_EQUAL(run_shell(cmd), 0);
    ASSERT_OUT_HAS("A 4, D 1: {\"round\": 0, \"action\": \"first\", \"sites\": [\"A\"], \"objective\": 3, \"moved\": 0}");
    /* (a) below the margin: kept, with today's cost */
    ASSERT_OUT_HAS("margin: {\"round\": 1, \"action\": \"keep\", \"sites\": [\"A\"], \"objective\": 15, \"moved\": 0}");
    /* (b) above it: moved */
    ASSERT_OUT_HAS("67%: {\"round\": 2, \"action\": \"move\", \"sites\": [\"D\"], \"objective\": 6, \"moved\": 1}");
    /* (c) a restart reads the deployed plan back */
    ASSERT_OUT_HAS("(c) restarted: {\"round\": 0, \"action\": \"keep\", \"sites\": [\"D\"], \"objective\": 6");
    /* (e) the forecast crosses 90% of D's capacity: A is added */
    ASSERT_OUT_HAS("\"scaled-out\": \"A\", \"sites\": [\"A\", \"D\"]}");
    /* (d) the server is down: the cached maps, said */
    ASSERT_OUT_HAS("(d) the ALTO server is down: {\"round\": 2, \"action\": \"keep\", \"sites\": [\"A\", \"D\"]");
    ASSERT_OUT_HAS("\"stale\": true}");
    /* the push-driven variant: re-plans when the update stream says so */
    snprintf(cmd, sizeof cmd, "sh ../examples/scheduler/run-push.sh %s 2", dir);
    CU_ASSERT_EQUAL(run_shell(cmd), 0);
    ASSERT_OUT_HAS("{\"update\": 0, \"events\": 2, \"status\": \"optimal\", \"sites\": [\"B\"], \"objective\": 5}");
    ASSERT_OUT_HAS("{\"update\": 2, \"events\": 4, \"status\": \"optimal\", \"sites\": [\"A\"], \"objective\": 6}");
}

/* Runs watch on the line network for 8 checks 0.3 s apart, moving the
 * demand from A to D after 1 s; returns its stdout. */
static char *watch_run(const char *extra)
{
    const char *bin = getenv("AP_BIN") ? getenv("AP_BIN") : "../build/altoplace";
    const char *d = line_network();
    char cmd[5200], path[600], abin[4096];
    int st;
    if (!realpath(bin, abin))
        return NULL;
    write_file(d, "demand.json", "{\"demand\":{\"A\":10,\"B\":1,\"C\":1,\"D\":1}}");
    write_file(d, "problem.json", "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"},"
                                  "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1}}");
    snprintf(cmd, sizeof cmd,
             "cd %s && { %s watch problem.json -o plan.json --interval 0.3 --iterations 8 %s -q >out.txt & "
             "W=$!; sleep 1; echo '{\"demand\":{\"A\":1,\"B\":1,\"C\":1,\"D\":10}}' >demand.json; wait $W; }",
             d, abin, extra);
    st = system(cmd);
    CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    snprintf(path, sizeof path, "%s/out.txt", d);
    return slurp(path, NULL);
}

static void test_watch(void)
{
    char *s = watch_run("");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"check\": 0, \"status\": \"optimal\", \"objective\": 6, \"moved\": 0, \"sites\": [\"A\"]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"moved\": 1, \"sites\": [\"D\"]"));
    free(s);
    /* hysteresis: after the change, keeping A costs 1 + 2 + 3 x 10 = 33 and
     * moving to D costs 3 + 2 + 1 = 6: a saving of 27, less than a migration
     * cost of 100, so the replica stays */
    s = watch_run("--migration-cost 100");
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"sites\": [\"A\"]"));
    CU_ASSERT_PTR_NULL(strstr(s, "\"sites\": [\"D\"]"));
    free(s);
}

/* The line network A-B-C-D with all demand at A: the one site is A. */
static const char *deployed_network(void)
{
    const char *d = line_network();
    write_file(d, "demand.json", "{\"demand\":{\"A\":10,\"B\":1,\"C\":1,\"D\":1}}");
    write_file(d, "problem.json", "{\"name\":\"line\",\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"},"
                                  "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1}}");
    return d;
}

static int count_of(const char *s, const char *needle)
{
    int n = 0;
    for (; s && (s = strstr(s, needle)); s += strlen(needle))
        n++;
    return n;
}

static void test_watch_restart(void)
{
    const char *d = deployed_network();
    char args[2000], path[600];
    char *s;
    /* a scheduler restarted with D deployed: with a migration cost of 1e9
     * the first decision keeps D (moved 0), and the plan file is rewritten
     * with D's objective on today's data: 3*10 + 2 + 1 = 33 */
    write_file(d, "plan.json", "{\"altoplace-plan\": 1, \"status\": \"optimal\", \"sites\": [\"D\"]}");
    snprintf(args, sizeof args, "watch %s/problem.json -o %s/plan.json --iterations 1 --migration-cost 1e9", d, d);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("deployed plan");
    ASSERT_OUT_HAS("\"event\": \"keep\", \"check\": 0, \"status\": \"optimal\", \"objective\": 33, \"moved\": 0, "
                   "\"sites\": [\"D\"], \"opened\": [], \"closed\": []");
    snprintf(path, sizeof path, "%s/plan.json", d);
    s = slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 33"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"problem\": \"line\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"created\": \"20"));
    free(s);
    /* without a migration cost it moves D -> A, and says so */
    snprintf(args, sizeof args, "watch %s/problem.json -o %s/plan.json --iterations 1 -q", d, d);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("\"event\": \"plan\", \"check\": 0, \"status\": \"optimal\", \"objective\": 6, \"moved\": 1, "
                   "\"sites\": [\"A\"], \"opened\": [\"A\"], \"closed\": [\"D\"], \"action\": \"move\"");
    /* --current names the deployed plan; a site the problem lacks is said */
    write_file(d, "other.json", "{\"altoplace-plan\": 1, \"sites\": [\"Z\"]}");
    snprintf(args, sizeof args, "watch %s/problem.json -o %s/p2.json --current %s/other.json --iterations 1", d, d, d);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("\"Z\" is not a candidate site");
    ASSERT_OUT_HAS("starting without a deployed plan");
    /* no deployed plan: said, and a fresh plan */
    snprintf(args, sizeof args, "watch %s/problem.json -o %s/p3.json --iterations 1", d, d);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("no deployed plan at");
    ASSERT_OUT_HAS("\"action\": \"first\"");
}

static void test_watch_refresh_and_failures(void)
{
    const char *d = deployed_network();
    const char *bin = getenv("AP_BIN") ? getenv("AP_BIN") : "../build/altoplace";
    char args[9000], abin[4096], path[600];
    char *s;
    int st;
    CU_ASSERT_FATAL(realpath(bin, abin) != NULL);
    /* the costs change under a kept plan: the file gets today's objective,
     * and later checks with nothing new solve nothing */
    snprintf(args, sizeof args,
             "cd %s && { %s watch problem.json -o plan.json --interval 0.3 --iterations 6 --migration-cost 1e9 "
             ">out.txt 2>err.txt & W=$!; sleep 0.8; "
             "sed 's/\"A\":{\"A\":0,\"B\":1/\"A\":{\"A\":5,\"B\":1/' cm.json > cm2.json && mv cm2.json cm.json; "
             "wait $W; }", d, abin);
    st = system(args);
    CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    snprintf(path, sizeof path, "%s/out.txt", d);
    s = slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    /* first plan A (6), then kept with A's new cost 10*5 + 1 + 2 + 3 = 56 */
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 6, \"moved\": 0, \"sites\": [\"A\"]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"event\": \"keep\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 56"));
    CU_ASSERT_EQUAL(count_of(s, "\"event\""), 2); /* two decisions in six checks */
    free(s);
    snprintf(path, sizeof path, "%s/err.txt", d);
    s = slurp(path, NULL);
    CU_ASSERT_EQUAL(count_of(s, "keeping the plan"), 1);
    free(s);
    snprintf(path, sizeof path, "%s/plan.json", d);
    s = slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 56"));
    free(s);
    /* every check fails: the exit status says so */
    snprintf(args, sizeof args, "watch %s/nothing.json -o %s/x.json --interval 0.1 --iterations 2", d, d);
    CU_ASSERT_EQUAL(cli(args), 2);
    /* an infeasible check leaves the plan file as it is */
    write_file(d, "k9.json", "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"},"
                             "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":9}}");
    snprintf(args, sizeof args, "watch %s/k9.json -o %s/plan.json --iterations 1", d, d);
    CU_ASSERT_EQUAL(cli(args), 4);
    ASSERT_OUT_HAS("left as it is");
    s = slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"objective\": 56"));
    free(s);
}

/* SIGINT during a long solve: the best plan so far is written within about
 * a second, as feasible, "interrupted", with its bound; watch exits 0 on
 * SIGTERM after its current check. */
static void test_interrupts(void)
{
    const char *d = tmpdir();
    const char *bin = getenv("AP_BIN") ? getenv("AP_BIN") : "../build/altoplace";
    char args[3000], path[600];
    char *s;
    snprintf(args, sizeof args, "import orlib-pmedcap data/orlib/pmedcap8.txt -o %s/pc8 -q", d);
    CU_ASSERT_EQUAL_FATAL(cli(args), 0);
    snprintf(args, sizeof args,
             "{ %s plan %s/pc8/problem.json -o %s/plan.json --time-limit 120 -q & P=$!; sleep 2; kill -INT $P; "
             "T0=$(date +%%s%%N); wait $P; RC=$?; T1=$(date +%%s%%N); echo \"rc=$RC ms=$(( (T1 - T0) / 1000000 ))\"; }",
             bin, d, d);
    CU_ASSERT_EQUAL(run_shell(args), 0);
    ASSERT_OUT_HAS("rc=0 ");
    {
        const char *m = strstr(out_buf, "ms=");
        CU_ASSERT_PTR_NOT_NULL_FATAL(m);
        CU_ASSERT(atoi(m + 3) < 1500); /* stopped within about a second */
    }
    snprintf(path, sizeof path, "%s/plan.json", d);
    s = slurp(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"status\": \"feasible\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"reason\": \"interrupted\""));
    CU_ASSERT_PTR_NULL(strstr(s, "\"bound\": null"));
    free(s);
    snprintf(args, sizeof args,
             "{ %s watch %s/pc8/problem.json -o %s/w.json --interval 0.2 --time-limit 60 & P=$!; sleep 2; "
             "kill -TERM $P; wait $P; echo \"rc=$?\"; }", bin, d, d);
    CU_ASSERT_EQUAL(run_shell(args), 0);
    ASSERT_OUT_HAS("rc=0");
    ASSERT_OUT_HAS("stopped by a signal");
    snprintf(path, sizeof path, "%s/w.json", d);
    CU_ASSERT(file_exists(path)); /* the check it was in finished */
}

/* advise: demand at D grows by half a request per hourly bucket; with one
 * site of capacity 10 the forecast crosses 90% of it 3 buckets ahead, and
 * A is the site to add (every client then at cost 0). */
static void test_advise(void)
{
    const char *d = line_network();
    char args[2000], log[200000];
    size_t n = 0;
    int b, r;
    for (b = 0; b < 8; b++) {
        for (r = 0; r < 4; r++)
            n += (size_t)snprintf(log + n, sizeof log - n, "{\"time\": %d, \"addr\": \"10.0.0.%d\"}\n",
                                  1700000000 + b * 3600 + r, r + 1);
        for (r = 0; r <= b / 2; r++)
            n += (size_t)snprintf(log + n, sizeof log - n, "{\"time\": %d, \"addr\": \"10.0.3.%d\"}\n",
                                  1700000000 + b * 3600 + 100 + r, r + 1);
    }
    write_file(d, "req.jsonl", log);
    write_file(d, "g.json", "{\"name\":\"growth\",\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\","
                            "\"property-map\":\"pm.json\"},\"demand\":{\"log\":\"req.jsonl\",\"bucket\":3600,"
                            "\"forecast\":true,\"horizon\":6},\"model\":{\"type\":\"capacitated-facility-location\","
                            "\"k\":1}}");
    snprintf(args, sizeof args, "plan %s/g.json -o %s/plan.json -q", d, d);
    CU_ASSERT_EQUAL_FATAL(cli(args), 0);
    snprintf(args, sizeof args, "advise %s/g.json --current %s/plan.json --max-load 0.9", d, d);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("\"sites\": 1,");
    ASSERT_OUT_HAS("\"objective\": 12,"); /* A's 4 requests 3 hops from D */
    ASSERT_OUT_HAS("\"horizon\": 6,");
    ASSERT_OUT_HAS("\"breaks-at\": 3,");
    ASSERT_OUT_HAS("of its capacity (limit 90%)");
    ASSERT_OUT_HAS("{\"site\": \"A\", \"objective\": 0, \"change\": -12}");
    ASSERT_OUT_HAS("scale out within 3 bucket(s): add A");
    /* without limits it holds until the demand no longer fits (6 ahead) */
    snprintf(args, sizeof args, "advise %s/g.json --current %s/plan.json -q", d, d);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("\"breaks-at\": 6,");
    ASSERT_OUT_HAS("cannot serve the demand");
    /* and "where" without a forecast: the best site to add to B */
    write_file(d, "p.json", "{\"alto\":{\"network-map\":\"nm.json\",\"cost-map\":\"cm.json\"},"
                            "\"demand\":\"demand.json\",\"model\":{\"type\":\"p-median\",\"k\":1}}");
    write_file(d, "b.json", "{\"altoplace-plan\": 1, \"sites\": [\"B\"]}");
    snprintf(args, sizeof args, "advise %s/p.json --current %s/b.json -q", d, d);
    CU_ASSERT_EQUAL(cli(args), 0);
    ASSERT_OUT_HAS("\"objective\": 13,");
    ASSERT_OUT_HAS("\"breaks-at\": null,");
    ASSERT_OUT_HAS("\"add\": [\n    {\"site\": \"D\", \"objective\": 5, \"change\": -8}");
    ASSERT_OUT_HAS("\"optimum-plus-one\": 2,");
    /* a horizon needs request logs */
    snprintf(args, sizeof args, "advise %s/p.json --horizon 3 -q", d);
    CU_ASSERT_EQUAL(cli(args), 2);
    ASSERT_OUT_HAS("needs the demand from request logs");
}

/* GNU conventions: --opt=value, -k3, -o/path, -qv; one-line usage errors;
 * help COMMAND; --version after a command; the output checked before
 * solving (its own exit code). */
static void test_conventions(void)
{
    const char *d = tmpdir();
    char args[2000], path[600];
    snprintf(args, sizeof args, "plan ../examples/geant/problem.json --time-limit=5 -k3 -o%s/p.json -qv", d);
    CU_ASSERT_EQUAL(cli(args), 0);
    snprintf(path, sizeof path, "%s/p.json", d);
    CU_ASSERT(file_exists(path));
    ASSERT_OUT_HAS("status:    optimal"); /* -qv: the last one wins */
    CU_ASSERT_EQUAL(cli("plan --bogus"), 1);
    ASSERT_OUT_HAS("unknown option: --bogus");
    ASSERT_OUT_HAS("Try 'altoplace plan --help' for more information.");
    CU_ASSERT_PTR_NULL(strstr(out_buf, "--mip-gap")); /* not the whole help */
    CU_ASSERT_EQUAL(cli("help plan"), 0);
    ASSERT_OUT_HAS("usage: altoplace plan PROBLEM.json");
    ASSERT_OUT_HAS("--mip-gap");
    CU_ASSERT_EQUAL(cli("import --version"), 0);
    ASSERT_OUT_HAS("altoplace 0.");
    CU_ASSERT_EQUAL(cli("plan ../examples/geant/problem.json -o /no/such/folder/p.json"), 7);
    ASSERT_OUT_HAS("folder /no/such/folder does not exist");
    CU_ASSERT_EQUAL(cli("plan ../examples/geant/problem.json -o /tmp"), 7);
    ASSERT_OUT_HAS("is a folder");
    snprintf(args, sizeof args, "whatif ../examples/geant/whatif.json -o %s/p.json -q", d);
    CU_ASSERT_EQUAL(cli(args), 7);
    ASSERT_OUT_HAS("is a file, not a folder");
}

/* -o naming a symlink replaces the link by the new file (the file it
 * pointed to is untouched); -o /dev/stdout (a special file) is written in
 * place; a symlink to a folder is refused like a folder. */
static void test_output_symlink_and_devices(void)
{
    const char *d = tmpdir();
    char target[600], link[600], dlink[600], args[2000], bin[PATH_MAX], cmd[3 * PATH_MAX];
    const char *b = getenv("AP_BIN");
    struct stat st;
    char *s;
    snprintf(target, sizeof target, "%s/target.json", d);
    snprintf(link, sizeof link, "%s/link.json", d);
    snprintf(dlink, sizeof dlink, "%s/dir-link", d);
    write_file(d, "target.json", "keep\n");
    CU_ASSERT_EQUAL_FATAL(symlink("target.json", link), 0);
    CU_ASSERT_EQUAL_FATAL(symlink("/tmp", dlink), 0);
    snprintf(args, sizeof args, "plan ../examples/geant/problem.json -q -o %s", link);
    CU_ASSERT_EQUAL(cli(args), 0);
    s = slurp(target, NULL);
    CU_ASSERT_STRING_EQUAL(s, "keep\n");
    free(s);
    CU_ASSERT_EQUAL(lstat(link, &st), 0);
    CU_ASSERT(S_ISREG(st.st_mode));
    s = slurp(link, NULL);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"altoplace-plan\""));
    free(s);
    snprintf(args, sizeof args, "plan ../examples/geant/problem.json -q -o %s", dlink);
    CU_ASSERT_EQUAL(cli(args), 7);
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(b ? b : "../build/altoplace", bin));
    /* run_shell sends standard output to a regular file: /dev/stdout then
     * resolves to that file, and must still be written in place (an
     * earlier build renamed over /dev/stdout itself) */
    snprintf(cmd, sizeof cmd, "%s plan ../examples/geant/problem.json -q -o /dev/stdout", bin);
    CU_ASSERT_EQUAL(run_shell(cmd), 0);
    ASSERT_OUT_HAS("\"altoplace-plan\"");
    if (lstat("/dev/stdout", &st) == 0)
        CU_ASSERT(S_ISLNK(st.st_mode) || S_ISCHR(st.st_mode));
}

/* kill -9 in the middle of a long solve: the existing plan is intact and
 * no temporary file is left beside it.  The solve (1,200 random points,
 * p = 40, through import tsplib) takes far longer than the 1.5 s before the
 * kill; the test checks that the process really died of the signal. */
static void test_kill9_keeps_plan(void)
{
    const char *d = tmpdir();
    char path[600], bin[PATH_MAX], cmd[4 * PATH_MAX];
    const char *b = getenv("AP_BIN");
    char *doc;
    CU_ASSERT_PTR_NOT_NULL_FATAL(write_random_tsp(d, "pts.tsp", 1200, 7));
    snprintf(path, sizeof path, "%s/pts.tsp", d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(b ? b : "../build/altoplace", bin));
    snprintf(cmd, sizeof cmd, "%s import tsplib %s -k 40 -o %s/big -q", bin, path, d);
    CU_ASSERT_EQUAL_FATAL(run_shell(cmd), 0);
    write_file(d, "plan.json", "the old plan\n");
    snprintf(cmd, sizeof cmd, "cd %s && { %s plan big/problem.json -q -o plan.json & p=$!; sleep 1.5; "
             "kill -9 $p; wait $p; echo \"status $?\"; ls; }", d, bin);
    CU_ASSERT_EQUAL(run_shell(cmd), 0);
    ASSERT_OUT_HAS("status 137"); /* 128 + SIGKILL: it was killed, not finished */
    CU_ASSERT_PTR_NULL(strstr(out_buf, ".tmp."));
    snprintf(path, sizeof path, "%s/plan.json", d);
    doc = slurp(path, NULL);
    CU_ASSERT_STRING_EQUAL(doc, "the old plan\n");
    free(doc);
}

/* plan - : the problem on standard input, its paths relative to the
 * current folder; a broken document names <stdin>. */
static void test_plan_stdin(void)
{
    char bin[PATH_MAX], cmd[3 * PATH_MAX];
    const char *b = getenv("AP_BIN");
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(b ? b : "../build/altoplace", bin));
    snprintf(cmd, sizeof cmd, "cd ../examples/geant && %s plan - -q -o - < problem.json", bin);
    CU_ASSERT_EQUAL(run_shell(cmd), 0);
    ASSERT_OUT_HAS("\"objective\": 8695767.7");
    ASSERT_OUT_HAS("\"problem\": \"geant2009-3-replicas\"");
    snprintf(cmd, sizeof cmd, "echo '{\"demand\": [' | %s plan -", bin);
    CU_ASSERT_EQUAL(run_shell(cmd), 2);
    ASSERT_OUT_HAS("altoplace: <stdin>: invalid JSON");
}

/* validate: problems and studies checked without solving, one line each;
 * the first failure's exit code. */
static void test_validate(void)
{
    const char *d = tmpdir();
    char ex[PATH_MAX], doc[4 * PATH_MAX], args[5 * PATH_MAX];
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath("../examples/geant", ex));
    CU_ASSERT_EQUAL(cli("validate ../examples/geant/problem.json ../examples/geant/whatif.json"), 0);
    ASSERT_OUT_HAS("../examples/geant/problem.json: valid problem: p-median, k = 3, 32 clients, 34 candidate "
                   "sites, metric delay-ow");
    ASSERT_OUT_HAS("../examples/geant/whatif.json: valid study: 14 scenarios (base included)");
    /* a study naming a PoP the topology does not have */
    snprintf(doc, sizeof doc, "{\"name\":\"x\",\"problem\":\"%s/problem.json\",\"topology\":\"%s/topology.json\","
             "\"scenarios\":[{\"name\":\"gone\",\"fail-sites\":[\"XX\"]}]}", ex, ex);
    write_file(d, "study.json", doc);
    /* a problem asking for more sites than there are candidates */
    snprintf(doc, sizeof doc, "{\"alto\":{\"network-map\":\"%s/networkmap.json\",\"cost-map\":"
             "\"%s/costmap-delay-ow.json\"},\"demand\":\"%s/demand.json\",\"model\":{\"type\":\"p-median\","
             "\"k\":99}}", ex, ex, ex);
    write_file(d, "k99.json", doc);
    snprintf(args, sizeof args, "validate %s/study.json", d);
    CU_ASSERT_EQUAL(cli(args), 2);
    ASSERT_OUT_HAS("scenario \"gone\": fail-sites: XX is not a node of");
    snprintf(args, sizeof args, "validate ../examples/geant/problem.json %s/k99.json %s/study.json", d, d);
    CU_ASSERT_EQUAL(cli(args), 4); /* the first failure's code */
    ASSERT_OUT_HAS("k99.json: infeasible: k = 99 sites requested but only 34 candidate sites exist");
    CU_ASSERT_EQUAL(cli("validate"), 1);
    ASSERT_OUT_HAS("missing FILE.json");
    CU_ASSERT_EQUAL(cli("validate data/none.json"), 2);
    ASSERT_OUT_HAS("data/none.json: cannot open");
}

/* The man page keeps up with the tool: every long option any command's
 * --help lists appears in src/cli/altoplace.1 (groff writes - as \-), and
 * so does every command. */
static void test_man_page_complete(void)
{
    static const char *const cmds[] = {"plan", "demand", "import", "whatif", "watch", "advise", "export",
                                       "validate"};
    char *man = slurp("../src/cli/altoplace.1", NULL), *help, opt[96], esc[200];
    size_t c, checked = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(man);
    for (c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
        char args[800], sec[64];
        const char *p;
        snprintf(sec, sizeof sec, ".SS %s", cmds[c]);
        CU_ASSERT(strstr(man, sec) != NULL);
        snprintf(args, sizeof args, "%s --help", cmds[c]);
        CU_ASSERT_EQUAL(cli(args), 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(help = strdup(out_buf));
        for (p = help; (p = strstr(p, "--")); ) {
            size_t n = 0, k, e = 0;
            p += 2;
            while (n + 1 < sizeof opt && ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9') ||
                                           (n && p[n] == '-')))
                opt[n] = p[n], n++;
            opt[n] = '\0';
            if (n < 2)
                continue;
            e += (size_t)snprintf(esc, sizeof esc, "\\-\\-");
            for (k = 0; k < n && e + 3 < sizeof esc; k++) {
                if (opt[k] == '-')
                    esc[e++] = '\\';
                esc[e++] = opt[k];
            }
            esc[e] = '\0';
            if (!strstr(man, esc))
                fprintf(stderr, "\n  altoplace.1 lacks --%s (%s --help)", opt, cmds[c]);
            CU_ASSERT(strstr(man, esc) != NULL);
            checked++;
        }
        free(help);
    }
    CU_ASSERT(checked > 80); /* the help texts were read */
    /* and every command takes -q and -v */
    for (c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
        char args[200];
        snprintf(args, sizeof args, "%s -q -v --quiet --verbose --help", cmds[c]);
        CU_ASSERT_EQUAL(cli(args), 0);
    }
    free(man);
}

/* --error-format json on any command: one JSON object per error on stderr,
 * with the exit code, its kind, the library's code, the source, the text. */
static void test_error_format_json(void)
{
    CU_ASSERT_EQUAL(cli("plan data/none.json --error-format json"), 2);
    ASSERT_OUT_HAS("{\"error\": {\"exit\": 2, \"kind\": \"input\", \"code\": \"AP_EIO\", \"source\": "
                   "\"data/none.json\", \"message\": \"cannot open: No such file or directory\"}}\n");
    CU_ASSERT_EQUAL(cli("whatif --error-format=json data/none.json -o /nonexistent-dir/x/y"), 2);
    ASSERT_OUT_HAS("\"kind\": \"input\"");
    CU_ASSERT_EQUAL(cli("plan ../examples/geant/problem.json -o /nonexistent-dir/p.json --error-format json"), 7);
    ASSERT_OUT_HAS("{\"error\": {\"exit\": 7, \"kind\": \"output\", \"source\": \"/nonexistent-dir/p.json\"");
    CU_ASSERT_EQUAL(cli("plan -x --error-format json"), 1);
    ASSERT_OUT_HAS("{\"error\": {\"exit\": 1, \"kind\": \"usage\", \"message\": \"unknown option: -x; try "
                   "'altoplace plan --help'\"}}");
    CU_ASSERT_EQUAL(cli("plan ../examples/geant/problem.json -k 99 -o /dev/null --error-format json"), 4);
    ASSERT_OUT_HAS("\"kind\": \"infeasible\", \"source\": \"../examples/geant/problem.json\", \"message\": "
                   "\"infeasible: k = 99 sites requested but only 34 candidate sites exist\"}}");
    CU_ASSERT_EQUAL(cli("validate --error-format xml x.json"), 1);
    ASSERT_OUT_HAS("--error-format must be json or text: xml");
    /* numbers that would overflow a conversion are usage errors */
    CU_ASSERT_EQUAL(cli("watch ../examples/geant/problem.json -o /dev/null --iterations 1e300"), 1);
    ASSERT_OUT_HAS("--iterations needs a whole number of checks up to 1e9, not: 1e300");
    CU_ASSERT_EQUAL(cli("watch ../examples/geant/problem.json -o /dev/null --interval 1e300"), 1);
    ASSERT_OUT_HAS("needs at most 1e7 seconds: --interval");
    /* -o naming the problem file itself is refused before anything runs */
    CU_ASSERT_EQUAL(cli("plan ../examples/geant/problem.json -o ../examples/geant/./problem.json"), 1);
    ASSERT_OUT_HAS("is the input file ../examples/geant/problem.json: the output would overwrite it");
    /* quotes and control characters are escaped */
    CU_ASSERT_EQUAL(cli("plan 'da\"ta/no\tne.json' --error-format json"), 2);
    ASSERT_OUT_HAS("\"source\": \"da\\\"ta/no\\u0009ne.json\"");
}

/* A property map without dependent-vtags (RFC 9240 allows it) is used, but
 * the plan says that its version could not be checked. */
static void test_propmap_without_vtags(void)
{
    const char *d = tmpdir();
    char cmd[2000];
    snprintf(cmd, sizeof cmd, "(cp ../examples/geant/networkmap.json ../examples/geant/costmap-delay-ow.json "
             "../examples/geant/demand.json %s/ && sed '/\"dependent-vtags\"/,/^    \\]/d' "
             "../examples/geant/propmap.json > %s/propmap.json && sed 's/\"k\": 3/\"k\": 3, \"capacity-property\": "
             "\"link-capacity-gbps\"/' ../examples/geant/problem.json > %s/problem.json)", d, d, d);
    CU_ASSERT_EQUAL_FATAL(run_shell(cmd), 0);
    snprintf(cmd, sizeof cmd, "plan %s/problem.json -o %s/plan.json", d, d);
    cli(cmd); /* feasible or not: the warning is the point */
    ASSERT_OUT_HAS("propmap.json: the property map carries no dependent-vtags naming network map "
                   "geant2009-network-map (RFC 9240)");
    /* the bundled one names it: no warning */
    snprintf(cmd, sizeof cmd, "cp ../examples/geant/propmap.json %s/", d);
    CU_ASSERT_EQUAL(run_shell(cmd), 0);
    snprintf(cmd, sizeof cmd, "plan %s/problem.json -o %s/plan.json", d, d);
    cli(cmd);
    ASSERT_OUT_HAS("status:"); /* it ran */
    CU_ASSERT(strstr(out_buf, "dependent-vtags") == NULL);
}

void suite_cli(void)
{
    CU_pSuite s = CU_add_suite("cli", NULL, NULL);
    CU_add_test(s, "--help, COMMAND --help, --version", test_help);
    CU_add_test(s, "usage errors exit 1 with a message", test_usage_errors);
    CU_add_test(s, "plan writes the file and a summary; -k overrides", test_plan_roundtrip);
    CU_add_test(s, "plan - reads the problem from standard input", test_plan_stdin);
    CU_add_test(s, "-o: a symlink is replaced, never written through; /dev/stdout in place", test_output_symlink_and_devices);
    CU_add_test(s, "kill -9 mid-solve: the old plan intact, no temporary file", test_kill9_keeps_plan);
    CU_add_test(s, "validate checks problems and studies without solving", test_validate);
    CU_add_test(s, "the man page has every command and option of --help", test_man_page_complete);
    CU_add_test(s, "--error-format json: errors as JSON lines", test_error_format_json);
    CU_add_test(s, "a property map without dependent-vtags is named", test_propmap_without_vtags);
    CU_add_test(s, "bad input exits 2 and keeps the old plan", test_bad_input_keeps_old_plan);
    CU_add_test(s, "infeasible exits 4; -o untouched, the plan where asked", test_infeasible_exit);
    CU_add_test(s, "import orlib-cap then plan reproduces cap41", test_import_and_plan);
    CU_add_test(s, "demand command, and plan --requests", test_demand_command);
    CU_add_test(s, "examples/scheduler re-plans against a local ALTO server", test_scheduler_example);
    CU_add_test(s, "watch re-plans on change, with hysteresis", test_watch);
    CU_add_test(s, "watch reads the deployed plan back after a restart", test_watch_restart);
    CU_add_test(s, "watch refreshes a kept plan, solves only on change, exit status", test_watch_refresh_and_failures);
    CU_add_test(s, "SIGINT/SIGTERM: the incumbent is written, watch exits 0", test_interrupts);
    CU_add_test(s, "advise: when the forecast breaks a limit, which site to add", test_advise);
    CU_add_test(s, "GNU option forms, short usage errors, help CMD, output checked first", test_conventions);
}
