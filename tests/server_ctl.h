/* server_ctl.h - the test ALTO server, for the suites that talk HTTP. */
#ifndef AP_TEST_SERVER_CTL_H
#define AP_TEST_SERVER_CTL_H
#include "altoplace.h"
/* The directory URI of the running server. */
extern char server_uri[128];
/* https when tls_cert is set (client certificates required when
 * tls_client_ca is set too); the fixture folder it serves. */
extern const char *tls_cert, *tls_key, *tls_client_ca;
extern const char *server_dir;
/* Starts the server in `mode`; 0 or -1. */
int server_start(const char *mode);
void server_stop(void);
/* Starts the server of fixtures/alto-post in `mode` and opens a client
 * (no retries); with nm, also fetches the default network map. */
ap_alto *open_post(const char *mode, ap_netmap **nm);
#endif
