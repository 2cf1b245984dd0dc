// SPDX-License-Identifier: Apache-2.0
// Run limits through the real binary: simulated time, wall-clock time and
// events, each from the scenario's limits: section and from the command line.
// A stopped run exits with 3 and still writes its report, marked incomplete,
// with the reason and what every CPU was doing.
#include <gtest/gtest.h>

#include "run_cmosim.h"

namespace cmosim::test {
namespace {

const std::string kLong = source_path("tests/hardening/scenarios/long-store.yaml");

TEST(RunLimitsTest, ScenarioSimTimeLimitStopsTheRunWithExitCode3AndAnIncompleteReport) {
    TempDir d;
    // 1 ms ends the 32 GiB store early: its 2^29 lines at CXL bandwidth
    // (32 GB/s, 2 ns per 64 B line) need about a second of simulated time.
    d.write("s.yaml", read_file(kLong) + "limits: { sim_time: 1ms }\n");
    CmosimRun r = run_cmosim({"run", "s.yaml", "--report", "r.json", "--quiet"}, d.path());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_FALSE(j["complete"].get<bool>()) << "a run stopped at a limit is incomplete";
    EXPECT_EQ(j["stop"]["reason"], "sim_time_limit");
    EXPECT_EQ(j["stop"]["limits"]["sim_time_ps"], 1000000000u) << "1 ms = 10^9 ps";
    EXPECT_LE(j["sim_time_ps"].get<uint64_t>(), 1000000000u) << "never past the limit";
    EXPECT_EQ(j["stop"]["cpus"][0]["state"], "running") << "cpu0 was mid-store";
    EXPECT_NE(r.err.find("stopped: the simulated-time limit of 1000.000 us was reached"),
              std::string::npos)
        << r.err;
}

TEST(RunLimitsTest, MaxSimTimeOptionOverridesTheScenarioLimit) {
    TempDir d;
    d.write("s.yaml", read_file(kLong) + "limits: { sim_time: 1s }\n");
    CmosimRun r = run_cmosim(
        {"run", "s.yaml", "--max-sim-time", "20us", "--report", "r.json", "--quiet"}, d.path());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_EQ(j["stop"]["reason"], "sim_time_limit");
    EXPECT_EQ(j["stop"]["limits"]["sim_time_ps"], 20000000u) << "20 us = 2 * 10^7 ps";
    EXPECT_LE(j["sim_time_ps"].get<uint64_t>(), 20000000u);
}

TEST(RunLimitsTest, ScenarioWallTimeLimitStopsARunThatWouldTakeMinutes) {
    TempDir d;
    d.write("s.yaml", read_file(kLong) + "limits: { wall_time: 300ms }\n");
    CmosimRun r = run_cmosim({"run", "s.yaml", "--report", "r.json", "--quiet"}, d.path());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_FALSE(j["complete"].get<bool>());
    EXPECT_EQ(j["stop"]["reason"], "wall_time_limit");
    EXPECT_DOUBLE_EQ(j["stop"]["limits"]["wall_seconds"].get<double>(), 0.3);
    EXPECT_NE(r.err.find("the wall-clock limit of 0.3 s was reached"), std::string::npos) << r.err;
    // Not a timing assertion: the full run takes minutes, so a stop at all
    // within the ctest timeout proves the limit works.
}

TEST(RunLimitsTest, MaxWallTimeOptionStopsTheRun) {
    TempDir d;
    CmosimRun r =
        run_cmosim({"run", kLong, "--max-wall-time=200ms", "--report", "r.json"}, d.path());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_EQ(j["stop"]["reason"], "wall_time_limit");
    EXPECT_NE(r.out.find("[INCOMPLETE]"), std::string::npos) << "the summary says so too";
}

TEST(RunLimitsTest, EventLimitStopsBeforeTheStepThatWouldPassIt) {
    TempDir d;
    CmosimRun r = run_cmosim({"run", source_path("tests/hardening/scenarios/event-limit.yaml"),
                              "--report", "r.json", "--quiet"},
                             d.path());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_EQ(j["stop"]["reason"], "event_limit");
    // Steps 0 and 1: (1 + 1024) + (1 + 1024) = 2050 events; step 2 needs
    // 1 + 64 = 65 with 2100 - 2050 = 50 left, so it never starts.
    EXPECT_EQ(j["stop"]["events"], 2050u);
    EXPECT_EQ(j["stop"]["message"], "the event limit of 2100 was reached: cpu0 needs 65 for "
                                    "step 2, a store of 64 lines, 50 are left; raise it with "
                                    "--max-events or limits.events (0: no limit)");
    EXPECT_EQ(j["stop"]["cpus"][0]["state"], "halted");
    EXPECT_EQ(j["stop"]["cpus"][0]["step"], 2);
    EXPECT_EQ(j["stop"]["cpus"][0]["label"], "one step too many");
    EXPECT_EQ(j["accesses"].size(), 2u) << "steps 0 and 1 ran, step 2 did not";
}

TEST(RunLimitsTest, MaxEventsOptionRefusesAPebibyteStoreBeforeItStarts) {
    TempDir d;
    d.write("pib.yaml", "platform:\n"
                        "  l1d: { size: 32KiB, ways: 4 }\n"
                        "  slc: { size: 1MiB, ways: 8 }\n"
                        "  memory: [ { name: p, kind: cxl, base: 0, size: 1PiB,"
                        " read_latency: 200ns, bandwidth: 32GB/s } ]\n"
                        "kernel: { provider: none }\n"
                        "cpus: { 0: [ { store: { base: p, size: 1PiB } } ] }\n");
    CmosimRun r =
        run_cmosim({"run", "pib.yaml", "--max-events", "5000", "--report", "r.json"}, d.path());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    auto j = read_json(d.file("r.json"));
    // 1 PiB / 64 B = 2^50 / 2^6 = 2^44 = 17592186044416 lines, + 1 for the step.
    EXPECT_EQ(j["stop"]["message"], "the event limit of 5000 was reached: cpu0 needs "
                                    "17592186044417 for step 0, a store of 17592186044416 "
                                    "lines, 5000 are left; raise it with --max-events or "
                                    "limits.events (0: no limit)");
    EXPECT_EQ(j["stop"]["events"], 0u);
}

TEST(RunLimitsTest, DefaultEventLimitAlsoRefusesAPebibyteStore) {
    TempDir d;
    d.write("pib.yaml", "platform:\n"
                        "  l1d: { size: 32KiB, ways: 4 }\n"
                        "  slc: { size: 1MiB, ways: 8 }\n"
                        "  memory: [ { name: p, kind: cxl, base: 0, size: 1PiB,"
                        " read_latency: 200ns, bandwidth: 32GB/s } ]\n"
                        "cpus: { 0: [ { store: { base: p, size: 1PiB } } ] }\n");
    CmosimRun r = run_cmosim({"run", "pib.yaml", "--report", "r.json"}, d.path());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_EQ(j["stop"]["reason"], "event_limit");
    EXPECT_EQ(j["stop"]["limits"]["events"], 250000000u)
        << "the limits.events row's default: 2^44 lines is past what a step may declare";
}

TEST(RunLimitsTest, MaxEventsZeroLiftsTheLimitAndTheDefaultScenarioFinishes) {
    TempDir d;
    CmosimRun r = run_cmosim({"run", "--max-events", "0", "--report", "r.json"}, d.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_TRUE(j["complete"].get<bool>());
    EXPECT_EQ(j["stop"]["reason"], "finished");
    EXPECT_EQ(j["stop"]["limits"]["events"], 0u);
    EXPECT_FALSE(j["stop"].contains("cpus")) << "no per-CPU story for a finished run";
    EXPECT_GT(j["stop"]["events"].get<uint64_t>(), 32768u)
        << "the default scenario stores and loads 4 x 1 MiB = 65536 lines";
}

TEST(RunLimitsTest, ALimitStopsTheRunButExpectationsAreNotJudgedOnIt) {
    TempDir d;
    CmosimRun r = run_cmosim({"run", "--max-sim-time", "10us"}, d.path());
    EXPECT_EQ(r.exit_code, 3) << "incomplete, not an expectation failure (1)";
    EXPECT_NE(r.out.find("expectations: not evaluated (the run did not finish)"), std::string::npos)
        << r.out;
    EXPECT_EQ(r.err.find("expectation "), std::string::npos) << "no verdicts on a stopped run";
}

} // namespace
} // namespace cmosim::test

namespace cmosim::test {
namespace {

// 64 CPUs, each with a 16 GiB L2, over 1 TiB of memory: about 1 TB of tag
// arrays if every line filled (issue 18: check passed, run exhausted the host).
std::string huge_platform(const std::string &step) {
    return "platform:\n"
           "  cpus: 64\n"
           "  l1d: { size: 32KiB, ways: 4 }\n"
           "  l2: { size: 16GiB, ways: 16 }\n"
           "  slc: { size: 16GiB, ways: 16 }\n"
           "  memory:\n"
           "    - { name: dram0, kind: dram, base: 0x0, size: 1TiB,\n"
           "        read_latency: 80ns, bandwidth: 50GB/s }\n"
           "cpus:\n  0:\n    - " +
           step + "\n";
}

TEST(HostMemoryTest, TheDefaultLimitIsHalfTheHostsMemoryAndCheckAndRunBothRefuse) {
    TempDir d;
    d.write("s.yaml", huge_platform("load: { base: dram0, size: 4KiB }"));
    for (const std::vector<std::string> &args :
         {std::vector<std::string>{"check", "s.yaml"},
          std::vector<std::string>{"run", "s.yaml", "--quiet", "--report", "r.json"}}) {
        CmosimRun r = run_cmosim(args, d.path());
        EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
        EXPECT_NE(r.err.find("s.yaml: error: the run would need an estimated "), std::string::npos)
            << r.err;
        EXPECT_NE(r.err.find("(the default, half of this host's memory); raise it with "
                             "--max-memory or limits.max_memory"),
                  std::string::npos)
            << r.err;
        EXPECT_LT(r.max_rss_kb, 200 * 1024) << "refused before anything is allocated";
    }
    EXPECT_TRUE(d.list().size() == 1) << "no report for a refused scenario";
    // Raised on the command line, the same scenario runs: its one load fills
    // a few lines of each sparse tag array.
    CmosimRun ok = run_cmosim({"run", "s.yaml", "--quiet", "--max-memory", "2PiB"}, d.path());
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_LT(ok.max_rss_kb, 400 * 1024) << "64 x 16 GiB L2s cost only what they hold";
}

#if !defined(__SANITIZE_ADDRESS__) // ASan reserves terabytes of address space
// A run that does exhaust the host (here: an address-space limit below what
// a 4 GiB store into a 16 GiB L2 fills) stops with exit 3 and still writes
// its report, which says why.
TEST(HostMemoryTest, OutOfMemoryDuringTheRunStillWritesTheReport) {
    TempDir d;
    d.write("s.yaml", "platform:\n"
                      "  l1d: { size: 32KiB, ways: 4 }\n"
                      "  l2: { size: 16GiB, ways: 16 }\n"
                      "  slc: { size: 1MiB, ways: 8 }\n"
                      "  memory:\n"
                      "    - { name: dram0, kind: dram, base: 0x0, size: 8GiB,\n"
                      "        read_latency: 80ns, bandwidth: 50GB/s }\n"
                      "cpus:\n  0:\n    - store: { base: dram0, size: 4GiB }\n");
    Signal limit;
    limit.address_space = 1536ull << 20;
    CmosimRun r = run_cmosim({"run", "s.yaml", "--quiet", "--report", "r.json"}, d.path(), limit);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("stopped: the host ran out of memory (std::bad_alloc) after "),
              std::string::npos)
        << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_FALSE(j["complete"].get<bool>());
    EXPECT_EQ(j["stop"]["reason"], "internal_error");
    EXPECT_GT(j["stop"]["events"].get<uint64_t>(), 1000u) << "it ran a while first";
}
#endif

// A step inside a repeat records its first 10000 calls (kMaxCallRecordsPerStep)
// and counts the rest: the report stays bounded whatever the count.
TEST(StepRecordsTest, ARepeatedCallKeepsTenThousandRecordsAndCountsTheRest) {
    TempDir d;
    d.write("s.yaml", "platform: small\n"
                      "kernel: { provider: none }\n"
                      "cpus:\n"
                      "  0: [ { repeat: { count: 10250, steps: [\n"
                      "         { invalidate: { base: dram0, size: 64, strategy: none } },\n"
                      "         { smc: { fid: version } } ] } } ]\n"
                      "  1: [ { invalidate: { base: dram0, size: 64, strategy: none } } ]\n");
    CmosimRun r = run_cmosim({"run", "s.yaml", "--quiet", "--report", "r.json"}, d.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_EQ(j["invalidate"].size(), 10001u) << "10000 of cpu0's step and cpu1's one";
    EXPECT_EQ(j["smc"].size(), 10000u);
    EXPECT_EQ(j["step_records_dropped"], 500u) << "250 invalidates and 250 SMCs";
    EXPECT_EQ(j["smc"][9999]["out"][0], "0x10007") << "SMCCC_VERSION 1.7";
    // Without a dropped record the field is absent (every report before it).
    d.write("t.yaml", "platform: small\ncpus: { 0: [ { smc: { fid: version } } ] }\n");
    ASSERT_EQ(run_cmosim({"run", "t.yaml", "--quiet", "--report", "t.json"}, d.path()).exit_code,
              0);
    EXPECT_FALSE(read_json(d.file("t.json")).contains("step_records_dropped"));
}

} // namespace
} // namespace cmosim::test
