// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/cpu_core.h"

#include "cmosim/models/bug.h"

namespace cmosim::models {

using sc_core::sc_time;

CpuCore::CpuCore(sc_core::sc_module_name name, unsigned id, const CpuParams &p, Cache &l1d,
                 HomeNode &home, Checker &checker)
    : sc_module(name), mem_side("mem_side"), ifetch_side("ifetch_side"), m_id(id), m_p(p),
      m_cycle(1.0 / p.clock_ghz, sc_core::SC_NS), m_access_time(m_cycle * p.access_cycles),
      m_l1d(l1d), m_home(home), m_checker(checker) {
    m_qk.reset();
    m_trans.set_data_length(l1d.tags().line_bytes());
    m_trans.set_streaming_width(l1d.tags().line_bytes());
    m_ext.cpu = id;
    SC_HAS_PROCESS(CpuCore);
    SC_THREAD(run);
}

void CpuCore::run() {
    if (m_program)
        m_program(*this);
    sync();
}

void CpuCore::sync() {
    if (m_qk.get_local_time() != sc_core::SC_ZERO_TIME)
        m_qk.sync();
}

void CpuCore::consume(sc_time t) {
    m_qk.inc(t);
    sync();
}

uint64_t CpuCore::access(uint64_t addr, bool for_store, bool ifetch) {
    uint64_t line = m_l1d.tags().line_addr(addr);
    sc_time delay = m_qk.get_local_time() + m_access_time;
    m_ext.for_store = for_store;
    m_ext.version = 0;
    m_trans.set_command(tlm::TLM_READ_COMMAND);
    m_trans.set_address(line);
    m_trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    m_trans.set_extension(&m_ext);
    if (ifetch && ifetch_side.size() > 0)
        ifetch_side->b_transport(m_trans, delay);
    else
        mem_side->b_transport(m_trans, delay);
    m_trans.clear_extension(&m_ext);
    CMOSIM_BUG_ON(m_trans.get_response_status() != tlm::TLM_OK_RESPONSE);
    if (for_store) {
        m_home.claim(m_id, line, delay);
        // Written before the core may yield below: another core's store to
        // the same line could otherwise claim it away first.
        m_l1d.mark_written(line, m_home.memory().store().next_stamp());
    }
    m_qk.set(delay);
    if (m_qk.need_sync())
        m_qk.sync();
    return line;
}

void CpuCore::load(uint64_t addr) {
    uint64_t line = access(addr, false);
    ++m_stats.loads;
    // The program consumed data of version m_ext.version; memory holds newer
    // data when the device wrote behind the caches' back.
    if (m_ext.served_by != Level::Memory &&
        m_ext.version < m_home.memory().store().version(line)) {
        ++m_stats.stale_reads;
        m_checker.report(EventKind::StaleRead, static_cast<uint64_t>(local_time().value()),
                         static_cast<int>(m_id), level_name(m_ext.served_by), line,
                         "load served by a cached copy older than device memory");
    }
}

void CpuCore::store(uint64_t addr) {
    access(addr, true);
    ++m_stats.stores;
}

void CpuCore::fetch(uint64_t addr) {
    access(addr, false, true);
    ++m_stats.fetches;
}

Level CpuCore::read_below_l1(uint64_t addr, bool ifetch) {
    m_ext.skip_first_level = true;
    access(addr, false, ifetch);
    return m_ext.served_by;
}

void CpuCore::advance(sc_time t) {
    m_qk.inc(t);
    if (m_qk.need_sync())
        m_qk.sync();
}

void CpuCore::load_range(uint64_t base, uint64_t len) {
    unsigned lb = m_l1d.tags().line_bytes();
    for (uint64_t a = base & ~uint64_t(lb - 1); a < base + len; a += lb)
        load(a);
}

void CpuCore::store_range(uint64_t base, uint64_t len) {
    unsigned lb = m_l1d.tags().line_bytes();
    for (uint64_t a = base & ~uint64_t(lb - 1); a < base + len; a += lb)
        store(a);
}

sc_time CpuCore::latency_to_poc() const {
    sc_time t;
    for (Cache *c : m_home.private_levels(m_id))
        if (c->params().level != Level::L1I) // data maintenance never looks there
            t += c->params().hit_latency;
    if (m_home.slc())
        t += m_home.slc()->params().hit_latency;
    return t;
}

// A core keeps cmo_outstanding maintenance operations in flight, each taking
// the lookup latency down to the PoC: one issues every latency/outstanding.
sc_time CpuCore::issue_interval() const {
    sc_time t = latency_to_poc() / static_cast<double>(m_p.cmo_outstanding);
    return t > m_cycle ? t : m_cycle;
}

CmoLoopResult CpuCore::cmo_range(CmoKind kind, uint64_t base, uint64_t len) {
    CmoLoopResult r;
    unsigned lb = m_home.line_bytes();
    uint64_t first = base & ~uint64_t(lb - 1);
    uint64_t end = base + len < base ? UINT64_MAX : base + len;
    r.lines = (end - first) / lb + ((end - first) % lb != 0); // no overflow at 2^64 - 1
    sc_time start = local_time();
    // Empty lines cost exactly one issue slot each: account them in one product.
    uint64_t issue_ps = issue_interval().value();
    sc_time total = sc_time::from_value(r.lines * issue_ps);
    for (uint64_t a : m_home.resident_lines(base, len)) {
        sc_time wb;
        m_home.maintain_to_poc(a, kind, m_id, wb);
        total += wb;
        ++r.resident;
    }
    total += latency_to_poc(); // DSB: wait for the last operations to complete
    m_qk.inc(total);
    sync();
    r.duration = local_time() - start;
    m_stats.cmo_lines += r.lines;
    m_stats.cmo_resident += r.resident;
    return r;
}

CmoLoopResult CpuCore::cmo_range_linewise(CmoKind kind, uint64_t base, uint64_t len) {
    CmoLoopResult r;
    unsigned lb = m_home.line_bytes();
    uint64_t first = base & ~uint64_t(lb - 1);
    uint64_t end = base + len;
    sc_time start = local_time();
    sc_time issue = issue_interval();
    sc_time total;
    for (uint64_t a = first; a < end; a += lb) {
        total += issue;
        ++r.lines;
        sc_time wb;
        if (!m_home.resident_lines(a, lb).empty()) {
            m_home.maintain_to_poc(a, kind, m_id, wb);
            ++r.resident;
        }
        total += wb;
    }
    total += latency_to_poc();
    m_qk.inc(total);
    sync();
    r.duration = local_time() - start;
    m_stats.cmo_lines += r.lines;
    m_stats.cmo_resident += r.resident;
    return r;
}

sc_time CpuCore::set_way(CmoKind kind) {
    bool clean = kind != CmoKind::Invalidate;
    bool inval = kind != CmoKind::Clean;
    sc_time start = local_time();
    sc_time total;
    // Set/way reaches only this core's architected levels; the SLC sits behind
    // the home node and is not reachable this way.
    for (Cache *c : m_home.private_levels(m_id)) {
        if (c->params().level == Level::L1I) // DC set/way reaches data and unified caches
            continue;
        TagStore &t = c->tags();
        uint64_t ops = t.sets() * t.ways();
        total += m_cycle * static_cast<double>(ops * m_p.setway_cycles);
        m_stats.setway_ops += ops;
        t.for_each_valid([&](uint64_t a, Line &, uint64_t, unsigned) {
            if (!clean)
                m_home.report_discarded(*c, a, static_cast<int>(m_id),
                                        "DC ISW discarded a dirty line");
            sc_time wb;
            c->maintain_line(a, clean, inval, wb, m_id);
            total += wb;
        });
    }
    m_qk.inc(total);
    sync();
    return local_time() - start;
}

} // namespace cmosim::models
