/* fuzz_wlcg.c - the WLCG import: a CRIC rcsite dump and transfer records
 * (the input split at its first NUL byte), then shortest-path costs. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t a = nul ? (size_t)(nul - data) : size;
    char cric[128], flows[128];
    ap_topo *t;
    snprintf(cric, sizeof cric, "%s", fuzz_file("cric.json", data, a));
    snprintf(flows, sizeof flows, "%s", fuzz_file("flows.json", nul ? nul + 1 : data + size, nul ? size - a - 1 : 0));
    t = ap_topo_load_wlcg(cric, "cms", flows, NULL, NULL);
    if (t && ap_topo_nnodes(t) <= 200)
        free(ap_topo_costs(t, "delay-ow", NULL));
    ap_topo_free(t);
    return 0;
}
