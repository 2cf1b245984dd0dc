// SPDX-License-Identifier: Apache-2.0
// The kernel shim's primitives on simulated time: delays (fsleep thresholds,
// usleep_range slack, msleep tick rounding), locks that really block across
// simulated CPUs, scope guards, kref, and the SMCCC conduit.
#include <gtest/gtest.h>

#include "kernel/kernel_helpers.h"
#include "rig.h"

using namespace cmosim::test;

namespace {

void configure_hz(unsigned hz, unsigned pct = 100) {
    shim_config cfg;
    shim_config_default(&cfg);
    cfg.hz = hz;
    cfg.usleep_range_pct = pct;
    shim_configure(&cfg);
}

// Runs `fn` on CPU 0 and returns the simulated time it took.
uint64_t time_on_cpu0(KernelRig &rig, const std::function<void()> &fn) {
    uint64_t took = 0;
    rig.on_cpu(0, [&] {
        const uint64_t t0 = KernelRig::now_ps();
        fn();
        took = KernelRig::now_ps() - t0;
    });
    rig.run();
    return took;
}

} // namespace

// ---- fsleep ---------------------------------------------------------------

TEST(FsleepTest, TenMicrosecondsBusyWaitsWithoutSleeping) {
    KernelRig rig(1);
    const uint64_t took = time_on_cpu0(rig, [] { kh_fsleep(10); });
    EXPECT_EQ(took, 10 * kPsPerUs) << "fsleep(10) is udelay(10)";
    const shim_stats st = KernelRig::stats();
    EXPECT_EQ(st.sleeps, 0u) << "a busy-wait does not release the CPU";
    EXPECT_EQ(st.busy_waits, 1u) << "one udelay";
    auto ev = KernelRig::sleeps();
    ASSERT_EQ(ev.size(), 1u) << "one logged delay";
    EXPECT_EQ(ev[0].kind, SHIM_SLEEP_UDELAY) << "the udelay branch";
    EXPECT_EQ(ev[0].fsleep_us, 10u) << "logged with its fsleep() argument";
}

TEST(FsleepTest, ElevenMicrosecondsSleepsToTheTopOfTheRange) {
    KernelRig rig(1);
    const uint64_t took = time_on_cpu0(rig, [] { kh_fsleep(11); });
    // usleep_range(11, 11 + (11 >> 2)) = usleep_range(11, 13): integer slack,
    // woken at max (default usleep_range_pct 100) -> 13 us.
    EXPECT_EQ(took, 13 * kPsPerUs) << "fsleep(11) sleeps usleep_range(11, 13) to its max";
    auto ev = KernelRig::sleeps();
    ASSERT_EQ(ev.size(), 1u) << "one logged sleep";
    EXPECT_EQ(ev[0].kind, SHIM_SLEEP_USLEEP_RANGE) << "the usleep_range branch";
    EXPECT_EQ(ev[0].min_us, 11u) << "range min";
    EXPECT_EQ(ev[0].max_us, 13u) << "range max = us + us/4, integer";
    EXPECT_EQ(KernelRig::stats().sleeps, 1u) << "a sleep, not a busy-wait";
}

TEST(FsleepTest, UsleepRangeWakePointIsConfigurable) {
    configure_hz(250, 50);
    KernelRig rig(1);
    // usleep_range(100, 200) at 50% -> 100 + 100 * 50 / 100 = 150 us.
    const uint64_t took = time_on_cpu0(rig, [] { kh_usleep_range(100, 200); });
    EXPECT_EQ(took, 150 * kPsPerUs) << "usleep_range_pct picks the point of [min, max]";
}

TEST(FsleepTest, UsleepRangeAtMinWhenConfiguredToZero) {
    configure_hz(250, 0);
    KernelRig rig(1);
    const uint64_t took = time_on_cpu0(rig, [] { kh_fsleep(11); });
    EXPECT_EQ(took, 11 * kPsPerUs) << "pct 0 wakes at min";
}

TEST(FsleepTest, JustBelowFourTicksAtHz250UsesUsleepRange) {
    KernelRig rig(1);
    uint64_t bound = 0;
    // 4 ticks at HZ=250 = 16000 us; 15999 -> usleep_range(15999, 15999 + 3999).
    const uint64_t took = time_on_cpu0(rig, [&] {
        bound = kh_usleep_range_upper_bound();
        kh_fsleep(15999);
    });
    EXPECT_EQ(bound, 16000u) << "USLEEP_RANGE_UPPER_BOUND = 4 * TICK_NSEC / 1000 at HZ=250";
    EXPECT_EQ(took, 19998 * kPsPerUs) << "15999 + 15999/4 = 19998 us";
}

TEST(FsleepTest, FourTicksAtHz250UsesMsleep) {
    KernelRig rig(1);
    // fsleep(16000) -> msleep(16) -> 4 jiffies; from t=0 (a tick edge, jiffies 0)
    // it wakes at tick 0 + 4 + 1 = 5 -> 5 * 4 ms = 20 ms.
    const uint64_t took = time_on_cpu0(rig, [] { kh_fsleep(16000); });
    EXPECT_EQ(took, 20 * kPsPerMs) << "msleep(16) at HZ=250 from a tick edge";
    auto ev = KernelRig::sleeps();
    ASSERT_EQ(ev.size(), 1u) << "one logged sleep";
    EXPECT_EQ(ev[0].kind, SHIM_SLEEP_MSLEEP) << "the msleep branch";
    EXPECT_EQ(ev[0].fsleep_us, 16000u) << "logged with its fsleep() argument";
}

TEST(FsleepTest, ThresholdFollowsHzAt1000) {
    configure_hz(1000);
    KernelRig rig(1);
    uint64_t bound = 0, t_range = 0, t_msleep = 0;
    rig.on_cpu(0, [&] {
        bound = kh_usleep_range_upper_bound();
        uint64_t t0 = KernelRig::now_ps();
        kh_fsleep(3999); // usleep_range(3999, 4998)
        t_range = KernelRig::now_ps() - t0;
        KernelRig::delay_ps(2 * kPsPerUs); // to t = 5.000 ms: a tick edge at HZ=1000
        t0 = KernelRig::now_ps();
        kh_fsleep(4000); // msleep(4): 4 jiffies, wake at tick 5 + 4 + 1 = 10 -> 5 ms
        t_msleep = KernelRig::now_ps() - t0;
    });
    rig.run();
    EXPECT_EQ(bound, 4000u) << "4 ticks of 1 ms";
    EXPECT_EQ(t_range, 4998 * kPsPerUs) << "3999 + 3999/4";
    EXPECT_EQ(t_msleep, 5 * kPsPerMs) << "msleep(4) at HZ=1000 from a tick edge: 4 + 1 ticks";
}

TEST(FsleepTest, UpperBoundAtHz300) {
    configure_hz(300);
    KernelRig rig(1);
    uint64_t bound = 0;
    time_on_cpu0(rig, [&] { bound = kh_usleep_range_upper_bound(); });
    // TICK_NSEC = (1e9 + 150) / 300 = 3333333 ns; * 4 / 1000 = 13333 us.
    EXPECT_EQ(bound, 13333u) << "kernel's integer TICK_NSEC arithmetic";
}

// ---- msleep ---------------------------------------------------------------

TEST(MsleepTest, RoundsToTheTickEdgeAfterTheTimeoutAtHz250) {
    KernelRig rig(1);
    uint64_t first = 0, second = 0, jiffies_after = 0;
    rig.on_cpu(0, [&] {
        KernelRig::delay_ps(kPsPerUs); // t = 1 us: inside tick 0
        uint64_t t0 = KernelRig::now_ps();
        kh_msleep(20); // 5 jiffies: wake at tick 0 + 5 + 1 = 6 -> 24 ms
        first = KernelRig::now_ps() - t0;
        t0 = KernelRig::now_ps();
        kh_msleep(1); // 1 jiffy from tick 6: wake at tick 8 -> 32 ms
        second = KernelRig::now_ps() - t0;
        jiffies_after = kh_jiffies();
    });
    rig.run();
    EXPECT_EQ(first, 24 * kPsPerMs - kPsPerUs) << "24 ms edge minus the 1 us start offset";
    EXPECT_EQ(second, 8 * kPsPerMs) << "msleep(1) from a tick edge: 1 + 1 ticks of 4 ms";
    EXPECT_EQ(jiffies_after, 8u) << "jiffies count 4 ms ticks of simulated time";
}

TEST(MsleepTest, TwentyMillisecondsAtHz1000) {
    configure_hz(1000);
    KernelRig rig(1);
    const uint64_t took = time_on_cpu0(rig, [] { kh_msleep(20); });
    EXPECT_EQ(took, 21 * kPsPerMs) << "20 jiffies + 1 from t=0";
}

TEST(MsleepTest, ZeroDoesNotSleep) {
    KernelRig rig(1);
    const uint64_t took = time_on_cpu0(rig, [] { kh_msleep(0); });
    EXPECT_EQ(took, 0u) << "msleep(0) arms no timer";
}

TEST(DelayTest, UdelayIsABusyWait) {
    KernelRig rig(1);
    const uint64_t took = time_on_cpu0(rig, [] { kh_udelay(250); });
    EXPECT_EQ(took, 250 * kPsPerUs) << "exact busy-wait";
    EXPECT_EQ(KernelRig::stats().busy_total_ps, 250 * kPsPerUs) << "counted as busy time";
    EXPECT_EQ(KernelRig::stats().sleeps, 0u) << "not a sleep";
}

// ---- locks ----------------------------------------------------------------

TEST(LockTest, ContendedMutexBlocksTheSecondCpuUntilRelease) {
    KernelRig rig(2);
    uint64_t cpu1_done = 0;
    rig.on_cpu(0, [] { kh_mutex_hold_us(100); });
    rig.on_cpu(1, [&] {
        KernelRig::delay_ps(10 * kPsPerUs);
        kh_mutex_hold_us(50); // waits 10 -> 100 us, holds 100 -> 150 us
        cpu1_done = KernelRig::now_ps();
    });
    rig.run();
    EXPECT_EQ(cpu1_done, 150 * kPsPerUs) << "blocked until cpu0 released at 100 us, then 50 us";
    shim_lock_stats ls{};
    ASSERT_TRUE(KernelRig::lock_stats("test_mutex", &ls)) << "DEFINE_MUTEX registers by name";
    EXPECT_EQ(ls.acquisitions, 2u) << "two lockers";
    EXPECT_EQ(ls.contended, 1u) << "cpu1 found it taken";
    EXPECT_EQ(ls.wait_max_ps, 90 * kPsPerUs) << "cpu1 waited 10 -> 100 us";
    EXPECT_EQ(ls.hold_max_ps, 100 * kPsPerUs) << "cpu0 held it 100 us";
    EXPECT_EQ(ls.hold_total_ps, 150 * kPsPerUs) << "100 + 50 us";
    const cmosim::sim::KernelCpuStats c1 = rig.host.cpu_stats(1);
    EXPECT_EQ(c1.lock_wait_ps, 90 * kPsPerUs) << "per-CPU: cpu1 blocked 90 us";
    EXPECT_EQ(c1.sleep_ps, 50 * kPsPerUs) << "per-CPU: cpu1 slept 50 us holding it";
    EXPECT_EQ(rig.host.cpu_stats(0).lock_wait_ps, 0u) << "cpu0 never blocked";
}

TEST(LockTest, RwsemReadersShareAndWaitingWriterHoldsNewReadersBack) {
    KernelRig rig(4);
    uint64_t done[4] = {};
    // cpu0 R [0,100)  cpu1 R [10,110)  cpu2 W waits -> [110,210)
    // cpu3 R arrives at 30 behind the waiting writer -> [210,310)
    rig.on_cpu(0, [&] {
        kh_read_hold_us(100);
        done[0] = KernelRig::now_ps();
    });
    rig.on_cpu(1, [&] {
        KernelRig::delay_ps(10 * kPsPerUs);
        kh_read_hold_us(100);
        done[1] = KernelRig::now_ps();
    });
    rig.on_cpu(2, [&] {
        KernelRig::delay_ps(20 * kPsPerUs);
        kh_write_hold_us(100);
        done[2] = KernelRig::now_ps();
    });
    rig.on_cpu(3, [&] {
        KernelRig::delay_ps(30 * kPsPerUs);
        kh_read_hold_us(100);
        done[3] = KernelRig::now_ps();
    });
    rig.run();
    EXPECT_EQ(done[0], 100 * kPsPerUs) << "first reader unimpeded";
    EXPECT_EQ(done[1], 110 * kPsPerUs) << "second reader shares the lock";
    EXPECT_EQ(done[2], 210 * kPsPerUs) << "writer waits for both readers";
    EXPECT_EQ(done[3], 310 * kPsPerUs) << "late reader queues behind the waiting writer";
    shim_lock_stats ls{};
    ASSERT_TRUE(KernelRig::lock_stats("test_rwsem", &ls)) << "DECLARE_RWSEM registers by name";
    EXPECT_TRUE(ls.is_rwsem) << "an rwsem row";
    EXPECT_EQ(ls.acquisitions, 4u) << "four down_*()";
    EXPECT_EQ(ls.contended, 2u) << "the writer and the late reader waited";
    EXPECT_EQ(ls.hold_total_ps, 310 * kPsPerUs) << "occupied without a gap from 0 to 310 us";
}

TEST(GuardTest, ReleasesOnEveryWayOut) {
    KernelRig rig(1);
    std::vector<std::pair<int, bool>> results;
    rig.on_cpu(0, [&] {
        for (int path = 0; path <= 6; path++) {
            int r = kh_guard_paths(path);
            results.emplace_back(r, kh_guard_mutexes_free());
        }
    });
    rig.run();
    ASSERT_EQ(results.size(), 7u) << "seven paths";
    const char *what[] = {
        "early return",          "return in loop",           "break in loop",
        "break in scoped_guard", "goto out of scoped_guard", "return in scoped_guard",
        "end of function"};
    for (int path = 0; path <= 6; path++) {
        EXPECT_EQ(results[path].first, 10 + path) << what[path] << ": took the intended path";
        EXPECT_TRUE(results[path].second) << what[path] << ": every guard released";
    }
    EXPECT_EQ(rig.host.rules().size(), 0u) << "no unlock-not-held or other rule";
}

TEST(GuardTest, FreePointerIsFreedUnlessReturned) {
    KernelRig rig(1);
    void *kept = nullptr;
    uint64_t freed_after_drop = 0;
    rig.on_cpu(0, [&] {
        kh_free_ptr_path(0);
        freed_after_drop = KernelRig::stats().kfree_calls;
        kept = kh_free_ptr_path(1);
    });
    rig.run();
    EXPECT_EQ(freed_after_drop, 1u) << "__free(kfree) freed it at scope exit";
    ASSERT_NE(kept, nullptr) << "return_ptr() hands it out";
    EXPECT_EQ(KernelRig::stats().kfree_calls, 1u) << "a returned pointer is not freed";
    kh_kfree(kept);
}

TEST(KrefTest, CountsAndReleasesExactlyOnce) {
    KernelRig rig(1);
    kh_kref_result r{};
    rig.on_cpu(0, [&] { kh_kref_sequence(&r); });
    rig.run();
    EXPECT_EQ(r.reads[0], 1u) << "kref_init sets 1";
    EXPECT_EQ(r.reads[1], 2u) << "kref_get adds 1";
    EXPECT_EQ(r.put_ret[0], 0) << "first put does not release";
    EXPECT_EQ(r.reads[2], 1u) << "back to 1";
    EXPECT_EQ(r.put_ret[1], 1) << "last put releases";
    EXPECT_EQ(r.released, 1) << "release called once";
}

TEST(KrefTest, UnderflowWarns) {
    KernelRig rig(1);
    rig.on_cpu(0, [] { kh_kref_underflow(); });
    rig.run();
    EXPECT_EQ(rig.host.rule_count(SHIM_RULE_WARN), 1u) << "refcount underflow WARNs once";
}

// ---- SMCCC conduit --------------------------------------------------------

TEST(SmcccConduitTest, InvokeTruncatesTheFidAndPassesEachArgument) {
    KernelRig rig(1);
    const uint64_t args[7] = {11, 22, 33, 44, 55, 66, 0xFFFFFFFFFFFFFFF7ull};
    std::vector<int> conduits;
    std::vector<uint64_t> a0s;
    rig.on_cpu(0, [&] {
        for (unsigned n = 0; n <= 7; n++) {
            uint64_t res[4];
            conduits.push_back(kh_smccc_invoke(n, 0x1800000FFull, args, res));
            a0s.push_back(res[0]);
        }
    });
    rig.run();
    auto calls = rig.fw.calls_of(0x800000FFu);
    ASSERT_EQ(calls.size(), 8u) << "one firmware call per arity, FID truncated to 0x800000FF";
    for (unsigned n = 0; n <= 7; n++) {
        EXPECT_EQ(calls[n].x[0], 0x800000FFull) << "upper 32 bits of the FID dropped";
        for (unsigned i = 1; i <= 7; i++)
            EXPECT_EQ(calls[n].x[i], i <= n ? args[i - 1] : 0u)
                << n << " arguments: x" << i << " is the argument or 0";
        EXPECT_EQ(conduits[n], 1) << "SMCCC_CONDUIT_SMC";
        EXPECT_EQ(static_cast<int32_t>(a0s[n]), -1) << "unknown FID -> NOT_SUPPORTED";
    }
}

TEST(SmcccConduitTest, NoConduitSetsMinusOneWithoutCallingTheFirmware) {
    shim_config cfg;
    shim_config_default(&cfg);
    cfg.smccc_conduit = 0; // SMCCC_CONDUIT_NONE
    shim_configure(&cfg);
    KernelRig rig(1);
    uint64_t res[4] = {7, 7, 7, 7};
    int conduit = -1;
    uint32_t version = 0;
    rig.on_cpu(0, [&] {
        conduit = kh_smccc_invoke(1, 0xC0000005u, res, res);
        version = kh_smccc_version();
    });
    rig.run();
    EXPECT_EQ(conduit, 0) << "SMCCC_CONDUIT_NONE";
    EXPECT_EQ(res[0], ~0ull) << "a0 = SMCCC_RET_NOT_SUPPORTED as unsigned long";
    EXPECT_EQ(version, 0x10000u) << "no conduit: SMCCC stays 1.0";
    EXPECT_TRUE(rig.fw.calls.empty()) << "nothing reached the firmware";
    EXPECT_EQ(KernelRig::stats().smc_calls, 0u) << "no SMC counted";
}

TEST(SmcccConduitTest, VersionIsProbedOnceAndCounted) {
    KernelRig rig(1);
    uint32_t v1 = 0, v2 = 0;
    rig.on_cpu(0, [&] {
        v1 = kh_smccc_version();
        v2 = kh_smccc_version();
    });
    rig.run();
    EXPECT_EQ(v1, 0x10007u) << "v1.7 from SMCCC_VERSION";
    EXPECT_EQ(v2, 0x10007u) << "cached";
    EXPECT_EQ(rig.fw.calls_of(kFidVersion).size(), 1u) << "probed once";
    EXPECT_EQ(KernelRig::stats().smc_calls, 1u) << "the probe is an SMC";
}

TEST(FallbackHostTest, KernelCodeRunsWithoutASimulator) {
    // No host installed: a private clock, one CPU, no firmware.
    kh_fsleep(1000); // usleep_range(1000, 1250)
    EXPECT_EQ(KernelRig::stats().sleep_total_ps, 1250 * kPsPerUs) << "slept on the private clock";
    EXPECT_EQ(kh_smccc_conduit(), 0) << "no firmware answers SMCCC_VERSION: 1.0, no conduit";
    kh_mutex_hold_us(5);
    EXPECT_FALSE(kh_mutex_locked()) << "uncontended locks need no wait queue";
}
