# Padu: the two commands a newcomer needs are `make run` and `make test` (see README.md).
SWIFT ?= swift
PATH := $(PATH):/opt/swift/usr/bin
export PATH
HOME_DIR ?= padu-data
BIN = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)/padu

.PHONY: setup build run test check sample-data clean

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

clean:
	rm -rf .build $(HOME_DIR)
