#!/usr/bin/env bash
# `make loadtest`: `make serve` (gunicorn, debug off) with the seed data on PostgreSQL and the response
# cache in Redis, under wrk for LOADTEST_SECONDS (30) with LOADTEST_CONNECTIONS (50) connections, three
# times on the same server: the six addresses an analyst or a script asks most (the dashboard, the
# explorer, a filtered list, the totals, the reconciliation page and API), the dashboard alone, and
# the stylesheet (a static file WhiteNoise serves from memory: the stack's own ceiling). Prints
# requests/s, latency percentiles and errors of each, and the dashboard's rate beside the static
# file's; fails if any request failed.
# The database is LOADTEST_DATABASE_URL (created if missing; DATABASE_URL is never used, so that an
# exported production URL is not seeded) and the cache LOADTEST_REDIS_URL; LOADTEST_REDIS_URL=none
# keeps the cache in each worker's memory.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

export DATABASE_URL="${LOADTEST_DATABASE_URL:-postgres://root@127.0.0.1:5432/carsi_loadtest}"
case "$DATABASE_URL" in
  postgres*) .venv/bin/python -c "import sys; from bench.run import create_database; create_database(sys.argv[1])" "$DATABASE_URL" ;;
esac
redis_url="${LOADTEST_REDIS_URL:-redis://127.0.0.1:6379/2}"
if [ "$redis_url" != "none" ]; then export REDIS_URL="$redis_url"; fi
export PORT=${PORT:-8093}
export LOADTEST_SECONDS=${LOADTEST_SECONDS:-30}
export LOADTEST_CONNECTIONS=${LOADTEST_CONNECTIONS:-50}
export WORKERS=${WORKERS:-$(( $(nproc) + 1 ))} THREADS=${THREADS:-4}  # as `make serve` has them
# The six addresses an analyst or a script asks most: the dashboard, the explorer filtered, a
# filtered list, the totals, the reconciliation as API and as page.
export LOADTEST_MIXED="/ /allocations/?country=GT&stage=appropriated /api/v1/allocations/?country=HN&stage=disbursed \
/api/v1/allocations/totals/?group_by=fiscal_year,country /api/v1/reconciliation/ /reconciliation/"
export LOADTEST_ERRORS_FILE LOADTEST_RATES_FILE
LOADTEST_ERRORS_FILE=$(mktemp -t carsi-loadtest-XXXX)
LOADTEST_RATES_FILE=$(mktemp -t carsi-loadtest-rates-XXXX)

scripts/with_server.sh bash -euo pipefail -c '
  echo "== wrk: ${LOADTEST_SECONDS} s, ${LOADTEST_CONNECTIONS} connections; gunicorn: $WORKERS workers x $THREADS threads; database ${DATABASE_URL%%:*}; cache ${REDIS_URL:-in each worker}"
  stylesheet=$(curl -fsS "$BASE_URL/" | grep -o "/static/css/site\.[0-9a-f]*\.css" | head -n 1)
  test -n "$stylesheet" || { echo "no hashed stylesheet on the dashboard"; exit 1; }
  # Warm every worker, its database connection and each address first (a server that has been up a
  # while holds them; the first request after an edit renders its answer once, as the bench measures).
  read -ra mixed <<<"$LOADTEST_MIXED"
  for _ in $(seq 10); do for path in "${mixed[@]}"; do curl -fsS -o /dev/null "$BASE_URL$path"; done; done
  run() {
    LOADTEST_LABEL=$1 LOADTEST_PATHS=$2 wrk --threads 2 --connections "$LOADTEST_CONNECTIONS" \
      --duration "${LOADTEST_SECONDS}s" --timeout 10s --latency --script bench/loadtest.lua "$BASE_URL" \
      | grep -v "^  [0-9]*%\|Latency Distribution"
  }
  run mixed "$LOADTEST_MIXED"
  run dashboard /
  run static "$stylesheet"
'
errors=$(awk '{ total += $1 } END { print total + 0 }' "$LOADTEST_ERRORS_FILE")
awk '{ rate[$1] = $2 } END {
  if (rate["dashboard"] > 0) printf "\n== the static file at %.1f requests/s is %.2f times the dashboard (%.1f)\n",
    rate["static"], rate["static"] / rate["dashboard"], rate["dashboard"] }' "$LOADTEST_RATES_FILE"
rm -f "$LOADTEST_ERRORS_FILE" "$LOADTEST_RATES_FILE"
if [ "$errors" != "0" ]; then
  echo "load test: $errors requests failed"; exit 1
fi
