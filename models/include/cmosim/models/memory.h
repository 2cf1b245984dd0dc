// SPDX-License-Identifier: Apache-2.0
// The memory map behind the SLC: DRAM and CXL HDM regions, each with its own
// latency and bandwidth, over one sparse versioned backing store. Device-side
// operations on CXL memory (secure erase, reset, dynamic-capacity release/add)
// bypass every CPU cache and are one interval in the store whatever their size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "cmosim/models/kinds.h"
#include "cmosim/models/payload.h"
#include "cmosim/models/timeline.h"
#include "cmosim/models/versioned_store.h"

namespace cmosim::models {

class Checker;

struct RegionParams {
    std::string name;
    MemoryKind kind = MemoryKind::Dram;
    uint64_t base = 0;
    uint64_t size = 0;
    sc_core::sc_time read_latency = sc_core::sc_time(100, sc_core::SC_NS);
    double bandwidth_gbps = 100.0; // GB/s (1e9 bytes/s) per direction
};

struct RegionStats {
    uint64_t reads = 0, writes = 0;
    uint64_t bytes_read = 0, bytes_written = 0;
    uint64_t device_ops = 0;
    uint64_t offline_reads = 0; // reads that reached an offline or released extent
    sc_core::sc_time queueing;  // total time requests waited for bandwidth
};

class Memory : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Memory> cpu_side;

    Memory(sc_core::sc_module_name name, std::vector<RegionParams> regions, unsigned line_bytes,
           Checker &checker);

    VersionedStore &store() { return m_store; }
    const VersionedStore &store() const { return m_store; }
    const std::vector<RegionParams> &regions() const { return m_regions; }
    const RegionStats &stats(size_t region) const { return m_stats[region]; }
    // Index of the region holding addr, or -1.
    int decode(uint64_t addr) const;

    // The device rewrites [base, base + len) behind every cache's back.
    void device_op(DeviceOp op, uint64_t base, uint64_t len);

    // Time for `bytes` of write-back traffic to region r arriving at `at`
    // (absolute), queued behind the traffic booked around that time; returns
    // when the channel has taken the data (the write is then accepted).
    sc_core::sc_time reserve_write(size_t r, uint64_t bytes, sc_core::sc_time at);

    // Functional accesses (a replay's warm-up): while off, reads and writes
    // through the socket update the store, the counters and the checks but
    // book no bandwidth and add no time.
    void set_timed(bool timed) { m_timed = timed; }
    bool timed() const { return m_timed; }

    // A write-back that does not travel through the socket (flush engine): the
    // lost-device-write check and the store update at `at_ps`, no timing.
    void accept_writeback(uint64_t addr, uint64_t version, int cpu, const char *cause,
                          uint64_t at_ps);

private:
    void b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    sc_core::sc_time reserve(FifoChannel &channel, double gbps, uint64_t bytes, sc_core::sc_time at,
                             RegionStats &st);

    std::vector<RegionParams> m_regions;
    std::vector<RegionStats> m_stats;
    std::vector<FifoChannel> m_read_channel, m_write_channel;
    VersionedStore m_store;
    Checker &m_checker;
    bool m_timed = true;
};

} // namespace cmosim::models
