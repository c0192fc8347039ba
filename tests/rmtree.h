/* rmtree.h - removes a test program's temporary folder and everything in
 * it, without a shell (the libFuzzer harnesses and the out-of-memory sweep
 * register it with atexit).  Needs nftw: _XOPEN_SOURCE >= 500 (or
 * _GNU_SOURCE) before the first system header. */
#ifndef AP_TEST_RMTREE_H
#define AP_TEST_RMTREE_H
#include <ftw.h>
#include <stdio.h>

static int rmtree_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path) ? -1 : 0;
}

/* Removes dir and its contents (nothing when dir is empty: ""). */
static void rmtree(const char *dir)
{
    if (dir[0])
        nftw(dir, rmtree_entry, 8, FTW_DEPTH | FTW_PHYS);
}
#endif
