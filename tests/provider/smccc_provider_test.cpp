// SPDX-License-Identifier: Apache-2.0
// The SMCCC provider (drivers/cache/arm_smccc_cache.c, or CMOSIM_PROVIDER_SRC)
// against a scripted firmware: init, delay, retries, error mapping, locking.
// Every test boots its own process: the provider is a built-in singleton, so
// the firmware is scripted before the initcalls run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <ostream>
#include <string>

#include "rig.h"

using namespace cmosim::test;

namespace {

// The provider's own mutex: the one non-rwsem lock of this process.
bool provider_mutex(shim_lock_stats *out) {
    for (size_t i = 0; i < shim_lock_count(); i++) {
        shim_lock_stats_get(i, out);
        if (!out->is_rwsem)
            return true;
    }
    return false;
}

int initcall_ret(const char *name) {
    for (size_t i = 0; i < shim_initcall_count(); i++) {
        shim_initcall_info info{};
        shim_initcall_get(i, &info);
        if (std::string(info.name) == name)
            return info.ret;
    }
    return 12345;
}

int provider_init_ret() {
    // Our provider's init, or the only arch initcall of a brought-in one.
    for (size_t i = 0; i < shim_initcall_count(); i++) {
        shim_initcall_info info{};
        shim_initcall_get(i, &info);
        if (std::string(info.level) == "arch")
            return info.ret;
    }
    return initcall_ret("arm_smccc_cache_init");
}

// Boots on CPU 0, then calls invalidate(base, size) once; returns its result.
struct OneCall {
    int ret = 12345;
    uint64_t returned_at = 0;
};

OneCall boot_and_invalidate(KernelRig &rig, uint64_t base, size_t size) {
    OneCall r;
    rig.on_cpu(0, [&] {
        rig.boot();
        r.ret = rig.host.invalidate_memregion(base, size);
        r.returned_at = KernelRig::now_ps();
    });
    rig.run();
    return r;
}

} // namespace

// ---- init -------------------------------------------------------------------

struct InitFailure {
    const char *name;
    std::function<void(FakeFirmware &, shim_config &)> setup;
    int ret;
    size_t features_calls; // how far init got
};

// Name the case in ctest instead of dumping its bytes.
void PrintTo(const InitFailure &p, std::ostream *os) {
    *os << p.name;
}

class SmcccProviderInitTest : public ::testing::TestWithParam<InitFailure> {};

TEST_P(SmcccProviderInitTest, FailureRegistersNothingAndInvalidateStillReturnsZero) {
    const InitFailure &p = GetParam();
    shim_config cfg;
    shim_config_default(&cfg);
    KernelRig rig(1);
    p.setup(rig.fw, cfg);
    shim_configure(&cfg);
    bool has = true;
    int ret = 12345;
    rig.on_cpu(0, [&] {
        rig.boot();
        has = rig.host.has_invalidate_memregion();
        ret = rig.host.invalidate_memregion(0x80000000ull, 1 << 20);
    });
    rig.run();
    EXPECT_EQ(provider_init_ret(), p.ret) << p.name << ": init's return value";
    EXPECT_FALSE(has) << p.name << ": no provider registered";
    EXPECT_EQ(ret, 0) << p.name << ": the framework returns 0 with no provider";
    EXPECT_TRUE(rig.fw.calls_of(kFidCleanInv).empty()) << p.name << ": never flushed";
    EXPECT_EQ(rig.fw.calls_of(kFidFeatures).size(), p.features_calls)
        << p.name << ": init stopped at the failing step";
    EXPECT_TRUE(rig.host.printk_log().empty() ||
                std::none_of(rig.host.printk_log().begin(), rig.host.printk_log().end(),
                             [](const cmosim::sim::PrintkRecord &r) { return r.level <= 6; }))
        << p.name << ": no success line";
}

INSTANTIATE_TEST_SUITE_P(
    Init, SmcccProviderInitTest,
    ::testing::Values(
        InitFailure{"Smccc10", [](FakeFirmware &fw, shim_config &) { fw.version = 0x10000; },
                    -ENODEV, 0},
        InitFailure{"VersionCallUnsupported",
                    [](FakeFirmware &fw, shim_config &) { fw.version_status = -1; }, -ENODEV, 0},
        InitFailure{"NoConduit", [](FakeFirmware &, shim_config &c) { c.smccc_conduit = 0; },
                    -ENODEV, 0},
        InitFailure{"CleanInvNotImplemented",
                    [](FakeFirmware &fw, shim_config &) { fw.features[kFidCleanInv] = -1; },
                    -ENODEV, 1},
        InitFailure{"AttributesNotImplemented",
                    [](FakeFirmware &fw, shim_config &) { fw.features[kFidCleanInvAttr] = -1; },
                    -ENODEV, 2},
        InitFailure{"AttributesInvalidParameter",
                    [](FakeFirmware &fw, shim_config &) { fw.attr_status = -3; }, -ENODEV, 2},
        InitFailure{"AttributesPositive",
                    [](FakeFirmware &fw, shim_config &) { fw.attr_status = 1; }, -ENODEV, 2},
        InitFailure{"AllocationFails",
                    [](FakeFirmware &, shim_config &c) { c.kzalloc_fail_nth = 1; }, -ENOMEM, 2}),
    [](const ::testing::TestParamInfo<InitFailure> &info) { return std::string(info.param.name); });

TEST(SmcccProviderTest, RegistersWhenTheFirmwareAdvertisesTheCall) {
    KernelRig rig(1);
    bool has = false;
    rig.on_cpu(0, [&] {
        rig.boot();
        has = rig.host.has_invalidate_memregion();
    });
    rig.run();
    EXPECT_EQ(provider_init_ret(), 0) << "init succeeded";
    EXPECT_TRUE(has) << "has_invalidate true once a provider is on the list";
    std::vector<uint32_t> fids;
    for (const auto &c : rig.fw.calls)
        fids.push_back(static_cast<uint32_t>(c.x[0]));
    EXPECT_EQ(fids,
              (std::vector<uint32_t>{kFidVersion, kFidFeatures, kFidFeatures, kFidCleanInvAttr}))
        << "VERSION (boot probe), FEATURES x2, ATTRIBUTES, in that order";
    EXPECT_EQ(static_cast<uint32_t>(rig.fw.calls[1].x[1]), kFidCleanInv) << "asks for 0xC0000005";
    EXPECT_EQ(static_cast<uint32_t>(rig.fw.calls[2].x[1]), kFidCleanInvAttr)
        << "then for 0xC0000006";
    size_t info_lines = 0;
    for (const auto &r : rig.host.printk_log())
        info_lines += r.level == 6;
    EXPECT_EQ(info_lines, 1u) << "one line logged on success";
}

TEST(SmcccProviderTest, PassesTheRangeWithZeroFlags) {
    KernelRig rig(1);
    OneCall r = boot_and_invalidate(rig, 0x880000000ull, 0x40000);
    EXPECT_EQ(r.ret, 0) << "success";
    auto calls = rig.fw.calls_of(kFidCleanInv);
    ASSERT_EQ(calls.size(), 1u) << "one call";
    EXPECT_EQ(calls[0].x[1], 0x880000000ull) << "x1 = base";
    EXPECT_EQ(calls[0].x[2], 0x40000u) << "x2 = length";
    EXPECT_EQ(calls[0].x[3], 0u) << "x3 = flags 0 (no DRYRUN)";
    EXPECT_EQ(KernelRig::stats().nmi_touches, 1u) << "one touch per attempt";
}

TEST(SmcccProviderTest, InvalidateAllReachesTheFirmwareAsAllOnes) {
    KernelRig rig(1);
    OneCall r = boot_and_invalidate(rig, 0, SIZE_MAX);
    EXPECT_EQ(r.ret, 0) << "success";
    auto calls = rig.fw.calls_of(kFidCleanInv);
    ASSERT_EQ(calls.size(), 1u) << "one call";
    EXPECT_EQ(calls[0].x[2], ~0ull) << "length 0xFFFFFFFFFFFFFFFF passed as is";
}

TEST(SmcccProviderTest, SizeZeroIsRejectedBeforeTheLockAndTheFirmware) {
    KernelRig rig(1);
    OneCall r = boot_and_invalidate(rig, 0x1000, 0);
    EXPECT_EQ(r.ret, -EINVAL) << "size 0";
    EXPECT_TRUE(rig.fw.calls_of(kFidCleanInv).empty()) << "no firmware call";
    shim_lock_stats ls{};
    ASSERT_TRUE(provider_mutex(&ls)) << "the provider initialised its mutex";
    EXPECT_EQ(ls.acquisitions, 0u) << "the mutex was never taken";
}

// ---- retry delay ------------------------------------------------------------

struct DelayCase {
    const char *name;
    uint64_t rate, latency;
    uint64_t delay_us; // the provider's d
    uint64_t slept_us; // what fsleep(d) took from t=0 at HZ=250
};

// Name the case in ctest instead of dumping its bytes.
void PrintTo(const DelayCase &p, std::ostream *os) {
    *os << p.name;
}

class SmcccProviderDelayTest : public ::testing::TestWithParam<DelayCase> {};

TEST_P(SmcccProviderDelayTest, BackoffBetweenAttemptsFollowsTheAttributes) {
    const DelayCase &p = GetParam();
    KernelRig rig(1);
    rig.fw.attr_rate = p.rate;
    rig.fw.attr_latency_us = p.latency;
    rig.fw.clean_inv_script = {kBusy}; // one back-off, then success
    OneCall r = boot_and_invalidate(rig, 0, 4096);
    EXPECT_EQ(r.ret, 0) << p.name << ": second attempt succeeds";
    auto ev = KernelRig::sleeps();
    ASSERT_EQ(ev.size(), 1u) << p.name << ": one back-off";
    EXPECT_EQ(ev[0].fsleep_us, p.delay_us) << p.name << ": fsleep(d)";
    EXPECT_EQ(ev[0].slept_ps, p.slept_us * kPsPerUs) << p.name << ": time the CPU slept";
    auto calls = rig.fw.calls_of(kFidCleanInv);
    ASSERT_EQ(calls.size(), 2u) << p.name << ": two attempts";
    EXPECT_EQ(calls[1].start_ps - calls[0].end_ps, p.slept_us * kPsPerUs)
        << p.name << ": the back-off is the gap between attempts";
}

// slept: d < 16000 -> usleep_range(d, d + d/4) woken at max; d >= 16000 ->
// msleep(ceil(d/1000)) from t=0: ceil(ms/4) jiffies + 1, as 4 ms ticks.
INSTANTIATE_TEST_SUITE_P(
    Delay, SmcccProviderDelayTest,
    ::testing::Values(DelayCase{"NothingAdvertised", 0, 0, 1000, 1250}, // default 1 ms
                      DelayCase{"Rate100", 100, 0, 10000, 12500},       // 1e6 / 100
                      DelayCase{"Rate300RoundsUp", 300, 0, 3334, 4167}, // ceil(3333.3); 3334 + 833
                      DelayCase{"Rate10Capped", 10, 0, 20000,
                                24000}, // 100000 -> cap; msleep(20): 5+1 ticks
                      DelayCase{"Latency50000Capped", 0, 50000, 20000, 24000},
                      DelayCase{"Latency1500", 0, 1500, 1500, 1875},
                      DelayCase{"Rate1000Latency200", 1000, 200, 1000, 1250}, // max(1000, 200)
                      DelayCase{"LatencyUpperBitsIgnored", 0, 0xFFFFFFFF000001F4ull, 500, 625}),
    [](const ::testing::TestParamInfo<DelayCase> &info) { return std::string(info.param.name); });

// ---- status mapping and retries --------------------------------------------

struct StatusCase {
    const char *name;
    std::vector<int64_t> script;
    int ret;
    size_t calls;
    size_t sleeps;
};

// Name the case in ctest instead of dumping its bytes.
void PrintTo(const StatusCase &p, std::ostream *os) {
    *os << p.name;
}

class SmcccProviderStatusTest : public ::testing::TestWithParam<StatusCase> {};

TEST_P(SmcccProviderStatusTest, StatusMapsToErrnoWithBoundedRetries) {
    const StatusCase &p = GetParam();
    KernelRig rig(1);
    rig.fw.clean_inv_script.assign(p.script.begin(), p.script.end());
    rig.fw.clean_inv_cost_ps = 3 * kPsPerUs;
    OneCall r = boot_and_invalidate(rig, 0x10000, 0x10000);
    EXPECT_EQ(r.ret, p.ret) << p.name << ": errno";
    auto calls = rig.fw.calls_of(kFidCleanInv);
    EXPECT_EQ(calls.size(), p.calls) << p.name << ": firmware calls";
    EXPECT_EQ(KernelRig::sleeps().size(), p.sleeps) << p.name << ": back-offs";
    EXPECT_EQ(KernelRig::stats().nmi_touches, p.calls) << p.name << ": one touch per attempt";
    ASSERT_FALSE(calls.empty()) << p.name;
    EXPECT_EQ(r.returned_at, calls.back().end_ps) << p.name << ": no sleep after the last attempt";
    shim_lock_stats ls{};
    ASSERT_TRUE(provider_mutex(&ls)) << p.name;
    EXPECT_EQ(ls.acquisitions, 1u) << p.name << ": one mutex hold for the whole sequence";
    EXPECT_EQ(ls.hold_total_ps, r.returned_at - calls.front().start_ps)
        << p.name << ": held from the first attempt to the return";
}

INSTANTIATE_TEST_SUITE_P(
    Status, SmcccProviderStatusTest,
    ::testing::Values(
        StatusCase{"Success", {kSuccess}, 0, 1, 0},
        StatusCase{"BusyFourTimesThenSuccess", {kBusy, kBusy, kBusy, kBusy}, 0, 5, 4},
        StatusCase{"BusyFiveTimes", {kBusy, kBusy, kBusy, kBusy, kBusy}, -EBUSY, 5, 4},
        StatusCase{"RateLimitedFiveTimes",
                   {kRateLimited, kRateLimited, kRateLimited, kRateLimited, kRateLimited},
                   -EBUSY,
                   5,
                   4},
        StatusCase{"MixedTransientEndingRateLimited",
                   {kBusy, kRateLimited, kBusy, kRateLimited, kRateLimited},
                   -EBUSY,
                   5,
                   4},
        StatusCase{"NotSupported", {kNotSupported}, -EOPNOTSUPP, 1, 0},
        StatusCase{"InvalidParameter", {kInvalidParameter}, -EINVAL, 1, 0},
        StatusCase{"NotRequired", {kNotRequired}, -EIO, 1, 0},
        StatusCase{"Positive", {1}, -EIO, 1, 0}, StatusCase{"UndefinedNegative", {-6}, -EIO, 1, 0},
        StatusCase{"BusyThenNotSupported", {kBusy, kNotSupported}, -EOPNOTSUPP, 2, 1},
        StatusCase{"RateLimitedThenSuccess", {kRateLimited}, 0, 2, 1}),
    [](const ::testing::TestParamInfo<StatusCase> &info) { return std::string(info.param.name); });

// ---- locking ----------------------------------------------------------------

TEST(SmcccProviderTest, FourCpusContendAndTheMutexHoldTimeIsReported) {
    KernelRig rig(4);
    rig.fw.clean_inv_cost_ps = 100 * kPsPerUs;
    std::vector<uint64_t> done(4);
    for (unsigned cpu = 0; cpu < 4; cpu++)
        rig.on_cpu(cpu, [&, cpu] {
            if (cpu == 0)
                rig.boot();
            else
                rig.wait_boot();
            rig.host.invalidate_memregion(0x100000ull * cpu, 0x100000);
            done[cpu] = KernelRig::now_ps();
        });
    rig.run();
    std::sort(done.begin(), done.end());
    // Serialized by the provider mutex: 100 us each -> 100, 200, 300, 400 us.
    EXPECT_EQ(done, (std::vector<uint64_t>{100 * kPsPerUs, 200 * kPsPerUs, 300 * kPsPerUs,
                                           400 * kPsPerUs}))
        << "one firmware call at a time";
    shim_lock_stats ls{};
    ASSERT_TRUE(provider_mutex(&ls)) << "provider mutex";
    EXPECT_EQ(ls.acquisitions, 4u) << "four callers";
    EXPECT_EQ(ls.contended, 3u) << "three had to wait";
    EXPECT_EQ(ls.wait_max_ps, 300 * kPsPerUs) << "the last waited three calls";
    EXPECT_EQ(ls.wait_total_ps, 600 * kPsPerUs) << "100 + 200 + 300 us";
    EXPECT_EQ(ls.hold_max_ps, 100 * kPsPerUs) << "one call per hold";
    EXPECT_EQ(ls.hold_total_ps, 400 * kPsPerUs) << "4 x 100 us";
}

TEST(SmcccProviderTest, FourBackoffsHoldTheMutexPastTheLimit) {
    shim_config cfg;
    shim_config_default(&cfg);
    cfg.mutex_hold_limit_ps = 50 * kPsPerMs;
    shim_configure(&cfg);
    KernelRig rig(1);
    rig.fw.attr_rate = 10; // d = 20000 us -> msleep(20)
    rig.fw.clean_inv_script = {kBusy, kBusy, kBusy, kBusy, kBusy};
    OneCall r = boot_and_invalidate(rig, 0, 4096);
    EXPECT_EQ(r.ret, -EBUSY) << "five BUSY";
    // msleep(20) = 5 jiffies + 1 from each tick edge: 24, 48, 72, 96 ms.
    EXPECT_EQ(r.returned_at, 96 * kPsPerMs) << "four 24 ms back-offs";
    EXPECT_EQ(rig.host.rule_count(SHIM_RULE_MUTEX_HELD_TOO_LONG), 1u) << "96 ms > 50 ms";
}

TEST(SmcccProviderTest, ALongFirmwareCallTripsTheNmiWatchdog) {
    shim_config cfg;
    shim_config_default(&cfg);
    cfg.nmi_watchdog_ps = 10 * kPsPerMs;
    shim_configure(&cfg);
    KernelRig rig(1);
    rig.fw.clean_inv_cost_ps = 30 * kPsPerMs;
    OneCall r = boot_and_invalidate(rig, 0, 1ull << 40);
    EXPECT_EQ(r.ret, 0) << "the call itself succeeds";
    EXPECT_EQ(rig.host.rule_count(SHIM_RULE_NMI_WATCHDOG), 1u) << "30 ms at EL3 > 10 ms";
}

TEST(SmcccProviderTest, TouchPerAttemptKeepsTheWatchdogQuiet) {
    shim_config cfg;
    shim_config_default(&cfg);
    cfg.nmi_watchdog_ps = 10 * kPsPerMs;
    shim_configure(&cfg);
    KernelRig rig(1);
    rig.fw.clean_inv_cost_ps = 8 * kPsPerMs;
    rig.fw.clean_inv_script = {kBusy, kBusy, kBusy, kBusy};
    OneCall r = boot_and_invalidate(rig, 0, 4096);
    EXPECT_EQ(r.ret, 0) << "fifth attempt succeeds";
    EXPECT_EQ(rig.host.rule_count(SHIM_RULE_NMI_WATCHDOG), 0u) << "8 ms windows, each touched";
}

TEST(SmcccProviderTest, SecondCallerWaitsAndFlushesForItself) {
    // The coalescing variant's regression scenario, with the real provider:
    // even when the firmware flushes globally, each caller gets its own call.
    KernelRig rig(2);
    rig.fw.attr_flags = 1;
    rig.fw.clean_inv_cost_ps = 100 * kPsPerUs;
    int ret1 = 12345;
    rig.on_cpu(0, [&] {
        rig.boot();
        rig.host.invalidate_memregion(0x1000000, 0x1000);
    });
    rig.on_cpu(1, [&] {
        rig.wait_boot();
        KernelRig::delay_ps(10 * kPsPerUs);
        ret1 = rig.host.invalidate_memregion(0x2000000, 0x1000);
    });
    rig.run();
    EXPECT_EQ(ret1, 0) << "success";
    auto calls = rig.fw.calls_of(kFidCleanInv);
    ASSERT_EQ(calls.size(), 2u) << "no coalescing: both ranges flushed";
    EXPECT_EQ(calls[1].x[1], 0x2000000u) << "cpu1's own range";
    EXPECT_GE(calls[1].start_ps, 10 * kPsPerUs) << "its flush began after it asked";
}
