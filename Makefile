# The two commands of the README: `make demo` and `make test`. Everything else is a convenience.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/.dagster

.PHONY: demo test install udata browser servers publish ui lint format snapshots constraints benchmark benchmark-runs

# The virtual environment, rebuilt when the dependencies change; versions come from constraints.txt.
$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

install: $(BIN)/.installed $(DAGSTER_HOME)/dagster.yaml

# The instance settings (dagster.yaml, at the top as the design card says) copied into DAGSTER_HOME.
$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $@

# The real data.gouv.fr server software (udata + mongomock) the publication tests run against, in
# its own virtual environment: its pins (Flask, Celery, pymongo) must not mix with Dagster's.
UDATA_VENV := .venv-udata
UDATA_REQUIREMENTS := cle_pipeline_tests/publishing/udata/requirements-udata.txt
$(UDATA_VENV)/.installed: $(UDATA_REQUIREMENTS)
	$(PYTHON) -m venv $(UDATA_VENV)
	$(UDATA_VENV)/bin/pip install --quiet --disable-pip-version-check -r $(UDATA_REQUIREMENTS)
	touch $@

udata: $(UDATA_VENV)/.installed

# Materializes every asset and check for CLE_COMMUNE (default 76165) from the embedded snapshots
# (or whatever CLE_SOURCE_MODE / CLE_SOURCE_<ID> say) and prints a summary. Never publishes.
demo: install
	$(BIN)/cle-pipeline demo

# Publishes every dataset whose checks passed (its CSV is in data/published/<commune>/) to
# DATAGOUV_API_URL (default demo.data.gouv.fr) with DATAGOUV_API_KEY, through the publish_datagouv job.
publish: install
	$(BIN)/cle-pipeline publish

# The UI test drives Debian's chromium through chromedriver (never a browser downloaded by a
# test tool): installed here when missing, as root (CI); elsewhere the UI test says it skipped.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; \
	else \
		echo "chromium/chromium-driver missing and not root: the UI test will be skipped" \
			"(sudo apt-get install chromium chromium-driver)"; \
	fi

# The PostgreSQL and Celery tests start Debian's PostgreSQL server and redis-server on
# 127.0.0.1 (never a system service): installed here when missing, as root (CI). Without them
# those tests fail and say how to install them.
servers:
	@if [ -x /usr/bin/redis-server ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql redis-server; \
	else \
		echo "postgresql/redis-server missing and not root: the postgres and celery tests will fail" \
			"(sudo apt-get install postgresql redis-server)"; \
	fi

test: install udata browser servers
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

# The UI and the daemon: while it runs, the automation (sources on their rhythm, datasets
# rebuilt when their sources change), the commune's inbox sensor and the alerts are live.
# `dg dev` reads the project from pyproject.toml ([tool.dg]) and runs it with this venv's Python.
ui: install
	@echo "dg dev may warn that ./dagster.yaml 'will not be used': it is, as copied into DAGSTER_HOME=.dagster by make install."
	$(BIN)/dg dev --host 127.0.0.1 --port 3000

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

snapshots: install
	$(BIN)/python -m devtools.snapshots

# The commune cuts on national-size files, then whole runs (the graph against a trivial job of
# its shape, a run for many communes), recorded in devtools/benchmark_results.md. Options of the
# second go in BENCHMARK_RUNS, e.g. `make benchmark-runs BENCHMARK_RUNS="--communes 20"`.
benchmark: install
	$(BIN)/python -m devtools.benchmark
	$(BIN)/python -m devtools.benchmark_runs $(BENCHMARK_RUNS)

benchmark-runs: install
	$(BIN)/python -m devtools.benchmark_runs $(BENCHMARK_RUNS)

constraints: install
	$(BIN)/pip freeze --exclude-editable | sed '1i # Every package version the project was tested with (pip install -c constraints.txt). Regenerate with: make constraints' > constraints.txt
