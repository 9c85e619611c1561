# Two commands on a fresh machine: `make run` and `make test`. Both install what they need.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=

.PHONY: run test install lint format bench clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Prepare the data, train the model if none is saved, launch the app (http://127.0.0.1:7860).
run: $(STAMP)
	$(BIN)/crm-agents prepare $(ARGS)
	$(BIN)/crm-agents train --if-missing $(ARGS)
	$(BIN)/python app.py $(ARGS)

## Style checks and the whole test suite (slow and browser tests included).
test: lint chromium
	$(BIN)/python -m pytest -n 2 -q

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

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scoring.py
	$(BIN)/python benchmarks/bench_graph.py
	$(BIN)/python benchmarks/bench_llm_tokens.py
	$(BIN)/python benchmarks/bench_app.py
	$(BIN)/python benchmarks/bench_batch.py

clean:
	rm -rf $(VENV) data/processed models/artifacts .pytest_cache .ruff_cache
