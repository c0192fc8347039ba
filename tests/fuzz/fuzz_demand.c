/* fuzz_demand.c - request logs (any format it detects) on the line
 * network, hourly buckets, and a forecast of three buckets. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file("log", data, size);
    ap_demand_opts o;
    ap_demand *d;
    ap_demand_opts_init(&o);
    o.bucket = 3600;
    o.max_bad = 1;
    d = ap_demand_read(fuzz_line(), &path, 1, &o, NULL);
    if (d && ap_demand_buckets(d) >= 4) {
        double next[3 * 4];
        ap_demand_forecast_ahead(d, 0, 0, 3, next, NULL, NULL);
    }
    ap_demand_free(d);
    return 0;
}
