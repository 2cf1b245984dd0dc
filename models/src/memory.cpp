// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/memory.h"

#include "cmosim/models/bug.h"
#include "cmosim/models/checker.h"

#include <algorithm>

#include <tlm_utils/tlm_quantumkeeper.h>

namespace cmosim::models {

using sc_core::sc_time;

const char *device_op_name(DeviceOp op) {
    switch (op) {
    case DeviceOp::SecureErase:
        return "secure_erase";
    case DeviceOp::Reset:
        return "reset";
    case DeviceOp::DcdRelease:
        return "dcd_release";
    case DeviceOp::DcdAdd:
        return "dcd_add";
    case DeviceOp::Offline:
        return "offline";
    }
    return "?";
}

Memory::Memory(sc_core::sc_module_name name, std::vector<RegionParams> regions, unsigned line_bytes,
               Checker &checker)
    : sc_module(name), cpu_side("cpu_side"), m_regions(std::move(regions)),
      m_stats(m_regions.size()), m_read_channel(m_regions.size()),
      m_write_channel(m_regions.size()), m_store(line_bytes), m_checker(checker) {
    cpu_side.register_b_transport(this, &Memory::b_transport);
}

int Memory::decode(uint64_t addr) const {
    for (size_t i = 0; i < m_regions.size(); ++i)
        if (addr >= m_regions[i].base && addr - m_regions[i].base < m_regions[i].size)
            return static_cast<int>(i);
    return -1;
}

// Each direction of a region serves one transfer at a time at its bandwidth,
// first come first served by arrival in simulated time (FifoChannel), whichever
// core booked first on the host.
sc_time Memory::reserve(FifoChannel &channel, double gbps, uint64_t bytes, sc_time at,
                        RegionStats &st) {
    const uint64_t service = sc_time(static_cast<double>(bytes) / gbps, sc_core::SC_NS).value();
    const uint64_t at_ps = at.value();
    const uint64_t start = channel.book(at_ps, service);
    st.queueing += sc_time::from_value(start - at_ps);
    // Nothing will be booked before the kernel's time less a lookback of two
    // quanta or 1 us (the flush engine books up to a quantum, or 100 ns, late).
    if (channel.entries() > 256) {
        uint64_t now = sc_core::sc_time_stamp().value();
        uint64_t back = std::max<uint64_t>(
            2 * tlm_utils::tlm_quantumkeeper::get_global_quantum().value(), 1000000);
        channel.forget(now > back ? now - back : 0);
    }
    return sc_time::from_value(start + service);
}

sc_time Memory::reserve_write(size_t r, uint64_t bytes, sc_time at) {
    return reserve(m_write_channel[r], m_regions[r].bandwidth_gbps, bytes, at, m_stats[r]);
}

void Memory::accept_writeback(uint64_t addr, uint64_t version, int cpu, const char *cause,
                              uint64_t at_ps) {
    if (m_store.version(addr) > version)
        m_checker.report(EventKind::LostDeviceWrite, at_ps, cpu, "memory", addr, cause);
    m_store.write_line(addr, version);
}

void Memory::b_transport(tlm::tlm_generic_payload &trans, sc_time &delay) {
    MemExt *ext = trans.get_extension<MemExt>();
    CMOSIM_BUG_ON(ext == nullptr);
    uint64_t addr = trans.get_address();
    int r = decode(addr);
    if (r < 0) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    const RegionParams &rp = m_regions[r];
    RegionStats &st = m_stats[r];
    uint64_t bytes = trans.get_data_length();
    sc_time at = sc_core::sc_time_stamp() + delay;
    switch (trans.get_command()) {
    case tlm::TLM_READ_COMMAND: {
        if (m_timed) {
            sc_time done = reserve(m_read_channel[r], rp.bandwidth_gbps, bytes, at, st);
            delay = done - sc_core::sc_time_stamp() + rp.read_latency;
        }
        ++st.reads;
        st.bytes_read += bytes;
        ext->version = m_store.version(addr);
        ext->served_by = Level::Memory;
        if (m_store.offline(addr)) {
            ++st.offline_reads;
            m_checker.report(EventKind::OfflineRead, static_cast<uint64_t>(at.value()),
                             static_cast<int>(ext->cpu), "memory", addr,
                             "read of an extent that is offline or released");
        }
        break;
    }
    case tlm::TLM_WRITE_COMMAND: {
        // Write-backs are posted: the sender waits for the channel to take the
        // data; from then on every observer sees it (one rule for evictions,
        // DC loops, set/way and the flush engine).
        if (m_timed) {
            sc_time done = reserve(m_write_channel[r], rp.bandwidth_gbps, bytes, at, st);
            delay = done - sc_core::sc_time_stamp();
        }
        ++st.writes;
        st.bytes_written += bytes;
        accept_writeback(addr, ext->version, static_cast<int>(ext->cpu), "eviction write-back",
                         static_cast<uint64_t>(at.value()));
        break;
    }
    default:
        trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Memory::device_op(DeviceOp op, uint64_t base, uint64_t len) {
    int r = decode(base);
    CMOSIM_BUG_ON(r < 0);
    ++m_stats[r].device_ops;
    // Every kind replaces the content of the range with data no CPU cache has
    // seen (zeros, a pattern, poison, or a fresh extent): one new version, one
    // interval. Release and offline also take the range away until a reset or
    // an add brings it back.
    bool offline = op == DeviceOp::DcdRelease || op == DeviceOp::Offline;
    m_store.write_range(base, len, offline);
}

} // namespace cmosim::models
