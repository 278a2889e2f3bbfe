# Two commands set everything up on a machine with only Python 3.11 and make:
#   make run   — create .venv, install, start the client against the embedded sandbox
#   make test  — the same install plus test extras, then lint, import contracts and the whole suite, headless
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
PYTEST_WORKERS ?= 2

.PHONY: run test test-slow bench lint sysdeps sysdeps-slow clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "sbf-client needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/sbf-client

# Debian packages the tests need: a CJK font for screenshots, poppler-utils to render PDFs to PNG.
sysdeps:
	@missing=""; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-wqy-microhei"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian packages:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null; }; \
	  else echo "warning: missing Debian packages:$$missing (install them as root)"; fi; \
	fi

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench migrations installer
	$(BIN)/ruff format --check src tests bench migrations installer
	$(BIN)/lint-imports

test: $(TEST_STAMP) sysdeps lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -m "not slow" -n $(PYTEST_WORKERS)

# The slow runs also exercise the sandbox on PostgreSQL.
sysdeps-slow: sysdeps
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian package: postgresql"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }; \
	  else echo "warning: PostgreSQL server binaries missing (install the postgresql package as root)"; fi; \
	fi

test-slow: $(TEST_STAMP) sysdeps-slow
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -m slow --timeout=1800

bench: $(RUN_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist test-artifacts
