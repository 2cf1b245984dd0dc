// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "cmosim/sim/expect.h"

using namespace cmosim::sim;

namespace {
Expectation ex(const std::string &path, const std::string &op, double v) {
    Expectation e;
    e.mark = Mark{"s.yaml", 3, 5};
    e.path = path;
    e.op = op;
    e.value = v;
    return e;
}
const char *kReport = R"({"checker":{"stale_reads":3},"invalidate":[{"return":0},{"return":-16}]})";
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
