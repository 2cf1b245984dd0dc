// SPDX-License-Identifier: Apache-2.0
// A simulated CPU core: one SC_THREAD that runs a program (workload steps and
// kernel code, supplied by sim/) and issues loads, stores and cache
// maintenance into its L1D over TLM-2.0 with a quantum keeper (temporal
// decoupling). Every load is checked for staleness against memory.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "cmosim/models/home_node.h"

namespace cmosim::models {

struct CpuParams {
    double clock_ghz = 3.0;
    unsigned cmo_outstanding = 8; // DC C*VAC in flight
    unsigned setway_cycles = 1;   // cost of one DC CISW (per set and way)
    unsigned access_cycles = 1;   // issue cost of one load or store
};

struct CpuStats {
    uint64_t loads = 0, stores = 0;
    uint64_t fetches = 0; // instruction fetches (replayed traces)
    uint64_t stale_reads = 0;
    uint64_t cmo_lines = 0;    // lines covered by VA CMO loops
    uint64_t cmo_resident = 0; // of which resident somewhere
    uint64_t setway_ops = 0;
};

struct CmoLoopResult {
    uint64_t lines = 0;
    uint64_t resident = 0;
    sc_core::sc_time duration;
};

// The TLM quantum keeper, with need_sync() given the simulation context
// once: the same test (the kernel's time plus the local time against the next
// sync point), reading the kernel's time inline instead of through the
// out-of-line sc_time_stamp() on every access.
class CoreQuantumKeeper : public tlm_utils::tlm_quantumkeeper {
public:
    bool need_sync_in(const sc_core::sc_simcontext &sim) const {
        return sim.time_stamp() + m_local_time >= m_next_sync_point;
    }
    // Time the core may still spend before need_sync_in() holds; zero when
    // it holds now.
    sc_core::sc_time room_in(const sc_core::sc_simcontext &sim) const {
        const sc_core::sc_time at = sim.time_stamp() + m_local_time;
        return at >= m_next_sync_point ? sc_core::SC_ZERO_TIME : m_next_sync_point - at;
    }
};

class CpuCore : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<CpuCore> mem_side;
    // Instruction fetches, bound to an L1I when the core has one; unbound,
    // fetches go through mem_side (a unified L1).
    tlm_utils::simple_initiator_socket_optional<CpuCore> ifetch_side;

    CpuCore(sc_core::sc_module_name name, unsigned id, const CpuParams &p, Cache &l1d,
            HomeNode &home, Checker &checker);
    ~CpuCore() override;

    // The body of the CPU thread; runs once at start of simulation.
    void set_program(std::function<void(CpuCore &)> program) { m_program = std::move(program); }

    unsigned id() const { return m_id; }
    const CpuParams &params() const { return m_p; }
    const CpuStats &stats() const { return m_stats; }
    sc_core::sc_time cycle() const { return m_cycle; }

    // Operations a program performs (only from this core's thread).
    // load() and store() wait for their data (a dependent access, as a replayed
    // trace's records are), unless the core is in overlap mode. A hit in the
    // first level is served here, inline (hit_in_place); anything else takes
    // the full access.
    void load(uint64_t addr) { reference(Ref::Load, addr); }
    void store(uint64_t addr) { reference(Ref::Store, addr); }
    // An instruction fetch of the line holding addr.
    void fetch(uint64_t addr) { reference(Ref::Fetch, addr); }
    // What a dependent reference does (a replayed trace's record is one).
    enum class Ref : uint8_t { Fetch, Load, Store };
    // Whether the first level a reference of `kind` looks in holds addr's
    // line now (reference() would hit there); changes nothing.
    bool first_level_holds(Ref kind, uint64_t addr) const {
        const Cache *first = m_first[static_cast<unsigned>(kind)];
        return first != nullptr && first->tags().lookup(addr & m_line_mask) >= 0;
    }
    // fetch(), load() or store() of addr's line; returns the level that
    // served it (L1I or L1D: a hit).
    __attribute__((always_inline)) Level reference(Ref kind, uint64_t addr) {
        const uint64_t line = addr & m_line_mask;
        const unsigned k = static_cast<unsigned>(kind);
        Cache *first = m_first[k];
        if (first == nullptr || !hit_in_place(*first, line, kind == Ref::Store, m_hit_time[k]))
            access(addr, kind == Ref::Store, kind == Ref::Fetch);
        ++*m_ref_counter[static_cast<unsigned>(kind)];
        if (kind == Ref::Load)
            check_load(line);
        return m_ext.served_by;
    }
    // First-level hits served in bulk, for a replay's record loop: a hit
    // changes the level's replacement state, its counters, a store's line
    // and the core's time, and nothing below; so HotHits does the first and
    // a store's write at once, and keeps the counts and the time to fold into
    // the core when it is flushed. The line each level touched last
    // (TagStore::hot()) is found without reading its set. serve_run()
    // declines, changing nothing that reference() would not change the same
    // way, what needs more: a miss, a stale load (reference() reports it), a
    // hit whose time would reach the end of the quantum (reference()
    // synchronises there), overlap mode, a walking flush engine, a store that
    // must snoop. The caller then flush()es, serves that reference with
    // reference() and open()s again. Flushed, the caches, the core's
    // counters, local time and last_served() are what reference() would have
    // left for the same references; nothing else may use the core while hits
    // are pending.
    class HotHits {
    public:
        // `codes`: the reference each code of a word (serve_run) makes.
        HotHits(CpuCore &core, const Ref (&codes)[4]);
        ~HotHits() { flush(); }
        HotHits(const HotHits &) = delete;
        HotHits &operator=(const HotHits &) = delete;
        // References from i on, served while each is such a hit, with the
        // counts and the time held in registers: next(i) gives reference i as
        // a word, its line-aligned address | a code below 8 (codes 0 to 3:
        // the reference codes[code]; 4 or more: one the caller must look
        // at). At most 65535 are served, and none at or after `to`; adds how
        // many of each code were to served[code]. Returns the first not
        // served (`to`: all were).
        template <class Next>
        __attribute__((always_inline)) size_t serve_run(size_t i, size_t to, Next &&next,
                                                        uint64_t (&served)[4]) {
            // A count of 1 for each code, in its 16 bits of `counts`.
            static constexpr uint64_t kOne[4] = {1, uint64_t(1) << 16, uint64_t(1) << 32,
                                                 uint64_t(1) << 48};
            sc_core::sc_time spent = m_spent;
            const sc_core::sc_time room = m_room;
            uint64_t counts = 0;
            unsigned last = 4;
            const size_t end = to - i > 65535 ? i + 65535 : to;
            for (; i < end; ++i) {
                const uint64_t w = next(i);
                const unsigned c = static_cast<unsigned>(w & 7);
                if (c >= 4)
                    break;
                const uint64_t line = w & ~uint64_t(7);
                // Its kind's hot line, and for a load the line the stale
                // check passed (one test: no branch depends on the code).
                if (((line ^ m_line[m_code_kind[c]]) | ((line ^ m_checked) & m_code_checks[c])) !=
                        0 &&
                    !touch_and_check(c, line))
                    break;
                const sc_core::sc_time t = spent + m_code_time[c];
                if (t >= room)
                    break;
                spent = t;
                counts += kOne[c];
                last = c;
                if (m_store_codes >> c & 1)
                    write();
            }
            m_spent = spent;
            for (unsigned c = 0; c < 4; ++c) {
                const uint64_t n = counts >> (16 * c) & 0xffff;
                served[c] += n;
                m_hits[m_code_kind[c]] += n;
            }
            if (last < 4)
                m_last = m_code_kind[last];
            return i;
        }
        // Reads the hot lines and what may be served now.
        void open();
        // Folds the hits served into the core and closes (serve_run()
        // declines everything until open()).
        void flush();

    private:
        // A hit of `line` by code c when it is not the line that code hits
        // in place: touched in its first level if not hot there (it becomes
        // the hot line), a load's stale check; false on a miss (nothing
        // changed) or a stale load.
        bool touch_and_check(unsigned c, uint64_t line);
        // A store's write of the store's first level's hot line.
        void write() {
            m_written->dirty = true;
            m_written->version = m_core.m_store.next_stamp();
            m_checked = UINT64_MAX; // the version the check passed is gone
        }

        CpuCore &m_core;
        unsigned m_code_kind[4];         // the kind (Ref) each code makes, as an index
        uint64_t m_code_checks[4];       // all ones for a load's code (m_checked applies), else 0
        unsigned m_store_codes = 0;      // bit c: code c is a store
        bool m_on = false;               // serving at all
        uint64_t m_line[3];              // each kind's first level's hot line, or UINT64_MAX
        sc_core::sc_time m_code_time[4]; // what its hit takes (zero: functional)
        uint64_t m_hits[3] = {0, 0, 0};
        uint64_t m_checked = UINT64_MAX;  // the line a load may hit unchecked
        sc_core::sc_time m_spent, m_room; // time the hits took, time they may take
        Line *m_written = nullptr;        // the store's first level's hot line
        unsigned m_last = 0;              // the kind served last
    };
    // Independent accesses: the core keeps up to miss_slots() of them in
    // flight, issuing one per access_cycles, and waits for all at the end.
    void load_range(uint64_t base, uint64_t len);
    void store_range(uint64_t base, uint64_t len);
    // Overlap mode: from begin_overlap() to end_overlap() every load and store
    // is independent of the ones before it; end_overlap() waits for them all.
    void begin_overlap() { m_overlap = true; }
    void end_overlap();
    // Misses in flight at once: the smallest `outstanding` on the way to memory.
    unsigned miss_slots() const { return m_window_size; }
    // A read of addr's line from the level below the L1 (L1I if `ifetch`),
    // which the L1 neither looks up nor fills; returns the level that served
    // it. cachegrind sends a reference that misses its L1 to the LL whole:
    // replay does the same for the lines of a straddling reference that hit.
    Level read_below_l1(uint64_t addr, bool ifetch);
    // The level that served the last load, store or fetch (L1I/L1D: a hit).
    Level last_served() const { return m_ext.served_by; }
    // Functional mode (a replay's functional warm-up): load(), store(),
    // fetch() and read_below_l1() change the caches, the snoop filter's view
    // and the versioned store exactly as they would in timed mode, and check
    // every load for staleness, but take no simulated time: the core's local
    // time stays put, no request slot or memory bandwidth is booked and the
    // core never synchronises. Overlap mode does not apply.
    void set_functional(bool on) { m_functional = on; }
    bool functional() const { return m_functional; }
    // Spend time on this core without synchronising before the quantum ends.
    void advance(sc_core::sc_time t);
    // DC <kind> over every line of the range, then DSB. Host time grows with
    // the resident lines only; simulated time is what a line-by-line loop takes.
    CmoLoopResult cmo_range(CmoOp kind, uint64_t base, uint64_t len,
                            const FlushLevels &levels = FlushLevels{});
    // The same loop, one line at a time (for validation on small ranges).
    CmoLoopResult cmo_range_linewise(CmoOp kind, uint64_t base, uint64_t len);
    // The DC loop's timing: one operation issues every cmo_issue_interval()
    // (the lookup latency to the PoC over the operations in flight, at least a
    // cycle), and the DSB adds one latency_to_poc().
    sc_core::sc_time cmo_issue_interval() const;
    sc_core::sc_time latency_to_poc() const;
    // What a DC loop over `lines` lines takes when none of them is cached:
    // one issue slot each, then the DSB. Every loop is timed from it (cached
    // lines' write-backs can only make it longer), and the firmware's
    // advertised break-even is derived from it (sim/run/firmware_hal.cpp).
    sc_core::sc_time cmo_loop_time(uint64_t lines) const;
    // DC CISW/CSW/ISW over every set and way of this core's own levels.
    sc_core::sc_time set_way(CmoOp kind);

    // Bring the core's local time to the kernel's (before blocking calls),
    // after the accesses still in flight have completed.
    void sync();
    // Spend time on this core.
    void consume(sc_core::sc_time t);
    sc_core::sc_time local_time() const { return m_qk.get_current_time(); }

private:
    void run();
    // A load, store or fetch of `line` that hits `first` (this core's first
    // level for it) served in place: the same state changes and time as
    // access() gives a hit, without the request machinery. False, with
    // nothing changed, when access() must serve it: a miss, overlap mode, a
    // walking flush engine (which observes each access), or a store whose
    // claim must snoop other cores.
    // `time`: the issue and the first level's hit latency (m_hit_time).
    __attribute__((always_inline)) bool hit_in_place(Cache &first, uint64_t line, bool for_store,
                                                     const sc_core::sc_time &time) {
        if (m_overlap | m_engine.active() | (for_store & m_snoops))
            return false;
        if (!first.hit(line, m_ext)) {
            m_probe_missed = true; // serve() goes straight to the socket
            return false;
        }
        if (for_store)
            m_l1d.mark_written(line, m_store.next_stamp());
        if (!m_functional) { // a functional access takes no time
            m_qk.inc(time);
            if (m_qk.need_sync_in(m_sim))
                m_qk.sync();
        }
        return true;
    }
    // A load's check against memory: stale when memory holds newer data than
    // the version the load consumed (m_ext). A line whose check passed lately
    // at that version is not looked up again while memory stays as it was.
    __attribute__((always_inline)) void check_load(uint64_t line) {
        if (m_ext.served_by == Level::Memory || passed(line, m_ext.version))
            return;
        if (m_ext.version < m_store.version(line)) {
            report_stale(line);
            return;
        }
        remember_passed(line, m_ext.version);
    }
    // Whether a load of `line` consuming `version` passed the stale check
    // since memory was last written (m_passed).
    bool passed(uint64_t line, uint64_t version) const {
        const Passed &p = m_passed[(line >> m_line_shift) % kPassed];
        return p.line == line && p.version == version && p.writes == m_store.writes();
    }
    void remember_passed(uint64_t line, uint64_t version) {
        m_passed[(line >> m_line_shift) % kPassed] = Passed{line, version, m_store.writes()};
    }
    void report_stale(uint64_t line);
    uint64_t access(uint64_t addr, bool for_store, bool ifetch = false);
    uint64_t access_functional(uint64_t addr, bool for_store, bool ifetch);
    // The first level's read over the socket (a miss, or a read for below).
    void transport(uint64_t line, bool ifetch, sc_core::sc_time &delay);
    // The access of `line` through the first level (in place on a hit, over
    // the socket otherwise), then a store's claim and write.
    void serve(uint64_t line, bool for_store, bool ifetch, sc_core::sc_time &delay);

    // One DC operation on a resident line issued at local offset issue_at;
    // returns when its write-backs (if any) have been accepted.
    sc_core::sc_time cmo_line(CmoOp kind, uint64_t addr, sc_core::sc_time issue_at,
                              const FlushLevels &levels = FlushLevels{});
    // The DSB after a loop: advance to the later of the last lookup and the
    // last write-back, record the duration and the counters.
    sc_core::sc_time cmo_finish(CmoOp kind, CmoLoopResult &r, sc_core::sc_time start_offset,
                                sc_core::sc_time last_wb);

    const unsigned m_id;
    const CpuParams m_p;
    const sc_core::sc_time m_cycle;
    const sc_core::sc_time m_access_time; // access_cycles at the clock, once
    const uint64_t m_setway_ps;           // setway_cycles at the clock
    Cache &m_l1d;
    // The first level of each kind of reference (Ref order; set when the
    // thread starts): a fetch's is the L1I of this core's private levels when
    // ifetch_side is bound, else the L1D; a load's and a store's the L1D.
    Cache *m_first[3] = {nullptr, nullptr, nullptr};
    // What a hit in it takes: the issue (access_cycles) and its hit latency.
    sc_core::sc_time m_hit_time[3];
    // The first level HotHits may serve each kind from: m_first, but none
    // for a store that must snoop.
    Cache *m_hot_first[3] = {nullptr, nullptr, nullptr};
    // Longer than any quantum (HotHits' room in functional mode).
    const sc_core::sc_time m_forever = sc_core::sc_time::from_value(UINT64_MAX);
    const uint64_t m_line_mask; // a line's address from any of its bytes
    HomeNode &m_home;
    const FlushEngine &m_engine; // the home node's (accesses observe its walk)
    VersionedStore &m_store;     // memory's (stale checks, store stamps)
    bool m_snoops = false;       // other cores have caches: a store claims its line
    // hit_in_place() found the line absent from the first level, and nothing
    // has changed since: serve() need not look again.
    bool m_probe_missed = false;
    Checker &m_checker;
    CoreQuantumKeeper m_qk;
    const sc_core::sc_simcontext &m_sim; // this core's simulation context
    std::function<void(CpuCore &)> m_program;
    CpuStats m_stats;
    // The counter of each kind of reference (Ref order).
    uint64_t *const m_ref_counter[3] = {&m_stats.fetches, &m_stats.loads, &m_stats.stores};
    tlm::tlm_generic_payload m_trans;
    MemExt m_ext;
    // Overlap mode: completion times (absolute ps) of the accesses in flight,
    // a ring of miss_slots() entries.
    bool m_overlap = false;
    bool m_functional = false;
    unsigned m_window_size = 1;
    std::vector<uint64_t> m_window;
    size_t m_window_head = 0, m_window_used = 0;
    uint64_t m_window_last = 0; // the latest completion in flight
    // Loads found not stale lately, by line (direct-mapped): the line, the
    // version it consumed and memory's write count then (check_load). While
    // that count stands, no version in memory has changed.
    struct Passed {
        uint64_t line = UINT64_MAX, version = 0, writes = 0;
    };
    static constexpr size_t kPassed = 256;
    std::vector<Passed> m_passed = std::vector<Passed>(kPassed);
    const unsigned m_line_shift = static_cast<unsigned>(__builtin_ctzll(~m_line_mask + 1));
};

} // namespace cmosim::models
