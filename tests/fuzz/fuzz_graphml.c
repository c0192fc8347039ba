/* fuzz_graphml.c - Topology Zoo GraphML files, then shortest-path costs. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ap_topo *t = ap_topo_load_graphml(fuzz_file("g.graphml", data, size), NULL, NULL);
    if (t && ap_topo_nnodes(t) <= 200)
        free(ap_topo_costs(t, "delay-ow", NULL));
    ap_topo_free(t);
    return 0;
}
