# Quick start: `make bench` (run the benchmark on the embedded default) and `make test` (the
# project's own tests). Both create .venv and install the project on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Workers for the benchmark: under xdist each worker times on its own CPU (a timing lane, see
# docs/timing.md); BENCH_ARGS=--mk-timing-lanes=1 makes every timing exclusive on the machine.
BENCH_WORKERS ?= 2
TEST_WORKERS ?= 2

.PHONY: setup deps bench test test-slow lint clean

setup: deps $(STAMP)

# System packages: checked on every bench/test run (a few `command -v`), installed with apt as root;
# otherwise one line names what is missing (scripts/system_deps.sh).
deps:
	@bash scripts/system_deps.sh

$(STAMP): pyproject.toml | deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# --benchmark-quiet: pytest-benchmark still records every sample (add --benchmark-json=PATH through
# BENCH_ARGS to keep them) but does not print its 190 per-arm tables over the summary.
bench: deps $(STAMP)
	$(BIN)/pytest -n $(BENCH_WORKERS) -p no:cacheprovider --benchmark-quiet --mk-results=results/latest/results.json \
		--mk-report=results/latest $(BENCH_ARGS)

# The project's tests; the slow end-to-end ones (the whole shipped suite on host and qemu, the docs
# check) run with `make test-slow`, which CI runs too.
test: deps $(STAMP)
	$(BIN)/pytest tests -n $(TEST_WORKERS) -p no:cacheprovider -m "not slow" $(TEST_ARGS)

test-slow: deps $(STAMP)
	$(BIN)/pytest tests -n $(TEST_WORKERS) -p no:cacheprovider -m slow $(TEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check pytest_mobilekernel tests benchmarks bench_tasks

clean:
	rm -rf $(VENV) .mobilekernel results
