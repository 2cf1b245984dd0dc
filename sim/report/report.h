// SPDX-License-Identifier: Apache-2.0
// The JSON report (docs/report-format.md) and the one-screen summary of one
// run, made from its RunResult alone.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/expect.h"
#include "run/run_result.h"

namespace cmosim::sim {

// A run's report: the JSON object and the verdicts of its expectations (also
// its `verdicts` section), evaluated on that object.
struct Report {
    nlohmann::ordered_json json;
    std::vector<Verdict> verdicts;
    // The report as written: indented by two, with its newline.
    std::string text() const;
};

Report make_report(const RunResult &run);
// make_report(run).text().
std::string report_json(const RunResult &run);
// The one-screen summary.
std::string summary_text(const RunResult &run);
// cachegrind's nine events as a JSON object ("Ir", "I1mr", ...).
nlohmann::ordered_json cg_counts_json(const CgCounts &c);

} // namespace cmosim::sim
