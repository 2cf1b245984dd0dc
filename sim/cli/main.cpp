// SPDX-License-Identifier: Apache-2.0
// The cmosim command line. Exit codes: 0 all expectations pass, 1 an
// expectation failed, 2 bad input (files, YAML, options), 3 internal error or
// a limit reached (the report is still written, marked incomplete).
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"

#ifndef CMOSIM_VERSION
#define CMOSIM_VERSION "0.0.0"
#endif

namespace {

using namespace cmosim::sim::cli;

struct Command {
    const char *name;
    int (*run)(const Args &);
};

// One row per command; `cmosim help` lists them from kUsage.
const Command kCommands[] = {
    {"run", cmd_run},
    {"check", cmd_check},
    {"sweep", cmd_sweep},
    {"explain", cmd_explain},
    {"replay", cmd_replay},
    {"trace", cmd_trace},
    {"platforms", cmd_platforms},
};

const char *kUsage =
    "usage: cmosim <command> [options]\n"
    "\n"
    "Simulate cache maintenance of CXL device memory: caches, an SMCCC firmware\n"
    "agent and the Linux cache-maintenance provider, with a stale-line checker.\n"
    "\n"
    "commands:\n"
    "  run [FILE|DIR...]         run a scenario (the built-in default without FILE), or a\n"
    "                            suite of them; JSON, JUnit, trace and CSV outputs\n"
    "  check FILE...             validate scenarios without running them\n"
    "  sweep SWEEP.yaml [-j N]   run a design-space sweep, merge it, plot it\n"
    "  explain [PARAM]           every scenario parameter: type, unit, default\n"
    "  replay [--I1=..] TRACE    replay a Valgrind lackey trace, cachegrind's way\n"
    "  trace pack|unpack IN OUT  a lackey trace into the packed format and back\n"
    "  platforms [NAME]          the ready platforms a scenario can name (platform: NAME)\n"
    "  version                   print the version\n"
    "  help [COMMAND]            this text, or a command's\n"
    "\n"
    "exit codes: 0 all expectations pass, 1 an expectation failed, 2 bad input,\n"
    "            3 internal error or limit reached (a suite: the highest of its scenarios)\n";

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
            for (const Command &c : kCommands)
                if (!rest.empty() && rest[0] == c.name)
                    return c.run({"--help"});
            if (!rest.empty()) {
                std::cerr << "cmosim help: unknown command '" << rest[0] << "'\n\n" << kUsage;
                return kBadInput;
            }
            std::cout << kUsage;
            return kPass;
        }
        if (cmd == "version" || cmd == "--version") {
            std::cout << "cmosim " << CMOSIM_VERSION << "\n";
            return kPass;
        }
        for (const Command &c : kCommands)
            if (cmd == c.name)
                return c.run(rest);
    } catch (const std::exception &e) {
        std::cerr << "cmosim: internal error: " << e.what() << "\n";
        return kInternal;
    }
    std::cerr << "cmosim: unknown command '" << cmd << "'\n\n" << kUsage;
    return kBadInput;
}
