// SPDX-License-Identifier: Apache-2.0
// The trace-event file and the CSV of cmosim run, from the contention
// scenario (tests/integration/scenarios/contention.yaml): both CPUs invalidate
// at 6 us, the first CLEAN_INV_MEMREGION is answered BUSY, CPU 0 sleeps
// holding the provider's mutex while CPU 1 waits for it.
//
// Times, by hand (firmware defaults: entry 1 us + bookkeeping 0.5 us per SMC;
// flush engine defaults: setup 200 ns, 4 tags per cycle at 2 GHz):
//   boot: 4 SMCs (VERSION, FEATURES x2, ATTRIBUTES) x 1.5 us      0 -> 6 us
//   cpu0 SMC #1, BUSY before any flush: 1.5 us                   6 -> 7.5 us
//   cpu0 fsleep(50 us) = usleep_range(50, 62), woken at max 62    7.5 -> 69.5 us
//   cpu0 SMC #2: 1.5 us + engine 200 ns + 1024 SLC tags / 8 per ns
//                = 128 ns, no line cached: 1.828 us               69.5 -> 71.328 us
//   cpu1 waits for the mutex                                     6 -> 71.328 us
//   cpu1 SMC: 1.828 us                                           71.328 -> 73.156 us
#include <filesystem>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_run.h"
#include "trace_format.h"

using namespace cmosim::test;
using json = nlohmann::json;

namespace {

const std::string kContention = source_path("tests/integration/scenarios/contention.yaml");

class CliOutputsTest : public testing::Test {
protected:
    void SetUp() override { dir = make_temp_dir(); }
    void TearDown() override {
        if (!HasFailure())
            std::filesystem::remove_all(dir);
    }
    std::string dir;
};

struct SpanSeen {
    double begin = -1, end = -1;
    std::string parent; // the enclosing span's name on the same thread
};

// Every B/E span of the trace, by thread name and span name (first of each).
std::map<std::string, std::map<std::string, SpanSeen>> spans_by_thread(const json &t) {
    std::map<std::pair<int, int>, std::string> thread;
    for (const json &e : t["traceEvents"])
        if (e["ph"] == "M" && e["name"] == "thread_name")
            thread[{e["pid"], e["tid"]}] = e["args"]["name"];
    std::map<std::string, std::map<std::string, SpanSeen>> out;
    std::map<std::pair<int, int>, std::vector<std::string>> open;
    for (const json &e : t["traceEvents"]) {
        std::pair<int, int> th{e["pid"], e["tid"]};
        if (e["ph"] == "B") {
            auto &st = open[th];
            auto &seen = out[thread[th]];
            std::string name = e["name"];
            if (!seen.count(name))
                seen[name] = {e["ts"].get<double>(), -1, st.empty() ? "" : st.back()};
            st.push_back(name);
        } else if (e["ph"] == "E") {
            auto &st = open[th];
            SpanSeen &s = out[thread[th]][st.back()];
            if (s.end < 0)
                s.end = e["ts"];
            st.pop_back();
        }
    }
    return out;
}

std::vector<std::vector<std::string>> csv_rows(const std::string &text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::string cell;
        bool quoted = false;
        for (size_t i = 0; i < line.size(); ++i) {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                f.push_back(cell);
                cell.clear();
            } else {
                cell += c;
            }
        }
        f.push_back(cell);
        rows.push_back(f);
    }
    return rows;
}

} // namespace

TEST_F(CliOutputsTest, TheTraceFollowsTheTraceEventFormatWithATrackPerCpuFirmwareAndEngine) {
    CliResult r = run_cmosim({"run", kContention, "--trace", dir + "/t.json", "--quiet"}, dir);
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    json t = json::parse(read_text(dir + "/t.json"));
    std::vector<std::string> problems = trace_format_problems(t);
    EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << problems[0];

    std::map<std::string, int> threads, cats;
    for (const json &e : t["traceEvents"]) {
        if (e["ph"] == "M" && e["name"] == "thread_name")
            threads[e["args"]["name"]]++;
        if (e["ph"] == "B")
            cats[e["cat"]]++;
    }
    for (const char *name : {"cpu0", "cpu1", "firmware", "flush engine"})
        EXPECT_EQ(threads[name], 1) << "one track named " << name;
    EXPECT_EQ(threads.size(), 4u) << "no overlap lanes: nothing ran twice at once on one track";
    // 3 invalidate calls; 4 boot SMCs + 3 CLEAN_INV_MEMREGION; 1 sleep; 1
    // mutex wait; 2 engine flushes; 1 store; each SMC twice (CPU and firmware).
    EXPECT_EQ(cats["invalidate"], 3);
    EXPECT_EQ(cats["smc"], 7);
    EXPECT_EQ(cats["firmware"], 7);
    EXPECT_EQ(cats["sleep"], 1);
    EXPECT_EQ(cats["lock_wait"], 1);
    EXPECT_EQ(cats["flush"], 2);
    EXPECT_EQ(cats["access"], 1);
}

TEST_F(CliOutputsTest, TheTraceShowsTheSleepAndTheMutexWaitInsideTheirInvalidateCalls) {
    CliResult r = run_cmosim({"run", kContention, "--trace", dir + "/t.json", "--quiet"}, dir);
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    auto spans = spans_by_thread(json::parse(read_text(dir + "/t.json")));
    // Times in microseconds, as the format has them (derivation at the top).
    const SpanSeen &sleep = spans["cpu0"]["sleep"];
    EXPECT_DOUBLE_EQ(sleep.begin, 7.5);
    EXPECT_DOUBLE_EQ(sleep.end, 69.5);
    EXPECT_EQ(sleep.parent, "invalidate smccc [cpu0, first]");
    const SpanSeen &wait = spans["cpu1"]["lock wait"];
    EXPECT_DOUBLE_EQ(wait.begin, 6);
    EXPECT_DOUBLE_EQ(wait.end, 71.328);
    EXPECT_EQ(wait.parent, "invalidate smccc [cpu1, \"second\"]");
    const SpanSeen &smc = spans["cpu1"]["SMC SMCCC_ARCH_CLEAN_INV_MEMREGION"];
    EXPECT_DOUBLE_EQ(smc.begin, 71.328);
    EXPECT_DOUBLE_EQ(smc.end, 73.156);
    // The engine's walk closes cpu0's second SMC: 71.328 - 0.328 = 71.0.
    const SpanSeen &flush = spans["flush engine"]["flush range"];
    EXPECT_DOUBLE_EQ(flush.begin, 71.0);
    EXPECT_DOUBLE_EQ(flush.end, 71.328);
    const SpanSeen &fw = spans["firmware"]["SMCCC_ARCH_CLEAN_INV_MEMREGION (cpu0)"];
    EXPECT_DOUBLE_EQ(fw.begin, 6) << "the BUSY answer, the first of cpu0's calls";
    EXPECT_DOUBLE_EQ(fw.end, 7.5);
}

TEST_F(CliOutputsTest, TheTraceCheckerRejectsBrokenTraces) {
    // The structural check must be able to fail.
    json ok = {{"traceEvents",
                {{{"name", "thread_name"},
                  {"ph", "M"},
                  {"pid", 1},
                  {"tid", 1},
                  {"args", {{"name", "cpu0"}}}},
                 {{"name", "process_name"},
                  {"ph", "M"},
                  {"pid", 1},
                  {"tid", 0},
                  {"args", {{"name", "p"}}}},
                 {{"name", "a"}, {"ph", "B"}, {"ts", 1.0}, {"pid", 1}, {"tid", 1}},
                 {{"ph", "E"}, {"ts", 2.0}, {"pid", 1}, {"tid", 1}}}}};
    EXPECT_TRUE(trace_format_problems(ok).empty());
    json unbalanced = ok;
    unbalanced["traceEvents"].erase(3);
    EXPECT_FALSE(trace_format_problems(unbalanced).empty());
    json backwards = ok;
    backwards["traceEvents"][3]["ts"] = 0.5;
    EXPECT_FALSE(trace_format_problems(backwards).empty());
    json unnamed = ok;
    unnamed["traceEvents"].erase(0);
    EXPECT_FALSE(trace_format_problems(unnamed).empty()) << "tid 1 has no thread_name";
    EXPECT_FALSE(trace_format_problems(json::array()).empty()) << "no traceEvents object";
}

TEST_F(CliOutputsTest, ASuiteTraceHasOneProcessPerScenario) {
    CliResult r = run_cmosim({"run", source_path("tests/integration/suite"), kContention, "--trace",
                              dir + "/t.json", "--quiet"},
                             dir);
    ASSERT_EQ(r.code, 1) << "fail_no_invalidate fails on purpose\n" << r.out << r.err;
    json t = json::parse(read_text(dir + "/t.json"));
    std::vector<std::string> problems = trace_format_problems(t);
    EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << problems[0];
    std::map<int, std::string> process;
    for (const json &e : t["traceEvents"])
        if (e["ph"] == "M" && e["name"] == "process_name")
            process[e["pid"]] = e["args"]["name"];
    ASSERT_EQ(process.size(), 3u);
    EXPECT_EQ(process[1], "cmosim: fail_no_invalidate");
    EXPECT_EQ(process[2], "cmosim: pass_smccc");
    EXPECT_EQ(process[3], "cmosim: contention");
}

TEST_F(CliOutputsTest, TheCsvHasOneRowPerInvalidateCallWithItsLatencySplit) {
    CliResult r = run_cmosim({"run", kContention, "--csv", dir + "/c.csv", "--quiet"}, dir);
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    auto rows = csv_rows(read_text(dir + "/c.csv"));
    ASSERT_EQ(rows.size(), 4u) << "a header and 3 invalidate calls";
    const std::vector<std::string> &h = rows[0];
    auto col = [&](const std::string &name) {
        return static_cast<size_t>(std::find(h.begin(), h.end(), name) - h.begin());
    };
    for (const auto &row : rows)
        ASSERT_EQ(row.size(), h.size());
    // In the order the calls returned: cpu0 (71.328 us), cpu1 smccc
    // (73.156 us), cpu1 va_cmo.
    const auto &c0 = rows[1], &c1 = rows[2], &c1b = rows[3];
    EXPECT_EQ(c0[col("scenario")], "contention");
    EXPECT_EQ(c0[col("cpu")], "0");
    EXPECT_EQ(c0[col("label")], "cpu0, first");
    EXPECT_EQ(c0[col("strategy")], "smccc");
    EXPECT_EQ(c0[col("base")], "0x100000000");
    EXPECT_EQ(c0[col("size")], "8192");
    EXPECT_EQ(c0[col("return")], "0");
    // 1.5 (BUSY) + 62 (sleep) + 1.828 (SMC) = 65.328 us.
    EXPECT_EQ(c0[col("latency_ps")], "65328000");
    EXPECT_EQ(c0[col("firmware_ps")], "3328000") << "1.5 + 1.828 us";
    EXPECT_EQ(c0[col("sleep_ps")], "62000000");
    EXPECT_EQ(c0[col("firmware_calls")], "2");
    EXPECT_EQ(c0[col("sleeps")], "1");
    EXPECT_EQ(c1[col("label")], "cpu1, \"second\"") << "quoted and unquoted back";
    EXPECT_EQ(c1[col("mutex_wait_ps")], "65328000") << "6 -> 71.328 us";
    EXPECT_EQ(c1[col("latency_ps")], "67156000") << "65.328 + 1.828 us";
    EXPECT_EQ(c1b[col("strategy")], "va_cmo");
    EXPECT_EQ(c1b[col("cmo_lines")], "64") << "4 KiB / 64 B";
    EXPECT_EQ(c1b[col("residual_lines")], "0");
}

TEST_F(CliOutputsTest, ASuiteCsvHasOneHeaderAndTheRowsOfEveryScenario) {
    CliResult r = run_cmosim({"run", source_path("tests/integration/suite"), kContention, "--csv",
                              dir + "/c.csv", "--quiet"},
                             dir);
    ASSERT_EQ(r.code, 1) << r.out << r.err;
    auto rows = csv_rows(read_text(dir + "/c.csv"));
    // fail_no_invalidate: 1 call; pass_smccc: 2; contention: 3.
    ASSERT_EQ(rows.size(), 1u + 1 + 2 + 3);
    EXPECT_EQ(rows[0][0], "scenario");
    EXPECT_EQ(rows[1][0], "fail_no_invalidate");
    EXPECT_EQ(rows[2][0], "pass_smccc");
    EXPECT_EQ(rows[3][0], "pass_smccc");
    EXPECT_EQ(rows[6][0], "contention");
}

TEST_F(CliOutputsTest, TheRegressionSuitePassesWithValidJunitAndAWellFormedTrace) {
    // The acceptance run, with a trace of every scenario on top: all
    // step kinds, 4-CPU contention, rate limits, faults.
    CliResult r = run_cmosim({"run", source_path("configs/regression"), "-j", "2", "--junit",
                              dir + "/out.xml", "--trace", dir + "/t.json", "--quiet"},
                             dir);
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    std::string xml = read_text(dir + "/out.xml");
    EXPECT_NE(xml.find("failures=\"0\" errors=\"0\""), std::string::npos) << xml;
    json t = json::parse(read_text(dir + "/t.json"));
    std::vector<std::string> problems = trace_format_problems(t);
    EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << problems[0];
    size_t scenarios = 0; // *.yaml directly in the directory, as the suite counts them
    for (const auto &e : std::filesystem::directory_iterator(source_path("configs/regression")))
        scenarios += e.is_regular_file() && e.path().extension() == ".yaml";
    ASSERT_GT(scenarios, 0u);
    EXPECT_EQ(t["otherData"]["runs"].size(), scenarios) << "one process per scenario";
    size_t cases = 0;
    for (size_t at = xml.find("<testcase "); at != std::string::npos;
         at = xml.find("<testcase ", at + 1))
        ++cases;
    EXPECT_EQ(cases, scenarios) << "one test case per scenario";
}
