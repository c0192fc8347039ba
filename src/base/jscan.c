/* jscan.c - a small JSON scanner over a buffer, for documents too large for
 * a DOM (cost maps of thousands of PIDs): it validates and skips values,
 * reads strings and numbers, and reports positions as line and column. */
#include "base_json.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ap__js_init(ap__js *s, const char *buf, size_t len, const char *src)
{
    memset(s, 0, sizeof *s);
    s->b = buf;
    s->n = len;
    s->src = src;
}

/* Records a syntax error at the current position (first one wins). */
int ap__js_fail(ap__js *s, const char *what, ap_error *err)
{
    size_t i;
    int line = 1, col = 1;
    for (i = 0; i < s->p && i < s->n; i++) {
        if (s->b[i] == '\n')
            line++, col = 1;
        else
            col++;
    }
    ap__err(err, AP_ESYNTAX, s->src, "invalid JSON at line %d, column %d: %s", line, col, what);
    return -1;
}

void ap__js_ws(ap__js *s)
{
    while (s->p < s->n && (s->b[s->p] == ' ' || s->b[s->p] == '\t' || s->b[s->p] == '\n' ||
                           s->b[s->p] == '\r'))
        s->p++;
}

int ap__js_peek(ap__js *s)
{
    ap__js_ws(s);
    return s->p < s->n ? (unsigned char)s->b[s->p] : -1;
}

int ap__js_expect(ap__js *s, char c, ap_error *err)
{
    char msg[40];
    if (ap__js_peek(s) != (unsigned char)c) {
        snprintf(msg, sizeof msg, "'%c' expected", c);
        return ap__js_fail(s, s->p >= s->n ? "unexpected end of input" : msg, err);
    }
    s->p++;
    return 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Reads the four hex digits of a \u escape at the position. */
static int read_u(ap__js *s, unsigned *cp, ap_error *err)
{
    int k, h;
    *cp = 0;
    if (s->p + 4 > s->n)
        return ap__js_fail(s, "truncated \\u escape", err);
    for (k = 0; k < 4; k++) {
        if ((h = hexval(s->b[s->p + k])) < 0)
            return ap__js_fail(s, "invalid \\u escape", err);
        *cp = *cp * 16 + (unsigned)h;
    }
    s->p += 4;
    return 0;
}

/* A \u escape in a value that is only validated: any code point, and a
 * high surrogate must be followed by a low one (RFC 8259 section 7). */
static int skip_u(ap__js *s, ap_error *err)
{
    unsigned cp, lo;
    if (read_u(s, &cp, err))
        return -1;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return ap__js_fail(s, "a low surrogate without a high one", err);
    if (cp < 0xD800 || cp > 0xDBFF)
        return 0;
    if (s->p + 2 > s->n || s->b[s->p] != '\\' || s->b[s->p + 1] != 'u')
        return ap__js_fail(s, "a high surrogate without a low one", err);
    s->p += 2;
    if (read_u(s, &lo, err))
        return -1;
    if (lo < 0xDC00 || lo > 0xDFFF)
        return ap__js_fail(s, "a high surrogate without a low one", err);
    return 0;
}

/* The length of the well-formed UTF-8 sequence (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF) starting at p, at most n
 * bytes available; 0 when it is not one.  jansson rejects the same. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t len, k;
    unsigned cp;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        len = 2, cp = p[0] & 0x1Fu;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        len = 3, cp = p[0] & 0x0Fu;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        len = 4, cp = p[0] & 0x07u;
    else
        return 0;
    if (len > n)
        return 0;
    for (k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[k] & 0x3Fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

/* Reads a string into out (at most cap-1 bytes, NUL-terminated; longer
 * strings are an error).  Decodes escapes, \uXXXX included (no \u0000 or
 * surrogates in names).  With out NULL it only validates the string, of
 * any length and with any escape JSON allows. */
int ap__js_string(ap__js *s, char *out, size_t cap, ap_error *err)
{
    size_t o = 0;
    if (ap__js_expect(s, '"', err))
        return -1;
    while (s->p < s->n) {
        unsigned char c = (unsigned char)s->b[s->p++];
        unsigned cp;
        if (c == '"') {
            if (out)
                out[o] = '\0';
            return 0;
        }
        if (c < 0x20)
            return ap__js_fail(s, "control character in a string", err);
        if (c >= 0x80) {
            size_t k = utf8_len((const unsigned char *)s->b + s->p - 1, s->n - s->p + 1);
            if (!k) {
                s->p--;
                return ap__js_fail(s, "invalid UTF-8 in a string", err);
            }
            if (out && o + k >= cap)
                return ap__js_fail(s, "string too long", err);
            if (out)
                memcpy(out + o, s->b + s->p - 1, k);
            o += out ? k : 0;
            s->p += k - 1;
            continue;
        }
        if (c == '\\') {
            if (s->p >= s->n)
                break;
            c = (unsigned char)s->b[s->p++];
            switch (c) {
            case '"': case '\\': case '/': break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'u':
                if (!out) {
                    if (skip_u(s, err))
                        return -1;
                    continue;
                }
                if (read_u(s, &cp, err))
                    return -1;
                if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
                    return ap__js_fail(s, "\\u0000 or a surrogate in a name", err);
                if (o + 4 >= cap)
                    return ap__js_fail(s, "string too long", err);
                if (cp < 0x80) {
                    out[o++] = (char)cp;
                } else if (cp < 0x800) {
                    out[o++] = (char)(0xC0 | (cp >> 6));
                    out[o++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    out[o++] = (char)(0xE0 | (cp >> 12));
                    out[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    out[o++] = (char)(0x80 | (cp & 0x3F));
                }
                continue;
            default:
                return ap__js_fail(s, "invalid escape", err);
            }
        }
        if (!out)
            continue;
        if (o + 1 >= cap)
            return ap__js_fail(s, "string too long", err);
        out[o++] = (char)c;
    }
    return ap__js_fail(s, "unexpected end of input in a string", err);
}

/* Reads a number (strict JSON grammar).  Sets *is_num = 0 (and leaves the
 * position) when the value is not a number at all. */
int ap__js_number(ap__js *s, double *v, int *is_num, ap_error *err)
{
    size_t st, q;
    char tmp[128];
    int c = ap__js_peek(s);
    *is_num = 0;
    if (c != '-' && (c < '0' || c > '9'))
        return 0;
    st = q = s->p;
    if (q < s->n && s->b[q] == '-')
        q++;
    if (q < s->n && s->b[q] == '0')
        q++;
    else if (q < s->n && s->b[q] >= '1' && s->b[q] <= '9')
        while (q < s->n && s->b[q] >= '0' && s->b[q] <= '9')
            q++;
    else
        return s->p = q, ap__js_fail(s, "invalid number", err);
    if (q < s->n && s->b[q] == '.') {
        q++;
        if (q >= s->n || s->b[q] < '0' || s->b[q] > '9')
            return s->p = q, ap__js_fail(s, "invalid number", err);
        while (q < s->n && s->b[q] >= '0' && s->b[q] <= '9')
            q++;
    }
    if (q < s->n && (s->b[q] == 'e' || s->b[q] == 'E')) {
        q++;
        if (q < s->n && (s->b[q] == '+' || s->b[q] == '-'))
            q++;
        if (q >= s->n || s->b[q] < '0' || s->b[q] > '9')
            return s->p = q, ap__js_fail(s, "invalid number", err);
        while (q < s->n && s->b[q] >= '0' && s->b[q] <= '9')
            q++;
    }
    if (q - st >= sizeof tmp)
        return ap__js_fail(s, "number too long", err);
    {
        /* fast path (Clinger): at most 15 significant digits and no exponent;
         * mantissa and 10^k are exact doubles, so one division rounds
         * correctly, as strtod would */
        static const double P10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                     1e13, 1e14, 1e15};
        size_t i = st;
        int neg = 0, nd = 0, frac = 0, dot = 0, ok = 1;
        uint64_t m = 0;
        if (s->b[i] == '-') {
            neg = 1;
            i++;
        }
        for (; i < q && ok; i++) {
            char ch = s->b[i];
            if (ch == '.')
                dot = 1;
            else if (ch >= '0' && ch <= '9') {
                m = m * 10 + (uint64_t)(ch - '0');
                if (m)
                    nd++;
                frac += dot;
            } else
                ok = 0; /* exponent: strtod */
        }
        if (ok && nd <= 15 && frac <= 15) {
            double x = (double)m / P10[frac];
            *v = neg ? -x : x;
            s->p = q;
            *is_num = 1;
            return 0;
        }
    }
    memcpy(tmp, s->b + st, q - st);
    tmp[q - st] = '\0';
    *v = strtod(tmp, NULL);
    if (!isfinite(*v))
        return ap__js_fail(s, "real number overflow", err);
    s->p = q;
    *is_num = 1;
    return 0;
}

/* Validates and skips one value. */
int ap__js_skip(ap__js *s, int depth, ap_error *err)
{
    int c = ap__js_peek(s);
    double v;
    int isn;
    if (depth > 512)
        return ap__js_fail(s, "nesting too deep", err);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        s->p++;
        if (ap__js_peek(s) == close) {
            s->p++;
            return 0;
        }
        for (;;) {
            if (c == '{') {
                if (ap__js_peek(s) != '"')
                    return ap__js_fail(s, "string or '}' expected", err);
                if (ap__js_string(s, NULL, 0, err) || ap__js_expect(s, ':', err))
                    return -1;
            }
            if (ap__js_skip(s, depth + 1, err))
                return -1;
            c = ap__js_peek(s);
            if (c == ',') {
                s->p++;
                c = close == '}' ? '{' : '[';
                continue;
            }
            return ap__js_expect(s, close, err);
        }
    }
    if (c == '"')
        return ap__js_string(s, NULL, 0, err);
    if (ap__js_number(s, &v, &isn, err))
        return -1;
    if (isn)
        return 0;
    if (s->p + 4 <= s->n && (!strncmp(s->b + s->p, "true", 4) || !strncmp(s->b + s->p, "null", 4))) {
        s->p += 4;
        return 0;
    }
    if (s->p + 5 <= s->n && !strncmp(s->b + s->p, "false", 5)) {
        s->p += 5;
        return 0;
    }
    return ap__js_fail(s, s->p >= s->n ? "unexpected end of input" : "'[', '{', string, number or literal expected",
                       err);
}

/* Walks a whole document whose top level must be an object: for each key,
 * `on_key` is called with the scanner at the value; it returns 1 when it
 * consumed the value, 0 to let it be skipped (and validated), -1 on error.
 * The first occurrence of a key twice in `unique` is a syntax error.
 * Anything after the object is an error; a valid document whose top level
 * is not an object is AP_EFORMAT. */
int ap__js_document(ap__js *js, const char *const *unique,
                    int (*on_key)(ap__js *js, const char *key, void *ud, ap_error *err),
                    void *ud, ap_error *err)
{
    char key[256], seen[8] = {0};
    size_t u;
    if (ap__js_peek(js) != '{') {
        if (ap__js_peek(js) < 0)
            return ap__js_fail(js, "'[' or '{' expected near end of file", err);
        if (ap__js_skip(js, 0, err))
            return -1;
        if (ap__js_peek(js) >= 0)
            return ap__js_fail(js, "end of file expected", err);
        ap__err(err, AP_EFORMAT, js->src, "top level is not a JSON object");
        return -1;
    }
    js->p++;
    if (ap__js_peek(js) == '}') {
        js->p++;
    } else {
        for (;;) {
            int r;
            if (ap__js_peek(js) != '"')
                return ap__js_fail(js, "string or '}' expected", err);
            if (ap__js_string(js, key, sizeof key, err) || ap__js_expect(js, ':', err))
                return -1;
            ap__js_ws(js);
            for (u = 0; unique && unique[u] && u < sizeof seen; u++)
                if (!strcmp(key, unique[u])) {
                    if (seen[u]) {
                        char what[160];
                        snprintf(what, sizeof what, "duplicate object key %.80s", key);
                        return ap__js_fail(js, what, err);
                    }
                    seen[u] = 1;
                }
            r = on_key(js, key, ud, err);
            if (r < 0 || (r == 0 && ap__js_skip(js, 0, err)))
                return -1;
            if (ap__js_peek(js) == ',') {
                js->p++;
                continue;
            }
            if (ap__js_expect(js, '}', err))
                return -1;
            break;
        }
    }
    if (ap__js_peek(js) >= 0)
        return ap__js_fail(js, "end of file expected", err);
    return 0;
}

int ap__js_note(ap__js *js, const char *key, const char *body, ap__js_parts *pt, ap_error *err)
{
    size_t at = js->p;
    int is_meta = !strcmp(key, "meta");
    if (!is_meta && strcmp(key, body))
        return 0;
    if (ap__js_skip(js, 0, err))
        return -1;
    if (is_meta) {
        pt->have_meta = 1;
        pt->meta_at = at;
        pt->meta_end = js->p;
    } else {
        pt->have_body = 1;
        pt->body_at = at;
        pt->body_is_obj = js->b[at] == '{';
    }
    return 1;
}
