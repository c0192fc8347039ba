#!/bin/sh
# Starts the test ALTO server on 127.0.0.1 with the line network, runs the
# example scheduler against it for a few rounds, and stops the server.
#   sh examples/scheduler/run.sh [BUILD_DIR] [ROUNDS]
# PROGRAM (default scheduler) and FIXTURES (default alto-server, a folder of
# tests/fixtures) choose another example and server directory; run-push.sh
# uses them.
set -eu
B=$(cd "${1:-build}" 2>/dev/null && pwd) || { echo "no build folder ${1:-build}" >&2; exit 2; }
cd "$(dirname "$0")/../.."
[ "${1:-build}" = build ] && B=$(pwd)/build
ROUNDS=${2:-4}
FIFO=$(mktemp -u /tmp/altoplace-sched.XXXXXX)
mkfifo "$FIFO"
"$B/alto-test-server" "tests/fixtures/${FIXTURES:-alto-server}" ok > "$FIFO" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$FIFO"' EXIT
read PORT < "$FIFO"
"$B/${PROGRAM:-scheduler}" "http://127.0.0.1:$PORT/directory" "$ROUNDS"
