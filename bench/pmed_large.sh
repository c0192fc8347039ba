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
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-build/altoplace}
KINDS=${KINDS:-"uniform cluster"}
SIZES=${SIZES:-"1000 2000 3000"}
PS=${PS:-"5 50 200 500"}
LIMIT=${LIMIT:-60}
BASE=${BASE:-}
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
for kind in $KINDS; do
    for n in $SIZES; do
        python3 bench/tsp_gen.py "$kind" "$n" 1 > "$W/f.tsp"
        for p in $PS; do
            [ "$p" -lt "$n" ] || continue
            rm -rf "$W/d"
            $BIN import tsplib "$W/f.tsp" -k "$p" -o "$W/d" -q || { echo "$kind$n: import failed"; continue; }
            set -- $(run $BIN "$W/plan.json"); t=$1; kb=$2
            st=$(jstr status "$W/plan.json"); obj=$(jnum objective "$W/plan.json"); b=$(jnum bound "$W/plan.json")
            set -- $(run $BIN "$W/greedy.json" "--solver greedy"); gt=$1
            g=$(jnum objective "$W/greedy.json")
            mat=$(echo "$n * $n * 8 / 1000000" | bc -l)
            printf "%-14s %4s %-9s %7.2f %12s %14s %7.3f %7.1f %6.1f %12s %7.3f %6.2f" "$kind$n" "$p" "$st" "$t" \
                "$obj" "$b" "$(echo "100 * ($obj - $b) / $obj" | bc -l)" "$(echo "$kb / 1000" | bc -l)" \
                "$(echo "$kb / 1000 / $mat" | bc -l)" "$g" "$(echo "100 * ($g - $obj) / $obj" | bc -l)" "$gt"
            if [ -n "$BASE" ]; then
                set -- $(run "$BASE" "$W/base.json"); bt=$1
                printf " %-9s %7.2f %6.1f" "$(jstr status "$W/base.json")" "$bt" "$(echo "$bt / $t" | bc -l)"
            fi
            echo
        done
    done
done
