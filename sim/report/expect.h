// SPDX-License-Identifier: Apache-2.0
// Expectations on report fields: "invalidate[1].return: 0", "checker.stale_reads: '> 0'".
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/expectations.h"
#include "config/scenario.h"

namespace cmosim::sim {

struct Verdict {
    Expectation expect;
    bool pass = false;
    bool found = false;
    double actual = 0;
    std::string message; // for a failure: field, expected, actual
};

// Evaluate against a report's JSON object (report.h: make_report builds it
// from the run's result and evaluates on it, before any text is written).
std::vector<Verdict> evaluate(const std::vector<Expectation> &expect,
                              const nlohmann::ordered_json &report);

// One failed verdict per finding kind with a non-zero count in the report's
// `checker` section that the expectations do not state, at `where` (the
// scenario's `expect:`, or its file). A kind is stated by any comparison on
// `checker.KIND`, or by comparisons on KIND fields of records of one array
// (`accesses[1].stale_reads`, `invalidate[0].residual_lines`) whose values add
// up to the checker's count. Empty when `any` (`expect: {findings: any}`).
std::vector<Verdict> findings_verdicts(const std::vector<Expectation> &expect, bool any,
                                       const Mark &where, const nlohmann::ordered_json &report);

} // namespace cmosim::sim
