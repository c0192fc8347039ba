/* main.c - the command-line tool: a thin layer over libaltoplace (every
 * command is a file cmd_*.c; args.c holds what they share). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <stdio.h>
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
    "\n"
    "Run 'altoplace COMMAND --help' for the options of a command.\n"
    "\n"
    "exit codes:\n"
    "  0  plan written (status optimal or feasible)\n"
    "  1  bad command line\n"
    "  2  bad input: a file is missing, malformed or invalid\n"
    "  3  network or ALTO server error\n"
    "  4  the problem is infeasible (-o is left untouched; the plan with status and\n"
    "     reason goes to --infeasible-to FILE, or stdout without -o)\n"
    "  5  solver or internal error\n"
    "  6  time limit reached before any plan was found\n";


int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("missing command", NULL, main_usage);
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        fputs(main_usage, stdout);
        return EX_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("altoplace %s\n", AP_VERSION);
        return EX_OK;
    }
    if (!strcmp(argv[1], "plan")) {
        int rc = cli_plan(argc - 1, argv + 1);
        ap_thread_cleanup();
        return rc;
    }
    if (!strcmp(argv[1], "watch")) {
        int rc = cli_watch(argc - 1, argv + 1);
        ap_thread_cleanup();
        return rc;
    }
    if (!strcmp(argv[1], "advise")) {
        int rc = cli_advise(argc - 1, argv + 1);
        ap_thread_cleanup();
        return rc;
    }
    if (!strcmp(argv[1], "whatif")) {
        int rc = cli_whatif(argc - 1, argv + 1);
        ap_thread_cleanup();
        return rc;
    }
    if (!strcmp(argv[1], "demand"))
        return cli_demand(argc - 1, argv + 1);
    if (!strcmp(argv[1], "export"))
        return cli_export(argc - 1, argv + 1);
    if (!strcmp(argv[1], "import"))
        return cli_import(argc - 1, argv + 1);
    return cli_usage_error("unknown command", argv[1], main_usage);
}

