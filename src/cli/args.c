/* args.c - what the commands share: error reporting with exit codes, log
 * callbacks, number parsing, usage errors, and the ALTO-server options of
 * plan and watch. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int cli_error_json;

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static const char *exit_kind(int code)
{
    static const char *const K[] = {"ok", "usage", "input", "network", "infeasible", "internal", "no-solution",
                                    "output"};
    return code >= 0 && code <= EX_OUTPUT ? K[code] : "internal";
}

/* {"error": {"exit": 2, "kind": "input", "code": "AP_EFORMAT", "source": ..., "message": ...}} */
static void emit(int exit_code, const char *apcode, const char *source, const char *msg)
{
    if (!cli_error_json) {
        if (source && *source)
            fprintf(stderr, "altoplace: %s: %s\n", source, msg);
        else
            fprintf(stderr, "altoplace: %s\n", msg);
        return;
    }
    fprintf(stderr, "{\"error\": {\"exit\": %d, \"kind\": \"%s\"", exit_code, exit_kind(exit_code));
    if (apcode) {
        fputs(", \"code\": ", stderr);
        json_str(stderr, apcode);
    }
    if (source && *source) {
        fputs(", \"source\": ", stderr);
        json_str(stderr, source);
    }
    fputs(", \"message\": ", stderr);
    json_str(stderr, msg);
    fputs("}}\n", stderr);
}

int cli_fail(int exit_code, const char *source, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    emit(exit_code, NULL, source, msg);
    return exit_code;
}

int cli_report(const ap_error *e)
{
    static const char *const NAMES[] = {
#define AP__NAME(code, text) #code,
        AP_ERRNO_MAP(AP__NAME)
#undef AP__NAME
    };
    int code = exit_for(e->code);
    emit(code, e->code >= 0 && (size_t)e->code < sizeof NAMES / sizeof NAMES[0] ? NAMES[e->code] : NULL, e->source,
         e->text);
    return code;
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
    if (verbose < 1 || (lvl == AP_LOG_INFO && verbose < 2)) /* solver details with -v */
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
    /* one line of what is wrong, the usage line, and where the help is */
    size_t ul = strcspn(usage, "\n");
    const char *cmd = strncmp(usage, "usage: altoplace ", 17) ? "" : usage + 17;
    size_t cl = strcspn(cmd, " \n[");
    if (cli_error_json) {
        char m[1024];
        snprintf(m, sizeof m, "%s%s%s; try 'altoplace%s%.*s --help'", msg, arg ? ": " : "", arg ? arg : "",
                 cl && strncmp(cmd, "COMMAND", 7) && strncmp(cmd, "[", 1) ? " " : "",
                 cl && strncmp(cmd, "COMMAND", 7) && strncmp(cmd, "[", 1) ? (int)cl : 0, cmd);
        emit(EX_USAGE, NULL, NULL, m);
        return EX_USAGE;
    }
    fprintf(stderr, "altoplace: %s%s%s\n%.*s\n", msg, arg ? ": " : "", arg ? arg : "", (int)ul, usage);
    if (cl && strncmp(cmd, "COMMAND", 7) && strncmp(cmd, "[", 1))
        fprintf(stderr, "Try 'altoplace %.*s --help' for more information.\n", (int)cl, cmd);
    else
        fprintf(stderr, "Try 'altoplace --help' for more information.\n");
    return EX_USAGE;
}

char **cli_normalize(int argc, char **argv, int *n)
{
    static const char valued[] = "okn"; /* short options that take a value */
    static const char flags[] = "qvh";
    char **out = malloc((size_t)(2 * argc + 4) * sizeof *out);
    int i, k = 0, plain = 0;
    if (!out)
        return NULL;
    for (i = 0; i < argc; i++) {
        char *a = argv[i];
        if (i == 0 || plain || a[0] != '-' || !a[1]) {
            out[k++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            plain = 1;
            continue;
        }
        if (a[1] == '-') {
            char *eq = strchr(a, '=');
            if (eq) {
                *eq = '\0'; /* argv's strings are ours to change */
                out[k++] = a;
                out[k++] = eq + 1;
            } else {
                out[k++] = a;
            }
            continue;
        }
        if (a[2] && strchr(valued, a[1])) {
            static char opt[sizeof valued][3];
            size_t which = (size_t)(strchr(valued, a[1]) - valued);
            opt[which][0] = '-', opt[which][1] = a[1], opt[which][2] = '\0';
            out[k++] = opt[which];
            out[k++] = a + 2;
        } else if (a[2] && strspn(a + 1, flags) == strlen(a + 1)) {
            static char opt[sizeof flags][3];
            const char *c;
            for (c = a + 1; *c; c++) {
                size_t which = (size_t)(strchr(flags, *c) - flags);
                opt[which][0] = '-', opt[which][1] = *c, opt[which][2] = '\0';
                out[k++] = opt[which];
            }
        } else {
            out[k++] = a;
        }
    }
    out[k] = NULL;
    *n = k;
    return out;
}

char *cli_read_stdin(void)
{
    size_t len = 0, cap = 65536;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, stdin);
        len += got;
        if (got == 0)
            break;
        if (len + 1 == cap) {
            char *nb = cap >= ((size_t)64 << 20) ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                cli_fail(EX_INPUT, "standard input", "more than 64 MiB, or out of memory");
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (!buf) {
        cli_fail(EX_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    if (ferror(stdin)) {
        cli_fail(EX_INPUT, "standard input", "%s", strerror(errno));
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

int cli_not_input(const char *out, const char *input)
{
    struct stat a, b;
    if (!out || !input || !strcmp(out, "-") || stat(out, &a) != 0 || stat(input, &b) != 0)
        return 0;
    if (a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return cli_fail(EX_USAGE, out, "is the input file %s: the output would overwrite it", input);
    return 0;
}

int cli_check_output(const char *path)
{
    struct stat st;
    char dir[4096];
    const char *slash;
    if (!path || !strcmp(path, "-"))
        return 0;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        return cli_fail(EX_OUTPUT, path, "is a folder, not a file to write");
    }
    slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return cli_fail(EX_OUTPUT, path, "cannot write there: folder %s does not exist", dir);
    }
    if (access(dir, W_OK | X_OK) != 0) {
        return cli_fail(EX_OUTPUT, path, "cannot write there: folder %s is not writable", dir);
    }
    return 0;
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
    if (!strcmp(a, "--alto-auth-any-origin")) {
        f->auth_any_origin = 1;
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
    lo->alto_auth_any_origin = f->auth_any_origin;
    lo->alto_compat = f->compat;
    lo->cacert = f->cacert;
    lo->client_cert = f->cert;
    lo->client_key = f->key;
    lo->network_map_id = f->network_map;
    lo->cost_map_id = f->cost_map;
    lo->property_map_id = f->property_map;
    lo->log = cli_on_log;
}
