# motive: `make demo` sets everything up and classifies the example transcripts;
# `make test` sets everything up and runs the tests.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test test-fast setup browser model clean

demo: setup
	$(BIN)/motive classify examples -o results/examples.jsonl
	$(BIN)/motive classify examples --format table -q -o results/examples.txt
	@cat results/examples.txt
	@echo "Results: results/examples.jsonl (one JSON record per transcript), results/examples.txt (table)"

test: setup browser
	$(BIN)/pytest

test-fast: setup
	$(BIN)/pytest -m "not slow"

setup: $(VENV)/.installed

# The HTML report's test renders it in headless Chromium (Debian's package), installed here when we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
		|| echo "chromium is not installed: the report's browser test will be skipped"

# torch is installed first and pinned; README "Install" says how to ask for its CPU build where pip would pick the CUDA one.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

model: setup
	$(BIN)/python scripts/train_default.py

clean:
	rm -rf $(VENV) results .pytest_cache
