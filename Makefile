# PolicyQA — `make serve` and `make test` work on a fresh machine (Python 3.11, no GPU, no model hub).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install serve test unit check ingest clean browser postgres

install: $(STAMP)

# torch is installed first and pinned: 2.13.0 is the CPU build on disk here; an unpinned torch pulls CUDA.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

ingest: install
	$(VENV)/bin/policyqa ingest

# Builds what is missing (model folder, index) and serves the chat and the API on 127.0.0.1:7860.
serve: install
	$(VENV)/bin/policyqa serve

# The browser test drives Debian's chromium (Playwright's own browser download does not work here); CJK fonts
# make its screenshots readable. Installed with apt-get when missing and we are root.
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null; \
	  else echo "install chromium, chromium-driver and a CJK font (fonts-wqy-microhei) for the browser test" >&2; fi; }

# The staff database's tests run on SQLite and on a real PostgreSQL server, which they start in a temporary
# directory (as the `postgres` user when run as root): Debian's package, installed when missing and we are root.
postgres:
	@command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "install PostgreSQL (Debian: apt-get install postgresql) for the database tests" >&2; fi; }

# Lint and types: ruff (pyflakes, pycodestyle, import order, bugbear, private-member access) and mypy (typed rag/, ui/).
check: install
	$(VENV)/bin/ruff check rag ui tests eval
	$(VENV)/bin/mypy

# The fast tier: no model, no browser, no server (a fake encoder stands in for e5); well under 20 s.
unit: install
	$(PY) -m pytest -q tests/unit

# Everything: the checks, then both tiers (the integration tier uses the real model, servers and chromium).
test: install browser postgres check
	$(PY) -m pytest -q

clean:
	rm -rf index/library index/models index/search index/.search-*
