// SPDX-License-Identifier: Apache-2.0
// What an expectation may name (`expect:` paths, docs/report-format.md): the
// report's numeric and boolean fields and the checker's finding kinds. The
// loader checks paths with these; report/expect.h evaluates them on a run.
#pragma once

#include <string>
#include <vector>

#include "config/scenario.h"

namespace cmosim::sim {

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

} // namespace cmosim::sim
