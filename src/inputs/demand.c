/* demand.c - request origins to demand per PID: access logs (Common / Combined
 * Log Format), CSV and JSON lines, plain or gzip, mapped to PIDs by
 * longest-prefix match, counted per time bucket, with a forecast of the next
 * bucket and a backtest of that forecast. */
#include "inputs_int.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Times are Unix seconds: later than year 5138 is a broken timestamp.  At
 * most this many buckets, and buckets x PIDs with demand. */
#define MAX_TIME 1e11
#define MAX_BUCKETS 1000000
#define MAX_CELLS 16e6

#define SAMPLE_MAX 10

typedef struct {
    double req, bytes;
} counter;

typedef struct {
    long line;
    char text[160];
} sample;

struct ap_demand {
    const ap_netmap *nm;
    ap_demand_opts o;
    int fmt;                 /* resolved format */
    int csv_time, csv_addr, csv_bytes, csv_object, csv_ncols;
    char field[4][64];       /* CSV column / JSON key of time, addr, bytes, object */
    int mapped[4];           /* field given by opts.map (not the default) */
    long lines, bad, unmatched, out_of_order, empty;
    sample bad_sample[SAMPLE_MAX];
    int nbad_sample;
    char unmatched_sample[SAMPLE_MAX][64];
    int nunmatched_sample;
    double t0, tlast, tmax;  /* first timestamp, previous one, latest */
    int have_t0;
    size_t nbuckets;         /* buckets in use */
    counter **cnt;           /* per PID: cap_buckets counters, NULL until used */
    size_t cap_buckets;
    counter *total;          /* npid */
    char *source;
    json_t *objects;         /* with opts.objects: {PID: {object: [requests, bytes]}} */
    sample ooo_sample[SAMPLE_MAX];  /* first out-of-order timestamps (line numbers) */
    int nooo_sample;
};

enum { FMT_AUTO, FMT_CLF, FMT_CSV, FMT_JSONL };

void ap_demand_opts_init(ap_demand_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = "auto";
    o->bucket = 3600;
    o->max_bad = 0.01;
    o->max_unmatched = 0.9;
}

void ap_demand_free(ap_demand *d)
{
    if (!d)
        return;
    size_t p;
    for (p = 0; d->cnt && d->nm && p < d->nm->n; p++)
        free(d->cnt[p]);
    free(d->cnt);
    json_decref(d->objects);
    free(d->total);
    free(d->source);
    free(d);
}

/* ---------------------------------------------------------------- parsing */

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long days_from_civil(long y, int m, int d)
{
    long era;
    unsigned yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static int month_of(const char *s)
{
    static const char *m = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int i;
    for (i = 0; i < 12; i++)
        if (s[0] == m[3 * i] && s[1] == m[3 * i + 1] && s[2] == m[3 * i + 2])
            return i + 1;
    return 0;
}

static int num(const char *s, int n, long *v)
{
    long x = 0;
    int i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 0;
}

/* "17/May/2015:10:05:03 +0000" -> Unix seconds; -1 if malformed. */
static int parse_clf_time(const char *s, double *t)
{
    long d, y, H, M, S, zh, zm;
    int mon;
    if (strlen(s) < 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' ||
        s[20] != ' ' || (s[21] != '+' && s[21] != '-'))
        return -1;
    mon = month_of(s + 3);
    if (!mon || num(s, 2, &d) || num(s + 7, 4, &y) || num(s + 12, 2, &H) || num(s + 15, 2, &M) ||
        num(s + 18, 2, &S) || num(s + 22, 2, &zh) || num(s + 24, 2, &zm))
        return -1;
    if (d < 1 || d > 31 || H > 23 || M > 59 || S > 60)
        return -1;
    *t = (double)days_from_civil(y, mon, (int)d) * 86400 + H * 3600 + M * 60 + S -
         (s[21] == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
    return 0;
}

/* ISO 8601 "2015-05-17T10:05:03Z" / "+02:00", or a Unix number. */
static int parse_any_time(const char *s, double *t)
{
    char *end;
    long y, mo, d, H = 0, M = 0, S = 0;
    double v = strtod(s, &end);
    if (end != s && (*end == '\0' || isspace((unsigned char)*end)) && isfinite(v)) {
        *t = v;
        return 0;
    }
    if (strlen(s) >= 10 && s[4] == '-' && s[7] == '-' && !num(s, 4, &y) && !num(s + 5, 2, &mo) &&
        !num(s + 8, 2, &d) && mo >= 1 && mo <= 12) {
        const char *r = s + 10;
        if ((*r == 'T' || *r == ' ') && strlen(r) >= 9 && !num(r + 1, 2, &H) && !num(r + 4, 2, &M) &&
            !num(r + 7, 2, &S))
            r += 9;
        *t = (double)days_from_civil(y, (int)mo, (int)d) * 86400 + H * 3600 + M * 60 + S;
        while (*r == '.' || isdigit((unsigned char)*r))
            r++;
        if ((*r == '+' || *r == '-') && strlen(r) >= 6) {
            long zh, zm;
            if (!num(r + 1, 2, &zh) && !num(r + 4, 2, &zm))
                *t -= (*r == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
        }
        return 0;
    }
    return -1;
}

static void note_bad(ap_demand *d, const char *line, size_t n)
{
    d->bad++;
    if (d->nbad_sample < SAMPLE_MAX) {
        sample *s = &d->bad_sample[d->nbad_sample++];
        size_t k, m = n < sizeof s->text - 1 ? n : sizeof s->text - 1;
        s->line = d->lines;
        for (k = 0; k < m; k++)
            s->text[k] = isprint((unsigned char)line[k]) ? line[k] : '?';
        s->text[m] = '\0';
    }
}

static void note_unmatched(ap_demand *d, const char *what)
{
    d->unmatched++;
    if (d->nunmatched_sample < SAMPLE_MAX) {
        int k, dup = 0;
        for (k = 0; k < d->nunmatched_sample; k++)
            dup |= !strcmp(d->unmatched_sample[k], what);
        if (!dup)
            snprintf(d->unmatched_sample[d->nunmatched_sample++], 64, "%s", what);
    }
}

/* Counts `req` requests and `bytes` bytes for PID index pid at time t
 * (NaN: no time, first bucket).  Returns 0, -1 for an absurd timestamp, -2
 * when out of memory. */
static int add_pid(ap_demand *d, size_t pid, double t, double req, double bytes)
{
    size_t b = 0, np = d->nm->n;
    if (!isnan(t)) {
        if (!(t >= 0 && t < MAX_TIME))
            return -1; /* not a time of this world: a broken timestamp */
        if (!d->have_t0) {
            d->t0 = d->o.bucket > 0 ? floor(t / d->o.bucket) * d->o.bucket : t;
            d->have_t0 = 1;
            d->tmax = t;
        } else if (t < d->tlast) {
            d->out_of_order++;
            if (d->nooo_sample < SAMPLE_MAX) {
                sample *s = &d->ooo_sample[d->nooo_sample++];
                s->line = d->lines;
                snprintf(s->text, sizeof s->text, "%.0f s before the previous line", d->tlast - t);
            }
        }
        d->tlast = t;
        if (t > d->tmax)
            d->tmax = t;
        if (d->o.bucket > 0 && t >= d->t0) {
            double q = (t - d->t0) / d->o.bucket;
            if (!(q < MAX_BUCKETS))
                return -1;
            b = (size_t)q;
        }
    }
    if (b >= d->cap_buckets) {
        /* more buckets: grow every series in use (memory is PIDs with
         * demand x buckets, whatever the length of the log) */
        size_t nc = d->cap_buckets ? d->cap_buckets : 64, p;
        size_t used = 0;
        while (nc <= b)
            nc *= 2;
        for (p = 0; p < np; p++)
            used += d->cnt[p] != NULL;
        /* buckets x PIDs in use are capped (16 bytes each): a few lines with
         * times far apart must not take gigabytes */
        if (nc > 2 * (size_t)MAX_BUCKETS || (double)nc * (double)(used + 1) > MAX_CELLS)
            return -1;
        for (p = 0; p < np; p++) {
            counter *n;
            if (!d->cnt[p])
                continue;
            n = realloc(d->cnt[p], nc * sizeof *n);
            if (!n)
                return -2;
            memset(n + d->cap_buckets, 0, (nc - d->cap_buckets) * sizeof *n);
            d->cnt[p] = n;
        }
        d->cap_buckets = nc;
    }
    if (!d->cnt[pid] && !(d->cnt[pid] = calloc(d->cap_buckets, sizeof **d->cnt)))
        return -2;
    if (b + 1 > d->nbuckets)
        d->nbuckets = b + 1;
    d->cnt[pid][b].req += req;
    d->cnt[pid][b].bytes += bytes;
    d->total[pid].req += req;
    d->total[pid].bytes += bytes;
    return 0;
}

/* Counts a request for `object` at PID index pid (opts.objects only). */
static int add_object(ap_demand *d, size_t pid, const char *object, double bytes)
{
    json_t *per, *c;
    if (!d->objects && !(d->objects = json_object()))
        return -2;
    per = json_object_get(d->objects, d->nm->pid[pid]);
    if (!per && (!(per = json_object()) || json_object_set_new(d->objects, d->nm->pid[pid], per)))
        return -2;
    c = json_object_get(per, object);
    if (!c) {
        if (json_object_size(per) >= 100000) /* bound the memory: fold the rest */
            object = "(other)";
        c = json_object_get(per, object);
        if (!c && (!(c = json_pack("[f,f]", 0.0, 0.0)) || json_object_set_new(per, object, c)))
            return -2;
    }
    json_array_set_new(c, 0, json_real(json_number_value(json_array_get(c, 0)) + 1));
    json_array_set_new(c, 1, json_real(json_number_value(json_array_get(c, 1)) + bytes));
    return 0;
}

/* Counts one request from the client address `addr` (object may be NULL). */
static int add(ap_demand *d, const char *addr, double t, double bytes, const char *object)
{
    long pid = ap_netmap_lookup(d->nm, addr, NULL);
    int rc;
    if (pid == -2)
        return -1;
    if (pid < 0) {
        note_unmatched(d, addr);
        return 0;
    }
    rc = add_pid(d, (size_t)pid, t, 1, bytes);
    if (rc == 0 && d->o.objects && object && *object)
        rc = add_object(d, (size_t)pid, object, bytes);
    return rc;
}

/* host ident user [time] "request" status bytes ["referer" "agent"] */
static int parse_clf(ap_demand *d, char *s)
{
    char *host = s, *sp, *lb, *rb, *q, *st, *by;
    double t, bytes = 0;
    sp = strchr(s, ' ');
    if (!sp)
        return -1;
    *sp = '\0';
    lb = strchr(sp + 1, '[');
    if (!lb)
        return -1;
    rb = strchr(lb, ']');
    if (!rb)
        return -1;
    *rb = '\0';
    if (parse_clf_time(lb + 1, &t))
        return -1;
    q = strchr(rb + 1, '"');
    if (!q)
        return -1;
    q = strchr(q + 1, '"');
    if (!q)
        return -1;
    st = q + 1;
    while (*st == ' ')
        st++;
    if (!isdigit((unsigned char)*st))
        return -1;
    by = strchr(st, ' ');
    if (!by)
        return -1;
    by++;
    if (*by != '-') {
        char *end;
        bytes = strtod(by, &end);
        if (end == by || bytes < 0)
            return -1;
    }
    {
        /* object: the path of "METHOD PATH PROTOCOL" */
        char *obj = NULL, *req = strchr(rb + 1, '"');
        if (d->o.objects && req) {
            char *sp1 = strchr(req + 1, ' ');
            if (sp1 && sp1 < q) {
                char *sp2 = sp1 + 1;
                while (sp2 < q && *sp2 != ' ')
                    sp2++;
                *sp2 = '\0';
                obj = sp1 + 1;
            }
        }
        return add(d, host, t, bytes, obj);
    }
}

/* Splits a CSV line (quotes allowed) in place; returns the field count. */
static int csv_split(char *s, char **f, int max)
{
    int n = 0;
    while (n < max) {
        char *w;
        if (*s == '"') {
            w = f[n++] = ++s;
            while (*s && !(*s == '"' && s[1] != '"')) {
                if (*s == '"')
                    s++;
                *w++ = *s++;
            }
            if (*s == '"')
                s++;
            *w = '\0';
            if (*s == ',')
                s++;
            else
                break;
        } else {
            f[n++] = s;
            s = strchr(s, ',');
            if (!s)
                break;
            *s++ = '\0';
        }
    }
    return n;
}

static int parse_csv(ap_demand *d, char *s)
{
    char *f[64];
    int n = csv_split(s, f, 64);
    double t = NAN, bytes = 0;
    if (n <= d->csv_addr || (d->csv_time >= 0 && n <= d->csv_time) ||
        (d->csv_bytes >= 0 && n <= d->csv_bytes))
        return -1;
    if (d->csv_time >= 0 && parse_any_time(f[d->csv_time], &t))
        return -1;
    if (d->csv_bytes >= 0) {
        char *end;
        bytes = strtod(f[d->csv_bytes], &end);
        if (end == f[d->csv_bytes] || !isfinite(bytes) || bytes < 0)
            return -1;
    }
    return add(d, f[d->csv_addr], t, bytes, d->csv_object >= 0 && d->csv_object < n ? f[d->csv_object] : NULL);
}

/* Fields of a CSV/JSON mapping "time=ts,addr=client,bytes=size". */
static const char *map_field(const char *map, const char *key, char *out, size_t n)
{
    const char *p = map;
    size_t kl = strlen(key);
    while (p && *p) {
        const char *e = strchr(p, ','), *eq = strchr(p, '=');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (eq && eq < p + len && (size_t)(eq - p) == kl && !strncmp(p, key, kl)) {
            size_t vl = len - kl - 1;
            if (vl >= n)
                vl = n - 1;
            memcpy(out, eq + 1, vl);
            out[vl] = '\0';
            return out;
        }
        p = e ? e + 1 : NULL;
    }
    return NULL;
}

enum { F_TIME, F_ADDR, F_BYTES, F_OBJECT };

static int parse_jsonl(ap_demand *d, const char *s, size_t len)
{
    json_t *j;
    json_error_t je;
    const char *addr;
    double t = NAN, bytes = 0;
    json_t *v;
    int rc, oom;
    j = ap__json_loadb(s, len, 0, &je, &oom);
    if (oom)
        return -2; /* out of memory, not a bad line */
    if (!json_is_object(j)) {
        json_decref(j);
        return -1;
    }
    addr = json_string_value(json_object_get(j, d->field[F_ADDR]));
    v = json_object_get(j, d->field[F_TIME]);
    if (json_is_number(v))
        t = json_number_value(v);
    else if (json_is_string(v) && parse_any_time(json_string_value(v), &t)) {
        json_decref(j);
        return -1;
    }
    v = json_object_get(j, d->field[F_BYTES]);
    if (json_is_number(v))
        bytes = json_number_value(v);
    if (!addr || bytes < 0 || !isfinite(bytes)) {
        json_decref(j);
        return -1;
    }
    rc = add(d, addr, t, bytes, json_string_value(json_object_get(j, d->field[F_OBJECT])));
    json_decref(j);
    return rc;
}

/* Reads the CSV header and resolves the column mapping. */
static int csv_header(ap_demand *d, char *line, ap_error *err)
{
    static const char *const keys[4] = {"time", "addr", "bytes", "object"};
    char *f[64];
    int n = csv_split(line, f, 64), i;
    int *cols[4] = {&d->csv_time, &d->csv_addr, &d->csv_bytes, &d->csv_object};
    int k;
    for (k = 0; k < 4; k++) {
        *cols[k] = -1;
        for (i = 0; i < n; i++)
            if (!strcmp(f[i], d->field[k]))
                *cols[k] = i;
        if (*cols[k] < 0 && d->mapped[k]) {
            ap__err(err, AP_EFORMAT, d->source, "line 1: the CSV header has no column \"%s\" "
                    "(mapping %s=%s)", d->field[k], keys[k], d->field[k]);
            return -1;
        }
    }
    if (d->csv_addr < 0) {
        ap__err(err, AP_EFORMAT, d->source, "line 1: the CSV header has no client address column "
                "(name it addr, or map it with addr=COLUMN)");
        return -1;
    }
    d->csv_ncols = n;
    return 0;
}

static int detect_format(const char *line)
{
    const char *s = line;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '{')
        return FMT_JSONL;
    if (strchr(s, '[') && strchr(s, '"'))
        return FMT_CLF;
    if (strchr(s, ','))
        return FMT_CSV;
    return FMT_CLF;
}

/* Reads one input (path, "-" for stdin; gzip is detected by content). */
static int read_one(ap_demand *d, const char *path, ap_error *err)
{
    ap__lines *lr = ap__lines_open(path, (size_t)64 << 20, err);
    char *line;
    long got;
    int first = 1, rc = -1;

    if (!lr)
        return -1;
    while ((got = ap__lines_next(lr, &line, err)) >= 0) {
        size_t n = (size_t)got;
        int r;
        d->lines++;
        if (n == 0) {
            d->empty++;
            continue;
        }
        if (memchr(line, '\0', n) || strlen(line) != n) {
            note_bad(d, line, n);
            continue;
        }
        if (first) {
            first = 0;
            if (d->fmt == FMT_AUTO)
                d->fmt = detect_format(line);
            if (d->fmt == FMT_CSV) {
                if (csv_header(d, line, err))
                    goto done;
                continue;
            }
        }
        {
            char copy[200];
            memcpy(copy, line, n < sizeof copy ? n : sizeof copy);
            r = d->fmt == FMT_JSONL ? parse_jsonl(d, line, n)
                : d->fmt == FMT_CSV ? parse_csv(d, line) : parse_clf(d, line);
            if (r == -2) {
                ap__err(err, AP_ENOMEM, path, "out of memory");
                goto done;
            }
            if (r < 0)
                note_bad(d, copy, n < sizeof copy ? n : sizeof copy);
        }
    }
    if (got == -2)
        goto done;
    rc = 0;
done:
    ap__lines_close(lr);
    return rc;
}

/* A new, empty demand table for nm with the options checked, and the field
 * names of opts.map resolved once. */
static ap_demand *demand_new(const ap_netmap *nm, const ap_demand_opts *o, const char *source,
                             ap_error *err)
{
    static const char *const keys[4] = {"time", "addr", "bytes", "object"};
    ap_demand *d;
    int k;
    if (!(o->bucket >= 0) || !isfinite(o->bucket) || !(o->max_bad >= 0 && o->max_bad <= 1) ||
        !(o->max_unmatched >= 0 && o->max_unmatched <= 1)) {
        ap__err(err, AP_EINVAL, NULL, "bucket must be >= 0 seconds, max_bad and max_unmatched in [0, 1]");
        return NULL;
    }
    d = calloc(1, sizeof *d);
    if (d)
        d->nm = nm;
    if (!d || !(d->total = calloc(nm->n ? nm->n : 1, sizeof *d->total)) ||
        !(d->cnt = calloc(nm->n ? nm->n : 1, sizeof *d->cnt)) || !(d->source = ap__strdup(source))) {
        ap__err(err, AP_ENOMEM, source, "out of memory");
        ap_demand_free(d);
        return NULL;
    }
    d->o = *o;
    for (k = 0; k < 4; k++) {
        d->mapped[k] = o->map && map_field(o->map, keys[k], d->field[k], sizeof d->field[k]);
        if (!d->mapped[k])
            snprintf(d->field[k], sizeof d->field[k], "%s", keys[k]);
    }
    return d;
}

/* Requests counted at all, and not mostly from outside the network map. */
static int check_matched(const ap_demand *d, const char *src, ap_error *err)
{
    double req = (double)(d->lines - d->empty - d->bad);
    if (req <= 0) {
        ap__err(err, AP_EFORMAT, src, "no request in the input (%ld lines, %ld empty, %ld bad)", d->lines, d->empty,
                d->bad);
        return -1;
    }
    if ((double)d->unmatched / req > d->o.max_unmatched) {
        ap__err(err, AP_EFORMAT, src, "%ld of %.0f requests (%.1f%%) come from addresses in no PID of network map %s, "
                "more than the %.0f%% allowed: the wrong network map? (first: %s)", d->unmatched, req,
                100.0 * (double)d->unmatched / req, d->nm->resource_id, 100.0 * d->o.max_unmatched,
                d->nunmatched_sample ? d->unmatched_sample[0] : "?");
        return -1;
    }
    return 0;
}

ap_demand *ap_demand_read(const ap_netmap *nm, const char *const *paths, size_t npaths,
                          const ap_demand_opts *o, ap_error *err)
{
    ap_demand *d;
    ap_demand_opts def;
    size_t i;
    double nonempty;
    if (!nm || !paths || npaths == 0) {
        ap__err(err, AP_EINVAL, NULL, "ap_demand_read: a network map and at least one input are needed");
        return NULL;
    }
    if (!o) {
        ap_demand_opts_init(&def);
        o = &def;
    }
    if (!(d = demand_new(nm, o, paths[0], err)))
        return NULL;
    d->fmt = !o->format || !strcmp(o->format, "auto") ? FMT_AUTO
             : !strcmp(o->format, "clf") || !strcmp(o->format, "combined") ? FMT_CLF
             : !strcmp(o->format, "csv") ? FMT_CSV : !strcmp(o->format, "jsonl") ? FMT_JSONL : -1;
    if (d->fmt < 0) {
        ap__err(err, AP_EINVAL, NULL, "format \"%s\" is not auto, clf, csv or jsonl", o->format);
        ap_demand_free(d);
        return NULL;
    }
    for (i = 0; i < npaths; i++) {
        if (!o->format || !strcmp(o->format, "auto"))
            d->fmt = FMT_AUTO; /* each input is detected on its own */
        if (read_one(d, paths[i], err)) {
            ap_demand_free(d);
            return NULL;
        }
    }
    nonempty = (double)(d->lines - d->empty);
    if (nonempty > 0 && (double)d->bad / nonempty > o->max_bad) {
        if (d->nbad_sample > 0)
            ap__err(err, AP_EFORMAT, paths[0], "%ld of %.0f lines (%.1f%%) could not be parsed, more than "
                    "the %.1f%% allowed; first at line %ld: \"%.80s\"", d->bad, nonempty,
                    100.0 * (double)d->bad / nonempty, 100.0 * o->max_bad, d->bad_sample[0].line,
                    d->bad_sample[0].text);
        else
            ap__err(err, AP_EFORMAT, paths[0], "too many bad lines");
        ap_demand_free(d);
        return NULL;
    }
    if (check_matched(d, paths[0], err)) {
        ap_demand_free(d);
        return NULL;
    }
    return d;
}

long ap_demand_lines(const ap_demand *d) { return d ? d->lines : 0; }
long ap_demand_bad_lines(const ap_demand *d) { return d ? d->bad : 0; }
long ap_demand_unmatched(const ap_demand *d) { return d ? d->unmatched : 0; }
size_t ap_demand_buckets(const ap_demand *d) { return d ? d->nbuckets : 0; }

double ap_demand_total(const ap_demand *d, size_t pid, int bytes)
{
    if (!d || pid >= d->nm->n)
        return NAN;
    return bytes ? d->total[pid].bytes : d->total[pid].req;
}

double ap_demand_at(const ap_demand *d, size_t pid, size_t bucket, int bytes)
{
    const counter *c;
    if (!d || pid >= d->nm->n || bucket >= d->nbuckets)
        return NAN;
    if (!d->cnt[pid])
        return 0;
    c = &d->cnt[pid][bucket];
    return bytes ? c->bytes : c->req;
}

/* --------------------------------------------------------------- forecast */

/* Holt's linear method (level + trend), and additive Holt-Winters when the
 * series holds at least two seasons.  Returns the one-step-ahead forecasts
 * f[t] for t = 1..n (f[n] is the forecast of the next bucket), and in
 * ahead[h-1] the forecast h buckets past the data (h = 1..nahead). */
static void holt_winters_ahead(const double *y, size_t n, size_t season, double a, double b, double g,
                               double *f, double *ahead, size_t nahead)
{
    double level = y[0], trend = 0, s[1024] = {0};
    size_t t;
    int seasonal = season > 1 && season <= 1024 && n >= 2 * season;
    if (seasonal) {
        double m = 0;
        for (t = 0; t < season; t++)
            m += y[t];
        m /= (double)season;
        for (t = 0; t < season; t++)
            s[t] = y[t] - m;
        level = m;
    }
    f[0] = y[0];
    for (t = 0; t < n; t++) {
        double st = seasonal ? s[t % season] : 0, prev = level;
        f[t] = level + trend + st;
        if (f[t] < 0)
            f[t] = 0;
        level = a * (y[t] - st) + (1 - a) * (level + trend);
        trend = b * (level - prev) + (1 - b) * trend;
        if (seasonal)
            s[t % season] = g * (y[t] - level) + (1 - g) * st;
    }
    f[n] = level + trend + (seasonal ? s[n % season] : 0);
    if (f[n] < 0)
        f[n] = 0;
    for (t = 0; t < nahead; t++) {
        ahead[t] = level + (double)(t + 1) * trend + (seasonal ? s[(n + t) % season] : 0);
        if (ahead[t] < 0)
            ahead[t] = 0;
    }
}

static void holt_winters(const double *y, size_t n, size_t season, double a, double b, double g, double *f)
{
    holt_winters_ahead(y, n, season, a, b, g, f, NULL, 0);
}

int ap_demand_forecast(const ap_demand *d, int bytes, size_t season, double *next,
                       ap_backtest *bt, ap_error *err)
{
    return ap_demand_forecast_ahead(d, bytes, season, 1, next, bt, err);
}

int ap_demand_forecast_ahead(const ap_demand *d, int bytes, size_t season, size_t horizon, double *out,
                             ap_backtest *bt, ap_error *err)
{
    static const double A[] = {0.1, 0.3, 0.5, 0.8}, B[] = {0, 0.05, 0.2}, G[] = {0.1, 0.3};
    size_t np, n, p, t, ia, ib, ig;
    double *y, *f, *tot, *ftot;
    double ba = 0.3, bb = 0.05, bg = 0.1, best = INFINITY;
    double *ahead;
    if (!d || !out || horizon < 1 || horizon > 100000) {
        ap__err(err, AP_EINVAL, NULL, "ap_demand_forecast: NULL argument or a horizon not in 1..100000");
        return -1;
    }
    np = d->nm->n;
    n = d->nbuckets;
    if (n < 4) {
        ap__err(err, AP_EINVAL, d->source, "a forecast needs at least 4 time buckets, the data has %zu", n);
        return -1;
    }
    y = malloc(n * sizeof *y);
    f = malloc((n + 1) * sizeof *f);
    tot = calloc(n, sizeof *tot);
    ftot = calloc(n + 1, sizeof *ftot);
    ahead = malloc(horizon * sizeof *ahead);
    if (!y || !f || !tot || !ftot || !ahead) {
        free(y), free(f), free(tot), free(ftot), free(ahead);
        ap__err(err, AP_ENOMEM, NULL, "out of memory");
        return -1;
    }
    /* pick the smoothing constants on the total series (in-sample one-step error) */
    for (t = 0; t < n; t++)
        for (p = 0; p < np; p++)
            tot[t] += ap_demand_at(d, p, t, bytes);
    for (ia = 0; ia < 4; ia++)
        for (ib = 0; ib < 3; ib++)
            for (ig = 0; ig < 2; ig++) {
                double e = 0;
                holt_winters(tot, n, season, A[ia], B[ib], G[ig], f);
                for (t = n / 2; t < n; t++)
                    e += fabs(f[t] - tot[t]);
                if (e < best)
                    best = e, ba = A[ia], bb = B[ib], bg = G[ig];
            }
    /* per PID forecasts of the next bucket; backtest on the second half */
    if (bt)
        memset(bt, 0, sizeof *bt);
    for (p = 0; p < np; p++) {
        for (t = 0; t < n; t++)
            y[t] = ap_demand_at(d, p, t, bytes);
        holt_winters_ahead(y, n, season, ba, bb, bg, f, ahead, horizon);
        for (t = 0; t < horizon; t++)
            out[t * np + p] = ahead[t];
        for (t = 0; t <= n; t++)
            ftot[t] += f[t];
    }
    if (bt) {
        double em = 0, en = 0, sm = 0, cnt = 0;
        for (t = n / 2; t < n; t++) {
            em += fabs(ftot[t] - tot[t]);
            en += fabs(tot[t - 1] - tot[t]);
            if (tot[t] > 0)
                sm += fabs(ftot[t] - tot[t]) / tot[t], cnt++;
        }
        bt->mae_model = em / (double)(n - n / 2);
        bt->mae_naive = en / (double)(n - n / 2);
        bt->mase = bt->mae_naive > 0 ? bt->mae_model / bt->mae_naive : NAN;
        bt->mape = cnt > 0 ? 100 * sm / cnt : NAN;
        bt->alpha = ba, bt->beta = bb, bt->gamma = bg;
        bt->points = n - n / 2;
    }
    free(y), free(f), free(tot), free(ftot), free(ahead);
    return 0;
}

/* ---------------------------------------------------------------- output */

static json_t *report_json(const ap_demand *d, int bytes, const double *next)
{
    json_t *o = json_object(), *meta = json_object(), *dem = json_object(), *pids = json_object(),
           *bad = json_object(), *bs = json_array(), *um = json_object(), *us = json_array();
    size_t p, b;
    int k;
    json_object_set_new(meta, "source", json_string(d->source));
    json_object_set_new(meta, "network-map", json_string(d->nm->resource_id));
    json_object_set_new(meta, "network-map-tag", json_string(d->nm->vtag));
    json_object_set_new(meta, "weight", json_string(bytes ? "bytes" : "requests"));
    json_object_set_new(meta, "lines", json_integer(d->lines));
    json_object_set_new(meta, "bucket-seconds", json_real(d->o.bucket));
    if (d->have_t0) {
        json_object_set_new(meta, "first-bucket-start", json_real(d->t0));
        json_object_set_new(meta, "last-request", json_real(d->tmax));
    }
    json_object_set_new(meta, "buckets", json_integer((json_int_t)d->nbuckets));
    if (next)
        json_object_set_new(meta, "forecast", json_string("next bucket, Holt-Winters"));
    json_object_set_new(o, "meta", meta);
    for (p = 0; p < d->nm->n; p++) {
        json_t *e, *series;
        double w = next ? next[p] : (bytes ? d->total[p].bytes : d->total[p].req);
        if (d->total[p].req == 0 && !(next && next[p] > 0))
            continue;
        if (w > 0)
            json_object_set_new(dem, d->nm->pid[p], json_real(w));
        e = json_object();
        json_object_set_new(e, "requests", json_real(d->total[p].req));
        json_object_set_new(e, "bytes", json_real(d->total[p].bytes));
        series = json_array();
        for (b = 0; b < d->nbuckets; b++)
            json_array_append_new(series, json_real(ap_demand_at(d, p, b, bytes)));
        json_object_set_new(e, "series", series);
        if (next)
            json_object_set_new(e, "forecast", json_real(next[p]));
        json_object_set_new(pids, d->nm->pid[p], e);
    }
    json_object_set_new(o, "demand", dem);
    json_object_set_new(o, "pids", pids);
    json_object_set_new(bad, "count", json_integer(d->bad));
    for (k = 0; k < d->nbad_sample; k++) {
        json_t *e = json_object();
        json_object_set_new(e, "line", json_integer(d->bad_sample[k].line));
        json_object_set_new(e, "text", json_string(d->bad_sample[k].text));
        json_array_append_new(bs, e);
    }
    json_object_set_new(bad, "sample", bs);
    json_object_set_new(o, "bad-lines", bad);
    json_object_set_new(um, "count", json_integer(d->unmatched));
    for (k = 0; k < d->nunmatched_sample; k++)
        json_array_append_new(us, json_string(d->unmatched_sample[k]));
    json_object_set_new(um, "sample", us);
    json_object_set_new(o, "unmatched-addresses", um);
    {
        json_t *oo = json_object(), *os = json_array();
        json_object_set_new(oo, "count", json_integer(d->out_of_order));
        for (k = 0; k < d->nooo_sample; k++) {
            json_t *e = json_object();
            json_object_set_new(e, "line", json_integer(d->ooo_sample[k].line));
            json_object_set_new(e, "text", json_string(d->ooo_sample[k].text));
            json_array_append_new(os, e);
        }
        json_object_set_new(oo, "sample", os);
        json_object_set_new(o, "out-of-order-timestamps", oo);
    }
    if (d->objects)
        json_object_set(o, "objects", d->objects); /* {PID: {object: [requests, bytes]}} */
    return o;
}

int ap_demand_write_json(const ap_demand *d, int bytes, const double *next, const char *path,
                         ap_error *err)
{
    json_t *j;
    int rc;
    if (!d || !path) {
        ap__err(err, AP_EINVAL, path, "NULL argument");
        return -1;
    }
    j = report_json(d, bytes, next);
    if (!j) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        return -1;
    }
    rc = ap__json_write(path, j, err);
    json_decref(j);
    return rc;
}

int ap_demand_write_csv(const ap_demand *d, const char *path, ap_error *err)
{
    size_t p, b, cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    int rc;
    if (!d || !path || !s) {
        free(s);
        ap__err(err, s ? AP_EINVAL : AP_ENOMEM, path, "cannot write CSV");
        return -1;
    }
    n += (size_t)snprintf(s, cap, "pid,bucket_start,requests,bytes\n");
    for (p = 0; p < d->nm->n; p++) {
        if (d->total[p].req == 0)
            continue;
        for (b = 0; b < d->nbuckets; b++) {
            const counter *c = &d->cnt[p][b];
            int w;
            if (n + 256 > cap) {
                char *ns = realloc(s, cap * 2);
                if (!ns) {
                    free(s);
                    ap__err(err, AP_ENOMEM, path, "out of memory");
                    return -1;
                }
                s = ns;
                cap *= 2;
            }
            w = snprintf(s + n, cap - n, "%s,%.0f,%.0f,%.0f\n", d->nm->pid[p],
                         d->t0 + (double)b * d->o.bucket, c->req, c->bytes);
            n += (size_t)w;
        }
    }
    rc = ap__write_atomic(path, s, n, err);
    free(s);
    return rc;
}

/* ------------------------------------------------------------------ flows */

ap_demand *ap_demand_read_flows(const ap_netmap *nm, const char *flows, const char *sites,
                                const ap_demand_opts *opts, ap_error *err)
{
    ap_demand_opts def;
    ap_demand *d = NULL;
    json_t *fl = NULL, *map = NULL, *e;
    size_t i;
    double tmin = INFINITY;

    if (!nm || !flows || !sites) {
        ap__err(err, AP_EINVAL, NULL, "ap_demand_read_flows: network map, flows and site mapping are needed");
        return NULL;
    }
    if (!opts) {
        ap_demand_opts_init(&def);
        opts = &def;
    }
    if (!(map = ap__json_load_object(sites, err)) || !(fl = ap__json_load(flows, err)))
        goto fail;
    if (!json_is_array(fl)) {
        ap__err(err, AP_EFORMAT, flows, "expected an array of [src_site, dst_site, start, end, bytes]");
        goto fail;
    }
    {
        const char *k;
        json_t *v;
        json_object_foreach(map, k, v) {
            if (!json_is_string(v) || ap_netmap_find(nm, json_string_value(v)) < 0) {
                ap__err(err, AP_EFORMAT, sites, "%s: must name a PID of network map %s", k, nm->resource_id);
                goto fail;
            }
        }
    }
    if (!(d = demand_new(nm, opts, flows, err)))
        goto fail;
    /* the first bucket starts at the earliest transfer */
    json_array_foreach(fl, i, e) {
        double t = json_number_value(json_array_get(e, 2));
        if (json_is_number(json_array_get(e, 2)) && t < tmin)
            tmin = t;
    }
    if (isfinite(tmin)) {
        d->t0 = d->o.bucket > 0 ? floor(tmin / d->o.bucket) * d->o.bucket : tmin;
        d->have_t0 = 1;
        d->tlast = d->tmax = tmin;
    }
    json_array_foreach(fl, i, e) {
        json_t *dst = json_array_get(e, 1), *st = json_array_get(e, 2), *en = json_array_get(e, 3),
               *by = json_array_get(e, 4), *pv;
        double t0, t1, bytes, span;
        d->lines++;
        if (!json_is_array(e) || json_array_size(e) < 5 || !json_is_string(dst) || !json_is_number(st) ||
            !json_is_number(en) || !json_is_number(by) || json_number_value(by) < 0 ||
            json_number_value(en) < json_number_value(st)) {
            char txt[160];
            char *dump = json_dumps(e, JSON_COMPACT);
            snprintf(txt, sizeof txt, "record %zu: %s", i, dump ? dump : "?");
            free(dump);
            note_bad(d, txt, strlen(txt));
            continue;
        }
        pv = json_object_get(map, json_string_value(dst));
        if (!pv) {
            note_unmatched(d, json_string_value(dst));
            continue;
        }
        t0 = json_number_value(st);
        t1 = json_number_value(en);
        bytes = json_number_value(by);
        span = t1 - t0;
        if (!(t0 >= 0 && t1 < MAX_TIME) ||
            (d->o.bucket > 0 && !(span / d->o.bucket < MAX_BUCKETS))) {
            char txt[160];
            snprintf(txt, sizeof txt, "record %zu: times %.17g to %.17g are not Unix seconds of a plausible span",
                     i, t0, t1);
            note_bad(d, txt, strlen(txt));
            continue;
        }
        /* the request counts when the transfer starts; its bytes are spread
         * over the buckets it spans */
        {
            int r = add_pid(d, (size_t)ap_netmap_find(nm, json_string_value(pv)), t0, 1, 0);
            if (r == -2)
                goto oom;
            if (r < 0) {
                char txt[160];
                snprintf(txt, sizeof txt, "record %zu: beyond the bucket limit", i);
                note_bad(d, txt, strlen(txt));
                continue;
            }
        }
        if (d->o.bucket > 0 && span > 0) {
            double a = t0;
            while (a < t1) {
                double edge = d->t0 + (floor((a - d->t0) / d->o.bucket) + 1) * d->o.bucket;
                double b = edge < t1 ? edge : t1;
                int r;
                if (!(b > a))
                    break; /* no progress in floating point: stop */
                r = add_pid(d, (size_t)ap_netmap_find(nm, json_string_value(pv)), a, 0, bytes * (b - a) / span);
                if (r == -2)
                    goto oom;
                if (r < 0)
                    break; /* the rest lies past the bucket cap (counted above) */
                a = b;
            }
        } else if (add_pid(d, (size_t)ap_netmap_find(nm, json_string_value(pv)), t0, 0, bytes) == -2) {
            goto oom;
        }
    }
    if (d->lines > 0 && (double)d->bad / (double)d->lines > d->o.max_bad) {
        ap__err(err, AP_EFORMAT, flows, "%ld of %ld records are malformed; first: %s", d->bad, d->lines,
                d->bad_sample[0].text);
        goto fail;
    }
    d->out_of_order = 0; /* records are not in time order by nature */
    json_decref(fl);
    json_decref(map);
    return d;
oom:
    ap__err(err, AP_ENOMEM, flows, "out of memory");
fail:
    json_decref(fl);
    json_decref(map);
    ap_demand_free(d);
    return NULL;
}
