// SPDX-License-Identifier: Apache-2.0
// Every step kind, run on a small platform: what each one records.
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/scenario.h"
#include "report/report.h"
#include "run/simulation.h"

using namespace cmosim::sim;
using json = nlohmann::json;

namespace {

const std::string kPlatform = "platform:\n"
                              "  cpus: 2\n"
                              "  l1d: { size: 4KiB, ways: 4 }\n"
                              "  slc: { size: 64KiB, ways: 8 }\n"
                              "  memory: [{ name: cxl0, kind: cxl, base: 0x1000000000, size: 1GiB, "
                              "read_latency: 230ns, bandwidth: 32GB/s }]\n";

json run(const std::string &steps) {
    Scenario s = load_scenario_text("t.yaml", kPlatform + steps);
    Simulation sim(s);
    bool complete = false;
    json r = json::parse(report_json(sim.run()));
    complete = sim.result().complete;
    EXPECT_TRUE(complete);
    return r;
}

} // namespace

TEST(StepsTest, AStreamMixesLoadsAndStoresDeterministically) {
    json r = run("cpus:\n  0:\n    - stream: { base: cxl0, size: 64KiB, accesses: 1000, "
                 "write_fraction: 0.25, pattern: random, seed: 7 }\n");
    const json &a = r["accesses"][0];
    EXPECT_EQ(a["kind"], "stream");
    EXPECT_EQ(a["loads"].get<int>() + a["stores"].get<int>(), 1000);
    // A quarter of 1000 draws, give or take the binomial spread (sd ~ 14).
    EXPECT_GT(a["stores"].get<int>(), 200);
    EXPECT_LT(a["stores"].get<int>(), 300);
    // The same draws, replayed here: one coin per access, then one offset.
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    int stores = 0;
    for (int n = 0; n < 1000; ++n) {
        stores += coin(rng) < 0.25;
        rng();
    }
    EXPECT_EQ(a["stores"].get<int>(), stores) << "the stream is a function of its seed";
}

TEST(StepsTest, AStridedStreamTouchesOneLineInFour) {
    // 64 KiB window, 256 B stride, 256 accesses: 256 distinct lines, each the
    // first of a group of four; the SLC (1024 lines) keeps them all.
    json r = run("cpus:\n  0:\n    - stream: { base: cxl0, size: 64KiB, pattern: strided, "
                 "stride: 256B, accesses: 256 }\n");
    EXPECT_EQ(r["accesses"][0]["loads"], 256);
    EXPECT_EQ(r["platform"]["caches"][2]["name"], "slc");
    EXPECT_EQ(r["platform"]["caches"][2]["read_misses"], 256);
}

TEST(StepsTest, CmoAndSetWayStepsAreRecordedAsMaintenance) {
    json r = run("cpus:\n  0:\n    - store: { base: cxl0, size: 2KiB }\n"
                 "    - cmo: { op: dc_cvac, base: cxl0, size: 4KiB }\n"
                 "    - set_way: { op: dc_cisw }\n");
    const json &m = r["maintenance"];
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0]["op"], "dc_cvac");
    EXPECT_EQ(m[0]["lines"], 64) << "4 KiB / 64 B";
    EXPECT_EQ(m[0]["resident_lines"], 32) << "the 2 KiB stored";
    EXPECT_EQ(m[1]["op"], "dc_cisw");
    EXPECT_EQ(m[1]["lines"], 64) << "4 KiB L1D: 16 sets x 4 ways";
}

TEST(StepsTest, KernelCallsThroughTheProvider) {
    json r = run("cpus:\n  0:\n    - kernel: { call: has_invalidate_memregion }\n"
                 "    - store: { base: cxl0, size: 1KiB }\n"
                 "    - kernel: { call: invalidate_memregion, base: cxl0, size: 1MiB }\n"
                 "    - kernel: { call: invalidate_all }\n");
    const json &k = r["kernel_calls"];
    ASSERT_EQ(k.size(), 3u);
    EXPECT_EQ(k[0]["return"], 1) << "the SMCCC provider registered at boot";
    EXPECT_EQ(k[1]["return"], 0);
    EXPECT_EQ(k[1]["firmware_calls"], 1);
    EXPECT_EQ(k[1]["residual_lines"], 0);
    EXPECT_EQ(k[2]["return"], 0) << "(0, -1): the firmware serves it as a global flush";
    EXPECT_EQ(k[2]["size"].get<uint64_t>(), UINT64_MAX);
}

TEST(StepsTest, ABarrierHoldsEveryParticipantUntilTheLastArrives) {
    // CPU0 sleeps 10 us before the barrier; CPU1 arrives at once and must wait.
    json r = run("cpus:\n  0:\n    - sleep: 10us\n    - barrier: go\n"
                 "    - load: { base: cxl0, size: 64B }\n"
                 "  1:\n    - barrier: go\n    - load: { base: cxl0+4KiB, size: 64B }\n");
    for (const json &a : r["accesses"])
        EXPECT_GE(a["start_ps"].get<uint64_t>(), 10000000u) << "cpu" << a["cpu"];
}

TEST(StepsTest, RepeatRunsItsStepsCountTimes) {
    json r = run("cpus:\n  0:\n    - repeat: { count: 3, steps: [ { store: { base: cxl0, size: "
                 "64B } }, { invalidate: { base: cxl0, size: 4KiB, strategy: smccc } } ] }\n");
    EXPECT_EQ(r["invalidate"].size(), 3u);
    EXPECT_EQ(r["firmware"]["clean_inv_calls"], 3);
    // The store's three runs are one record (bounded whatever the count).
    ASSERT_EQ(r["accesses"].size(), 1u);
    EXPECT_EQ(r["accesses"][0]["count"], 3);
    EXPECT_EQ(r["accesses"][0]["stores"], 3);
    EXPECT_EQ(r["accesses"][0]["lines"], 3);
    EXPECT_EQ(r["accesses"][0]["size"], 64) << "the size of one run";
    EXPECT_LT(r["accesses"][0]["start_ps"].get<uint64_t>(),
              r["accesses"][0]["end_ps"].get<uint64_t>());
}

TEST(StepsTest, EachStepOfARepeatKeepsARecordOfItsOwn) {
    json r = run("cpus:\n  0:\n    - load: { base: cxl0, size: 64B }\n"
                 "    - repeat: { count: 5, steps: [ { load: { base: cxl0, size: 128B } }, "
                 "{ store: { base: cxl0+4KiB, size: 64B } } ] }\n");
    ASSERT_EQ(r["accesses"].size(), 3u) << "the first load, then the repeat's two steps";
    EXPECT_EQ(r["accesses"][0]["count"], 1);
    EXPECT_EQ(r["accesses"][1]["kind"], "load");
    EXPECT_EQ(r["accesses"][1]["count"], 5);
    EXPECT_EQ(r["accesses"][1]["loads"], 10);
    EXPECT_EQ(r["accesses"][2]["kind"], "store");
    EXPECT_EQ(r["accesses"][2]["count"], 5);
    EXPECT_EQ(r["accesses"][2]["step"], 1) << "the repeat's index";
}

TEST(StepsTest, ARawSmcCarriesSeventeenArgumentsAndReturnsEighteenRegisters) {
    json r = run("cpus:\n  0:\n    - smc: { fid: version, args: [0x1, 0x2, 0x3, 0x4, 0x5, 0x6, "
                 "0x7, 0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10, 0x11] }\n");
    const json &s = r["smc"][0];
    ASSERT_EQ(s["args"].size(), 17u);
    ASSERT_EQ(s["out"].size(), 18u) << "x0..x17 (SMCCC v1.2)";
    EXPECT_EQ(s["x0"], 65543) << "SMCCC_VERSION 1.7 in x0";
    EXPECT_EQ(s["out"][8], "0x8") << "x8 as passed";
    EXPECT_EQ(s["out"][17], "0x11") << "x17 as passed";
}
