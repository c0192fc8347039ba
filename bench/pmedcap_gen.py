#!/usr/bin/env python3
"""bench/pmedcap_gen.py - random capacitated p-median instances in the
OR-Library pmedcap layout (Osman & Christofides 1994 family: points uniform
in a 100 x 100 square, integer demands 1..20, one capacity for every
median), for the hold-out benchmark bench/pmedcap.sh.

    python3 bench/pmedcap_gen.py N P Q SEED [SCALE] > file.txt

SCALE multiplies every demand and the capacity (default 1): the same
instance with fractional demands (SCALE 1.37) or demands in the thousands
(SCALE 1000).  The objective of this family is the sum of the distances
(not weighted by demand), so the optimum stays that of SCALE 1.

Line 1 carries "0 0": no best-known value (the bench compares with the
bound altoplace proves)."""
import random
import sys

n, p, q, seed = (int(a) for a in sys.argv[1:5])
scale = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0


def num(x):
    v = x * scale
    return str(int(v)) if v == int(v) else repr(v)


rng = random.Random(seed)
pts = [(rng.randint(1, 100), rng.randint(1, 100), rng.randint(1, 20)) for _ in range(n)]
total = sum(d for _, _, d in pts)
if total > p * q:
    sys.exit(f"demand {total} exceeds p * Q = {p * q}: choose a larger Q")
print("0 0")
print(n, p, num(q))
for i, (x, y, d) in enumerate(pts, 1):
    print(i, x, y, num(d))
