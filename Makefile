# Tidlig: the two commands a fresh machine needs are `make demo` and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash

UV_VERSION := 0.13.9
PYTHON ?= $(shell command -v python3.11 || command -v python3)
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
PORT ?= 8000

DKFDS_VERSION ?= 11.2.0
HTMX_VERSION ?= 2.0.11

.PHONY: help install demo run test test-embedded lint format messages vendor bench load clean zones-css

# The key pages, the quarterly PDF and the import at 1,000 and 100,000 children
# (tests/bench.py), and Locust against gunicorn at 100,000 (tests/load/run.py), on
# the seed_scale databases tidlig_scale_1k and tidlig_scale_100k of BENCH_POSTGRES:
# created and seeded when missing, reused when present. BENCH_ARGS=--write (or
# LOAD_ARGS=--write) puts the tables into docs/benchmarks.md.
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432

bench: install
	BENCH_POSTGRES=$(BENCH_POSTGRES) $(PY) -m tests.bench $(BENCH_ARGS)

load: install
	BENCH_POSTGRES=$(BENCH_POSTGRES) $(PY) -m tests.load.run $(LOAD_ARGS)

help:
	@echo "make demo   - install, migrate, seed demo data and run web + worker + beat on SQLite"
	@echo "make test   - install and run the whole test suite"
	@echo "make lint   - ruff lint + format check, makemigrations --check"
	@echo "make bench  - time the key pages at 1,000 and 100,000 children (PostgreSQL)"
	@echo "make load   - Locust against gunicorn at 100,000 children"
	@echo "make vendor - refresh the vendored design system (dkfds) and htmx from npm"
	@echo "make messages - extract and compile the English translation"

# uv itself lives in its own small venv so that `uv sync` can manage .venv exactly.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: .venv/.synced

# The links the demo puts in e-mails, calendar invitations and reminders start with
# SITE_ROOT: the address the demo really answers on, not the default localhost:8000.
SITE_ROOT ?= http://127.0.0.1:$(PORT)

demo: install
	$(PY) manage.py migrate --noinput
	SITE_ROOT=$(SITE_ROOT) $(PY) manage.py seed_demo
	@echo
	@echo "  Tidlig kører på $(SITE_ROOT)/  (log ind med en af brugerne ovenfor)"
	@echo "  Web, Celery worker og beat starter nu sammen. Stop med Ctrl-C."
	@echo
	# --env /dev/null: a production .env (see .env.example) must not leak into the demo.
	PORT=$(PORT) SITE_ROOT=$(SITE_ROOT) $(PY) -m honcho --env /dev/null -f Procfile.demo start

# One test process per logical core, at most four (pytest-xdist), each with its own
# database, var folder and Redis database (tests/services.py). The order is random
# (pytest-randomly) and its seed printed at the top: PYTEST_ARGS="--randomly-seed=N"
# repeats a run, PYTEST_ARGS="-p no:randomly -n 0" runs in file order in one process.
XDIST := -n logical --maxprocesses=4

test: install
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

test-embedded: install
	TIDLIG_TEST_EMBEDDED=1 $(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports
	$(PY) -m mypy
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m tests.check_messages

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=.tools --ignore=var --ignore=static --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools

vendor:
	DKFDS_VERSION=$(DKFDS_VERSION) HTMX_VERSION=$(HTMX_VERSION) bash scripts/vendor.sh

# static/css/zones.css is generated from ruler/zones.py; a test checks it is current.
zones-css: install
	$(PY) -c "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tidlig.settings'); django.setup(); from ruler.zones import css; open('static/css/zones.css', 'w').write(css())"

clean:
	rm -rf .venv $(TOOLS) var
