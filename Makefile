# Two commands: `make run` starts everything with demo data; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit("LambdaViz needs Python 3.11+") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.run-deps: $(PY) requirements.txt
	$(PY) -m pip install -q -r requirements.txt
	@touch $@

$(VENV)/.test-deps: $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	$(PY) scripts/run.py

test: $(VENV)/.test-deps
	$(PY) scripts/test.py $(ARGS)

lint: $(VENV)/.test-deps
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

bench: $(VENV)/.test-deps
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done
	@echo "== bench/e2e_throughput.py: 10,500/s offered with a concurrency limit of 1,500 (completions above 10,000/s)"
	$(PY) bench/e2e_throughput.py --rate 10500 --concurrency-limit 1500

clean:
	rm -rf var .pytest_cache .ruff_cache
