# `make run` and `make test` set up .venv on first use and are quick when nothing changed.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11 python3.10; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench lint clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.10 not found (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-run

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@ $(VENV)/.installed-run $(VENV)/.installed-test

# Byte-compiled ahead (only what changed): where PYTHONDONTWRITEBYTECODE is set, as on CI
# images, every start, every training worker and every test's subprocess would otherwise
# compile the sources again (~0.4 s of CPU each).
COMPILE := $(BIN)/python -m compileall -q -j 0 engine micrograd_tui >/dev/null || true

run: $(VENV)/.installed-run
	@$(COMPILE)
	$(BIN)/micrograd-tui $(ARGS)

test: $(VENV)/.installed-test
	@$(COMPILE)
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: $(VENV)/.installed-bench
	@$(COMPILE)
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_tui.py
	$(BIN)/python benchmarks/bench_train.py
	$(BIN)/python benchmarks/bench_gpt_app.py
	$(BIN)/python benchmarks/bench_expr_limits.py
	$(BIN)/python benchmarks/bench_serve.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
	find engine micrograd_tui -name __pycache__ -type d -prune -exec rm -rf {} +
