// SPDX-License-Identifier: Apache-2.0
// The home node: the point of coherency in front of the SLC. It knows every
// CPU's private caches and the SLC, carries cache maintenance by VA to the
// PoC, hosts the flush engine the firmware drives through its HAL, and audits
// a range for residual lines.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

#include "cmosim/models/cache.h"
#include "cmosim/models/checker.h"
#include "cmosim/models/flush_engine.h"
#include "cmosim/models/memory.h"
#include "cmosim/models/timeline.h"

namespace cmosim::models {

struct HomeNodeParams {
    FlushEngineParams flush;
    sc_core::sc_time snoop_latency = sc_core::sc_time(10, sc_core::SC_NS); // per snooped copy
};

struct HomeNodeStats {
    uint64_t snoops = 0;           // private copies found by a request from another core
    uint64_t snoop_writebacks = 0; // of which dirty, cleaned on the way
    uint64_t snoop_invalidations = 0;
};

// Coherence: the home node checks every other core's private levels (a perfect
// snoop filter). A fill is served only after a dirty private copy elsewhere has
// been written back; a store claims the line by invalidating every other copy.
// Every read from a core's private levels takes one of the SLC's request slots
// (its `outstanding`, shared by all cores) from its arrival until its data
// returns; a read that finds every slot busy waits for the first to free.
class HomeNode : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<HomeNode> cpu_side; // one binding per core
    tlm_utils::simple_initiator_socket<HomeNode> mem_side;         // towards the SLC

    HomeNode(sc_core::sc_module_name name, Memory &mem, Checker &checker, const HomeNodeParams &p);

    // Register the caches of the core whose bottom private level is bound to
    // cpu_side next, from the top (L1) down.
    void add_cpu(std::vector<Cache *> private_levels);
    void set_slc(Cache *slc);

    // Per-level CMO counters of a DC loop of `lines` operations issued by `cpu`.
    void count_cmo(unsigned cpu, CmoOp kind, uint64_t lines);
    // The smallest outstanding-request limit on cpu's path to the PoC.
    unsigned outstanding_to_poc(unsigned cpu) const;

    // A store by `cpu` to addr: every other core's copy goes (MESI upgrade).
    void claim(unsigned cpu, uint64_t addr, sc_core::sc_time &delay);
    const HomeNodeStats &stats() const { return m_stats; }

    unsigned cpus() const { return static_cast<unsigned>(m_private.size()); }
    const std::vector<Cache *> &private_levels(unsigned cpu) const { return m_private[cpu]; }
    Cache *slc() const { return m_slc; }
    Memory &memory() { return m_mem; }
    const FlushEngineParams &flush_params() const { return m_engine.params(); }
    FlushEngine &flush_engine() { return m_engine; }

    // Functional accesses (a replay's warm-up): while off, reads through the
    // home node book no request slot and memory books no bandwidth; caches,
    // snoops and the versioned store change as in timed operation.
    void set_timed(bool timed) {
        m_timed = timed;
        m_mem.set_timed(timed);
    }

    // Anything that observes or changes cache state at absolute time t_ps
    // (an access, a DC operation, a device write, an audit) first lets the
    // flush engine's walk catch up to t_ps.
    void observe(uint64_t t_ps) {
        if (m_engine.active())
            m_engine.advance_to(t_ps);
    }
    // A device-side operation at the current time (after the walk caught up).
    void device_op(DeviceOp op, uint64_t base, uint64_t len);

    // DC C*VAC on one line: every cache in the system, top down, to the PoC.
    // Returns true if any level held the line. Write-backs annotate `delay`.
    // `levels` leaves out the private caches or the SLC (misbehaving firmware
    // running the loop at EL3).
    bool maintain_to_poc(uint64_t addr, CmoOp kind, unsigned cpu, sc_core::sc_time &delay,
                         const FlushLevels &levels = FlushLevels{});

    // Line addresses of [base, base + len) resident anywhere, ascending, without
    // visiting the range line by line when it is larger than the caches.
    std::vector<uint64_t> resident_lines(uint64_t base, uint64_t len) const;

    // The flush engine: clean+invalidate [base, base + len) (or everything);
    // blocks the calling thread until it is done (FlushEngine::flush).
    FlushOutcome flush(uint64_t base, uint64_t len, bool all, const FlushLevels &levels, int cpu) {
        return m_engine.flush(base, len, all, levels, cpu);
    }

    // Residual-line audit after an invalidate returns success.
    uint64_t audit(uint64_t base, uint64_t len, int cpu, const char *cause);

    unsigned line_bytes() const { return m_mem.store().line_bytes(); }

    // A checker event if `c` holds addr dirty (about to be discarded).
    void report_discarded(Cache &c, uint64_t addr, int cpu, const char *cause);

private:
    void b_transport(int port, tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    void snoop_others(unsigned cpu, uint64_t addr, bool invalidate, sc_core::sc_time &delay);
    bool slots_can_run_out();

    Memory &m_mem;
    Checker &m_checker;
    const HomeNodeParams m_p;
    HomeNodeStats m_stats;
    std::vector<std::vector<Cache *>> m_private;
    Cache *m_slc = nullptr;
    SlotPool m_slc_slots{0};
    bool m_slots_checked = false, m_slots_can_run_out = true;
    FlushEngine m_engine;
    bool m_timed = true;
};

} // namespace cmosim::models
