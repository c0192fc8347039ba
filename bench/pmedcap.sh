#!/bin/sh
# bench/pmedcap.sh - single-source capacitated p-median beyond the ten
# OR-Library files: random instances of the same family (bench/pmedcap_gen.py),
# n = 100, p = 10, capacity chosen so that the demand fills 80-95% of it,
# each solved by `altoplace plan` with a time limit, and by the same plan with
# the greedy heuristic alone.  Columns: instance, demand/(p Q), status, time
# (s), objective, bound, gap (%), greedy objective, greedy gap to the plan (%).
#
#   make bench-pmedcap              5 instances, 60 s limit each
#   N=200 P=20 COUNT=3 LIMIT=120 sh bench/pmedcap.sh
#   FIRST=13 COUNT=12 sh bench/pmedcap.sh   (seeds 13-24: more hold-out instances)
#   SCALE=1.37 sh bench/pmedcap.sh   (the same instances with every demand and
#                                     capacity times SCALE: fractional demands,
#                                     or SCALE=1000 in the thousands; the
#                                     optima stay those of SCALE=1)
#   OLD=/tmp/old/altoplace sh bench/pmedcap.sh      (or BASE=)
#                                    (also another build's plan of each
#                                     instance, just before this one's: its
#                                     status, time and objective in three
#                                     more columns, and both totals)
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-build/altoplace}
N=${N:-100}; P=${P:-10}; COUNT=${COUNT:-5}; FIRST=${FIRST:-1}; LIMIT=${LIMIT:-60}; SCALE=${SCALE:-1}
W=$(mktemp -d /tmp/altoplace-pmedcap.XXXXXX)
trap 'rm -rf "$W"' EXIT
OLD=${OLD:-${BASE:-}}   # BASE= as in bench/ufl.sh and bench/pmed_large.sh
[ -x $BIN ] || { echo "build first: make" >&2; exit 2; }
[ -z "$OLD" ] || [ -x "$OLD" ] || { echo "OLD=$OLD: not an executable" >&2; exit 2; }
. bench/lib.sh
printf "%-12s %6s %-9s %7s %10s %12s %7s %10s %7s" instance fill status time objective bound "gap%" greedy "ggap%"
[ -z "$OLD" ] || printf " %-9s %7s %10s" old time objective
echo
s=$FIRST; proven=0; tnew=0; told=0
while [ $s -lt $((FIRST + COUNT)) ]; do
    f=$W/g$s.txt
    # capacity: the demand fills 80% .. 95% of p * Q (seeded, as the points)
    tot=$(python3 bench/pmedcap_gen.py "$N" "$P" 1000000 "$s" | awk 'NR > 2 {t += $4} END {print t}')
    fill=$(awk -v s="$s" 'BEGIN {srand(s); print 0.80 + 0.15 * rand()}')
    q=$(awk -v t="$tot" -v p="$P" -v f="$fill" 'BEGIN {q = int(t / (p * f)) + 1; print q}')
    python3 bench/pmedcap_gen.py "$N" "$P" "$q" "$s" "$SCALE" > "$f"
    $BIN import orlib-pmedcap "$f" -o "$W/g$s" -q || { echo "g$s: import failed"; s=$((s + 1)); continue; }
    [ -z "$OLD" ] || { timed_plan "$OLD" "$W/g$s/problem.json" "$W/g$s/old.json"; to=$secs; }
    timed_plan "$BIN" "$W/g$s/problem.json" "$W/g$s/plan.json"; tn=$secs
    $BIN plan "$W/g$s/problem.json" -q --solver greedy -o "$W/g$s/greedy.json"
    obj=$(jnum objective "$W/g$s/plan.json"); b=$(jnum bound "$W/g$s/plan.json")
    st=$(jstr status "$W/g$s/plan.json"); g=$(jnum objective "$W/g$s/greedy.json")
    [ "$st" = optimal ] && proven=$((proven + 1))
    printf "%-12s %6.3f %-9s %7.2f %10s %12s %7.3f %10s %7.3f" "n${N}p${P}s$s" \
        "$(echo "$tot / ($P * $q)" | bc -l)" "$st" "$tn" "$obj" "$b" \
        "$(echo "100 * ($obj - $b) / $obj" | bc -l)" "$g" "$(echo "100 * ($g - $obj) / $obj" | bc -l)"
    tnew=$(echo "$tnew + $tn" | bc -l)
    if [ -n "$OLD" ]; then
        printf " %-9s %7.2f %10s" "$(jstr status "$W/g$s/old.json")" "$to" "$(jnum objective "$W/g$s/old.json")"
        told=$(echo "$told + $to" | bc -l)
    fi
    echo
    s=$((s + 1))
done
echo "$proven/$COUNT proven optimal within ${LIMIT} s"
[ -z "$OLD" ] || printf "plan time in all: %.1f s, old build %.1f s (ratio %.2f)\n" "$tnew" "$told" \
    "$(echo "$tnew / $told" | bc -l)"
