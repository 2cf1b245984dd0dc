// SPDX-License-Identifier: Apache-2.0
// SIGINT and SIGTERM stop a run from a safe point: the report is written,
// marked incomplete, the exit code is 3, and no temporary file is left.
#include <csignal>
#include <filesystem>

#include <gtest/gtest.h>

#include "run_cmosim.h"

namespace cmosim::test {
namespace {

const std::string kLong = source_path("tests/hardening/scenarios/long-store.yaml");

void expect_stopped_by(int sig, const char *name) {
    TempDir d;
    Signal s;
    s.number = sig;
    s.after_s = 0.5;
    CmosimRun r = run_cmosim({"run", kLong, "--report", "r.json"}, d.path(), s);
    EXPECT_EQ(r.term_signal, 0) << "the process handled the signal";
    EXPECT_EQ(r.exit_code, 3) << r.err;
    auto j = read_json(d.file("r.json"));
    EXPECT_FALSE(j["complete"].get<bool>());
    EXPECT_EQ(j["stop"]["reason"], "signal");
    EXPECT_EQ(j["stop"]["message"], std::string("interrupted by ") + name);
    EXPECT_EQ(j["stop"]["cpus"][0]["step_kind"], "store") << "stopped in the middle of the store";
    EXPECT_EQ(d.list(), std::vector<std::string>{"r.json"}) << "no temporary file left";
}

TEST(SignalTest, SigintStopsTheRunWritesAnIncompleteReportAndExitsWith3) {
    expect_stopped_by(SIGINT, "SIGINT");
}

TEST(SignalTest, SigtermStopsTheRunWritesAnIncompleteReportAndExitsWith3) {
    expect_stopped_by(SIGTERM, "SIGTERM");
}

TEST(SignalTest, ASecondSigintNeverLeavesAHalfWrittenReport) {
    TempDir d;
    Signal s;
    s.number = SIGINT;
    s.after_s = 0.5;
    s.count = 2; // 50 ms apart: the second may come while the report is written
    CmosimRun r = run_cmosim({"run", kLong, "--report", "r.json"}, d.path(), s);
    // Either the first signal's report was complete before the second came,
    // or the second ended the process (by SIGINT, as a shell expects).
    std::vector<std::string> files = d.list();
    if (r.term_signal) {
        EXPECT_EQ(r.term_signal, SIGINT);
        EXPECT_TRUE(files.empty() || files == std::vector<std::string>{"r.json"})
            << "nothing but a whole report";
    } else {
        EXPECT_EQ(r.exit_code, 3) << r.err;
        EXPECT_EQ(files, std::vector<std::string>{"r.json"});
    }
    if (!files.empty()) {
        EXPECT_EQ(read_json(d.file("r.json"))["stop"]["reason"], "signal")
            << "a report under the final name is always whole";
    }
}

// A suite stopped by SIGINT: the running scenario stops with its report,
// the ones not yet started are listed as such, and the suite's own outputs
// are still written whole; exit code 3.
TEST(SignalTest, SigintStopsASuiteAndStillWritesItsJunitAndReports) {
    TempDir d;
    const std::string scenario = read_file(kLong);
    d.write("a.yaml", scenario);
    d.write("b.yaml", scenario);
    d.write("c.yaml", scenario);
    Signal s;
    s.number = SIGINT;
    s.after_s = 0.5;
    CmosimRun r = run_cmosim(
        {"run", "a.yaml", "b.yaml", "c.yaml", "-j", "1", "--report", "out", "--junit", "j.xml"},
        d.path(), s);
    EXPECT_EQ(r.term_signal, 0) << "the parent handled the signal";
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.out.find("LIMIT  a.yaml"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 incomplete, 2 not run, interrupted by SIGINT"), std::string::npos)
        << r.out;
    auto j = read_json(d.file("out/a.json"));
    EXPECT_FALSE(j["complete"].get<bool>());
    EXPECT_EQ(j["stop"]["message"], "interrupted by SIGINT") << "the child got the signal once";
    EXPECT_EQ(d.list("out"), std::vector<std::string>{"a.json"}) << "b and c never started";
    const std::string junit = read_file(d.file("j.xml"));
    EXPECT_NE(junit.find(R"(tests="3" failures="0" errors="1" skipped="2")"), std::string::npos)
        << junit;
    EXPECT_NE(
        junit.find(R"(<skipped message="not started: the suite was interrupted by SIGINT"/>)"),
        std::string::npos)
        << junit;
}

// A sweep stopped by SIGINT (issue 18): as a suite, the running point gets
// the signal once and keeps its incomplete report, no point starts after it,
// the merged outputs are written and say so; exit code 3.
TEST(SignalTest, SigintStopsASweepKeepsItsPointsAndMarksTheOutputsIncomplete) {
    TempDir d;
    d.write("sweep.yaml",
            "name: stopped\nbase: " + kLong +
                "\naxes:\n  - { name: label, path: description, values: [a, b, c] }\n");
    Signal s;
    s.number = SIGINT;
    s.after_s = 1.0; // the first point is running (its load takes milliseconds)
    CmosimRun r = run_cmosim({"sweep", "sweep.yaml", "-j", "1", "--out", "out"}, d.path(), s);
    EXPECT_EQ(r.term_signal, 0) << "the sweep handled the signal";
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("interrupted by SIGINT: 2 of 3 points not started"), std::string::npos)
        << r.err;
    auto j = read_json(d.file("out/points/p0000.json"));
    EXPECT_FALSE(j["complete"].get<bool>());
    EXPECT_EQ(j["stop"]["message"], "interrupted by SIGINT") << "the point got the signal once";
    EXPECT_EQ(read_file(d.file("out/points/p0000.exit")), "3\n") << "it ended before the sweep";
    EXPECT_FALSE(std::filesystem::exists(d.file("out/points/p0001.log"))) << "nothing started";
    EXPECT_NE(read_file(d.file("out/summary.txt")).find("the outputs are incomplete"),
              std::string::npos);
    EXPECT_NE(read_file(d.file("out/points.csv")).find("incomplete"), std::string::npos);
}

} // namespace
} // namespace cmosim::test
