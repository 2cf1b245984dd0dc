// SPDX-License-Identifier: Apache-2.0
// A set-associative, write-back, write-allocate cache level as a TLM-2.0
// module: cpu_side target socket, mem_side initiator socket, blocking
// transport with annotated delays.
#pragma once

#include <cstdint>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "cmosim/models/payload.h"
#include "cmosim/models/tag_store.h"

namespace cmosim::models {

class Checker;
class VersionedStore;

struct CacheParams {
    TagStoreGeometry geometry;
    Level level = Level::L1D;
    sc_core::sc_time hit_latency = sc_core::sc_time(4.0 / 3.0, sc_core::SC_NS);
    unsigned outstanding = 16; // misses / CMOs in flight (VA CMO throughput)
    // A write-back from above that misses allocates a line and one that hits
    // refreshes the replacement order. When false, a hit only marks the line
    // dirty and a miss passes the line on: the contents change only by fills
    // (cachegrind's last-level cache, which sees nothing but L1 misses).
    bool write_back_fill = true;
};

struct CacheStats {
    uint64_t read_hits = 0, read_misses = 0;
    uint64_t write_hits = 0, write_misses = 0; // stores, and write-backs from above
    uint64_t evictions = 0, writebacks = 0;
    uint64_t cmo_clean = 0, cmo_invalidate = 0, cmo_clean_invalidate = 0;
    uint64_t lines_invalidated = 0; // by any CMO, flush or snoop
};

class Cache : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Cache> cpu_side;
    tlm_utils::simple_initiator_socket<Cache> mem_side;

    Cache(sc_core::sc_module_name name, const CacheParams &p);

    const CacheParams &params() const { return m_p; }
    const CacheStats &stats() const { return m_stats; }
    CacheStats &stats() { return m_stats; }
    TagStore &tags() { return m_tags; }
    const TagStore &tags() const { return m_tags; }

    // A store from the CPU side that hits or after its fill: the line becomes
    // dirty and carries the new data version.
    void mark_written(uint64_t addr, uint64_t version);

    // Write back (if dirty and `clean`) and/or invalidate one line, from a CMO,
    // the flush engine or a snoop. Write-backs go to mem_side with `delay`
    // annotated. Returns true if the line was present.
    bool maintain_line(uint64_t addr, bool clean, bool invalidate, sc_core::sc_time &delay,
                       unsigned cpu);

private:
    void b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    void fill(uint64_t addr, MemExt &ext, sc_core::sc_time &delay, int *way_out);
    void write_back(uint64_t addr, uint64_t version, unsigned cpu, sc_core::sc_time &delay);
    void evict_victim(const Victim &v, unsigned cpu, sc_core::sc_time &delay);

    const CacheParams m_p;
    TagStore m_tags;
    CacheStats m_stats;
};

} // namespace cmosim::models
