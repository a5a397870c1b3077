# Streetlight — two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := streetlight.settings

# The first Python >= 3.12 found: $(PYTHON), pyenv's pinned version, python3.13, python3.12, python3.
define find_python
for candidate in "$(PYTHON)" "$$(pyenv which python 2>/dev/null)" \
    $$(ls -d $$HOME/.pyenv/versions/3.1[3-9]*/bin/python 2>/dev/null) python3.13 python3.12 python3; do \
  [ -n "$$candidate" ] || continue; \
  if command -v "$$candidate" >/dev/null 2>&1 && "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
    echo "$$candidate"; exit 0; fi; \
done; exit 1
endef

.PHONY: run test test-sqlite test-postgres lint bench messages browsers clean help

help:
	@echo "make run    set up everything and serve the demo city on http://127.0.0.1:8000"
	@echo "make test   run the whole test suite (SQLite; PostgreSQL too when DATABASE_URL is set)"
	@echo "make lint   ruff, mypy, import rules"
	@echo "make bench  benchmarks, written to docs/benchmarks.md"

$(STAMP): pyproject.toml
	@py="$$($(find_python))" || { echo "Streetlight needs Python 3.12 or newer, and none was found."; \
	  echo "Install Python 3.13 (for example: pyenv install 3.13) or run: make PYTHON=/path/to/python3.13 run"; exit 1; }; \
	echo "Using $$py ($$($$py --version))"; \
	[ -x $(BIN)/python ] && $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { rm -rf $(VENV); "$$py" -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/streetlight demo
	$(BIN)/streetlight serve --host 127.0.0.1 --port 8000

browsers:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)); \
	  else echo "Browser tests need Chromium at /usr/bin/chromium (Debian: apt-get install chromium)."; fi; fi

test: $(STAMP) browsers
	STREETLIGHT_DATA_DIR=$(CURDIR)/var/test DB_POOL=0 $(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_layers.py
	$(BIN)/bandit -q -r src --severity-level high

bench: $(STAMP)
	$(BIN)/python bench/run.py

messages: $(STAMP)
	cd src/streetlight && ../../$(BIN)/django-admin makemessages --no-obsolete -l fr -l nl -l it -l es --ignore 'static/vendor/*'
	cd src/streetlight && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
