// SPDX-License-Identifier: Apache-2.0
// The cmosim command line. Exit codes: 0 all expectations pass, 1 an
// expectation failed, 2 bad input (files, YAML, options), 3 internal error or
// a limit reached (the report is still written, marked incomplete).
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

#include "cmosim/sim/expect.h"
#include "cmosim/sim/scenario.h"
#include "cmosim/sim/simulation.h"

#ifndef CMOSIM_VERSION
#define CMOSIM_VERSION "0.0.0"
#endif

namespace {

using namespace cmosim::sim;

enum Exit { kPass = 0, kExpectFailed = 1, kBadInput = 2, kInternal = 3 };

const char *kUsage =
    "usage: cmosim <command> [options]\n"
    "\n"
    "Simulate cache maintenance of CXL device memory: caches, an SMCCC firmware\n"
    "agent and the Linux cache-maintenance provider, with a stale-line checker.\n"
    "\n"
    "commands:\n"
    "  run [FILE] [--report F]   run a scenario (the built-in default without FILE)\n"
    "  check FILE...             validate scenarios without running them\n"
    "  version                   print the version\n"
    "  help [COMMAND]            this text, or a command's\n"
    "\n"
    "exit codes: 0 all expectations pass, 1 an expectation failed, 2 bad input,\n"
    "            3 internal error or limit reached\n";

const char *kRunUsage =
    "usage: cmosim run [FILE] [--report FILE.json] [--quiet]\n"
    "\n"
    "Run the scenario in FILE (YAML; see docs/scenario-reference.md), or the built-in\n"
    "default scenario when FILE is omitted. Prints a summary; with --report writes\n"
    "the JSON report (atomically: never a partial file under that name).\n"
    "\n"
    "  --report F   write the JSON report to F\n"
    "  --quiet      print only expectation failures and errors\n"
    "  -h, --help   this text\n";

// Write via a temporary file in the same directory, then rename over the target.
bool write_atomically(const std::string &path, const std::string &text, std::string *err) {
    std::string tmp = path + ".tmp." + std::to_string(getpid());
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) {
            *err = "cannot write " + path + ": " + std::strerror(errno);
            return false;
        }
        f << text;
        f.flush();
        if (!f) {
            *err = "cannot write " + path + ": " + std::strerror(errno);
            std::remove(tmp.c_str());
            return false;
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        *err = "cannot write " + path + ": " + std::strerror(errno);
        std::remove(tmp.c_str());
        return false;
    }
    return true;
}

int cmd_run(const std::vector<std::string> &args) {
    std::string file, report;
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
        s = file.empty() ? load_scenario_text("<built-in default>", default_scenario_text())
                         : load_scenario_file(file);
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

int cmd_check(const std::vector<std::string> &args) {
    if (args.empty()) {
        std::cerr << "cmosim check: expected at least one scenario file\n";
        return kBadInput;
    }
    int rc = kPass;
    for (const std::string &f : args) {
        try {
            load_scenario_file(f);
            std::cout << f << ": ok\n";
        } catch (const ConfigError &e) {
            std::cerr << e.what() << "\n";
            rc = kBadInput;
        }
    }
    return rc;
}

} // namespace

extern "C" int sc_main(int argc, char **argv); // as SystemC declares it
extern "C" int sc_elab_and_sim(int argc, char *argv[]);

// Our own main() takes precedence over libsystemc's, so the copyright banner
// can be switched off before SystemC prints it; sc_main() runs as usual.
int main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char **argv) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return kBadInput;
    }
    std::string cmd = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
        if (cmd == "-h" || cmd == "--help" || cmd == "help") {
            if (!rest.empty() && rest[0] == "run")
                std::cout << kRunUsage;
            else
                std::cout << kUsage;
            return kPass;
        }
        if (cmd == "version" || cmd == "--version") {
            std::cout << "cmosim " << CMOSIM_VERSION << "\n";
            return kPass;
        }
        if (cmd == "run")
            return cmd_run(rest);
        if (cmd == "check")
            return cmd_check(rest);
    } catch (const std::exception &e) {
        std::cerr << "cmosim: internal error: " << e.what() << "\n";
        return kInternal;
    }
    std::cerr << "cmosim: unknown command '" << cmd << "'\n\n" << kUsage;
    return kBadInput;
}
