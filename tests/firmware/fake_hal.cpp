// SPDX-License-Identifier: Apache-2.0
#include "fake_hal.h"

namespace cmosim::test {

FakeHal::FakeHal(uint32_t line_size) {
    hal.ctx = this;
    hal.now_ps = now_ps;
    hal.consume_ps = consume_ps;
    hal.flush_range = flush_range;
    hal.flush_all = flush_all;
    hal.flush_lines = flush_lines;
    hal.breakeven_bytes = breakeven_bytes;
    hal.line_size = line_size;
}

uint64_t FakeHal::total_consumed() const {
    uint64_t sum = 0;
    for (uint64_t ps : consumed) {
        sum += ps;
    }
    return sum;
}

void FakeHal::record(FlushCall::Kind kind, uint64_t base, uint64_t len, const fw_flush_opts *opts,
                     fw_flush_result *res) {
    flushes.push_back({kind, base, len, *opts, now});
    now += flush_ps;
    // The CPU is blocked inside the flush: another CPU gets to run now.
    if (during_flush) {
        auto hook = during_flush;
        hook();
    }
    *res = result;
    res->duration_ps = flush_ps;
}

uint64_t FakeHal::now_ps(void *ctx) {
    return static_cast<FakeHal *>(ctx)->now;
}

void FakeHal::consume_ps(void *ctx, uint64_t ps) {
    auto *self = static_cast<FakeHal *>(ctx);
    self->consumed.push_back(ps);
    self->now += ps;
}

void FakeHal::flush_range(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *opts,
                          fw_flush_result *res) {
    static_cast<FakeHal *>(ctx)->record(FlushCall::Range, base, len, opts, res);
}

void FakeHal::flush_all(void *ctx, const fw_flush_opts *opts, fw_flush_result *res) {
    static_cast<FakeHal *>(ctx)->record(FlushCall::All, 0, 0, opts, res);
}

void FakeHal::flush_lines(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *opts,
                          fw_flush_result *res) {
    static_cast<FakeHal *>(ctx)->record(FlushCall::Lines, base, len, opts, res);
}

uint64_t FakeHal::breakeven_bytes(void *ctx) {
    return static_cast<FakeHal *>(ctx)->breakeven;
}

FirmwareTest::FirmwareTest() {
    fw_config_default(&cfg);
}

FirmwareTest::~FirmwareTest() {
    fw_agent_destroy(fw);
}

fw_agent *FirmwareTest::agent() {
    if (fw == nullptr) {
        fw = fw_agent_create(&cfg, &hal.hal);
    }
    return fw;
}

Regs FirmwareTest::smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                       unsigned cpu) {
    Regs r;
    r.x = {fid, a1, a2, a3, a4, 0, 0, 0};
    fw_smc(agent(), cpu, r.x.data());
    return r;
}

Regs FirmwareTest::smc_at(uint64_t t, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3) {
    hal.now = t;
    return smc(fid, a1, a2, a3);
}

int32_t FirmwareTest::clean_inv(uint64_t base, uint64_t len, uint64_t flags, unsigned cpu) {
    return smc(FW_FID_CLEAN_INV_MEMREGION, base, len, flags, 0, cpu).status();
}

int32_t FirmwareTest::clean_inv_at(uint64_t t, uint64_t base, uint64_t len, uint64_t flags) {
    hal.now = t;
    return clean_inv(base, len, flags);
}

int32_t FirmwareTest::features(uint64_t fid) {
    return smc(FW_FID_ARCH_FEATURES, fid).status();
}

void FirmwareTest::free_smcs() {
    cfg.entry_ps = 0;
    cfg.bookkeeping_ps = 0;
}

fw_fault_rule &FirmwareTest::add_fault(uint32_t fid, fw_fault_action action) {
    fw_fault_rule &r = cfg.faults[cfg.n_faults++];
    r = fw_fault_rule{};
    r.fid = fid;
    r.probability_ppm = 1000000;
    r.action = action;
    return r;
}

const fw_call_record &FirmwareTest::last_record() {
    size_t n = fw_agent_log_count(agent());
    const fw_call_record *rec = n ? fw_agent_log_entry(agent(), n - 1) : nullptr;
    if (rec == nullptr) {
        ADD_FAILURE() << "the call log is empty";
        static const fw_call_record empty{};
        return empty;
    }
    return *rec;
}

} // namespace cmosim::test
