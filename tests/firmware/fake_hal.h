// SPDX-License-Identifier: Apache-2.0
//
// A fake platform for the firmware unit tests: a clock the test sets by hand,
// a record of every cost charged and every flush issued, and a hook that runs
// "another CPU" in the middle of a flush.
#ifndef CMOSIM_TESTS_FIRMWARE_FAKE_HAL_H
#define CMOSIM_TESTS_FIRMWARE_FAKE_HAL_H

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "cmosim/fw/firmware.h"

namespace cmosim::test {

constexpr uint64_t kPs = 1;
constexpr uint64_t kNs = 1000 * kPs;
constexpr uint64_t kUs = 1000 * kNs;
constexpr uint64_t kMs = 1000 * kUs;
constexpr uint64_t kSec = 1000 * kMs;
constexpr uint64_t kAllOnes = ~0ull;

struct FlushCall {
    enum Kind { Range, All, Lines } kind;
    uint64_t base;
    uint64_t len;
    fw_flush_opts opts;
    uint64_t t_ps;
};

class FakeHal {
public:
    explicit FakeHal(uint32_t line_size = 64);

    // Remove an op to model a platform that lacks it.
    void drop_range() { hal.flush_range = nullptr; }
    void drop_all() { hal.flush_all = nullptr; }
    void drop_lines() { hal.flush_lines = nullptr; }
    void drop_breakeven() { hal.breakeven_bytes = nullptr; }

    fw_hal hal{};
    uint64_t now = 0;
    std::vector<uint64_t> consumed;     // each consume_ps() call, in order
    std::vector<FlushCall> flushes;     // each flush op, in order
    uint64_t flush_ps = 0;              // simulated time each flush takes
    uint64_t breakeven = 64 * 1024;     // the model's break-even size
    fw_flush_result result{3, 2, 0};    // what each flush reports (duration set to flush_ps)
    std::function<void()> during_flush; // runs while the flush is in progress

    uint64_t total_consumed() const;

private:
    void record(FlushCall::Kind kind, uint64_t base, uint64_t len, const fw_flush_opts *opts,
                fw_flush_result *res);
    static uint64_t now_ps(void *ctx);
    static void consume_ps(void *ctx, uint64_t ps);
    static void flush_range(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *opts,
                            fw_flush_result *res);
    static void flush_all(void *ctx, const fw_flush_opts *opts, fw_flush_result *res);
    static void flush_lines(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *opts,
                            fw_flush_result *res);
    static uint64_t breakeven_bytes(void *ctx);
};

struct Regs {
    std::array<uint64_t, 8> x{};
    int32_t status() const { return static_cast<int32_t>(x[0]); }
};

// Fixture: edit `cfg` (and `hal`), then call smc(); the agent is created on
// the first call from whatever the config is at that point.
class FirmwareTest : public ::testing::Test {
protected:
    FirmwareTest();
    ~FirmwareTest() override;

    fw_agent *agent();
    Regs smc(uint64_t fid, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0, uint64_t a4 = 0,
             unsigned cpu = 0);
    // Same, at simulated time t.
    Regs smc_at(uint64_t t, uint64_t fid, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0);
    // CLEAN_INV_MEMREGION(base, len, flags).
    int32_t clean_inv(uint64_t base, uint64_t len, uint64_t flags = 0, unsigned cpu = 0);
    int32_t clean_inv_at(uint64_t t, uint64_t base, uint64_t len, uint64_t flags = 0);
    // ARCH_FEATURES(fid).
    int32_t features(uint64_t fid);
    // Cost-free SMCs, so that time only moves when the test moves it.
    void free_smcs();
    // Append a fault rule that always applies to `fid`.
    fw_fault_rule &add_fault(uint32_t fid, fw_fault_action action);
    const fw_stats &stats() { return *fw_agent_stats(agent()); }
    const fw_call_record &last_record();

    FakeHal hal;
    fw_config cfg{};
    fw_agent *fw = nullptr;
};

} // namespace cmosim::test

#endif
