// SPDX-License-Identifier: Apache-2.0
#include "report/format.h"

#include <cstdio>

namespace cmosim::sim {

std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

} // namespace cmosim::sim
