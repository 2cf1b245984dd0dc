// SPDX-License-Identifier: Apache-2.0
// Ready platforms by name: `platform: NAME` and `{from: NAME, ...}` resolve to
// the platforms built into the binary, so a suite runs from any copy.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_run.h"

using namespace cmosim::test;

namespace {

std::string write(const std::string &dir, const std::string &name, const std::string &text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
}

} // namespace

TEST(PlatformsTest, ANameResolvesToTheReadyPlatformAndFromTakesOverrides) {
    std::string dir = make_temp_dir();
    std::string f = write(dir, "s.yaml",
                          "platform: { from: large, cpus: 8 }\n"
                          "cpus:\n  0: [ { load: { base: cxl0, size: 4KiB } } ]\n"
                          "expect:\n  accesses[0].lines: 64\n");
    CliResult r = run_cmosim({"run", f, "--report", dir + "/r.json"}, dir);
    ASSERT_EQ(r.code, 0) << r.err;
    nlohmann::json j = nlohmann::json::parse(read_text(dir + "/r.json"));
    EXPECT_EQ(j["platform"]["cpus"], 8) << "the override";
    EXPECT_EQ(j["platform"]["memory"].size(), 3u) << "large's DRAM and two CXL windows";
}

TEST(PlatformsTest, AnUnknownNameIsBadInputListingTheNames) {
    std::string dir = make_temp_dir();
    std::string f = write(dir, "s.yaml", "platform: nosuch\ncpus:\n  0: []\n");
    CliResult r = run_cmosim({"check", f}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("s.yaml:1:11: error: platform: expected a ready platform (default, "
                         "small, large, cachegrind-like) or a file, found 'nosuch'"),
              std::string::npos)
        << r.err;
}

TEST(PlatformsTest, TheCommandListsThemAndPrintsOne) {
    std::string dir = make_temp_dir();
    CliResult all = run_cmosim({"platforms"}, dir);
    ASSERT_EQ(all.code, 0);
    for (const char *n : {"default ", "small ", "large ", "cachegrind-like "})
        EXPECT_NE(all.out.find(n), std::string::npos) << n;
    CliResult one = run_cmosim({"platforms", "small"}, dir);
    ASSERT_EQ(one.code, 0);
    EXPECT_EQ(one.out, read_text(source_path("configs/platforms/small.yaml")));
    EXPECT_EQ(run_cmosim({"platforms", "nosuch"}, dir).code, 2);
}

// The regression suite names its platforms: a copy runs anywhere.
TEST(PlatformsTest, ACopyOfTheRegressionSuiteRunsElsewhere) {
    std::string dir = make_temp_dir();
    std::filesystem::copy(source_path("configs/regression"), dir + "/r",
                          std::filesystem::copy_options::recursive);
    CliResult r = run_cmosim({"run", dir + "/r", "-j", "2", "--quiet"}, dir);
    EXPECT_EQ(r.code, 0) << r.out << r.err;
}

// platform.access_cycles is one schema row and one line of elaboration: the
// issue cost of every load and store, in core cycles.
TEST(PlatformsTest, AccessCyclesChargeEachLoadItsIssueCycles) {
    std::string dir = make_temp_dir();
    std::string f = write(dir, "s.yaml",
                          "platform: { from: small, clock_ghz: 1.0 }\n"
                          "cpus:\n  0: [ { load: { base: dram0, size: 64KiB } },"
                          " { load: { base: dram0, size: 64KiB } } ]\n");
    auto second_pass_ps = [&](const std::string &cycles) {
        std::vector<std::string> args = {"run", f, "--quiet", "--report", dir + "/r.json"};
        if (!cycles.empty())
            args.insert(args.end(), {"--set", "platform.access_cycles=" + cycles});
        CliResult r = run_cmosim(args, dir);
        EXPECT_EQ(r.code, 0) << r.err;
        nlohmann::json j = nlohmann::json::parse(read_text(dir + "/r.json"));
        return j["accesses"][1]["end_ps"].get<uint64_t>() -
               j["accesses"][1]["start_ps"].get<uint64_t>();
    };
    const uint64_t by_default = second_pass_ps("");
    EXPECT_EQ(by_default, second_pass_ps("1")) << "the row's default is 1";
    // 1024 loads of the second pass, three more cycles (1 ns at 1 GHz) each.
    EXPECT_EQ(second_pass_ps("4"), by_default + 1024 * 3000);
}
