/* fuzz_metric.c - cost metric names (RFC 9439). */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char name[256];
    ap_metric_info mi;
    if (size >= sizeof name)
        return 0;
    memcpy(name, data, size);
    name[size] = '\0';
    ap_metric_parse(name, &mi, NULL);
    return 0;
}
