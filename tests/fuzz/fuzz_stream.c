/* fuzz_stream.c - the update-stream parser (RFC 8895): SSE framing split at
 * arbitrary chunk boundaries, full maps, merge patches, JSON patches, then
 * the maps built from what was applied. */
#include "fuzz_util.h"
#include "client/client_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ap_alto_stream *s;
    ap_error e;
    size_t off = 0, chunk;
    if (size < 1)
        return 0;
    chunk = 1 + data[0] % 64; /* the first byte: how the bytes arrive */
    data++, size--;
    if (!(s = ap__stream_offline()))
        return 0;
    while (off < size) {
        size_t n = size - off < chunk ? size - off : chunk;
        if (ap__stream_feed(s, (const char *)data + off, n, &e))
            break;
        off += n;
    }
    {
        ap_netmap *nm = ap_alto_stream_netmap(s, &e);
        if (nm && ap_netmap_count(nm) <= 200)
            ap_costmap_free(ap_alto_stream_costmap(s, nm, &e));
        ap_netmap_free(nm);
    }
    ap_alto_stream_free(s);
    return 0;
}
