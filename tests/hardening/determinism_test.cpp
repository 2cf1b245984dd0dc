// SPDX-License-Identifier: Apache-2.0
// The same scenario and seed give a byte-identical JSON report outside the
// top-level "host" key. Checked on the built-in default scenario, on every
// file in configs/regression/ (whatever is there when the test runs) and on a
// scenario that uses every seeded random choice.
#include <algorithm>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "run_cmosim.h"

namespace cmosim::test {
namespace {

namespace fs = std::filesystem;

// The report without its host section, as the exact text cmosim wrote.
std::string without_host(const std::string &report) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(report);
    EXPECT_TRUE(j.contains("host")) << "wall-clock figures live under host";
    j.erase("host");
    return j.dump(2);
}

std::vector<std::string> base_args(std::vector<std::string> args) {
    args.insert(args.end(), {"--report", "r.json", "--quiet"});
    return args;
}

// Runs `scenario` (empty: the built-in default) twice; both reports must agree.
void expect_reproducible(const std::string &scenario) {
    std::vector<std::string> base;
    base.push_back("run");
    if (!scenario.empty())
        base.push_back(scenario);
    // Both runs at once, each in a directory of its own (two cores).
    TempDir sub[2];
    CmosimRun runs[2];
    std::thread second([&] { runs[1] = run_cmosim(base_args(base), sub[1].path()); });
    runs[0] = run_cmosim(base_args(base), sub[0].path());
    second.join();
    std::string reports[2];
    for (int i = 0; i < 2; ++i) {
        ASSERT_NE(runs[i].exit_code, 2) << scenario << ": " << runs[i].err;
        ASSERT_TRUE(fs::exists(sub[i].file("r.json"))) << scenario << ": no report\n"
                                                       << runs[i].err;
        reports[i] = read_file(sub[i].file("r.json"));
    }
    const std::string a = without_host(reports[0]), b = without_host(reports[1]);
    if (a != b) {
        size_t at = std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first - a.begin();
        ADD_FAILURE() << (scenario.empty() ? "default scenario" : scenario)
                      << ": reports differ outside host at byte " << at << ":\n  "
                      << a.substr(at > 200 ? at - 200 : 0, 400) << "\nvs\n  "
                      << b.substr(at > 200 ? at - 200 : 0, 400);
    }
    // The host section is the last key, so "outside host" is also a prefix
    // of the raw file: the text before it must be byte-identical too.
    size_t h0 = reports[0].rfind("\n  \"host\":"), h1 = reports[1].rfind("\n  \"host\":");
    ASSERT_NE(h0, std::string::npos);
    EXPECT_EQ(reports[0].substr(0, h0), reports[1].substr(0, h1))
        << "the raw bytes before \"host\" differ";
}

TEST(DeterminismTest, TheDefaultScenarioGivesTheSameReportTwice) {
    expect_reproducible("");
}

TEST(DeterminismTest, SeededRandomReplacementFaultsAndBusyAgentsGiveTheSameReportTwice) {
    expect_reproducible(source_path("tests/hardening/scenarios/seeded-randomness.yaml"));
}

TEST(DeterminismTest, AnEventLimitStopsAtTheSamePointEveryTime) {
    expect_reproducible(source_path("tests/hardening/scenarios/event-limit.yaml"));
}

TEST(DeterminismTest, ADeadlockIsReportedTheSameWayEveryTime) {
    expect_reproducible(source_path("tests/hardening/scenarios/firmware-hang-deadlock.yaml"));
}

TEST(DeterminismTest, EveryRegressionScenarioGivesTheSameReportTwice) {
    const fs::path dir = source_path("configs/regression");
    std::vector<fs::path> files;
    if (fs::is_directory(dir))
        for (const auto &e : fs::directory_iterator(dir))
            if (e.is_regular_file() &&
                (e.path().extension() == ".yaml" || e.path().extension() == ".yml"))
                files.push_back(e.path());
    std::sort(files.begin(), files.end());
    if (files.empty())
        GTEST_SKIP() << "configs/regression/ holds no scenario yet";
    for (const fs::path &f : files) {
        SCOPED_TRACE(f.string());
        expect_reproducible(f.string());
    }
    RecordProperty("scenarios", static_cast<int>(files.size()));
}

} // namespace
} // namespace cmosim::test
