// SPDX-License-Identifier: Apache-2.0
//
// The SMC entry point: IDs, function ID decoding, per-call costs, the call
// log, statistics and the name helpers.
#include <cstring>

#include "fake_hal.h"
#include "shim_agreement.h"

namespace cmosim::test {
namespace {

// smccc-interface.md §1 and §2, copied by hand from the document: if the
// header drifts from the public values this test says which one.
TEST(SmcccIdsTest, FunctionIdsEqualTheValuesInTheInterfaceDocument) {
    EXPECT_EQ(FW_FID_SMCCC_VERSION, 0x80000000u) << "SMCCC_VERSION";
    EXPECT_EQ(FW_FID_ARCH_FEATURES, 0x80000001u) << "SMCCC_ARCH_FEATURES";
    EXPECT_EQ(FW_FID_ARCH_SOC_ID, 0x80000002u) << "SMCCC_ARCH_SOC_ID";
    EXPECT_EQ(FW_FID_CLEAN_INV_MEMREGION, 0xC0000005u) << "CLEAN_INV_MEMREGION is fast SMC64";
    EXPECT_EQ(FW_FID_CLEAN_INV_MEMREGION_ATTRIBUTES, 0xC0000006u) << "ATTRIBUTES is fast SMC64";
}

TEST(SmcccIdsTest, StatusCodesEqualTheValuesInTheInterfaceDocument) {
    EXPECT_EQ(FW_SUCCESS, 0);
    EXPECT_EQ(FW_NOT_SUPPORTED, -1);
    EXPECT_EQ(FW_NOT_REQUIRED, -2);
    EXPECT_EQ(FW_INVALID_PARAMETER, -3);
    EXPECT_EQ(FW_RATE_LIMITED, -4) << "v1.7 code, not the PSCI 1.3 alpha -10..-12";
    EXPECT_EQ(FW_BUSY, -5) << "v1.7 code, not the PSCI 1.3 alpha -10..-12";
}

TEST(SmcccIdsTest, FieldMasksAndVersionsMatchTheDocumentedLayout) {
    EXPECT_EQ(FW_FID_FAST_BIT, 0x80000000u) << "bit 31";
    EXPECT_EQ(FW_FID_SMC64_BIT, 0x40000000u) << "bit 30";
    EXPECT_EQ(FW_FID_OWNER_MASK << FW_FID_OWNER_SHIFT, 0x3f000000u) << "bits 29:24";
    EXPECT_EQ(FW_FID_RESERVED_MASK, 0x00fe0000u) << "bits 23:17";
    EXPECT_EQ(FW_FID_SVE_HINT_BIT, 0x00010000u) << "bit 16";
    EXPECT_EQ(FW_FID_NUMBER_MASK, 0x0000ffffu) << "bits 15:0";
    EXPECT_EQ(FW_VERSION(1, 1), 0x10001u) << "(1 << 16) | 1";
    EXPECT_EQ(FW_VERSION(1, 7), 0x10007u) << "(1 << 16) | 7";
    EXPECT_EQ(FW_CLEAN_INV_FLAG_DRYRUN, 1u) << "x3 bit 0";
    EXPECT_EQ(FW_ATTR_FLAG_GLOBAL, 1u) << "x1 bit 0";
}

TEST(SmcccIdsTest, FirmwareAndKernelShimAgreeOnIdsAndCodes) {
#ifdef CMOSIM_FW_HAVE_SHIM_SMCCC
    ASSERT_GT(fw_shim_n_pairs, 0u);
    for (unsigned i = 0; i < fw_shim_n_pairs; i++) {
        EXPECT_EQ(fw_shim_pairs[i].shim, fw_shim_pairs[i].firmware)
            << fw_shim_pairs[i].name << ": provider/shim/include/linux/arm-smccc.h vs smccc.h";
    }
#else
    GTEST_SKIP() << "provider/shim/include/linux/arm-smccc.h not written yet";
#endif
}

TEST(ConfigTest, DefaultConfigHasTheDocumentedValues) {
    fw_config c;
    std::memset(&c, 0xa5, sizeof(c));
    fw_config_default(&c);
    EXPECT_EQ(c.smccc_version, 0x10007u) << "v1.7";
    EXPECT_TRUE(c.has_clean_inv);
    EXPECT_TRUE(c.has_attributes);
    EXPECT_FALSE(c.has_soc_id);
    EXPECT_EQ(c.features_clean_inv, 0) << "§6: no positive flags by default";
    EXPECT_EQ(c.features_attributes, 0);
    EXPECT_EQ(c.attributes_status, 0);
    EXPECT_FALSE(c.attr_global);
    EXPECT_EQ(c.attr_latency_us, 2000u);
    EXPECT_EQ(c.attr_rate_limit, 0u);
    EXPECT_EQ(c.attr_breakeven, 0u);
    EXPECT_TRUE(c.attr_breakeven_from_model);
    EXPECT_EQ(c.method, FW_METHOD_AUTO);
    EXPECT_FALSE(c.validation.strict_alignment) << "§6: round out by default";
    EXPECT_FALSE(c.validation.zero_length_ok) << "§6: 0 -> INVALID_PARAMETER";
    EXPECT_TRUE(c.validation.all_ones_is_global) << "§6: ~0 -> global flush";
    EXPECT_FALSE(c.validation.wrap_ok) << "§6: wrap -> INVALID_PARAMETER";
    EXPECT_FALSE(c.validation.reserved_flags_ok) << "§6: reserved flags -> INVALID_PARAMETER";
    EXPECT_EQ(c.rate_per_s, 0u) << "limiter off";
    EXPECT_EQ(c.burst, 1u);
    EXPECT_EQ(c.entry_ps, 1 * kUs);
    EXPECT_EQ(c.bookkeeping_ps, 500 * kNs);
    EXPECT_EQ(c.n_busy_agents, 0u);
    EXPECT_EQ(c.n_faults, 0u);
    EXPECT_EQ(c.seed, 1u);
    EXPECT_EQ(c.log_capacity, 4096u);
}

TEST(ConfigTest, CreatingAnAgentWithoutAHalFails) {
    fw_config c;
    fw_config_default(&c);
    EXPECT_EQ(fw_agent_create(&c, nullptr), nullptr) << "the HAL is mandatory";
    fw_agent_destroy(nullptr); // must be a no-op
}

using DispatchTest = FirmwareTest;

TEST_F(DispatchTest, UnknownFastCallReturnsMinusOneSignExtendedToAllOfX0) {
    // 0x8000ff00: fast, SMC32, owner 0, function 0xff00: nothing serves it.
    Regs r = smc(0x8000ff00u, 11, 22, 33, 44);
    EXPECT_EQ(r.x[0], 0xffffffffffffffffull) << "(int64_t)-1 in x0, so w0 is -1 too";
    EXPECT_EQ(r.x[1], 11u) << "SMC_UNK writes x0 only";
    EXPECT_EQ(r.x[2], 22u);
    EXPECT_EQ(r.x[3], 33u);
    EXPECT_EQ(r.x[4], 44u);
    EXPECT_EQ(stats().unknown, 1u);
}

TEST_F(DispatchTest, UnknownSmc64CallAlsoReturnsMinusOneInAllOfX0) {
    Regs r = smc(0xC000ff00u);
    EXPECT_EQ(r.x[0], ~0ull) << "SMC64 callers read all of x0";
}

TEST_F(DispatchTest, YieldingCallsAreUnknownEvenWithAKnownFunctionNumber) {
    // Bit 31 clear: 0x00000000 is "VERSION" as a yielding call, 0x40000005
    // "CLEAN_INV" as a yielding SMC64 call. Neither exists here.
    EXPECT_EQ(smc(0x00000000u).status(), FW_NOT_SUPPORTED);
    EXPECT_EQ(smc(0x40000005u, 0, 4096).status(), FW_NOT_SUPPORTED);
    EXPECT_TRUE(hal.flushes.empty()) << "an unknown call must do nothing";
    EXPECT_EQ(stats().unknown, 2u);
}

class ReservedBitTest : public FirmwareTest, public ::testing::WithParamInterface<int> {};

TEST_P(ReservedBitTest, FastCallWithAReservedBitSetIsNotSupported) {
    uint32_t bit = 1u << GetParam();
    EXPECT_EQ(smc(FW_FID_SMCCC_VERSION | bit).status(), FW_NOT_SUPPORTED)
        << "bits 23:17 must be zero in a fast call (DEN0028 §2.5)";
    EXPECT_EQ(smc(FW_FID_CLEAN_INV_MEMREGION | bit, 0, 4096).status(), FW_NOT_SUPPORTED);
    EXPECT_EQ(features(FW_FID_CLEAN_INV_MEMREGION | bit), FW_NOT_SUPPORTED)
        << "FEATURES decodes its argument as dispatch does";
    EXPECT_TRUE(hal.flushes.empty());
}

INSTANTIATE_TEST_SUITE_P(Bits23To17, ReservedBitTest, ::testing::Range(17, 24));

TEST_F(DispatchTest, SveHintBitIsIgnoredWhenMatchingTheFunction) {
    EXPECT_EQ(smc(FW_FID_SMCCC_VERSION | FW_FID_SVE_HINT_BIT).x[0], 0x10007u);
    EXPECT_EQ(clean_inv(0x1000, 0x40), FW_SUCCESS);
    EXPECT_EQ(smc(FW_FID_CLEAN_INV_MEMREGION | FW_FID_SVE_HINT_BIT, 0x2000, 0x40).status(),
              FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 2u) << "both calls flushed";
    EXPECT_EQ(hal.flushes[1].base, 0x2000u);
}

TEST_F(DispatchTest, UpperHalfOfTheFunctionIdRegisterIsIgnored) {
    // The FID is w0: 0xdeadbeef_80000000 is SMCCC_VERSION.
    EXPECT_EQ(smc(0xdeadbeef80000000ull).x[0], 0x10007u);
    EXPECT_EQ(smc(0xffffffffC0000005ull, 0x1000, 0x40).status(), FW_SUCCESS);
}

TEST_F(DispatchTest, Smc32ArgumentsIgnoreTheUpperHalvesOfTheirRegisters) {
    // ARCH_FEATURES is SMC32: x1 = 0xffffffff_C0000005 is w1 = CLEAN_INV.
    EXPECT_EQ(features(0xffffffffC0000005ull), 0);
    // and w1 = 0x80000000 with junk above is VERSION.
    EXPECT_EQ(features(0x1234567880000000ull), 0);
    cfg.has_soc_id = true;
    fw_agent_destroy(fw);
    fw = nullptr;
    // SOC_ID(w1): 0x1_00000001 is type 1 (revision), a valid query.
    EXPECT_EQ(smc(FW_FID_ARCH_SOC_ID, 0x100000001ull).status(), 0);
}

TEST_F(DispatchTest, Smc64ArgumentsUseAllSixtyFourBits) {
    // CLEAN_INV is SMC64: the base above 4 GiB must reach the HAL intact.
    EXPECT_EQ(clean_inv(0x0000004000001000ull, 0x1000), FW_SUCCESS);
    ASSERT_EQ(hal.flushes.size(), 1u);
    EXPECT_EQ(hal.flushes[0].base, 0x0000004000001000ull) << "not truncated to 0x1000";
}

TEST_F(DispatchTest, Smc32FormOfCleanInvIsUnknown) {
    // 0x80000005: the same function number with the SMC32 convention.
    EXPECT_EQ(smc(0x80000005u, 0x1000, 0x40).status(), FW_NOT_SUPPORTED);
    EXPECT_TRUE(hal.flushes.empty());
}

TEST_F(DispatchTest, CallsOfAnotherOwnerAreUnknown) {
    // 0x84000000: PSCI_VERSION, owner 4 (standard secure service).
    EXPECT_EQ(smc(0x84000000u).status(), FW_NOT_SUPPORTED);
    EXPECT_EQ(features(0x84000000u), FW_NOT_SUPPORTED);
}

TEST_F(DispatchTest, EveryCallIsChargedEntryPlusBookkeeping) {
    hal.now = 10 * kUs;
    smc(FW_FID_SMCCC_VERSION);
    smc(0x8000ff00u); // unknown calls pay the trap too
    // Defaults: 1 us trap + 0.5 us bookkeeping = 1.5 us per SMC.
    ASSERT_EQ(hal.consumed.size(), 2u);
    EXPECT_EQ(hal.consumed[0], 1500 * kNs);
    EXPECT_EQ(hal.consumed[1], 1500 * kNs);
    EXPECT_EQ(hal.now, 13 * kUs) << "10 us + 2 x 1.5 us";
}

TEST_F(DispatchTest, CostsAreConfigurable) {
    cfg.entry_ps = 700 * kNs;
    cfg.bookkeeping_ps = 300 * kNs;
    smc(FW_FID_SMCCC_VERSION);
    EXPECT_EQ(hal.total_consumed(), 1 * kUs) << "700 ns + 300 ns";
}

TEST_F(DispatchTest, CallLogRecordsInputsOutputsTimeAndFlush) {
    hal.now = 5 * kUs;
    hal.flush_ps = 20 * kUs;
    smc(FW_FID_CLEAN_INV_MEMREGION, 0x1000, 0x2000, 0, 0xabc, 3);
    const fw_call_record &rec = last_record();
    EXPECT_EQ(rec.t_start_ps, 5 * kUs);
    EXPECT_EQ(rec.duration_ps, 21500 * kNs) << "1.5 us SMC + 20 us flush";
    EXPECT_EQ(rec.cpu, 3u);
    EXPECT_EQ(rec.fid, FW_FID_CLEAN_INV_MEMREGION);
    EXPECT_EQ(rec.in[0], FW_FID_CLEAN_INV_MEMREGION);
    EXPECT_EQ(rec.in[1], 0x1000u);
    EXPECT_EQ(rec.in[2], 0x2000u);
    EXPECT_EQ(rec.in[3], 0u);
    EXPECT_EQ(rec.in[4], 0xabcu);
    EXPECT_EQ(rec.out[0], 0u) << "SUCCESS";
    EXPECT_EQ(rec.attempt, 1u);
    EXPECT_EQ(rec.fault_rule, -1) << "no fault plan";
    EXPECT_EQ(rec.flush.lines_invalidated, 3u) << "copied from the HAL's result";
    EXPECT_EQ(rec.flush.lines_written_back, 2u);
    EXPECT_EQ(rec.flush.duration_ps, 20 * kUs);
}

TEST_F(DispatchTest, CallLogRecordsTheRawInputRegisters) {
    smc(0xffffffff80000001ull, 0xaaaaaaaaC0000005ull);
    const fw_call_record &rec = last_record();
    EXPECT_EQ(rec.in[0], 0xffffffff80000001ull) << "as passed, before narrowing";
    EXPECT_EQ(rec.in[1], 0xaaaaaaaaC0000005ull);
    EXPECT_EQ(rec.fid, FW_FID_ARCH_FEATURES) << "the FID is w0";
    EXPECT_EQ(rec.out[0], 0u);
}

TEST_F(DispatchTest, Smccc12EntryCarriesX1ToX17AndLeavesTheUnusedOnesAsPassed) {
    uint64_t x[FW_SMC_REGS];
    for (size_t i = 0; i < FW_SMC_REGS; i++)
        x[i] = 0x1100 + i;
    x[0] = FW_FID_SMCCC_VERSION;
    fw_smc_regs(agent(), 2, x);
    const fw_call_record &rec = last_record();
    EXPECT_EQ(rec.cpu, 2u);
    EXPECT_EQ(rec.in[0], FW_FID_SMCCC_VERSION);
    EXPECT_EQ(rec.in[8], 0x1108u) << "x8 reached the firmware";
    EXPECT_EQ(rec.in[17], 0x1111u) << "x17 reached the firmware";
    EXPECT_EQ(x[0], 0x10007u) << "the result in x0";
    for (size_t i = 5; i < FW_SMC_REGS; i++)
        EXPECT_EQ(x[i], 0x1100 + i) << "x" << i << " as passed";
}

TEST_F(DispatchTest, Smccc11EntryStillTakesEightRegisters) {
    uint64_t x[8] = {FW_FID_ARCH_FEATURES, FW_FID_CLEAN_INV_MEMREGION, 0, 0, 0, 0, 0, 0x77};
    fw_smc(agent(), 0, x);
    const fw_call_record &rec = last_record();
    EXPECT_EQ(rec.in[7], 0x77u);
    EXPECT_EQ(rec.in[8], 0u) << "the registers past x7 read as zero";
    EXPECT_EQ(x[7], 0x77u);
}

TEST_F(DispatchTest, CallLogKeepsTheNewestEntriesAndCountsAll) {
    cfg.log_capacity = 3;
    for (uint64_t i = 0; i < 5; i++) {
        smc(FW_FID_ARCH_FEATURES, 0x100 + i);
    }
    EXPECT_EQ(fw_agent_log_count(agent()), 3u) << "capped at log_capacity";
    EXPECT_EQ(fw_agent_log_total(agent()), 5u) << "the total stays exact";
    // Oldest kept first: calls 3, 4, 5 asked about 0x102, 0x103, 0x104.
    for (size_t i = 0; i < 3; i++) {
        const fw_call_record *rec = fw_agent_log_entry(agent(), i);
        ASSERT_NE(rec, nullptr);
        EXPECT_EQ(rec->in[1], 0x102 + i);
        EXPECT_EQ(rec->attempt, 3 + i) << "per-FID index survives the ring";
    }
    EXPECT_EQ(fw_agent_log_entry(agent(), 3), nullptr) << "past the kept entries";
}

TEST_F(DispatchTest, ZeroLogCapacityKeepsNothingButStillCounts) {
    cfg.log_capacity = 0;
    smc(FW_FID_SMCCC_VERSION);
    smc(FW_FID_SMCCC_VERSION);
    EXPECT_EQ(fw_agent_log_count(agent()), 0u);
    EXPECT_EQ(fw_agent_log_total(agent()), 2u);
    EXPECT_EQ(fw_agent_log_entry(agent(), 0), nullptr);
}

TEST_F(DispatchTest, AttemptIndexIsCountedPerFunctionId) {
    smc(FW_FID_SMCCC_VERSION);
    clean_inv(0, 0x40);
    smc(FW_FID_SMCCC_VERSION);
    clean_inv(0, 0);                                 // invalid calls count as attempts too
    smc(FW_FID_SMCCC_VERSION | FW_FID_SVE_HINT_BIT); // same function as VERSION
    const size_t n = fw_agent_log_count(agent());
    ASSERT_EQ(n, 5u);
    const uint32_t expected[] = {1, 1, 2, 2, 3};
    for (size_t i = 0; i < n; i++) {
        EXPECT_EQ(fw_agent_log_entry(agent(), i)->attempt, expected[i]) << "entry " << i;
    }
}

TEST_F(DispatchTest, StatisticsCountEveryOutcome) {
    cfg.rate_per_s = 1;
    cfg.burst = 1;
    smc(FW_FID_SMCCC_VERSION);
    smc(0x8000ff00u);        // unknown
    clean_inv(0x1000, 0x40); // success, takes the only token
    clean_inv(0x1000, 0x40); // rate limited
    clean_inv(0x1000, 0);    // invalid: length 0
    const fw_stats &s = stats();
    EXPECT_EQ(s.calls, 5u);
    EXPECT_EQ(s.unknown, 1u);
    EXPECT_EQ(s.clean_inv_calls, 3u);
    EXPECT_EQ(s.clean_inv_success, 1u);
    EXPECT_EQ(s.rate_limited, 1u);
    EXPECT_EQ(s.invalid, 1u);
    EXPECT_EQ(s.busy, 0u);
    EXPECT_EQ(s.faults_applied, 0u);
}

TEST(NamesTest, StatusNamesFollowTheInterfaceDocument) {
    EXPECT_STREQ(fw_status_name(0), "SUCCESS");
    EXPECT_STREQ(fw_status_name(-1), "NOT_SUPPORTED");
    EXPECT_STREQ(fw_status_name(-2), "NOT_REQUIRED");
    EXPECT_STREQ(fw_status_name(-3), "INVALID_PARAMETER");
    EXPECT_STREQ(fw_status_name(-4), "RATE_LIMITED");
    EXPECT_STREQ(fw_status_name(-5), "BUSY");
    EXPECT_STREQ(fw_status_name(-10), "UNKNOWN_STATUS") << "not a PSCI 1.3 alpha name";
    EXPECT_STREQ(fw_status_name(7), "UNKNOWN_STATUS");
}

TEST(NamesTest, FunctionNamesCoverEveryImplementedId) {
    EXPECT_STREQ(fw_fid_name(0x80000000u), "SMCCC_VERSION");
    EXPECT_STREQ(fw_fid_name(0x80000001u), "SMCCC_ARCH_FEATURES");
    EXPECT_STREQ(fw_fid_name(0x80000002u), "SMCCC_ARCH_SOC_ID");
    EXPECT_STREQ(fw_fid_name(0xC0000005u), "SMCCC_ARCH_CLEAN_INV_MEMREGION");
    EXPECT_STREQ(fw_fid_name(0xC0000006u), "SMCCC_ARCH_CLEAN_INV_MEMREGION_ATTRIBUTES");
    EXPECT_STREQ(fw_fid_name(0xC0010005u), "SMCCC_ARCH_CLEAN_INV_MEMREGION") << "SVE hint";
    EXPECT_STREQ(fw_fid_name(0x84000000u), "UNKNOWN_FID");
}

TEST(NamesTest, MethodNamesAreTheConfigWords) {
    EXPECT_STREQ(fw_method_name(FW_METHOD_AUTO), "auto");
    EXPECT_STREQ(fw_method_name(FW_METHOD_RANGE), "range");
    EXPECT_STREQ(fw_method_name(FW_METHOD_GLOBAL), "global");
    EXPECT_STREQ(fw_method_name(FW_METHOD_LINES), "lines");
}

} // namespace
} // namespace cmosim::test
