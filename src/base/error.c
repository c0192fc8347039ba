/* error.c - error codes, their descriptions, the first-error-wins helpers and
 * the log helpers. */
#include "base.h"
#include <stdio.h>
#include <string.h>

const char *ap_strerror(int code)
{
    switch (code) {
#define AP__XX(c, text) case c: return text;
        AP_ERRNO_MAP(AP__XX)
#undef AP__XX
    default:
        return "unknown error code";
    }
}

void ap_error_clear(ap_error *err)
{
    if (!err)
        return;
    err->code = AP_OK;
    err->source[0] = '\0';
    err->text[0] = '\0';
}

void ap__verr(ap_error *err, int code, const char *source, const char *fmt, va_list ap)
{
    if (!err || err->code != AP_OK)
        return;
    char text[sizeof err->text];
    err->code = code;
    ap__redact(source, err->source, sizeof err->source);
    vsnprintf(text, sizeof text, fmt, ap);
    ap__redact(text, err->text, sizeof err->text);
}

void ap__err(ap_error *err, int code, const char *source, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ap__verr(err, code, source, fmt, ap);
    va_end(ap);
}

void ap__vlogf(ap_log_fn log, void *ud, ap_log_level lvl, const char *fmt, va_list ap)
{
    char raw[1024], msg[1024];
    if (!log)
        return;
    vsnprintf(raw, sizeof raw, fmt, ap);
    log(ud, lvl, ap__redact(raw, msg, sizeof msg));
}

void ap__logf(ap_log_fn log, void *ud, ap_log_level lvl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ap__vlogf(log, ud, lvl, fmt, ap);
    va_end(ap);
}

void ap__log(const ap_solve_opts *o, ap_log_level lvl, const char *fmt, ...)
{
    va_list ap;
    if (!o)
        return;
    va_start(ap, fmt);
    ap__vlogf(o->log, o->log_ud, lvl, fmt, ap);
    va_end(ap);
}

const char *ap_version(void)
{
    return AP_VERSION;
}
