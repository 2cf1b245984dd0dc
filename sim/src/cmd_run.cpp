// SPDX-License-Identifier: Apache-2.0
// cmosim run: one scenario, a summary, a report, the expectations' verdict.
#include <cerrno>
#include <cstdlib>
#include <iostream>

#include "cli.h"
#include "cmosim/sim/expect.h"
#include "cmosim/sim/scenario.h"
#include "cmosim/sim/simulation.h"
#include "run_control.h"

namespace cmosim::sim::cli {

namespace {
const char *kRunUsage =
    "usage: cmosim run [FILE] [--report FILE.json] [--set PATH=VALUE]... [--quiet]\n"
    "\n"
    "Run the scenario in FILE (YAML; see docs/scenario-reference.md), or the built-in\n"
    "default scenario when FILE is omitted. Prints a summary; with --report writes\n"
    "the JSON report (atomically: never a partial file under that name).\n"
    "\n"
    "  --report F          write the JSON report to F\n"
    "  --set P=V           override the value at YAML path P (repeatable), e.g.\n"
    "                      --set platform.slc.size=64MiB --set cpus.0[2].invalidate.size=1GiB\n"
    "  --quiet             print only expectation failures and errors\n"
    "  --max-sim-time T    stop at simulated time T (e.g. 10ms; limits.sim_time)\n"
    "  --max-wall-time T   stop after T of host time (e.g. 30s; limits.wall_time)\n"
    "  --max-events N      stop after N events, 0 for none (limits.events;\n"
    "                      default 1000000000; see docs/reliability.md)\n"
    "  -h, --help          this text\n"
    "\n"
    "A run stopped by a limit, a deadlock or SIGINT/SIGTERM still writes its report,\n"
    "marked \"complete\": false, and exits with 3.\n";

// The run-limit options: each overrides the scenario's limits: section.
struct LimitOptions {
    std::string sim_time, wall_time, events;
};

bool apply_limits(const LimitOptions &o, Scenario &s) {
    try {
        if (!o.sim_time.empty()) {
            double ns = parse_time_ns(o.sim_time, "--max-sim-time");
            if (ns < 0.001)
                throw ConfigError(Mark{"cmosim", 0, 0},
                                  "--max-sim-time: expected a time of at least 1 ps, found '" +
                                      o.sim_time + "'");
            s.time_limit_ps = static_cast<uint64_t>(ns * 1e3);
        }
        if (!o.wall_time.empty())
            s.wall_limit_s = parse_time_ns(o.wall_time, "--max-wall-time") / 1e9;
        if (!o.events.empty()) {
            char *end = nullptr;
            errno = 0;
            unsigned long long n = std::strtoull(o.events.c_str(), &end, 10);
            if (o.events[0] == '-' || *end != '\0' || errno == ERANGE)
                throw ConfigError(Mark{"cmosim", 0, 0},
                                  "--max-events: expected a whole number (0 for no limit), "
                                  "found '" + o.events + "'");
            s.event_limit = n;
        }
    } catch (const ConfigError &e) {
        std::cerr << "cmosim run: " << e.message << "\n";
        return false;
    }
    return true;
}

// Restores the signal dispositions however cmd_run returns.
struct StopSignals {
    StopSignals() { install_stop_signals(); }
    ~StopSignals() { restore_stop_signals(); }
};

} // namespace

int cmd_run(const Args &args) {
    std::string file, report;
    std::vector<std::string> sets;
    bool quiet = false;
    LimitOptions limits;
    const std::pair<const char *, std::string *> limit_opts[] = {
        {"--max-sim-time", &limits.sim_time},
        {"--max-wall-time", &limits.wall_time},
        {"--max-events", &limits.events}};
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        bool limit_opt = false;
        for (auto &[name, dst] : limit_opts) {
            std::string n = name;
            if (a == n) {
                if (i + 1 >= args.size()) {
                    std::cerr << "cmosim run: " << n << " needs a value\n";
                    return kBadInput;
                }
                *dst = args[++i];
                limit_opt = true;
            } else if (a.rfind(n + "=", 0) == 0) {
                *dst = a.substr(n.size() + 1);
                limit_opt = true;
            }
        }
        if (limit_opt)
            continue;
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
    // From here on SIGINT/SIGTERM stop the run instead of the process.
    StopSignals signals;
    Scenario s;
    try {
        s = file.empty()
                ? load_scenario_text("<built-in default>", default_scenario_text(), sets)
                : load_scenario_file(file, sets);
    } catch (const ConfigError &e) {
        std::cerr << e.what() << "\n";
        return kBadInput;
    }
    if (!apply_limits(limits, s))
        return kBadInput;
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
    // Expectations are about a finished run; a stopped one has no verdict.
    std::vector<Verdict> verdicts;
    if (complete)
        verdicts = evaluate(s.expect, json);
    else if (!quiet && !s.expect.empty())
        std::cout << "\nexpectations: not evaluated (the run did not finish)\n";
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
        std::cerr << "cmosim run: stopped: " << sim.stop_description()
                  << "cmosim run: report marked incomplete\n";
        return kInternal;
    }
    return failed ? kExpectFailed : kPass;
}

} // namespace cmosim::sim::cli
