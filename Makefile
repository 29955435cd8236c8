# CARSI Tracker: `make run` serves the app with the seed data, `make test` runs the tests.
# Both set up .venv from requirements.txt first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# `make run` is the local development server: debug on unless DJANGO_DEBUG says otherwise.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.PHONY: install run migrate seed test lint format clean

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "CARSI Tracker needs Python 3.11 or newer ($(PYTHON) is older); set PYTHON=..."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

install: $(BIN)/.installed

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

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
