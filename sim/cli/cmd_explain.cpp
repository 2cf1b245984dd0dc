// SPDX-License-Identifier: Apache-2.0
// cmosim explain [PARAM|SECTION] [--markdown]: every scenario parameter with
// its type, unit, default and range, from the loader's own schema.
#include <iostream>

#include "cli/cli.h"
#include "config/schema.h"

namespace cmosim::sim::cli {

int cmd_explain(const Args &args) {
    std::string what;
    bool markdown = false;
    for (const std::string &a : args) {
        if (a == "-h" || a == "--help") {
            std::cout << "usage: cmosim explain [PARAM|SECTION] [--markdown]\n\n"
                         "Print every scenario parameter (or one: platform.slc.size,\n"
                         "step.stream.pattern, firmware.method; or a section: firmware.faults[])\n"
                         "with its type, unit, default and accepted values. --markdown prints\n"
                         "docs/scenario-reference.md.\n";
            return kPass;
        }
        if (a == "--markdown") {
            markdown = true;
        } else if (!a.empty() && a[0] == '-') {
            std::cerr << "cmosim explain: unknown option '" << a << "'\n";
            return kBadInput;
        } else {
            what = a;
        }
    }
    if (markdown) {
        std::cout << schema_markdown();
        return kPass;
    }
    // "platform.l1d.size" and "platform.slc.size" name rows of shared sections.
    std::string text = schema_explain(what);
    if (text.empty() && what.rfind("platform.l1d.", 0) == 0)
        text = schema_explain("platform.private_cache." + what.substr(13));
    if (text.empty() && what.rfind("platform.l2.", 0) == 0)
        text = schema_explain("platform.private_cache." + what.substr(12));
    if (text.empty()) {
        std::cerr << "cmosim explain: no parameter or section '" << what
                  << "' (cmosim explain lists them all)\n";
        return kBadInput;
    }
    std::cout << text;
    return kPass;
}

} // namespace cmosim::sim::cli
