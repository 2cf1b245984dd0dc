// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/home_node.h"

#include <algorithm>
#include <utility>

#include "cmosim/models/bug.h"

namespace cmosim::models {

using sc_core::sc_time;

const char *cmo_name(CmoKind k) {
    switch (k) {
    case CmoKind::CleanInvalidate:
        return "dc_civac";
    case CmoKind::Clean:
        return "dc_cvac";
    case CmoKind::Invalidate:
        return "dc_ivac";
    }
    return "?";
}

namespace {

uint64_t range_end(uint64_t base, uint64_t len) {
    return base + len < base ? UINT64_MAX : base + len;
}

// Calls f(addr, line) for each line of [base, base + len) resident in `c`,
// choosing whichever is smaller: the range line by line, or the tag array.
template <class F> void for_each_resident(Cache &c, uint64_t base, uint64_t len, F &&f) {
    TagStore &t = c.tags();
    uint64_t end = range_end(base, len);
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

} // namespace

HomeNode::HomeNode(sc_core::sc_module_name name, Memory &mem, Checker &checker,
                   const HomeNodeParams &p)
    : sc_module(name), cpu_side("cpu_side"), mem_side("mem_side"), m_mem(mem), m_checker(checker),
      m_p(p) {
    cpu_side.register_b_transport(this, &HomeNode::b_transport);
}

void HomeNode::snoop_others(unsigned cpu, uint64_t addr, bool invalidate, sc_time &delay) {
    for (unsigned other = 0; other < m_private.size(); ++other) {
        if (other == cpu)
            continue;
        bool found = false;
        for (Cache *c : m_private[other]) {
            TagStore &t = c->tags();
            int w = t.lookup(addr);
            if (w < 0)
                continue;
            found = true;
            if (t.line(addr, w).dirty)
                ++m_stats.snoop_writebacks;
            // Top down: a dirty L1 copy lands in L2 first and leaves with it.
            c->maintain_line(addr, true, invalidate, delay, other);
            if (invalidate)
                ++m_stats.snoop_invalidations;
        }
        if (found) {
            ++m_stats.snoops;
            delay += m_p.snoop_latency;
        }
    }
}

void HomeNode::claim(unsigned cpu, uint64_t addr, sc_time &delay) {
    if (m_private.size() > 1)
        snoop_others(cpu, addr, true, delay);
}

void HomeNode::b_transport(int port, tlm::tlm_generic_payload &trans, sc_time &delay) {
    MemExt *ext = trans.get_extension<MemExt>();
    CMOSIM_BUG_ON(ext == nullptr);
    if (trans.get_command() == tlm::TLM_READ_COMMAND && m_private.size() > 1)
        snoop_others(static_cast<unsigned>(port), trans.get_address(), ext->for_store, delay);
    mem_side->b_transport(trans, delay);
}

void HomeNode::add_cpu(std::vector<Cache *> private_levels) {
    // Each private level is above the next one of the same core, and every
    // private level is above the SLC.
    for (size_t i = 0; i < private_levels.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            private_levels[i]->add_upper(private_levels[j]);
    if (m_slc)
        for (Cache *c : private_levels)
            m_slc->add_upper(c);
    m_private.push_back(std::move(private_levels));
}

void HomeNode::set_slc(Cache *slc) {
    m_slc = slc;
    for (auto &levels : m_private)
        for (Cache *c : levels)
            m_slc->add_upper(c);
}

CmoOp HomeNode::cmo_op(CmoKind kind) {
    switch (kind) {
    case CmoKind::CleanInvalidate:
        return CmoOp::DcCivac;
    case CmoKind::Clean:
        return CmoOp::DcCvac;
    case CmoKind::Invalidate:
        return CmoOp::DcIvac;
    }
    return CmoOp::DcCivac;
}

void HomeNode::count_cmo(unsigned cpu, CmoKind kind, uint64_t lines) {
    CmoOp op = cmo_op(kind);
    for (Cache *c : m_private[cpu])
        c->stats().cmo_of(op) += lines;
    if (m_slc)
        m_slc->stats().cmo_of(op) += lines;
}

unsigned HomeNode::outstanding_to_poc(unsigned cpu) const {
    unsigned n = UINT32_MAX;
    for (Cache *c : m_private[cpu])
        n = std::min(n, c->params().outstanding);
    if (m_slc)
        n = std::min(n, m_slc->params().outstanding);
    return n;
}

bool HomeNode::maintain_to_poc(uint64_t addr, CmoKind kind, unsigned cpu, sc_time &delay) {
    bool clean = kind != CmoKind::Invalidate;
    bool inval = kind != CmoKind::Clean;
    bool found = false;
    CmoOp op = cmo_op(kind);
    auto one = [&](Cache *c) {
        if (!clean)
            report_discarded(*c, addr, static_cast<int>(cpu), "DC IVAC discarded a dirty line");
        return c->maintain_line(addr, clean, inval, delay, cpu);
    };
    for (unsigned other = 0; other < m_private.size(); ++other)
        for (Cache *c : m_private[other]) {
            bool here = one(c);
            found |= here;
            // The issuing core's levels and the SLC see every operation of the
            // loop (counted by count_cmo); another core's level only those the
            // snoop filter forwards, for lines it holds.
            if (here && other != cpu)
                ++c->stats().cmo_of(op);
        }
    if (m_slc)
        found |= one(m_slc);
    return found;
}

std::vector<uint64_t> HomeNode::resident_lines(uint64_t base, uint64_t len) const {
    std::vector<uint64_t> out;
    auto collect = [&](Cache *c) {
        for_each_resident(*c, base, len, [&](uint64_t a, Line &) { out.push_back(a); });
    };
    for (auto &levels : m_private)
        for (Cache *c : levels)
            collect(c);
    if (m_slc)
        collect(m_slc);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

FlushOutcome HomeNode::flush(uint64_t base, uint64_t len, bool all, const FlushLevels &levels,
                             sc_time start, int cpu) {
    FlushOutcome out;
    if (all) {
        base = 0;
        len = UINT64_MAX;
    }
    // The newest dirty copy of each line is the one to write back: a private
    // copy is always at least as new as the SLC's, and private caches are swept
    // first, so the first entry of each address after a stable sort wins.
    std::vector<std::pair<uint64_t, uint64_t>> dirty;
    auto sweep = [&](Cache &c) {
        for_each_resident(c, base, len, [&](uint64_t a, Line &l) {
            if (l.dirty && levels.write_back)
                dirty.emplace_back(a, l.version);
            else if (l.dirty)
                m_checker.report(EventKind::LostCpuWrite,
                                 static_cast<uint64_t>(sc_core::sc_time_stamp().value()), cpu,
                                 c.name(), a, "flush discarded a dirty line without write-back");
            int w = c.tags().lookup(a);
            c.tags().invalidate(a, w);
            ++c.stats().lines_invalidated;
            ++out.lines_invalidated;
        });
    };
    if (levels.private_caches)
        for (auto &lv : m_private)
            for (Cache *c : lv)
                sweep(*c);
    if (m_slc && levels.slc) {
        out.tags_walked = m_slc->tags().sets() * m_slc->tags().ways();
        sweep(*m_slc);
    }

    sc_time t0 = start + m_p.flush.setup;
    sc_time walk(static_cast<double>(out.tags_walked) /
                     (m_p.flush.tags_per_cycle * m_p.flush.clock_ghz),
                 sc_core::SC_NS);
    sc_time engine_done =
        t0 + walk + m_p.flush.per_line * static_cast<double>(out.lines_invalidated);
    sc_time wb_done = t0;
    std::stable_sort(dirty.begin(), dirty.end(),
                     [](const auto &x, const auto &y) { return x.first < y.first; });
    dirty.erase(std::unique(dirty.begin(), dirty.end(),
                            [](const auto &x, const auto &y) { return x.first == y.first; }),
                dirty.end());
    for (auto &[addr, version] : dirty) {
        int r = m_mem.decode(addr);
        CMOSIM_BUG_ON(r < 0);
        wb_done = std::max(wb_done, m_mem.reserve_write(static_cast<size_t>(r), line_bytes(), t0));
        m_mem.accept_writeback(addr, version, cpu, "flush engine write-back");
        ++out.lines_written_back;
    }
    out.duration = std::max(engine_done, wb_done) - start;
    return out;
}

void HomeNode::report_discarded(Cache &c, uint64_t addr, int cpu, const char *cause) {
    int w = c.tags().lookup(addr);
    if (w >= 0 && c.tags().line(addr, w).dirty)
        m_checker.report(EventKind::LostCpuWrite,
                         static_cast<uint64_t>(sc_core::sc_time_stamp().value()), cpu, c.name(),
                         c.tags().line_addr(addr), cause);
}

uint64_t HomeNode::audit(uint64_t base, uint64_t len, int cpu, const char *cause) {
    uint64_t n = 0;
    uint64_t now = static_cast<uint64_t>(sc_core::sc_time_stamp().value());
    auto check = [&](Cache &c) {
        for_each_resident(c, base, len, [&](uint64_t a, Line &) {
            m_checker.report(EventKind::ResidualLine, now, cpu, c.name(), a, cause);
            ++n;
        });
    };
    for (auto &lv : m_private)
        for (Cache *c : lv)
            check(*c);
    if (m_slc)
        check(*m_slc);
    return n;
}

} // namespace cmosim::models
