// SPDX-License-Identifier: Apache-2.0
// cmosim check: validate scenarios without running them.
#include <iostream>

#include "cli/cli.h"
#include "config/scenario.h"

namespace cmosim::sim::cli {

int cmd_check(const Args &args) {
    for (const std::string &a : args) {
        if (a == "-h" || a == "--help") {
            std::cout << "usage: cmosim check FILE...\n\n"
                         "Load and validate each scenario as cmosim run would, without running "
                         "it.\n\nexit codes: 0 every file is valid, 2 bad input\n";
            return kPass;
        }
        if (a.size() > 1 && a[0] == '-') {
            std::cerr << "cmosim check: unknown option '" << a << "' (see cmosim check --help)\n";
            return kBadInput;
        }
    }
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

} // namespace cmosim::sim::cli
