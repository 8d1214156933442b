# Two commands for a fresh clone: `make demo` and `make test`. Everything else is for developers
# and CI. Only Python 3.11+, Node.js and npm are assumed; the rest is installed here, except OCR
# (Debian packages: `make ocr` installs them as root, and otherwise prints the command).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# One test worker per core, each with a database of its own.
TEST_WORKERS ?= 2
ASSETS := node_modules/@uswds/uswds/package.json

# OCR of scanned tables for the audit (beyondraid.intake.ocr), from Debian's packages.
OCR_PACKAGES := ocrmypdf tesseract-ocr tesseract-ocr-eng

.PHONY: demo test test-explore test-browser test-setup lint dictionary check bench bench-ocr ocr clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed; set PYTHON=python3.11 (or newer).") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The dp extra (OpenDP) too, so that the tests and CI cover releases protected by differential
# privacy; `make demo` runs without it.
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,dp]"
	touch $@ $(VENV)/.installed

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Set up, load the demo data and serve http://127.0.0.1:$(PORT)
demo: $(VENV)/.installed $(ASSETS)
	PORT=$(PORT) $(BIN)/beyondraid demo --port $(PORT)

## OCR for the audit of scans (OCRmyPDF, Tesseract): installed when run as root, otherwise the
## apt-get command to run is printed and make stops
ocr:
	@if command -v ocrmypdf >/dev/null 2>&1 && command -v tesseract >/dev/null 2>&1; then \
	  :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(OCR_PACKAGES); \
	else \
	  echo "OCR (for the audit of scans) is not installed; install it with:"; \
	  echo "  sudo apt-get install $(OCR_PACKAGES)"; \
	  exit 1; \
	fi

## What the tests need installed, once, before suites run side by side (CI)
test-setup: ocr $(VENV)/.installed-dev $(ASSETS)

## Run the test suite on both cores (SQLite, or PostgreSQL when DATABASE_URL points at it)
test: ocr $(VENV)/.installed-dev $(ASSETS)
	$(BIN)/pytest -m "not browser" -q -n $(TEST_WORKERS)
	@echo "Browser tests run with 'make test-browser' (they need Chromium: apt-get install chromium)."

## Run the property tests with fresh randomness, to hunt for defects. Not part of `make test`
## or CI, which draw the same examples every time; pin what this finds with @example beside the
## test.
test-explore: $(VENV)/.installed-dev
	HYPOTHESIS_PROFILE=explore $(BIN)/pytest -m "hypothesis and not browser" -q -p no:cacheprovider

## Measure the importer against a raw PostgreSQL COPY (BENCH_DATABASE_URL, default: local bench DB)
bench: $(VENV)/.installed
	$(BIN)/python bench/import_bench.py --encounters 1000 10000

## Measure reading scans by OCR (pages per second; needs `make ocr`)
bench-ocr: ocr $(VENV)/.installed-dev
	$(BIN)/python bench/ocr_bench.py --pages 10

## Run the browser tests in a real Chromium (Debian's /usr/bin/chromium)
test-browser: $(VENV)/.installed-dev $(ASSETS)
	$(BIN)/pytest -m browser -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy beyondraid

## Regenerate docs/standard.md and the Table Schemas from the models and vocabularies
dictionary: $(VENV)/.installed
	$(BIN)/beyondraid dictionary

## Checks CI runs besides the tests: generated files current (data dictionary, compiled
## translations, receipt word list), no missing migration
check: $(VENV)/.installed
	$(BIN)/beyondraid dictionary --check
	$(BIN)/beyondraid translations --check
	$(BIN)/python -m beyondraid.accountability.wordlist --check
	$(BIN)/beyondraid makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var node_modules
