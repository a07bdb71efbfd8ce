#!/bin/sh
# Stops the Glewlwyd that start.sh started in <state-dir>.
# Usage: stop.sh <state-dir>
dir=$1
[ -f "$dir/glewlwyd.pid" ] || exit 0
pid=$(cat "$dir/glewlwyd.pid")
kill "$pid" 2>/dev/null || exit 0
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
  i=$((i + 1))
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null || true
rm -f "$dir/glewlwyd.pid"
