// SPDX-License-Identifier: Apache-2.0
//
// CLEAN_INV_MEMREGION: the §6 validation knobs, DRYRUN, the flush methods and
// their fallbacks, and the busy state (smccc-interface.md §1, §6;
// timing-model.md "Firmware behaviour knobs"). Lines are 64 bytes throughout.
#include "fake_hal.h"

namespace cmosim::test {
namespace {

using CleanInvTest = FirmwareTest;

// ---- validation -----------------------------------------------------------

TEST_F(CleanInvTest, AlignedRangeIsFlushedExactlyWithEveryLevel) {
    cfg.method = FW_METHOD_RANGE;
    EXPECT_EQ(clean_inv(0x10000, 0x2000), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Range);
    EXPECT_EQ(hal.flushes[0].base, 0x10000u);
    EXPECT_EQ(hal.flushes[0].len, 0x2000u);
    EXPECT_EQ(hal.flushes[0].opts.levels, unsigned{FW_LEVEL_ALL}) << "L1 | L2 | SLC";
    EXPECT_FALSE(hal.flushes[0].opts.skip_writeback) << "clean means write back";
}

TEST_F(CleanInvTest, UnalignedRangeIsRoundedOutToWholeLines) {
    cfg.method = FW_METHOD_RANGE;
    // 0x1000     0x1010        0x1050     0x1080
    //   |  line   |== request ==|  line     |
    // [0x1010, 0x1050) touches lines 0x1000 and 0x1040: [0x1000, 0x1080).
    EXPECT_EQ(clean_inv(0x1010, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].base, 0x1000u);
    EXPECT_EQ(hal.flushes[0].len, 0x80u) << "two lines";
}

TEST_F(CleanInvTest, OneByteFlushesItsWholeLine) {
    cfg.method = FW_METHOD_RANGE;
    EXPECT_EQ(clean_inv(0x107f, 1), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].base, 0x1040u);
    EXPECT_EQ(hal.flushes[0].len, 0x40u);
}

TEST_F(CleanInvTest, StrictAlignmentRejectsAnUnalignedBase) {
    cfg.validation.strict_alignment = true;
    EXPECT_EQ(clean_inv(0x1010, 0x40), FW_INVALID_PARAMETER);
    EXPECT_TRUE(hal.flushes.empty());
}

TEST_F(CleanInvTest, StrictAlignmentRejectsAnUnalignedLength) {
    cfg.validation.strict_alignment = true;
    EXPECT_EQ(clean_inv(0x1000, 0x41), FW_INVALID_PARAMETER);
    EXPECT_TRUE(hal.flushes.empty());
}

TEST_F(CleanInvTest, StrictAlignmentAcceptsAnAlignedRange) {
    cfg.validation.strict_alignment = true;
    cfg.method = FW_METHOD_RANGE;
    EXPECT_EQ(clean_inv(0x1000, 0x80), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].len, 0x80u);
}

TEST_F(CleanInvTest, AlignmentFollowsTheHalLineSize) {
    hal.hal.line_size = 128;
    cfg.method = FW_METHOD_RANGE;
    EXPECT_EQ(clean_inv(0x1040, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].base, 0x1000u) << "128-byte line holding 0x1040";
    EXPECT_EQ(hal.flushes[0].len, 0x80u);
}

TEST_F(CleanInvTest, ZeroLengthIsAnInvalidParameterByDefault) {
    EXPECT_EQ(clean_inv(0x1000, 0), FW_INVALID_PARAMETER);
    EXPECT_TRUE(hal.flushes.empty());
}

TEST_F(CleanInvTest, ZeroLengthSucceedsWithoutFlushingOrTakingATokenWhenAllowed) {
    cfg.validation.zero_length_ok = true;
    cfg.rate_per_s = 1;
    cfg.burst = 1;
    EXPECT_EQ(clean_inv(0x1000, 0), FW_SUCCESS);
    EXPECT_TRUE(hal.flushes.empty()) << "nothing to flush";
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS) << "the only token is still there";
}

TEST_F(CleanInvTest, AllOnesLengthIsAGlobalFlushWhateverTheBase) {
    // cpu_cache_invalidate_all() passes (0, -1); any base means "everything".
    EXPECT_EQ(clean_inv(0, kAllOnes), FW_SUCCESS);
    EXPECT_EQ(clean_inv(0x12345, kAllOnes), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 2u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::All);
    EXPECT_EQ(hal.flushes[1].kind, FlushCall::All);
}

TEST_F(CleanInvTest, AllOnesLengthIsInvalidWhenNotServedAsGlobal) {
    cfg.validation.all_ones_is_global = false;
    EXPECT_EQ(clean_inv(0, kAllOnes), FW_INVALID_PARAMETER);
    EXPECT_TRUE(hal.flushes.empty());
}

TEST_F(CleanInvTest, WrappingRangeIsAnInvalidParameterByDefault) {
    // base = 2^64 - 4 KiB, len = 8 KiB: ends 4 KiB past 2^64.
    EXPECT_EQ(clean_inv(0xfffffffffffff000ull, 0x2000), FW_INVALID_PARAMETER);
    EXPECT_TRUE(hal.flushes.empty());
}

TEST_F(CleanInvTest, WrappingRangeIsClippedAtTheTopWhenAllowed) {
    cfg.validation.wrap_ok = true;
    cfg.method = FW_METHOD_RANGE;
    EXPECT_EQ(clean_inv(0xfffffffffffff000ull, 0x2000), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].base, 0xfffffffffffff000ull);
    EXPECT_EQ(hal.flushes[0].len, 0x1000u) << "[base, 2^64): the part below the wrap";
}

TEST_F(CleanInvTest, RangeEndingExactlyAtTheTopDoesNotWrap) {
    cfg.method = FW_METHOD_RANGE;
    // base + len = 2^64 exactly: the last line of the address space.
    EXPECT_EQ(clean_inv(0xffffffffffffffc0ull, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].len, 0x40u);
}

TEST_F(CleanInvTest, RangeRoundingOutToTheWholeAddressSpaceIsAGlobalFlush) {
    cfg.method = FW_METHOD_RANGE;
    // [0, 2^64 - 2) rounds out to [0, 2^64), which no length can express.
    EXPECT_EQ(clean_inv(0, kAllOnes - 1), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::All);
}

TEST_F(CleanInvTest, ReservedFlagBitsAreAnInvalidParameterByDefault) {
    EXPECT_EQ(clean_inv(0x1000, 0x40, 1u << 1), FW_INVALID_PARAMETER);
    EXPECT_EQ(clean_inv(0x1000, 0x40, 1ull << 32), FW_INVALID_PARAMETER)
        << "x3 is a 64-bit register for this SMC64 call";
    EXPECT_EQ(clean_inv(0x1000, 0x40, 1ull << 63), FW_INVALID_PARAMETER);
    EXPECT_TRUE(hal.flushes.empty());
    EXPECT_EQ(stats().invalid, 3u);
}

TEST_F(CleanInvTest, ReservedFlagBitsAreIgnoredWhenAllowed) {
    cfg.validation.reserved_flags_ok = true;
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0xfffffffffffffffeull), FW_SUCCESS);
    EXPECT_EQ(hal.flushes.size(), 1u) << "bit 0 clear: a real flush";
}

// ---- DRYRUN ---------------------------------------------------------------

TEST_F(CleanInvTest, DryrunValidatesButNeverFlushes) {
    EXPECT_EQ(clean_inv(0x1000, 0x40, FW_CLEAN_INV_FLAG_DRYRUN), FW_SUCCESS);
    EXPECT_EQ(clean_inv(0, kAllOnes, FW_CLEAN_INV_FLAG_DRYRUN), FW_SUCCESS);
    EXPECT_EQ(clean_inv(0x1000, 0, FW_CLEAN_INV_FLAG_DRYRUN), FW_INVALID_PARAMETER);
    EXPECT_EQ(clean_inv(0x1000, 0x40, FW_CLEAN_INV_FLAG_DRYRUN | 2), FW_INVALID_PARAMETER);
    EXPECT_TRUE(hal.flushes.empty());
}

TEST_F(CleanInvTest, DryrunSeesTheLimiterButTakesNoToken) {
    free_smcs();
    cfg.rate_per_s = 1;
    cfg.burst = 1;
    EXPECT_EQ(clean_inv(0x1000, 0x40, FW_CLEAN_INV_FLAG_DRYRUN), FW_SUCCESS);
    EXPECT_EQ(clean_inv(0x1000, 0x40, FW_CLEAN_INV_FLAG_DRYRUN), FW_SUCCESS)
        << "the first probe left the token";
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS) << "takes the only token";
    EXPECT_EQ(clean_inv(0x1000, 0x40, FW_CLEAN_INV_FLAG_DRYRUN), FW_RATE_LIMITED)
        << "a real call now would be limited, and the probe says so";
    EXPECT_EQ(hal.flushes.size(), 1u);
}

TEST_F(CleanInvTest, DryrunSeesABusyEngine) {
    cfg.busy_agents[0] = {100 * kUs, 100 * kUs, 0, FW_ANY_CPU}; // always busy
    cfg.n_busy_agents = 1;
    EXPECT_EQ(clean_inv(0x1000, 0x40, FW_CLEAN_INV_FLAG_DRYRUN), FW_BUSY);
}

TEST_F(CleanInvTest, ABusyAgentAimedAtOneCpuIsSeenByThatCpuOnly) {
    cfg.busy_agents[0] = {100 * kUs, 100 * kUs, 0, FW_CPU_BIT(1)}; // always busy, for CPU1
    cfg.n_busy_agents = 1;
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 1), FW_BUSY);
    EXPECT_EQ(clean_inv(0x1000, 0x40, FW_CLEAN_INV_FLAG_DRYRUN, 1), FW_BUSY) << "a probe too";
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, 0), FW_SUCCESS) << "CPU0 finds the engine free";
    EXPECT_EQ(hal.flushes.size(), 1u) << "only CPU0's call flushed";
}

// ---- methods --------------------------------------------------------------

TEST_F(CleanInvTest, RangeMethodUsesTheRangeEngine) {
    cfg.method = FW_METHOD_RANGE;
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Range) << "even far below the break-even";
}

TEST_F(CleanInvTest, GlobalMethodFlushesEverythingForAnyRange) {
    cfg.method = FW_METHOD_GLOBAL;
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::All);
}

TEST_F(CleanInvTest, LinesMethodWalksTheLines) {
    cfg.method = FW_METHOD_LINES;
    EXPECT_EQ(clean_inv(0x1000, 1 << 30), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Lines) << "even far above the break-even";
    EXPECT_EQ(hal.flushes[0].len, 1u << 30);
}

TEST_F(CleanInvTest, AutoWalksLinesBelowTheModelBreakEvenAndUsesTheEngineFromIt) {
    hal.breakeven = 64 * 1024;
    EXPECT_EQ(clean_inv(0, 64 * 1024 - 64), FW_SUCCESS); // one line below
    EXPECT_EQ(clean_inv(0, 64 * 1024), FW_SUCCESS);      // exactly at it
    ASSERT_EQ(hal.flushes.size(), 2u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Lines) << "len < break-even";
    EXPECT_EQ(hal.flushes[1].kind, FlushCall::Range) << "len == break-even";
}

TEST_F(CleanInvTest, AutoComparesTheRoundedLength) {
    hal.breakeven = 0x80;
    // [0x10, 0x50) is only 0x40 bytes but rounds out to [0, 0x80).
    EXPECT_EQ(clean_inv(0x10, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Range);
}

TEST_F(CleanInvTest, AutoUsesTheConfiguredBreakEvenWhenNotFromTheModel) {
    hal.breakeven = 1 << 30; // ignored
    cfg.attr_breakeven_from_model = false;
    cfg.attr_breakeven = 4096;
    EXPECT_EQ(clean_inv(0, 4096 - 64), FW_SUCCESS);
    EXPECT_EQ(clean_inv(0, 4096), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 2u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Lines);
    EXPECT_EQ(hal.flushes[1].kind, FlushCall::Range);
}

TEST_F(CleanInvTest, AutoWithoutAnyBreakEvenAlwaysUsesTheEngine) {
    hal.drop_breakeven();
    EXPECT_EQ(clean_inv(0, 64), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Range) << "break-even 0: nothing is below it";
}

TEST_F(CleanInvTest, AutoServesTheAllOnesLengthGlobally) {
    EXPECT_EQ(clean_inv(0, kAllOnes), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::All);
}

TEST_F(CleanInvTest, LinesFallBackToTheRangeEngine) {
    cfg.method = FW_METHOD_LINES;
    hal.drop_lines();
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Range);
}

TEST_F(CleanInvTest, LinesFallBackToAGlobalFlushWithoutARangeEngine) {
    cfg.method = FW_METHOD_LINES;
    hal.drop_lines();
    hal.drop_range();
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::All);
}

TEST_F(CleanInvTest, RangeFallsBackToAGlobalFlushThenToLines) {
    cfg.method = FW_METHOD_RANGE;
    hal.drop_range();
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    hal.drop_all();
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 2u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::All);
    EXPECT_EQ(hal.flushes[1].kind, FlushCall::Lines) << "the last resort still covers the range";
}

TEST_F(CleanInvTest, GlobalFallsBackToTheRequestedRange) {
    cfg.method = FW_METHOD_GLOBAL;
    hal.drop_all();
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Range);
    EXPECT_EQ(hal.flushes[0].base, 0x1000u);
    EXPECT_EQ(hal.flushes[0].len, 0x40u);
}

TEST_F(CleanInvTest, AllOnesWithoutAGlobalFlushUsesTheWidestRange) {
    hal.drop_all();
    EXPECT_EQ(clean_inv(0, kAllOnes), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].kind, FlushCall::Range);
    EXPECT_EQ(hal.flushes[0].base, 0u);
    EXPECT_EQ(hal.flushes[0].len, 0xffffffffffffffc0ull) << "[0, 2^64 - 64)";
}

TEST_F(CleanInvTest, AllOnesIsNotSupportedWithOnlyALineWalk) {
    hal.drop_all();
    hal.drop_range();
    EXPECT_EQ(clean_inv(0, kAllOnes), FW_NOT_SUPPORTED) << "2^58 lines would never finish";
    EXPECT_TRUE(hal.flushes.empty());
}

TEST_F(CleanInvTest, APlatformWithoutAnyFlushOpCannotServeTheCall) {
    hal.drop_all();
    hal.drop_range();
    hal.drop_lines();
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_NOT_SUPPORTED);
}

// ---- busy: another caller's flush in flight ---------------------------------

TEST_F(CleanInvTest, AnotherCpuCallingDuringAFlushGetsBusyAndNothingIsDone) {
    cfg.method = FW_METHOD_RANGE;
    hal.flush_ps = 50 * kUs;
    int32_t inner = 99;
    hal.during_flush = [&] {
        hal.during_flush = nullptr; // once
        inner = clean_inv(0x8000, 0x40, 0, /*cpu=*/1);
    };
    EXPECT_EQ(clean_inv(0x1000, 0x40, 0, /*cpu=*/0), FW_SUCCESS);
    EXPECT_EQ(inner, FW_BUSY) << "cpu1 arrived while cpu0's flush held the engine";
    ASSERT_EQ(hal.flushes.size(), 1u) << "the BUSY call flushed nothing";
    EXPECT_EQ(hal.flushes[0].base, 0x1000u);
    EXPECT_EQ(stats().busy, 1u);
    // Log order is completion order: cpu1's call returned first.
    ASSERT_EQ(fw_agent_log_count(agent()), 2u);
    EXPECT_EQ(fw_agent_log_entry(agent(), 0)->cpu, 1u);
    EXPECT_EQ(fw_agent_log_entry(agent(), 1)->cpu, 0u);
    // Once cpu0 is done the engine is free again.
    EXPECT_EQ(clean_inv(0x8000, 0x40, 0, 1), FW_SUCCESS);
}

TEST_F(CleanInvTest, DryrunDuringAFlushAlsoSeesBusy) {
    int32_t inner = 99;
    hal.during_flush = [&] {
        hal.during_flush = nullptr;
        inner = clean_inv(0x8000, 0x40, FW_CLEAN_INV_FLAG_DRYRUN, 1);
    };
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(inner, FW_BUSY);
}

TEST_F(CleanInvTest, OtherCallsAreServedWhileAFlushIsInFlight) {
    Regs version;
    Regs attrs;
    hal.during_flush = [&] {
        hal.during_flush = nullptr;
        version = smc(FW_FID_SMCCC_VERSION, 0, 0, 0, 0, 1);
        attrs = smc(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES, 0, 0, 0, 0, 2);
    };
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(version.x[0], 0x10007u) << "only the maintenance engine is busy";
    EXPECT_EQ(attrs.status(), FW_SUCCESS);
}

TEST_F(CleanInvTest, ACallThatFindsTheEngineBusyHasSpentItsToken) {
    free_smcs();
    cfg.rate_per_s = 1;
    cfg.burst = 2;
    int32_t second = 99;
    int32_t third = 99;
    hal.during_flush = [&] {
        hal.during_flush = nullptr;
        second = clean_inv(0x8000, 0x40, 0, 1); // takes token 2, then finds BUSY
        third = clean_inv(0x8000, 0x40, 0, 2);  // no token left
    };
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS); // token 1
    EXPECT_EQ(second, FW_BUSY);
    EXPECT_EQ(third, FW_RATE_LIMITED) << "limiter is checked before busy";
}

// ---- busy: background agents -------------------------------------------------

class BusyAgentTest : public FirmwareTest {
protected:
    BusyAgentTest() {
        free_smcs();
        // A scrubber holding the engine 2 us of every 10 us, from 5 us:
        // busy in [5, 7), [15, 17), ... and, extended backwards, none in [0, 5).
        cfg.busy_agents[0] = {10 * kUs, 2 * kUs, 5 * kUs, FW_ANY_CPU};
        cfg.n_busy_agents = 1;
    }
};

TEST_F(BusyAgentTest, EngineIsBusyInsideEachWindow) {
    EXPECT_EQ(clean_inv_at(5 * kUs, 0, 64), FW_BUSY) << "(5 - 5) mod 10 = 0 < 2";
    EXPECT_EQ(clean_inv_at(7 * kUs - 1, 0, 64), FW_BUSY) << "last ps of the window";
    EXPECT_EQ(clean_inv_at(15 * kUs, 0, 64), FW_BUSY) << "next period";
    EXPECT_EQ(clean_inv_at(1005 * kUs + 1, 0, 64), FW_BUSY) << "(1005 us + 1 ps - 5 us) mod 10 us";
    EXPECT_TRUE(hal.flushes.empty()) << "BUSY does nothing";
    EXPECT_EQ(stats().busy, 4u);
}

TEST_F(BusyAgentTest, EngineIsFreeOutsideTheWindows) {
    EXPECT_EQ(clean_inv_at(0, 0, 64), FW_SUCCESS) << "(0 - 5) mod 10 = 5 >= 2";
    EXPECT_EQ(clean_inv_at(5 * kUs - 1, 0, 64), FW_SUCCESS) << "1 ps before the window";
    EXPECT_EQ(clean_inv_at(7 * kUs, 0, 64), FW_SUCCESS) << "window is half open";
    EXPECT_EQ(clean_inv_at(14 * kUs, 0, 64), FW_SUCCESS);
    EXPECT_EQ(hal.flushes.size(), 4u);
}

TEST_F(BusyAgentTest, BusyIsJudgedAfterTheTrapIntoFirmware) {
    cfg.entry_ps = 1 * kUs;
    cfg.bookkeeping_ps = 500 * kNs;
    // Issued at 4 us, looked at 4 us + 1.5 us = 5.5 us: inside [5, 7).
    EXPECT_EQ(clean_inv_at(4 * kUs, 0, 64), FW_BUSY);
}

TEST_F(BusyAgentTest, AnyOfSeveralAgentsMakesTheEngineBusy) {
    cfg.busy_agents[1] = {10 * kUs, 1 * kUs, 0, FW_ANY_CPU}; // busy in [0, 1), [10, 11), ...
    cfg.n_busy_agents = 2;
    EXPECT_EQ(clean_inv_at(10 * kUs, 0, 64), FW_BUSY) << "second agent";
    EXPECT_EQ(clean_inv_at(5 * kUs, 0, 64), FW_BUSY) << "first agent";
    EXPECT_EQ(clean_inv_at(3 * kUs, 0, 64), FW_SUCCESS) << "neither";
}

TEST_F(BusyAgentTest, AgentHoldingTheWholePeriodIsAlwaysBusy) {
    cfg.busy_agents[0] = {10 * kUs, 10 * kUs, 3 * kUs, FW_ANY_CPU};
    EXPECT_EQ(clean_inv_at(0, 0, 64), FW_BUSY);
    EXPECT_EQ(clean_inv_at(123456789, 0, 64), FW_BUSY);
}

TEST_F(BusyAgentTest, AgentWithZeroPeriodOrDurationNeverHoldsTheEngine) {
    cfg.busy_agents[0] = {0, 10 * kUs, 0, FW_ANY_CPU};
    cfg.busy_agents[1] = {10 * kUs, 0, 0, FW_ANY_CPU};
    cfg.n_busy_agents = 2;
    EXPECT_EQ(clean_inv_at(0, 0, 64), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(5 * kUs, 0, 64), FW_SUCCESS);
}

} // namespace
} // namespace cmosim::test
