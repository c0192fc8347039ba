/* main.c - the command-line tool: a thin layer over libaltoplace (every
 * command is a file cmd_*.c; args.c holds what they share). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const main_usage =
    "usage: altoplace [--version] [--help] COMMAND [ARGS]\n"
    "\n"
    "Decide where to place replicas, caches or service instances from the state\n"
    "of the network as an ALTO server (RFC 7285) describes it.\n"
    "\n"
    "commands:\n"
    "  plan PROBLEM.json     solve a placement problem and write a plan (JSON)\n"
    "  import KIND FILE      turn a Topology Zoo network, WLCG sites or an\n"
    "                        OR-Library instance into ALTO files\n"
    "  watch PROBLEM.json    re-plan as the network or the demand changes\n"
    "  advise PROBLEM.json   when the deployed sites break a limit on the forecast,\n"
    "                        and which one site to add or remove\n"
    "  demand LOG... -n NETWORKMAP.json\n"
    "                        demand per PID (and its forecast) from request logs\n"
    "  whatif STUDY.json -o DIR\n"
    "                        run a what-if study: table, plots, maps, HTML report\n"
    "  export mathprog PROBLEM.json -o DATA.dat\n"
    "                        write the problem as data for models/placement.mod\n"
    "  validate FILE.json... check problem and study files without solving\n"
    "\n"
    "Run 'altoplace COMMAND --help' for the options of a command.  Every command\n"
    "also takes --version and --error-format json (errors as one JSON object per\n"
    "line on stderr: {\"error\": {\"exit\", \"kind\", \"code\", \"source\", \"message\"}}).\n"
    "\n"
    "exit codes:\n"
    "  0  plan written (status optimal or feasible)\n"
    "  1  bad command line\n"
    "  2  bad input: a file is missing, malformed or invalid\n"
    "  3  network or ALTO server error\n"
    "  4  the problem is infeasible (-o is left untouched; the plan with status and\n"
    "     reason goes to --infeasible-to FILE, or stdout without -o)\n"
    "  5  solver or internal error\n"
    "  6  time limit reached before any plan was found\n"
    "  7  the output cannot be written where asked (checked before solving)\n";

/* A password given in a URI on the command line (http://user:pw@host/...)
 * is visible to every local user in /proc/PID/cmdline for as long as the
 * tool runs (watch: for days).  Each such argument is copied and the
 * password in the original bytes overwritten with '*' (a userinfo without
 * a password entirely), so ps and /proc show user:********@.  A short
 * window before main remains: ALTOPLACE_ALTO_AUTH or the auth file keep
 * the secret off the command line altogether. */
static int scrub_argv(int argc, char **argv)
{
    int i;
    for (i = 1; i < argc; i++) {
        char *s = argv[i], *auth = strstr(s, "://"), *p, *at = NULL, *colon = NULL, *copy;
        if (!auth)
            continue;
        for (p = auth + 3; *p && !strchr("/?#", *p); p++)
            if (*p == '@')
                at = p;
        if (!at || at == auth + 3)
            continue;
        /* user:password@ loses the password; a bare user@ (a token, as
         * some servers take it) is hidden whole, as errors show it */
        colon = memchr(auth + 3, ':', (size_t)(at - auth - 3));
        if (colon && colon + 1 == at)
            continue;
        if (!(copy = strdup(s)))
            return -1;
        p = colon ? colon + 1 : auth + 3;
        memset(p, '*', (size_t)(at - p));
        argv[i] = copy; /* lives as long as the process */
    }
    return 0;
}

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    int solves; /* uses the solver: free its per-thread state at the end */
} COMMANDS[] = {
    {"plan", cli_plan, 1}, {"watch", cli_watch, 1}, {"advise", cli_advise, 1}, {"whatif", cli_whatif, 1},
    {"demand", cli_demand, 0}, {"export", cli_export, 0}, {"import", cli_import, 0},
    {"validate", cli_validate, 0},
};

int main(int argc, char **argv)
{
    char **args;
    int n, i, rc;
    size_t c;
    if (argc < 2)
        return cli_usage_error("missing command", NULL, main_usage);
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || (!strcmp(argv[1], "help") && argc < 3)) {
        fputs(main_usage, stdout);
        return EX_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("altoplace %s\n", AP_VERSION);
        return EX_OK;
    }
    if (scrub_argv(argc, argv))
        return cli_fail(EX_INTERNAL, NULL, "out of memory");
    /* GNU conventions: --opt=value, -k3, -o/path, -qv (cli_normalize) */
    if (!(args = cli_normalize(argc, argv, &n))) {
        return cli_fail(EX_INTERNAL, NULL, "out of memory");
    }
    if (!strcmp(args[1], "help")) {
        /* altoplace help COMMAND: that command's help */
        args[1] = args[2];
        args[2] = (char *)"--help";
        n = 3;
    }
    /* --error-format json|text, taken out before the command sees its
     * options (up to a "--") */
    for (i = 2; i < n && strcmp(args[i], "--"); i++)
        if (!strcmp(args[i], "--error-format")) {
            int k;
            if (i + 1 >= n || (strcmp(args[i + 1], "json") && strcmp(args[i + 1], "text"))) {
                rc = cli_usage_error("--error-format must be json or text", i + 1 < n ? args[i + 1] : NULL,
                                     main_usage);
                free(args);
                return rc;
            }
            cli_error_json = !strcmp(args[i + 1], "json");
            for (k = i; k + 2 < n; k++)
                args[k] = args[k + 2];
            n -= 2;
            args[n] = NULL;
            i--;
        }
    for (i = 2; i < n; i++)
        if (!strcmp(args[i], "--version")) {
            printf("altoplace %s\n", AP_VERSION);
            free(args);
            return EX_OK;
        }
    for (c = 0; c < sizeof COMMANDS / sizeof COMMANDS[0]; c++)
        if (!strcmp(args[1], COMMANDS[c].name)) {
            rc = COMMANDS[c].run(n - 1, args + 1);
            if (COMMANDS[c].solves)
                ap_thread_cleanup();
            free(args);
            return rc;
        }
    rc = cli_usage_error("unknown command", args[1], main_usage);
    free(args);
    return rc;
}
