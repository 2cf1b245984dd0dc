// SPDX-License-Identifier: Apache-2.0
// The break-even the firmware advertises (FirmwareHal::breakeven_bytes) is
// where a DC CIVAC loop, as the CPU model times it, starts to cost at least
// one firmware call with empty caches: a loop over the break-even costs at
// least the call, one line less costs less. Checked on the platform a
// scenario elaborates, with and without an L1I (which data maintenance
// never looks up). One SystemC elaboration per test process.
#include <gtest/gtest.h>

#include "config/scenario.h"
#include "run/firmware_hal.h"
#include "run/platform.h"

using namespace cmosim::sim;

namespace {

constexpr uint64_t kCxl = 0x1000000000ull;

void check_agreement(const std::string &l1i) {
    const Scenario s = load_scenario_text(
        "breakeven.yaml", "platform:\n"
                          "  cpus: 1\n" +
                              l1i +
                              "  l1d: { size: 32KiB, ways: 4, hit_cycles: 4 }\n"
                              "  l2: { size: 512KiB, ways: 8, hit_cycles: 13 }\n"
                              "  slc: { size: 4MiB, ways: 16, hit_latency: 40ns }\n"
                              "  memory: [{ name: cxl0, kind: cxl, base: 0x1000000000, size: 1GiB, "
                              "read_latency: 230ns, bandwidth: 32GB/s }]\n"
                              "cpus:\n  0:\n    - sleep: 1ns\n");
    set_time_resolution();
    Platform platform(platform_params(s.platform));
    ASSERT_EQ(platform.l1i.size(), l1i.empty() ? 0u : 1u);
    FirmwareHal hal(s, platform, [](unsigned) { FAIL() << "no firmware call hangs here"; });
    const uint64_t line = s.platform.line_bytes;
    uint64_t breakeven = 0, at = 0, below = 0;
    platform.cores[0]->set_program([&](cmosim::models::CpuCore &c) {
        breakeven = hal.breakeven_bytes();
        at = static_cast<uint64_t>(
            c.cmo_range(cmosim::models::CmoOp::DcCivac, kCxl, breakeven).duration.value());
        below = static_cast<uint64_t>(
            c.cmo_range(cmosim::models::CmoOp::DcCivac, kCxl, breakeven - line).duration.value());
    });
    sc_core::sc_start();
    const uint64_t call = hal.empty_call_ps();
    ASSERT_GT(breakeven, line);
    EXPECT_EQ(breakeven % line, 0u);
    EXPECT_GE(at, call) << "a loop over the break-even (" << breakeven << " B) costs the call";
    EXPECT_LT(below, call) << "one line less costs less than the call";
}

} // namespace

TEST(BreakevenTest, AgreesWithTheTimedDcLoopWithoutAnL1i) {
    check_agreement("");
}

TEST(BreakevenTest, AgreesWithTheTimedDcLoopWithAnL1i) {
    check_agreement("  l1i: { size: 32KiB, ways: 8, hit_cycles: 4 }\n");
}
