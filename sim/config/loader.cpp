// SPDX-License-Identifier: Apache-2.0
// The top of a scenario: its sections in order.
#include "config/loader.h"

#include <cmath>

#include "config/schema.h"

namespace cmosim::sim {

const char *strategy_name(Strategy s) {
    switch (s) {
    case Strategy::None:
        return "none";
    case Strategy::Smccc:
        return "smccc";
    case Strategy::VaCmo:
        return "va_cmo";
    case Strategy::SetWay:
        return "set_way";
    }
    return "?";
}

Scenario Loader::load(const ynode *root) {
    r.map(root, "scenario");
    r.check_keys(root, "scenario", keys_of("scenario"));
    if (auto n = ynode_get(root, "name"))
        s.name = r.scalar(n, "name");
    if (auto n = ynode_get(root, "description"))
        s.description = r.scalar(n, "description");
    fw_config_default(&s.firmware);
    platform(r.required(root, "platform", "scenario"));
    if (auto n = ynode_get(root, "firmware"))
        firmware(n);
    if (auto n = ynode_get(root, "kernel"))
        kernel(n);
    if (auto n = ynode_get(root, "limits"))
        limits(n);
    cpus(r.required(root, "cpus", "scenario"));
    if (auto n = ynode_get(root, "expect"))
        expectations(n);
    return std::move(s);
}

uint64_t Loader::ps(const ynode *n, const std::string &what, double hi_ns) {
    return static_cast<uint64_t>(std::llround(r.time_ns(n, what, 0, hi_ns) * 1e3));
}

} // namespace cmosim::sim
