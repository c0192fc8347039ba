#!/bin/sh
# bench/pmed_family.sh - p-median instances built like OR-Library's pmed21-40
# (bench/pmed_gen.py: the same n, edge counts and p, other random graphs;
# no published optima, the plan's own proof is the check).  Columns:
# instance (gNN = the shape of pmedNN, sS = seed), status, time (s),
# objective, bound, gap (%), greedy objective, its gap to the plan (%) and
# its time (s).
#
#   sh bench/pmed_family.sh                       pmed21-40 shapes, seed 1, 60 s
#   SEEDS="2 3" ONLY="36 40" LIMIT=120 BIN=/tmp/old/altoplace sh bench/pmed_family.sh
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-build/altoplace}
SEEDS=${SEEDS:-1}
ONLY=${ONLY:-}
LIMIT=${LIMIT:-60}
W=$(mktemp -d /tmp/altoplace-pmedfam.XXXXXX)
trap 'rm -rf "$W"' EXIT
[ -x $BIN ] || { echo "build first: make" >&2; exit 2; }
. bench/lib.sh
# OR-Library pmed21-40: number, n, edges, p
SHAPES="21 500 5000 5  22 500 5000 10  23 500 5000 50  24 500 5000 100  25 500 5000 167
26 600 7200 5  27 600 7200 10  28 600 7200 60  29 600 7200 120  30 600 7200 200
31 700 9800 5  32 700 9800 10  33 700 9800 70  34 700 9800 140
35 800 12800 5  36 800 12800 10  37 800 12800 80
38 900 16200 5  39 900 16200 10  40 900 16200 90"
printf "%-9s %-9s %7s %10s %14s %7s %10s %7s %7s\n" instance status time objective bound "gap%" greedy "ggap%" gtime
echo $SHAPES | xargs -n 4 | while read -r k n m p; do
    [ -n "$ONLY" ] && case " $ONLY " in *" $k "*) ;; *) continue ;; esac
    for s in $SEEDS; do
        name=g${k}s$s
        python3 bench/pmed_gen.py "$n" "$m" "$p" "$s" > "$W/$name.txt"
        rm -rf "$W/d"
        $BIN import orlib-pmed "$W/$name.txt" -o "$W/d" -q || { echo "$name: import failed"; continue; }
        t0=$(date +%s.%N)
        $BIN plan "$W/d/problem.json" -q -o "$W/plan.json" --time-limit "$LIMIT"
        t1=$(date +%s.%N)
        $BIN plan "$W/d/problem.json" -q -o "$W/greedy.json" --solver greedy
        t2=$(date +%s.%N)
        obj=$(jnum objective "$W/plan.json"); b=$(jnum bound "$W/plan.json"); g=$(jnum objective "$W/greedy.json")
        printf "%-9s %-9s %7.2f %10s %14s %7.3f %10s %7.3f %7.2f\n" "$name" "$(jstr status "$W/plan.json")" \
            "$(echo "$t1 - $t0" | bc -l)" "$obj" "$b" "$(echo "100 * ($obj - $b) / $obj" | bc -l)" "$g" \
            "$(echo "100 * ($g - $obj) / $obj" | bc -l)" "$(echo "$t2 - $t1" | bc -l)"
    done
done
