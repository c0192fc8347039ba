#!/bin/sh
# bench/cfl.sh - capacitated facility location with split demand and
# UNEQUAL capacities (no published optima: the plan's own proof is the
# check).  UflLib's copies of the OR-Library capa, capb, capc (100 sites x
# 1,000 clients) with site j's capacity set to Q x (0.5 + ((37 j) mod 100) /
# 100), i.e. spread over [0.5 Q, 1.5 Q), for each Q in QS.  Columns:
# instance, status, time (s), objective, bound, gap (%), greedy objective
# and its gap to the plan (%).
#
#   sh bench/cfl.sh                          QS="6000 8000", 60 s each
#   BIN=/tmp/old/build/altoplace QS=7000 LIMIT=120 sh bench/cfl.sh
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-build/altoplace}
DATA=${AP_DATA:-../shared/data}/orlib/ufl/ORLIB-uncap/a-c
QS=${QS:-"6000 8000"}
FAMS=${FAMS:-"a b c"}
LIMIT=${LIMIT:-60}
W=$(mktemp -d /tmp/altoplace-cfl.XXXXXX)
trap 'rm -rf "$W"' EXIT
[ -x $BIN ] || { echo "build first: make" >&2; exit 2; }
jnum() { sed -n "s/^  \"$1\": \\([^,]*\\),*$/\\1/p" "$2" | head -1; }
jstr() { sed -n "s/^  \"$1\": \"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
printf "%-12s %-9s %7s %14s %16s %7s %14s %7s\n" instance status time objective bound "gap%" greedy "ggap%"
for f in $FAMS; do
    for q in $QS; do
        name=cap$f-u$q
        awk -v q="$q" 'NR >= 2 && NR <= 101 {$1 = int(q * (0.5 + ((37 * (NR - 2)) % 100) / 100))} {print}' \
            "$DATA/cap$f.txt" > "$W/$name.txt"
        rm -rf "$W/d"
        $BIN import orlib-cap "$W/$name.txt" -o "$W/d" -q || { echo "$name: import failed"; continue; }
        t0=$(date +%s.%N)
        $BIN plan "$W/d/problem.json" -q -o "$W/plan.json" --time-limit "$LIMIT"
        t1=$(date +%s.%N)
        $BIN plan "$W/d/problem.json" -q -o "$W/greedy.json" --solver greedy
        obj=$(jnum objective "$W/plan.json"); b=$(jnum bound "$W/plan.json"); g=$(jnum objective "$W/greedy.json")
        printf "%-12s %-9s %7.2f %14s %16s %7.3f %14s %7.3f\n" "$name" "$(jstr status "$W/plan.json")" \
            "$(echo "$t1 - $t0" | bc -l)" "$obj" "$b" "$(echo "100 * ($obj - $b) / $obj" | bc -l)" "$g" \
            "$(echo "100 * ($g - $obj) / $obj" | bc -l)"
    done
done
