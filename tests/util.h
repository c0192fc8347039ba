/* util.h - scenario helpers for tests. */
#ifndef AP_TEST_UTIL_H
#define AP_TEST_UTIL_H
/* Writes content to dir/name; returns the path (valid for 8 calls). */
char *write_file(const char *dir, const char *name, const char *content);
const char *line_network(void);
/* A what-if study on P0 - P1 - P2 - P3 (one degree apart on the equator,
 * one request each): its folder, with study.json and topology.json. */
const char *line_study(void);
/* Writes dir/name, a TSPLIB EUC_2D file of n pseudo-random points in a
 * 10,000 x 10,000 square (the same for the same seed); returns its path
 * (as write_file). */
char *write_random_tsp(const char *dir, const char *name, int n, unsigned long seed);

/* Output (stdout + stderr) of the last run_shell or cli call. */
extern char out_buf[65536];
/* Runs a shell command line, its output going to out_buf; returns its exit
 * status (-1 when it did not exit). */
int run_shell(const char *cmdline);
/* Runs the altoplace tool ($AP_BIN) with `args` (shell words). */
int cli(const char *args);
/* The next number in [0, 1) of a 64-bit linear congruential sequence. */
double test_rnd(unsigned long *state);
/* ap_solve with this solver and default options; NULL (the error printed)
 * on failure. */
ap_plan *solve_with(const ap_problem *p, ap_solver s);
/* A log callback (ap_solve_opts.log) that keeps in *(double *)ud the share
 * of its search space, in percent, a Lagrangian tree says it closed on its
 * "tree exhausted after N nodes (X% of the tree closed)" line. */
void tree_closed_log(void *ud, ap_log_level level, const char *msg);
#define ASSERT_OUT_HAS(needle)                                                 \
    do {                                                                       \
        int has_ = strstr(out_buf, (needle)) != NULL;                          \
        if (!has_)                                                             \
            fprintf(stderr, "\n  output was: %s\n", out_buf);                  \
        CU_ASSERT(has_);                                                       \
    } while (0)
#endif
