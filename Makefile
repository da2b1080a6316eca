# carbonpeak: `make demo` runs the platform on the reference district; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
CONSTRAINTS := requirements/constraints.txt
VENDOR := src/carbonpeak/web/portal/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgresql://postgres@127.0.0.1:5432/carbonpeak
# Synthetic buildings loaded by `make demo` (each with a year of 15-minute data). `carbonpeak demo` alone
# defaults to 300; make demo uses fewer so that a cold start serves within 5 minutes on SQLite.
DEMO_BUILDINGS ?= 40
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help demo test lint types contract data-check test-unit test-web test-web-pg test-browser assets messages lock clean bench-mv

help:
	@echo "make demo   create .venv, install, migrate, load the reference district, serve http://$(HOST):$(PORT)"
	@echo "make test   lint, types, layer contract, data validation, unit, web (SQLite + PostgreSQL) and browser tests"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "carbonpeak needs Python >= 3.11, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-runtime: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(PIP) install --quiet -c $(CONSTRAINTS) -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(PIP) install --quiet -c $(CONSTRAINTS) -e '.[dev,ifc]'
	@touch $@ $(VENV)/.installed-runtime

# Front-end assets come from the npm registry through package-lock.json and are served locally.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/.stamp: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/htmx.org/LICENSE $(VENDOR)/htmx.LICENSE
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	cp node_modules/echarts/LICENSE $(VENDOR)/echarts.LICENSE
	@touch $@

assets: $(VENDOR)/.stamp

demo: $(VENV)/.installed-runtime assets
	$(BIN)/carbonpeak demo --host $(HOST) --port $(PORT) --buildings $(DEMO_BUILDINGS)
	$(BIN)/carbonpeak serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

types: $(VENV)/.installed-dev
	$(BIN)/mypy

contract: $(VENV)/.installed-dev
	$(BIN)/lint-imports

data-check: $(VENV)/.installed-dev
	$(BIN)/carbonpeak data validate

# Tests that need no database.
test-unit: $(VENV)/.installed-dev
	$(BIN)/pytest tests/core tests/io tests/data tests/demo tests/test_cli.py tests/test_cli_pv.py tests/test_cli_setup.py tests/test_cli_spatial.py tests/test_cli_flex.py tests/test_cli_lca.py

# Database and web tests, on SQLite then on PostgreSQL.
test-web: $(VENV)/.installed-dev assets
	env -u DATABASE_URL $(BIN)/pytest tests/web

test-web-pg: $(VENV)/.installed-dev assets
	DATABASE_URL=$(PG_URL) $(BIN)/pytest tests/web

test-browser: $(VENV)/.installed-dev assets
	$(BIN)/pytest tests/e2e

test: lint types contract data-check test-unit test-web test-web-pg test-browser

# Compile the translation catalogue (.po -> .mo) without GNU gettext.
messages: $(VENV)/.installed-dev
	$(BIN)/python scripts/compile_messages.py

# Re-resolve the pinned versions after changing pyproject.toml's ranges.
lock: $(BIN)/python
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet -e '.[dev]'
	.venv-lock/bin/python -m pip freeze --exclude-editable | sed '/^-e /d' > $(CONSTRAINTS)
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .mypy_cache .ruff_cache .pytest_cache

# M&V benchmark against OpenDSM (Apache-2.0) in its own environment: never a runtime dependency.
BENCH_MV_VENV := .venv-bench-mv
$(BENCH_MV_VENV)/.installed:
	$(PYTHON) -m venv $(BENCH_MV_VENV)
	$(BENCH_MV_VENV)/bin/python -m pip install --quiet opendsm==1.2.7 'multimethod<2' 'pandas<3'
	@touch $@

bench-mv: $(VENV)/.installed-dev $(BENCH_MV_VENV)/.installed
	$(BIN)/python benchmarks/mv.py --opendsm $(BENCH_MV_VENV)/bin/python
	$(BIN)/python benchmarks/mv_portfolio.py
