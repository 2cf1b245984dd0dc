// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/cpu_core.h"

#include <algorithm>

#include "cmosim/models/bug.h"

namespace cmosim::models {

using sc_core::sc_time;

namespace {
// n issue slots of slot_ps each. A loop over most of the 64-bit address space
// would last longer than sc_time counts (2^64 ps, 213 days): saturate at half
// of that (room for the DSB) instead of wrapping.
sc_time slots(uint64_t n, uint64_t slot_ps) {
    uint64_t ps;
    if (__builtin_mul_overflow(n, slot_ps, &ps) || ps > UINT64_MAX / 2)
        ps = UINT64_MAX / 2;
    return sc_time::from_value(ps);
}

// n cycles at the clock, rounded once (3 cycles at 3 GHz are 1000 ps, not
// three times 333 ps).
sc_time cycles(unsigned n, double clock_ghz) {
    return sc_time(static_cast<double>(n) / clock_ghz, sc_core::SC_NS);
}
} // namespace

CpuCore::CpuCore(sc_core::sc_module_name name, unsigned id, const CpuParams &p, Cache &l1d,
                 HomeNode &home, Checker &checker)
    : sc_module(name), mem_side("mem_side"), ifetch_side("ifetch_side"), m_id(id), m_p(p),
      m_cycle(1.0 / p.clock_ghz, sc_core::SC_NS),
      m_access_time(cycles(p.access_cycles, p.clock_ghz)),
      m_setway_ps(static_cast<uint64_t>(cycles(p.setway_cycles, p.clock_ghz).value())), m_l1d(l1d),
      m_line_mask(~uint64_t(l1d.tags().line_bytes() - 1)), m_home(home),
      m_engine(home.flush_engine()), m_store(home.memory().store()), m_checker(checker),
      m_sim(*sc_core::sc_get_curr_simcontext()), m_window(1, 0) {
    m_qk.reset();
    m_trans.set_data_length(l1d.tags().line_bytes());
    m_trans.set_streaming_width(l1d.tags().line_bytes());
    m_ext.cpu = id;
    m_trans.set_extension(&m_ext); // attached for the core's life
    SC_HAS_PROCESS(CpuCore);
    SC_THREAD(run);
}

CpuCore::~CpuCore() {
    m_trans.clear_extension(&m_ext);
}

void CpuCore::run() {
    m_window_size = std::max(1u, m_home.outstanding_to_poc(m_id));
    m_window.assign(m_window_size, 0);
    // The L1I is the one private level of its kind; without one bound, a
    // fetch goes where loads go.
    Cache *fetch_l1 = &m_l1d;
    if (ifetch_side.size() > 0) {
        fetch_l1 = nullptr;
        for (Cache *c : m_home.private_levels(m_id))
            if (c->params().level == Level::L1I)
                fetch_l1 = c;
    }
    m_first[static_cast<unsigned>(Ref::Fetch)] = fetch_l1;
    m_first[static_cast<unsigned>(Ref::Load)] = &m_l1d;
    m_first[static_cast<unsigned>(Ref::Store)] = &m_l1d;
    for (unsigned k = 0; k < 3; ++k)
        if (m_first[k])
            m_hit_time[k] = m_access_time + m_first[k]->params().hit_latency;
    m_snoops = m_home.cpus() > 1;
    for (unsigned k = 0; k < 3; ++k)
        m_hot_first[k] = k == static_cast<unsigned>(Ref::Store) && m_snoops ? nullptr : m_first[k];
    if (m_program)
        m_program(*this);
    sync();
}

void CpuCore::end_overlap() {
    m_overlap = false;
    if (m_window_used == 0)
        return;
    // Wait for the last access in flight.
    const uint64_t now = static_cast<uint64_t>(sc_core::sc_time_stamp().value());
    if (m_window_last > now + static_cast<uint64_t>(m_qk.get_local_time().value()))
        m_qk.set(sc_time::from_value(m_window_last - now));
    m_window_used = 0;
    m_window_head = 0;
    m_window_last = 0;
}

void CpuCore::sync() {
    if (m_window_used > 0) {
        bool overlap = m_overlap;
        end_overlap();
        m_overlap = overlap;
    }
    if (m_qk.get_local_time() != sc_core::SC_ZERO_TIME)
        m_qk.sync();
}

void CpuCore::consume(sc_time t) {
    m_qk.inc(t);
    sync();
}

void CpuCore::transport(uint64_t line, bool ifetch, sc_time &delay) {
    m_trans.set_command(tlm::TLM_READ_COMMAND);
    m_trans.set_address(line);
    m_trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    if (ifetch && ifetch_side.size() > 0)
        ifetch_side->b_transport(m_trans, delay);
    else
        mem_side->b_transport(m_trans, delay);
    CMOSIM_BUG_ON(m_trans.get_response_status() != tlm::TLM_OK_RESPONSE);
}

// The same requests as access() in the same order, so every cache, the
// snoops and the versioned store end as a timed access leaves them; the time
// they would take is dropped (the home node and memory book nothing while
// untimed). The flush engine, if walking, sees the access at the core's time.
uint64_t CpuCore::access_functional(uint64_t addr, bool for_store, bool ifetch) {
    const uint64_t line = m_l1d.tags().line_addr(addr);
    sc_time delay = m_qk.get_local_time();
    if (m_home.flush_engine().active())
        m_home.observe(static_cast<uint64_t>((m_sim.time_stamp() + delay).value()));
    m_ext.for_store = for_store;
    m_ext.version = 0;
    m_home.set_timed(false);
    serve(line, for_store, ifetch, delay);
    m_home.set_timed(true);
    return line;
}

void CpuCore::serve(uint64_t line, bool for_store, bool ifetch, sc_time &delay) {
    // A hit in the first level is served in place, as the L1's b_transport
    // would (Cache::read_hit); a miss, or a read meant for the level below,
    // travels over the socket.
    Cache *first = m_first[static_cast<unsigned>(ifetch ? Ref::Fetch : Ref::Load)];
    const bool probed = m_probe_missed;
    m_probe_missed = false;
    m_ext.first_level_missed = probed; // the L1 need not look again either
    if (probed || m_ext.skip_first_level || first == nullptr ||
        !first->read_hit(line, m_ext, delay))
        transport(line, ifetch, delay);
    m_ext.first_level_missed = false;
    if (for_store) {
        m_home.claim(m_id, line, delay);
        // Written before the core may yield: another core's store to the
        // same line could otherwise claim it away first.
        m_l1d.mark_written(line, m_home.memory().store().next_stamp());
    }
}

uint64_t CpuCore::access(uint64_t addr, bool for_store, bool ifetch) {
    if (m_functional)
        return access_functional(addr, for_store, ifetch);
    uint64_t line = m_l1d.tags().line_addr(addr);
    // The kernel's time, read only where it is needed (a blocking access on
    // its own does without it).
    const uint64_t now = m_overlap || m_home.flush_engine().active()
                             ? static_cast<uint64_t>(sc_core::sc_time_stamp().value())
                             : 0;
    sc_time issue = m_qk.get_local_time();
    if (m_overlap && m_window_used == m_window_size) {
        // Every miss slot busy: wait for the oldest access to complete.
        uint64_t oldest = m_window[m_window_head];
        if (oldest > now + static_cast<uint64_t>(issue.value()))
            issue = sc_time::from_value(oldest - now);
        m_window_head = (m_window_head + 1) % m_window_size;
        --m_window_used;
    }
    sc_time delay = issue + m_access_time;
    if (m_home.flush_engine().active())
        m_home.observe(now + static_cast<uint64_t>(delay.value()));
    m_ext.for_store = for_store;
    m_ext.version = 0;
    serve(line, for_store, ifetch, delay);
    if (m_overlap) {
        // In flight until delay; the core goes on one issue slot later.
        const uint64_t done = now + static_cast<uint64_t>(delay.value());
        m_window[(m_window_head + m_window_used) % m_window_size] = done;
        ++m_window_used;
        m_window_last = std::max(m_window_last, done);
        m_qk.set(issue + m_access_time);
    } else {
        m_qk.set(delay);
    }
    if (m_qk.need_sync_in(m_sim))
        m_qk.sync();
    return line;
}

CpuCore::HotHits::HotHits(CpuCore &core, const Ref (&codes)[4]) : m_core(core) {
    for (unsigned c = 0; c < 4; ++c) {
        m_code_kind[c] = static_cast<unsigned>(codes[c]);
        m_code_checks[c] = codes[c] == Ref::Load ? UINT64_MAX : 0;
        m_store_codes |= unsigned(codes[c] == Ref::Store) << c;
    }
    open();
}

void CpuCore::HotHits::open() {
    const CpuCore &c = m_core;
    m_spent = sc_time();
    m_checked = UINT64_MAX; // the first load's check finds what passed (m_passed)
    m_on = !(c.m_overlap | c.m_engine.active());
    for (unsigned k = 0; k < 3; ++k) {
        const Cache *first = c.m_hot_first[k];
        m_line[k] = m_on && first != nullptr ? first->tags().hot_line() : UINT64_MAX;
    }
    if (!m_on)
        return;
    const unsigned store = static_cast<unsigned>(Ref::Store);
    if (m_line[store] != UINT64_MAX)
        m_written = &c.m_hot_first[store]->tags().hot();
    for (unsigned code = 0; code < 4; ++code)
        m_code_time[code] = c.m_functional ? sc_time() : c.m_hit_time[m_code_kind[code]];
    m_room = c.m_functional ? c.m_forever : c.m_qk.room_in(c.m_sim);
}

bool CpuCore::HotHits::touch_and_check(unsigned c, uint64_t line) {
    const unsigned k = m_code_kind[c];
    const unsigned load = static_cast<unsigned>(Ref::Load);
    const unsigned store = static_cast<unsigned>(Ref::Store);
    if (line != m_line[k]) {
        Cache *first = m_core.m_hot_first[k];
        if (!m_on || first == nullptr || first->tags().lookup_touch(line, -1) < 0)
            return false;
        // Every kind this level is first for now hits `line` in place.
        for (unsigned j = 0; j < 3; ++j)
            if (m_core.m_hot_first[j] == first)
                m_line[j] = line;
        if (first == m_core.m_hot_first[store])
            m_written = &first->tags().hot();
        if (first == m_core.m_hot_first[load])
            m_checked = UINT64_MAX;
    }
    if (k == load && line != m_checked) {
        const uint64_t version = m_core.m_hot_first[load]->tags().hot().version;
        if (!m_core.passed(line, version)) {
            if (version < m_core.m_store.version(line))
                return false; // stale: reference() reports it
            m_core.remember_passed(line, version);
        }
        m_checked = line;
    }
    return true;
}

void CpuCore::HotHits::flush() {
    CpuCore &c = m_core;
    if (m_hits[0] + m_hits[1] + m_hits[2] != 0) {
        for (unsigned k = 0; k < 3; ++k)
            if (m_hits[k] != 0) {
                c.m_first[k]->stats().read_hits += m_hits[k];
                *c.m_ref_counter[k] += m_hits[k];
                m_hits[k] = 0;
            }
        c.m_qk.inc(m_spent);
        // The last reference's level; its version is read only by a load's
        // own stale check, which a later load redoes.
        const Cache &last = *c.m_first[m_last];
        c.m_ext.served_by = last.params().level;
        c.m_ext.version = last.tags().hot().version;
    }
    m_spent = sc_time();
    m_on = false;
    m_checked = UINT64_MAX;
    m_line[0] = m_line[1] = m_line[2] = UINT64_MAX;
}

void CpuCore::report_stale(uint64_t line) {
    ++m_stats.stale_reads;
    m_checker.report(EventKind::StaleRead, static_cast<uint64_t>(local_time().value()),
                     static_cast<int>(m_id), level_name(m_ext.served_by), line,
                     "load served by a cached copy older than device memory");
}

Level CpuCore::read_below_l1(uint64_t addr, bool ifetch) {
    m_ext.skip_first_level = true;
    access(addr, false, ifetch);
    return m_ext.served_by;
}

void CpuCore::advance(sc_time t) {
    m_qk.inc(t);
    if (m_qk.need_sync_in(m_sim))
        m_qk.sync();
}

void CpuCore::load_range(uint64_t base, uint64_t len) {
    unsigned lb = m_l1d.tags().line_bytes();
    bool was = m_overlap;
    begin_overlap();
    for (uint64_t a = base & ~uint64_t(lb - 1); a < base + len; a += lb)
        load(a);
    if (!was)
        end_overlap();
}

void CpuCore::store_range(uint64_t base, uint64_t len) {
    unsigned lb = m_l1d.tags().line_bytes();
    bool was = m_overlap;
    begin_overlap();
    for (uint64_t a = base & ~uint64_t(lb - 1); a < base + len; a += lb)
        store(a);
    if (!was)
        end_overlap();
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

// A core keeps cmo_outstanding maintenance operations in flight (fewer if a
// level on the way has fewer request slots), each taking the lookup latency
// down to the PoC: one issues every latency / in-flight.
sc_time CpuCore::cmo_issue_interval() const {
    unsigned inflight = std::min(m_p.cmo_outstanding, m_home.outstanding_to_poc(m_id));
    sc_time t = latency_to_poc() / static_cast<double>(inflight);
    return t > m_cycle ? t : m_cycle;
}

// The loop issues one DC operation per line every issue_interval(); line i of
// the range (0-based) issues at offset i x interval from the loop's start. A
// resident line's write-backs enter the memory's bandwidth queue at that
// moment and are posted: they do not hold up later issues. The DSB waits for
// the last lookup to reach the PoC and for the last write-back to be accepted,
// whichever is later. A burst of dirty lines therefore costs what the
// bandwidth queue says, once: each write-back's completion is an absolute
// time, and the loop ends at the latest of them.
sc_time CpuCore::cmo_line(CmoOp kind, uint64_t addr, sc_time issue_at, const FlushLevels &levels) {
    sc_time done = issue_at; // maintain_to_poc lets the flush engine catch up to it
    m_home.maintain_to_poc(addr, kind, m_id, done, levels);
    return done;
}

sc_time CpuCore::cmo_loop_time(uint64_t lines) const {
    return slots(lines, cmo_issue_interval().value()) + latency_to_poc();
}

sc_time CpuCore::cmo_finish(CmoOp kind, CmoLoopResult &r, sc_time start_offset, sc_time last_wb) {
    sc_time end = start_offset + cmo_loop_time(r.lines);
    if (last_wb > end)
        end = last_wb;
    sc_time started = local_time();
    m_qk.set(end);
    sync();
    r.duration = local_time() - started;
    m_stats.cmo_lines += r.lines;
    m_stats.cmo_resident += r.resident;
    m_home.count_cmo(m_id, kind, r.lines);
    return end;
}

CmoLoopResult CpuCore::cmo_range(CmoOp kind, uint64_t base, uint64_t len,
                                 const FlushLevels &levels) {
    CMOSIM_BUG_ON(cmo_by_set_way(kind));
    CmoLoopResult r;
    unsigned lb = m_home.line_bytes();
    uint64_t first = base & ~uint64_t(lb - 1);
    uint64_t end = base + len < base ? UINT64_MAX : base + len;
    r.lines = (end - first) / lb + ((end - first) % lb != 0); // no overflow at 2^64 - 1
    const sc_time issue = cmo_issue_interval();
    const uint64_t issue_ps = issue.value();
    const sc_time t0 = m_qk.get_local_time();
    // Empty lines cost exactly one issue slot each and touch nothing: only the
    // resident ones are visited, at the offset of their slot.
    sc_time last_wb = t0;
    for (uint64_t a : m_home.resident_lines(base, len)) {
        uint64_t slot = (a - first) / lb;
        sc_time done = cmo_line(kind, a, t0 + slots(slot, issue_ps), levels);
        if (done > last_wb)
            last_wb = done;
        ++r.resident;
    }
    cmo_finish(kind, r, t0, last_wb);
    return r;
}

CmoLoopResult CpuCore::cmo_range_linewise(CmoOp kind, uint64_t base, uint64_t len) {
    CmoLoopResult r;
    unsigned lb = m_home.line_bytes();
    uint64_t first = base & ~uint64_t(lb - 1);
    uint64_t end = base + len;
    const sc_time issue = cmo_issue_interval();
    const sc_time t0 = m_qk.get_local_time();
    sc_time at = t0, last_wb = t0;
    for (uint64_t a = first; a < end; a += lb) {
        ++r.lines;
        if (!m_home.resident_lines(a, lb).empty()) {
            sc_time done = cmo_line(kind, a, at);
            if (done > last_wb)
                last_wb = done;
            ++r.resident;
        }
        at += issue;
    }
    cmo_finish(kind, r, t0, last_wb);
    return r;
}

// Set/way operations issue one after the other, setway_cycles each. A dirty
// line's write-back is posted to the level below at its operation's time, as
// DC loops and the flush engine post theirs; the closing DSB waits for the
// last operation and for the last write-back to be accepted, whichever is
// later (one write-back rule for all strategies, docs/timing-model.md).
sc_time CpuCore::set_way(CmoOp kind) {
    bool clean = cmo_cleans(kind);
    bool inval = cmo_invalidates(kind);
    CMOSIM_BUG_ON(!cmo_by_set_way(kind));
    const CmoOp op = kind;
    const uint64_t op_ps = m_setway_ps;
    sc_time start = local_time();
    const sc_time t0 = m_qk.get_local_time();
    m_home.observe(static_cast<uint64_t>((sc_core::sc_time_stamp() + t0).value()));
    sc_time level_start = t0, last_wb = t0;
    // Set/way reaches only this core's architected levels; the SLC sits behind
    // the home node and is not reachable this way.
    for (Cache *c : m_home.private_levels(m_id)) {
        if (c->params().level == Level::L1I) // DC set/way reaches data and unified caches
            continue;
        TagStore &t = c->tags();
        uint64_t ops = t.sets() * t.ways();
        m_stats.setway_ops += ops;
        c->stats().cmo_of(op) += ops;
        t.for_each_valid([&](uint64_t a, Line &, uint64_t set, unsigned way) {
            if (!clean)
                m_home.report_discarded(*c, a, static_cast<int>(m_id),
                                        "DC ISW discarded a dirty line");
            sc_time done = level_start + slots(set * t.ways() + way, op_ps);
            c->maintain_line(a, clean, inval, done, m_id);
            if (done > last_wb)
                last_wb = done;
        });
        level_start += slots(ops, op_ps);
    }
    m_qk.set(level_start > last_wb ? level_start : last_wb);
    sync();
    return local_time() - start;
}

} // namespace cmosim::models
