/* args.c - what the commands share: error reporting with exit codes, log
 * callbacks, number parsing, usage errors, and the ALTO-server options of
 * plan and watch. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int verbose = 1;
volatile int cli_interrupted;
static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    (void)sig;
    got_signal = 1;
    cli_interrupted = 1;
}

void cli_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second signal acts as usual */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_cancel(void *ud)
{
    (void)ud;
    return got_signal != 0;
}

void cli_oom(ap_error *e)
{
    e->code = AP_ENOMEM;
    e->source[0] = '\0';
    snprintf(e->text, sizeof e->text, "out of memory");
}

static int exit_for(int code)
{
    switch (code) {
    case AP_EIO: case AP_ESYNTAX: case AP_EFORMAT: case AP_EVTAG: case AP_EINVAL:
        return EX_INPUT;
    case AP_ENET:
        return EX_NET;
    default:
        return EX_INTERNAL;
    }
}

int cli_report(const ap_error *e)
{
    if (e->source[0])
        fprintf(stderr, "altoplace: %s: %s\n", e->source, e->text);
    else
        fprintf(stderr, "altoplace: %s\n", e->text);
    return exit_for(e->code);
}

void cli_on_log(void *ud, ap_log_level lvl, const char *msg)
{
    (void)ud;
    if (lvl == AP_LOG_INFO && verbose < 2)
        return;
    if (verbose < 1 && lvl != AP_LOG_ERROR)
        return;
    fprintf(stderr, "altoplace: %s%s\n", lvl == AP_LOG_WARN ? "warning: " : "", msg);
}

void cli_on_progress(void *ud, ap_log_level lvl, const char *msg)
{
    (void)ud;
    if (verbose < 1)
        return;
    fprintf(stderr, "altoplace: %s%s\n", lvl == AP_LOG_WARN ? "warning: " : "", msg);
}

int cli_parse_double(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return (end == s || *end || errno || !isfinite(*v)) ? -1 : 0;
}

int cli_usage_error(const char *msg, const char *arg, const char *usage)
{
    fprintf(stderr, "altoplace: %s%s%s\n\n%s", msg, arg ? ": " : "", arg ? arg : "", usage);
    return EX_USAGE;
}

int cli_alto_option(int argc, char **argv, int *i, cli_alto *f, const char *usage, int *rc)
{
    static const char *const valued[] = {"--alto", "--alto-cache", "--cacert", "--cert", "--key", "--requests",
                                         "--network-map", "--cost-map", "--property-map", "--alto-compat", NULL};
    const char *a = argv[*i];
    const char **slot[] = {&f->alto, &f->alto_cache, &f->cacert, &f->cert, &f->key, &f->requests,
                           &f->network_map, &f->cost_map, &f->property_map, NULL};
    size_t k;
    if (!strcmp(a, "--allow-stale")) {
        f->allow_stale = 1;
        return 1;
    }
    for (k = 0; valued[k] && strcmp(a, valued[k]); k++)
        ;
    if (!valued[k])
        return 0;
    if (++*i >= argc) {
        *rc = cli_usage_error("missing value for", a, usage);
        return -1;
    }
    if (slot[k]) {
        *slot[k] = argv[*i];
        return 1;
    }
    if (strcmp(argv[*i], "strict") && strcmp(argv[*i], "lenient")) {
        *rc = cli_usage_error("--alto-compat must be strict or lenient", argv[*i], usage);
        return -1;
    }
    f->compat = !strcmp(argv[*i], "lenient");
    return 1;
}

int cli_alto_check(const cli_alto *f, const char *usage)
{
    if (f->key && !f->cert)
        return cli_usage_error("--key goes with --cert", NULL, usage);
    return 0;
}

void cli_alto_load_opts(const cli_alto *f, ap_load_opts *lo)
{
    ap_load_opts_init(lo);
    lo->requests = f->requests;
    lo->alto_uri = f->alto;
    lo->alto_cache = f->alto_cache;
    lo->allow_stale = f->allow_stale;
    lo->alto_compat = f->compat;
    lo->cacert = f->cacert;
    lo->client_cert = f->cert;
    lo->client_key = f->key;
    lo->network_map_id = f->network_map;
    lo->cost_map_id = f->cost_map;
    lo->property_map_id = f->property_map;
    lo->log = cli_on_log;
}
