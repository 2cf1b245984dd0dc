// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/home_node.h"

#include <algorithm>
#include <utility>

#include "cmosim/models/bug.h"

namespace cmosim::models {

using sc_core::sc_time;

HomeNode::HomeNode(sc_core::sc_module_name name, Memory &mem, Checker &checker,
                   const HomeNodeParams &p)
    : sc_module(name), cpu_side("cpu_side"), mem_side("mem_side"), m_mem(mem), m_checker(checker),
      m_p(p), m_engine("flush_engine", p.flush, CoherentCaches{&m_private, &m_slc}, mem, checker) {
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
    if (trans.get_command() != tlm::TLM_READ_COMMAND) {
        // Write-backs are posted into the SLC's write buffer, no request slot.
        mem_side->b_transport(trans, delay);
        return;
    }
    const uint64_t now = static_cast<uint64_t>(sc_core::sc_time_stamp().value());
    const uint64_t at = now + static_cast<uint64_t>(delay.value());
    if (m_private.size() > 1)
        snoop_others(static_cast<unsigned>(port), trans.get_address(), ext->for_store, delay);
    mem_side->b_transport(trans, delay);
    if (m_timed && m_slc_slots.size() > 0 && slots_can_run_out()) {
        // The read holds its slot from arrival until its data returns; with
        // every slot busy it starts when one has room for it.
        const uint64_t held = now + static_cast<uint64_t>(delay.value()) - at;
        const uint64_t start = m_slc_slots.book(at, held);
        delay += sc_time::from_value(start - at);
        m_slc_slots.forget(now); // no read arrives before the kernel's time
    }
    if (m_engine.active())
        m_engine.note_fill(trans.get_address(), at);
}

// The cores together never have more reads in flight than their miss slots:
// when those add up to no more than the SLC's slots, no read can wait for one
// and the booking is skipped (the default platform: 4 x 16 = 64).
bool HomeNode::slots_can_run_out() {
    if (m_slots_checked)
        return m_slots_can_run_out;
    uint64_t most = 0;
    for (unsigned c = 0; c < m_private.size(); ++c)
        most += outstanding_to_poc(c);
    m_slots_checked = true;
    m_slots_can_run_out = most > m_slc_slots.size();
    return m_slots_can_run_out;
}

void HomeNode::device_op(DeviceOp op, uint64_t base, uint64_t len) {
    observe(static_cast<uint64_t>(sc_core::sc_time_stamp().value()));
    m_mem.device_op(op, base, len);
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
    m_slc_slots = SlotPool(slc->params().outstanding);
    for (auto &levels : m_private)
        for (Cache *c : levels)
            m_slc->add_upper(c);
}

void HomeNode::count_cmo(unsigned cpu, CmoOp kind, uint64_t lines) {
    const CmoOp op = kind;
    for (Cache *c : m_private[cpu])
        c->stats().cmo_of(op) += lines;
    if (m_slc)
        m_slc->stats().cmo_of(op) += lines;
}

unsigned HomeNode::outstanding_to_poc(unsigned cpu) const {
    unsigned n = UINT32_MAX;
    for (Cache *c : m_private[cpu])
        if (c->params().level != Level::L1I) // data accesses and DC operations never pass it
            n = std::min(n, c->params().outstanding);
    if (m_slc)
        n = std::min(n, m_slc->params().outstanding);
    return n;
}

bool HomeNode::maintain_to_poc(uint64_t addr, CmoOp kind, unsigned cpu, sc_time &delay,
                               const FlushLevels &levels) {
    if (m_engine.active())
        observe(static_cast<uint64_t>((sc_core::sc_time_stamp() + delay).value()));
    bool clean = cmo_cleans(kind);
    bool inval = cmo_invalidates(kind);
    bool found = false;
    const CmoOp op = kind;
    auto one = [&](Cache *c) {
        if (!clean)
            report_discarded(*c, addr, static_cast<int>(cpu), "DC IVAC discarded a dirty line");
        return c->maintain_line(addr, clean, inval, delay, cpu);
    };
    for (unsigned other = 0; other < m_private.size() && levels.private_caches; ++other)
        for (Cache *c : m_private[other]) {
            bool here = one(c);
            found |= here;
            // The issuing core's levels and the SLC see every operation of the
            // loop (counted by count_cmo); another core's level only those the
            // snoop filter forwards, for lines it holds.
            if (here && other != cpu)
                ++c->stats().cmo_of(op);
        }
    if (m_slc && levels.slc)
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
    observe(now);
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
