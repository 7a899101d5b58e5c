# make run: set up, load the bundled sample into an empty database, start the dashboard (PORT=8600
#   picks another port).
# make test-fast: set up, lint, the quick tests in parallel (no browser, no slow marks, an eighth of
#   the property tests' random examples; docs/testing.md says what is slow): under a minute on a
#   quiet 2-core machine.
# make test: set up, lint, run every test in parallel (the browser test and the notebooks included).
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-stamp
DB      ?= data/ops.duckdb
PORT    ?= 8501
WORKERS ?= auto
ARGS    ?=
# ARGS: more pytest options, e.g. make test-fast ARGS="--durations=20 -x"
# this checkout's code first, whichever checkout the environment was installed from.
# --dist loadfile: each test file runs on one worker, so a module-scoped fixture (a loaded database,
# a mail server) is made once, not once per worker. (--dist loadgroup, which the xdist_group marks
# were written for, groups nothing with pytest 9.2 and xdist 3.8: pytest-xdist issue #1386.)
PYTEST  := PYTHONPATH=$(CURDIR) $(PY) -m pytest -n $(WORKERS) --dist loadfile $(ARGS)


.PHONY: run test test-fast test-timing lint format bench notebook setup clean bytecode

# Re-run whenever pyproject.toml changes; quiet unless something fails.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,notebook]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(PY) -m pipelines sample --db $(DB)
	OPSDASH_DB=$(DB) $(VENV)/bin/streamlit run serve.py --server.port $(PORT)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Bytecode written once: with PYTHONDONTWRITEBYTECODE set (as in some shells and CI images) every
# process the tests start (workers, CLI runs, servers) would compile the project again (~0.1 s each).
bytecode:
	$(PY) -m compileall -q pipelines views tests dashboard.py serve.py

test-fast: setup lint bytecode
	OPSDASH_FAST_TESTS=1 $(PYTEST) -q -m "not slow and not browser"

test: setup lint bytecode
	$(PYTEST) -m "not timing"

# Signals after measured delays: meaningful on a quiet machine only (see tests/test_signals.py).
test-timing: setup
	$(PYTEST) -m timing

bench: setup
	$(PY) benchmarks/bench.py

notebook: setup
	$(PY) -m pipelines sample --db $(DB)
	OPSDASH_DB=$(abspath $(DB)) $(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
