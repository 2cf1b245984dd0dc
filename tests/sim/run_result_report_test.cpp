// SPDX-License-Identifier: Apache-2.0
// The report room reads a RunResult and nothing else: a record made by hand
// here (no simulation, no SystemC elaboration) gives the report, the
// summary, the trace events and the expectations' verdicts.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report/report.h"
#include "report/trace_events.h"

using namespace cmosim::sim;

namespace {

Expectation ex(const std::string &path, const std::string &op, double v) {
    Expectation e;
    e.mark = Mark{"r.yaml", 7, 3};
    e.path = path;
    EXPECT_TRUE(compare_from_symbol(op, &e.op)) << op;
    e.value = v;
    return e;
}

RunResult two_cpu_result() {
    RunResult r;
    r.scenario.name = "by-hand";
    r.scenario.file = "r.yaml";
    r.scenario.platform.cpus = 2;
    r.sim_time_ps = 5000000;
    r.cpus = {CpuResult{0, 10, 4, 0, 2, 0, 0}, CpuResult{1, 0, 0, 0, 0, 0, 0}};
    AccessRecord a;
    a.cpu = 0;
    a.kind = "load";
    a.base = 0x1000;
    a.size = 640;
    a.lines = 10;
    a.loads = 10;
    a.stale_reads = 2;
    a.end_ps = 4000;
    r.accesses.push_back(a);
    InvalidateRecord v;
    v.cpu = 1;
    v.strategy = Strategy::Smccc;
    v.base = 0x1000;
    v.size = 640;
    v.ret = -16;
    v.start_ps = 1000;
    v.end_ps = 9000;
    r.invalidates.push_back(v);
    r.checker.stale_reads = 2;
    r.checker.events.push_back({"stale_read", 3000, 0, "L1D", 0x1040, "older than memory"});
    r.stop.reason = "finished";
    r.host.wall_seconds = 2.0;
    return r;
}

} // namespace

TEST(RunResultReportTest, ExpectationsAreEvaluatedOnTheRecordsReport) {
    RunResult r = two_cpu_result();
    r.scenario.expect = {ex("checker.stale_reads", "==", 2), ex("invalidate[0].return", "==", 0)};
    const Report rep = make_report(r);
    ASSERT_EQ(rep.verdicts.size(), 2u);
    EXPECT_TRUE(rep.verdicts[0].pass);
    EXPECT_FALSE(rep.verdicts[1].pass) << "the record says -16";
    EXPECT_EQ(rep.verdicts[1].actual, -16);
    // The written report carries the same verdicts and the record's figures.
    const nlohmann::json j = nlohmann::json::parse(rep.text());
    EXPECT_EQ(j["verdicts"].size(), 2u);
    EXPECT_EQ(j["verdicts"][1]["pass"], false);
    EXPECT_EQ(j["invalidate"][0]["latency_ps"], 8000);
    EXPECT_EQ(j["accesses"][0]["stale_reads"], 2);
    EXPECT_EQ(j["host"]["sim_seconds_per_wall_second"], 5e-6 / 2.0);
}

TEST(RunResultReportTest, AFindingNobodyStatedFailsFromTheRecordsCheckerCounts) {
    RunResult r = two_cpu_result();
    const Report rep = make_report(r);
    ASSERT_EQ(rep.verdicts.size(), 1u);
    EXPECT_EQ(rep.verdicts[0].expect.path, "checker.stale_reads");
    EXPECT_FALSE(rep.verdicts[0].pass);
    r.scenario.findings_any = true;
    EXPECT_TRUE(make_report(r).verdicts.empty());
}

TEST(RunResultReportTest, SummaryAndTraceComeFromTheRecord) {
    RunResult r = two_cpu_result();
    r.complete = false;
    const std::string text = summary_text(r);
    EXPECT_NE(text.find("cmosim: by-hand  (2 CPU"), std::string::npos) << text;
    EXPECT_NE(text.find("simulated time 5.000 us  [INCOMPLETE]"), std::string::npos) << text;
    EXPECT_NE(text.find("stale_read at 0.003 us cpu0 L1D 0x1040"), std::string::npos) << text;
    const nlohmann::json t = nlohmann::json::parse(trace_events_json(r, 3));
    EXPECT_EQ(t["otherData"]["complete"], false);
    EXPECT_EQ(t["otherData"]["sim_time_ps"], 5000000);
    size_t begins = 0;
    for (const auto &e : t["traceEvents"]) {
        EXPECT_EQ(e["pid"], 3);
        begins += e["ph"] == "B";
    }
    EXPECT_EQ(begins, 2u) << "one access span, one invalidate span";
}
