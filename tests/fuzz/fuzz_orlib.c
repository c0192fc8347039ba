/* fuzz_orlib.c - OR-Library p-median files through the importer. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[128];
    snprintf(out, sizeof out, "%s/out", fuzz_dir());
    ap_import_orlib_pmed(fuzz_file("pmed.txt", data, size), out, NULL);
    ap_import_orlib_pmedcap(fuzz_file("pmedcap.txt", data, size), out, NULL);
    return 0;
}
