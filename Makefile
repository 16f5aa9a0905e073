# carecircle: two commands set up everything on a fresh machine.
#   make demo   generate sample data, ingest it, and serve the dashboard on http://127.0.0.1:8050
#               (another port: make demo PORT=8051)
#   make test   install everything the tests need (Python packages, Chromium, the Bolt
#               test server) and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP := $(VENV)/.installed-app
TEST_TOOLS := $(VENV)/.installed-test
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO := demo-data
# the demo's port: make demo PORT=8051
PORT ?= 8050

.PHONY: setup system-deps test lint demo bench load hostile scaling page-weight translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# the application alone, for the demo
$(APP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $(APP)

# the application with the test tools (pytest, hypothesis, ruff, nbclient, the Bolt test server)
$(TEST_TOOLS): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(APP) $(TEST_TOOLS)

setup: $(TEST_TOOLS)

# Debian's Chromium and its driver, for the browser tests of the dashboard.
system-deps:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
		echo "chromium and chromedriver present"; \
	else \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium chromium-driver; \
	fi

# ruff; and no function of the package graded D or worse by radon (cyclomatic complexity above 20)
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/xenon --max-absolute C graph ingest dashboards carecircle benchmarks

test: setup system-deps lint
	$(BIN)/python -m pytest

# generate three sample snapshots, ingest them, and serve the dashboard on http://127.0.0.1:$(PORT)
demo: $(APP)
	$(BIN)/carecircle demo --data $(DEMO) --port $(PORT)

# performance run at 10k, 60k and 100k residents: writes docs/PERFORMANCE.md and docs/performance.png
bench: $(TEST_TOOLS)
	$(BIN)/python -m benchmarks.run

# the dashboard under load: 20 users replaying its callbacks across the demo's three snapshots for a
# minute, at the demo's size and at 30,000 residents (req/s, latency, errors, waitress warnings)
load: $(APP)
	$(BIN)/python -m benchmarks.load --residents 2000
	$(BIN)/python -m benchmarks.load --residents 30000

# the dashboard in Chromium at 2,000 and 60,000 residents, this code beside the commit before issue 16's
# compression and paging: a first visit's bytes, the residents grid's bytes and time to its first rows,
# written to docs/PAGE_WEIGHT.md
page-weight: $(TEST_TOOLS) system-deps
	$(BIN)/python -m benchmarks.page_weight

# hostile and broken inputs: each ingested in a fresh process (exit status, codes, time, memory, BSNs leaked)
hostile: $(APP)
	$(BIN)/python -m benchmarks.hostile

# national scale on paper: per-neighbourhood costs over Bolt, written to docs/SCALING.md
scaling: $(TEST_TOOLS)
	$(BIN)/python -m benchmarks.scaling

# gettext catalogues: extract every text marked in the code (N_, translate, translate_plural) into a
# template in a temporary folder, removed afterwards, and bring graph/locales/{en,nl} up to date with
# it: new texts get an empty entry, texts no longer in the code go. Then write the Dutch of each new
# entry in nl.po (see the README, "Translations"); tests/test_language.py names any still empty.
translations: | $(APP)
	@template=$$(mktemp -d) && trap 'rm -rf "$$template"' EXIT && \
	$(BIN)/pybabel -q extract -F pyproject.toml --no-location -o "$$template/carecircle.pot" \
		carecircle graph ingest dashboards && \
	$(BIN)/pybabel -q update -i "$$template/carecircle.pot" -d graph/locales -D carecircle \
		--no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .ruff_cache .hypothesis
