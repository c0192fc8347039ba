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
. bench/lib.sh
printf "%-12s %-9s %7s %14s %16s %7s %14s %7s\n" instance status time objective bound "gap%" greedy "ggap%"
for f in $FAMS; do
    for q in $QS; do
        name=cap$f-u$q
        awk -v q="$q" 'NR >= 2 && NR <= 101 {$1 = int(q * (0.5 + ((37 * (NR - 2)) % 100) / 100))} {print}' \
            "$DATA/cap$f.txt" > "$W/$name.txt"
        orlib_pair "$W/$name.txt" || { echo "$name: import failed"; continue; }
        printf "%-12s %-9s %7.2f %14s %16s %7.3f %14s %7.3f\n" "$name" "$st" "$tp" "$obj" "$b" \
            "$(echo "100 * ($obj - $b) / $obj" | bc -l)" "$g" "$(echo "100 * ($g - $obj) / $obj" | bc -l)"
    done
done
