// SPDX-License-Identifier: Apache-2.0
// Chrome/Perfetto trace-event JSON (docs/report-format.md): one run is one
// process (trace_events_json); a suite merges its runs' traces.
#pragma once

#include <string>
#include <vector>

#include "run/run_result.h"

namespace cmosim::sim {

// The trace events of one run as process `pid`. Without a recorded timeline
// (Simulation::record_timeline()) it holds the steps only, no SMC, sleep,
// lock wait or flush spans.
std::string trace_events_json(const RunResult &run, int pid = 1);

// Merge the traces of several runs into one file: run i becomes process i + 1.
// Throws nlohmann::json::exception when a trace is not JSON.
std::string merge_traces(const std::vector<std::string> &traces);

} // namespace cmosim::sim
