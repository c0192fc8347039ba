/* fuzz_netmap.c - network maps from bytes (RFC 7285), then lookups. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ap_netmap *nm = ap_netmap_parse((const char *)data, size, "fuzz", NULL);
    if (nm) {
        ap_netmap_lookup(nm, "10.0.0.1", NULL);
        ap_netmap_lookup(nm, "2001:db8::1", NULL);
        ap_netmap_find(nm, "A");
    }
    ap_netmap_free(nm);
    return 0;
}
