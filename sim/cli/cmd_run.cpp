// SPDX-License-Identifier: Apache-2.0
// cmosim run: one scenario (summary, report, the expectations' verdict), or a
// suite of them (run_suite.cpp).
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "report/csv.h"
#include "run/memory_estimate.h"
#include "config/scenario.h"
#include "run/simulation.h"
#include "cli/revisions.h"
#include "cli/run.h"
#include "run/run_control.h"

namespace cmosim::sim::cli {

namespace {
const char *kRunUsage =
    "usage: cmosim run [FILE|DIR...] [-j N] [--report F] [--junit F] [--trace F] [--csv F]\n"
    "                  [--set PATH=VALUE]... [--quiet] [--max-sim-time T]\n"
    "                  [--max-wall-time T] [--max-events N] [--max-memory SIZE]\n"
    "                  [--provider-src F.c]... [--framework-src F.c]\n"
    "\n"
    "Run the scenario in FILE (YAML; see docs/scenario-reference.md), or the built-in\n"
    "default scenario when no FILE is given: prints a summary and the expectations'\n"
    "verdict. Several files, or a directory (its *.yaml and *.yml files, sorted by\n"
    "name; subdirectories are not searched, so a suite keeps shared includes there)\n"
    "make a suite: each scenario runs in a process of its own and prints one line,\n"
    "PASS, FAIL, ERROR or LIMIT, with its wall-clock time.\n"
    "\n"
    "  -j N         run up to N scenarios of a suite at once (default 1; 0: one per\n"
    "               online CPU)\n"
    "  --report F   the JSON report (docs/report-format.md); for a suite F is a\n"
    "               directory (created if missing) that gets one F/<file name>.json\n"
    "               per scenario\n"
    "  --junit F    JUnit XML, one test case per scenario\n"
    "  --trace F    Chrome/Perfetto trace-event JSON (ui.perfetto.dev, chrome://tracing);\n"
    "               a suite writes one file, one process per scenario\n"
    "  --csv F      one CSV row per invalidate call; a suite writes one file\n"
    "  --set P=V    override the value at YAML path P (repeatable; in a suite, in every\n"
    "               scenario), e.g. --set platform.slc.size=64MiB\n"
    "               --set cpus.0[2].invalidate.size=1GiB\n"
    "  --quiet      print only expectation failures and errors\n"
    "  --max-sim-time T   = --set limits.sim_time=T: stop at simulated time T (10ms)\n"
    "  --max-wall-time T  = --set limits.wall_time=T: stop after T of host time (30s)\n"
    "  --max-events N     = --set limits.events=N: stop after N events, 0 for none\n"
    "  --max-memory SIZE  = --set limits.max_memory=SIZE: refuse a scenario estimated\n"
    "                     to need more host memory (16GiB)\n"
    "               (bounds and defaults: cmosim explain limits; docs/reliability.md)\n"
    "  --provider-src F.c   run your SMCCC provider instead of ours: compiled\n"
    "               unchanged against the shim headers built into cmosim, cached\n"
    "               ($CMOSIM_CACHE_DIR, $XDG_CACHE_HOME/cmosim or ~/.cache/cmosim);\n"
    "               overrides kernel.provider_src. Given more than once: each\n"
    "               scenario runs with each revision, and one table compares them\n"
    "  --framework-src F.c  the same for the generic framework (lib/cache_maint.c)\n"
    "  -h, --help   this text\n"
    "\n"
    "Every file is written atomically: never a partial file under its name. A run\n"
    "stopped by a limit, a deadlock or SIGINT/SIGTERM still writes its outputs, marked\n"
    "\"complete\": false, and exits with 3.\n"
    "\n"
    "exit codes: 0 every expectation passed, 1 an expectation failed, 2 bad input,\n"
    "            3 internal error or limit reached; a suite exits with the highest\n"
    "            code of its scenarios (3 over 2 over 1 over 0)\n";

// "--report F" or "--report=F".
bool option_value(const Args &args, size_t *i, const std::string &name, std::string *out,
                  bool *bad) {
    const std::string &a = args[*i];
    if (a == name) {
        if (*i + 1 >= args.size()) {
            std::cerr << "cmosim run: " << name << " needs a value\n";
            *bad = true;
            return true;
        }
        *out = args[++*i];
        return true;
    }
    if (a.rfind(name + "=", 0) == 0) {
        *out = a.substr(name.size() + 1);
        if (out->empty()) { // "--report=" must not read as "no report"
            std::cerr << "cmosim run: " << name << ": expected a value, found an empty one in '"
                      << a << "'\n";
            *bad = true;
        }
        return true;
    }
    return false;
}

bool parse_jobs(const std::string &text, unsigned *jobs) {
    if (text.empty() || text.size() > 4 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    *jobs = static_cast<unsigned>(std::stoul(text));
    return true;
}

// --set overrides, then the --max-* options as the limits.* overrides they
// stand for (checked by the same schema rows; messages name the option).
std::vector<std::string> scenario_sets(const RunOptions &o) {
    std::vector<std::string> sets = o.sets;
    for (const auto &[option, key, value] :
         {std::tuple<const char *, const char *, const std::string &>{"--max-sim-time", "sim_time",
                                                                      o.max_sim_time},
          {"--max-wall-time", "wall_time", o.max_wall_time},
          {"--max-events", "events", o.max_events},
          {"--max-memory", "max_memory", o.max_memory}})
        if (!value.empty())
            sets.push_back(named_set(std::string(option) + " " + value,
                                     std::string("limits.") + key + "=" + value));
    return sets;
}

} // namespace

int run_scenario(const std::string &file, const RunOptions &o) {
    const auto t0 = std::chrono::steady_clock::now();
    JunitSuite js = junit_suite_started();
    ScenarioResult res;
    res.file = file.empty() ? "<built-in default>" : file;
    // 0, or the exit code of a failed write.
    auto write_junit = [&]() {
        if (o.junit.empty())
            return 0;
        res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        js.seconds = res.seconds;
        js.cases.push_back(junit_case(res));
        std::string err;
        int rc = write_output(o.junit, junit_xml(js), &err);
        if (rc != 0)
            std::cerr << "cmosim run: " << err << "\n";
        return rc;
    };

    // Bad input: the scenario is not run; its JUnit case says why.
    auto bad_input = [&](const std::string &why) {
        res.status = ScenarioResult::Status::BadInput;
        res.rc = kBadInput;
        res.error = why;
        write_junit();
        return kBadInput;
    };
    Scenario s;
    try {
        const std::vector<std::string> sets = scenario_sets(o);
        s = file.empty() ? load_scenario_text("<built-in default>", default_scenario_text(), sets)
                         : load_scenario_file(file, sets);
        // The host memory the platform and its steps are estimated to need
        // (memory_estimate.h), before anything is allocated.
        check_memory(s, 0);
    } catch (const ConfigError &e) {
        std::cerr << e.what() << "\n";
        return bad_input(e.what());
    }
    // The kernel to run: ours, or the user's sources built now.
    if (std::string err; !select_kernel(s, o, 0, &err)) {
        std::cerr << "cmosim run: " << err << "\n";
        return bad_input(err);
    }
    {
        std::string err;
        if (!outputs_are_distinct({{"--report", o.report},
                                   {"--junit", o.junit},
                                   {"--trace", o.trace},
                                   {"--csv", o.csv}},
                                  s.inputs, &err)) {
            std::cerr << "cmosim run: " << err << "\n";
            res.status = ScenarioResult::Status::BadInput;
            res.rc = kBadInput;
            res.error = err;
            return kBadInput; // no JUnit either: its path may be the culprit
        }
    }
    // From here on SIGINT/SIGTERM stop the run instead of the process.
    ScopedStopSignals signals;
    bool complete = true;
    Simulation sim(s);
    if (!o.trace.empty())
        sim.record_timeline();
    const std::string json = sim.run_to_json(&complete);

    std::string err;
    int write_rc = o.report.empty() ? 0 : write_output(o.report, json, &err);
    if (write_rc == 0 && !o.trace.empty())
        write_rc = write_output(o.trace, sim.trace_json(), &err);
    if (write_rc == 0 && !o.csv.empty())
        write_rc = write_output(o.csv,
                                invalidate_csv_header() + invalidate_csv_rows(s.name, s.file,
                                                                              sim.invalidates(),
                                                                              sim.kernel_calls()),
                                &err);
    if (write_rc != 0) {
        std::cerr << "cmosim run: " << err << "\n";
        return write_rc;
    }
    if (!o.quiet)
        std::cout << sim.summary();
    // Expectations are about a finished run; a stopped one has no verdict.
    if (complete) {
        read_verdicts(json, &res);
        if (!o.quiet && res.expectations)
            std::cout << "\nexpectations: " << res.passed << " of " << res.expectations
                      << " passed\n";
        for (const std::string &m : res.failed)
            std::cerr << m << "\n";
    } else if (!o.quiet && !s.expect.empty()) {
        std::cout << "\nexpectations: not evaluated (the run did not finish)\n";
    }
    if (!o.quiet)
        for (const auto &[what, path] :
             {std::pair<const char *, const std::string &>{"report", o.report},
              {"trace", o.trace},
              {"csv", o.csv},
              {"junit", o.junit}})
            if (!path.empty())
                std::cout << what << ": " << path << "\n";
    if (!sim.input_error().empty()) {
        // A replayed trace turned out malformed: bad input, not a limit.
        std::cerr << sim.input_error() << "\n";
        res.status = ScenarioResult::Status::BadInput;
        res.rc = kBadInput;
        res.error = sim.input_error();
    } else if (!complete) {
        std::string msg = "stopped: " + sim.stop_description() + "report marked incomplete";
        std::cerr << "cmosim run: " << msg << "\n";
        res.status = ScenarioResult::Status::Limit;
        res.rc = kInternal;
        res.error = msg;
    } else {
        res.status =
            res.failed.empty() ? ScenarioResult::Status::Pass : ScenarioResult::Status::Fail;
        res.rc = res.failed.empty() ? kPass : kExpectFailed;
    }
    if (int rc = write_junit(); rc != 0)
        return rc;
    return res.rc;
}

int cmd_run(const Args &args) {
    RunOptions o;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        bool bad = false;
        std::string jobs, set;
        if (a == "-h" || a == "--help") {
            std::cout << kRunUsage;
            return kPass;
        } else if (option_value(args, &i, "--report", &o.report, &bad) ||
                   option_value(args, &i, "--junit", &o.junit, &bad) ||
                   option_value(args, &i, "--trace", &o.trace, &bad) ||
                   option_value(args, &i, "--csv", &o.csv, &bad)) {
            if (bad)
                return kBadInput;
        } else if (option_value(args, &i, "-j", &jobs, &bad) ||
                   option_value(args, &i, "--jobs", &jobs, &bad) ||
                   (a.size() > 2 && a.rfind("-j", 0) == 0 && (jobs = a.substr(2), true))) {
            if (bad)
                return kBadInput;
            if (!parse_jobs(jobs, &o.jobs)) {
                std::cerr << "cmosim run: -j: expected a number of scenarios at once (0: one "
                             "per online CPU), found '"
                          << jobs << "'\n";
                return kBadInput;
            }
        } else if (option_value(args, &i, "--max-sim-time", &o.max_sim_time, &bad) ||
                   option_value(args, &i, "--max-wall-time", &o.max_wall_time, &bad) ||
                   option_value(args, &i, "--max-events", &o.max_events, &bad) ||
                   option_value(args, &i, "--max-memory", &o.max_memory, &bad)) {
            if (bad)
                return kBadInput;
        } else if (option_value(args, &i, "--provider-src", &set, &bad)) {
            if (bad)
                return kBadInput;
            o.provider_srcs.push_back(set);
        } else if (option_value(args, &i, "--framework-src", &set, &bad)) {
            if (bad)
                return kBadInput;
            if (!o.framework_src.empty()) {
                std::cerr << "cmosim run: --framework-src: expected it once, found it twice ('"
                          << o.framework_src << "', '" << set << "')\n";
                return kBadInput;
            }
            o.framework_src = set;
        } else if (option_value(args, &i, "--set", &set, &bad)) {
            if (bad)
                return kBadInput;
            o.sets.push_back(set);
        } else if (a == "--quiet" || a == "-q") {
            o.quiet = true;
        } else if (!a.empty() && a[0] == '-') {
            std::cerr << "cmosim run: unknown option '" << a << "' (see cmosim run --help)\n";
            return kBadInput;
        } else {
            o.inputs.push_back(a);
        }
    }
    std::vector<std::string> files;
    bool suite = false;
    std::string err;
    if (!expand_inputs(o.inputs, &files, &suite, &err)) {
        std::cerr << err << "\n";
        return kBadInput;
    }
    for (const std::string &src : o.provider_srcs)
        if (!o.framework_src.empty() && src == o.framework_src) {
            std::cerr << "cmosim run: " << src
                      << ": given as both --provider-src and --framework-src\n";
            return kBadInput;
        }
    if (!suite && o.provider_srcs.size() <= 1)
        return run_scenario(files.empty() ? std::string() : files[0], o);
    // A suite's own outputs (each scenario's report is checked by its run)
    // must name no scenario and nothing a scenario reads (an include, a
    // platform file, a trace); a scenario that does not load is refused by
    // its own run, and counts with its own name only.
    std::vector<std::string> inputs;
    for (const std::string &f : files) {
        inputs.push_back(f);
        try {
            const Scenario s = load_scenario_file(f, scenario_sets(o));
            inputs.insert(inputs.end(), s.inputs.begin(), s.inputs.end());
        } catch (const ConfigError &) {
        }
    }
    if (!outputs_are_distinct({{"--junit", o.junit}, {"--trace", o.trace}, {"--csv", o.csv}},
                              inputs, &err)) {
        std::cerr << "cmosim run: " << err << "\n";
        return kBadInput;
    }
    return run_suite(files, o);
}

} // namespace cmosim::sim::cli
