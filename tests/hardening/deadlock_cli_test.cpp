// SPDX-License-Identifier: Apache-2.0
// Firmware hangs through the real binary: a hang that never returns is
// detected (nothing can ever change), reported with each CPU and what it waits
// on, and ends the run with exit code 3 -- the tool never hangs with it.
#include <gtest/gtest.h>

#include "run_cmosim.h"

namespace cmosim::test {
namespace {

nlohmann::json cpu(const nlohmann::json &report, unsigned i) {
    return report["stop"]["cpus"][i];
}

TEST(DeadlockCliTest, FirmwareHangWithAWaiterIsReportedWithEveryCpuAndWhatItWaitsOn) {
    TempDir d;
    CmosimRun r =
        run_cmosim({"run", source_path("tests/hardening/scenarios/firmware-hang-deadlock.yaml"),
                    "--report", "r.json", "--quiet"},
                   d.path());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_FALSE(j["complete"].get<bool>());
    EXPECT_EQ(j["stop"]["reason"], "deadlock");
    // cpu0 took the provider's call lock and trapped into the firmware, which
    // never answers.
    EXPECT_EQ(cpu(j, 0)["state"], "hung_in_firmware");
    EXPECT_EQ(cpu(j, 0)["waits_on"]["kind"], "smc");
    EXPECT_EQ(cpu(j, 0)["waits_on"]["call"],
              "SMCCC_ARCH_CLEAN_INV_MEMREGION(x1=0x1000000000, x2=0x100000, x3=0x0)")
        << "cxl0 is at 0x1000000000; 1 MiB = 0x100000";
    EXPECT_EQ(cpu(j, 0)["label"], "first");
    // cpu1 waits for that lock.
    EXPECT_EQ(cpu(j, 1)["state"], "blocked_on_lock");
    EXPECT_EQ(cpu(j, 1)["waits_on"]["kind"], "mutex");
    // The provider's own lock, under whatever name its source gives it.
    const std::string lock = cpu(j, 1)["waits_on"]["name"].get<std::string>();
    EXPECT_FALSE(lock.empty());
    EXPECT_EQ(cpu(j, 1)["waits_on"]["holder_cpu"], 0);
    EXPECT_EQ(cpu(j, 2)["state"], "done");
    EXPECT_NE(r.err.find("cpu1, step 1 (invalidate \"second\"): blocked since"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("on mutex " + lock + " held by cpu0"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cpu2: finished its steps"), std::string::npos) << r.err;
}

TEST(DeadlockCliTest, FirmwareHangAtBootLeavesTheOtherCpuWaitingForTheBoot) {
    TempDir d;
    CmosimRun r =
        run_cmosim({"run", source_path("tests/hardening/scenarios/firmware-hang-at-boot.yaml"),
                    "--report", "r.json", "--quiet"},
                   d.path());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_EQ(j["stop"]["reason"], "firmware_hang");
    EXPECT_EQ(j["stop"]["message"],
              "hang: every CPU is finished or waits for a firmware call that never returns");
    EXPECT_EQ(cpu(j, 0)["state"], "hung_in_firmware");
    EXPECT_EQ(cpu(j, 0)["waits_on"]["call"], "SMCCC_VERSION(x1=0x0, x2=0x0, x3=0x0)")
        << "the provider probes the SMCCC version first";
    EXPECT_EQ(cpu(j, 1)["state"], "waiting_for_boot");
    EXPECT_EQ(cpu(j, 1)["waits_on"]["kind"], "boot");
    EXPECT_EQ(j["kernel"]["has_invalidate_memregion"], false)
        << "the provider never registered, and asking must not block";
}

TEST(DeadlockCliTest, SlowFirmwareHangIsCutByTheSimTimeLimitWithTheCpuInsideTheSmc) {
    TempDir d;
    CmosimRun r =
        run_cmosim({"run", source_path("tests/hardening/scenarios/firmware-slow-hang.yaml"),
                    "--report", "r.json", "--quiet"},
                   d.path());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_EQ(j["stop"]["reason"], "sim_time_limit") << "a 1 s hang is no deadlock, 1 ms is less";
    EXPECT_EQ(cpu(j, 0)["state"], "in_firmware");
    EXPECT_EQ(cpu(j, 1)["state"], "blocked_on_lock");
    EXPECT_EQ(cpu(j, 1)["waits_on"]["holder_cpu"], 0);
}

} // namespace
} // namespace cmosim::test
