#!/bin/sh
# Stops the Glewlwyd that start.sh started in <state-dir>: the same as the
# local bank's stop.sh (server.json holds the pid).
# Usage: stop.sh <state-dir>
exec sh "$(dirname "$0")/../bank/stop.sh" "$1"
