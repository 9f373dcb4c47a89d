# Two commands do everything on a fresh machine with Python 3.11+:
#   make run    land the real release and materialize every asset and check
#   make test   run the test suite (make test-fast: the fast lane, under 2 minutes)
# uv is bootstrapped into .tools/ from PyPI when it is not on PATH.

UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
SHARED_RELEASE := $(abspath $(CURDIR)/../shared/lait/current)

export GX_ANALYTICS_ENABLED = false
# The real release beside the repository when there is one; otherwise the published default URL.
ifneq ($(wildcard $(SHARED_RELEASE)/bds_long_0.parquet),)
export PEERDATA_SOURCE ?= $(SHARED_RELEASE)
endif

# `make run PDFS=off` builds the HTML profiles without the PDFs (as `peerdata materialize --no-pdf`).
ifdef PDFS
export PEERDATA_PDFS = $(PDFS)
endif

.PHONY: run test test-fast bench dev sync chromium worker docs

# The environment is synced (and its bytecode compiled) when uv.lock or pyproject.toml changed
# since the last sync, not at every command: `make dev` starts in seconds, not 22 s.
# `make sync` syncs unconditionally.
SYNCED ?= $(CURDIR)/.venv/.synced
# axe-core for the accessibility tests (tests/test_browser.py), installed as .ci/run used to.
AXE_CORE := $(CURDIR)/.tools/node/node_modules/axe-core/axe.min.js

$(CURDIR)/.tools/bin/uv:
	python3 -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet uv

# Bytecode compiled once here: where Python cannot write it (read-only site-packages, or
# PYTHONDONTWRITEBYTECODE set) every command would otherwise recompile Dagster & co. at start-up.
sync: $(UV)
	$(UV) sync --frozen --compile-bytecode
	@mkdir -p $(dir $(SYNCED)) && touch $(SYNCED)

$(SYNCED): uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --compile-bytecode
	@mkdir -p $(dir $@) && touch $@

# Without npm the accessibility tests cannot run: said here, not only in pytest's skip summary.
$(AXE_CORE):
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-save --no-audit --no-fund --prefix $(CURDIR)/.tools/node axe-core; \
	else echo "NOTE: no npm on PATH: the accessibility tests of tests/test_browser.py will be SKIPPED."; \
		echo "  Install Node.js (npm) and run make test again to run them."; fi

# The PDFs need Debian's chromium: installed here as .ci/run does when it is missing and we are
# root with apt-get; otherwise the run still builds everything else and ends saying what to run.
chromium:
	@if command -v chromium >/dev/null 2>&1 || [ -n "$$PEERDATA_CHROMIUM" ] || [ "$$PEERDATA_PDFS" = off ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the PDF profiles"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else echo "No Chromium and no root to install it: the PDF profiles will not be built."; fi

run: $(SYNCED) chromium
	$(UV) run peerdata materialize; status=$$?; \
	$(UV) run peerdata status; \
	if ! command -v chromium >/dev/null 2>&1 && [ -z "$$PEERDATA_CHROMIUM" ] && [ "$$PEERDATA_PDFS" != off ]; then \
		echo; echo "NOTE: the PDF profiles were NOT built (no Chromium). To build them:"; \
		echo "  sudo apt-get install chromium && make run    (or set PEERDATA_CHROMIUM=/path/to/chromium)"; \
	fi; exit $$status

# Two pytest-xdist workers, a test file each at a time (a module's shared build stays in one
# worker; the session's shared homes are built once for both: conftest.built_once), the longest
# files first (conftest.LONGEST_FILES; xdist's own reordering, by number of tests, is off).
# `make test TEST_WORKERS=0` runs the suite in one process.
TEST_WORKERS ?= 2

test: $(SYNCED) $(AXE_CORE)
	$(UV) run pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# The fast lane: the tests marked `fast` (pytest.mark.fast: pure functions, hand-built fixtures,
# the import contract), in one process, in under 2 minutes. `make test` still runs everything.
test-fast: $(SYNCED)
	$(UV) run pytest -n 0 -m fast

# A Celery worker for runs started with PEERDATA_EXECUTOR=celery PEERDATA_BROKER=redis://HOST:PORT/0
# (docs/operations.md): start one on each machine that shares the storage.
worker: $(SYNCED)
	$(UV) run peerdata worker

bench: $(SYNCED)
	$(UV) run python bench/run.py

# dbt's browsable documentation of the marts (every model, column, test and the lineage), into
# .dbt-docs/ (git-ignored). No database is opened (--empty-catalog: no column types); to browse it:
#   $(UV) run dbt docs serve --project-dir assets/dbt --profiles-dir assets/dbt --target-path $(CURDIR)/.dbt-docs
docs: $(SYNCED)
	DBT_SEND_ANONYMOUS_USAGE_STATS=false $(UV) run dbt docs generate --empty-catalog --quiet \
		--project-dir assets/dbt --profiles-dir assets/dbt --target-path $(CURDIR)/.dbt-docs
	@echo "dbt docs in $(CURDIR)/.dbt-docs/index.html"

# `dg dev` (Dagster's current CLI) serves the UI and runs the daemon, on the run history the
# `peerdata` commands use (DAGSTER_HOME, else $$PEERDATA_HOME/.dagster_home: pipeline/cli.py). Dagster stops on SIGTERM by
# handling it as SIGINT, so a SIGINT ignored by whoever started make (a `&` in a script, nohup, a
# service manager) would make it ignore SIGTERM too: SIGINT is restored before dg starts.
DEV_PORT ?= 3000
DEV := import os, signal; from pipeline.cli import ensure_dagster_home; from base.settings import Paths; \
	ensure_dagster_home(Paths.from_env()); signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp("dg", ["dg", "dev", "--host", "127.0.0.1", "--port", "$(DEV_PORT)"])

dev: $(SYNCED)
	exec $(UV) run python -c '$(DEV)'
