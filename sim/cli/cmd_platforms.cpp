// SPDX-License-Identifier: Apache-2.0
// cmosim platforms [NAME]: the ready platforms a scenario can name.
#include <iomanip>
#include <iostream>

#include "cli/cli.h"
#include "config/ready_platforms.h"

namespace cmosim::sim::cli {

int cmd_platforms(const Args &args) {
    if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) {
        std::cout << "usage: cmosim platforms [NAME]\n\n"
                     "The ready platforms built into cmosim (configs/platforms/NAME.yaml). A "
                     "scenario names one\nwith `platform: NAME` or `platform: {from: NAME, "
                     "<overrides>}`. With NAME, print its YAML.\n";
        return kPass;
    }
    if (args.size() > 1 || (args.size() == 1 && !args[0].empty() && args[0][0] == '-')) {
        std::cerr << "cmosim platforms: expected at most one platform name, found '" << args.back()
                  << "' (see cmosim platforms --help)\n";
        return kBadInput;
    }
    if (args.size() == 1) {
        const ReadyPlatform *p = find_ready_platform(args[0].c_str());
        if (!p) {
            std::cerr << "cmosim platforms: no ready platform '" << args[0] << "'; there are:";
            for (const ReadyPlatform &r : ready_platforms())
                std::cerr << " " << r.name;
            std::cerr << "\n";
            return kBadInput;
        }
        std::cout << p->text;
        return kPass;
    }
    for (const ReadyPlatform &p : ready_platforms())
        std::cout << std::left << std::setw(17) << p.name << p.about << "\n";
    return kPass;
}

} // namespace cmosim::sim::cli
