# aedocs: every target sets up .venv when it is missing, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help docs test lint watch bench clean reference

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	@touch $(STAMP)

docs: $(STAMP) ## build the documents of this workspace into output/
	$(BIN)/aedocs build

watch: $(STAMP) ## rebuild on every save, with a live preview
	$(BIN)/aedocs watch --serve

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check aedocs tests bench
	$(BIN)/ruff format --check aedocs tests bench
	$(BIN)/mypy

test: lint ## lint, then the whole test suite
	$(BIN)/pytest -q

bench: $(STAMP) ## speed and memory against pandoc and docxtpl
	$(BIN)/python -m bench

clean: ## remove the virtual environment and caches (keeps output/, the archive)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
