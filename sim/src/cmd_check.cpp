// SPDX-License-Identifier: Apache-2.0
// cmosim check: validate scenarios without running them.
#include <iostream>

#include "cli.h"
#include "cmosim/sim/scenario.h"

namespace cmosim::sim::cli {

int cmd_check(const Args &args) {
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
