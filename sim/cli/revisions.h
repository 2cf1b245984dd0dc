// SPDX-License-Identifier: Apache-2.0
// Kernel sources given to cmosim run (--provider-src, --framework-src, or a
// scenario's kernel.provider_src / framework_src), and the comparison of
// provider revisions: `--provider-src A.c --provider-src B.c` runs every
// scenario with each revision and prints one table.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/scenario.h"
#include "cli/run.h"

namespace cmosim::sim::cli {

// The command line's sources over the scenario's (revision `rev` of
// --provider-src), built, loaded and selected for this process's kernel;
// `s.kernel` then names what runs. False with `err` set (bad input).
bool select_kernel(Scenario &s, const RunOptions &o, size_t rev, std::string *err);

// Build every revision given on the command line once, before a suite's
// children look them up in the cache. False with `err` set.
bool build_revisions(const RunOptions &o, std::string *err);

// Short distinct names for the revisions: the file names, or the paths as
// given when two files share a name.
std::vector<std::string> revision_labels(const std::vector<std::string> &srcs);

// One scenario run with one revision, as its report tells it.
struct RevisionRow {
    std::string scenario, revision;
    ScenarioResult::Status status = ScenarioResult::Status::Internal;
    bool have_report = false;
    std::vector<long long> returns;    // each kernel call's and invalidate step's return, in order
    unsigned long long smcs = 0;       // firmware calls
    unsigned long long sleeps = 0;     // kernel sleeps during those calls
    unsigned long long latency_ps = 0; // their summed latency
    unsigned long long findings = 0;   // checker findings (stale reads, lost writes, ...)
};
// The figures of a row (have_report and after) from the run's report, as the
// suite parsed it once (a run without a readable report has no figures).
void read_revision_figures(const nlohmann::json &report, RevisionRow *row);
// "<stem>.json", or "<stem>.<label>.json" with the label's characters other
// than letters, digits, '.', '-' and '_' made '_'.
std::string revision_report_name(const std::string &stem, const std::string &label);

// The table (text), and the same as JSON: rows grouped by scenario, a
// scenario marked when its revisions differ in any column.
std::string comparison_table(const std::vector<RevisionRow> &rows);
nlohmann::ordered_json comparison_json(const std::vector<std::string> &revisions,
                                       const std::vector<std::string> &labels,
                                       const std::vector<RevisionRow> &rows);

} // namespace cmosim::sim::cli
