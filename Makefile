# Portal Satu Data: every command a newcomer or CI needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run install install-test test lint format bench messages clean

run: install  ## Run the product with Jember's demo data (SQLite in ./data, no services)
	$(BIN)/satudata migrate --noinput -v 0
	$(BIN)/satudata demo --if-empty
	$(BIN)/satudata serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -e .
	@touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PIP) install -r requirements-test.txt
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

test: install-test  ## Run the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set)
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(VENV)/.installed-bench: requirements-bench.txt $(VENV)/.installed-test
	$(PIP) install -r requirements-bench.txt
	@touch $@

bench: $(VENV)/.installed-bench  ## Benchmarks (by hand; they print their figures)
	$(BIN)/python bench/run_all.py

messages: install-test  ## Rebuild the translation catalogs (needs gettext) and compile them
	cd src/satudata && ../../$(BIN)/satudata makemessages -l id -l en --no-obsolete --no-location
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
