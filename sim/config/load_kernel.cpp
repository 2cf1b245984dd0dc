// SPDX-License-Identifier: Apache-2.0
// kernel: the shim's settings and which provider registers.
#include "config/loader.h"

#include "config/schema.h"

namespace cmosim::sim {

void Loader::kernel(const ynode *n) {
    r.map(n, "kernel");
    r.check_keys(n, "kernel", keys_of("kernel"));
    if (auto v = ynode_get(n, "mutex_hold_limit"))
        s.kernel.mutex_hold_limit_ps = ps(v, "kernel.mutex_hold_limit");
    if (auto v = ynode_get(n, "nmi_watchdog"))
        s.kernel.nmi_watchdog_ps = ps(v, "kernel.nmi_watchdog");
    if (auto v = ynode_get(n, "kzalloc_fail_nth"))
        s.kernel.kzalloc_fail_nth =
            static_cast<unsigned>(r.integer(v, "kernel.kzalloc_fail_nth", 0, 1000000));
    if (auto v = ynode_get(n, "provider"))
        s.kernel.provider = r.choice(v, "kernel.provider", {"smccc", "none"});
    if (auto v = ynode_get(n, "hz")) {
        s.kernel.hz = static_cast<unsigned>(r.integer(v, "kernel.hz", 100, 1000));
        if (s.kernel.hz != 100 && s.kernel.hz != 250 && s.kernel.hz != 300 && s.kernel.hz != 1000)
            r.fail(v,
                   "kernel.hz: expected one of 100, 250, 300, 1000, found " + std::string(v->text));
    }
    if (auto v = ynode_get(n, "conduit"))
        s.kernel.conduit_smc = r.choice(v, "kernel.conduit", {"smc", "none"}) == "smc";
}

} // namespace cmosim::sim
