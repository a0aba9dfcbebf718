# The few verbs a newcomer needs. `make run` and `make test` set everything up themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# axe-core (accessibility checks of the browser tests), from the npm registry via package-lock.json.
AXE := node_modules/axe-core/axe.min.js
NPM := $(shell command -v npm 2>/dev/null)
# The playwright package drives Debian's chromium: it must never fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint format migrations-check clean bench load

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# mypy on the domain modules (the files in [tool.mypy], pyproject.toml). django-stubs' plugin
# imports the settings, which want a secret key: checking types signs nothing, so any will do.
MYPY := DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-type-checks-sign-nothing} $(BIN)/mypy

# Reinstall only when requirements.txt changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Local use: debug on (so a secret key is not required), SQLite unless DATABASE_URL is set.
run: export DJANGO_DEBUG ?= 1
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py ensure_admin
	-$(BIN)/python manage.py extract_text --missing
	@echo "Serving on http://$(HOST):$(PORT)/ (staff: http://$(HOST):$(PORT)/admin/)"
	@# The background worker (documents' text) beside the server, stopped with it.
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The whole suite, on SQLite or on the database DATABASE_URL names, then lint, types and the
# migrations check. pytest's exit code 5 (no test collected) fails like any other.
# Without npm the accessibility checks skip (and fail when CI=true): see README.md.
test: $(VENV)/.installed $(if $(NPM),$(AXE))
	$(BIN)/python -m pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MYPY)
	$(BIN)/python manage.py makemigrations --check --dry-run

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MYPY)

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The public pages under load with wrk, on PostgreSQL with generate_bench_data's data set
# (BENCH_* variables: see README.md, "Benchmarks"). Writes bench-results/<timestamp>.md.
bench: $(VENV)/.installed
	@command -v wrk >/dev/null 2>&1 || apt-get install -y wrk >/dev/null || { echo "install wrk (Debian: apt-get install wrk)"; exit 1; }
	$(BIN)/python -m devtools.bench

# Readers and staff at once for LOAD_SECONDS (LOAD_* variables: see README.md, "Load test"):
# gunicorn on PostgreSQL, then every accepted staff save checked in the database and its
# history. Writes bench-results/load-<timestamp>.md; exits 1 on any error.
load: $(VENV)/.installed
	$(BIN)/python -m devtools.load

clean:
	rm -rf $(VENV) db.sqlite3
