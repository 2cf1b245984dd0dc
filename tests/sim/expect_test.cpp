// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "report/expect.h"

using namespace cmosim::sim;

namespace {
Expectation ex(const std::string &path, const std::string &op, double v) {
    Expectation e;
    e.mark = Mark{"s.yaml", 3, 5};
    e.path = path;
    EXPECT_TRUE(compare_from_symbol(op, &e.op)) << op;
    e.value = v;
    return e;
}
// Expectations read the report's JSON object, as make_report builds it.
const nlohmann::ordered_json kReport = nlohmann::ordered_json::parse(
    R"({"checker":{"stale_reads":3},"invalidate":[{"return":0},{"return":-16}]})");
} // namespace

TEST(ExpectTest, ComparisonsOnNestedFieldsAndArrays) {
    auto v = evaluate({ex("checker.stale_reads", ">", 0), ex("invalidate[1].return", "==", -16),
                       ex("invalidate[0].return", "!=", 0)},
                      kReport);
    ASSERT_EQ(v.size(), 3u);
    EXPECT_TRUE(v[0].pass);
    EXPECT_TRUE(v[1].pass);
    EXPECT_FALSE(v[2].pass) << "return is 0";
}

TEST(ExpectTest, AFailureNamesTheFieldTheExpectedAndTheActualValue) {
    auto v = evaluate({ex("checker.stale_reads", "==", 0)}, kReport);
    ASSERT_EQ(v.size(), 1u);
    EXPECT_FALSE(v[0].pass);
    EXPECT_EQ(v[0].message, "s.yaml:3:5: expectation checker.stale_reads == 0: FAILED, actual 3");
}

TEST(ExpectTest, AMissingFieldFails) {
    auto v = evaluate({ex("invalidate[5].return", "==", 0)}, kReport);
    EXPECT_FALSE(v[0].pass);
    EXPECT_FALSE(v[0].found);
    EXPECT_NE(v[0].message.find("no numeric field 'invalidate[5].return'"), std::string::npos);
}

namespace {
const nlohmann::ordered_json kFindings = nlohmann::ordered_json::parse(
    R"({"checker":{"stale_reads":16,"lost_device_writes":1024,)"
    R"("residual_lines":0,"lost_cpu_writes":0,"offline_reads":2},)"
    R"("accesses":[{"stale_reads":0},{"stale_reads":10},{"stale_reads":6}],)"
    R"("platform":{"memory":[{"offline_reads":2}]}})");
} // namespace

TEST(ExpectTest, AFindingNobodyStatedFailsWithItsKindAndCount) {
    auto v = findings_verdicts({ex("accesses[1].stale_reads", ">", 0)}, false, Mark{"s.yaml", 9, 1},
                               kFindings);
    ASSERT_EQ(v.size(), 3u) << "accesses[1] has 10 of the 16 stale reads; no residual line";
    EXPECT_EQ(v[0].expect.path, "checker.stale_reads");
    v.erase(v.begin());
    EXPECT_FALSE(v[0].pass);
    EXPECT_EQ(v[0].expect.path, "checker.lost_device_writes");
    EXPECT_EQ(v[0].actual, 1024);
    EXPECT_EQ(v[0].message, "s.yaml:9:1: unexpected finding: 1024 lost device writes "
                            "(checker.lost_device_writes); state the count in expect, or opt out "
                            "with `findings: any`");
    EXPECT_EQ(v[1].expect.path, "checker.offline_reads");
    EXPECT_NE(v[1].message.find(": 2 offline reads"), std::string::npos) << v[1].message;
}

TEST(ExpectTest, AnyComparisonOnAPathEndingInTheKindStatesIt) {
    EXPECT_TRUE(states_finding(ex("checker.stale_reads", "==", 16), "stale_reads"));
    EXPECT_TRUE(states_finding(ex("cpus[0].stale_reads", "<", 1), "stale_reads"));
    EXPECT_TRUE(states_finding(ex("invalidate[0].residual_lines", "!=", 3), "residual_lines"));
    EXPECT_FALSE(states_finding(ex("checker.stale_reads_x", "==", 0), "stale_reads"));
    EXPECT_FALSE(states_finding(ex("checker.not_stale_reads", "==", 0), "stale_reads"));
    EXPECT_TRUE(findings_verdicts({ex("accesses[1].stale_reads", "==", 10),
                                   ex("accesses[2].stale_reads", ">", 0),
                                   ex("accesses[2].stale_reads", "<", 7),
                                   ex("checker.lost_device_writes", "==", 1024),
                                   ex("checker.offline_reads", "!=", 0)},
                                  false, Mark{"s.yaml", 9, 1}, kFindings)
                    .empty())
        << "accesses[1] and [2] hold all 16 stale reads (a record compared twice counts once)";
    EXPECT_TRUE(findings_verdicts({ex("checker.stale_reads", "==", 16),
                                   ex("checker.lost_device_writes", ">=", 0),
                                   ex("platform.memory[0].offline_reads", "==", 2)},
                                  false, Mark{"s.yaml", 9, 1}, kFindings)
                    .empty());
}

TEST(ExpectTest, FindingsAnyOptsOut) {
    EXPECT_TRUE(findings_verdicts({}, true, Mark{"s.yaml", 9, 1}, kFindings).empty());
    EXPECT_EQ(findings_verdicts({}, false, Mark{"s.yaml", 9, 1}, kFindings).size(), 3u);
}
