# The two entry points of the README. Both set everything up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/vantage demo --if-empty
	$(BIN)/vantage serve

test: $(STAMP)
	$(BIN)/ruff check --no-cache src tests bench
	$(BIN)/mypy
	$(BIN)/pytest

# bench/reports.py builds its demo stores under var/bench/ on its first run (about 6 minutes);
# bench/engines.py builds its DuckDB and chDB stores there too (about 10 minutes, 3 GB);
# bench/dashboard.py its demo school with the issue's three room shapes (about 4 minutes a run).
bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/engines.py
	$(BIN)/python bench/jobs.py
	$(BIN)/python bench/dashboard.py

clean:
	rm -rf $(VENV) var
