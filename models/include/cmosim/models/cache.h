// SPDX-License-Identifier: Apache-2.0
// A set-associative, write-back, write-allocate cache level as a TLM-2.0
// module: cpu_side target socket, mem_side initiator socket, blocking
// transport with annotated delays.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "cmosim/models/kinds.h"
#include "cmosim/models/payload.h"
#include "cmosim/models/tag_store.h"

namespace cmosim::models {

class Checker;
class VersionedStore;

struct CacheParams {
    TagStoreGeometry geometry;
    Level level = Level::L1D;
    sc_core::sc_time hit_latency = sc_core::sc_time(4.0 / 3.0, sc_core::SC_NS);
    // Requests this level keeps in flight (miss slots). A DC loop by VA keeps
    // at most the smallest limit of the levels it crosses in flight.
    unsigned outstanding = 16;
    Inclusion inclusion = Inclusion::NonInclusive;
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
    uint64_t back_invalidations = 0; // upper copies removed by this (inclusive) level's evictions
    // Operations of each kind that looked this level up (CmoOp order).
    uint64_t cmo[kCmoOps] = {0, 0, 0, 0, 0, 0};
    uint64_t lines_invalidated = 0; // by any CMO, flush or snoop
    uint64_t &cmo_of(CmoOp op) { return cmo[static_cast<unsigned>(op)]; }
};

class Cache : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Cache> cpu_side;
    tlm_utils::simple_initiator_socket<Cache> mem_side;

    Cache(sc_core::sc_module_name name, const CacheParams &p);
    ~Cache() override;

    const CacheParams &params() const { return m_p; }
    const CacheStats &stats() const { return m_stats; }
    CacheStats &stats() { return m_stats; }
    TagStore &tags() { return m_tags; }
    const TagStore &tags() const { return m_tags; }

    // A read from the CPU side (a load, a fetch or a store's read for
    // ownership) of `line` (line-aligned) that hits, served without the TLM
    // round trip: exactly what b_transport does for a read hit (the hit
    // latency added to `delay`, the counter, the replacement state, the
    // version and level in `ext`). On a miss, returns false and changes
    // nothing: the request then goes through cpu_side as before.
    __attribute__((always_inline)) bool read_hit(uint64_t line, MemExt &ext,
                                                 sc_core::sc_time &delay) {
        if (!hit(line, ext))
            return false;
        delay += m_p.hit_latency;
        return true;
    }
    // read_hit() without the time: the caller adds the hit latency.
    __attribute__((always_inline)) bool hit(uint64_t line, MemExt &ext) {
        // The line of the last request is found at once (TagStore::hot()),
        // any other by a search of its set.
        if (m_tags.lookup_touch(line, -1) < 0)
            return false;
        ++m_stats.read_hits;
        ext.version = m_tags.hot().version;
        ext.served_by = m_p.level;
        return true;
    }

    // A store from the CPU side that hits or after its fill: the line becomes
    // dirty and carries the new data version. The line is usually the one the
    // request just hit or filled (TagStore::hot()).
    void mark_written(uint64_t addr, uint64_t version) {
        Line &l = m_tags.is_hot(addr) ? m_tags.hot() : written_line(addr);
        l.dirty = true;
        l.version = version;
    }

    // A cache directly or indirectly above this one (for back-invalidation).
    void add_upper(Cache *c) { m_upper.push_back(c); }
    const std::vector<Cache *> &upper() const { return m_upper; }

    // Write back (if dirty and `clean`) and/or invalidate one line, from a CMO,
    // the flush engine or a snoop. Write-backs go to mem_side with `delay`
    // annotated. Returns true if the line was present.
    bool maintain_line(uint64_t addr, bool clean, bool invalidate, sc_core::sc_time &delay,
                       unsigned cpu);

private:
    void b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    void fill(uint64_t addr, MemExt &ext, sc_core::sc_time &delay, int *way_out);
    void write_back(uint64_t addr, uint64_t version, unsigned cpu, sc_core::sc_time &delay);
    void evict_victim(Victim v, unsigned cpu, sc_core::sc_time &delay);
    // The line a store wrote when it is not the hot one (it must be held).
    Line &written_line(uint64_t addr);

    const CacheParams m_p;
    TagStore m_tags;
    CacheStats m_stats;
    std::vector<Cache *> m_upper;
    tlm::tlm_generic_payload m_wb_trans, m_fill_trans;
    MemExt m_wb_ext, m_fill_ext;
};

// Calls f(addr, line) for each line of [base, base + len) resident in `c`,
// choosing whichever is smaller: the range line by line, or the tag array.
// A range that runs past 2^64 - 1 ends there.
template <class F> void for_each_resident(Cache &c, uint64_t base, uint64_t len, F &&f) {
    TagStore &t = c.tags();
    uint64_t end = base + len < base ? UINT64_MAX : base + len;
    uint64_t first = t.line_addr(base);
    // No overflow when the range ends at 2^64 - 1.
    uint64_t nlines = (end - first) / t.line_bytes() + ((end - first) % t.line_bytes() != 0);
    if (nlines <= t.sets() * t.ways()) {
        for (uint64_t a = first; a < end && a >= first; a += t.line_bytes()) {
            int w = t.lookup(a);
            if (w >= 0)
                f(a, t.line(a, w));
        }
    } else {
        t.for_each_valid([&](uint64_t a, Line &l, uint64_t, unsigned) {
            if (a + t.line_bytes() > base && a < end)
                f(a, l);
        });
    }
}

} // namespace cmosim::models
