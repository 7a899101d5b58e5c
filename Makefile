# make run: set up, load the bundled sample into an empty database, start the dashboard.
# make test: set up, lint, run every test (the browser test and the notebooks included).
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DB     ?= data/ops.duckdb

.PHONY: run test lint format bench notebook setup clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,notebook]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(PY) -m pipelines sample --db $(DB)
	OPSDASH_DB=$(DB) $(VENV)/bin/streamlit run dashboard.py

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup lint
	$(PY) -m pytest

bench: setup
	$(PY) benchmarks/bench.py

notebook: setup
	$(PY) -m pipelines sample --db $(DB)
	OPSDASH_DB=$(abspath $(DB)) $(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
