// SPDX-License-Identifier: Apache-2.0
// Host memory a scenario may need, estimated from its platform and steps
// before anything is allocated, and the limit it is checked against
// (`--max-memory`, `limits.max_memory`; docs/reliability.md). `cmosim check`
// and `cmosim run` refuse a scenario whose estimate exceeds the limit with
// exit 2, instead of a run that exhausts the host half way.
#pragma once

#include <cstdint>
#include <string>

#include "config/scenario.h"

namespace cmosim::sim {

struct MemoryEstimate {
    uint64_t tag_bytes = 0;       // every cache's tag array, as far as it can fill
    uint64_t record_bytes = 0;    // per-step records and their part of the report
    uint64_t base_bytes = 0;      // the simulator itself (SystemC, firmware, kernel)
    uint64_t lines_reachable = 0; // distinct lines the run can bring into a cache
    uint64_t records = 0;         // records its steps make (repeats expanded)
    uint64_t total() const;       // saturating sum
};

MemoryEstimate estimate_memory(const Scenario &s);

// The default limit: half of the host's memory (MemTotal of /proc/meminfo,
// or the physical pages sysconf counts).
uint64_t default_memory_limit();

// "16GiB", "512MiB", "1073741824" (bytes): exact, units B, KiB, MiB, GiB,
// TiB, PiB; false for anything else (or 0, or past 2^64 - 1).
bool parse_memory_size(const std::string &text, uint64_t *bytes);

// "2 GiB", "1.5 TiB": a size in the largest binary unit, one decimal.
std::string human_size(uint64_t bytes);

// Throws ConfigError ("FILE: error: ...") when the estimate of `s` exceeds
// `limit` (0: the scenario's limits.max_memory, or else the default), naming
// the estimate, the limit and how to raise it.
void check_memory(const Scenario &s, uint64_t limit = 0);

} // namespace cmosim::sim
