# The two commands of the README: `make run` and `make test`. Both provision what is missing first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PYTHON ?= python3

.PHONY: run test stop setup services python assets migrate reset lint

run: setup ## provision, seed demo data when empty, run web + worker + beat in the foreground
	@scripts/run.sh

test: setup ## provision, then run the whole test suite against the real services
	$(BIN)/pytest $(PYTEST_ARGS)

setup: python assets services migrate

python: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
	  || { echo "Python 3.11 is required ($(PYTHON) is $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	@touch $@

assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --silent
	@touch $@

services:
	@scripts/services.sh start

migrate: python
	@$(FLASK) db upgrade heads 2>&1 | grep -v '^INFO' || true
	@$(FLASK) referentiel charger

stop: ## stop the services (PostgreSQL, Redis, Elasticsearch)
	@scripts/services.sh stop

reset: stop ## delete every local data folder and the generated secrets
	rm -rf var .env

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
