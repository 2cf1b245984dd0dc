// SPDX-License-Identifier: Apache-2.0
// Kernel-rule checks of the shim: each rule fires when broken, and only then.
#include <gtest/gtest.h>

#include "kernel/kernel_helpers.h"
#include "rig.h"

using namespace cmosim::test;

namespace {

void configure(uint64_t hold_limit_ps, uint64_t nmi_ps) {
    shim_config cfg;
    shim_config_default(&cfg);
    cfg.mutex_hold_limit_ps = hold_limit_ps;
    cfg.nmi_watchdog_ps = nmi_ps;
    shim_configure(&cfg);
}

} // namespace

TEST(RuleTest, SleepInsideASpinlockIsReported) {
    KernelRig rig(1);
    rig.on_cpu(0, [] { kh_sleep_in_spinlock(); });
    rig.run();
    ASSERT_EQ(rig.host.rule_count(SHIM_RULE_SLEEP_IN_ATOMIC), 1u) << "fsleep(100) under spin_lock";
    EXPECT_EQ(rig.host.rules()[0].cpu, 0u) << "on the CPU that slept";
}

TEST(RuleTest, BusyWaitInsideASpinlockIsAllowed) {
    KernelRig rig(1);
    rig.on_cpu(0, [] { kh_udelay_in_spinlock(); });
    rig.run();
    EXPECT_TRUE(rig.host.rules().empty()) << "udelay does not sleep";
}

TEST(RuleTest, BlockingAllocationInAtomicContextIsReported) {
    KernelRig rig(1);
    rig.on_cpu(0, [] { kh_kmalloc_in_atomic(); });
    rig.run();
    EXPECT_EQ(rig.host.rule_count(SHIM_RULE_SLEEP_IN_ATOMIC), 1u) << "GFP_KERNEL may sleep";
}

TEST(RuleTest, UnlockOfAFreeMutexIsReported) {
    KernelRig rig(1);
    rig.on_cpu(0, [] { kh_unlock_free_mutex(); });
    rig.run();
    EXPECT_EQ(rig.host.rule_count(SHIM_RULE_UNLOCK_NOT_HELD), 1u) << "nothing to unlock";
}

TEST(RuleTest, UnlockByAnotherCpuIsReportedAndReleases) {
    KernelRig rig(2);
    bool locked_after = true;
    rig.on_cpu(0, [] { kh_mutex_lock(); });
    rig.on_cpu(1, [&] {
        KernelRig::delay_ps(10 * kPsPerUs);
        kh_mutex_unlock();
        locked_after = kh_mutex_locked();
    });
    rig.run();
    ASSERT_EQ(rig.host.rule_count(SHIM_RULE_UNLOCK_NOT_HELD), 1u) << "cpu1 does not own it";
    EXPECT_EQ(rig.host.rules()[0].cpu, 1u) << "reported on the unlocking CPU";
    EXPECT_FALSE(locked_after) << "released anyway, as CONFIG_DEBUG_MUTEXES does";
}

TEST(RuleTest, DestroyingAHeldMutexIsReported) {
    KernelRig rig(1);
    rig.on_cpu(0, [] { kh_destroy_locked_mutex(); });
    rig.run();
    EXPECT_EQ(rig.host.rule_count(SHIM_RULE_DESTROY_LOCKED), 1u) << "mutex_destroy while locked";
}

TEST(RuleTest, RelockingAHeldMutexIsReportedAsDeadlock) {
    KernelRig rig(1);
    rig.on_cpu(0, [] { kh_relock_mutex(); });
    rig.run(); // cpu0 then blocks for good; the simulation runs out of events
    EXPECT_EQ(rig.host.rule_count(SHIM_RULE_SELF_DEADLOCK), 1u) << "mutex_lock of an owned mutex";
}

TEST(RuleTest, MutexHeldPastTheLimitIsReportedAtUnlock) {
    configure(50 * kPsPerUs, 0);
    KernelRig rig(1);
    rig.on_cpu(0, [] {
        kh_mutex_hold_us(40);  // under the limit
        kh_mutex_hold_us(100); // over it
    });
    rig.run();
    ASSERT_EQ(rig.host.rule_count(SHIM_RULE_MUTEX_HELD_TOO_LONG), 1u) << "only the 100 us hold";
    EXPECT_EQ(rig.host.rules()[0].time_ps, 140 * kPsPerUs) << "reported at its unlock: 40 + 100 us";
}

TEST(RuleTest, NmiWatchdogFiresOnLongBusyKernelCode) {
    configure(0, 1 * kPsPerMs);
    KernelRig rig(1);
    rig.on_cpu(0, [] {
        shim_kernel_enter();
        kh_udelay(600);
        kh_udelay(600); // 1200 us without a touch or a schedule
        shim_kernel_exit();
    });
    rig.run();
    ASSERT_EQ(rig.host.rule_count(SHIM_RULE_NMI_WATCHDOG), 1u) << "one report per window";
    EXPECT_EQ(rig.host.rules()[0].time_ps, 1200 * kPsPerUs) << "seen after the second busy-wait";
}

TEST(RuleTest, NmiWatchdogQuietWhenTouchedOrScheduled) {
    configure(0, 1 * kPsPerMs);
    KernelRig rig(1);
    rig.on_cpu(0, [] {
        shim_kernel_enter();
        kh_udelay(600);
        kh_touch_nmi_watchdog();
        kh_udelay(600);
        kh_usleep_range(2000, 2000); // a sleep is a scheduling point
        kh_udelay(600);
        shim_kernel_exit();
        kh_udelay(5000); // outside kernel code: not watched
    });
    rig.run();
    EXPECT_EQ(rig.host.rule_count(SHIM_RULE_NMI_WATCHDOG), 0u) << "every window below 1 ms";
    EXPECT_EQ(KernelRig::stats().nmi_touches, 1u) << "one touch";
}

TEST(RuleTest, WarnOnIsReportedWithItsLocation) {
    KernelRig rig(1);
    rig.on_cpu(0, [] {
        kh_warn_on(0);
        kh_warn_on(1);
    });
    rig.run();
    ASSERT_EQ(rig.host.rule_count(SHIM_RULE_WARN), 1u) << "only the true condition";
    EXPECT_NE(rig.host.rules()[0].detail.find("shim_helpers.c"), std::string::npos)
        << "file and line of the WARN_ON";
    EXPECT_STREQ(shim_rule_name(SHIM_RULE_WARN), "warn") << "stable report name";
}

TEST(PrintkTest, LinesKeepTheirLevelAndSplitOnNewlines) {
    KernelRig rig(1);
    rig.on_cpu(0, [] { kh_log_lines(); });
    rig.run();
    const auto &log = rig.host.printk_log();
    ASSERT_EQ(log.size(), 5u) << "err, warn, two info lines, default; pr_debug compiled out";
    EXPECT_EQ(log[0].level, 3) << "KERN_ERR";
    EXPECT_EQ(log[0].text, "error 1") << "formatted, newline stripped";
    EXPECT_EQ(log[1].level, 4) << "KERN_WARNING";
    EXPECT_EQ(log[2].text, "two") << "first of two lines";
    EXPECT_EQ(log[3].text, "lines") << "second line, same level";
    EXPECT_EQ(log[3].level, 6) << "KERN_INFO";
    EXPECT_EQ(log[4].level, 4) << "no level: MESSAGE_LOGLEVEL_DEFAULT";
}
