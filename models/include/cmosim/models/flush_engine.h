// SPDX-License-Identifier: Apache-2.0
// The home node's flush engine: a hardware walker that cleans and invalidates
// a physical range (or everything) by walking the SLC's sets, back-invalidating
// private copies through the snoop filter as it passes each set, and posting
// dirty lines to memory's write queue as it finds them. It is its own SystemC
// process and takes simulated time: CPUs keep running while it walks, and meet
// it where hardware would (docs/timing-model.md, "The flush engine"):
//  - a line in a set the walk has passed may be refilled; it then stays cached
//    (the residual-line audit and, after a device write, the stale-read check
//    report it);
//  - a line in a set not yet walked, even one filled during the walk, is
//    cleaned when the walk gets there.
// The engine's progress is a function of simulated time only: before any
// access at time t the PoC calls advance_to(t), which carries out every step
// due by t. So a core running ahead within its quantum sees the walk where it
// is at the core's own local time.
#pragma once

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include <systemc>

namespace cmosim::models {

class Cache;
class Checker;
class Memory;

struct FlushEngineParams {
    double clock_ghz = 2.0;      // engine clock
    unsigned tags_per_cycle = 4; // tag entries examined per engine cycle
    sc_core::sc_time per_line =
        sc_core::sc_time(2, sc_core::SC_NS); // back-invalidate per copy found
    sc_core::sc_time setup = sc_core::sc_time(200, sc_core::SC_NS); // programming the engine
};

struct FlushOutcome {
    uint64_t lines_invalidated = 0;
    uint64_t lines_written_back = 0;
    uint64_t tags_walked = 0;
    uint64_t lines_refilled = 0; // lines filled during the walk into sets it had not reached
    sc_core::sc_time duration;
};

// Which caches a flush reaches (misbehaving firmware can drop some).
struct FlushLevels {
    bool private_caches = true;
    bool slc = true;
    bool write_back = true;
};

// What the engine reaches: every core's private levels (through the snoop
// filter) and the SLC, owned by the home node.
struct CoherentCaches {
    const std::vector<std::vector<Cache *>> *private_levels = nullptr;
    Cache *const *slc = nullptr;
};

class FlushEngine : public sc_core::sc_module {
public:
    FlushEngine(sc_core::sc_module_name name, const FlushEngineParams &p, CoherentCaches caches,
                Memory &mem, Checker &checker);

    const FlushEngineParams &params() const { return m_p; }

    // Clean+invalidate [base, base + len) (everything if `all`): programs the
    // engine at the caller's time and blocks the calling thread until the walk
    // is over and its write-backs have been accepted. A second caller waits
    // for the first flush to end.
    FlushOutcome flush(uint64_t base, uint64_t len, bool all, const FlushLevels &levels, int cpu);

    bool active() const { return m_active; }
    // Carry out the walk up to absolute time t_ps.
    void advance_to(uint64_t t_ps);
    // A line filled into the caches at t_ps (a read passing the PoC): if the
    // walk has not reached its set yet, it will be cleaned there.
    void note_fill(uint64_t addr, uint64_t t_ps);

private:
    void walker();
    uint64_t position(uint64_t addr) const; // the SLC set the walk reaches addr in
    uint64_t walk_ps(uint64_t sets) const;  // time to walk the first `sets` sets
    uint64_t due(uint64_t set) const;       // when the walk reaches the end of `set`
    bool in_range(uint64_t addr) const { return addr + m_line > m_base && addr < m_end; }
    void clean_line(uint64_t addr, uint64_t at_ps);
    uint64_t walk_end() const { return m_t0 + walk_ps(m_sets) + m_per_line * m_copies; }

    const FlushEngineParams m_p;
    const CoherentCaches m_caches;
    Memory &m_mem;
    Checker &m_checker;
    sc_core::sc_event m_start, m_done;

    // The flush in progress.
    bool m_active = false;
    uint64_t m_base = 0, m_end = 0;
    unsigned m_line = 64;
    FlushLevels m_levels;
    int m_cpu = -1;
    uint64_t m_start_ps = 0, m_t0 = 0; // the call, and the end of the setup
    uint64_t m_sets = 0, m_ways = 0;   // what the walk covers (0 sets: the SLC is not walked)
    uint64_t m_per_line = 0;           // ps
    uint64_t m_copies = 0;             // copies invalidated so far
    uint64_t m_wb_done = 0;            // the last write-back's acceptance
    // Lines waiting for the walk, as (set, line address), in walk order: what
    // was cached when the flush began (sorted once), and what was filled
    // since into sets not yet walked.
    using Pending = std::pair<uint64_t, uint64_t>;
    std::vector<Pending> m_found;
    size_t m_next_found = 0;
    std::set<Pending> m_filled;
    bool pending_empty() const { return m_next_found == m_found.size() && m_filled.empty(); }
    size_t pending_size() const { return m_found.size() - m_next_found + m_filled.size(); }
    // The next line in walk order (pending_empty() must be false), and take it.
    const Pending &next_pending() const;
    void pop_pending();
    FlushOutcome m_out;
    FlushOutcome *m_result = nullptr; // the caller's copy
};

} // namespace cmosim::models
