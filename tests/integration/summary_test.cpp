// SPDX-License-Identifier: Apache-2.0
// The text summary a user reads after `cmosim run`: every regression scenario's
// invalidate latencies split into parts that add up to the total (mutex wait
// its own part), and replay counts labelled as cachegrind labels them.
#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_run.h"

using namespace cmosim::test;

namespace {

std::vector<std::string> regression_scenarios() {
    std::vector<std::string> v;
    for (const auto &e : std::filesystem::directory_iterator(source_path("configs/regression")))
        if (e.path().extension() == ".yaml")
            v.push_back(e.path().stem().string());
    std::sort(v.begin(), v.end());
    return v;
}

// The "invalidates:" lines of a summary, in order.
std::vector<std::string> invalidate_lines(const std::string &summary) {
    std::vector<std::string> out;
    std::istringstream in(summary);
    std::string line;
    bool in_section = false;
    while (std::getline(in, line)) {
        if (line == "invalidates:") {
            in_section = true;
            continue;
        }
        if (in_section && line.empty())
            break;
        if (in_section)
            out.push_back(line);
    }
    return out;
}

class SummaryOfRegressionScenario : public testing::TestWithParam<std::string> {};

} // namespace

// latency X us = firmware A us (N SMC) + provider sleep B us (K sleeps) +
// mutex wait C us + other D us: A + B + C + D = X to the printed precision,
// every part >= 0, and each part the report's own figure.
TEST_P(SummaryOfRegressionScenario, LatencyPartsAddUpToTheTotal) {
    std::string dir = make_temp_dir();
    CliResult r = run_cmosim({"run", source_path("configs/regression/" + GetParam() + ".yaml"),
                              "--report", dir + "/r.json"},
                             dir);
    ASSERT_TRUE(r.code == 0 || r.code == 1) << r.err;
    nlohmann::json j = nlohmann::json::parse(read_text(dir + "/r.json"));
    const nlohmann::json &inv = j["invalidate"];
    std::vector<std::string> lines = invalidate_lines(r.out);
    ASSERT_EQ(lines.size(), inv.size()) << r.out;
    const std::regex parts(
        R"(latency (\d+\.\d{3}) us = firmware (\d+\.\d{3}) us \(\d+ SMC\) \+ provider sleep )"
        R"((\d+\.\d{3}) us \(\d+ sleeps\) \+ mutex wait (\d+\.\d{3}) us \+ other (\d+\.\d{3}) us)");
    const std::regex total_only(R"(latency (\d+\.\d{3}) us  residual)");
    for (size_t i = 0; i < inv.size(); ++i) {
        const nlohmann::json &v = inv[i];
        const uint64_t lat = v["latency_ps"], fw = v["firmware_ps"], sl = v["sleep_ps"],
                       mx = v["mutex_wait_ps"];
        EXPECT_LE(fw + sl + mx, lat) << "invalidate[" << i << "]: the parts exceed the latency";
        std::smatch m;
        if (!std::regex_search(lines[i], m, parts)) {
            ASSERT_TRUE(std::regex_search(lines[i], m, total_only)) << lines[i];
            EXPECT_EQ(fw + sl + mx, 0u)
                << "a call with firmware, sleep or mutex time shows its parts: " << lines[i];
            EXPECT_NE(v["strategy"], "smccc") << lines[i];
            continue;
        }
        const double total = std::stod(m[1]), f = std::stod(m[2]), s = std::stod(m[3]),
                     w = std::stod(m[4]), o = std::stod(m[5]);
        // Four parts each rounded to 0.0005 us, and the total once.
        EXPECT_NEAR(f + s + w + o, total, 0.0026) << lines[i];
        EXPECT_NEAR(f, static_cast<double>(fw) / 1e6, 0.0006) << lines[i];
        EXPECT_NEAR(s, static_cast<double>(sl) / 1e6, 0.0006) << lines[i];
        EXPECT_NEAR(w, static_cast<double>(mx) / 1e6, 0.0006) << lines[i];
        EXPECT_NEAR(total, static_cast<double>(lat) / 1e6, 0.0006) << lines[i];
    }
}

INSTANTIATE_TEST_SUITE_P(Regression, SummaryOfRegressionScenario,
                         testing::ValuesIn(regression_scenarios()),
                         [](const testing::TestParamInfo<std::string> &i) {
                             std::string n = i.param;
                             std::replace_if(
                                 n.begin(), n.end(), [](char c) { return !std::isalnum(c); }, '_');
                             return n;
                         });

// The contended scenario's waits are mutex waits, not "other".
TEST(SummaryTest, MutexContentionShowsItsWaitAsMutexWait) {
    std::string dir = make_temp_dir();
    CliResult r = run_cmosim({"run", source_path("configs/regression/mutex-contention-4cpus.yaml"),
                              "--report", dir + "/r.json"},
                             dir);
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    nlohmann::json j = nlohmann::json::parse(read_text(dir + "/r.json"));
    uint64_t waited = 0;
    for (const auto &v : j["invalidate"])
        waited += v["mutex_wait_ps"].get<uint64_t>();
    ASSERT_GT(waited, 0u) << "the scenario contends for the mutex";
    const std::regex nonzero(R"(mutex wait (\d+\.\d{3}) us)");
    double shown = 0;
    for (const std::string &l : invalidate_lines(r.out)) {
        std::smatch m;
        if (std::regex_search(l, m, nonzero))
            shown += std::stod(m[1]);
    }
    EXPECT_NEAR(shown, static_cast<double>(waited) / 1e6, 0.01) << r.out;
}

// A replay step's nine counts under cachegrind's own labels.
TEST(SummaryTest, ReplayCountsCarryCachegrindsLabels) {
    std::string dir = make_temp_dir();
    CliResult r = run_cmosim({"run", source_path("configs/regression/replay_small_walk.yaml"),
                              "--report", dir + "/r.json"},
                             dir);
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    nlohmann::json j = nlohmann::json::parse(read_text(dir + "/r.json"));
    ASSERT_FALSE(j["replays"].empty());
    const nlohmann::json &e = j["replays"][0]["events"];
    const uint64_t ir = e["Ir"], i1 = e["I1mr"], il = e["ILmr"], dr = e["Dr"], d1r = e["D1mr"],
                   dlr = e["DLmr"], dw = e["Dw"], d1w = e["D1mw"], dlw = e["DLmw"];
    auto has = [&](const std::string &s) {
        EXPECT_NE(r.out.find(s), std::string::npos) << "missing '" << s << "' in\n" << r.out;
    };
    has("    I refs:        " + std::to_string(ir) + "\n");
    has("    I1  misses:    " + std::to_string(i1) + "\n");
    has("    LLi misses:    " + std::to_string(il) + "\n");
    has("    D refs:        " + std::to_string(dr + dw) + "  (" + std::to_string(dr) + " rd + " +
        std::to_string(dw) + " wr)\n");
    has("    D1  misses:    " + std::to_string(d1r + d1w) + "  (" + std::to_string(d1r) + " rd + " +
        std::to_string(d1w) + " wr)\n");
    has("    LLd misses:    " + std::to_string(dlr + dlw) + "  (" + std::to_string(dlr) + " rd + " +
        std::to_string(dlw) + " wr)\n");
    has("    LL refs:       " + std::to_string(i1 + d1r + d1w) + "  (" + std::to_string(i1 + d1r) +
        " rd + " + std::to_string(d1w) + " wr)\n");
    has("    LL misses:     " + std::to_string(il + dlr + dlw) + "  (" + std::to_string(il + dlr) +
        " rd + " + std::to_string(dlw) + " wr)\n");
}
