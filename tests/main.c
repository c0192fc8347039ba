/* main.c - runs every CUnit suite; exit status 1 when any test fails. */
#include "test.h"
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp_root[256];

const char *fx(const char *rel) { return rel; }

char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b)
        b[n] = '\0';
    if (len)
        *len = (size_t)n;
    fclose(f);
    return b;
}

const char *tmpdir(void)
{
    static int seq;
    static char ring[256][300];
    char *path;
    if (!tmp_root[0]) {
        snprintf(tmp_root, sizeof tmp_root, "/tmp/altoplace-test-XXXXXX");
        if (!mkdtemp(tmp_root)) {
            perror("mkdtemp");
            exit(2);
        }
    }
    path = ring[seq & 255];
    snprintf(path, 300, "%s/d%d", tmp_root, ++seq);
    mkdir(path, 0755);
    return path;
}

int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void cleanup(void)
{
    char cmd[400];
    if (tmp_root[0] && !getenv("AP_KEEP_TMP")) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_root);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmp_root);
    }
}

int main(int argc, char **argv)
{
    unsigned fails;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    atexit(cleanup);
    /* by layer, from the bottom: base, alto, client, model, solver, inputs,
     * studies, then the tool and the whole-library checks */
    suite_jscan();
    suite_jpatch();
    suite_netmap();
    suite_costmap();
    suite_propmap();
    suite_metric();
    suite_alto();
    suite_stream();
    suite_problem();
    suite_plan();
    suite_solver();
    suite_formulations();
    suite_models();
    suite_orlib();
    suite_benders();
    suite_ufl();
    suite_transport();
    suite_demand();
    suite_topo();
    suite_whatif();
    suite_report();
    suite_cli();
    suite_diskfull();
    suite_invalid();
    suite_robust();
    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (argc > 1) {
        /* run one suite by name */
        CU_pSuite s = CU_get_suite(argv[1]);
        if (!s) {
            fprintf(stderr, "no suite %s\n", argv[1]);
            return 2;
        }
        CU_basic_run_suite(s);
    } else {
        CU_basic_run_tests();
    }
    fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    {
        unsigned run = CU_get_number_of_tests_run();
        CU_cleanup_registry();
        if (run == 0)
            return 1;
    }
    return fails ? 1 : 0;
}
