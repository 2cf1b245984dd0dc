// SPDX-License-Identifier: Apache-2.0
// A replay step: a trace's records through one CPU's caches, counted as
// cachegrind counts them. The loop over the records is the hot path of a
// replay: it reads each record's LineRefs word (worked out by the reading
// threads) and hands runs of them to CpuCore::HotHits, which serves the L1
// hits in bulk; a miss goes through CpuCore::reference, and what is rare (a
// record across lines, an address outside every region) is kept out of line.
#include "run/step_runner.h"

#include <algorithm>
#include <cstdio>

namespace cmosim::sim {

using sc_core::sc_time;

namespace {

using Ref = mdl::CpuCore::Ref;

// A record's kind by its LineRefs code (I, L, S, M): the reference it makes,
// and where its three counts start in CgCounts order (I: Ir, L and M: Dr,
// S: Dw). M is one read whose line becomes dirty: a store to the core.
constexpr Ref kCodeRefs[4] = {Ref::Fetch, Ref::Load, Ref::Store, Ref::Store};
constexpr unsigned kCodeCounts[4] = {0, 3, 6, 3};
// CpuCore::HotHits::serve_run reads words as LineRefs writes them.
static_assert(LineRefs::kCode == 7 && LineRefs::kSlow == 4, "a word: line | code");

// One replay step's records through one core: the mapping, the regions and
// the counts of a batch (cachegrind's nine, CgCounts order).
class RecordLoop {
public:
    // `refs`: the mapping and line size the reading threads worked the
    // words out with.
    RecordLoop(mdl::CpuCore &core, const Step &st, const mdl::Memory &memory, const LineRefs &refs)
        : m_core(core), m_st(st), m_memory(memory), m_refs(refs), m_lb(refs.line_bytes),
          m_gap(core.cycle() * static_cast<double>(st.gap)) {}

    // Records [from, to) of a batch, with their LineRefs words; false at a
    // record outside every region (*bad: its index, *bad_addr: the address).
    bool run(const TraceRecord *recs, const uint64_t *refs, size_t from, size_t to, size_t *bad,
             uint64_t *bad_addr) {
        const bool gap = m_st.gap != 0 && !m_core.functional();
        // Hits on the first levels' hot lines, served in bulk (not with a
        // gap, which the core spends after every record).
        mdl::CpuCore::HotHits hot(m_core, kCodeRefs);
        if (gap)
            hot.flush();
        for (size_t i = from; i < to; ++i) {
            if (!gap) {
                // The run of hot hits from here, then the record after it.
                uint64_t served[4] = {0, 0, 0, 0};
                i = hot.serve_run(
                    i, to, [refs](size_t j) { return refs[j]; }, served);
                for (unsigned c = 0; c < 4; ++c)
                    m_acc[kCodeCounts[c]] += served[c];
                if (i == to)
                    break;
            }
            // A record the bulk hits left: a miss, one they may not serve,
            // or one whose word says to look at the record itself (it spans
            // lines, or lies outside every region). Its kind is in the word
            // either way.
            const uint64_t w = refs[i];
            const unsigned code = static_cast<unsigned>(w & 3);
            unsigned l1_miss, ll_miss;
            hot.flush();
            if (__builtin_expect((w & LineRefs::kSlow) == 0, 1)) {
                const mdl::Level lv = m_core.reference(kCodeRefs[code], w & ~LineRefs::kCode);
                // Level order: L1I, L1D, then the levels below.
                l1_miss = static_cast<unsigned>(lv) > static_cast<unsigned>(mdl::Level::L1D);
                ll_miss = lv == mdl::Level::Memory;
            } else if (!record(recs[i], kCodeRefs[code], &l1_miss, &ll_miss, bad_addr)) {
                *bad = i;
                return false;
            }
            if (!gap)
                hot.open();
            const unsigned counts = kCodeCounts[code];
            m_acc[counts] += 1;
            m_acc[counts + 1] += l1_miss;
            m_acc[counts + 2] += ll_miss;
            if (gap)
                m_core.advance(m_gap);
        }
        return true;
    }

    // The counts so far added to `to`, and started again.
    void add_counts(CgCounts &to) {
        const uint64_t *a = m_acc;
        to += CgCounts{a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]};
        std::fill(m_acc, m_acc + 9, uint64_t(0));
    }

private:
    // Whether the region of the last line replayed (most lines fall in the
    // same one) can become the one holding a.
    bool find_region(uint64_t a) {
        const int r = m_memory.decode(a);
        if (r < 0)
            return false;
        m_region_lo = m_memory.regions()[static_cast<size_t>(r)].base;
        m_region_len = m_memory.regions()[static_cast<size_t>(r)].size;
        return true;
    }

    // A record whose word says to look at it: it spans several lines, or
    // its line lies outside every region. Each line's reference; if any of
    // them misses the L1, the lines that hit are read from the level below
    // as well (cachegrind sends a reference that misses its L1 to the next
    // level whole), each right after its own reference, so the level below
    // sees the record's lines in their order, as cachegrind's does (it
    // matters where two of them share a set: a fully associative LL). Which
    // will miss is known before any is referenced: a fill can only push out
    // a later line of the record after an earlier one missed. False at a
    // line outside every region.
    __attribute__((noinline)) bool record(const TraceRecord &t, Ref ref, unsigned *l1, unsigned *ll,
                                          uint64_t *bad_addr) {
        const uint64_t addr = m_refs.map(t.addr);
        const uint64_t first = addr & ~(m_lb - 1);
        const uint64_t last = (addr + t.size - 1) & ~(m_lb - 1);
        bool whole_below = false; // some line will miss the L1
        for (uint64_t a = first; first != last && !whole_below; a += m_lb) {
            whole_below = !m_core.first_level_holds(ref, a);
            if (a == last)
                break;
        }
        bool l1_miss = false, ll_miss = false;
        for (uint64_t a = first;; a += m_lb) {
            if (a - m_region_lo >= m_region_len && !find_region(a)) {
                *bad_addr = a;
                return false;
            }
            const mdl::Level lv = m_core.reference(ref, a);
            const bool hit = lv == mdl::Level::L1I || lv == mdl::Level::L1D;
            l1_miss |= !hit;
            ll_miss |= lv == mdl::Level::Memory;
            if (hit && whole_below)
                ll_miss |= m_core.read_below_l1(a, ref == Ref::Fetch) == mdl::Level::Memory;
            if (a == last)
                break;
        }
        *l1 = l1_miss;
        *ll = ll_miss;
        return true;
    }

    mdl::CpuCore &m_core;
    const Step &m_st;
    const mdl::Memory &m_memory;
    const LineRefs &m_refs;
    const uint64_t m_lb;
    const sc_time m_gap;
    uint64_t m_region_lo = 0, m_region_len = 0;
    uint64_t m_acc[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
};

} // namespace

// Each record is one reference of its kind, whatever number of lines it
// touches; it misses a level if any of its lines does (cachegrind's rule).
// L1 hit: the L1 served it; LL miss: memory served it. The first st.warmup
// records, or with st.has_warmup_until those before the first I record at
// st.warmup_until (the trace's address, before map:), run functionally
// (CpuCore::set_functional: the same state changes, no simulated time),
// counted in wc and warm_records; the rest are timed.
bool StepRunner::replay(mdl::CpuCore &core, const Step &st, CgCounts &c, uint64_t &records,
                        CgCounts &wc, uint64_t &warm_records, bool &marker_found) {
    const unsigned id = core.id();
    constexpr size_t kBatch = 4096;
    // The reading threads work out each record's line and kind (LineRefs).
    LineRefs refs_of;
    refs_of.line_bytes = static_cast<unsigned>(m.s.platform.line_bytes);
    refs_of.map_from = st.map_from;
    refs_of.map_size = st.map_size;
    refs_of.map_to = st.map_to;
    for (const mdl::RegionParams &r : m.platform.memory->regions())
        refs_of.regions.emplace_back(r.base, r.size);
    try {
        m_reader = std::make_unique<TracePrefetcher>(st.trace, refs_of);
    } catch (const TraceError &e) {
        bad_input(e.what());
        return false;
    }
    RecordLoop loop(core, st, *m.platform.memory, refs_of);
    uint64_t left = st.limit ? st.limit : UINT64_MAX;
    uint64_t warm_left = st.warmup;
    bool before_marker = st.has_warmup_until; // warming until the marker's record
    while (left > 0) {
        size_t n = 0;
        const TraceRecord *batch = nullptr;
        const uint64_t *refs = nullptr;
        uint64_t line_base = 0; // a record's line in the file: its `line` plus this
        try {
            n = m_reader->next(&batch, &refs, &line_base,
                               left < kBatch ? static_cast<size_t>(left) : kBatch);
        } catch (const TraceError &e) {
            bad_input(e.what());
            return false;
        }
        if (n == 0)
            break;
        left -= n;
        m.run.grow(n);
        if (!m.run.charge(id, n, "replayed trace records")) {
            m_reader.reset();
            m.run.set_state(id, CpuActivity::State::Halted);
            m.run.halt();
            return false;
        }
        size_t functional_end = warm_left < n ? static_cast<size_t>(warm_left) : n;
        if (before_marker) {
            functional_end = n;
            for (size_t i = 0; i < n; ++i)
                if (batch[i].kind == 'I' && batch[i].addr == st.warmup_until) {
                    functional_end = i;
                    before_marker = false;
                    marker_found = true;
                    break;
                }
        }
        size_t bad = 0;
        uint64_t bad_addr = 0;
        bool ok = true;
        if (functional_end > 0) {
            core.set_functional(true);
            ok = loop.run(batch, refs, 0, functional_end, &bad, &bad_addr);
            core.set_functional(false);
            loop.add_counts(wc);
        }
        if (ok && functional_end < n) {
            ok = loop.run(batch, refs, functional_end, n, &bad, &bad_addr);
            loop.add_counts(c);
        }
        if (!ok) {
            char where[64];
            std::snprintf(where, sizeof where, "address 0x%llx",
                          static_cast<unsigned long long>(bad_addr));
            bad_input(st.trace + ":" + std::to_string(batch[bad].line + line_base) +
                      ": expected an address inside a memory region (add one, "
                      "or relocate with map:), found " +
                      where);
            return false;
        }
        warm_left -= std::min<uint64_t>(warm_left, functional_end);
        warm_records += functional_end;
        records += n - functional_end;
    }
    m_reader.reset();
    return true;
}

} // namespace cmosim::sim
