# Kỹ Năng Số — `make start` runs the training hub, `make test` runs every test.
# Each target creates .venv and installs what it needs when it is missing or pyproject.toml changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
START_ARGS ?=
# `make site` writes the offline static site here (kynangso site build installs its own build tools on first use).
SITE_DIR ?= trang-hoc
# Two workers for two cores; a test file stays on one worker (its servers and ordered steps are shared).
PYTEST_ARGS ?= -n 2 --dist loadfile --durations=30
# nbgrader and Jupyter start helper programs (alembic, jupyter-*) by name: find them in .venv.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: start test lint demo bench site clean hub-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-base

start: $(VENV)/.installed-base
	$(BIN)/kynangso start --port $(PORT) $(START_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# configurable-http-proxy (npm) for the JupyterHub tests, inside .venv so nothing global changes.
HUB_PROXY := $(VENV)/node/node_modules/.bin/configurable-http-proxy

$(HUB_PROXY): | $(BIN)/python
	@if command -v npm >/dev/null 2>&1; then \
		npm install --prefix $(VENV)/node --no-save --no-audit --no-fund --loglevel=error configurable-http-proxy@5; \
	else echo "npm not found: the JupyterHub tests will be skipped (outside CI) — install Node.js and npm"; fi

hub-tools: $(HUB_PROXY)

test: lint hub-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

demo: $(VENV)/.installed-base
	$(BIN)/kynangso demo

# Needs npm and a Python >= 3.12 for the build tools (found on PATH, in pyenv, or by uv); `make start` does not.
site: $(VENV)/.installed-base
	$(BIN)/kynangso site build $(SITE_DIR)

bench: $(VENV)/.installed-test
	@for f in $(wildcard bench/*.py); do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-output $(SITE_DIR)
