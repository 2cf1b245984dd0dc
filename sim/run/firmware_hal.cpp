// SPDX-License-Identifier: Apache-2.0
#include "run/firmware_hal.h"

#include <cmath>

#include "kernel/kernel_host.h"

namespace cmosim::sim {

namespace {

uint64_t now_ps() {
    return static_cast<uint64_t>(sc_core::sc_time_stamp().value());
}

FirmwareHal &self(void *ctx) {
    return *static_cast<FirmwareHal *>(ctx);
}

// What a flush asked of the hardware may leave out (fault plan misbehaviour).
mdl::FlushLevels flush_levels(const fw_flush_opts *o) {
    mdl::FlushLevels lv;
    lv.private_caches = (o->levels & (FW_LEVEL_L1 | FW_LEVEL_L2)) != 0;
    lv.slc = (o->levels & FW_LEVEL_SLC) != 0;
    lv.write_back = !o->skip_writeback;
    return lv;
}

} // namespace

FirmwareHal::FirmwareHal(const Scenario &s, Platform &platform,
                         std::function<void(unsigned cpu)> hang)
    : m_s(s), m_platform(platform), m_hang(std::move(hang)) {
    m_hal.ctx = this;
    m_hal.now_ps = &now;
    m_hal.consume_ps = &consume;
    m_hal.flush_range = &flush_range;
    m_hal.flush_all = &flush_all;
    m_hal.flush_lines = &flush_lines;
    m_hal.breakeven_bytes = &breakeven;
    m_hal.line_size = s.platform.line_bytes;
}

uint64_t FirmwareHal::now(void *) {
    return now_ps();
}

void FirmwareHal::consume(void *ctx, uint64_t ps) {
    if (ps == kForeverPs)
        self(ctx).m_hang(self(ctx).m_caller);
    else
        sc_core::wait(sc_core::sc_time::from_value(ps));
}

// The calling CPU waits while the flush engine walks (other CPUs run on).
void FirmwareHal::engine(uint64_t base, uint64_t len, bool all, const fw_flush_opts *o,
                         fw_flush_result *res) {
    const uint64_t t0 = now_ps();
    mdl::FlushOutcome out =
        m_platform.home->flush(base, len, all, flush_levels(o), static_cast<int>(m_caller));
    res->lines_invalidated = out.lines_invalidated;
    res->lines_written_back = out.lines_written_back;
    res->duration_ps = static_cast<uint64_t>(out.duration.value());
    record(all ? FlushSpan::Kind::All : FlushSpan::Kind::Range, base, len, t0, *res);
}

void FirmwareHal::flush_range(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *o,
                              fw_flush_result *res) {
    self(ctx).engine(base, len, false, o, res);
}

void FirmwareHal::flush_all(void *ctx, const fw_flush_opts *o, fw_flush_result *res) {
    self(ctx).engine(0, 0, true, o, res);
}

void FirmwareHal::flush_lines(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *o,
                              fw_flush_result *res) {
    FirmwareHal &h = self(ctx);
    const uint64_t t0 = now_ps();
    // EL3 runs DC CIVAC on the calling core, exactly as a kernel loop would;
    // firmware told to skip a level or the write-back leaves it out (DC IVAC).
    const mdl::FlushLevels lv = flush_levels(o);
    const mdl::CmoOp kind = lv.write_back ? mdl::CmoOp::DcCivac : mdl::CmoOp::DcIvac;
    mdl::CmoLoopResult r = h.m_platform.cores[h.m_caller]->cmo_range(kind, base, len, lv);
    res->lines_invalidated = r.resident;
    res->lines_written_back = 0;
    res->duration_ps = static_cast<uint64_t>(r.duration.value());
    h.record(FlushSpan::Kind::El3Lines, base, len, t0, *res);
}

uint64_t FirmwareHal::breakeven(void *ctx) {
    return self(ctx).breakeven_bytes();
}

uint64_t FirmwareHal::empty_call_ps() const {
    const PlatformConfig &p = m_s.platform;
    const double tags = static_cast<double>(p.slc.size / p.line_bytes);
    return static_cast<uint64_t>(
        std::ceil(static_cast<double>(m_s.firmware.entry_ps + m_s.firmware.bookkeeping_ps) +
                  static_cast<double>(p.engine_setup_ps) +
                  tags / (p.engine_tags_per_cycle * p.engine_clock_ghz) * 1e3));
}

// The fewest lines whose DC CIVAC loop on the calling core costs at least the
// call, found with the loop's own timing (CpuCore::cmo_loop_time): the first
// guess from its issue interval, then moved until the function itself agrees.
uint64_t FirmwareHal::breakeven_bytes() const {
    const mdl::CpuCore &core = *m_platform.cores[m_caller];
    const uint64_t call_ps = empty_call_ps();
    auto costs_at_least_the_call = [&](uint64_t lines) {
        return static_cast<uint64_t>(core.cmo_loop_time(lines).value()) >= call_ps;
    };
    const uint64_t issue_ps = static_cast<uint64_t>(core.cmo_issue_interval().value());
    uint64_t lines = issue_ps ? call_ps / issue_ps : 0;
    while (!costs_at_least_the_call(lines))
        ++lines;
    while (lines > 0 && costs_at_least_the_call(lines - 1))
        --lines;
    return lines * m_s.platform.line_bytes;
}

void FirmwareHal::record(FlushSpan::Kind kind, uint64_t base, uint64_t len, uint64_t start_ps,
                         const fw_flush_result &res) {
    if (!m_record)
        return;
    if (m_spans.size() >= KernelHost::kDefaultSpanLimit) {
        m_dropped++;
        return;
    }
    m_spans.push_back({kind, m_caller, base, len, start_ps, res.duration_ps, res.lines_invalidated,
                       res.lines_written_back});
}

} // namespace cmosim::sim
