/* fuzz_jpatch.c - JSON merge patches and JSON patches: the input is a
 * document and a patch separated by a NUL byte. */
#include "fuzz_util.h"
#include "base/base_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *z = memchr(data, 0, size);
    json_t *doc, *patch, *m;
    if (!z)
        return 0;
    doc = json_loadb((const char *)data, (size_t)(z - data), JSON_DECODE_ANY, NULL);
    patch = json_loadb((const char *)z + 1, size - (size_t)(z - data) - 1, JSON_DECODE_ANY, NULL);
    if (doc && patch) {
        m = ap__merge_patch(doc, patch);
        json_decref(m);
        ap__json_patch(doc, patch);
    }
    json_decref(doc);
    json_decref(patch);
    return 0;
}
