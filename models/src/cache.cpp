// SPDX-License-Identifier: Apache-2.0
#include "cmosim/models/cache.h"

#include "cmosim/models/bug.h"

namespace cmosim::models {

using sc_core::sc_time;

const char *inclusion_name(Inclusion i) {
    return i == Inclusion::Inclusive ? "inclusive" : "non_inclusive";
}

const char *cmo_op_name(CmoOp op) {
    switch (op) {
    case CmoOp::DcCivac:
        return "dc_civac";
    case CmoOp::DcCvac:
        return "dc_cvac";
    case CmoOp::DcIvac:
        return "dc_ivac";
    case CmoOp::DcCisw:
        return "dc_cisw";
    case CmoOp::DcCsw:
        return "dc_csw";
    case CmoOp::DcIsw:
        return "dc_isw";
    }
    return "?";
}

bool cmo_op_from_name(const std::string &name, CmoOp *op) {
    for (unsigned i = 0; i < kCmoOps; ++i)
        if (name == cmo_op_name(static_cast<CmoOp>(i))) {
            *op = static_cast<CmoOp>(i);
            return true;
        }
    return false;
}

Cache::Cache(sc_core::sc_module_name name, const CacheParams &p)
    : sc_module(name), cpu_side("cpu_side"), mem_side("mem_side"), m_p(p), m_tags(p.geometry) {
    cpu_side.register_b_transport(this, &Cache::b_transport);
    // The extensions stay attached to the reused payloads for the cache's life.
    m_wb_trans.set_extension(&m_wb_ext);
    m_fill_trans.set_extension(&m_fill_ext);
}

Cache::~Cache() {
    // A payload frees the extensions still attached when it is destroyed.
    m_wb_trans.clear_extension(&m_wb_ext);
    m_fill_trans.clear_extension(&m_fill_ext);
}

// The payloads are members, reused: b_transport never waits, so no request of
// this cache is in flight when the next one starts (a generic payload's
// construction allocates).
void Cache::write_back(uint64_t addr, uint64_t version, unsigned cpu, sc_time &delay) {
    tlm::tlm_generic_payload &t = m_wb_trans;
    MemExt &ext = m_wb_ext;
    ext = MemExt{};
    ext.cpu = cpu;
    ext.version = version;
    t.set_command(tlm::TLM_WRITE_COMMAND);
    t.set_address(addr);
    t.set_data_length(m_tags.line_bytes());
    t.set_streaming_width(m_tags.line_bytes());
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    mem_side->b_transport(t, delay);
    CMOSIM_BUG_ON(t.get_response_status() != tlm::TLM_OK_RESPONSE);
    ++m_stats.writebacks;
}

void Cache::evict_victim(Victim v, unsigned cpu, sc_time &delay) {
    if (!v.valid)
        return;
    ++m_stats.evictions;
    if (m_p.inclusion == Inclusion::Inclusive) {
        // Upper levels are listed top down: the first dirty copy is the newest.
        bool took_upper_data = false;
        for (Cache *u : m_upper) {
            TagStore &t = u->tags();
            int w = t.lookup(v.addr);
            if (w < 0)
                continue;
            Line &l = t.line(v.addr, w);
            if (l.dirty && !took_upper_data) {
                v.dirty = true;
                v.version = l.version;
                took_upper_data = true;
            }
            t.invalidate(v.addr, w);
            ++u->stats().lines_invalidated;
            ++m_stats.back_invalidations;
        }
    }
    if (v.dirty)
        write_back(v.addr, v.version, cpu, delay);
}

// Miss path: make room, fetch the line from below, install it clean.
void Cache::fill(uint64_t addr, MemExt &ext, sc_time &delay, int *way_out) {
    Victim v;
    int way = m_tags.allocate(addr, &v);
    evict_victim(v, ext.cpu, delay);
    tlm::tlm_generic_payload &t = m_fill_trans;
    MemExt &below = m_fill_ext;
    below = ext;
    t.set_command(tlm::TLM_READ_COMMAND);
    t.set_address(addr);
    t.set_data_length(m_tags.line_bytes());
    t.set_streaming_width(m_tags.line_bytes());
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    mem_side->b_transport(t, delay);
    CMOSIM_BUG_ON(t.get_response_status() != tlm::TLM_OK_RESPONSE);
    // An inclusive level below may have chosen this very line as its victim
    // while making room (and back-invalidated it here): take it again.
    if (!m_tags.holds(addr, way)) {
        Victim again;
        way = m_tags.allocate(addr, &again);
        evict_victim(again, ext.cpu, delay);
    }
    Line &l = m_tags.is_hot(addr) ? m_tags.hot() : m_tags.line(addr, way);
    l.version = below.version;
    ext.version = below.version;
    ext.served_by = below.served_by;
    *way_out = way;
}

void Cache::b_transport(tlm::tlm_generic_payload &trans, sc_time &delay) {
    MemExt *ext = trans.get_extension<MemExt>();
    CMOSIM_BUG_ON(ext == nullptr);
    uint64_t addr = m_tags.line_addr(trans.get_address());
    delay += m_p.hit_latency; // tag lookup, hit or miss
    if (ext->skip_first_level && trans.get_command() == tlm::TLM_READ_COMMAND) {
        ext->skip_first_level = false;
        mem_side->b_transport(trans, delay);
        return;
    }
    const bool missed = ext->first_level_missed; // the core's probe found no line
    ext->first_level_missed = false;
    int way;

    switch (trans.get_command()) {
    case tlm::TLM_READ_COMMAND:
        // A hit is touched as it is found, and becomes the hot line.
        way = missed ? -1 : m_tags.lookup_touch(addr, -1);
        if (way >= 0) {
            ++m_stats.read_hits;
            ext->version = m_tags.hot().version;
            ext->served_by = m_p.level;
        } else {
            ++m_stats.read_misses;
            fill(addr, *ext, delay, &way);
        }
        break;
    case tlm::TLM_WRITE_COMMAND:
        // A dirty line from the level above: write-allocate without a fetch,
        // since the whole line arrives.
        way = missed ? -1 : m_tags.lookup(addr);
        if (!m_p.write_back_fill) {
            if (way >= 0) {
                ++m_stats.write_hits;
                Line &l = m_tags.line(addr, way);
                l.dirty = true;
                l.version = ext->version;
            } else {
                ++m_stats.write_misses;
                write_back(addr, ext->version, ext->cpu, delay);
            }
            break;
        }
        if (way >= 0) {
            ++m_stats.write_hits;
            m_tags.touch(addr, way);
        } else {
            ++m_stats.write_misses;
            Victim v;
            way = m_tags.allocate(addr, &v);
            evict_victim(v, ext->cpu, delay);
        }
        {
            Line &l = m_tags.line(addr, way);
            l.dirty = true;
            l.version = ext->version;
        }
        break;
    default:
        trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

Line &Cache::written_line(uint64_t addr) {
    const int way = m_tags.lookup(addr);
    CMOSIM_BUG_ON(way < 0);
    return m_tags.line(addr, way);
}

bool Cache::maintain_line(uint64_t addr, bool clean, bool invalidate, sc_time &delay,
                          unsigned cpu) {
    addr = m_tags.line_addr(addr);
    int way = m_tags.lookup(addr);
    if (way < 0)
        return false;
    Line &l = m_tags.line(addr, way);
    if (clean && l.dirty) {
        write_back(addr, l.version, cpu, delay);
        l.dirty = false;
    }
    if (invalidate) {
        m_tags.invalidate(addr, way);
        ++m_stats.lines_invalidated;
    }
    return true;
}

} // namespace cmosim::models
