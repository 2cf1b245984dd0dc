// SPDX-License-Identifier: Apache-2.0
// JUnit XML: valid against the schema CI servers check, escaping, names.
#include <gtest/gtest.h>

#include "report/junit.h"
#include "junit_schema.h"

using namespace cmosim::sim;
using cmosim::test::junit_schema_errors;

namespace {

JunitSuite three_cases() {
    JunitSuite s;
    s.timestamp = "2025-01-31T12:00:00";
    s.hostname = "ci-runner";
    s.seconds = 1.5;
    s.properties = {{"cmosim_version", "0.1.0"}};
    JunitCase pass{"pass_smccc", "cmosim.tests.suite", 0.25, JunitCase::Outcome::Pass, "", "", ""};
    JunitCase fail{"fail",
                   "cmosim.tests.suite",
                   0.5,
                   JunitCase::Outcome::Failure,
                   "expectation",
                   "s.yaml:3:5: expectation checker.stale_reads == 0: FAILED, actual 3",
                   "1 of 2 expectations failed:\ns.yaml:3:5: ...\n"};
    JunitCase bad{"bad",
                  "cmosim",
                  0.01,
                  JunitCase::Outcome::Error,
                  "bad_input",
                  "bad.yaml:12:1: error: scenario: unknown key 'kernal' (did you mean 'kernel'?)",
                  "bad.yaml:12:1: error: ...\n"};
    s.cases = {pass, fail, bad};
    s.system_out = "PASS   a\nFAIL   b\n";
    return s;
}

} // namespace

TEST(JunitTest, AScenarioNotRunIsSkippedWithItsReasonAndCounted) {
    JunitSuite s = three_cases();
    s.cases.push_back({"late", "cmosim", 0, JunitCase::Outcome::Skipped, "",
                       "not started: the suite was interrupted by SIGINT", ""});
    std::string xml = junit_xml(s);
    EXPECT_EQ(junit_schema_errors(xml), "") << xml;
    EXPECT_NE(xml.find(R"(tests="4" failures="1" errors="1" skipped="1")"), std::string::npos)
        << xml;
    EXPECT_NE(xml.find(R"(<testcase name="late" classname="cmosim" time="0.000">)"
                       "\n      <skipped message=\"not started: the suite was interrupted by "
                       "SIGINT\"/>\n    </testcase>"),
              std::string::npos)
        << xml;
}

TEST(JunitTest, ASuiteWithAPassAFailureAndAnErrorIsValidAgainstTheCommonSchema) {
    std::string xml = junit_xml(three_cases());
    EXPECT_EQ(junit_schema_errors(xml), "") << xml;
    // tests = 3 cases, failures = 1, errors = 1.
    EXPECT_NE(xml.find("tests=\"3\" failures=\"1\" errors=\"1\""), std::string::npos) << xml;
    EXPECT_EQ(xml.find("skipped="), std::string::npos) << "nothing skipped: no attribute (Ant)";
    EXPECT_NE(xml.find("<failure type=\"expectation\" message=\"s.yaml:3:5: expectation "
                       "checker.stale_reads == 0: FAILED, actual 3\">"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<error type=\"bad_input\""), std::string::npos) << xml;
}

TEST(JunitTest, TheSchemaCheckRejectsTwoFailuresInOneTestCase) {
    // The check itself must be able to fail: the Ant schema allows one
    // failure or error per test case.
    std::string xml = junit_xml(three_cases());
    size_t at = xml.find("</failure>") + std::string("</failure>").size();
    xml.insert(at, "<failure type=\"expectation\">again</failure>");
    EXPECT_NE(junit_schema_errors(xml), "") << xml;
}

TEST(JunitTest, MarkupAndControlCharactersAreEscapedOrDropped) {
    EXPECT_EQ(xml_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    // XML 1.0 has no form for U+0001..U+0008: they are dropped; tab and
    // line breaks stay.
    EXPECT_EQ(xml_escape(std::string("x\x01y\x08z\t\n")), "xyz\t\n");
    JunitSuite s = three_cases();
    s.cases[1].message = "label \"a<b>\"\nsecond line";
    s.cases[1].text = std::string("control \x02 character");
    std::string xml = junit_xml(s);
    EXPECT_EQ(junit_schema_errors(xml), "") << xml;
    EXPECT_NE(xml.find("message=\"label &quot;a&lt;b&gt;&quot; second line\""), std::string::npos)
        << "a message attribute is one line: " << xml;
}

TEST(JunitTest, AnEmptyHostnameBecomesLocalhostAsTheAntSchemaAsks) {
    JunitSuite s = three_cases();
    s.hostname.clear();
    std::string xml = junit_xml(s);
    EXPECT_NE(xml.find("hostname=\"localhost\""), std::string::npos);
    EXPECT_EQ(junit_schema_errors(xml), "") << xml;
}

TEST(JunitTest, TestCaseNamesComeFromTheFileAndItsDirectory) {
    std::string name, cls;
    junit_names("configs/regression/busy_retry.yaml", &name, &cls);
    EXPECT_EQ(name, "busy_retry");
    EXPECT_EQ(cls, "cmosim.configs.regression");
    junit_names("../x/./y.yml", &name, &cls);
    EXPECT_EQ(name, "y");
    EXPECT_EQ(cls, "cmosim.x") << "'.' and '..' components are dropped";
    junit_names("plain.yaml", &name, &cls);
    EXPECT_EQ(name, "plain");
    EXPECT_EQ(cls, "cmosim");
}
