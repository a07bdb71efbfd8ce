#!/bin/sh
# Stops the local bank started by start.sh <state-dir>.
# Usage: stop.sh <state-dir>
set -eu
dir=$1
[ -s "$dir/server.json" ] || exit 0
pid=$(sed -E 's/.*"pid":([0-9]+).*/\1/' "$dir/server.json")
kill "$pid" 2>/dev/null || exit 0
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
  i=$((i + 1))
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null || true
rm -f "$dir/server.json"
