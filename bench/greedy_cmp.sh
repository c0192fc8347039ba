#!/bin/sh
# bench/greedy_cmp.sh - the heuristic alone (`plan --solver greedy`) of this
# build and of another (BASE, e.g. an older commit built in a worktree) on
# the same problem folders, one after the other in the same run.  Columns:
# folder, objective and seconds of BIN, then of BASE.
#
#   BASE=/tmp/old/build/altoplace sh bench/greedy_cmp.sh DIR...
set -u
BIN=${BIN:-$(dirname "$0")/../build/altoplace}
BASE=${BASE:?set BASE to the other build}
W=$(mktemp -d /tmp/altoplace-gcmp.XXXXXX)
trap 'rm -rf "$W"' EXIT
printf "%-24s %12s %7s %12s %7s\n" folder new new-s base base-s
for d in "$@"; do
    line=$(basename "$d")
    for b in "$BIN" "$BASE"; do
        /usr/bin/time -f "%e" -o "$W/t" "$b" plan "$d/problem.json" --solver greedy -q -o "$W/g.json" 2>/dev/null
        line="$line $(sed -n 's/^  "objective": \([^,]*\),*$/\1/p' "$W/g.json" | head -1) $(tail -1 "$W/t")"
    done
    echo "$line" | awk '{printf "%-24s %12s %7s %12s %7s\n", $1, $2, $3, $4, $5}'
done
