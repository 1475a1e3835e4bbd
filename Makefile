# The two commands README promises: `make feeds` and `make test`.
# Each creates .venv from pyproject.toml the first time (and when it changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: feeds test quick lint check docs tools clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

feeds: $(BIN)/.installed
	$(BIN)/feedtool build

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The tests run real programs that pip cannot install: say which one is missing.
tools:
	@for tool in newsboat chromium curl; do \
	  command -v $$tool >/dev/null 2>&1 || { \
	    echo "make test needs $$tool: apt-get install -y $$tool (.ci/run installs it)" >&2; \
	    exit 1; }; \
	done

test: tools lint
	$(BIN)/python -m pytest

# The inner loop: every test but the slow ones (browser, newsboat, properties), stopping
# at the first failure. make test runs them all.
quick: $(BIN)/.installed
	$(BIN)/python -m pytest -m "not slow" -x -q

docs: $(BIN)/.installed
	$(BIN)/mkdocs build --strict

check: $(BIN)/.installed
	$(BIN)/feedtool build --check

clean:
	rm -rf $(VENV) .feedtool-cache .pytest_cache .mypy_cache .ruff_cache build/docs
