/* server_ctl.c - starts and stops the test ALTO server
 * (tests/server/alto_server.c) on 127.0.0.1 for the suites that talk HTTP. */
#include "test.h"
#include "server_ctl.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t server_pid;
char server_uri[128];

const char *tls_cert, *tls_key, *tls_client_ca;
const char *server_dir = "fixtures/alto-server";

/* Starts the test server in `mode` (https when tls_cert is set); fills
 * server_uri with its directory. */
int server_start(const char *mode)
{
    const char *bin = getenv("AP_SERVER") ? getenv("AP_SERVER") : "../build/alto-test-server";
    int fd[2];
    char buf[32];
    ssize_t n;
    if (pipe(fd))
        return -1;
    server_pid = fork();
    if (server_pid < 0)
        return -1;
    if (server_pid == 0) {
        /* the server dies with the test run, even if the run crashes (an
         * orphan would keep the output pipe open and hang make) */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        dup2(fd[1], 1);
        close(fd[0]);
        if (tls_cert && tls_client_ca)
            execl(bin, bin, server_dir, mode, tls_cert, tls_key, tls_client_ca, (char *)NULL);
        else if (tls_cert)
            execl(bin, bin, server_dir, mode, tls_cert, tls_key, (char *)NULL);
        else
            execl(bin, bin, server_dir, mode, (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    n = read(fd[0], buf, sizeof buf - 1);
    close(fd[0]);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    snprintf(server_uri, sizeof server_uri, "%s://127.0.0.1:%d/directory", tls_cert ? "https" : "http",
             atoi(buf));
    return 0;
}

void server_stop(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
        server_pid = 0;
    }
}

ap_alto *open_post(const char *mode, ap_netmap **nm)
{
    ap_alto_opts o;
    ap_error e;
    ap_alto *a;
    server_dir = "fixtures/alto-post";
    if (server_start(mode) != 0) {
        server_dir = "fixtures/alto-server";
        return NULL;
    }
    server_dir = "fixtures/alto-server";
    ap_alto_opts_init(&o);
    o.retries = 0;
    o.timeout = 5;
    ap_error_clear(&e);
    a = ap_alto_open(server_uri, &o, &e);
    if (a && nm) {
        *nm = ap_alto_netmap(a, NULL, &e);
        if (!*nm)
            fprintf(stderr, "\n  %s: %s\n", e.source, e.text);
    }
    return a;
}

