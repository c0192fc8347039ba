/* fuzz_tips.c - what a TIPS server (RFC 9569) sends: the answer to opening
 * a view, then edges of the updates graph applied to a network map and a
 * cost map, then the maps built from the result.  The input is parts split
 * by NUL bytes: the open response, then edges, each "K TYPE\nBODY" with K
 * the map ('n' network map, else cost map) and TYPE the media type the
 * server gave (full map, merge patch or JSON patch). */
#include "fuzz_util.h"
#include "client/client_int.h"

static const char *const DOC_TYPE[2] = {"application/alto-networkmap+json", "application/alto-costmap+json"};

/* Edge `s` (n bytes) applied to doc[] (seq[] counts the versions). */
static void edge(json_t **doc, long *seq, const char *s, size_t n)
{
    const char *nl = memchr(s, '\n', n);
    char ct[160];
    ap_error e;
    int k;
    size_t tl;
    if (n < 2 || !nl)
        return;
    k = s[0] != 'n';
    tl = (size_t)(nl - s - 1);
    snprintf(ct, sizeof ct, "%.*s", (int)(tl < sizeof ct ? tl : sizeof ct - 1), s + 1);
    if (ap__tips_apply_edge(&doc[k], DOC_TYPE[k], doc[k] ? seq[k] : 0, ct, nl + 1, n - (size_t)(nl + 1 - s),
                            "http://127.0.0.1/tips/view/ug", &e) == 0)
        seq[k]++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size, *z;
    json_t *doc[2] = {NULL, NULL};
    long seq[2] = {0, 0}, j;
    char *view = NULL;
    ap_error e;
    z = memchr(p, 0, size);
    ap__tips_parse_open("http://127.0.0.1:8080/tips", p, z ? (size_t)(z - p) : size, "nm", &view, &j, &e);
    free(view);
    while (z && z < end) {
        p = z + 1;
        z = memchr(p, 0, (size_t)(end - p));
        edge(doc, seq, p, z ? (size_t)(z - p) : (size_t)(end - p));
    }
    if (doc[0]) {
        char *s = json_dumps(doc[0], JSON_COMPACT);
        ap_netmap *nm = s ? ap_netmap_parse(s, strlen(s), "tips", &e) : NULL;
        free(s);
        if (nm && doc[1] && ap_netmap_count(nm) <= 200 && (s = json_dumps(doc[1], JSON_COMPACT))) {
            ap_costmap_free(ap_costmap_parse(s, strlen(s), "tips", nm, &e));
            free(s);
        }
        ap_netmap_free(nm);
    }
    json_decref(doc[0]);
    json_decref(doc[1]);
    return 0;
}
