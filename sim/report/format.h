// SPDX-License-Identifier: Apache-2.0
// How the report room writes values its outputs share.
#pragma once

#include <cstdint>
#include <string>

namespace cmosim::sim {

// An address or register as "0x1f00": lower-case hex, no padding.
std::string hex(uint64_t v);

} // namespace cmosim::sim
