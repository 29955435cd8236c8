#!/usr/bin/env bash
# Two app servers (`make serve` twice) on one PostgreSQL and one Redis, as README "Scaling out" runs
# them behind nginx: an answer the second caches is read, an edit is made through the first, and the
# second answers the new figure at once (the data version moved in the edit's transaction).
#   SCALE_DATABASE_URL=postgres://…/db SCALE_REDIS_URL=redis://…/n scripts/two_servers.sh
# Its own names, not DATABASE_URL and REDIS_URL: the script seeds the database, edits a line item and
# empties the Redis database, which an exported production URL must never meet.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SCALE_DATABASE_URL:?a PostgreSQL database of its own}" "${SCALE_REDIS_URL:?a Redis database of its own}"
export DATABASE_URL=$SCALE_DATABASE_URL REDIS_URL=$SCALE_REDIS_URL
export PORT=${PORT:-8770} SECOND_PORT=${SECOND_PORT:-8771} WORKERS=${WORKERS:-2}
.venv/bin/python -c "import os, redis; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()"

scripts/with_server.sh bash -euo pipefail -c '
  second_log=$(mktemp -t carsi-second-XXXX.log)
  setsid make --no-print-directory serve PORT=$SECOND_PORT >"$second_log" 2>&1 &
  second=$!
  trap "kill -- -$second 2>/dev/null || true; wait $second 2>/dev/null || true" EXIT
  SECOND_URL=http://127.0.0.1:$SECOND_PORT
  for _ in $(seq 60); do curl -fsS -o /dev/null "$SECOND_URL/healthz" 2>/dev/null && break; sleep 1; done
  curl -fsS -o /dev/null "$SECOND_URL/healthz" || { echo "the second server did not start:"; cat "$second_log"; exit 1; }
  echo "== two servers: $BASE_URL and $SECOND_URL"
  token=$(.venv/bin/python manage.py shell --no-imports -c "
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user, _ = User.objects.get_or_create(username=\"scale-check\")
user.groups.add(Group.objects.get(name=\"Editor\"))
print(Token.objects.get_or_create(user=user)[0].key)
")
  totals="/api/v1/allocations/totals/?country=GT&stage=disbursed"
  amount() { .venv/bin/python -c "import json, sys; print(json.load(sys.stdin)[\"total\"][\"amount\"])"; }
  before=$(curl -fsS "$SECOND_URL$totals" | amount)
  test "$(curl -fsS "$SECOND_URL$totals" | amount)" = "$before"  # now from Redis
  test "$(curl -fsS "$BASE_URL$totals" | amount)" = "$before"
  item=$(curl -fsS "$BASE_URL/api/v1/allocations/?country=GT&stage=disbursed&ordering=id&page_size=1" \
    | .venv/bin/python -c "import json, sys; r = json.load(sys.stdin)[\"results\"][0]; print(r[\"id\"], r[\"version\"], r[\"amount\"])")
  read -r id version item_amount <<<"$item"
  new_amount=$(.venv/bin/python -c "from decimal import Decimal; print(Decimal(\"$item_amount\") + 1000)")
  curl -fsS -o /dev/null -X PATCH -H "Authorization: Token $token" -H "Content-Type: application/json" \
    -d "{\"amount\": \"$new_amount\", \"version\": $version}" "$BASE_URL/api/v1/allocations/$id/"
  after=$(curl -fsS "$SECOND_URL$totals" | amount)
  expected=$(.venv/bin/python -c "from decimal import Decimal; print(Decimal(\"$before\") + 1000)")
  echo "Guatemala, disbursed: $before before the edit through $BASE_URL; $after read through $SECOND_URL"
  test "$after" = "$expected" || { echo "the second server answered $after, not $expected"; exit 1; }
'
