/* fuzz_costmap.c - cost maps from bytes against the line network. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ap_costmap *cm = ap_costmap_parse((const char *)data, size, "fuzz", fuzz_line(), NULL);
    if (cm)
        ap_costmap_get(cm, 0, 3);
    ap_costmap_free(cm);
    return 0;
}
