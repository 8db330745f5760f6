#!/usr/bin/env bash
# Starts a local PostgreSQL for cluster mode and its tests, on 127.0.0.1 only, and creates the
# role and database the tests use (nymgateway / nymgateway). Installs the server from Debian's
# packages when it is missing. Idempotent: run it as often as you like.
#   bash scripts/postgres.sh            start (and set up)
#   bash scripts/postgres.sh restart    restart the server (the crash tests do this)
#   bash scripts/postgres.sh stop
set -euo pipefail
action="${1:-start}"
port="${NYM_PG_PORT:-5432}"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^${version} main$"; then
  pg_createcluster "$version" main --port "$port" >/dev/null
fi
conf="/etc/postgresql/${version}/main/postgresql.conf"
grep -q "^listen_addresses = '127.0.0.1'" "$conf" || echo "listen_addresses = '127.0.0.1'" >> "$conf"
grep -q "^max_connections = 300" "$conf" || echo "max_connections = 300" >> "$conf"
# Every message is written and deleted once: with the default 1 GB of WAL between checkpoints,
# a busy gateway checkpoints every minute or so and commits stall behind the checkpoint's sync.
grep -q "^max_wal_size = 4GB" "$conf" || echo "max_wal_size = 4GB" >> "$conf"

case "$action" in
  stop) pg_ctlcluster "$version" main stop || true; exit 0 ;;
  restart) pg_ctlcluster "$version" main restart ;;
  *) pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main status >/dev/null ;;
esac

for _ in $(seq 1 50); do
  pg_isready -h 127.0.0.1 -p "$port" -q && break
  sleep 0.2
done
pg_isready -h 127.0.0.1 -p "$port"

run() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qtAc \"$1\""; }
[ "$(run "SELECT 1 FROM pg_roles WHERE rolname = 'nymgateway'")" = "1" ] ||
  run "CREATE ROLE nymgateway LOGIN PASSWORD 'nymgateway' CREATEDB"
[ "$(run "SELECT 1 FROM pg_database WHERE datname = 'nymgateway'")" = "1" ] ||
  run "CREATE DATABASE nymgateway OWNER nymgateway"
run "SELECT pg_reload_conf()" >/dev/null
echo "PostgreSQL ${version} on 127.0.0.1:${port}: Host=127.0.0.1;Port=${port};Database=nymgateway;Username=nymgateway;Password=nymgateway"
