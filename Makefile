# carecircle: two commands set up everything on a fresh machine.
#   make demo   generate the sample dataset, ingest it, print the ingest summary
#   make test   install everything the tests need (Python packages, Chromium, the Bolt
#               test server) and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO := demo-data

.PHONY: setup system-deps test lint demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium and its driver, for the browser tests of the dashboard.
system-deps:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
		echo "chromium and chromedriver present"; \
	else \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium chromium-driver; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup system-deps lint
	$(BIN)/python -m pytest

demo: setup
	$(BIN)/carecircle generate $(DEMO) --residents 2000 --seed 7
	$(BIN)/carecircle ingest $(DEMO) --store $(DEMO)/carecircle.db

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .ruff_cache .hypothesis
