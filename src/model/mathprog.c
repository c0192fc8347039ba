/* mathprog.c - writes a problem as a GNU MathProg data file for
 * models/placement.mod (the textbook model, used as baseline and cross-check). */
#include "model_int.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grows a string buffer with printf; returns -1 on exhaustion. */
typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static int sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int w;
    for (;;) {
        size_t room = b->cap - b->n;
        va_start(ap, fmt);
        w = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? room : 0, fmt, ap);
        va_end(ap);
        if (w < 0)
            return -1;
        if (b->s && (size_t)w < room) {
            b->n += (size_t)w;
            return 0;
        }
        {
            size_t nc = (b->cap ? b->cap * 2 : 65536) + (size_t)w;
            char *ns = realloc(b->s, nc);
            if (!ns)
                return -1;
            b->s = ns;
            b->cap = nc;
        }
    }
}

int ap_problem_write_mathprog(const ap_problem *p, const char *path, ap_error *err)
{
    sbuf b = {NULL, 0, 0};
    size_t i, j;
    int bad = 0, rc;
    if (!p || !path) {
        ap__err(err, AP_EINVAL, path, "NULL argument");
        return -1;
    }
    bad |= sb_printf(&b, "/* altoplace problem \"%s\": %zu clients, %zu sites */\ndata;\n",
                     p->model ? p->model : "custom", p->nc, p->ns);
    bad |= sb_printf(&b, "set I :=");
    for (i = 0; i < p->nc; i++)
        bad |= sb_printf(&b, " '%s'", p->cname[i]);
    bad |= sb_printf(&b, ";\nset J :=");
    for (j = 0; j < p->ns; j++)
        bad |= sb_printf(&b, " '%s'", p->sname[j]);
    bad |= sb_printf(&b, ";\nparam k := %d;\nparam single := %d;\nparam d :=", p->k, p->single_source);
    for (i = 0; i < p->nc; i++)
        bad |= sb_printf(&b, "\n '%s' %.17g", p->cname[i], p->demand[i]);
    bad |= sb_printf(&b, ";\nparam f :=");
    for (j = 0; j < p->ns; j++)
        bad |= sb_printf(&b, "\n '%s' %.17g", p->sname[j], p->fcost[j]);
    bad |= sb_printf(&b, ";\n");
    if (p->has_cap) {
        bad |= sb_printf(&b, "param Q :=");
        for (j = 0; j < p->ns; j++)
            if (isfinite(p->cap[j]))
                bad |= sb_printf(&b, "\n '%s' %.17g", p->sname[j], p->cap[j]);
        bad |= sb_printf(&b, ";\n");
    }
    if (p->pin) {
        bad |= sb_printf(&b, "param pinned :=");
        for (j = 0; j < p->ns; j++)
            if (p->pin[j])
                bad |= sb_printf(&b, " '%s' 1", p->sname[j]);
        bad |= sb_printf(&b, ";\n");
    }
    if (p->existing) {
        bad |= sb_printf(&b, "param existing :=");
        for (j = 0; j < p->ns; j++)
            if (p->existing[j])
                bad |= sb_printf(&b, " '%s' 1", p->sname[j]);
        bad |= sb_printf(&b, ";\n");
    }
    if (p->max_changes >= 0)
        bad |= sb_printf(&b, "param maxchg := %d;\n", p->max_changes);
    bad |= sb_printf(&b, "param : A : c :=");
    for (i = 0; i < p->nc; i++)
        for (j = 0; j < p->ns; j++)
            if (isfinite(p->cost[i * p->ns + j]))
                bad |= sb_printf(&b, "\n '%s' '%s' %.17g", p->cname[i], p->sname[j],
                                 p->cost[i * p->ns + j]);
    bad |= sb_printf(&b, ";\nend;\n");
    if (bad) {
        free(b.s);
        ap__err(err, AP_ENOMEM, path, "out of memory writing MathProg data");
        return -1;
    }
    rc = ap__write_atomic(path, b.s, b.n, err);
    free(b.s);
    return rc;
}
