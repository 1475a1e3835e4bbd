# The two commands README promises: `make feeds` and `make test`.
# Each creates .venv from pyproject.toml the first time (and when it changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: feeds test lint check clean

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

test: lint
	$(BIN)/python -m pytest

check: $(BIN)/.installed
	$(BIN)/feedtool build --check

clean:
	rm -rf $(VENV) .feedtool-cache .pytest_cache .mypy_cache .ruff_cache
