// SPDX-License-Identifier: Apache-2.0
// The default scenario through every layer: caches, device erase, framework,
// provider, SMC conduit, firmware, flush engine, checker.
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report/expect.h"
#include "config/scenario.h"
#include "report/report.h"
#include "run/simulation.h"

using namespace cmosim::sim;
using json = nlohmann::json;

TEST(DefaultScenarioTest, StaleWithoutInvalidateCleanThroughTheSmcccProvider) {
    Scenario s = load_scenario_text("default", default_scenario_text());
    Simulation sim(s);
    bool complete = false;
    json r = json::parse(report_json(sim.run()));
    complete = sim.result().complete;
    ASSERT_TRUE(complete);

    // 1 MiB = 16384 lines; all of them sit in the 2 MiB L2 after the stores,
    // so every load of phase 1 is served by a copy older than the erase.
    const json &acc = r["accesses"];
    ASSERT_EQ(acc.size(), 4u);
    EXPECT_EQ(acc[1]["lines"], 16384);
    EXPECT_EQ(acc[1]["stale_reads"], 16384) << "phase 1: no invalidate";
    EXPECT_EQ(acc[3]["stale_reads"], 0) << "phase 2: through the SMCCC provider";

    const json &inv = r["invalidate"];
    ASSERT_EQ(inv.size(), 3u);
    EXPECT_EQ(inv[0]["strategy"], "none");
    EXPECT_EQ(inv[0]["firmware_calls"], 0);
    // `none` is audited too: 1024 lines in the L1D, 16384 in the L2 and
    // 16384 in the SLC are still cached when it returns.
    EXPECT_EQ(inv[0]["residual_lines"], 33792);
    for (int i : {1, 2}) {
        EXPECT_EQ(inv[i]["strategy"], "smccc");
        EXPECT_EQ(inv[i]["return"], 0);
        EXPECT_EQ(inv[i]["firmware_calls"], 1) << "no BUSY, one CLEAN_INV_MEMREGION";
        EXPECT_EQ(inv[i]["sleeps"], 0);
        EXPECT_EQ(inv[i]["residual_lines"], 0);
        // The whole latency is the SMC: the provider did not sleep.
        EXPECT_EQ(inv[i]["latency_ps"], inv[i]["firmware_ps"]);
    }
    // First call ("hand over clean"): the range has 1024 lines in L1 (the
    // last ones stored), 16384 in L2 and 16384 in the SLC = 33792 lines.
    // SMC entry 1000 ns + bookkeeping 500 ns + engine setup 200 ns + SLC tag
    // walk 524288 tags / (4 per cycle x 2 GHz) = 65536 ns + 33792 lines x 2 ns
    // = 67584 ns -> 134820 ns. The 16384 dirty lines leave at 32 GB/s in
    // 32768 ns, overlapped with the walk.
    EXPECT_EQ(inv[1]["latency_ps"].get<uint64_t>(), 134820000u);

    // The firmware log: the provider's init probes plus the two calls.
    const json &fw = r["firmware"];
    EXPECT_EQ(fw["clean_inv_calls"], 2);
    EXPECT_EQ(fw["clean_inv_success"], 2);
    EXPECT_EQ(r["kernel"]["has_invalidate_memregion"], true);
    EXPECT_EQ(r["checker"]["stale_reads"], 16384);
    EXPECT_EQ(r["checker"]["lost_device_writes"], 0);
    EXPECT_EQ(r["checker"]["residual_lines"], 33792) << "phase 1's none, nothing in phase 2";
    // The events kept are the first ones: phase 1's residual lines, audited
    // before its read-back, from the L1D first.
    const json &ev = r["checker"]["events"];
    ASSERT_FALSE(ev.empty());
    EXPECT_EQ(ev[0]["kind"], "residual_line");
    EXPECT_EQ(ev[0]["level"], "cpu0_l1d");
}

TEST(DefaultScenarioTest, WithoutAProviderTheFrameworkReturnsZeroAndLinesStayStale) {
    Scenario s = load_scenario_text("default", default_scenario_text());
    s.kernel.provider = KernelProvider::None; // the silent hazard of smccc-interface.md §3
    Simulation sim(s);
    json r = json::parse(report_json(sim.run()));
    EXPECT_EQ(r["kernel"]["has_invalidate_memregion"], false);
    EXPECT_EQ(r["invalidate"][2]["return"], 0) << "success reported, nothing done";
    EXPECT_EQ(r["invalidate"][2]["firmware_calls"], 0);
    EXPECT_GT(r["invalidate"][2]["residual_lines"].get<int>(), 0);
    EXPECT_EQ(r["accesses"][3]["stale_reads"], 16384);
}

namespace {
// Every numeric or boolean leaf under `j`, arrays as "[]".
void numeric_leaves(const json &j, const std::string &path, std::set<std::string> &out) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            numeric_leaves(it.value(), path.empty() ? it.key() : path + "." + it.key(), out);
    } else if (j.is_array()) {
        for (const json &e : j)
            numeric_leaves(e, path + "[]", out);
    } else if (j.is_number() || j.is_boolean()) {
        out.insert(path);
    }
}
} // namespace

// Expectation paths are checked at load time against report_fields(): every
// numeric field the report has must be in that list, or a valid expectation
// on it would be refused.
json expect_every_numeric_field_nameable(const Scenario &s) {
    Simulation sim(s);
    json r = json::parse(report_json(sim.run()));
    const json report = r;
    r.erase("host");     // differs between runs; expectations never see it
    r.erase("verdicts"); // the expectations' own results
    std::set<std::string> leaves;
    numeric_leaves(r, "", leaves);
    EXPECT_GT(leaves.size(), 80u);
    for (const std::string &f : leaves) {
        std::string path = f, hint;
        for (size_t at = path.find("[]"); at != std::string::npos; at = path.find("[]", at))
            path.replace(at, 2, "[0]");
        EXPECT_EQ(check_expectation_path(path, &hint), "") << path;
    }
    return report;
}

TEST(DefaultScenarioTest, EveryNumericFieldOfTheReportIsOneExpectationsMayName) {
    expect_every_numeric_field_nameable(load_scenario_text("default", default_scenario_text()));
}

// The same for a replay step's report, with a functional warm-up that ends
// at a marker (replays[].warmup and its marker_found): the committed trace's
// first instruction fetch ends it.
TEST(DefaultScenarioTest, EveryNumericFieldOfAReplayReportIsOneExpectationsMayName) {
    Scenario s = load_scenario_file(CMOSIM_SOURCE_DIR "/configs/regression/replay_small_walk.yaml");
    ASSERT_EQ(s.cpus.count(0), 1u);
    ASSERT_FALSE(s.cpus[0].empty());
    Step &st = s.cpus[0][0];
    ASSERT_EQ(st.kind, StepKind::Replay);
    st.has_warmup_until = true;
    st.warmup_until = 0x7fff000000000000; // no fetch there: every record warms
    s.expect.clear();
    const json r = expect_every_numeric_field_nameable(s);
    EXPECT_EQ(r["replays"][0]["warmup"]["records"], 27899);
    EXPECT_EQ(r["replays"][0]["warmup"]["marker_found"], false);
}
