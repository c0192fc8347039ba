/* server.h - shared between the test ALTO server's parts. */
#ifndef ALTO_TEST_SERVER_H
#define ALTO_TEST_SERVER_H
#define _POSIX_C_SOURCE 200809L
#include <microhttpd.h>
#include <stddef.h>

typedef struct {
    char path[256], file[512], type[128];
    int hits;
} entry;

extern entry ents[64];
extern int nent;
extern const char *mode;
extern char base[64];
extern const char *fixture_dir;

/* A fixture with {{BASE}} replaced by the server's base URI. */
char *load(const char *file, size_t *len);
enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type, const char *body, size_t len);
/* An ALTO error answer (400, application/alto-error+json). */
enum MHD_Result alto_err(struct MHD_Connection *c, const char *code, const char *field, const char *value);
/* TIPS (tips.c): POST /tips opens a view; /tips/view/... serves it. */
struct json_t;
enum MHD_Result tips_open(struct MHD_Connection *c, struct json_t *req);
enum MHD_Result tips_view(struct MHD_Connection *c, const char *url, const char *method);
/* A POST service ("@filtered-costmap", "@endpoint-cost", "@updates"). */
enum MHD_Result service(struct MHD_Connection *c, const char *name, const char *method, const char *body,
                        size_t len);
#endif
