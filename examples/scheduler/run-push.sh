#!/bin/sh
# Starts the test ALTO server on 127.0.0.1 with its update stream, runs the
# push-driven example scheduler until it has seen UPDATES (default 2)
# updates, and stops the server.
#   sh examples/scheduler/run-push.sh [BUILD_DIR] [UPDATES]
PROGRAM=push FIXTURES=alto-post exec sh "$(dirname "$0")/run.sh" "${1:-build}" "${2:-2}"
