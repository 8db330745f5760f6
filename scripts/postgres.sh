#!/usr/bin/env bash
# A PostgreSQL instance of this project's own, never the machine's system cluster: its own data
# directory and port, created with initdb and run with pg_ctl, listening on 127.0.0.1 only (unless
# told otherwise), with the role and database nymgateway / nymgateway (password nymgateway). Installs the server from
# Debian's packages when it is missing (as root). Idempotent: run it as often as you like.
#   bash scripts/postgres.sh [start]    create it the first time, start it, print its connection string
#   bash scripts/postgres.sh restart    restart it (the crash test does this to the test instance)
#   bash scripts/postgres.sh stop
#   bash scripts/postgres.sh status     exit status 0 when it runs
# NYM_PG_PORT picks the instance (default 25432; scripts/test.sh uses 25433 for the tests' own);
# its data lives in NYM_PG_DATA (default /tmp/nymgateway-pg-<port>).
# For hosts on other machines (the fleet tests' database host): NYM_PG_LISTEN is the address to listen
# on (default 127.0.0.1) and NYM_PG_ALLOW a network (e.g. 10.0.0.0/24) allowed in with the password.
# Both apply at start.
# As root the server runs as the postgres user, since initdb and postgres refuse to run as root.
set -euo pipefail
action="${1:-start}"
port="${NYM_PG_PORT:-25432}"
data="${NYM_PG_DATA:-/tmp/nymgateway-pg-${port}}"
listen="${NYM_PG_LISTEN:-127.0.0.1}"
allow="${NYM_PG_ALLOW:-}"
die() { echo "postgres.sh: $*" >&2; exit 1; }
case "$action" in start | restart | stop | status) ;; *) die "unknown action '$action' (start, restart, stop, status)" ;; esac

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed: run 'apt-get install postgresql' as root, or this script as root"
  echo "Installing PostgreSQL from Debian's packages..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi

if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "there is no 'postgres' user to run the server as (Debian's postgresql package creates it)"
  owner=postgres
  # From / since the postgres user may not be allowed into the current directory.
  as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
  owner=$(id -un)
  as_owner() { "$@"; }
fi

# An existing instance keeps the major version it was created with; a new one takes the newest installed.
if [ -f "$data/PG_VERSION" ]; then
  version=$(cat "$data/PG_VERSION")
  [ -x "/usr/lib/postgresql/$version/bin/postgres" ] ||
    die "$data was created by PostgreSQL $version, which is not installed; remove that directory to start afresh"
else
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
fi
bin="/usr/lib/postgresql/$version/bin"
if [ -e "$data" ]; then
  owner_now=$(stat -c %U "$data")
  [ "$owner_now" = "$owner" ] ||
    die "$data belongs to $owner_now; run this script as $([ "$owner_now" = postgres ] && echo root || echo "$owner_now")"
fi
running() { [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

case "$action" in
  status)
    if running; then echo "PostgreSQL $version on $listen:$port runs ($data)"; exit 0; fi
    echo "PostgreSQL on $listen:$port is not running ($data)"; exit 3 ;;
  stop)
    if running; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
    echo "PostgreSQL on $listen:$port stopped"; exit 0 ;;
  restart)
    # Only ever an instance this script created and started.
    [ -f "$data/nymgateway.conf" ] || die "$data is not an instance created by this script; nothing to restart"
    running || die "PostgreSQL on $listen:$port ($data) is not running; nothing to restart"
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 restart -l "$data/server.log" >/dev/null
    echo "PostgreSQL on $listen:$port restarted"; exit 0 ;;
esac

if ! running && (exec 3<>"/dev/tcp/$listen/$port") 2>/dev/null; then
  die "port $port on $listen is taken by another server; choose another with NYM_PG_PORT"
fi
if [ ! -f "$data/PG_VERSION" ]; then
  if [ -e "$data" ] && [ -n "$(ls -A "$data")" ]; then
    die "$data exists and is not a PostgreSQL data directory; remove it or set NYM_PG_DATA"
  fi
  echo "Creating a PostgreSQL $version instance in $data"
  mkdir -p "$data"
  chown "$owner:" "$data"
  chmod 700 "$data"
  # Local socket connections for the superuser (the owner) by OS user; TCP only with a password.
  as_owner "$bin/initdb" -D "$data" -E UTF8 --locale=C --auth-local=peer --auth-host=scram-sha-256 >/dev/null
fi

# The settings live in a file of their own, rewritten on every start; postgresql.conf includes it.
as_owner tee "$data/nymgateway.conf" >/dev/null <<EOF
# Written by scripts/postgres.sh on every start; edit the script, not this file.
listen_addresses = '$listen'
port = $port
unix_socket_directories = '$data'
max_connections = 300
# Every message is written and deleted once: with the default 1 GB of WAL between checkpoints,
# a busy gateway checkpoints every minute or so and commits stall behind the checkpoint's sync.
max_wal_size = 4GB
EOF
grep -q "^include 'nymgateway.conf'" "$data/postgresql.conf" ||
  echo "include 'nymgateway.conf'" | as_owner tee -a "$data/postgresql.conf" >/dev/null
# The NYM_PG_ALLOW line is rewritten on every start too: dropped, then added again when it is set.
as_owner sed -i '/# NYM_PG_ALLOW$/d' "$data/pg_hba.conf"
if [ -n "$allow" ]; then
  echo "host all all $allow scram-sha-256 # NYM_PG_ALLOW" | as_owner tee -a "$data/pg_hba.conf" >/dev/null
fi

if ! running; then
  as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null ||
    die "PostgreSQL did not start; see $data/server.log"
fi

psql() { as_owner "$bin/psql" -h "$data" -p "$port" -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }
[ "$(psql "SELECT 1 FROM pg_roles WHERE rolname = 'nymgateway'")" = "1" ] ||
  psql "CREATE ROLE nymgateway LOGIN PASSWORD 'nymgateway' CREATEDB"
[ "$(psql "SELECT 1 FROM pg_database WHERE datname = 'nymgateway'")" = "1" ] ||
  psql "CREATE DATABASE nymgateway OWNER nymgateway"
echo "PostgreSQL $version on $listen:$port ($data): Host=$listen;Port=$port;Database=nymgateway;Username=nymgateway;Password=nymgateway"
