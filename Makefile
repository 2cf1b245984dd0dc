# Thin wrapper over CMake presets. The README's two commands:
#   make run    install what is missing, build, run the built-in default scenario
#   make test   install what is missing, build, run the whole test suite
PRESET ?= release
BUILD  := build/$(PRESET)
JOBS   ?= 2

.PHONY: run test test-asan build setup configure bench bench-sweep clean format

setup:
	@scripts/setup.sh

configure: setup
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j$(JOBS)

run: build
	@$(BUILD)/cmosim run --report $(BUILD)/default-report.json

test: build
	@ctest --preset $(PRESET) -j$(JOBS)

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan:
	@$(MAKE) --no-print-directory test PRESET=asan

format:
	@find firmware models sim tests provider -name '*.[ch]' -o -name '*.cpp' -o -name '*.h' \
	  | xargs clang-format -i

# Sweep benchmark (docs/performance.md): the 116-point range-crossover sweep on
# 2 cores; the sweep prints its wall time.
bench-sweep: build
	@$(BUILD)/cmosim sweep configs/sweeps/range-crossover.yaml -j2 --out $(BUILD)/bench/range-crossover
bench: bench-sweep

clean:
	rm -rf build
