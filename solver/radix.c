/* radix.c - a stable sort of indices by double keys (LSD radix on the
 * keys' bits), for the inner loops that sort on every evaluation: the
 * capacitated heuristic's clients by regret (greedy.c) and the split-demand
 * Lagrangian's knapsack items (lagrange_cfl.c), where qsort's comparator
 * calls were most of the time. */
#include "solver.h"
#include <string.h>

void ap__radix_order(const double *key, size_t n, int descending, size_t *order, uint64_t *bits, size_t *tmp)
{
    size_t i, cnt[256];
    int sh;
    for (i = 0; i < n; i++) {
        uint64_t u;
        memcpy(&u, &key[i], sizeof u);
        u = u >> 63 ? ~u : u | (uint64_t)1 << 63; /* ascending as unsigned */
        bits[i] = descending ? ~u : u;
        order[i] = i;
    }
    for (sh = 0; sh < 64; sh += 8) {
        size_t sum = 0, c;
        memset(cnt, 0, sizeof cnt);
        for (i = 0; i < n; i++)
            cnt[bits[order[i]] >> sh & 255]++;
        if (n && cnt[bits[order[0]] >> sh & 255] == n)
            continue; /* every key has this byte */
        for (i = 0; i < 256; i++)
            c = cnt[i], cnt[i] = sum, sum += c;
        for (i = 0; i < n; i++)
            tmp[cnt[bits[order[i]] >> sh & 255]++] = order[i];
        memcpy(order, tmp, n * sizeof *order);
    }
}
