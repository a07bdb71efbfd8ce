#!/bin/sh
# Starts Glewlwyd (Debian's package) as a second, independent authorization
# server: a fresh PKI and SQLite database in <state-dir>, its configuration
# for https://127.0.0.1:<free port>, the server in the background, then
# provision.mjs (users, the OpenID Connect plugin, the clients) through its
# admin API. Returns once server.json is written, or fails with the logs.
# Usage: start.sh <state-dir> [node]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
node=${2:-node}
"$here/stop.sh" "$dir" 2>/dev/null || true
rm -rf "$dir"
"$here/../bank/make-pki.sh" "$dir" "obauth glewlwyd test CA"
# The package's SQLite schema (with the admin user), as dbconfig-common has
# it; /usr/share/doc holds a gzipped copy that minimal images may leave out.
schema=/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3
if [ -f "$schema" ]; then
  sqlite3 "$dir/glewlwyd.db" <"$schema"
else
  zcat /usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz | sqlite3 "$dir/glewlwyd.db"
fi
# A free port: bind port 0 and read what the kernel chose.
port=$("$node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
sed -e "s|@PORT@|$port|g" -e "s|@DIR@|$dir|g" "$here/glewlwyd.conf.in" >"$dir/glewlwyd.conf"
nohup glewlwyd --config-file="$dir/glewlwyd.conf" >"$dir/stdout.log" 2>&1 &
pid=$!
i=0
until grep -q "Glewlwyd started" "$dir/glewlwyd.log" 2>/dev/null; do
  i=$((i + 1))
  if [ $i -gt 300 ] || ! kill -0 $pid 2>/dev/null; then
    echo "glewlwyd did not start:" >&2
    cat "$dir/stdout.log" "$dir/glewlwyd.log" >&2 2>/dev/null || true
    kill $pid 2>/dev/null || true
    exit 1
  fi
  sleep 0.1
done
# provision.mjs writes server.json with the pid, which stop.sh reads.
if ! NODE_EXTRA_CA_CERTS="$dir/ca.pem" "$node" "$here/provision.mjs" "$dir" "$port" $pid; then
  echo "provisioning glewlwyd failed; its log:" >&2
  tail -n 40 "$dir/glewlwyd.log" >&2
  kill $pid 2>/dev/null || true
  exit 1
fi
cat "$dir/server.json"
echo
