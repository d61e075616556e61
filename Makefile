# Two commands do everything on a fresh machine: `make run` and `make test`.
VENV      ?= .venv
PYTHON    ?= python3
BIN       := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ASSIST_DATA_DIR ?= $(CURDIR)/var
# A local-only key so `make run` works out of the box; set your own for anything shared.
export ASSIST_API_KEYS ?= ["local-dev-key"]

.PHONY: install model sample run test lint format clean system-deps

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch is pinned in the same command as sentence-transformers: that takes the local CPU wheel.
	$(BIN)/python -m pip install --quiet torch==2.13.0 -e '.[dev]'
	touch $@

install: $(INSTALLED)

model: install
	$(BIN)/assist model prepare

sample: model
	$(BIN)/assist import faq samples/faq.jsonl
	$(BIN)/assist import backlog samples/backlog.jsonl

run: sample
	$(BIN)/assist serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

system-deps:
	bash scripts/system-deps.sh

test: model lint system-deps
	$(BIN)/pytest --cov --cov-fail-under=85

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .coverage
