// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/flush_engine.h"

#include <algorithm>

#include <tlm_utils/tlm_quantumkeeper.h>

#include "cmosim/models/bug.h"
#include "cmosim/models/cache.h"
#include "cmosim/models/checker.h"
#include "cmosim/models/memory.h"

namespace cmosim::models {

using sc_core::sc_time;

namespace {
constexpr uint64_t kMinWakePs = 100000; // 100 ns
}

FlushEngine::FlushEngine(sc_core::sc_module_name name, const FlushEngineParams &p,
                         CoherentCaches caches, Memory &mem, Checker &checker)
    : sc_module(name), m_p(p), m_caches(caches), m_mem(mem), m_checker(checker) {
    SC_HAS_PROCESS(FlushEngine);
    SC_THREAD(walker);
}

uint64_t FlushEngine::walk_ps(uint64_t sets) const {
    double tags = static_cast<double>(sets * m_ways);
    return sc_time(tags / (m_p.tags_per_cycle * m_p.clock_ghz), sc_core::SC_NS).value();
}

uint64_t FlushEngine::position(uint64_t addr) const {
    return m_sets ? (*m_caches.slc)->tags().set_of(addr) : 0;
}

// The walk is one sequential machine: it examines the sets in order, and each
// copy it invalidates costs per_line on top. A set is done once its tags have
// been read and every copy found before and in it has been handled.
uint64_t FlushEngine::due(uint64_t set) const {
    return m_t0 + walk_ps(m_sets ? set + 1 : 0) + m_per_line * m_copies;
}

void FlushEngine::clean_line(uint64_t addr, uint64_t at_ps) {
    bool have_dirty = false;
    uint64_t version = 0;
    uint64_t copies = 0;
    auto one = [&](Cache &c) {
        TagStore &t = c.tags();
        int w = t.lookup(addr);
        if (w < 0)
            return;
        const Line &l = t.line(addr, w);
        // Top down: the first dirty copy is the newest (a private copy is
        // always at least as new as the SLC's).
        if (l.dirty && m_levels.write_back && !have_dirty) {
            have_dirty = true;
            version = l.version;
        } else if (l.dirty && !m_levels.write_back) {
            m_checker.report(EventKind::LostCpuWrite, at_ps, m_cpu, c.name(), addr,
                             "flush discarded a dirty line without write-back");
        }
        t.invalidate(addr, w);
        ++c.stats().lines_invalidated;
        ++copies;
    };
    if (m_levels.private_caches)
        for (const auto &lv : *m_caches.private_levels)
            for (Cache *c : lv)
                one(*c);
    if (*m_caches.slc && m_levels.slc)
        one(**m_caches.slc);
    m_copies += copies;
    m_out.lines_invalidated += copies;
    if (have_dirty) {
        int r = m_mem.decode(addr);
        CMOSIM_BUG_ON(r < 0);
        // Posted into memory's write queue when the engine finds the line.
        uint64_t done =
            m_mem.reserve_write(static_cast<size_t>(r), m_line, sc_time::from_value(at_ps)).value();
        m_wb_done = std::max(m_wb_done, done);
        m_mem.accept_writeback(addr, version, m_cpu, "flush engine write-back", at_ps);
        ++m_out.lines_written_back;
    }
}

const FlushEngine::Pending &FlushEngine::next_pending() const {
    if (m_next_found == m_found.size())
        return *m_filled.begin();
    if (m_filled.empty() || m_found[m_next_found] < *m_filled.begin())
        return m_found[m_next_found];
    return *m_filled.begin();
}

void FlushEngine::pop_pending() {
    if (m_next_found < m_found.size() &&
        (m_filled.empty() || m_found[m_next_found] < *m_filled.begin()))
        ++m_next_found;
    else
        m_filled.erase(m_filled.begin());
}

void FlushEngine::advance_to(uint64_t t_ps) {
    while (!pending_empty()) {
        auto [set, addr] = next_pending();
        uint64_t at = due(set);
        if (at > t_ps)
            break;
        pop_pending();
        clean_line(addr, at);
    }
}

void FlushEngine::note_fill(uint64_t addr, uint64_t t_ps) {
    if (!m_active)
        return;
    addr &= ~uint64_t(m_line - 1);
    if (!in_range(addr))
        return;
    advance_to(t_ps);
    uint64_t set = position(addr);
    // Not yet passed: an earlier line still waits, or the walk's time for the
    // set has not come.
    bool passed = t_ps >= due(set) && (pending_empty() || next_pending().first > set);
    if (passed)
        return;
    // Already waiting (found at the start, not reached yet)?
    const Pending key{set, addr};
    if (std::binary_search(m_found.begin() + static_cast<std::ptrdiff_t>(m_next_found),
                           m_found.end(), key))
        return;
    if (m_filled.insert(key).second)
        ++m_out.lines_refilled;
}

FlushOutcome FlushEngine::flush(uint64_t base, uint64_t len, bool all, const FlushLevels &levels,
                                int cpu) {
    while (m_active)
        sc_core::wait(m_done);
    Cache *slc = *m_caches.slc;
    m_line = slc ? slc->tags().line_bytes() : m_mem.store().line_bytes();
    m_base = all ? 0 : base;
    m_end = all || base + len < base ? UINT64_MAX : base + len;
    m_levels = levels;
    m_cpu = cpu;
    m_start_ps = sc_core::sc_time_stamp().value();
    m_t0 = m_start_ps + m_p.setup.value();
    m_per_line = m_p.per_line.value();
    m_sets = slc && levels.slc ? slc->tags().sets() : 0;
    m_ways = slc ? slc->tags().ways() : 0;
    m_copies = 0;
    m_wb_done = m_t0;
    m_out = FlushOutcome{};
    m_out.tags_walked = m_sets * m_ways;
    m_found.clear();
    m_next_found = 0;
    m_filled.clear();
    // What the walk will find as things stand; lines filled later into sets
    // it has not reached are added by note_fill().
    auto collect = [&](Cache &c) {
        for_each_resident(c, m_base, m_end - m_base,
                          [&](uint64_t a, Line &) { m_found.emplace_back(position(a), a); });
    };
    if (levels.private_caches)
        for (const auto &lv : *m_caches.private_levels)
            for (Cache *c : lv)
                collect(*c);
    if (slc && levels.slc)
        collect(*slc);
    std::sort(m_found.begin(), m_found.end());
    m_found.erase(std::unique(m_found.begin(), m_found.end()), m_found.end());
    FlushOutcome result;
    m_result = &result;
    m_active = true;
    m_start.notify(sc_core::SC_ZERO_TIME);
    sc_core::wait(m_done);
    return result;
}

// Wakes once a quantum while walking (so that its write-backs are booked at
// most a quantum late, within memory's lookback), carries out what is due, and
// ends when the walk is over and every write-back has been accepted.
void FlushEngine::walker() {
    for (;;) {
        sc_core::wait(m_start);
        // At least once a quantum, and never more often than every 100 ns.
        const uint64_t quantum = std::max<uint64_t>(
            tlm_utils::tlm_quantumkeeper::get_global_quantum().value(), kMinWakePs);
        for (;;) {
            uint64_t now = sc_core::sc_time_stamp().value();
            advance_to(now);
            // The earliest the walk can end: every pending line costs at least
            // one copy.
            uint64_t end = walk_end() + m_per_line * pending_size();
            if (pending_empty() && now >= end)
                break;
            uint64_t next = std::min(std::max(end, now + 1), now + quantum);
            sc_core::wait(sc_time::from_value(next - now));
        }
        uint64_t now = sc_core::sc_time_stamp().value();
        if (m_wb_done > now)
            sc_core::wait(sc_time::from_value(m_wb_done - now));
        m_out.duration = sc_time::from_value(sc_core::sc_time_stamp().value() - m_start_ps);
        *m_result = m_out; // before a waiting caller can program the next flush
        m_active = false;
        m_done.notify(sc_core::SC_ZERO_TIME);
    }
}

} // namespace cmosim::models
