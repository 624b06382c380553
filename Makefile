# psw-report: make targets. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
UV_VERSION := 0.9.5
export DAGSTER_HOME ?= $(CURDIR)/.dagster
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := 1
SAMPLE_LATEST := $(shell ls -d data/raw/[0-9][0-9][0-9][0-9] 2>/dev/null | sort | tail -n 1)

.PHONY: help setup report check test ui validate lint bench clean

help: ## list the make targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: $(STAMP) ## create .venv from requirements.lock (idempotent; seconds when nothing changed)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip sync -q --compile-bytecode --python $(BIN)/python requirements.lock
	@$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-*; touch $@
	@echo "setup: .venv ready"

report: setup ## build every sample year's tables and the latest year's report into build/
	$(BIN)/psw build

check: setup ## fast feedback (under 2 minutes): ruff, the import contracts and the tests not marked slow, browser or office
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q -m "not slow and not browser and not office" -p no:cacheprovider

test: setup ## ruff, the import contracts and the whole test suite (installs Debian Chromium, LibreOffice and axe-core if it can)
	@bash scripts/ensure-debian-tools.sh
	@bash scripts/ensure-axe.sh
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q

validate: setup ## validate the sample's latest year with psw validate
	$(BIN)/psw validate $(SAMPLE_LATEST)

ui: setup ## start the Dagster UI on 127.0.0.1:3000
	$(BIN)/psw ui --host 127.0.0.1 --port 3000

bench: setup ## run the benchmarks (not part of make test)
	$(BIN)/python benchmarks/run.py

lint: setup ## ruff and the import contracts
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

clean: ## remove build outputs (not the venv)
	rm -rf build .dagster/storage .dagster/history .dagster/logs
