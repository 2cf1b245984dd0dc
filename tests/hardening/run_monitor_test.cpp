// SPDX-License-Identifier: Apache-2.0
// The event budget in-process (sim/run/run_control.h): the default budget
// grows by the records a replay reads and the lines a step declares, a budget
// the user gave does not, and
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

TEST(EventBudgetTest, TheDefaultBudgetGrowsWithTheLinesAStepDeclaresUpToACap) {
    KernelHost kernel;
    RunMonitor run(1, RunLimits{0, 0, 100, true}, kernel);
    run.grow_declared(5000); // a store of 5000 lines...
    EXPECT_TRUE(run.charge(0, 5001, "step 0, a store of 5000 lines")) << "...runs whole";
    EXPECT_EQ(run.limits().events, 5100u);
    const uint64_t pib_lines = uint64_t(1) << 44; // a store of 1 PiB in 64 B lines
    run.grow_declared(pib_lines);
    EXPECT_EQ(run.limits().events, 5100u) << "a step past 2^32 lines does not grow the budget";
    EXPECT_FALSE(run.charge(0, pib_lines + 1, "step 1, a store of 2^44 lines"));
    RunMonitor given(1, RunLimits{0, 0, 100, false}, kernel);
    given.grow_declared(5000);
    EXPECT_EQ(given.limits().events, 100u) << "a budget the user gave does not grow";
}

} // namespace
} // namespace cmosim::sim
