// SPDX-License-Identifier: Apache-2.0
// Where a core's L1I and L1D meet: both bind to cpu_side, and every request
// goes on unchanged to the next level (L2 or the home node). It adds no time.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

namespace cmosim::models {

class CoreBus : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<CoreBus> cpu_side; // L1I and L1D
    tlm_utils::simple_initiator_socket<CoreBus> mem_side;

    explicit CoreBus(sc_core::sc_module_name name);

private:
    void b_transport(int port, tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
};

} // namespace cmosim::models
