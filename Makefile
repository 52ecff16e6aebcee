# Sunshine Portal — the two commands a new user needs:
#   make run    install, migrate SQLite, load the demo site, serve at http://127.0.0.1:8000/
#   make test   install and run the whole test suite (PostgreSQL when DATABASE_URL is set, else SQLite)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint format fuzz bench loadtest mutation worker scheduled notices clean

$(STAMP): pyproject.toml
	@scripts/check-python.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@scripts/ensure-fonts.sh
	touch $(STAMP)

install: $(STAMP)

# axe-core (WCAG checks in tests/e2e/test_public_pages.py) from the npm registry, pinned by
# tests/e2e/package-lock.json; needs node and npm (apt-get install npm).
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund --silent
	touch $(AXE)

run: $(STAMP)
	@scripts/ensure-fonts.sh
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite with line and branch coverage; the critical modules must stay at their floors
# (scripts/coverage_gate.py). With PYTEST_ARGS (a subset) the gate is skipped.
test: $(STAMP) $(AXE)
	@scripts/ensure-browser.sh
	@scripts/ensure-fonts.sh
	$(BIN)/python -m pytest -p xdist -n 2 --cov --cov-report=term:skip-covered $(PYTEST_ARGS)
ifeq ($(strip $(PYTEST_ARGS)),)
	$(BIN)/python scripts/coverage_gate.py --show
endif

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Fuzz the JSON API from its OpenAPI document (Schemathesis, every check, stateful through the
# links) against gunicorn on a fresh PostgreSQL database with the demo site, anonymous and with a
# staff token; ~4 minutes (FUZZ_MAX_TIME=<seconds> per run). Zero failures or it fails.
fuzz: $(STAMP)
	scripts/fuzz_api.sh

# make bench [BENCH=micro|web|scale|import]: micro, web and scale by default (see docs/operations.md, Performance).
BENCH ?= micro web scale
bench: $(STAMP)
	$(if $(filter micro,$(BENCH)),$(BIN)/python -m pytest tests/bench -p no:randomly -o addopts="" -s --run-bench)
	$(if $(filter web,$(BENCH)),$(BIN)/python -m tests.bench.web)
	$(if $(filter scale,$(BENCH)),$(BIN)/python -m tests.bench.scale)
	$(if $(filter import,$(BENCH)),$(BIN)/python -m tests.bench.importer)

# Load test: the production stack (nginx TLS → Varnish → gunicorn, PostgreSQL restarted midway),
# 200 users for 2 minutes, report in .loadtest/report.md (tests/load/run.py; LOAD_USERS=… to change).
loadtest: $(STAMP)
	$(BIN)/pip install --quiet -e ".[dev,load]"
	$(BIN)/python -m tests.load.run

# Mutation testing of the critical modules (slow: hours for all of them; MODULES=portal/workdays.py for one).
mutation: $(STAMP)
	$(BIN)/python scripts/mutation.py $(MODULES)

worker: $(STAMP)
	$(BIN)/python manage.py db_worker

# Scheduled publishing and expiry: run once (production runs it every minute, see docs/operations.md).
scheduled: $(STAMP)
	$(BIN)/python manage.py publish_scheduled
	$(BIN)/python manage.py draw_surveys

# Send the notices that are due (first attempts whose task was lost, retries): production runs it every minute.
notices: $(STAMP)
	$(BIN)/python manage.py send_pending_notices

clean:
	rm -rf $(VENV) db.sqlite3 media private_media staticfiles tests/e2e/node_modules
