#!/usr/bin/env python3
"""bench/pmed_gen.py - random p-median instances in the OR-Library pmed
format and of its construction (as read from pmed1-20's files): n vertices
on a cycle 1-2-...-n-1, then random further edges up to m in all (repeats
allowed: the last one of a pair wins, as in OR-Library's pmedinfo), every
length uniform on 1..100.  The instance is the shortest-path distances
between the vertices, with p medians.

    python3 bench/pmed_gen.py N M P SEED > file.txt
"""
import random
import sys


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    n, m, p, seed = (int(a) for a in sys.argv[1:])
    if n < 3 or m < n or p < 1 or p > n:
        sys.exit("pmed_gen.py: need 3 <= N <= M and 1 <= P <= N")
    rng = random.Random(seed)
    out = [" %d %d %d " % (n, m, p)]
    for i in range(1, n + 1):
        out.append(" %d %d %d " % (i, i % n + 1, rng.randint(1, 100)))
    for _ in range(m - n):
        a = rng.randint(1, n)
        b = rng.randint(1, n - 1)
        if b >= a:
            b += 1
        out.append(" %d %d %d " % (a, b, rng.randint(1, 100)))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
