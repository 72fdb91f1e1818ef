# The README's two commands: `make run` and `make test`. Everything else is a helper of those.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test test-unit lint bench eval browser-deps

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: a CPU wheel on local disk. Unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev,llm]'
	touch $@

install: $(VENV)/.installed

# Installs, (re)ingests when the index is missing or stale, then serves the chat on 127.0.0.1.
run: install
	$(BIN)/grant-assistant serve

# Chromium + a Japanese font for the browser test (Debian packages; needs root or sudo).
browser-deps:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi ipagothic || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-ipafont-gothic >/dev/null; }

# browser-deps has installed Chromium, so the browser test must run (fail, not skip) here.
test: install browser-deps
	$(BIN)/ruff check ingest assistant ui.py tests
	$(BIN)/mypy ingest assistant ui.py
	GRANT_ASSISTANT_REQUIRE_BROWSER=1 $(BIN)/pytest

test-unit: install
	$(BIN)/pytest -m "not integration"

lint: install
	$(BIN)/ruff check ingest assistant ui.py tests
	$(BIN)/mypy ingest assistant ui.py
