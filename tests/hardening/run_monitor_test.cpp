// SPDX-License-Identifier: Apache-2.0
// The event budget in-process (sim/run/run_control.h): the default budget
// grows by the records a replay reads, a budget the user gave does not, and
// the message of a stop names the limit and the option that raises it.
#include <gtest/gtest.h>

#include "kernel/kernel_host.h"
#include "run/run_control.h"

namespace cmosim::sim {
namespace {

TEST(EventBudgetTest, TheDefaultBudgetGrowsWithReplayedRecords) {
    KernelHost kernel;
    RunMonitor run(1, RunLimits{0, 0, 100, true}, kernel);
    EXPECT_TRUE(run.charge(0, 60, "step 0"));
    run.grow(1000); // a replay read 1000 records...
    EXPECT_TRUE(run.charge(0, 1000, "replayed trace records")) << "...and may charge them";
    EXPECT_EQ(run.limits().events, 1100u);
    EXPECT_TRUE(run.charge(0, 40, "step 1"));
    EXPECT_FALSE(run.charge(0, 1, "step 2")) << "other steps stay within the base budget";
    EXPECT_EQ(run.reason(), StopReason::Events);
    EXPECT_EQ(run.message(), "the event limit of 1100 was reached: cpu0 needs 1 for step 2, 0 "
                             "are left; raise it with --max-events or limits.events (0: no "
                             "limit)");
}

TEST(EventBudgetTest, AGivenBudgetDoesNotGrow) {
    KernelHost kernel;
    RunMonitor run(1, RunLimits{0, 0, 100, false}, kernel);
    run.grow(1000);
    EXPECT_EQ(run.limits().events, 100u);
    EXPECT_FALSE(run.charge(0, 101, "replayed trace records"));
}

TEST(EventBudgetTest, NoLimitStaysNoLimit) {
    KernelHost kernel;
    RunMonitor run(1, RunLimits{0, 0, 0, true}, kernel);
    run.grow(1000);
    EXPECT_EQ(run.limits().events, 0u);
    EXPECT_TRUE(run.charge(0, uint64_t(1) << 60, "step 0"));
}

} // namespace
} // namespace cmosim::sim
