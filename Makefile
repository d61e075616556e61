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

.PHONY: install model sample run test lint format clean system-deps bench

# Backlog sizes `make bench` measures (5,000 FAQ entries each); override for a quick look,
# e.g. `make bench BENCH_SIZES="1000 3000"`. Runs take long at 300k on 2 cores.
BENCH_SIZES ?= 10000 100000 300000
BENCH_FAQ   ?= 5000

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

# One process per size, so each size's memory figures are its own.
bench: model
	mkdir -p var/bench
	rm -f var/bench/backlog-*.json
	for n in $(BENCH_SIZES); do \
		$(BIN)/python -m assist.cli bench --faq $(BENCH_FAQ) --backlog $$n --json \
			> var/bench/backlog-$$n.json || exit 1; \
	done
	$(BIN)/python -m assist.bench.report docs/benchmarks.md var/bench/backlog-*.json

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .coverage
