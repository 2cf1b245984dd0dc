// SPDX-License-Identifier: Apache-2.0
// FirmwareHal: the firmware's view of the platform (struct fw_hal): the time,
// time spent, the flush engine's range and whole-cache walks, the EL3 DC
// CIVAC loop on the calling core, the advertised break-even. Each call acts
// for the CPU whose SMC is being handled (set_caller()). It keeps the flush
// spans of the timeline when asked to.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "cmosim/fw/firmware.h"
#include "config/scenario.h"
#include "run/platform.h"
#include "run/run_result.h"

namespace cmosim::sim {

class FirmwareHal {
public:
    // `hang`: what becomes of a caller that the firmware keeps forever (a
    // fault plan's `latency: forever`); called on that CPU's thread.
    FirmwareHal(const Scenario &s, Platform &platform, std::function<void(unsigned cpu)> hang);
    FirmwareHal(const FirmwareHal &) = delete;
    FirmwareHal &operator=(const FirmwareHal &) = delete;

    const fw_hal *hal() const { return &m_hal; }
    // The CPU whose SMC the firmware handles from now on.
    void set_caller(unsigned cpu) { m_caller = cpu; }
    // What one CLEAN_INV_MEMREGION call costs with empty caches: SMC entry
    // and bookkeeping, programming the flush engine, its walk of the SLC's tags.
    uint64_t empty_call_ps() const;
    // The advertised break-even (fw_hal.breakeven_bytes): the smallest range
    // whose DC CIVAC loop on the calling core, timed by the loop's own
    // function (CpuCore::cmo_loop_time), costs at least that call.
    uint64_t breakeven_bytes() const;

    // Keep a FlushSpan per flush from now on (the trace events' timeline).
    void record_timeline() { m_record = true; }
    bool timeline_recorded() const { return m_record; }
    const std::vector<FlushSpan> &flush_spans() const { return m_spans; }
    uint64_t spans_dropped() const { return m_dropped; }

private:
    static uint64_t now(void *ctx);
    static void consume(void *ctx, uint64_t ps);
    static void flush_range(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *o,
                            fw_flush_result *res);
    static void flush_all(void *ctx, const fw_flush_opts *o, fw_flush_result *res);
    static void flush_lines(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *o,
                            fw_flush_result *res);
    static uint64_t breakeven(void *ctx);
    void engine(uint64_t base, uint64_t len, bool all, const fw_flush_opts *o,
                fw_flush_result *res);
    void record(FlushSpan::Kind kind, uint64_t base, uint64_t len, uint64_t start_ps,
                const fw_flush_result &res);

    const Scenario &m_s;
    Platform &m_platform;
    std::function<void(unsigned)> m_hang;
    fw_hal m_hal{};
    unsigned m_caller = 0;
    bool m_record = false;
    std::vector<FlushSpan> m_spans;
    uint64_t m_dropped = 0;
};

} // namespace cmosim::sim
