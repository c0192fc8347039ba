# bench/lib.sh - what the benchmark scripts share (sourced from the
# repository root).
# A number / a string field of a plan file written by `altoplace plan`.
jnum() { sed -n "s/^  \"$1\": \\([^,]*\\),*$/\\1/p" "$2" | head -1; }
jstr() { sed -n "s/^  \"$1\": \"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
# timed_plan BINARY PROBLEM OUT: `BINARY plan PROBLEM -o OUT` with the time
# limit $LIMIT; its wall-clock seconds in secs.
timed_plan() {
    _t0=$(date +%s.%N)
    "$1" plan "$2" -q -o "$3" --time-limit "$LIMIT"
    _t1=$(date +%s.%N)
    secs=$(echo "$_t1 - $_t0" | bc -l)
}
# orlib_pair FILE: imports an OR-Library cap-format file into $W/d, plans
# it with --time-limit $LIMIT ($W/plan.json) and with --solver greedy
# ($W/greedy.json); sets st, tp (seconds of the plan), obj, b (bound), g
# (greedy objective).  Returns 1 when the import fails.
orlib_pair() {
    rm -rf "$W/d"
    $BIN import orlib-cap "$1" -o "$W/d" -q || return 1
    timed_plan "$BIN" "$W/d/problem.json" "$W/plan.json"; tp=$secs
    $BIN plan "$W/d/problem.json" -q -o "$W/greedy.json" --solver greedy
    st=$(jstr status "$W/plan.json")
    obj=$(jnum objective "$W/plan.json"); b=$(jnum bound "$W/plan.json"); g=$(jnum objective "$W/greedy.json")
}
