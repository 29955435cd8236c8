#!/usr/bin/env bash
# `make loadtest`: `make serve` (gunicorn) with the seed data on 127.0.0.1, under wrk for
# LOADTEST_SECONDS (30) with LOADTEST_CONNECTIONS (50) connections over the dashboard, the explorer,
# a filtered list, the totals and the reconciliation. Prints requests/s, latency percentiles and
# errors; fails if any request failed. The database is LOADTEST_DATABASE_URL (DATABASE_URL is never
# used, so that an exported production URL is not seeded): a new SQLite file unless it is set.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

export DATABASE_URL="${LOADTEST_DATABASE_URL:-sqlite:///$(mktemp -d -t carsi-load-XXXX)/load.sqlite3}"
export PORT=${PORT:-8093}
export LOADTEST_SECONDS=${LOADTEST_SECONDS:-30}
export LOADTEST_CONNECTIONS=${LOADTEST_CONNECTIONS:-50}
export WORKERS=${WORKERS:-$(( $(nproc) * 2 + 1 ))} THREADS=${THREADS:-2}
export LOADTEST_ERRORS_FILE
LOADTEST_ERRORS_FILE=$(mktemp -t carsi-loadtest-XXXX)

scripts/with_server.sh bash -euo pipefail -c '
  echo "== wrk: ${LOADTEST_SECONDS} s, ${LOADTEST_CONNECTIONS} connections; gunicorn: $WORKERS workers x $THREADS threads"
  # Warm every worker and its database connection first.
  for _ in $(seq 20); do curl -fsS -o /dev/null "$BASE_URL/"; done
  wrk --threads 2 --connections "$LOADTEST_CONNECTIONS" --duration "${LOADTEST_SECONDS}s" --timeout 10s \
    --latency --script bench/loadtest.lua "$BASE_URL" | grep -v "^  [0-9]*%\|Latency Distribution"
'
errors=$(cat "$LOADTEST_ERRORS_FILE")
rm -f "$LOADTEST_ERRORS_FILE"
if [ "$errors" != "0" ]; then
  echo "load test: $errors requests failed"; exit 1
fi
