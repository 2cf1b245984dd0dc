// SPDX-License-Identifier: Apache-2.0
// Chrome/Perfetto trace-event JSON (docs/report-format.md): one run is one
// process (Simulation::trace_json); a suite merges its runs' traces.
#pragma once

#include <string>
#include <vector>

namespace cmosim::sim {

// Merge the traces of several runs into one file: run i becomes process i + 1.
// Throws nlohmann::json::exception when a trace is not JSON.
std::string merge_traces(const std::vector<std::string> &traces);

} // namespace cmosim::sim
