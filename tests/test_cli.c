/* test_cli.c - the altoplace command: help, exit codes, messages, files. */
#include "test.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

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
    snprintf(plan, sizeof plan, "%s/plan.json", d);
    snprintf(args, sizeof args, "plan %s/problem.json -o %s", d, plan);
    CU_ASSERT_EQUAL(cli(args), 4);
    ASSERT_OUT_HAS("status:    infeasible");
    s = slurp(plan, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"reason\": \"k = 9 sites requested"));
    free(s);
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
    snprintf(cmd, sizeof cmd, "sh ../examples/scheduler/run.sh %s 4", dir);
    CU_ASSERT_EQUAL(run_shell(cmd), 0);
    ASSERT_OUT_HAS("{\"round\": 0, \"status\": \"optimal\", \"sites\": [\"A\", \"B\"]");
    ASSERT_OUT_HAS("{\"round\": 3, \"status\": \"optimal\", \"sites\": [\"C\", \"D\"], \"objective\": 3.18562, \"moved\": 1}");
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

void suite_cli(void)
{
    CU_pSuite s = CU_add_suite("cli", NULL, NULL);
    CU_add_test(s, "--help, COMMAND --help, --version", test_help);
    CU_add_test(s, "usage errors exit 1 with a message", test_usage_errors);
    CU_add_test(s, "plan writes the file and a summary; -k overrides", test_plan_roundtrip);
    CU_add_test(s, "bad input exits 2 and keeps the old plan", test_bad_input_keeps_old_plan);
    CU_add_test(s, "infeasible exits 4 with the reason in the plan", test_infeasible_exit);
    CU_add_test(s, "import orlib-cap then plan reproduces cap41", test_import_and_plan);
    CU_add_test(s, "demand command, and plan --requests", test_demand_command);
    CU_add_test(s, "examples/scheduler re-plans against a local ALTO server", test_scheduler_example);
    CU_add_test(s, "watch re-plans on change, with hysteresis", test_watch);
}
