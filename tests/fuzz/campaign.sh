#!/bin/sh
# Long fuzzing runs: each named harness (default: all) for SECONDS, one after
# the other, in build-campaign/. A crash is reported and the next harness
# runs. After each run the corpus it grew is minimised (libFuzzer -merge)
# into tests/fuzz/corpus/NAME, which .ci/fuzz also seeds from, so the short
# CI pass starts where the long runs stopped. Each run appends one row to
# build-campaign/campaign.txt: harness, seconds, executions, edges, result.
#   sh tests/fuzz/campaign.sh SECONDS [NAME...]
# CAMPAIGN_BUILD=build-campaign2 runs a second campaign beside the first
# (one core each).
set -u
cd "$(dirname "$0")/../.."
S=${1:?usage: campaign.sh SECONDS [NAME...]}
shift
B=${CAMPAIGN_BUILD:-build-campaign}
names=${*:-$(for f in tests/fuzz/fuzz_*.c; do n=$(basename "$f" .c); printf '%s ' "${n#fuzz_}"; done)}
# one build of the library, then every run links it (FUZZ_PREBUILT); the
# runs use a copy of .ci/fuzz taken now (sh reads a script as it goes, so
# editing .ci/fuzz in place would break a run under way).  The copy sits in
# $B, one level down, as .ci/fuzz does: its cd "$0/.." lands here.
mkdir -p "$B" && cp .ci/fuzz "$B/fuzz.sh" || exit 1
FUZZ_BUILD=$B FUZZ_ONLY=none sh "$B/fuzz.sh" 1 || exit 1
for n in $names; do
    if out=$(FUZZ_PREBUILT=1 FUZZ_BUILD=$B FUZZ_ONLY=$n sh "$B/fuzz.sh" "$S" 2>&1); then
        res=ok
    else
        res="FAILED: $(ls -t $B/crash-* $B/leak-* $B/timeout-* $B/oom-* 2>/dev/null | head -1)"
    fi
    log=$B/fuzz_$n.log
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    mkdir -p tests/fuzz/corpus/$n
    (cd $B && ./fuzz_$n -merge=1 -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
        ../tests/fuzz/corpus/$n corpus/$n > merge_$n.log 2>&1)
    row=$(printf '%s\t%s\t%s\t%s\t%s\t%s' "$n" "$S" "${execs:-?}" "${cov:-?}" "$(ls tests/fuzz/corpus/$n | wc -l)" "$res")
    echo "$row" | tee -a $B/campaign.txt
    [ "$res" = ok ] || echo "$out" | tail -30
done
