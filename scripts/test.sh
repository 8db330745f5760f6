#!/usr/bin/env bash
# Runs every test (vectors, unit, end to end) and prints one closing summary line.
# Vectors come from $NYM_VECTORS_DIR when set, else from Tests/Vectors.
set -euo pipefail
cd "$(dirname "$0")/.."

# The cluster tests need a real PostgreSQL on loopback (installed and started by this script,
# unless NYM_TEST_POSTGRES points at one already running).
if [ -z "${NYM_TEST_POSTGRES:-}" ]; then
  bash scripts/postgres.sh
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Tests/Tests.csproj -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# "Passed!  - Failed:     0, Passed:    65, Skipped:     0, Total: ..." -> totals
summary=$(grep -E '(Passed|Failed)!  - Failed: ' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' |
  awk '{f+=$1; p+=$2; s+=$3} END {printf "%d passed, %d failed, %d skipped\n", p, f, s}')
echo "${summary:-0 passed, 0 failed}"
exit "$status"
