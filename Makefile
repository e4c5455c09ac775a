# Duban: `make demo` runs the site with the demo plan; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# The links `duban demo` prints (and e-mails carry) point at the server `make demo` starts.
DUBAN_SITE_URL ?= http://$(HOST)

.PHONY: demo time-demo test test-sqlite test-postgres bench loadtest messages check clean

# The demo installs only what the site runs on (requirements.lock); the tests add theirs
# (requirements-test.lock) on top.
$(BIN)/duban: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test-deps: requirements-test.lock $(BIN)/duban
	$(BIN)/pip install --quiet -r requirements-test.lock
	touch $@

# The demo stands on 2023-10-20, inside the plan's year: `duban demo` imports the plan and plays its
# year up to that morning (`duban simulate`, docs/demo.md); the server then shows it as of that day.
demo: export DUBAN_TODAY = 2023-10-20
demo: export DUBAN_SITE_URL := $(DUBAN_SITE_URL)
demo: $(BIN)/duban
	$(BIN)/duban migrate --no-input
	$(BIN)/duban demo
	$(BIN)/duban runserver $(HOST)

test: $(VENV)/.test-deps
	tools/install-test-deps
	tools/run-tests

# The layer contract, ruff and mypy (configured in pyproject.toml); `make test` runs them first.
check: $(BIN)/duban
	BIN=$(BIN) tools/check

# Every benchmark the issues name, on throwaway data and on simulated data (the demo district and a
# province of BENCH_DISTRICTS districts, 100 by default), on SQLite and on a throwaway PostgreSQL cluster,
# kept in var/bench/ once built (or in DUBAN_BENCH_CACHE); django-helpdesk's ticket list beside the
# complaint list (its venv in var/bench/peer). The table goes into BENCHMARKS.md and the figures into
# benchmarks/last.json, which the next run compares against.
bench: $(VENV)/.test-deps
	$(BIN)/python tools/bench.py

# USERS simulated users for SECONDS on gunicorn + PostgreSQL with the province of `make bench` (a copy of its
# database), resources sampled during the run; the report goes into BENCHMARKS.md (tools/loadtest_bench.py).
USERS ?= 50
SECONDS ?= 180
loadtest: $(BIN)/duban
	$(BIN)/python tools/loadtest_bench.py --users $(USERS) --seconds $(SECONDS)

# `make demo` on a fresh clone of HEAD, timed to its first page (pip's cache kept).
time-demo:
	tools/time-demo

# The zh-Hans catalog, duban/locale/zh_Hans/LC_MESSAGES/django.po, by Django's makemessages (new msgids
# arrive with an empty msgstr to fill in) and compilemessages (writes the django.mo that is committed, so
# installing Duban needs no gettext). Needs GNU gettext (Debian package gettext). See tools/messages.
messages: $(BIN)/duban
	BIN=$(BIN) tools/messages

clean:
	rm -rf $(VENV) var
