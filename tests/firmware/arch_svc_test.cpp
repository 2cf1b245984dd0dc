// SPDX-License-Identifier: Apache-2.0
//
// SMCCC_VERSION, SMCCC_ARCH_FEATURES, SMCCC_ARCH_SOC_ID and
// CLEAN_INV_MEMREGION_ATTRIBUTES (smccc-interface.md §1).
#include "fake_hal.h"

namespace cmosim::test {
namespace {

using ArchSvcTest = FirmwareTest;

TEST_F(ArchSvcTest, VersionReturnsTheConfiguredVersion) {
    EXPECT_EQ(smc(FW_FID_SMCCC_VERSION).x[0], 0x10007u) << "default v1.7 = (1 << 16) | 7";
}

TEST_F(ArchSvcTest, VersionCanBeConfiguredBelowTheProviderMinimum) {
    cfg.smccc_version = FW_VERSION(1, 0);
    EXPECT_EQ(smc(FW_FID_SMCCC_VERSION).x[0], 0x10000u)
        << "v1.0 < 0x10001: the provider must refuse to start";
}

TEST_F(ArchSvcTest, FeaturesAnswersZeroForEveryImplementedCall) {
    EXPECT_EQ(features(FW_FID_SMCCC_VERSION), 0);
    EXPECT_EQ(features(FW_FID_ARCH_FEATURES), 0);
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION), 0);
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES), 0);
}

TEST_F(ArchSvcTest, FeaturesAnswersMinusOneForSocIdUnlessEnabled) {
    EXPECT_EQ(features(FW_FID_ARCH_SOC_ID), FW_NOT_SUPPORTED) << "has_soc_id defaults to false";
    fw_agent_destroy(fw);
    fw = nullptr;
    cfg.has_soc_id = true;
    EXPECT_EQ(features(FW_FID_ARCH_SOC_ID), 0);
}

TEST_F(ArchSvcTest, FeaturesReportsTheConfiguredPositiveFlags) {
    cfg.features_clean_inv = 0x3;
    cfg.features_attributes = 0x10;
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION), 3);
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES), 0x10);
    EXPECT_EQ(features(FW_FID_SMCCC_VERSION), 0) << "only the two configured IDs change";
}

TEST_F(ArchSvcTest, FeaturesAnswersMinusOneForUnknownIds) {
    EXPECT_EQ(features(0x8000ff00u), FW_NOT_SUPPORTED) << "unused arch function";
    EXPECT_EQ(features(0x80000005u), FW_NOT_SUPPORTED) << "SMC32 form of CLEAN_INV";
    EXPECT_EQ(features(0x40000005u), FW_NOT_SUPPORTED) << "yielding";
    EXPECT_EQ(features(0xC0000004u), FW_NOT_SUPPORTED);
    EXPECT_EQ(features(0xC0000007u), FW_NOT_SUPPORTED);
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION | FW_FID_SVE_HINT_BIT), 0)
        << "the SVE hint is ignored here as in dispatch";
}

TEST_F(ArchSvcTest, WithoutCleanInvBothCacheCallsDisappear) {
    cfg.has_clean_inv = false;
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION), FW_NOT_SUPPORTED);
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES), FW_NOT_SUPPORTED)
        << "has_clean_inv covers the pair";
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_NOT_SUPPORTED);
    EXPECT_EQ(smc(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES).status(), FW_NOT_SUPPORTED);
    EXPECT_TRUE(hal.flushes.empty());
}

TEST_F(ArchSvcTest, AttributesAloneCanBeRemoved) {
    cfg.has_attributes = false;
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION), 0) << "CLEAN_INV stays";
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES), FW_NOT_SUPPORTED);
    EXPECT_EQ(smc(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES).status(), FW_NOT_SUPPORTED);
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
}

// The table property: for every candidate ID under every configuration,
// FEATURES says "not implemented" exactly when dispatch answers NOT_SUPPORTED.
TEST_F(ArchSvcTest, FeaturesAndDispatchNeverDisagree) {
    const uint32_t ids[] = {0x80000000u, 0x80000001u, 0x80000002u, 0x80000003u,
                            0x80000005u, 0xC0000005u, 0xC0000006u, 0xC0010006u,
                            0x00000000u, 0x84000000u, 0x80020000u, 0xC0000000u};
    for (int mask = 0; mask < 8; mask++) {
        fw_agent_destroy(fw);
        fw = nullptr;
        cfg.has_soc_id = mask & 1;
        cfg.has_clean_inv = mask & 2;
        cfg.has_attributes = mask & 4;
        for (uint32_t id : ids) {
            // x1 = a known FID so that FEATURES itself answers >= 0; DRYRUN so
            // that an implemented CLEAN_INV answers without flushing.
            int32_t called = smc(id, FW_FID_SMCCC_VERSION, 0x40, FW_CLEAN_INV_FLAG_DRYRUN).status();
            bool implemented = features(id) >= 0;
            EXPECT_EQ(implemented, called != FW_NOT_SUPPORTED)
                << std::hex << "id 0x" << id << " config mask " << mask;
        }
    }
}

TEST_F(ArchSvcTest, SocIdAnswersVersionAndRevisionWhenEnabled) {
    cfg.has_soc_id = true;
    EXPECT_EQ(smc(FW_FID_ARCH_SOC_ID, 0).status(), 0) << "type 0: version, no JEP-106 identity";
    EXPECT_EQ(smc(FW_FID_ARCH_SOC_ID, 1).status(), 0) << "type 1: revision";
    EXPECT_EQ(smc(FW_FID_ARCH_SOC_ID, 2).status(), FW_INVALID_PARAMETER) << "no other type";
}

TEST_F(ArchSvcTest, SocIdIsUnknownWhenDisabled) {
    EXPECT_EQ(smc(FW_FID_ARCH_SOC_ID, 0).status(), FW_NOT_SUPPORTED);
}

TEST_F(ArchSvcTest, AttributesReturnTheDefaultsAndTheModelBreakEven) {
    hal.breakeven = 96 * 1024;
    Regs r = smc(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES, 7, 7, 7, 7);
    EXPECT_EQ(r.x[0], 0u) << "attributes_status";
    EXPECT_EQ(r.x[1], 0u) << "not a global flush";
    EXPECT_EQ(r.x[2], 2000u) << "latency 2000 us";
    EXPECT_EQ(r.x[3], 0u) << "no rate limit advertised";
    EXPECT_EQ(r.x[4], 96u * 1024) << "attr_breakeven_from_model: the HAL's value";
}

TEST_F(ArchSvcTest, AttributesReturnTheConfiguredValues) {
    cfg.attr_global = true;
    cfg.attr_latency_us = 15000;
    cfg.attr_rate_limit = 200;
    cfg.attr_breakeven = 1 << 20;
    cfg.attr_breakeven_from_model = false;
    Regs r = smc(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES);
    EXPECT_EQ(r.x[0], 0u);
    EXPECT_EQ(r.x[1], uint64_t{FW_ATTR_FLAG_GLOBAL});
    EXPECT_EQ(r.x[2], 15000u);
    EXPECT_EQ(r.x[3], 200u) << "advertised only: rate_per_s is 0, nothing enforced";
    EXPECT_EQ(r.x[4], 1u << 20) << "configured, the model's value is not asked";
}

TEST_F(ArchSvcTest, AttributesFallBackToTheConfiguredBreakEvenWithoutAModelValue) {
    hal.drop_breakeven();
    cfg.attr_breakeven = 4096;
    EXPECT_EQ(smc(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES).x[4], 4096u);
}

TEST_F(ArchSvcTest, AttributesStatusIsConfigurableAndSignExtended) {
    cfg.attributes_status = FW_NOT_REQUIRED;
    Regs r = smc(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES);
    EXPECT_EQ(r.x[0], static_cast<uint64_t>(int64_t{-2})) << "-2 in all of x0 (SMC64)";
    EXPECT_EQ(r.x[2], 2000u) << "the other registers are still written";
}

TEST_F(ArchSvcTest, AttributesTakeNoTokenAndIgnoreBusy) {
    cfg.rate_per_s = 1;
    cfg.burst = 1;
    cfg.busy_agents[0] = {10 * kUs, 10 * kUs, 0, FW_ANY_CPU}; // always busy
    cfg.n_busy_agents = 1;
    EXPECT_EQ(smc(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES).status(), 0);
    EXPECT_EQ(smc(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES).status(), 0)
        << "only CLEAN_INV is limited";
}

} // namespace
} // namespace cmosim::test
