#!/bin/sh
# Starts the local bank: a fresh PKI in <state-dir>, then server.mjs (from
# this folder, with its node_modules) in the background; returns once it
# listens (server.json written) or fails after 30 s with the server's log.
# Usage: start.sh <state-dir> [node]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
node=${2:-node}
"$here/stop.sh" "$dir" 2>/dev/null || true
rm -rf "$dir"
"$here/make-pki.sh" "$dir"
nohup "$node" "$here/server.mjs" "$dir" >"$dir/server.log" 2>&1 &
i=0
while [ ! -s "$dir/server.json" ]; do
  i=$((i + 1))
  if [ $i -gt 300 ] || ! kill -0 $! 2>/dev/null; then
    echo "the local bank did not start:" >&2
    cat "$dir/server.log" >&2
    kill $! 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
cat "$dir/server.json"
echo
