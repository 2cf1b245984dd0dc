// SPDX-License-Identifier: Apache-2.0
// Pieces of the text summaries shared by `cmosim run` and `cmosim replay`.
#pragma once

#include <string>

#include "run/run_result.h"

namespace cmosim::sim {

// Cachegrind's summary lines for these counts, labelled as cachegrind labels
// them ("I refs:", "I1  misses:", ... "LL misses:"), each after `indent`.
std::string cachegrind_lines(const CgCounts &c, const std::string &indent);

// " = firmware A (N SMC) + provider sleep B (K sleeps) + mutex wait C + other D":
// the parts of a kernel call's latency, which add up to it. Empty when the
// call spent no time in firmware, sleeping or waiting for a mutex and
// `always` is false (a CPU-only strategy: its latency is all "other").
std::string latency_breakdown(const KernelCallCost &k, bool always);

// Picoseconds as microseconds with three decimals: "7362.700 us".
std::string us_text(uint64_t ps);

} // namespace cmosim::sim
