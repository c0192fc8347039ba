#!/bin/sh
# Starts the test ALTO server on 127.0.0.1 with its update stream, runs the
# push-driven example scheduler until it has seen two updates, and stops the
# server.
#   sh examples/scheduler/run-push.sh [BUILD_DIR] [UPDATES]
set -eu
B=$(cd "${1:-build}" 2>/dev/null && pwd) || { echo "no build folder ${1:-build}" >&2; exit 2; }
cd "$(dirname "$0")/../.."
[ "${1:-build}" = build ] && B=$(pwd)/build
UPDATES=${2:-2}
FIFO=$(mktemp -u /tmp/altoplace-push.XXXXXX)
mkfifo "$FIFO"
"$B/alto-test-server" tests/fixtures/alto-post ok > "$FIFO" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$FIFO"' EXIT
read PORT < "$FIFO"
"$B/push" "http://127.0.0.1:$PORT/directory" "$UPDATES"
