/* test.h - shared helpers of the CUnit test suites. */
#ifndef AP_TEST_H
#define AP_TEST_H
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <CUnit/CUnit.h>
#include <string.h>
#include "altoplace.h"

/* Path of a fixture relative to tests/ (the runner's working directory). */
const char *fx(const char *rel);
/* Reads a whole file (test helper; aborts the test on failure). */
char *slurp(const char *path, size_t *len);
/* A fresh empty temporary directory (removed at exit); the string stays
 * valid for the next 255 calls. */
const char *tmpdir(void);
int file_exists(const char *path);
/* CU_ASSERT that err->text contains `needle`. */
#define ASSERT_ERR_HAS(err, needle)                                             \
    do {                                                                       \
        int has_ = strstr((err).text, (needle)) != NULL;                       \
        if (!has_)                                                             \
            fprintf(stderr, "\n  error text was: [%s] %s\n", (err).source, (err).text); \
        CU_ASSERT(has_);                                                       \
    } while (0)

void suite_netmap(void);
void suite_costmap(void);
void suite_propmap(void);
void suite_problem(void);
void suite_solver(void);
void suite_orlib(void);
void suite_benders(void);
void suite_ufl(void);
void suite_transport(void);
void suite_plan(void);
void suite_cli(void);
void suite_diskfull(void);
void suite_models(void);
void suite_formulations(void);
void suite_robust(void);
void suite_demand(void);
void suite_alto(void);
void suite_topo(void);
void suite_whatif(void);
void suite_invalid(void);
void suite_jscan(void);
void suite_jpatch(void);
void suite_metric(void);
void suite_stream(void);
void suite_report(void);
#endif
