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

// The report's numeric and boolean fields an expectation may compare, arrays
// written "[]": "invalidate[].return", "checker.stale_reads".
const std::vector<std::string> &report_fields();

// "" when `path` ("invalidate[0].return") names one of report_fields(); else
// what is wrong with it, and in `did_you_mean` the nearest field with the
// path's own indices, when one is near.
std::string check_expectation_path(const std::string &path, std::string *did_you_mean);

// Levenshtein distance, for did-you-mean suggestions.
unsigned edit_distance(const std::string &a, const std::string &b);

// The checker's finding counts (the report's `checker` section): stale_reads,
// lost_device_writes, residual_lines, lost_cpu_writes, offline_reads.
const std::vector<std::string> &finding_kinds();

// Whether an expectation compares a field of a finding kind: its path ends in
// the kind's field, whatever the comparison (`checker.stale_reads: 0`,
// `accesses[1].stale_reads: "> 0"`, `invalidate[0].residual_lines: 0`).
bool states_finding(const Expectation &e, const std::string &kind);

// One failed verdict per finding kind with a non-zero count in the report's
// `checker` section that the expectations do not state, at `where` (the
// scenario's `expect:`, or its file). A kind is stated by any comparison on
// `checker.KIND`, or by comparisons on KIND fields of records of one array
// (`accesses[1].stale_reads`, `invalidate[0].residual_lines`) whose values add
// up to the checker's count. Empty when `any` (`expect: {findings: any}`).
std::vector<Verdict> findings_verdicts(const std::vector<Expectation> &expect, bool any,
                                       const Mark &where, const std::string &report);

} // namespace cmosim::sim
