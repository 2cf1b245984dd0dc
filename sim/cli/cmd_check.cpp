// SPDX-License-Identifier: Apache-2.0
// cmosim check: validate scenarios without running them.
#include <iostream>

#include "cli/cli.h"
#include "run/memory_estimate.h"
#include "config/scenario.h"

namespace cmosim::sim::cli {

int cmd_check(const Args &all) {
    Args args;
    std::vector<std::string> sets; // --max-memory: limits.max_memory
    for (size_t i = 0; i < all.size(); ++i) {
        const std::string &a = all[i];
        if (a == "-h" || a == "--help") {
            std::cout << "usage: cmosim check [--max-memory SIZE] FILE...\n\n"
                         "Load and validate each scenario as cmosim run would, without running "
                         "it,\nand estimate the host memory it needs (refused above SIZE, "
                         "limits.max_memory,\nor half of this host's memory; "
                         "docs/reliability.md).\n\nexit codes: 0 every file is valid, 2 bad "
                         "input\n";
            return kPass;
        }
        if (a == "--max-memory" || a.rfind("--max-memory=", 0) == 0) {
            std::string v;
            if (a == "--max-memory") {
                if (i + 1 >= all.size()) {
                    std::cerr << "cmosim check: --max-memory needs a value\n";
                    return kBadInput;
                }
                v = all[++i];
            } else {
                v = a.substr(13);
            }
            sets.push_back(named_set("--max-memory " + v, "limits.max_memory=" + v));
            continue;
        }
        if (a.size() > 1 && a[0] == '-') {
            std::cerr << "cmosim check: unknown option '" << a << "' (see cmosim check --help)\n";
            return kBadInput;
        }
        args.push_back(a);
    }
    if (args.empty()) {
        std::cerr << "cmosim check: expected at least one scenario file\n";
        return kBadInput;
    }
    int rc = kPass;
    for (const std::string &f : args) {
        try {
            check_memory(load_scenario_file(f, sets), 0);
            std::cout << f << ": ok\n";
        } catch (const ConfigError &e) {
            std::cerr << e.what() << "\n";
            rc = kBadInput;
        }
    }
    return rc;
}

} // namespace cmosim::sim::cli
