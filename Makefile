# Two commands: `make run` starts everything with demo data (supervised); `make test` runs every check.
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

# `make run HOST=0.0.0.0` serves a class on the LAN (see README); QUIET=1 starts without demo traffic. HOST is read
# from make's command line only: some shells export HOST as the machine's name.
run: $(VENV)/.run-deps
	$(if $(filter command line,$(origin HOST)),LAMBDAVIZ_HOST=$(HOST)) $(PY) scripts/run.py

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
