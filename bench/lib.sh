# bench/lib.sh - what the benchmark scripts share (sourced from the
# repository root).
# A number / a string field of a plan file written by `altoplace plan`.
jnum() { sed -n "s/^  \"$1\": \\([^,]*\\),*$/\\1/p" "$2" | head -1; }
jstr() { sed -n "s/^  \"$1\": \"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
# orlib_pair FILE: imports an OR-Library cap-format file into $W/d, plans
# it with --time-limit $LIMIT ($W/plan.json) and with --solver greedy
# ($W/greedy.json); sets st, tp (seconds of the plan), obj, b (bound), g
# (greedy objective).  Returns 1 when the import fails.
orlib_pair() {
    rm -rf "$W/d"
    $BIN import orlib-cap "$1" -o "$W/d" -q || return 1
    t0=$(date +%s.%N)
    $BIN plan "$W/d/problem.json" -q -o "$W/plan.json" --time-limit "$LIMIT"
    t1=$(date +%s.%N)
    $BIN plan "$W/d/problem.json" -q -o "$W/greedy.json" --solver greedy
    st=$(jstr status "$W/plan.json"); tp=$(echo "$t1 - $t0" | bc -l)
    obj=$(jnum objective "$W/plan.json"); b=$(jnum bound "$W/plan.json"); g=$(jnum objective "$W/greedy.json")
}
