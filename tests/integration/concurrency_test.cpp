// SPDX-License-Identifier: Apache-2.0
// Several CPUs at once (docs/timing-model.md, "Concurrency"): results that do
// not depend on the TLM quantum, misses that overlap, shared request slots.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_run.h"

using namespace cmosim::test;

namespace {

// Each access step's latency in ps (and, with `calls`, then every
// invalidate's and kernel call's), in report order.
std::vector<double> access_latencies(const std::string &scenario,
                                     const std::vector<std::string> &sets, bool calls = false) {
    std::string dir = make_temp_dir();
    std::vector<std::string> args = {"run", source_path(scenario), "--report", dir + "/r.json"};
    for (const std::string &s : sets) {
        args.push_back("--set");
        args.push_back(s);
    }
    CliResult r = run_cmosim(args, dir);
    EXPECT_EQ(r.code, 0) << r.err;
    nlohmann::json j = nlohmann::json::parse(read_text(dir + "/r.json"));
    std::vector<double> out;
    for (const auto &a : j["accesses"])
        out.push_back(a["end_ps"].get<double>() - a["start_ps"].get<double>());
    if (calls) {
        for (const auto &i : j["invalidate"])
            out.push_back(i["latency_ps"].get<double>());
        for (const auto &k : j["kernel_calls"])
            out.push_back(k["latency_ps"].get<double>());
    }
    return out;
}

// One miss on the default platform: 1 cycle of issue (333 ps) + L1 4 cycles
// (1333 ps) + L2 13 cycles (4333 ps) + SLC 40 ns + 64 B at 32 GB/s (2 ns) +
// CXL 230 ns.
constexpr double kMissPs = 333 + 1333 + 4333 + 40000 + 2000 + 230000;

} // namespace

TEST(ConcurrencyTest, FourCpusStoringGiveTheSameLatenciesAtEveryQuantum) {
    const char *sc = "tests/integration/scenarios/four-cpu-stores.yaml";
    std::vector<double> fine = access_latencies(sc, {"platform.quantum=10ns"});
    ASSERT_EQ(fine.size(), 4u);
    for (const char *q : {"platform.quantum=1us", "platform.quantum=100ns"}) {
        std::vector<double> other = access_latencies(sc, {q});
        ASSERT_EQ(other.size(), 4u);
        for (size_t i = 0; i < 4; ++i)
            EXPECT_NEAR(other[i], fine[i], 0.01 * fine[i]) << q << ", CPU " << i;
    }
}

TEST(ConcurrencyTest, OneCpuAloneIsExactlyTheSameAtEveryQuantum) {
    const char *sc = "tests/integration/scenarios/one-cpu-stores.yaml";
    std::vector<double> a = access_latencies(sc, {"platform.quantum=1us"});
    std::vector<double> b = access_latencies(sc, {"platform.quantum=10ns"});
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a, b);
}

// 1024 line misses, 16 in flight (the L1's and L2's miss slots): 64 rounds of
// one miss latency, the last round's 16 issued a cycle apart.
TEST(ConcurrencyTest, OneCpuStoring64KiBOverlapsSixteenMisses) {
    std::vector<double> t = access_latencies("tests/integration/scenarios/one-cpu-stores.yaml", {});
    ASSERT_EQ(t.size(), 1u);
    EXPECT_LT(t[0], 30e6) << "under 30 us";
    EXPECT_NEAR(t[0], 64 * kMissPs, 0.01 * 64 * kMissPs);
}

// Default platform: each core keeps 16 misses in flight, the SLC's 64 shared
// request slots hold all four cores' 64, and the channel is 46 % busy (4096 x
// 2 ns in about 17.8 us): four at once take what one alone takes, within the
// few ns a line waits behind another core's on the channel.
TEST(ConcurrencyTest, FourCpusAtOnceFitTheSharedSlotsAndTheChannel) {
    std::vector<double> t =
        access_latencies("tests/integration/scenarios/four-cpu-stores.yaml", {});
    ASSERT_EQ(t.size(), 4u);
    for (double x : t)
        EXPECT_NEAR(x, 64 * kMissPs, 0.01 * 64 * kMissPs);
}

// With only 16 SLC request slots for the four cores, the slots are the
// bottleneck: a read holds one from its arrival at the home node until its
// data returns (40 + 2 + 230 ns = 272 ns), so 16 slots serve 4096 reads in
// 4096 x 272 ns / 16 = 69.632 us, and the last core finishes then.
TEST(ConcurrencyTest, SixteenSharedSlotsBoundFourCpusAtOnce) {
    const double bound = 4096.0 * 272000 / 16;
    for (const char *q :
         {"platform.quantum=1us", "platform.quantum=100ns", "platform.quantum=10ns"}) {
        std::vector<double> t = access_latencies("tests/integration/scenarios/four-cpu-stores.yaml",
                                                 {"platform.slc.outstanding=16", q});
        ASSERT_EQ(t.size(), 4u);
        double last = 0;
        for (double x : t)
            last = std::max(last, x);
        EXPECT_NEAR(last, bound, 0.015 * bound) << q;
    }
}

// Several CPUs invalidating at once (the provider's mutex, the rate limiter,
// BUSY retries, a store racing the flush engine): every access, invalidate
// and kernel-call latency is the same at every quantum (within 1 %; on these
// scenarios, to the picosecond, since the cores meet only at synchronised
// points).
TEST(ConcurrencyTest, InvalidatesFromSeveralCpusDoNotDependOnTheQuantum) {
    const std::vector<std::vector<std::string>> cases = {
        {"configs/regression/mutex-contention-4cpus.yaml"},
        {"configs/regression/rate-limited-4cpus.yaml"},
        {"configs/regression/store-during-flush.yaml"},
        {"configs/sweeps/base/busy-storm.yaml", "firmware.faults[0].probability=0.3"},
    };
    for (const auto &c : cases) {
        std::vector<std::string> extra(c.begin() + 1, c.end());
        auto at = [&](const char *q) {
            std::vector<std::string> sets = extra;
            sets.push_back(q);
            return access_latencies(c[0], sets, true);
        };
        std::vector<double> fine = at("platform.quantum=10ns");
        ASSERT_FALSE(fine.empty()) << c[0];
        for (const char *q : {"platform.quantum=1us", "platform.quantum=100ns"}) {
            std::vector<double> other = at(q);
            ASSERT_EQ(other.size(), fine.size()) << c[0] << " " << q;
            for (size_t i = 0; i < fine.size(); ++i)
                EXPECT_NEAR(other[i], fine[i], 0.01 * fine[i]) << c[0] << " " << q << " #" << i;
        }
    }
}
