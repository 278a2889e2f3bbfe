# Two commands set everything up on a machine with only Python 3.11 and make:
#   make run   — create .venv, install, start the client against the embedded sandbox
#   make test  — the same install plus test extras, then lint, import contracts and the whole suite, headless
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
PYTEST_WORKERS ?= 2

.PHONY: run test test-slow bench lint sysdeps sysdeps-run sysdeps-slow clean

# Debian's own Python makes virtual environments only with its python3.11-venv package: installed when missing.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "需要 Python 3.11 / sbf-client needs Python 3.11, not " + sys.version.split()[0])'
	@$(PYTHON) -m venv $(VENV) >/dev/null 2>&1 || { rm -rf $(VENV); $(PYTHON) scripts/sysdeps.py python && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(RUN_STAMP)

run: sysdeps-run $(RUN_STAMP)
	$(BIN)/sbf-client

# Debian packages (resources/system-packages.json): installed when missing and running as root; otherwise
# named, with the command that installs them, and the target stops.
sysdeps-run:
	@$(PYTHON) scripts/sysdeps.py desktop

sysdeps:
	@$(PYTHON) scripts/sysdeps.py desktop test

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench migrations installer scripts
	$(BIN)/ruff format --check src tests bench migrations installer scripts
	$(BIN)/lint-imports
	$(BIN)/mypy -p sbf_client.core -p sbf_client.outbox -p sbf_client.plugins -p sbf_client.store -p sbf_client.sync

test: $(TEST_STAMP) sysdeps lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -m "not slow" -n $(PYTEST_WORKERS)

# The slow runs also exercise the sandbox on PostgreSQL.
sysdeps-slow:
	@$(PYTHON) scripts/sysdeps.py desktop test slow

test-slow: $(TEST_STAMP) sysdeps-slow
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -m slow --timeout=1800

BENCH_STAMP := $(VENV)/.stamp-bench

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[bench]'
	touch $@ $(RUN_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist test-artifacts
