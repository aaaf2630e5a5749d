# Vitrine. `make demo` and `make test` do all the set-up on a fresh machine (Python 3.11+;
# gettext is installed when missing). The browser tests and the audit install their own tools.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: install compilemessages demo run worker beat test test-browser browser-deps audit-deps lint format typecheck migrations-check messages ci audit bench bench-sync bench-search bench-tenancy clean

$(STAMP): pyproject.toml
	bash scripts/system-packages.sh base
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) compilemessages

# Compiled catalogs are build products: made from the committed .po files.
compilemessages: $(STAMP)
	@$(PY) manage.py compilemessages --ignore=.venv -v 0

# Refresh the catalogs from the code and templates (needs gettext).
messages: install
	$(PY) manage.py makemessages -l fr -l en -l de --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv -v 0

demo: install
	DEBUG=1 $(PY) manage.py demo $(DEMO_ARGS)

run: install
	$(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The browser tests skip, saying so, when Chromium is missing (fail in CI): see browser-deps.
# Two processes for the suite (the machine's cores), then the browser journeys on their own.
TEST_WORKERS ?= 2
test: install
	$(PY) -m pytest -q -rs -n $(TEST_WORKERS) -m "not browser"
	$(PY) -m pytest -q -rs -m browser -p no:randomly

test-browser: install browser-deps
	$(PY) -m pytest -q -m browser

# Debian's Chromium for the browser tests (tests/browser/) and nginx for tests/deploy/;
# .ci/run installs them before the tests.
browser-deps:
	bash scripts/system-packages.sh browser nginx

# The browser, node with npm and a Java runtime for `make audit`.
audit-deps:
	bash scripts/system-packages.sh audit

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# mypy with django-stubs over showcase/ (configured in pyproject.toml).
typecheck: install
	$(VENV)/bin/mypy

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

COUNT ?= 20000
# Celery (needs REDIS_URL): a worker, and the one beat that queues the scheduled tasks.
CELERY_CONCURRENCY ?= 4
worker: install
	$(VENV)/bin/celery -A showcase worker --loglevel=INFO --concurrency=$(CELERY_CONCURRENCY)

beat: install
	$(VENV)/bin/celery -A showcase beat --loglevel=INFO

bench-sync: install
	$(PY) scripts/bench_sync.py --count $(COUNT)

bench: install
	bash scripts/system-packages.sh bench
	$(PY) scripts/bench.py

bench-tenancy: install
	$(PY) scripts/bench_tenancy.py $(if $(SITES),--sites $(SITES))

bench-search: install
	$(PY) scripts/bench_search.py $(if $(BENCH_LISTINGS),--count $(BENCH_LISTINGS))

# Browser-level quality gate: Lighthouse, axe, Nu checker on the demo served in production mode.
AUDIT_NODE := scripts/audit/node_modules/.installed
$(AUDIT_NODE): scripts/audit/package-lock.json | audit-deps
	cd scripts/audit && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $(AUDIT_NODE)

audit: install audit-deps $(AUDIT_NODE)
	$(PY) scripts/audit/run.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache scripts/audit/node_modules
