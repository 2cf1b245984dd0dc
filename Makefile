# Thin wrapper over CMake presets. The README's two commands:
#   make run    install what is missing, build, run the built-in default scenario
#   make test   install what is missing, build, run the whole test suite: the
#               release build, then the ASan+UBSan build (docs/reliability.md)
PRESET ?= release
BUILD  := build/$(PRESET)
JOBS   ?= 2
# The sanitizer pass skips the bring-your-own sub-build: it proves build
# plumbing, and the same provider sources run under ASan in the provider tests.
ASAN_CTEST_ARGS ?= -E provider_bring_your_own_build
FUZZ_SECONDS ?= 60

.PHONY: run test test-release test-asan suite build setup configure bench bench-sweep bench-models \
        bench-replay \
        clean format \
        fuzz fuzz-merge

setup:
	@scripts/setup.sh

configure: setup
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j$(JOBS)

# `make run` builds the simulator alone (no test binaries); `make test` the rest.
run: configure
	@cmake --build --preset $(PRESET) -j$(JOBS) --target cmosim
	@$(BUILD)/cmosim run --report $(BUILD)/default-report.json

test: test-release test-asan

# One build's suite.
suite: build
	@ctest --preset $(PRESET) -j$(JOBS) $(CTEST_ARGS)

test-release:
	@$(MAKE) --no-print-directory suite PRESET=release

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan:
	@$(MAKE) --no-print-directory suite PRESET=asan CTEST_ARGS='$(ASAN_CTEST_ARGS)'

# libFuzzer (clang) on the YAML loader and the firmware's SMC interface,
# FUZZ_SECONDS per target; `make fuzz-merge` minimises what it found into
# tests/fuzz/*/corpus.
fuzz:
	@CMOSIM_SETUP_EXTRA="clang libclang-rt-14-dev" scripts/setup.sh
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j$(JOBS)
	@tests/fuzz/run.sh fuzz $(FUZZ_SECONDS)

fuzz-merge:
	@cmake --build --preset fuzz -j$(JOBS)
	@tests/fuzz/run.sh merge

format:
	@find firmware models sim tests provider -name '*.[ch]' -o -name '*.cpp' -o -name '*.h' \
	  | xargs clang-format -i

# Sweep benchmark (docs/performance.md): the 116-point range-crossover sweep on
# 2 cores; the sweep prints its wall time.
bench-sweep: build
	@$(BUILD)/cmosim sweep configs/sweeps/range-crossover.yaml -j2 --out $(BUILD)/bench/range-crossover
# Model benchmarks (docs/performance.md): (a) simulated accesses per host
# second, SystemC model against the bare tag arrays; (b) host time to
# invalidate 1 GiB and 1 TiB with full caches per strategy; (c) peak RSS with a
# 256 GiB device of which 1 GiB is touched.
BENCH_MODELS := $(BUILD)/tests/bench/bench_models
bench-models: build
	@cmake --build --preset $(PRESET) -j$(JOBS) --target bench_models
	@mkdir -p $(BUILD)/bench
	@echo "== (a) throughput"; SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 $(BENCH_MODELS) throughput
	@echo "== (b) invalidate"; SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 $(BENCH_MODELS) invalidate
	@echo "== (c) peak RSS"; $(BUILD)/cmosim run tests/bench/rss-256g.yaml \
	  --report $(BUILD)/bench/rss-256g.json >/dev/null && \
	  grep -o '"max_rss_kib": [0-9]*' $(BUILD)/bench/rss-256g.json
# Replay benchmark (docs/performance.md): cachegrind, cmosim replay of the text
# trace and of the packed trace, in alternating rounds (RUNS=5, medians), on the
# traces of gzip -c of two inputs (442 MB and 701 MB of text); references per
# second side by side, the counts checked in every run, and the peak RSS; and
# the floor under a replay (tests/bench/replay_floor.cpp): reading the trace
# alone, and the nine counts alone by bare LRU arrays.
bench-replay: build
	@cmake --build --preset $(PRESET) -j$(JOBS) --target bench_replay_floor
	@scripts/bench-replay.sh $(BUILD)
bench: bench-sweep bench-models bench-replay

clean:
	rm -rf build
