// SPDX-License-Identifier: Apache-2.0
// cmosim run: one scenario, a summary, a report, the expectations' verdict.
#include <iostream>

#include "cli.h"
#include "cmosim/sim/expect.h"
#include "cmosim/sim/scenario.h"
#include "cmosim/sim/simulation.h"

namespace cmosim::sim::cli {

namespace {
const char *kRunUsage =
    "usage: cmosim run [FILE] [--report FILE.json] [--set PATH=VALUE]... [--quiet]\n"
    "\n"
    "Run the scenario in FILE (YAML; see docs/scenario-reference.md), or the built-in\n"
    "default scenario when FILE is omitted. Prints a summary; with --report writes\n"
    "the JSON report (atomically: never a partial file under that name).\n"
    "\n"
    "  --report F   write the JSON report to F\n"
    "  --set P=V    override the value at YAML path P (repeatable), e.g.\n"
    "               --set platform.slc.size=64MiB --set cpus.0[2].invalidate.size=1GiB\n"
    "  --quiet      print only expectation failures and errors\n"
    "  -h, --help   this text\n";

} // namespace

int cmd_run(const Args &args) {
    std::string file, report;
    std::vector<std::string> sets;
    bool quiet = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "-h" || a == "--help") {
            std::cout << kRunUsage;
            return kPass;
        } else if (a == "--report") {
            if (i + 1 >= args.size()) {
                std::cerr << "cmosim run: --report needs a file name\n";
                return kBadInput;
            }
            report = args[++i];
        } else if (a.rfind("--report=", 0) == 0) {
            report = a.substr(9);
        } else if (a == "--set") {
            if (i + 1 >= args.size()) {
                std::cerr << "cmosim run: --set needs PATH=VALUE\n";
                return kBadInput;
            }
            sets.push_back(args[++i]);
        } else if (a.rfind("--set=", 0) == 0) {
            sets.push_back(a.substr(6));
        } else if (a == "--quiet" || a == "-q") {
            quiet = true;
        } else if (!a.empty() && a[0] == '-') {
            std::cerr << "cmosim run: unknown option '" << a << "' (see cmosim run --help)\n";
            return kBadInput;
        } else if (file.empty()) {
            file = a;
        } else {
            std::cerr << "cmosim run: expected one scenario file, found a second: '" << a
                      << "'\n";
            return kBadInput;
        }
    }
    Scenario s;
    try {
        s = file.empty()
                ? load_scenario_text("<built-in default>", default_scenario_text(), sets)
                : load_scenario_file(file, sets);
    } catch (const ConfigError &e) {
        std::cerr << e.what() << "\n";
        return kBadInput;
    }
    bool complete = true;
    std::string json;
    Simulation sim(s);
    json = sim.run_to_json(&complete);
    if (!report.empty()) {
        std::string err;
        if (!write_atomically(report, json, &err)) {
            std::cerr << "cmosim run: " << err << "\n";
            return kBadInput;
        }
    }
    if (!quiet)
        std::cout << sim.summary();
    std::vector<Verdict> verdicts = evaluate(s.expect, json);
    int failed = 0;
    for (const Verdict &v : verdicts)
        if (!v.pass)
            ++failed;
    if (!quiet && !verdicts.empty()) {
        std::cout << "\nexpectations: " << verdicts.size() - failed << " of " << verdicts.size()
                  << " passed\n";
    }
    for (const Verdict &v : verdicts)
        if (!v.pass)
            std::cerr << v.message << "\n";
    if (!report.empty() && !quiet)
        std::cout << "report: " << report << "\n";
    if (!complete) {
        std::cerr << "cmosim run: the simulated-time limit was reached; report marked incomplete\n";
        return kInternal;
    }
    return failed ? kExpectFailed : kPass;
}

} // namespace cmosim::sim::cli
