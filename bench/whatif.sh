#!/bin/sh
# bench/whatif.sh - what-if studies and topology imports on the bundled data.
#   make bench-whatif
#   ZOO_ONLY=1 BUILD=build-asan sh bench/whatif.sh   (the import sweep under ASan,
#                            after make check-asan)
# 1. each example's study in one process (wall time, scenarios, statuses);
# 2. the KDL study split in two parts run side by side, then merged: wall
#    time, and whether the table equals the one-process table (every column
#    of results.json but the solve times);
# 3. `import zoo` on every Topology Zoo file with country prefixes: how many
#    were written, how many refused and why; time and peak memory for Kdl.
set -eu
cd "$(dirname "$0")/.."
B=${BUILD:-build}
BIN=$B/altoplace
DATA=${AP_DATA:-../shared/data}
W=$(mktemp -d /tmp/altoplace-bench-whatif.XXXXXX)
trap 'rm -rf "$W"' EXIT
now() { date +%s.%N; }

if [ -z "${ZOO_ONLY:-}" ]; then
for ex in geant wlcg-cms kdl; do
    t0=$(now)
    "$BIN" whatif "examples/$ex/whatif.json" -o "$W/$ex" -q
    t1=$(now)
    st=$(python3 -c 'import json,sys,collections; r=json.load(open(sys.argv[1]))["rows"]; c=collections.Counter(x["status"] for x in r); print(len(r), ", ".join("%d %s" % (v, k) for k, v in sorted(c.items())))' "$W/$ex/results.json")
    printf "study %-9s %s scenarios in %6.2f s (%s)\n" "$ex" "${st%% *}" "$(echo "$t1 - $t0" | bc -l)" "${st#* }"
done

t0=$(now)
for i in 1 2; do
    "$BIN" whatif examples/kdl/whatif.json -o "$W/kdl-parts" --part "$i/2" -q &
done
wait
"$BIN" whatif examples/kdl/whatif.json -o "$W/kdl-parts" --merge -q
t1=$(now)
# every column but the solve times
strip='import json,sys; r=json.load(open(sys.argv[1]))["rows"]; [x.pop("seconds") for x in r]; print(json.dumps(r, sort_keys=True))'
if [ "$(python3 -c "$strip" "$W/kdl/results.json")" = "$(python3 -c "$strip" "$W/kdl-parts/results.json")" ]; then
    same="same table"
else
    same="TABLES DIFFER"
fi
printf "study kdl as 2 parts side by side + merge: %.2f s, %s\n" "$(echo "$t1 - $t0" | bc -l)" "$same"
fi

ok=0; refused=0; t0=$(now)
for f in "$DATA"/topologies/zoo/graphml/*.graphml; do
    n=$(basename "$f" .graphml)
    if "$BIN" import zoo "$f" --prefixes "$DATA/requests/prefix-maps/country-ip-blocks" -o "$W/zoo/$n" -q \
        2> "$W/zoo-$n.err"; then
        ok=$((ok + 1))
    else
        refused=$((refused + 1))
        echo "  refused $n: $(tail -1 "$W/zoo-$n.err")"
    fi
done
t1=$(now)
printf "import zoo: %d written, %d refused, %.1f s for all\n" "$ok" "$refused" "$(echo "$t1 - $t0" | bc -l)"
if grep -l "Sanitizer\|runtime error" "$W"/zoo-*.err > /dev/null 2>&1; then
    echo "import zoo: SANITIZER REPORTS in $(grep -l "Sanitizer\|runtime error" "$W"/zoo-*.err | wc -l) files"
fi
/usr/bin/time -f "import zoo Kdl: %e s, peak RSS %M KB" "$BIN" import zoo "$DATA/topologies/zoo/graphml/Kdl.graphml" \
    --prefixes "$DATA/requests/prefix-maps/country-ip-blocks" -o "$W/kdl-import" -q
