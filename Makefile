# CARSI Tracker: `make run` serves the app with the seed data, `make test` runs the tests.
# Both set up .venv from requirements.txt first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# `make run` is the local development server: debug on unless DJANGO_DEBUG says otherwise.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}
# `make serve` is the production server: gunicorn, debug off, settings from the environment. A
# process more than the cores, of four threads each: most answers come from the response cache and
# wait on the database or Redis more than they compute (bench/RESULTS.md, "Workers and threads").
WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
THREADS ?= 4
# Seconds a stopping worker (SIGTERM, a deploy) has to finish the requests it is answering.
GRACEFUL_TIMEOUT ?= 30
BIND ?= 127.0.0.1:$(PORT)

.PHONY: install run migrate seed test lint format clean serve loadtest fuzz backup restore bench-backup citations \
	messages check-messages

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "CARSI Tracker needs Python 3.11 or newer ($(PYTHON) is older); set PYTHON=..."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# The compiled catalogs (.mo) are built here from the .po files, with Babel: never committed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

install: $(BIN)/.installed $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(BIN)/.installed
	$(BIN)/python scripts/messages.py compile $<

# The catalogs brought in step with the code (needs GNU gettext: apt-get install gettext); then
# translate what is new in locale/<language>/LC_MESSAGES/django.po.
messages: install
	$(BIN)/python scripts/messages.py make
	$(BIN)/python scripts/messages.py check

# Every string of the code and templates in every catalog, translated, none fuzzy (CI).
check-messages: install
	$(BIN)/python scripts/messages.py check --source

migrate: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(RUN_ENV) $(BIN)/python manage.py load_seed

run: seed
	@echo
	@echo "CARSI Tracker on http://127.0.0.1:$(PORT)/  (admin at /admin/)"
	@echo "To create an admin login: $(RUN_ENV) $(BIN)/python manage.py createsuperuser"
	@echo
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production: debug stays off (DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set, see README
# "Deploying"); static files are collected and served by the app. Threaded workers keep a long
# CSV download from being taken for a hung worker.
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn carsi_tracker.wsgi --bind $(BIND) --workers $(WORKERS) --threads $(THREADS) \
		--worker-class gthread --graceful-timeout $(GRACEFUL_TIMEOUT) --access-logfile - \
		--forwarded-allow-ips 127.0.0.1

# `make serve` with the seed data on a port of its own, under wrk: 30 s, 50 connections.
loadtest: install
	bench/loadtest.sh

# schemathesis against `make serve`: every API operation, anonymous reads and an Editor's writes.
fuzz: install
	scripts/fuzz.sh

backup: install
	@$(RUN_ENV) $(BIN)/python manage.py backup

restore: migrate
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/carsi-….jsonl.gz"; exit 1; }
	$(RUN_ENV) $(BIN)/python manage.py restore "$(FILE)"

test: install
	$(BIN)/pytest

# Every quote and date of the seed data against the texts of its sources (a directory of them).
citations: TEXTS ?= ../shared/seeds
citations: seed
	$(RUN_ENV) $(BIN)/python manage.py check_citations --texts "$(TEXTS)"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# `make bench`: N line items (a million unless N=…) on PostgreSQL, each endpoint timed beside its
# raw SQL (bench/run.py; results in bench/RESULTS.md). The database is created if missing.
.PHONY: bench
# (The default database is set in the recipe's shell: a make variable named DATABASE_URL would stop
# make from passing the caller's DATABASE_URL on to every other target.)
bench: N ?= 1000000
bench: install
	DATABASE_URL=$${DATABASE_URL:-postgres://root@127.0.0.1:5432/carsi_bench} $(BIN)/python -m bench.run --allocations $(N)

# Backup and restore of N imported line items with history, beside pg_dump/pg_restore (bench/RESULTS.md).
bench-backup: N ?= 100000
bench-backup: install
	$(BIN)/python -m bench.backup_restore --line-items $(N)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
