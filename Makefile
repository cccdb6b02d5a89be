# Quick start: `make run` (set up and launch the app), `make test` (set up and run every test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --disable-pip-version-check -q -c constraints.txt

.PHONY: run check test test-fast install install-test verify bench faults clean

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e '.[test]'
	touch $@

install install-test: $(VENV)/.installed

run: $(VENV)/.installed
	$(VENV)/bin/studyml

# The quality gates first (seconds), then every test, then every demo claim and verified quiz key.
check: $(VENV)/.installed
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Four workers on two cores: about a third of a test's time is spent waiting (worker processes, subprocesses,
# the event loop idle between keypresses), and the extra workers fill it (6.5 min with -n 2, 4.9 with -n 4).
# Bytecode is cached for the tests even where the environment turns it off (PYTHONDONTWRITEBYTECODE): otherwise each
# worker and each of the hundreds of studyml and demo-worker subprocesses compiles every module it imports again.
test: check
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -n 4 -p no:cacheprovider
	$(VENV)/bin/studyml verify

# The inner loop: no real demo runs, subprocess builds or tmux sessions.
test-fast: check
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -n 4 -p no:cacheprovider -m "not slow and not e2e"

verify: $(VENV)/.installed
	$(VENV)/bin/studyml verify

bench: $(VENV)/.installed
	for f in benchmarks/*.py; do $(PY) $$f || exit 1; done

faults: $(VENV)/.installed
	$(PY) -m tests.reliability.matrix

clean:
	rm -rf $(VENV) build *.egg-info
