// SPDX-License-Identifier: Apache-2.0
// KernelHost's span recording (the trace's SMC, sleep and lock-wait spans),
// on the provider rig: a fake firmware answers the first CLEAN_INV_MEMREGION
// with BUSY, advertises a 50 us latency, and takes no time itself.
//
//   cpu0: boot (4 probes) | SMC BUSY | sleep fsleep(50) = usleep_range(50, 62)
//         -> woken at 62 us | SMC SUCCESS                          0 .. 62 us
//   cpu1:                   mutex wait while cpu0 sleeps | SMC     0 .. 62 us
#include <gtest/gtest.h>

#include "rig.h"

using namespace cmosim::test;
using cmosim::sim::HostSpan;
using cmosim::sim::HostSpanKind;

namespace {

void two_cpus_contend(KernelRig &rig) {
    rig.fw.attr_latency_us = 50;
    rig.fw.clean_inv_script = {kBusy};
    rig.on_cpu(0, [&] {
        rig.boot();
        rig.host.invalidate_memregion(0x100000000, 4096);
    });
    rig.on_cpu(1, [&] {
        rig.wait_boot();
        rig.host.invalidate_memregion(0x100100000, 4096);
    });
    rig.run();
}

std::vector<HostSpan> of_kind(const std::vector<HostSpan> &all, HostSpanKind k) {
    std::vector<HostSpan> v;
    for (const HostSpan &s : all)
        if (s.kind == k)
            v.push_back(s);
    return v;
}

} // namespace

TEST(KernelHostSpansTest, EverySmcSleepAndLockWaitBecomesASpanWithItsCpuAndTimes) {
    KernelRig rig(2);
    rig.host.record_spans(true);
    two_cpus_contend(rig);
    const auto &all = rig.host.spans();
    // 4 boot probes + BUSY + SUCCESS on cpu0 + SUCCESS on cpu1 = 7 SMCs.
    auto smcs = of_kind(all, HostSpanKind::Smc);
    ASSERT_EQ(smcs.size(), 7u);
    EXPECT_EQ(smcs[0].fid, kFidVersion) << "the first probe at boot";
    EXPECT_EQ(smcs[4].fid, kFidCleanInv);
    EXPECT_EQ(static_cast<int64_t>(smcs[4].result), kBusy);
    EXPECT_EQ(smcs[4].cpu, 0u);

    auto sleeps = of_kind(all, HostSpanKind::Sleep);
    ASSERT_EQ(sleeps.size(), 1u);
    EXPECT_EQ(sleeps[0].cpu, 0u);
    EXPECT_EQ(sleeps[0].start_ps, 0u) << "the fake firmware takes no time";
    EXPECT_EQ(sleeps[0].duration_ps, 62 * kPsPerUs) << "50 us + 50 / 4 slack, woken at max";

    auto waits = of_kind(all, HostSpanKind::LockWait);
    ASSERT_EQ(waits.size(), 1u);
    EXPECT_EQ(waits[0].cpu, 1u);
    EXPECT_EQ(waits[0].start_ps, 0u);
    EXPECT_EQ(waits[0].duration_ps, 62 * kPsPerUs) << "until cpu0 wakes, retries and unlocks";
    EXPECT_EQ(smcs[6].cpu, 1u);
    EXPECT_EQ(smcs[6].start_ps, 62 * kPsPerUs) << "cpu1's call right after the wait";
    EXPECT_EQ(rig.host.spans_dropped(), 0u);
    EXPECT_STREQ(cmosim::sim::host_span_kind_name(HostSpanKind::LockWait), "lock_wait");
}

TEST(KernelHostSpansTest, NothingIsRecordedUnlessAsked) {
    KernelRig rig(2);
    two_cpus_contend(rig);
    EXPECT_TRUE(rig.host.spans().empty());
    EXPECT_EQ(rig.host.spans_dropped(), 0u) << "not recording is not dropping";
    EXPECT_EQ(rig.host.cpu_stats(0).sleeps, 1u) << "the counters run regardless";
}

TEST(KernelHostSpansTest, SpansBeyondTheLimitAreCountedNotKept) {
    KernelRig rig(2);
    rig.host.record_spans(true, 3);
    two_cpus_contend(rig);
    // 7 SMCs + 1 sleep + 1 lock wait = 9 spans: 3 kept, 6 counted.
    EXPECT_EQ(rig.host.spans().size(), 3u);
    EXPECT_EQ(rig.host.spans_dropped(), 6u);
}
