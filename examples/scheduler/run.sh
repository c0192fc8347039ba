#!/bin/sh
# Starts the test ALTO server on 127.0.0.1, runs an example program against
# its directory URI with one argument (ROUNDS), and stops the server.
#   PROGRAM=push FIXTURES=alto-post sh examples/scheduler/run.sh [BUILD_DIR] [ROUNDS]
# (run-push.sh does exactly that; story.sh drives scheduler.c.)
set -eu
B=$(cd "${1:-build}" 2>/dev/null && pwd) || { echo "no build folder ${1:-build}" >&2; exit 2; }
cd "$(dirname "$0")/../.."
[ "${1:-build}" = build ] && B=$(pwd)/build
ROUNDS=${2:-4}
FIFO=$(mktemp -u /tmp/altoplace-sched.XXXXXX)
mkfifo "$FIFO"
"$B/alto-test-server" "tests/fixtures/${FIXTURES:-alto-post}" ok > "$FIFO" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$FIFO"' EXIT
read PORT < "$FIFO"
"$B/${PROGRAM:-push}" "http://127.0.0.1:$PORT/directory" "$ROUNDS"
