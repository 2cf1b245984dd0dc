// SPDX-License-Identifier: Apache-2.0
// The top of a scenario: its sections in order.
#include "config/loader.h"

#include <cmath>

#include "config/schema.h"

namespace cmosim::sim {

const char *strategy_name(Strategy s) {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (unsigned i = 0; i <= static_cast<unsigned>(Strategy::SetWay); ++i)
            v.push_back(choice_name("step.invalidate", "strategy", i));
        return v;
    }();
    return names.at(static_cast<size_t>(s)).c_str();
}

Scenario Loader::load(const ynode *root) {
    r.map(root, "scenario");
    r.check_keys(root, "scenario", keys_of("scenario"));
    if (auto n = ynode_get(root, "name"))
        s.name = r.scalar(n, "name");
    if (auto n = ynode_get(root, "description"))
        s.description = r.scalar(n, "description");
    platform(r.required(root, "platform", "scenario"));
    // Absent sections are filled with their rows' defaults.
    firmware(ynode_get(root, "firmware"));
    kernel(ynode_get(root, "kernel"));
    limits(ynode_get(root, "limits"));
    cpus(r.required(root, "cpus", "scenario"));
    if (auto n = ynode_get(root, "expect"))
        expectations(n);
    return std::move(s);
}

uint64_t Loader::ps(const ynode *n, const std::string &what, double hi_ns) {
    return ns_to_ps(r.time_ns(n, what, 0, hi_ns));
}

} // namespace cmosim::sim
