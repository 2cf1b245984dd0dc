// SPDX-License-Identifier: Apache-2.0
// cmosim run with several scenarios, as CI runs it: verdict lines, exit codes,
// JUnit XML, a report directory; and what one scenario leaves behind when an
// expectation breaks or its time limit stops it.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_run.h"
#include "junit_schema.h"

using namespace cmosim::test;
using json = nlohmann::json;

namespace {

const std::string kSuite = source_path("tests/integration/suite");
const std::string kPass = kSuite + "/pass_smccc.yaml";
const std::string kFail = kSuite + "/fail_no_invalidate.yaml";
const std::string kBad = source_path("tests/integration/scenarios/bad_key.yaml");
const std::string kLimit = source_path("tests/integration/scenarios/time_limit.yaml");

class CliSuiteTest : public testing::Test {
protected:
    void SetUp() override { dir = make_temp_dir(); }
    void TearDown() override {
        if (!HasFailure())
            std::filesystem::remove_all(dir);
    }
    std::string dir;
};

size_t count(const std::string &text, const std::string &what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

} // namespace

TEST_F(CliSuiteTest, ADirectoryWithAPassingAndAFailingScenarioExitsOneWithJunitAndReports) {
    CliResult r = run_cmosim(
        {"run", kSuite, "-j", "2", "--junit", dir + "/out.xml", "--report", dir + "/reports"}, dir);
    EXPECT_EQ(r.code, 1) << "an expectation failed\n" << r.out << r.err;
    // Sorted by name: fail_no_invalidate before pass_smccc.
    size_t fail = r.out.find("FAIL   " + kFail + "  (2 of 3 expectations");
    size_t pass = r.out.find("PASS   " + kPass + "  (3 of 3 expectations");
    ASSERT_NE(fail, std::string::npos) << r.out;
    ASSERT_NE(pass, std::string::npos) << r.out;
    EXPECT_LT(fail, pass);
    // 16 KiB / 64 B = 256 lines, all read back from caches older than the erase.
    EXPECT_NE(r.out.find("expectation checker.stale_reads == 0: FAILED, actual 256"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("2 scenarios: 1 passed, 1 failed, 0 errors"), std::string::npos) << r.out;

    std::string xml = read_text(dir + "/out.xml");
    EXPECT_EQ(junit_schema_errors(xml), "") << xml;
    EXPECT_NE(xml.find("tests=\"2\" failures=\"1\" errors=\"0\""), std::string::npos) << xml;
    EXPECT_EQ(count(xml, "<testcase "), 2u);
    EXPECT_NE(xml.find("<testcase name=\"pass_smccc\" classname=\"cmosim."), std::string::npos);
    EXPECT_NE(xml.find("<failure type=\"expectation\" message=\"" + kFail +
                       ":28:24: expectation checker.stale_reads == 0: FAILED, actual 256\">"),
              std::string::npos)
        << xml;

    json failed = json::parse(read_text(dir + "/reports/fail_no_invalidate.json"));
    ASSERT_EQ(failed["verdicts"].size(), 3u);
    EXPECT_EQ(failed["verdicts"][1]["field"], "checker.stale_reads");
    EXPECT_EQ(failed["verdicts"][1]["expected"], 0);
    EXPECT_EQ(failed["verdicts"][1]["actual"], 256);
    EXPECT_EQ(failed["verdicts"][1]["pass"], false);
    EXPECT_TRUE(file_exists(dir + "/reports/pass_smccc.json"));
}

TEST_F(CliSuiteTest, ASuiteExitsWithTheHighestCodeOfItsScenariosInInputOrder) {
    // pass 0, fail 1, bad input 2: the suite exits 2; lines in input order.
    CliResult r =
        run_cmosim({"run", "-j", "2", kBad, kPass, kFail, "--junit", dir + "/a.xml"}, dir);
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    size_t bad = r.out.find("ERROR  " + kBad + "  (bad input");
    size_t pass = r.out.find("PASS   " + kPass);
    size_t fail = r.out.find("FAIL   " + kFail);
    ASSERT_NE(bad, std::string::npos) << r.out;
    EXPECT_LT(bad, pass);
    EXPECT_LT(pass, fail);
    EXPECT_NE(r.out.find(kBad + ":12:1: error: scenario: unknown key 'kernal' (did you mean "
                                "'kernel'?)"),
              std::string::npos)
        << "the error is shown under its line: " << r.out;
    std::string xml = read_text(dir + "/a.xml");
    EXPECT_EQ(junit_schema_errors(xml), "") << xml;
    EXPECT_NE(xml.find("<error type=\"bad_input\" message=\"" + kBad + ":12:1: error:"),
              std::string::npos)
        << xml;

    // ... and a limit reached (3) outranks them all.
    r = run_cmosim({"run", kPass, kFail, kBad, kLimit, "--junit", dir + "/b.xml"}, dir);
    EXPECT_EQ(r.code, 3) << r.out << r.err;
    EXPECT_NE(r.out.find("LIMIT  " + kLimit + "  (limit reached, report incomplete"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("4 scenarios: 1 passed, 1 failed, 1 error, 1 incomplete"),
              std::string::npos)
        << r.out;
    xml = read_text(dir + "/b.xml");
    EXPECT_EQ(junit_schema_errors(xml), "") << xml;
    EXPECT_NE(xml.find("tests=\"4\" failures=\"1\" errors=\"2\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("<error type=\"limit\" message=\"cmosim run: stopped: the simulated-time "
                       "limit of"),
              std::string::npos)
        << xml;

    // Two passing scenarios: 0.
    r = run_cmosim({"run", kPass, kPass, "--quiet"}, dir);
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_EQ(r.out, "") << "--quiet prints no PASS line";
}

TEST_F(CliSuiteTest, BreakingAnExpectationFailsWithTheFieldTheExpectedAndTheActualValue) {
    // pass_smccc.yaml with its last expectation (line 30) made wrong: the
    // read-back has 0 stale reads, the file now asks for 5.
    std::string text = read_text(kPass);
    const std::string from = "accesses[1].stale_reads: 0";
    ASSERT_NE(text.find(from), std::string::npos);
    text.replace(text.find(from), from.size(), "accesses[1].stale_reads: 5");
    const std::string broken = dir + "/broken.yaml";
    std::ofstream(broken) << text;

    CliResult r = run_cmosim({"run", broken, "--report", dir + "/r.json"}, dir);
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(broken + ":30:28: expectation accesses[1].stale_reads == 5: FAILED, "
                                  "actual 0"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.out.find("expectations: 2 of 3 passed"), std::string::npos) << r.out;
    json rep = json::parse(read_text(dir + "/r.json"));
    EXPECT_EQ(rep["verdicts"][2]["field"], "accesses[1].stale_reads");
    EXPECT_EQ(rep["verdicts"][2]["op"], "==");
    EXPECT_EQ(rep["verdicts"][2]["expected"], 5);
    EXPECT_EQ(rep["verdicts"][2]["actual"], 0);
    EXPECT_EQ(rep["verdicts"][2]["source"], broken + ":30:28");

    // The same in a suite's JUnit.
    r = run_cmosim({"run", broken, kPass, "--junit", dir + "/j.xml"}, dir);
    EXPECT_EQ(r.code, 1);
    std::string xml = read_text(dir + "/j.xml");
    EXPECT_NE(xml.find("<failure type=\"expectation\" message=\"" + broken +
                       ":30:28: expectation accesses[1].stale_reads == 5: FAILED, actual 0\">"),
              std::string::npos)
        << xml;
}

TEST_F(CliSuiteTest, AFindingNobodyExpectedFailsTheScenarioWithItsKindAndCount) {
    // pass_smccc.yaml without the invalidate that hands the range over clean:
    // the invalidate after the erase writes the 256 dirty lines back over it.
    // Every expectation still passes; the lost device writes fail the run.
    std::string text = read_text(kPass);
    const std::string hand_over =
        "    - invalidate: { base: cxl0+0, size: 16KiB, strategy: smccc, label: hand over }\n";
    ASSERT_NE(text.find(hand_over), std::string::npos);
    text.replace(text.find(hand_over), hand_over.size(), "    - sleep: 1us\n");
    const std::string second = "  invalidate[1].return: 0\n";
    ASSERT_NE(text.find(second), std::string::npos);
    text.erase(text.find(second), second.size());
    const std::string strict = dir + "/strict.yaml";
    std::ofstream(strict) << text;

    CliResult r = run_cmosim({"run", strict, "--report", dir + "/r.json"}, dir);
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    const std::string finding = strict + ":28:3: unexpected finding: 256 lost device writes "
                                         "(checker.lost_device_writes); state the count in "
                                         "expect, or opt out with `findings: any`";
    EXPECT_NE(r.err.find(finding), std::string::npos) << r.err;
    EXPECT_EQ(count(r.err, "unexpected finding"), 1u) << "stale reads are stated: " << r.err;
    json rep = json::parse(read_text(dir + "/r.json"));
    ASSERT_EQ(rep["verdicts"].size(), 3u);
    EXPECT_EQ(rep["verdicts"][2]["field"], "checker.lost_device_writes");
    EXPECT_EQ(rep["verdicts"][2]["actual"], 256);
    EXPECT_EQ(rep["verdicts"][2]["pass"], false);

    r = run_cmosim({"run", strict, kPass, "--junit", dir + "/j.xml"}, dir);
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    std::string xml = read_text(dir + "/j.xml");
    EXPECT_EQ(junit_schema_errors(xml), "") << xml;
    EXPECT_NE(xml.find("<failure type=\"expectation\" message=\"" + finding), std::string::npos)
        << xml;

    // Stating the count, with any comparison, or opting out passes.
    for (const std::string &line : {std::string("  checker.lost_device_writes: 256\n"),
                                    std::string("  checker.lost_device_writes: \">= 0\"\n"),
                                    std::string("  findings: any\n")}) {
        std::ofstream(strict) << text << line;
        r = run_cmosim({"run", strict}, dir);
        EXPECT_EQ(r.code, 0) << line << r.out << r.err;
    }
}

TEST_F(CliSuiteTest, ATypoInAnExpectationPathIsBadInputBeforeTheRun) {
    std::string text = read_text(kPass);
    text.replace(text.find("invalidate[1].return"), 20, "invalidate[1].retrun");
    const std::string typo = dir + "/typo.yaml";
    std::ofstream(typo) << text;
    CliResult r = run_cmosim({"run", typo, "--report", dir + "/r.json"}, dir);
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(typo + ":29:3: error: expect.invalidate[1].retrun: no numeric field "
                                "'invalidate[].retrun' in the report (did you mean "
                                "'invalidate[1].return'?)"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(file_exists(dir + "/r.json")) << "nothing ran";
    r = run_cmosim({"check", typo}, dir);
    EXPECT_EQ(r.code, 2) << "cmosim check sees it too: " << r.out << r.err;
}

TEST_F(CliSuiteTest, AScenarioStoppedByItsTimeLimitStillWritesItsReportMarkedIncomplete) {
    CliResult r = run_cmosim({"run", kLimit, "--report", dir + "/r.json", "--trace",
                              dir + "/t.json", "--csv", dir + "/c.csv"},
                             dir);
    EXPECT_EQ(r.code, 3) << r.out << r.err;
    EXPECT_NE(r.out.find("  [INCOMPLETE]"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("limit of 200.000 us was reached"), std::string::npos) << r.err;
    json rep = json::parse(read_text(dir + "/r.json"));
    EXPECT_EQ(rep["complete"], false);
    EXPECT_LE(rep["sim_time_ps"].get<uint64_t>(), 200000000u) << "stopped by the 200 us limit";
    json trace = json::parse(read_text(dir + "/t.json"));
    EXPECT_EQ(trace["otherData"]["complete"], false);
    EXPECT_TRUE(file_exists(dir + "/c.csv"));
}

TEST_F(CliSuiteTest, ReportsOfTheSameScenarioDifferOnlyUnderHost) {
    CliResult a = run_cmosim({"run", kPass, "--report", dir + "/a.json"}, dir);
    CliResult b = run_cmosim({"run", kPass, "--report", dir + "/b.json"}, dir);
    ASSERT_EQ(a.code, 0);
    ASSERT_EQ(b.code, 0);
    json ra = json::parse(read_text(dir + "/a.json"));
    json rb = json::parse(read_text(dir + "/b.json"));
    ASSERT_TRUE(ra["host"].contains("wall_seconds"));
    ASSERT_TRUE(ra["host"].contains("max_rss_kib"));
    ra.erase("host");
    rb.erase("host");
    EXPECT_EQ(ra, rb) << "everything outside `host` is reproducible";
}

TEST_F(CliSuiteTest, BadSuiteInvocationsAreBadInputBeforeAnythingRuns) {
    std::filesystem::create_directories(dir + "/empty/sub");
    std::ofstream(dir + "/empty/sub/hidden.yaml") << "name: not run\n";
    std::ofstream(dir + "/empty/notes.txt") << "not a scenario\n";
    CliResult r = run_cmosim({"run", dir + "/empty"}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find(dir + "/empty: error: no *.yaml or *.yml scenario in this directory "
                               "(subdirectories are not searched)"),
              std::string::npos)
        << r.err;

    // Two files named pass_smccc.yaml would write the same report.
    std::filesystem::create_directories(dir + "/other");
    std::filesystem::copy_file(kPass, dir + "/other/pass_smccc.yaml");
    r = run_cmosim({"run", kPass, dir + "/other/pass_smccc.yaml", "--report", dir + "/rep"}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("would both write pass_smccc.json"), std::string::npos) << r.err;
    EXPECT_FALSE(file_exists(dir + "/rep")) << "refused before anything ran";

    r = run_cmosim({"run", kPass, kFail, "-j", "many"}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("-j: expected a number"), std::string::npos) << r.err;
}

TEST_F(CliSuiteTest, SetOverridesReachEveryScenarioOfASuite) {
    // fail_no_invalidate.yaml's step 2 is `invalidate: {strategy: none}`; through
    // the provider instead, the read-back finds no stale line, no line stays
    // cached, and the three expectations hold, in each of the two child processes.
    CliResult r =
        run_cmosim({"run", kFail, kFail, "--set", "cpus.0[2].invalidate.strategy=smccc"}, dir);
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_EQ(count(r.out, "PASS   " + kFail + "  (3 of 3 expectations"), 2u) << r.out;
}
