#!/usr/bin/env bash
# Run a command against `make serve` (gunicorn, debug off) holding the seed data, then stop the server.
#   scripts/with_server.sh COMMAND...      the command finds the server at $BASE_URL
# DATABASE_URL and PORT as for `make serve`. A DJANGO_SECRET_KEY is made up for the run when none
# is set, and the anonymous API rate limit is off unless DJANGO_API_ANON_RATE says otherwise: every
# request of a load test or a fuzzer comes from the one address, 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

export PORT=${PORT:-8090}
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')}
export DJANGO_API_ANON_RATE=${DJANGO_API_ANON_RATE:-off}
export BASE_URL="http://127.0.0.1:$PORT"

.venv/bin/python manage.py migrate --noinput --verbosity 0
.venv/bin/python manage.py load_seed

if curl -fsS -o /dev/null "$BASE_URL/healthz" 2>/dev/null; then
  echo "Something already answers on $BASE_URL: stop it or choose another PORT."; exit 1
fi
log=$(mktemp -t carsi-serve-XXXX.log)
setsid make --no-print-directory serve >"$log" 2>&1 &
server=$!
stop() {
  kill -- "-$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop EXIT

for _ in $(seq 60); do
  curl -fsS "$BASE_URL/healthz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || break  # the server stopped: no use waiting
  sleep 1
done
if ! curl -fsS "$BASE_URL/healthz" >/dev/null 2>&1; then
  echo "make serve did not answer on $BASE_URL:"; cat "$log"; exit 1
fi
echo "== make serve on $BASE_URL (log: $log)"
"$@"
