/* fuzz_study.c - what-if study files (checked and expanded, not run). */
#include "fuzz_util.h"
#include "studies/studies_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ap__study st;
    ap__study_load(fuzz_file("study.json", data, size), &st, NULL);
    ap__study_free(&st);
    return 0;
}
