# The two set-up commands (README): `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
ASSETS := yigang/static/vendor/.built
export YIGANG_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test test-api-contract test-replica install pdf-font assets migrate demo lint typecheck check-migrations browser-deps test-postgres benchmark clean messages

$(INSTALLED): pyproject.toml requirements/lock.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c requirements/lock.txt -e '.[dev]'
	touch $@

install: $(INSTALLED) pdf-font

# The PDF of the accountability file embeds a TrueType Chinese font: Debian's fonts-wqy-zenhei (ReportLab embeds
# TrueType outlines, not the CFF of Noto CJK). Installed when we are root (CI, a fresh server); otherwise say how.
# YIGANG_PDF_FONT=/path/font.ttf[#index] names another TrueType font instead (yigang/assessment/pdf.py).
WQY := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
pdf-font:
	@test -n "$$YIGANG_PDF_FONT" || test -f $(WQY) || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null) \
	      || echo "could not install fonts-wqy-zenhei: PDF downloads will answer 503 until a font is installed"; \
	  else echo "fonts-wqy-zenhei is missing and we are not root: run 'sudo apt-get install fonts-wqy-zenhei'"; fi; }

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json scripts/build-static.mjs
	npm run --silent build
	touch $@

assets: $(ASSETS)

migrate: install
	mkdir -p $(YIGANG_VAR_DIR)
	DEBUG=1 $(PY) -m yigang migrate --noinput

demo: migrate
	DEBUG=1 $(PY) -m yigang demo

# Creates .venv, installs Python and npm packages, builds static assets, migrates var/yigang.sqlite3,
# loads the 乌审召镇 regulation and demo town, prints the demo accounts and serves http://127.0.0.1:8000.
# Duty reminders run hourly in the background (`yigang remind` is idempotent) and stop with the server.
run: install assets demo
	DEBUG=1 $(PY) -m yigang remind --every 3600 & REMIND=$$!; \
	trap 'kill $$REMIND 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) -m yigang runserver 127.0.0.1:8000

# Tests run in parallel (pytest-xdist, one worker per core, each with its own test database); the browser
# tests drive one chromium against a live server and run after, in one process, on a SQLite file rather than
# the shared in-memory database: the live server answers a page's requests on several threads at once, and
# in-memory SQLite's shared cache then fails with "database table is locked" where a file waits its busy
# timeout. TEST_WORKERS=0: no workers.
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS) --dist loadfile

# Installs what the tests need (Python packages, static assets, Debian's chromium) and runs the whole suite.
test: install assets browser-deps
	$(PY) -m pytest -m "not browser and not api_contract" $(XDIST)
	mkdir -p $(YIGANG_VAR_DIR)
	SQLITE_TEST_NAME=$(YIGANG_VAR_DIR)/test-browser.sqlite3 $(PY) -m pytest -m browser

test-postgres: install assets
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/yigang} $(PY) -m pytest -m "not browser and not api_contract" $(XDIST)

# The read-replica routing against a real PostgreSQL streaming replica of the local server (scripts/replica.sh
# starts one on port 5433 with pg_basebackup and stops it after): its own CI step. The rest of the suite runs
# without a replica — its tests write inside a transaction the replica never sees.
REPLICA_PRIMARY_URL ?= postgres://postgres@127.0.0.1:5432/yigang_replica
test-replica: install
	scripts/replica.sh start
	DATABASE_URL=$(REPLICA_PRIMARY_URL) DATABASE_REPLICA_URL=$(subst :5432/,:5433/,$(REPLICA_PRIMARY_URL)) \
	  $(PY) -m pytest tests/replica -m replica -n 0; rc=$$?; scripts/replica.sh stop; exit $$rc

# The schema-driven test of the API (schemathesis over every operation of /api/openapi.json, as the officer, a
# village secretary and anonymous; bounded and derandomized): its own CI step, left out of `make test`.
test-api-contract: install
	timeout 900 $(PY) -m pytest -m api_contract -n $(TEST_WORKERS) --dist load

# 20 writers through the web server for 20 s on a fresh SQLite file (BENCH_DATABASE_URL: a dedicated PostgreSQL
# database instead); the suite runs the same code for 3 s. See docs/security.md.
benchmark: install
	$(PY) benchmarks/concurrency.py --writers 20 --seconds 20 $${BENCH_DATABASE_URL:+--database-url $$BENCH_DATABASE_URL}

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	      || echo "could not install chromium: browser tests will be skipped"; \
	  else echo "chromium is missing and we are not root: browser tests will be skipped"; fi; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: install
	DEBUG=1 $(VENV)/bin/mypy yigang

check-migrations: install
	DEBUG=1 $(PY) -m yigang makemigrations --check --dry-run

messages: install
	cd yigang && DEBUG=1 ../$(PY) -m yigang makemessages -l en --no-obsolete && DEBUG=1 ../$(PY) -m yigang compilemessages -l en

clean:
	rm -rf $(VENV) node_modules yigang/static/vendor
