# Afterword: `make run` sets up and starts the app on embedded defaults; `make test` sets up and runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
LOCK_HASH := $(shell cat requirements.lock pyproject.toml 2>/dev/null | sha1sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(LOCK_HASH)
FLASK := $(BIN)/flask --app wsgi
# Models come from installed packages; never reach for a model hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export PYTHONDONTWRITEBYTECODE := 1
export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
# The test runs write bytecode, so pytest keeps each test module with its asserts rewritten in __pycache__
# (ignored by git): without it every pytest process, and each collection tests/test_makefile.py makes, rewrote
# every test module again (some 7 of the 19 s of CPU a collection of the whole suite takes).
test test-sqlite test-pg test-fast: export PYTHONDONTWRITEBYTECODE :=
# What one of make test's pytest runs makes for the others (the example bank's vectors, tests/warm_cache.py):
# emptied at the start of each make test.
test: export AFTERWORD_TEST_SHARED_DIR := $(CURDIR)/test-output/shared
# The PostgreSQL database the tests use (created if missing); `make test` runs the database tests on it too.
PG_TEST_URL ?= postgresql+psycopg://$(shell id -un)@127.0.0.1:5432/afterword_test

.PHONY: help setup prepare run serve worker beat lint test test-sqlite browser-deps test-pg test-fast audit db-upgrade demo bench-themes bench-import bench-email clean vendor

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/; s/$$(HOST)/$(HOST)/g; s/$$(PORT)/$(PORT)/g' \
	  | column -t -s $$'\t'

# The stamp's name holds the files' hash, so new pins install again; a checkout that only rewrote the
# files' dates (another branch and back, a fresh worktree) does not (order-only prerequisites).
$(STAMP): | requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned dependencies into $(VENV) (first run only; a few minutes)..."
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	@echo "Preparing the models (ONNX export, root-cause heads; first run only; about a minute)..."
	@$(BIN)/python -m nlp prepare
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP) ## Create .venv, install the pinned dependencies and prepare the models (skipped when up to date)

prepare: ## Export the encoder and train the root-cause heads into the user's cache folder again
	@# A first setup prepares the models itself, so a fresh checkout prepares them once, not twice.
	@if [ -f $(STAMP) ]; then $(BIN)/python -m nlp prepare; else $(MAKE) --no-print-directory setup; fi

db-upgrade: setup ## Create or upgrade the database schema
	@$(FLASK) db upgrade

demo: db-upgrade ## Load the demo company into an empty database
	@$(FLASK) demo load --if-empty --quiet

run: demo ## Set up, load demo data if the database is empty, and serve on http://$(HOST):$(PORT)
	@$(FLASK) demo welcome --host $(HOST) --port $(PORT)
	@$(FLASK) run --host $(HOST) --port $(PORT) --with-threads

serve: db-upgrade ## Serve with gunicorn on HOST:PORT (GUNICORN_WORKERS x GUNICORN_THREADS; see docs/deploy.md)
	@$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

worker: db-upgrade ## Start a Celery worker for the jobs (set JOB_RUNNER=celery for the web too; needs Redis)
	@JOB_RUNNER=celery $(BIN)/celery -A feedback_app.celery_worker worker --loglevel=INFO $(WORKER_ARGS)

beat: setup ## Start Celery beat, which queues the periodic jobs (delivery, reminders, retention); run exactly one
	@mkdir -p instance
	@JOB_RUNNER=celery $(BIN)/celery -A feedback_app.celery_worker beat --loglevel=INFO --schedule=instance/celerybeat-schedule

# Every check runs even when an earlier one fails, so one run lists all there is to fix.
LINT_PATHS := feedback_app nlp tests bench scripts config.py wsgi.py gunicorn.conf.py

lint: setup ## ruff check, ruff format --check (app, nlp, tests, bench) and mypy (feedback_app, nlp)
	@rc=0; \
	 echo "== ruff check"; $(BIN)/ruff check $(LINT_PATHS) || rc=1; \
	 echo "== ruff format --check"; $(BIN)/ruff format --check $(LINT_PATHS) || rc=1; \
	 echo "== mypy"; $(BIN)/mypy || rc=1; \
	 exit $$rc

# The SQLite tests `make test` runs in the PostgreSQL run's lane, after it: alone, the PostgreSQL run ended some
# 5 minutes before the SQLite one and left a core idle. The SQLite run skips them, so each test runs once on SQLite.
# tests/nlp needs no database; the others are the SQLite run's longest tests outside the browser ones.
# tests/app/privacy/test_privacy.py went back to the SQLite run when its pipeline tests and per-test apps got
# cheaper (the pipeline's demo-with-analysis test joined tests/app/demo's), to keep the two lanes level.
# The PostgreSQL run leaves out the tests that load the models (marked slow): they check the analysis, which
# reads and writes the same rows on either engine, and run on SQLite; those whose result depends on the
# engine are marked postgresql and run there too (tests/conftest.py registers the marker).
TEST_BESIDE := tests/nlp tests/test_makefile.py tests/app/demo tests/app/api/test_schemathesis.py \
  tests/app/conversations/test_complaints.py

test: setup browser-deps ## Set up and run the whole suite on SQLite and, alongside, the database tests on PostgreSQL (see docs/testing.md)
	@mkdir -p test-output; rm -rf test-output/postgresql.{log,rc} test-output/beside.{log,rc} test-output/shared
	@( TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest tests/app \
	     -m "not browser and (not slow or postgresql)" -p no:cacheprovider \
	     > test-output/postgresql.log 2>&1; echo $$? > test-output/postgresql.rc; \
	   $(BIN)/python -m pytest $(TEST_BESIDE) -p no:cacheprovider > test-output/beside.log 2>&1; \
	   echo $$? > test-output/beside.rc ) & \
	 $(BIN)/python -m pytest $(TEST_BESIDE:%=--ignore=%); sqlite_rc=$$?; wait; \
	 echo "== the database tests on PostgreSQL ($(PG_TEST_URL)), run alongside =="; \
	 cat test-output/postgresql.log; pg_rc=$$(cat test-output/postgresql.rc); \
	 echo "== the rest of the SQLite tests ($(TEST_BESIDE)), run alongside after the PostgreSQL run =="; \
	 cat test-output/beside.log; beside_rc=$$(cat test-output/beside.rc); \
	 echo "SQLite run: exit $$sqlite_rc ($(TEST_BESIDE): exit $$beside_rc); PostgreSQL run: exit $$pg_rc"; \
	 test $$sqlite_rc -eq 0 -a $$beside_rc -eq 0 -a $$pg_rc -eq 0

test-sqlite: setup browser-deps ## Run the whole test suite on SQLite only (no PostgreSQL needed)
	@$(BIN)/python -m pytest

test-pg: setup ## Run the database tests on PostgreSQL only (PG_TEST_URL)
	@TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest tests/app -m "not browser"

browser-deps: ## Install Debian's chromium for the browser tests when it is missing (apt-get, as root or via sudo)
	@test -x /usr/bin/chromium || { echo "Installing chromium for the browser tests (apt-get)..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

test-fast: setup ## Run the tests that do not load models or drive a browser
	@$(BIN)/python -m pytest -m "not slow and not browser"

# pip-audit lives in its own virtualenv: it is a tool, not a dependency of the app (not in requirements.lock).
AUDIT_VENV := .venv-audit
PIP_AUDIT_VERSION ?= 2.10.1
AUDIT_REPORT := test-output/pip-audit.json

audit: ## Check requirements.lock for known vulnerabilities (pip-audit; needs to reach pypi.org's vulnerability data)
	@test -x $(AUDIT_VENV)/bin/pip-audit || { echo "Installing pip-audit $(PIP_AUDIT_VERSION) into $(AUDIT_VENV)..."; \
	  $(PYTHON) -m venv $(AUDIT_VENV) && $(AUDIT_VENV)/bin/python -m pip install -q --disable-pip-version-check \
	  pip-audit==$(PIP_AUDIT_VERSION); }
	@mkdir -p test-output; rm -f $(AUDIT_REPORT)
	@# --strict: a package that could not be looked up fails the audit instead of being skipped.
	@$(AUDIT_VENV)/bin/pip-audit -r requirements.lock --no-deps --disable-pip --strict --progress-spinner off \
	   --format json --output $(AUDIT_REPORT) 2> >(grep -v -e "--no-deps is supported" -e "pip-compile" >&2); \
	 audit_rc=$$?; $(AUDIT_VENV)/bin/python scripts/check_audit.py $(AUDIT_REPORT) requirements.lock; check_rc=$$?; \
	 if [ $$check_rc -eq 0 ] && [ $$audit_rc -ne 0 ]; then echo "AUDIT INCOMPLETE: pip-audit exited $$audit_rc"; exit 2; fi; \
	 exit $$check_rc

bench-themes: setup ## Theme quality and speed against plain BERTopic on BANKING77
	@$(BIN)/python bench/themes.py

bench-email: setup ## Email throughput: one reused SMTP connection against one connection per message
	@$(BIN)/python bench/email_throughput.py

bench-import: setup ## Import 100,000 CSV rows, against a naive row-by-row ORM upsert
	@$(BIN)/python bench/import_csv.py

vendor: ## Re-vendor Pico (CSS), htmx and axe-core from the npm registry into static/vendor and tests (needs npm; the files are committed)
	@bash scripts/vendor.sh

clean: ## Remove the virtualenvs and local data (instance/)
	rm -rf $(VENV) $(AUDIT_VENV) instance
