# Padu: the two commands a newcomer needs are `make run` and `make test` (see README.md).
SWIFT ?= swift
PATH := $(PATH):/opt/swift/usr/bin
export PATH
HOME_DIR ?= padu-data
BIN = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)/padu

.PHONY: setup build run test check sample-data bench clean

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build

# The main job: check the example pipelines, then run each once on the bundled sample data
# into the embedded SQLite warehouse ($(HOME_DIR)/warehouse.sqlite), propose identity matches
# for aid records loaded before the registries, and print the coverage per kecamatan.
# Then it starts the daemon over the example pipelines in the foreground (Ctrl-C stops it).
run: build
	$(BIN) check pipelines --home $(HOME_DIR)
	$(BIN) run --all --home $(HOME_DIR)
	$(BIN) matches scan --home $(HOME_DIR)
	$(BIN) report coverage --level kecamatan --home $(HOME_DIR)
	$(BIN) daemon --home $(HOME_DIR)

# Builds everything (the tests compile pipeline files against libPipelineDescription.so)
# and runs the whole test suite.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

check: build
	$(BIN) check pipelines --home $(HOME_DIR)

# Regenerates the bundled sample exports (deterministic).
sample-data:
	python3 scripts/generate-sample-data.py

# Benchmark: Padu against sqlite3 .import, pandas, polars, DuckDB, python-calamine, openpyxl and
# lxml on generated inputs (release build; peers in .build/bench-venv). See docs/benchmark.md.
#   make bench SCALE=4                               also Padu on the 4x inputs (memory flatness)
#   make bench ARGS="--only registry --rows 100000"  a quick check
SCALE ?= 1
bench: setup
	python3 scripts/bench/bench.py --scale $(SCALE) $(ARGS)

clean:
	rm -rf .build $(HOME_DIR)
