#!/usr/bin/env bash
# Runs every test (vectors, unit, end to end, cluster) and prints one closing summary line.
# Vectors come from $NYM_VECTORS_DIR when set, else from Tests/Vectors.
#
# The cluster tests use a PostgreSQL instance of their own, never the machine's system cluster:
# scripts/postgres.sh creates it (in /tmp/nymgateway-pg-<port>) and starts it on 127.0.0.1 port
# $NYM_TEST_PG_PORT (default 25433), and the crash test restarts it. Root is needed only when
# PostgreSQL is not installed yet (Debian's package is installed then); as root the server runs as
# the postgres user, as another user as that user. The unit file tests need systemd-analyze.
# The instance is stopped at the end when this run started it; its data stays, so the next run
# starts it in a second.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${NYM_TEST_PG_PORT:-25433}" # the default is also in Tests/Cluster/PostgresServer.cs

# One test run at a time per instance: the crash test restarts it, and the run that started it stops it.
# fd 9 holds the lock; the children below get it closed so a server started by them cannot keep it.
lock="${TMPDIR:-/tmp}/nymgateway-test-pg-${port}.lock"
exec 9>>"$lock"
if ! flock -n 9; then
  echo "Another test run uses the test PostgreSQL on port $port; wait for it, or set NYM_TEST_PG_PORT to another free port." >&2
  exit 1
fi
pg() { env -u NYM_PG_DATA NYM_PG_PORT="$port" bash scripts/postgres.sh "$@" 9>&-; }
started=no
pg status >/dev/null || started=yes
pg start

log=$(mktemp)
cleanup() {
  rm -f "$log"
  if [ "$started" = yes ]; then pg stop >/dev/null; fi
}
trap cleanup EXIT
set +e
NYM_TEST_PG_PORT="$port" dotnet test Tests/Tests.csproj -c Release "$@" 9>&- 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# The failures again, last, where a log cut to its tail still shows them: each failed test's name
# and error message (its output, often a long host log, stays above).
failures=$(awk '/^  Failed [A-Za-z]/ {show=1; lines=0; print; next}
                show && /^  (Stack Trace|Standard Output Messages):/ {show=0}
                show && lines++ < 30 {print}' "$log")
if [ -n "$failures" ]; then
  printf 'Failed tests:\n%s\n' "$failures"
fi

# "Passed!  - Failed:     0, Passed:    65, Skipped:     0, Total: ..." -> totals; a detailed
# console logger prints "     Passed: 65" lines instead. A grep that finds nothing must not end
# the script (pipefail).
summary=$({ grep -E '(Passed|Failed)!  - Failed: ' "$log" || true; } | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' |
  awk '{f+=$1; p+=$2; s+=$3; n++} END {if (n) printf "%d passed, %d failed, %d skipped\n", p, f, s}')
if [ -z "$summary" ]; then
  summary=$({ grep -E '^ +(Passed|Failed|Skipped): [0-9]+$' "$log" || true; } |
    awk '{n[$1]+=$2} END {printf "%d passed, %d failed, %d skipped\n", n["Passed:"], n["Failed:"], n["Skipped:"]}')
fi
echo "${summary:-0 passed, 0 failed}"
exit "$status"
