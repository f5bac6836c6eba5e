# The one task runner. `make reports` builds every report from a fresh clone;
# `make test` runs the whole test suite. Both create .venv from the lock file.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
UV_VERSION := 0.13.9
STAMP  := $(VENV)/.installed

.PHONY: env fetch data links build reports verify publish notebooks test lint typecheck lab bench lock clean mutation

env: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name analysis --display-name "analysis (.venv)" >/dev/null
	touch $(STAMP)

fetch: env
	$(PY) -m analysis fetch

data: fetch
	$(PY) -m analysis import

# Airwars incidents linked to UCDP GED events: cached like a table, read by the ledger.
links: data
	$(PY) -m analysis link

# Build the stale runs, the pages and the PDF; writes reports/BUILT.sha256, never the
# published reports/MANIFEST.sha256.
build: links
	$(PY) -m analysis build

reports: build

# Rebuild every published figure and table in a temporary folder and compare it with
# reports/MANIFEST.sha256 as committed.
verify: links
	$(PY) -m analysis verify

# Make the last build's hashes the published manifest and say what changed; commit
# reports/MANIFEST.sha256 afterwards.
publish: env
	$(PY) -m analysis publish

# Re-run the committed notebooks with their defaults and strip volatile metadata and
# images, after changing analysis/ or a notebook (tests fail while they are stale).
notebooks: links
	$(PY) -m analysis.pipeline.notebooks_clean --execute notebooks/*.ipynb

test: env
	$(PY) -m pytest

lint: env
	$(VENV)/bin/ruff check analysis tests benchmarks
	$(VENV)/bin/ruff format --check analysis tests benchmarks

typecheck: env
	$(VENV)/bin/mypy

# Mutation testing of the core modules (mutmut, configured in pyproject.toml), one module
# at a time and niced: slow (about 4 s a mutant here), so not part of `make test`.
# `MUTATE=analysis.intervals` runs one module; docs/mutation.md lists the equivalents.
MUTATE ?= analysis.intervals analysis.claims.verdict analysis.csv_safety analysis.evidence \
	analysis.linking
mutation: env
	rm -rf mutants && mkdir -p mutants/data/raw
	for module in $(MUTATE); do \
	  nice $(VENV)/bin/mutmut run --max-children 2 "$$module.*" >/dev/null || exit 1; done
	$(VENV)/bin/mutmut results

lab: env
	$(PY) -m analysis lab

bench: env
	$(PY) benchmarks/run_all.py

# Re-resolve the lock file after changing dependencies in pyproject.toml.
lock:
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra bench \
	  --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf data/cache .build
