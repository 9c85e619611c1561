# Two commands on a fresh machine: `make run` and `make test`. Both install what they need.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# `make run DATA=own.csv PORT=7861 HOST=0.0.0.0 LANG=zh-TW`; each goes only where it applies.
DATA   ?=
PORT   ?=
HOST   ?=
DATA_OPT := $(if $(DATA),--data $(DATA))
APP_OPTS := $(DATA_OPT) $(if $(PORT),--port $(PORT)) $(if $(HOST),--host $(HOST))
# LANG is also the shell's locale: only a LANG given on make's command line sets the language.
ifeq ($(origin LANG),command line)
APP_OPTS += --lang $(LANG)
endif

.PHONY: run test install lint format bench clean chromium mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Validate the data, train the model when none fits the data in use, launch the app
## (http://127.0.0.1:7860).
run: $(STAMP)
	$(BIN)/crm-agents prepare $(DATA_OPT)
	$(BIN)/crm-agents train --if-missing $(DATA_OPT)
	$(BIN)/python app.py $(APP_OPTS)

## Style checks and the whole test suite (slow and browser tests included), in random order.
## The seed is printed; `make test SEED=N` replays an order.
ifeq ($(origin SEED),undefined)
SEED := $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
endif
test: lint chromium
	@echo "tests in random order, seed $(SEED) (replay: make test SEED=$(SEED))"
	$(BIN)/python -m pytest -n 2 -q -p randomly --randomly-seed=$(SEED)

## Debian's headless Chromium for the browser tests (installed when missing and we may).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (Debian) for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "chromium is not installed and cannot be installed here: browser tests will skip"; fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scoring.py
	$(BIN)/python benchmarks/bench_graph.py
	$(BIN)/python benchmarks/bench_llm_tokens.py
	$(BIN)/python benchmarks/bench_app.py
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/bench_load.py

## Mutation testing of the decision modules; prints the kill rate and the survivors.
mutation: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run
	$(BIN)/python scripts/mutation_report.py --min 90

clean:
	rm -rf $(VENV) state .pytest_cache .ruff_cache mutants
