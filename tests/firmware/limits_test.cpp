// SPDX-License-Identifier: Apache-2.0
//
// The token bucket behind RATE_LIMITED (timing-model.md: refilled at
// rate_per_s, burst deep, full at boot; a call without a token does nothing).
// SMCs are cost-free here so that only the test moves the clock.
#include "fake_hal.h"

namespace cmosim::test {
namespace {

class RateLimiterTest : public FirmwareTest {
protected:
    RateLimiterTest() { free_smcs(); }
};

TEST_F(RateLimiterTest, RateZeroEnforcesNothing) {
    for (int i = 0; i < 100; i++) {
        ASSERT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS) << "call " << i;
    }
    EXPECT_EQ(stats().rate_limited, 0u);
}

TEST_F(RateLimiterTest, BurstCallsPassThenTheNextIsLimitedAndDoesNothing) {
    cfg.rate_per_s = 1000;
    cfg.burst = 3;
    // All at t = 0: the bucket starts full with 3 tokens.
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(0, 0x2000, 0x40), FW_RATE_LIMITED) << "burst exhausted";
    EXPECT_EQ(hal.flushes.size(), 3u) << "the limited call flushed nothing";
    EXPECT_EQ(stats().rate_limited, 1u);
}

TEST_F(RateLimiterTest, TokenReturnsExactlyOneOverRateLater) {
    cfg.rate_per_s = 1000; // one token per 1 ms = 10^9 ps
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(1 * kMs - 1, 0x1000, 0x40), FW_RATE_LIMITED)
        << "(10^9 - 1) ps x 1000/s = 0.999999999 token";
    EXPECT_EQ(clean_inv_at(1 * kMs, 0x1000, 0x40), FW_SUCCESS) << "exactly one token";
    EXPECT_EQ(clean_inv_at(1 * kMs, 0x1000, 0x40), FW_RATE_LIMITED) << "and it is spent";
}

TEST_F(RateLimiterTest, RefillIsExactForARateThatDoesNotDivideASecond) {
    cfg.rate_per_s = 3; // 1/3 s = 333333333333.33 ps
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(333333333333ull, 0x1000, 0x40), FW_RATE_LIMITED)
        << "333333333333 x 3 = 999999999999 < 10^12";
    EXPECT_EQ(clean_inv_at(333333333334ull, 0x1000, 0x40), FW_SUCCESS)
        << "333333333334 x 3 = 1000000000002 >= 10^12";
    // The bucket holds one token, so the 2 surplus units spilled over: the
    // next token is due 10^12 / 3 ps after 333333333334, at 666666666667.33 ps.
    EXPECT_EQ(clean_inv_at(666666666667ull, 0x1000, 0x40), FW_RATE_LIMITED)
        << "333333333333 x 3 = 999999999999 < 10^12";
    EXPECT_EQ(clean_inv_at(666666666668ull, 0x1000, 0x40), FW_SUCCESS) << "1 ps later: 10^12 + 2";
}

TEST_F(RateLimiterTest, FractionalCreditCarriesOverWhenTheBucketHasRoom) {
    cfg.rate_per_s = 3;
    cfg.burst = 2;
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS); // empty now
    EXPECT_EQ(clean_inv_at(333333333334ull, 0x1000, 0x40), FW_SUCCESS)
        << "10^12 + 2 units: one token and 2 units kept (room for 2 tokens)";
    // Next: 2 + 3 (t - 333333333334) >= 10^12 -> t >= 666666666666.67.
    EXPECT_EQ(clean_inv_at(666666666666ull, 0x1000, 0x40), FW_RATE_LIMITED);
    EXPECT_EQ(clean_inv_at(666666666667ull, 0x1000, 0x40), FW_SUCCESS)
        << "the long-run rate is exactly 3/s: no drift";
}

TEST_F(RateLimiterTest, IdleTimeRefillsNoMoreThanTheBurst) {
    cfg.rate_per_s = 1000;
    cfg.burst = 2;
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS);
    // One idle second would be 1000 tokens; the bucket holds 2.
    hal.now = 1 * kSec;
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_RATE_LIMITED);
}

TEST_F(RateLimiterTest, BucketSurvivesAnIdleTimeNearTheEndOfTime) {
    cfg.rate_per_s = 4000000000u; // near the uint32 limit: overflow territory
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(~0ull - 1, 0x1000, 0x40), FW_SUCCESS) << "no overflow in the refill";
    EXPECT_EQ(clean_inv_at(~0ull - 1, 0x1000, 0x40), FW_RATE_LIMITED) << "burst 1";
}

TEST_F(RateLimiterTest, BurstZeroBehavesAsOne) {
    cfg.rate_per_s = 10;
    cfg.burst = 0;
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS)
        << "a bucket that never fills is no config";
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_RATE_LIMITED);
}

TEST_F(RateLimiterTest, InvalidCallsTakeNoToken) {
    cfg.rate_per_s = 1;
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0), FW_INVALID_PARAMETER);
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40, 2), FW_INVALID_PARAMETER);
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS) << "the token was still there";
}

TEST_F(RateLimiterTest, OnlyCleanInvIsLimited) {
    cfg.rate_per_s = 1;
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(smc(FW_FID_SMCCC_VERSION).x[0], 0x10007u);
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION), 0);
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_RATE_LIMITED);
}

TEST_F(RateLimiterTest, ACpuBehindInTimeGetsNoCreditBack) {
    cfg.rate_per_s = 1000;
    EXPECT_EQ(clean_inv_at(2 * kMs, 0x1000, 0x40), FW_SUCCESS);
    // Another CPU, running 1.5 ms behind under temporal decoupling.
    EXPECT_EQ(clean_inv_at(500 * kUs, 0x1000, 0x40), FW_RATE_LIMITED);
    EXPECT_EQ(clean_inv_at(3 * kMs, 0x1000, 0x40), FW_SUCCESS) << "2 ms + 1 ms";
}

TEST_F(RateLimiterTest, LimiterIsJudgedAfterTheTrapIntoFirmware) {
    cfg.entry_ps = 1 * kUs;
    cfg.bookkeeping_ps = 500 * kNs;
    cfg.rate_per_s = 1000;
    // Issued at 0, judged at 1.5 us; the next issued at 1 ms is judged at
    // 1 ms + 1.5 us: still exactly 1 ms apart, so one token has come back.
    EXPECT_EQ(clean_inv_at(0, 0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(clean_inv_at(1 * kMs - 1, 0x1000, 0x40), FW_RATE_LIMITED);
    EXPECT_EQ(clean_inv_at(1 * kMs, 0x1000, 0x40), FW_SUCCESS);
}

TEST_F(RateLimiterTest, AdvertisedAndEnforcedRatesAreIndependentKnobs) {
    cfg.attr_rate_limit = 100;
    EXPECT_EQ(smc(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES).x[3], 100u);
    for (int i = 0; i < 10; i++) {
        EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS) << "rate_per_s 0: nothing enforced";
    }
}

} // namespace
} // namespace cmosim::test
