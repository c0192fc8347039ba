/* fuzz_util.h - shared by the libFuzzer harnesses (make fuzz). */
#ifndef AP_FUZZ_UTIL_H
#define AP_FUZZ_UTIL_H
#define _XOPEN_SOURCE 700
#include "altoplace.h"
#include "../rmtree.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir_path[64];

/* Removes the harness's folder when the run ends (libFuzzer leaves
 * through exit() when its runs or time are done). */
static void fuzz_dir_remove(void)
{
    rmtree(fuzz_dir_path);
}

/* A folder of this process for the harness's files (made once, removed at
 * exit), with the subfolders _line/ and p/ of the fixtures' layout
 * (fuzz_line). */
static const char *fuzz_dir(void)
{
    char *dir = fuzz_dir_path;
    if (!dir[0]) {
        char sub[96];
        snprintf(dir, sizeof fuzz_dir_path, "/tmp/altoplace-fuzz-XXXXXX");
        if (!mkdtemp(dir))
            abort();
        atexit(fuzz_dir_remove);
        snprintf(sub, sizeof sub, "%s/_line", dir);
        if (mkdir(sub, 0700))
            abort();
        snprintf(sub, sizeof sub, "%s/p", dir);
        if (mkdir(sub, 0700))
            abort();
    }
    return dir;
}

/* Writes bytes to dir/name; returns the path (static). */
static const char *fuzz_file(const char *name, const void *data, size_t size)
{
    static char path[128];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
    if (!(f = fopen(path, "wb")))
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    return path;
}

/* The line network A-B-C-D with a cost and a property map, a demand file
 * and a request log, in the folder, in p/ and in _line/: a problem file
 * written to p/ (fuzz_problem) finds them by bare names as well as by
 * "../_line/NAME", the paths of the seeds in tests/fixtures/invalid. */
static const ap_netmap *fuzz_line(void)
{
    static ap_netmap *nm;
    static const char *const nmd =
        "{\"meta\":{\"vtag\":{\"resource-id\":\"line\",\"tag\":\"t1\"}},\"network-map\":{"
        "\"A\":{\"ipv4\":[\"10.0.0.0/24\"]},\"B\":{\"ipv4\":[\"10.0.1.0/24\"]},"
        "\"C\":{\"ipv4\":[\"10.0.2.0/24\"]},\"D\":{\"ipv4\":[\"10.0.3.0/24\"],\"ipv6\":[\"2001:db8::/32\"]}}}";
    static const char *const cmd =
        "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"line\",\"tag\":\"t1\"}],"
        "\"cost-type\":{\"cost-mode\":\"numerical\",\"cost-metric\":\"hopcount\"}},\"cost-map\":{"
        "\"A\":{\"A\":0,\"B\":1,\"C\":2,\"D\":3},\"B\":{\"A\":1,\"B\":0,\"C\":1,\"D\":2},"
        "\"C\":{\"A\":2,\"B\":1,\"C\":0,\"D\":1},\"D\":{\"A\":3,\"B\":2,\"C\":1,\"D\":0}}}";
    static const char *const pmd =
        "{\"meta\":{\"dependent-vtags\":[{\"resource-id\":\"line\",\"tag\":\"t1\"}]},\"property-map\":{"
        "\"line.pid:A\":{\"capacity\":10,\"opening-cost\":5},\"line.pid:B\":{\"capacity\":10,\"opening-cost\":5},"
        "\"line.pid:C\":{\"capacity\":10,\"opening-cost\":5},\"line.pid:D\":{\"capacity\":10,\"opening-cost\":5}}}";
    if (!nm) {
        static const char *const dem = "{\"demand\":{\"A\":4,\"B\":1,\"C\":1,\"D\":4}}";
        static const char *const req = "10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326\n";
        static const char *const where[] = {"", "p/", "_line/"};
        size_t w;
        for (w = 0; w < 3; w++) {
            char name[32];
#define FUZZ_PUT(n, text) (snprintf(name, sizeof name, "%s%s", where[w], n), fuzz_file(name, text, strlen(text)))
            FUZZ_PUT("cm.json", cmd);
            FUZZ_PUT("pm.json", pmd);
            FUZZ_PUT("demand.json", dem);
            FUZZ_PUT("req.log", req);
            FUZZ_PUT("nm.json", nmd);
#undef FUZZ_PUT
        }
        nm = ap_netmap_load(fuzz_file("nm.json", nmd, strlen(nmd)), NULL);
        if (!nm)
            abort();
    }
    return nm;
}
#endif
