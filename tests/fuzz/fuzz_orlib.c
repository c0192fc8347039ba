/* fuzz_orlib.c - benchmark instance files through every importer:
 * OR-Library pmed, pmedcap and cap (with the file's capacities, so that
 * all-zero ones become facility location) and TSPLIB coordinate files
 * (p from 1 to 8, taken from the input's length). */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[128];
    snprintf(out, sizeof out, "%s/out", fuzz_dir());
    ap_import_orlib_pmed(fuzz_file("pmed.txt", data, size), out, NULL);
    ap_import_orlib_pmedcap(fuzz_file("pmedcap.txt", data, size), out, NULL);
    ap_import_orlib_cap(fuzz_file("cap.txt", data, size), -1, out, NULL);
    ap_import_tsplib(fuzz_file("f.tsp", data, size), 1 + (long)(size % 8), out, NULL);
    return 0;
}
