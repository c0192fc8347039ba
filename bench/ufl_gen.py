#!/usr/bin/env python3
"""bench/ufl_gen.py - random uncapacitated facility location instances in the
OR-Library cap layout with every capacity 0 (as UflLib writes its
uncapacitated copies), for the hold-out benchmark bench/ufl.sh.

    python3 bench/ufl_gen.py FAMILY N SEED > file.txt

N sites and N clients, every demand 1.  Families:
  ga, gb, gc   Koerkel & Ghosh's asymmetric family: costs uniform in
               [1000, 2000], opening costs uniform in [100, 200] (ga),
               [1000, 2000] (gb), [10000, 20000] (gc)
  eu           Euclidean: points uniform in a 10,000 x 10,000 square, cost =
               floor of the distance, opening costs uniform in [5000, 15000]"""
import math
import random
import sys

fam, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(f"{fam}-{n}-{seed}")
if fam in ("ga", "gb", "gc"):
    lo = {"ga": 100, "gb": 1000, "gc": 10000}[fam]
    f = [rng.randint(lo, 2 * lo) for _ in range(n)]
    c = [[rng.randint(1000, 2000) for _ in range(n)] for _ in range(n)]  # c[client][site]
elif fam == "eu":
    pts = [(rng.uniform(0, 10000), rng.uniform(0, 10000)) for _ in range(n)]
    f = [rng.randint(5000, 15000) for _ in range(n)]
    c = [[math.floor(math.dist(a, b)) for b in pts] for a in pts]
else:
    sys.exit(f"unknown family {fam}: ga, gb, gc or eu")
out = [f"{n} {n}"]
out += [f"0 {x}" for x in f]
for j in range(n):
    out.append("1")
    out.append(" ".join(str(v) for v in c[j]))
print("\n".join(out))
