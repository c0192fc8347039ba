/* cli.h - shared by the commands of the altoplace tool (it sees only the
 * public header of the library). */
#ifndef AP_CLI_H
#define AP_CLI_H
#include "altoplace.h"

/* Exit codes (documented in --help and README). */
enum {
    EX_OK = 0,          /* plan written */
    EX_USAGE = 1,       /* bad command line */
    EX_INPUT = 2,       /* bad input: file missing, malformed or invalid */
    EX_NET = 3,         /* network or ALTO server error */
    EX_INFEASIBLE = 4,  /* problem infeasible (plan written with the reason) */
    EX_INTERNAL = 5,    /* solver or internal error, out of memory */
    EX_NOSOLUTION = 6,  /* time limit reached before any plan was found */
    EX_OUTPUT = 7       /* the output cannot be written where asked */
};

/* 0 quiet, 1 normal, 2 verbose. */
extern int verbose;

/* Errors as text ("altoplace: SOURCE: MESSAGE", the default) or as one JSON
 * object per line on stderr (--error-format json, any command). */
extern int cli_error_json;
/* Prints an error (source may be NULL; printf-style message) in the chosen
 * format; returns exit_code. */
int cli_fail(int exit_code, const char *source, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prints the library error e and returns the exit code for it. */
int cli_report(const ap_error *e);
/* A log callback printing warnings (and infos when verbose). */
void cli_on_log(void *ud, ap_log_level lvl, const char *msg);
/* The same for progress lines (printed unless quiet). */
void cli_on_progress(void *ud, ap_log_level lvl, const char *msg);
void cli_oom(ap_error *e);
/* SIGINT and SIGTERM set cli_interrupted (a second one kills as usual);
 * cli_cancel reads it, for ap_solve_opts.cancel. */
extern volatile int cli_interrupted;
void cli_catch_signals(void);
int cli_cancel(void *ud);
/* A finite number; 0 or -1. */
int cli_parse_double(const char *s, double *v);
/* argv in GNU form made plain: "--opt=value" becomes "--opt" "value", "-k3"
 * and "-o/path" become "-k" "3" and "-o" "/path", "-qv" becomes "-q" "-v"
 * (everything after "--" is left).  A new array (free it; its strings are
 * argv's, changed in place, or static), its length in *n. */
char **cli_normalize(int argc, char **argv, int *n);
/* Fails when path (not "-") cannot be written: its folder is missing or
 * not writable, or it is a folder.  Prints why; returns EX_OUTPUT. */
int cli_check_output(const char *path);
/* EX_USAGE (message printed) when output `out` is the file `input` (the
 * same file under any name), else 0. */
int cli_not_input(const char *out, const char *input);
/* Standard input read whole (NUL-terminated, at most 64 MiB), or NULL with
 * a message printed. */
char *cli_read_stdin(void);
/* Prints the message, the usage line and where to find more; returns
 * EX_USAGE. */
int cli_usage_error(const char *msg, const char *arg, const char *usage);

/* The ALTO-server options that plan and watch share. */
typedef struct {
    const char *alto, *alto_cache, *cacert, *cert, *key, *requests;
    const char *network_map, *cost_map, *property_map; /* resource ids */
    int allow_stale, auth_any_origin, compat;
} cli_alto;
/* When argv[*i] is one of the shared ALTO options, takes it (and its value)
 * and returns 1; returns 0 when it is not one; -1 after a usage error
 * (*rc = EX_USAGE, message printed). */
int cli_alto_option(int argc, char **argv, int *i, cli_alto *f, const char *usage, int *rc);
/* Checks the combination (--key needs --cert); 0 or a usage error. */
int cli_alto_check(const cli_alto *f, const char *usage);
/* The load options these flags give. */
void cli_alto_load_opts(const cli_alto *f, ap_load_opts *lo);

int cli_plan(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_demand(int argc, char **argv);
int cli_watch(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_whatif(int argc, char **argv);
int cli_advise(int argc, char **argv);
int cli_validate(int argc, char **argv);
#endif
