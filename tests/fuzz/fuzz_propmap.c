/* fuzz_propmap.c - property maps (RFC 9240) from bytes against the line network. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ap_propmap *pm = ap_propmap_parse((const char *)data, size, "fuzz", fuzz_line(), NULL);
    if (pm)
        ap_propmap_get(pm, 1, "capacity");
    ap_propmap_free(pm);
    return 0;
}
