#!/bin/sh
# bench/pmed_large.sh - p-median with thousands of points: random TSPLIB
# coordinate files (bench/tsp_gen.py, uniform and clustered points, cost =
# floor of the distance) through `altoplace import tsplib` + `plan`, with a
# time limit.  Columns: instance, p, status, time (s), objective, bound,
# gap (%), peak RSS (MB), RSS / dense cost matrix (n x n doubles), greedy
# objective and its gap to the plan (%), greedy time (s).  With BASE=binary
# the same plans by another build (e.g. the commit before a change) in the
# same run: its status, time and the time ratio BASE / BIN.
#
#   make bench-pmed-large                       the default set, 60 s each
#   SIZES="1000 2000" PS="5 50" LIMIT=120 sh bench/pmed_large.sh
#   BASE=/tmp/old/build/altoplace sh bench/pmed_large.sh
#   TSPDIR=~/tsplib NAMES="rl1304 u1817" PS="10 20" sh bench/pmed_large.sh
# With TSPDIR, the TSPLIB files NAME.tsp of that directory (EUC_2D, e.g.
# from TSPLIB95; not in this repository) instead of random points.
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-build/altoplace}
KINDS=${KINDS:-"uniform cluster"}
SIZES=${SIZES:-"1000 2000 3000"}
PS=${PS:-"5 50 200 500"}
LIMIT=${LIMIT:-60}
BASE=${BASE:-}
TSPDIR=${TSPDIR:-}
NAMES=${NAMES:-"rl1304 u1817"}
W=$(mktemp -d /tmp/altoplace-pmedlarge.XXXXXX)
trap 'rm -rf "$W"' EXIT
[ -x $BIN ] || { echo "build first: make" >&2; exit 2; }
. bench/lib.sh
# run BIN OUT: plan with the limit, prints "seconds peak-KB"
run() {
    /usr/bin/time -f "%e %M" -o "$W/time" "$1" plan "$W/d/problem.json" -q -o "$2" --time-limit "$LIMIT" \
        ${3:-} 2>/dev/null
    cat "$W/time" | tail -1
}
printf "%-14s %4s %-9s %7s %12s %14s %7s %7s %6s %12s %7s %6s" instance p status time objective bound \
    "gap%" MB "xmat" greedy "ggap%" gtime
[ -n "$BASE" ] && printf " %-9s %7s %6s" base-st base-t ratio
echo
# one instance: name, coordinate file, point count
one() {
    name=$1 f=$2 n=$3
    for p in $PS; do
        [ "$p" -lt "$n" ] || continue
        rm -rf "$W/d"
        $BIN import tsplib "$f" -k "$p" -o "$W/d" -q || { echo "$name: import failed"; continue; }
        set -- $(run $BIN "$W/plan.json"); t=$1; kb=$2
        st=$(jstr status "$W/plan.json"); obj=$(jnum objective "$W/plan.json"); b=$(jnum bound "$W/plan.json")
        set -- $(run $BIN "$W/greedy.json" "--solver greedy"); gt=$1
        g=$(jnum objective "$W/greedy.json")
        mat=$(echo "$n * $n * 8 / 1000000" | bc -l)
        printf "%-14s %4s %-9s %7.2f %12s %14s %7.3f %7.1f %6.1f %12s %7.3f %6.2f" "$name" "$p" "$st" "$t" \
            "$obj" "$b" "$(echo "100 * ($obj - $b) / $obj" | bc -l)" "$(echo "$kb / 1000" | bc -l)" \
            "$(echo "$kb / 1000 / $mat" | bc -l)" "$g" "$(echo "100 * ($g - $obj) / $obj" | bc -l)" "$gt"
        if [ -n "$BASE" ]; then
            set -- $(run "$BASE" "$W/base.json"); bt=$1
            printf " %-9s %7.2f %6.1f" "$(jstr status "$W/base.json")" "$bt" "$(echo "$bt / $t" | bc -l)"
        fi
        echo
    done
}
if [ -n "$TSPDIR" ]; then
    for name in $NAMES; do
        f=$TSPDIR/$name.tsp
        [ -r "$f" ] || { echo "$name: cannot read $f"; continue; }
        one "$name" "$f" "$(sed -n 's/^DIMENSION *: *\([0-9]*\).*/\1/p' "$f")"
    done
    exit 0
fi
for kind in $KINDS; do
    for n in $SIZES; do
        python3 bench/tsp_gen.py "$kind" "$n" 1 > "$W/f.tsp"
        one "$kind$n" "$W/f.tsp" "$n"
    done
done
