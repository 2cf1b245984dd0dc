// SPDX-License-Identifier: Apache-2.0
// kernel: the shim's settings and which provider registers.
#include "config/loader.h"

#include <unistd.h>

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
    // provider_src / framework_src: a readable C file, relative to the scenario.
    auto source = [&](const char *key, std::string *out) {
        const ynode *v = ynode_get(n, key);
        if (!v)
            return;
        const std::string w = std::string("kernel.") + key;
        if (r.scalar(v, w).empty())
            r.fail(v, w + ": expected a C file name, found an empty value");
        *out = relative_to(v, r.scalar(v, w));
        char why[256];
        int fd = ynode_open_input(out->c_str(), why, sizeof why);
        if (fd < 0)
            r.fail(v, w + ": '" + *out + "': " + why);
        ::close(fd);
        s.inputs.push_back(*out);
    };
    source("provider_src", &s.kernel.provider_src);
    source("framework_src", &s.kernel.framework_src);
}

} // namespace cmosim::sim
