// SPDX-License-Identifier: Apache-2.0
#include "config/ready_platforms.h"

#include <cstring>

namespace cmosim::sim {

// Generated from configs/platforms/*.yaml (sim/CMakeLists.txt, embed.cmake).
const char *default_platform_text();
const char *small_platform_text();
const char *large_platform_text();
const char *cachegrind_like_platform_text();

const std::vector<ReadyPlatform> &ready_platforms() {
    static const std::vector<ReadyPlatform> all = {
        {"default", "4 cores, 64 KiB L1D, 2 MiB L2, 32 MiB SLC, DRAM and a 256 GiB CXL window",
         default_platform_text()},
        {"small", "2 cores, 1 MiB L2, 4 MiB SLC, 64 GiB CXL", small_platform_text()},
        {"large", "16 cores, 128 MiB inclusive SLC, two 256 GiB CXL windows",
         large_platform_text()},
        {"cachegrind-like", "1 core, L1I + L1D + LL as cachegrind models them (replay)",
         cachegrind_like_platform_text()},
    };
    return all;
}

const ReadyPlatform *find_ready_platform(const char *name) {
    for (const ReadyPlatform &p : ready_platforms())
        if (std::strcmp(p.name, name) == 0)
            return &p;
    return nullptr;
}

} // namespace cmosim::sim
