# The one task runner. `make reports` builds every report from a fresh clone;
# `make test` runs the whole test suite, `make check` the fast tier (CONTRIBUTING.md).
# All create .venv from the lock file.

# Empty: the newest supported Python on PATH (scripts/pick-python); or name one,
# e.g. `make env PYTHON=python3.12`.
PYTHON ?=
VENV   := .venv
PY     := $(VENV)/bin/python
UV_VERSION := 0.13.9
STAMP  := $(VENV)/.installed

.PHONY: env fetch data links build reports verify publish notebooks test check lint typecheck hooks lab bench lock clean mutation mutant

env: $(STAMP)
	@scripts/pick-python --venv $(VENV) $(PYTHON) >/dev/null
	@echo "env: $(VENV) runs Python $$($(PY) -c 'import platform, sys; print(platform.python_version(), "from", sys._base_executable)')"

$(STAMP): requirements.lock pyproject.toml
	@python=$$(scripts/pick-python --venv $(VENV) $(PYTHON)) || exit 1; \
	if [ ! -x $(PY) ]; then \
	  echo "env: creating $(VENV) with $$python (Python $$($$python -c 'import platform; print(platform.python_version())'))"; \
	  $$python -m venv $(VENV); \
	fi
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

# PYTEST_ARGS: more pytest options for `test` and `check`, e.g. --durations=20.
PYTEST_ARGS ?=

# The whole suite, as CI runs it: hypothesis at each test's own example counts, on
# TEST_WORKERS pytest-xdist workers, a test file to a worker (conftest.py: shared build),
# the longest files first (conftest.py: LONGEST_FIRST).
TEST_WORKERS ?= 2
test: env
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder \
	  --hypothesis-profile=ci $(PYTEST_ARGS)

# The edit-test loop: lint, types, and the tests on fixtures (neither slow nor on the
# real data), hypothesis at DEV_EXAMPLES examples a test (tests/conftest.py), on
# TEST_WORKERS workers too.
check: lint typecheck
	$(PY) -m pytest -q -n $(TEST_WORKERS) -m "not slow and not mirror" --hypothesis-profile=dev \
	  $(PYTEST_ARGS)

lint: env
	$(VENV)/bin/ruff check analysis tests benchmarks
	$(VENV)/bin/ruff format --check analysis tests benchmarks

typecheck: env
	$(VENV)/bin/mypy

# Mutation testing of the core modules (mutmut, configured in pyproject.toml), one module
# at a time and niced: slow (1 to 2 s a mutant here, under the dev hypothesis profile), so
# not part of `make test`.
# `MUTATE=analysis.intervals` runs one module; docs/mutation.md lists the equivalents.
MUTATE ?= analysis.intervals analysis.claims.verdict analysis.csv_safety analysis.evidence \
	analysis.linking
mutation: env
	rm -rf mutants && mkdir -p mutants/data/raw
	for module in $(MUTATE); do \
	  nice $(VENV)/bin/mutmut run --max-children 2 "$$module.*" >/dev/null || exit 1; done
	$(VENV)/bin/mutmut results

# One mutant of the last `make mutation` under the `ci` hypothesis profile, e.g.
# make mutant NAME=analysis.evidence.tallies.x_rule_grid__mutmut_51 PYTEST_ARGS=tests/test_tallies.py
mutant: env
	@test -d mutants || { echo "make mutant: no mutants/ folder; run make mutation first" >&2; exit 2; }
	cd mutants && MUTANT_UNDER_TEST=$(NAME) ../$(PY) -m pytest -q -x -p no:cacheprovider \
	  --hypothesis-profile=ci $(PYTEST_ARGS)

# ruff and mypy before each commit (.pre-commit-config.yaml).
hooks: env
	$(VENV)/bin/pre-commit install

lab: env
	$(PY) -m analysis lab

bench: env
	$(PY) benchmarks/run_all.py

# Re-resolve after changing dependencies in pyproject.toml: uv.lock is the one universal
# lock (Python 3.11-3.13, Linux and macOS, x86_64 and arm64; see [tool.uv]), and
# requirements.lock its export with hashes, which `make env` installs.
lock:
	$(VENV)/bin/uv lock
	$(VENV)/bin/uv export --frozen --no-emit-project --extra dev --extra bench \
	  --format requirements.txt --quiet -o requirements.lock

clean:
	rm -rf data/cache .build
