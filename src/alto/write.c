/* write.c - ALTO map files (RFC 7285 network and cost maps, RFC 9240
 * property maps) written from arrays, for the importers of topologies and
 * benchmark instances.  Cost maps are streamed (they reach millions of
 * entries); every file is written atomically. */
#include "alto_int.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

int ap__write_netmap(const char *path, const char *rid, const char *tag, size_t n, char *const *pids,
                     char *const *const *pfx, const size_t *npfx, char *tag_out, ap_error *err)
{
    json_t *nm = json_object();
    char *body = NULL, hashed[33];
    size_t i, k;
    int rc = -1;
    if (!nm)
        goto nomem;
    for (i = 0; i < n; i++) {
        json_t *grp = json_object(), *v4 = json_array(), *v6 = json_array();
        if (!grp || !v4 || !v6 || json_object_set_new(nm, pids[i], grp)) {
            json_decref(v4);
            json_decref(v6);
            goto nomem;
        }
        for (k = 0; k < npfx[i]; k++)
            json_array_append_new(strchr(pfx[i][k], ':') ? v6 : v4, json_string(pfx[i][k]));
        if (json_array_size(v4))
            json_object_set(grp, "ipv4", v4);
        if (json_array_size(v6))
            json_object_set(grp, "ipv6", v6);
        json_decref(v4);
        json_decref(v6);
    }
    if (!tag) {
        if (!(body = json_dumps(nm, JSON_COMPACT | JSON_SORT_KEYS)))
            goto nomem;
        snprintf(hashed, sizeof hashed, "%016llx", (unsigned long long)fnv1a(body, strlen(body)));
        tag = hashed;
    }
    if (tag_out)
        snprintf(tag_out, 33, "%s", tag);
    rc = ap__json_write_new(path, json_pack("{s:{s:{s:s,s:s}},s:O}", "meta", "vtag", "resource-id", rid, "tag", tag,
                                            "network-map", nm), err);
    goto out;
nomem:
    ap__err(err, AP_ENOMEM, path, "out of memory");
out:
    json_decref(nm);
    free(body);
    return rc;
}

/* Writes `s` as a JSON string (PID names are plain, but quote what needs it). */
static void put_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
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

int ap__write_costmap(const char *path, const char *rid, const char *tag, const char *metric, size_t ns,
                      char *const *src, size_t nd, char *const *dst, const double *c, int decimals,
                      ap_error *err)
{
    char *buf = NULL;
    size_t blen = 0, s, d;
    FILE *f = open_memstream(&buf, &blen);
    int rc;
    if (!f) {
        ap__err(err, AP_ENOMEM, path, "out of memory");
        return -1;
    }
    fputs("{\n  \"meta\": {\n    \"dependent-vtags\": [{\"resource-id\": ", f);
    put_str(f, rid);
    fputs(", \"tag\": ", f);
    put_str(f, tag);
    fputs("}],\n    \"cost-type\": {\"cost-mode\": \"numerical\", \"cost-metric\": ", f);
    put_str(f, metric);
    fputs("}\n  },\n  \"cost-map\": {", f);
    for (s = 0; s < ns; s++) {
        int first = 1;
        fputs(s ? ",\n    " : "\n    ", f);
        put_str(f, src[s]);
        fputs(": {", f);
        for (d = 0; d < nd; d++) {
            double v = c[s * nd + d];
            if (!isfinite(v))
                continue;
            if (!first)
                fputs(", ", f);
            put_str(f, dst[d]);
            if (decimals < 0)
                fprintf(f, ": %.17g", v);
            else
                fprintf(f, ": %.*f", decimals, v);
            first = 0;
        }
        fputc('}', f);
    }
    fputs("\n  }\n}\n", f);
    if (fclose(f) || !buf) {
        free(buf);
        ap__err(err, AP_ENOMEM, path, "out of memory");
        return -1;
    }
    rc = ap__write_atomic(path, buf, blen, err);
    free(buf);
    return rc;
}

int ap__write_propmap(const char *path, const char *rid, const char *tag, size_t n, char *const *pids,
                      size_t nprops, const char *const *names, const double *v, ap_error *err)
{
    json_t *pm = json_object();
    size_t i, k;
    int rc = -1;
    if (!pm)
        goto nomem;
    for (i = 0; i < n; i++) {
        char key[512];
        json_t *pr = json_object();
        snprintf(key, sizeof key, "%s.pid:%s", rid, pids[i]);
        if (!pr || json_object_set_new(pm, key, pr))
            goto nomem;
        for (k = 0; k < nprops; k++) {
            double x = v[i * nprops + k];
            if (isnan(x))
                continue;
            json_object_set_new(pr, names[k], x == floor(x) && fabs(x) < 9e15 ? json_integer((json_int_t)x)
                                                                                : json_real(x));
        }
    }
    rc = ap__json_write_new(path, json_pack("{s:{s:[{s:s,s:s}]},s:O}", "meta", "dependent-vtags", "resource-id",
                                            rid, "tag", tag, "property-map", pm), err);
    json_decref(pm);
    return rc;
nomem:
    ap__err(err, AP_ENOMEM, path, "out of memory");
    json_decref(pm);
    return rc;
}
