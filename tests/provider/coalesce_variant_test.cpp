// SPDX-License-Identifier: Apache-2.0
// The RFC's rejected coalescing provider (variants/arm_smccc_cache_coalesce.c):
// reproduces the under-flush that got it rejected.
#include <gtest/gtest.h>

#include "rig.h"

using namespace cmosim::test;

namespace {

struct TwoCallers {
    int ret1 = 12345;
    uint64_t asked1_ps = 0, returned1_ps = 0;
};

// cpu0 flushes A at t=0 (100 us in the firmware); cpu1 asks for B at 10 us.
TwoCallers run_two_callers(KernelRig &rig) {
    TwoCallers r;
    rig.fw.clean_inv_cost_ps = 100 * kPsPerUs;
    rig.on_cpu(0, [&] {
        rig.boot();
        rig.host.invalidate_memregion(0x1000000, 0x1000);
    });
    rig.on_cpu(1, [&] {
        rig.wait_boot();
        KernelRig::delay_ps(10 * kPsPerUs);
        r.asked1_ps = KernelRig::now_ps();
        r.ret1 = rig.host.invalidate_memregion(0x2000000, 0x1000);
        r.returned1_ps = KernelRig::now_ps();
    });
    rig.run();
    return r;
}

} // namespace

TEST(CoalesceVariantTest, GlobalFlushLetsAWaiterSkipItsOwnCall) {
    KernelRig rig(2);
    rig.fw.attr_flags = 1; // ATTRIBUTES x1 bit 0: the firmware flushes globally
    TwoCallers r = run_two_callers(rig);
    auto calls = rig.fw.calls_of(kFidCleanInv);
    //  t=0    cpu0 SMC [A] ........................ t=100us done, gen 0 -> 1
    //  t=10us cpu1 reads gen 0, waits on the mutex; at 100us sees gen 1 -> return 0
    ASSERT_EQ(calls.size(), 1u) << "cpu1 never reached the firmware";
    EXPECT_EQ(calls[0].x[1], 0x1000000u) << "the only flush was cpu0's";
    EXPECT_EQ(r.ret1, 0) << "cpu1 is told its range is clean";
    EXPECT_EQ(r.returned1_ps, 100 * kPsPerUs) << "as soon as cpu0's call finished";
    // The under-flush: the flush cpu1 relied on started before cpu1 asked, so
    // anything made stale in B between 0 and 10 us was never flushed for it.
    EXPECT_LT(calls[0].start_ps, r.asked1_ps) << "covering flush began before the request";
}

TEST(CoalesceVariantTest, WithoutGlobalFlushEachCallerFlushes) {
    KernelRig rig(2);
    rig.fw.attr_flags = 0;
    TwoCallers r = run_two_callers(rig);
    EXPECT_EQ(rig.fw.calls_of(kFidCleanInv).size(), 2u) << "no coalescing for range flushes";
    EXPECT_EQ(r.returned1_ps, 200 * kPsPerUs) << "waited 90 us, then its own 100 us call";
}
