# Two commands on a fresh machine: `make run` and `make test`. Both install what they need.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=

.PHONY: run test install lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Prepare the data, train the model if none is saved, run the analysis graph on a random customer.
run: $(STAMP)
	$(BIN)/crm-agents prepare $(ARGS)
	$(BIN)/crm-agents train --if-missing $(ARGS)
	$(BIN)/crm-agents analyze --random $(ARGS)

## Style checks and the whole test suite (slow tests included).
test: lint
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scoring.py
	$(BIN)/python benchmarks/bench_graph.py
	$(BIN)/python benchmarks/bench_llm_tokens.py

clean:
	rm -rf $(VENV) data/processed models/artifacts .pytest_cache .ruff_cache
