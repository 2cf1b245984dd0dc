// SPDX-License-Identifier: Apache-2.0
// Expectations on report fields: "invalidate[1].return: 0", "checker.stale_reads: '> 0'".
#pragma once

#include <string>
#include <vector>

#include "cmosim/sim/scenario.h"

namespace cmosim::sim {

struct Verdict {
    Expectation expect;
    bool pass = false;
    bool found = false;
    double actual = 0;
    std::string message; // for a failure: field, expected, actual
};

// Evaluate against a JSON report text.
std::vector<Verdict> evaluate(const std::vector<Expectation> &expect, const std::string &report);

} // namespace cmosim::sim
