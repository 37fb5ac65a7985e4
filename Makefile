# The two commands in the README: `make chat` and `make test`. Both set up .venv first.
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The browser tests' npm packages (tests/browser), installed like the venv: again when the lock
# file changes. Without npm they are left out and the browser tests skip, saying so.
BROWSER := tests/browser
NODE_STAMP := $(BROWSER)/node_modules/.installed-stamp

.PHONY: chat test lint bench screenshots clean

chat: $(STAMP)
	$(BIN)/infoshare chat

test: $(STAMP) $(NODE_STAMP) lint
	$(BIN)/infoshare knowledge check
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/routing.py
	$(BIN)/python bench/slack.py
	$(BIN)/python bench/teams.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/reminder_scheduler.py
	$(BIN)/python bench/analytics.py
	$(BIN)/python bench/redact_again.py
	$(BIN)/python bench/redaction.py

# The README's screenshots, taken in Chromium from a server on a fresh database.
screenshots: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m tests.browser.screenshots

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): $(BROWSER)/package-lock.json
	@if command -v npm >/dev/null; then \
		cd $(BROWSER) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error \
		&& touch node_modules/.installed-stamp; \
	else echo "npm not found: the browser tests will be skipped"; fi

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache $(BROWSER)/node_modules
