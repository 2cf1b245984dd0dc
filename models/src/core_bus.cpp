// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/core_bus.h"

namespace cmosim::models {

CoreBus::CoreBus(sc_core::sc_module_name name)
    : sc_module(name), cpu_side("cpu_side"), mem_side("mem_side") {
    cpu_side.register_b_transport(this, &CoreBus::b_transport);
}

void CoreBus::b_transport(int, tlm::tlm_generic_payload &trans, sc_core::sc_time &delay) {
    mem_side->b_transport(trans, delay);
}

} // namespace cmosim::models
