#!/usr/bin/env bash
# schemathesis against `make serve`: generated requests to every API operation, checked against
# the OpenAPI schema at /api/v1/schema/. Fails on any 500, any status code the schema does not list,
# and any response that does not match its schema.
#   1. every read, anonymous;  2. every write, as an Editor with an API token.
# The writes change data, so the run gets a database of its own: a new SQLite file unless
# FUZZ_DATABASE_URL names one (a throwaway database; DATABASE_URL is never used).
# FUZZ_SECONDS bounds each of the two runs (default 60); FUZZ_SEED fixes the random draw (CI uses
# one; unset, each run explores afresh).
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${FUZZ_DATABASE_URL:-sqlite:///$(mktemp -d -t carsi-fuzz-XXXX)/fuzz.sqlite3}"
export PORT=${PORT:-8091}
export FUZZ_SECONDS=${FUZZ_SECONDS:-60}

exec scripts/with_server.sh bash -euo pipefail -c '
  checks=not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance
  # One worker: hypothesis parses lambdas with ast.parse, which CPython 3.11 cannot run in two
  # threads at once ("AST constructor recursion depth mismatch").
  common=(--checks "$checks" --max-time "$FUZZ_SECONDS" --workers 1 --suppress-health-check too_slow,filter_too_much --warnings off)
  if [ -n "${FUZZ_SEED:-}" ]; then common+=(--seed "$FUZZ_SEED"); fi

  echo "== fuzzing every read, anonymous"
  .venv/bin/schemathesis run "$BASE_URL/api/v1/schema/" "${common[@]}" --include-method GET

  echo "== fuzzing every write, as an Editor"
  token=$(.venv/bin/python manage.py shell --no-imports -c "
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user, _ = User.objects.get_or_create(username=\"fuzz-editor\")
user.groups.add(Group.objects.get(name=\"Editor\"))
print(Token.objects.get_or_create(user=user)[0].key)
")
  .venv/bin/schemathesis run "$BASE_URL/api/v1/schema/" "${common[@]}" --exclude-method GET \
    -H "Authorization: Token $token"
'
