#!/bin/sh
# bench/ufl.sh - uncapacitated facility location: UflLib's uncapacitated
# copies of the OR-Library capa, capb, capc (100 sites x 1,000 clients,
# published optima in their .opt files) and random instances of
# bench/ufl_gen.py (Koerkel-Ghosh style ga/gb/gc, Euclidean eu), through
# `altoplace import orlib-cap` + `plan` with a time limit.  Columns:
# instance, status, time (s), objective, bound, gap (%), published optimum
# (when known), greedy objective and gap to the plan (%).
#
#   make bench-ufl                        default set, 60 s each
#   FAMS="gb" SIZES="100 200" LIMIT=120 sh bench/ufl.sh
#   SEED=2 FAMS="ga gb gc" SIZES="100 200" sh bench/ufl.sh   (held-out seeds)
#   BASE=/tmp/old/altoplace sh bench/ufl.sh   (another build, same run)
# With BASE=binary, that build also plans each instance just after BIN
# (same import, same limit): its status, time, objective and the time
# ratio BASE / BIN.
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-build/altoplace}
DATA=${AP_DATA:-../shared/data}/orlib/ufl/ORLIB-uncap
FAMS=${FAMS:-"ga gb gc eu"}
SIZES=${SIZES:-"100 200 500"}
LIMIT=${LIMIT:-60}
SEED=${SEED:-1}   # of bench/ufl_gen.py (a held-out set: another seed)
BASE=${BASE:-}
W=$(mktemp -d /tmp/altoplace-ufl.XXXXXX)
trap 'rm -rf "$W"' EXIT
[ -x $BIN ] || { echo "build first: make" >&2; exit 2; }
[ -z "$BASE" ] || [ -x "$BASE" ] || { echo "BASE=$BASE: not an executable" >&2; exit 2; }
. bench/lib.sh
one() { # name file optimum
    orlib_pair "$2" || { echo "$1: import failed"; return; }
    printf "%-10s %-9s %7.2f %14s %16s %7.3f %16s %14s %7.3f" "$1" "$st" \
        "$tp" "$obj" "$b" "$(echo "100 * ($obj - $b) / $obj" | bc -l)" "$3" "$g" \
        "$(echo "100 * ($g - $obj) / $obj" | bc -l)"
    if [ -n "$BASE" ]; then
        timed_plan "$BASE" "$W/d/problem.json" "$W/base.json"; bt=$secs
        printf " %-9s %7.2f %14s %6.2f" "$(jstr status "$W/base.json")" "$bt" "$(jnum objective "$W/base.json")" \
            "$(echo "$bt / $tp" | bc -l)"
    fi
    printf " %s\n" "$([ "$3" = - ] || [ "$(echo "($obj - $3) < 0.01 && ($3 - $obj) < 0.01" | bc -l)" = 1 ] ||
        echo MISMATCH)"
}
printf "%-10s %-9s %7s %14s %16s %7s %16s %14s %7s" instance status time objective bound "gap%" published \
    greedy "ggap%"
[ -n "$BASE" ] && printf " %-9s %7s %14s %6s" base-st base-t base-obj ratio
echo
for x in capa capb capc; do
    [ -f "$DATA/a-c/$x.txt" ] && one "$x-uncap" "$DATA/a-c/$x.txt" "$(awk '{print $NF}' "$DATA/a-c/$x.txt.opt")"
done
for f in $FAMS; do
    for n in $SIZES; do
        python3 bench/ufl_gen.py "$f" "$n" "$SEED" > "$W/g.txt"
        one "$f$n$([ "$SEED" = 1 ] || echo "s$SEED")" "$W/g.txt" -
    done
done
