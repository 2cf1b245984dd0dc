// SPDX-License-Identifier: Apache-2.0
// cmosim run, shared between one scenario in this process (cmd_run.cpp) and
// a suite, one child process per scenario (run_suite.cpp).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "report/expect.h"
#include "report/junit.h"

namespace cmosim::sim::cli {

struct RunOptions {
    std::vector<std::string> inputs; // files and directories as given
    unsigned jobs = 1;               // -j: scenarios at once in a suite
    std::string report, junit, trace, csv;
    std::vector<std::string> sets; // --set PATH=VALUE overrides, for every scenario
    bool quiet = false;
    std::string max_sim_time, max_wall_time, max_events; // run limits, as given
    std::string max_memory;                              // --max-memory, as given
    // Kernel C files to run instead of ours (revisions.h); several provider
    // files are revisions run side by side.
    std::vector<std::string> provider_srcs;
    std::string framework_src;
};

// What became of one scenario; `rc` is its exit code (cli.h).
struct ScenarioResult {
    enum class Status { Pass, Fail, BadInput, Limit, Internal, NotRun };
    std::string file;
    std::string revision; // the provider revision's label, when several are compared
    Status status = Status::Internal;
    int rc = kInternal;
    double seconds = 0; // wall-clock, load to last output
    size_t expectations = 0, passed = 0;
    std::vector<std::string> failed; // the failed expectations' messages
    std::string error;               // the error output, for the other statuses
};

// Files and directories -> the scenario files, in order: a directory gives
// its *.yaml and *.yml files (not those in subdirectories, not hidden ones),
// sorted by name. `suite` tells whether the run is a suite: more than one
// input, or a directory. Returns false with `err` set for an empty directory.
bool expand_inputs(const std::vector<std::string> &inputs, std::vector<std::string> *files,
                   bool *suite, std::string *err);

// Expectation counts and failure messages: from the verdicts of a run in this
// process, or from the `verdicts` of a child's report, parsed by the caller.
void count_verdicts(const std::vector<Verdict> &verdicts, ScenarioResult *r);
void read_verdicts(const nlohmann::json &report, ScenarioResult *r);

JunitCase junit_case(const ScenarioResult &r);
// The suite's header figures: the start time (now), this host, the version.
JunitSuite junit_suite_started();

// One scenario ("" for the built-in default) in this process: summary,
// report, trace, CSV, JUnit, as the options ask.
int run_scenario(const std::string &file, const RunOptions &o);
// Several scenarios, each in a child process running run_scenario().
int run_suite(const std::vector<std::string> &files, const RunOptions &o);

} // namespace cmosim::sim::cli
