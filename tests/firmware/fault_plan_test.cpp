// SPDX-License-Identifier: Apache-2.0
//
// The fault plan: rule matching (FID, per-FID attempt, time window,
// probability with a seed) and every action, as firmware.h defines them.
#include <vector>

#include "fake_hal.h"

namespace cmosim::test {
namespace {

using FaultPlanTest = FirmwareTest;

// ---- actions --------------------------------------------------------------

TEST_F(FaultPlanTest, ReturnAnswersTheChosenStatusAndDoesNothing) {
    cfg.rate_per_s = 1;
    cfg.burst = 1;
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_BUSY;
    r.attempt_first = r.attempt_last = 1;
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_BUSY);
    EXPECT_TRUE(hal.flushes.empty()) << "RETURN does nothing";
    EXPECT_EQ(last_record().fault_rule, 0) << "rule 0 is logged";
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS) << "attempt 2: and no token was taken";
    EXPECT_EQ(last_record().fault_rule, -1);
    EXPECT_EQ(stats().faults_applied, 1u);
    EXPECT_EQ(stats().busy, 1u) << "statistics count what the caller saw";
}

TEST_F(FaultPlanTest, ReturnCanMakeAttributesFail) {
    add_fault(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES, FW_FAULT_RETURN).status = FW_NOT_SUPPORTED;
    Regs r = smc(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES, 7, 7, 7, 7);
    EXPECT_EQ(r.x[0], ~0ull) << "-1 sign-extended";
    EXPECT_EQ(r.x[2], 7u) << "the service never ran: x1..x4 as passed";
    EXPECT_EQ(r.x[4], 7u);
}

TEST_F(FaultPlanTest, ReturnOnAnSmc32CallIsSignExtendedToo) {
    add_fault(FW_FID_SMCCC_VERSION, FW_FAULT_RETURN).status = FW_INVALID_PARAMETER;
    EXPECT_EQ(smc(FW_FID_SMCCC_VERSION).x[0], 0xfffffffffffffffdull) << "-3";
}

TEST_F(FaultPlanTest, ReturnCanAnswerAnUnknownFunction) {
    add_fault(0x8000ff00u, FW_FAULT_RETURN).status = FW_SUCCESS;
    EXPECT_EQ(smc(0x8000ff00u).status(), FW_SUCCESS);
    EXPECT_EQ(stats().unknown, 1u) << "still an unknown ID in the statistics";
}

TEST_F(FaultPlanTest, AddLatencyChargesTheExtraTimeThenDoesTheCall) {
    hal.flush_ps = 10 * kUs;
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_ADD_LATENCY).latency_ps = 7 * kUs;
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.consumed.size(), 2u);
    EXPECT_EQ(hal.consumed[0], 1500 * kNs) << "trap + bookkeeping";
    EXPECT_EQ(hal.consumed[1], 7 * kUs) << "the fault's latency";
    EXPECT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(last_record().duration_ps, 18500 * kNs) << "1.5 + 7 + 10 us flush";
}

TEST_F(FaultPlanTest, AddLatencyWorksOnAnyCall) {
    add_fault(FW_FID_SMCCC_VERSION, FW_FAULT_ADD_LATENCY).latency_ps = 3 * kUs;
    EXPECT_EQ(smc(FW_FID_SMCCC_VERSION).x[0], 0x10007u);
    EXPECT_EQ(hal.total_consumed(), 4500 * kNs) << "1.5 + 3 us";
}

TEST_F(FaultPlanTest, HangSpendsTheLatencyThenReturnsTheStatusWithoutFlushing) {
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_HANG);
    r.latency_ps = 5 * kMs;
    r.status = FW_BUSY;
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_BUSY);
    EXPECT_TRUE(hal.flushes.empty());
    EXPECT_EQ(hal.total_consumed(), 5 * kMs + 1500 * kNs);
    EXPECT_EQ(last_record().duration_ps, 5001500 * kNs) << "5 ms hang + 1.5 us SMC";
}

TEST_F(FaultPlanTest, SkipLevelReportsSuccessButLeavesTheLevelAlone) {
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_SKIP_LEVEL).levels = FW_LEVEL_SLC;
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].opts.levels, unsigned{FW_LEVEL_L1 | FW_LEVEL_L2}) << "ALL & ~SLC";
    EXPECT_FALSE(hal.flushes[0].opts.skip_writeback);
}

TEST_F(FaultPlanTest, SkipLevelAppliesToGlobalFlushesToo) {
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_SKIP_LEVEL).levels = FW_LEVEL_L1;
    EXPECT_EQ(clean_inv(0, kAllOnes), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::All);
    EXPECT_EQ(hal.flushes[0].opts.levels, unsigned{FW_LEVEL_L2 | FW_LEVEL_SLC});
}

TEST_F(FaultPlanTest, SkipWritebackReportsSuccessButDropsDirtyData) {
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_SKIP_WRITEBACK);
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_TRUE(hal.flushes[0].opts.skip_writeback);
    EXPECT_EQ(hal.flushes[0].opts.levels, unsigned{FW_LEVEL_ALL});
}

TEST_F(FaultPlanTest, PartialFlushesOnlyTheFirstFractionOfTheRange) {
    cfg.method = FW_METHOD_RANGE;
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_PARTIAL).fraction_ppm = 250000;
    // [0x10000, 0x20000) ==25%==> [0x10000, 0x14000) . . .
    EXPECT_EQ(clean_inv(0x10000, 0x10000), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].base, 0x10000u);
    EXPECT_EQ(hal.flushes[0].len, 0x4000u) << "64 KiB x 25% = 16 KiB";
}

TEST_F(FaultPlanTest, PartialRoundsDownToWholeLines) {
    cfg.method = FW_METHOD_RANGE;
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_PARTIAL).fraction_ppm = 333333;
    EXPECT_EQ(clean_inv(0x1000, 0x1000), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    // 4096 x 0.333333 = 1365.3 bytes -> 21 whole lines = 1344 bytes.
    EXPECT_EQ(hal.flushes[0].len, 1344u);
}

TEST_F(FaultPlanTest, PartialSmallerThanALineFlushesNothingButReportsSuccess) {
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_PARTIAL).fraction_ppm = 100000;
    EXPECT_EQ(clean_inv(0x1000, 0x200), FW_SUCCESS) << "512 B x 10% = 51 B < one line";
    EXPECT_TRUE(hal.flushes.empty());
}

TEST_F(FaultPlanTest, PartialOfTheWholeFractionIsACompleteFlush) {
    cfg.method = FW_METHOD_RANGE;
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_PARTIAL).fraction_ppm = 1000000;
    EXPECT_EQ(clean_inv(0x1000, 0x1000), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].len, 0x1000u);
}

TEST_F(FaultPlanTest, PartialOfAGlobalRequestFlushesNothing) {
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_PARTIAL).fraction_ppm = 500000;
    EXPECT_EQ(clean_inv(0, kAllOnes), FW_SUCCESS);
    EXPECT_TRUE(hal.flushes.empty()) << "a global flush has no range to cut short";
}

TEST_F(FaultPlanTest, PartialTurnsTheGlobalMethodIntoARangeFlush) {
    cfg.method = FW_METHOD_GLOBAL;
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_PARTIAL).fraction_ppm = 500000;
    EXPECT_EQ(clean_inv(0x1000, 0x1000), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Range);
    EXPECT_EQ(hal.flushes[0].len, 0x800u);
}

TEST_F(FaultPlanTest, PartialKeepsTheMethodChosenForTheFullLength) {
    hal.breakeven = 64 * 1024;
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_PARTIAL).fraction_ppm = 250000;
    // 128 KiB >= 64 KiB: the engine; it stops after 32 KiB (< break-even).
    EXPECT_EQ(clean_inv(0, 128 * 1024), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Range);
    EXPECT_EQ(hal.flushes[0].len, 32u * 1024);
}

TEST_F(FaultPlanTest, MisbehaviourDoesNotBypassValidationLimiterOrBusy) {
    cfg.rate_per_s = 1;
    cfg.burst = 1;
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_SKIP_WRITEBACK);
    EXPECT_EQ(clean_inv(0x1000, 0), FW_INVALID_PARAMETER);
    EXPECT_EQ(clean_inv(0x1000, 0x40, FW_CLEAN_INV_FLAG_DRYRUN), FW_SUCCESS);
    EXPECT_TRUE(hal.flushes.empty()) << "a probe still flushes nothing";
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_RATE_LIMITED);
    EXPECT_EQ(hal.flushes.size(), 1u);
}

// ---- matching -------------------------------------------------------------

TEST_F(FaultPlanTest, AttemptRangeSelectsTheseCallsOnly) {
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_BUSY;
    r.attempt_first = 2;
    r.attempt_last = 3;
    const int32_t expected[] = {FW_SUCCESS, FW_BUSY, FW_BUSY, FW_SUCCESS, FW_SUCCESS};
    for (int i = 0; i < 5; i++) {
        EXPECT_EQ(clean_inv(0x1000, 0x40), expected[i]) << "attempt " << i + 1;
    }
}

TEST_F(FaultPlanTest, AttemptRangeWithoutALastIndexIsOpenEnded) {
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_RATE_LIMITED;
    r.attempt_first = 3;
    const int32_t expected[] = {FW_SUCCESS, FW_SUCCESS, FW_RATE_LIMITED, FW_RATE_LIMITED};
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(clean_inv(0x1000, 0x40), expected[i]) << "attempt " << i + 1;
    }
}

TEST_F(FaultPlanTest, AttemptsAreCountedPerFunctionIdOverAllCalls) {
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_BUSY;
    r.attempt_first = r.attempt_last = 3;
    smc(FW_FID_SMCCC_VERSION);                             // VERSION #1
    EXPECT_EQ(clean_inv(0x1000, 0), FW_INVALID_PARAMETER); // CLEAN_INV #1, refused
    smc(FW_FID_SMCCC_VERSION);                             // VERSION #2
    smc(FW_FID_SMCCC_VERSION);                             // VERSION #3: not this FID
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);        // CLEAN_INV #2
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_BUSY);           // CLEAN_INV #3
    EXPECT_EQ(last_record().attempt, 3u);
}

TEST_F(FaultPlanTest, ARuleAimedAtOneCpuSparesTheOthers) {
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_BUSY;
    r.cpu_mask = FW_CPU_BIT(1);
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 0), FW_SUCCESS) << "CPU0 is not selected";
    EXPECT_EQ(last_record().fault_rule, -1);
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 1), FW_BUSY) << "CPU1 is";
    EXPECT_EQ(last_record().fault_rule, 0);
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 2), FW_SUCCESS) << "CPU2 is not";
}

TEST_F(FaultPlanTest, ACpuMaskSelectsSeveralCpus) {
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_RATE_LIMITED;
    r.cpu_mask = FW_CPU_BIT(0) | FW_CPU_BIT(63);
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 63), FW_RATE_LIMITED) << "the top CPU of the mask";
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 0), FW_RATE_LIMITED);
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 62), FW_SUCCESS);
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 64), FW_SUCCESS) << "no bit for CPU 64: not selected";
}

// CPU0 sees BUSY three times while CPU1 succeeds, however the calls interleave.
TEST_F(FaultPlanTest, ARuleAimedAtACpuCountsThatCpusAttemptsOnly) {
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_BUSY;
    r.cpu_mask = FW_CPU_BIT(0);
    r.attempt_first = 1;
    r.attempt_last = 3;
    const unsigned cpus[] = {1, 0, 1, 0, 1, 0, 0, 1};
    const int32_t expected[] = {FW_SUCCESS, FW_BUSY, FW_SUCCESS, FW_BUSY,
                                FW_SUCCESS, FW_BUSY, FW_SUCCESS, FW_SUCCESS};
    const uint32_t cpu_attempt[] = {1, 1, 2, 2, 3, 3, 4, 4};
    for (int i = 0; i < 8; i++) {
        EXPECT_EQ(clean_inv(0x1000, 0x40, 0, cpus[i]), expected[i]) << "call " << i + 1;
        EXPECT_EQ(last_record().attempt, static_cast<uint32_t>(i + 1))
            << "all CPUs: call " << i + 1;
        EXPECT_EQ(last_record().cpu_attempt, cpu_attempt[i])
            << "CPU" << cpus[i] << ": call " << i + 1;
    }
}

TEST_F(FaultPlanTest, ARuleForEveryCpuStillCountsAllCpusCalls) {
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_BUSY;
    r.attempt_first = 1;
    r.attempt_last = 2;
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 1), FW_BUSY) << "call 1 of all, CPU1's first";
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 0), FW_BUSY) << "call 2 of all, CPU0's first";
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 0), FW_SUCCESS) << "call 3 of all, CPU0's second";
}

TEST_F(FaultPlanTest, PerCpuAttemptsAreCountedPerFunctionToo) {
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_BUSY;
    r.cpu_mask = FW_CPU_BIT(2);
    r.attempt_first = r.attempt_last = 2;
    smc(FW_FID_SMCCC_VERSION, 0, 0, 0, 0, 2);             // CPU2: VERSION #1
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 2), FW_SUCCESS); // CPU2: CLEAN_INV #1
    smc(FW_FID_SMCCC_VERSION, 0, 0, 0, 0, 2);             // CPU2: VERSION #2, not this FID
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 3), FW_SUCCESS); // CPU3: its CLEAN_INV #1
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 2), FW_BUSY);    // CPU2: CLEAN_INV #2
    EXPECT_EQ(last_record().cpu_attempt, 2u);
    EXPECT_EQ(last_record().attempt, 3u);
}

TEST_F(FaultPlanTest, TimeWindowIsHalfOpenAndMatchesTheIssueTime) {
    free_smcs();
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_BUSY;
    r.t_from_ps = 10 * kUs;
    r.t_to_ps = 20 * kUs;
    EXPECT_EQ(clean_inv_at(10 * kUs - 1, 0, 64), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(10 * kUs, 0, 64), FW_BUSY) << "from is inclusive";
    EXPECT_EQ(clean_inv_at(20 * kUs - 1, 0, 64), FW_BUSY);
    EXPECT_EQ(clean_inv_at(20 * kUs, 0, 64), FW_SUCCESS) << "to is exclusive";
}

TEST_F(FaultPlanTest, TimeWindowIgnoresTheTrapCost) {
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_BUSY;
    r.t_from_ps = 10 * kUs;
    // Issued at 9 us; the firmware looks at 10.5 us, but the SMC was issued
    // before the window opened.
    EXPECT_EQ(clean_inv_at(9 * kUs, 0, 64), FW_SUCCESS);
}

TEST_F(FaultPlanTest, TimeWindowWithoutAnEndStaysOpen) {
    fw_fault_rule &r = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r.status = FW_BUSY;
    r.t_from_ps = 1 * kMs;
    EXPECT_EQ(clean_inv_at(0, 0, 64), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(1000 * kSec, 0, 64), FW_BUSY);
}

TEST_F(FaultPlanTest, FidZeroSelectsEveryCall) {
    add_fault(FW_FAULT_ANY_FID, FW_FAULT_RETURN).status = FW_NOT_REQUIRED;
    EXPECT_EQ(smc(FW_FID_SMCCC_VERSION).status(), FW_NOT_REQUIRED);
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION), FW_NOT_REQUIRED);
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_NOT_REQUIRED);
    EXPECT_EQ(smc(0xC000ff00u).status(), FW_NOT_REQUIRED);
    EXPECT_EQ(stats().faults_applied, 4u);
}

TEST_F(FaultPlanTest, RuleFidMatchesWhateverTheSveHint) {
    add_fault(FW_FID_SMCCC_VERSION | FW_FID_SVE_HINT_BIT, FW_FAULT_RETURN).status = FW_BUSY;
    EXPECT_EQ(smc(FW_FID_SMCCC_VERSION).status(), FW_BUSY);
    EXPECT_EQ(smc(FW_FID_SMCCC_VERSION | FW_FID_SVE_HINT_BIT).status(), FW_BUSY);
}

TEST_F(FaultPlanTest, FirstMatchingRuleApplies) {
    fw_fault_rule &r0 = add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN);
    r0.status = FW_RATE_LIMITED;
    r0.attempt_first = r0.attempt_last = 2;
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN).status = FW_BUSY;
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_BUSY) << "attempt 1: rule 0 does not match";
    EXPECT_EQ(last_record().fault_rule, 1);
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_RATE_LIMITED) << "attempt 2: both match, rule 0 wins";
    EXPECT_EQ(last_record().fault_rule, 0);
}

TEST_F(FaultPlanTest, ProbabilityZeroNeverApplies) {
    add_fault(FW_FID_CLEAN_INV_MEMREGION, FW_FAULT_RETURN).probability_ppm = 0;
    for (int i = 0; i < 100; i++) {
        ASSERT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    }
}

// The fault decisions of `n` CLEAN_INV calls under a 50% rule, with a VERSION
// call between each pair when `interleave` (selected by an always-on rule).
std::vector<int> fault_sequence(uint64_t seed, int n, bool interleave) {
    FakeHal hal;
    fw_config cfg;
    fw_config_default(&cfg);
    cfg.seed = seed;
    fw_fault_rule &always = cfg.faults[cfg.n_faults++];
    always = fw_fault_rule{};
    always.fid = FW_FID_SMCCC_VERSION;
    always.probability_ppm = 1000000;
    always.action = FW_FAULT_ADD_LATENCY;
    fw_fault_rule &coin = cfg.faults[cfg.n_faults++];
    coin = fw_fault_rule{};
    coin.fid = FW_FID_CLEAN_INV_MEMREGION;
    coin.probability_ppm = 500000;
    coin.action = FW_FAULT_RETURN;
    coin.status = FW_BUSY;
    fw_agent *fw = fw_agent_create(&cfg, &hal.hal);
    std::vector<int> out;
    for (int i = 0; i < n; i++) {
        uint64_t x[8] = {FW_FID_CLEAN_INV_MEMREGION, 0x1000, 0x40};
        fw_smc(fw, 0, x);
        out.push_back(static_cast<int32_t>(x[0]) == FW_BUSY);
        if (interleave) {
            uint64_t v[8] = {FW_FID_SMCCC_VERSION};
            fw_smc(fw, 0, v);
        }
    }
    fw_agent_destroy(fw);
    return out;
}

TEST(FaultPlanSeedTest, HalfProbabilityHitsAboutHalfTheCalls) {
    std::vector<int> seq = fault_sequence(1, 1000, false);
    int hits = 0;
    for (int h : seq) {
        hits += h;
    }
    // Binomial(1000, 0.5): sd ~ 16, so +-100 is over 6 sd.
    EXPECT_GT(hits, 400);
    EXPECT_LT(hits, 600);
}

TEST(FaultPlanSeedTest, SameSeedGivesTheSameDecisions) {
    EXPECT_EQ(fault_sequence(42, 200, false), fault_sequence(42, 200, false));
}

TEST(FaultPlanSeedTest, DifferentSeedsGiveDifferentDecisions) {
    EXPECT_NE(fault_sequence(1, 200, false), fault_sequence(2, 200, false))
        << "two 200-call coin sequences agree with probability 2^-200";
}

TEST(FaultPlanSeedTest, CallsNoProbabilisticRuleSelectsDoNotShiftTheSequence) {
    EXPECT_EQ(fault_sequence(7, 200, false), fault_sequence(7, 200, true))
        << "the always-on VERSION rule draws nothing";
}

} // namespace
} // namespace cmosim::test
