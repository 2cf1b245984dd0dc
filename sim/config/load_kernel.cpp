// SPDX-License-Identifier: Apache-2.0
// kernel: the shim's settings and which provider registers.
#include "config/loader.h"

#include <unistd.h>

#include "config/schema.h"

namespace cmosim::sim {

void Loader::kernel(const ynode *n) {
    if (n) {
        r.map(n, "kernel");
        r.check_keys(n, "kernel", keys_of("kernel"));
    }
    fill(n, "kernel", "kernel", s.kernel);
    if (const ynode *v = n ? ynode_get(n, "hz") : nullptr)
        if (s.kernel.hz != 100 && s.kernel.hz != 250 && s.kernel.hz != 300 && s.kernel.hz != 1000)
            r.fail(v,
                   "kernel.hz: expected one of 100, 250, 300, 1000, found " + std::string(v->text));
    if (!n)
        return;
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
