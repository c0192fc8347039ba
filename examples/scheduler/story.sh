#!/bin/sh
# The scheduler's story, end to end against the test ALTO server on
# 127.0.0.1: the driver changes the demand (request logs) between rounds,
# restarts the scheduler, and takes the server down.  It shows that the
# scheduler (a) keeps its site when a better one gains less than the margin,
# (b) moves when the gain is above it, (c) reads its deployed plan back after
# a restart, (e) scales out when the forecast demand will cross 90% of the
# site's capacity, and (d) goes on with the cached maps when the server is
# down, and says so.
#   sh examples/scheduler/story.sh [BUILD_DIR]
set -eu
B=$(cd "${1:-build}" 2>/dev/null && pwd) || { echo "no build folder ${1:-build}" >&2; exit 2; }
cd "$(dirname "$0")/../.."
W=$(mktemp -d /tmp/altoplace-story.XXXXXX)
SRV=
SCHED=
cleanup() {
    [ -n "$SCHED" ] && kill "$SCHED" 2>/dev/null
    [ -n "$SRV" ] && kill "$SRV" 2>/dev/null
    rm -rf "$W"
}
trap cleanup EXIT
cp -r tests/fixtures/alto-server "$W/srv"
mkfifo "$W/port"
"$B/alto-test-server" "$W/srv" ok > "$W/port" &
SRV=$!
read PORT < "$W/port"

# the demand: 8 hourly buckets of requests from A (10.0.0.x) and D
# (10.0.3.x); D's count grows by one every GROW buckets (0: flat)
demand() { # A D GROW
    b=0
    : > "$W/req.jsonl"
    while [ $b -lt 8 ]; do
        d=$2
        [ "$3" -gt 0 ] && d=$(( $2 + b / $3 ))
        i=0; while [ $i -lt "$1" ]; do echo "{\"time\": $(( 1700000000 + b * 3600 + i )), \"addr\": \"10.0.0.$(( i + 1 ))\"}"; i=$(( i + 1 )); done
        i=0; while [ $i -lt $d ]; do echo "{\"time\": $(( 1700000100 + b * 3600 + i )), \"addr\": \"10.0.3.$(( i + 1 ))\"}"; i=$(( i + 1 )); done
        b=$(( b + 1 ))
    done >> "$W/req.jsonl"
}
cat > "$W/problem.json" <<JSON
{"name": "story", "alto": {"ird": "http://127.0.0.1:$PORT/directory", "cache": "cache", "allow-stale": true},
 "cost-metric": "hopcount",
 "demand": {"log": "req.jsonl", "bucket": 3600, "forecast": true, "horizon": 6},
 "model": {"type": "capacitated-facility-location", "k": 1}}
JSON

start() { # the scheduler, fed one line per round; margin 30%
    rm -f "$W/in" "$W/out"
    mkfifo "$W/in" "$W/out"
    "$B/${PROGRAM:-scheduler}" "$W/problem.json" "$W/state.json" 0.3 < "$W/in" > "$W/out" &
    SCHED=$!
    exec 3> "$W/in" 4< "$W/out"
}
stop() {
    exec 3>&- 4<&-
    wait "$SCHED" || true
    SCHED=
}
round() { # $1: what the driver did before this round
    echo round >&3
    read -r line <&4
    echo "$1: $line"
}

start
demand 4 1 0; round "A 4, D 1"
demand 4 5 0; round "(a) D grows to 5: D would save 20%, less than the margin"
demand 2 6 0; round "(b) A 2, D 6: D saves 67%"
stop
start
round "(c) restarted"
demand 1 3 2; round "(e) D grows by one request every other hour"
kill "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=
demand 1 4 0; round "(d) the ALTO server is down"
stop
