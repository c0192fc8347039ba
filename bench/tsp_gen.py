#!/usr/bin/env python3
"""bench/tsp_gen.py - random TSPLIB coordinate files (EDGE_WEIGHT_TYPE
EUC_2D) for the large p-median benchmark bench/pmed_large.sh, imported with
`altoplace import tsplib FILE -k P`.

    python3 bench/tsp_gen.py KIND N SEED > file.tsp

KIND: uniform (points uniform in a 10,000 x 10,000 square) or cluster
(points around 20 centres, as drilling and city instances such as
TSPLIB's rl1304 and fl1400 are: dense groups with empty space between)."""
import random
import sys

kind, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(f"{kind}-{n}-{seed}")
pts = []
if kind == "uniform":
    pts = [(rng.uniform(0, 10000), rng.uniform(0, 10000)) for _ in range(n)]
elif kind == "cluster":
    centres = [(rng.uniform(0, 10000), rng.uniform(0, 10000), rng.uniform(100, 800)) for _ in range(20)]
    for _ in range(n):
        cx, cy, s = rng.choice(centres)
        pts.append((min(max(rng.gauss(cx, s), 0), 10000), min(max(rng.gauss(cy, s), 0), 10000)))
else:
    sys.exit(f"unknown kind {kind}: uniform or cluster")
print(f"NAME : {kind}{n}s{seed}")
print(f"COMMENT : bench/tsp_gen.py {kind} {n} {seed}")
print("TYPE : TSP")
print(f"DIMENSION : {n}")
print("EDGE_WEIGHT_TYPE : EUC_2D")
print("NODE_COORD_SECTION")
for i, (x, y) in enumerate(pts, 1):
    print(f"{i} {x:.2f} {y:.2f}")
print("EOF")
