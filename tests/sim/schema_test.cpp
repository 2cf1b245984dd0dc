// SPDX-License-Identifier: Apache-2.0
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "config/scenario.h"
#include "config/schema.h"

using namespace cmosim::sim;

TEST(SchemaTest, TheScenarioReferenceIsGeneratedFromTheSchema) {
    std::ifstream f(std::string(CMOSIM_SOURCE_DIR) + "/docs/scenario-reference.md");
    ASSERT_TRUE(f) << "docs/scenario-reference.md is missing";
    std::stringstream text;
    text << f.rdbuf();
    EXPECT_EQ(text.str(), schema_markdown())
        << "regenerate: build/release/cmosim explain --markdown > docs/scenario-reference.md";
}

TEST(SchemaTest, EverySectionHasRowsOrIsAScalarStepAndEveryRowHasASection) {
    for (const Section &s : schema_sections()) {
        std::string n = s.name;
        if (n == "step.sleep" || n == "step.barrier" || n == "expect")
            EXPECT_TRUE(keys_of(n).empty()) << n << " takes a value, not keys";
        else
            EXPECT_FALSE(keys_of(n).empty()) << n << " has no keys";
    }
    for (const Param &p : schema()) {
        bool found = false;
        for (const Section &s : schema_sections())
            found |= std::string(s.name) == p.section;
        EXPECT_TRUE(found) << p.section << "." << p.key << " belongs to no section";
    }
}

TEST(SchemaTest, AKeyOutsideTheSchemaIsRejected) {
    // firmware.faults[] accepts exactly the schema's keys: 'prob' is not one.
    const char *doc = "platform:\n"
                      "  l1d: { size: 64KiB, ways: 4 }\n"
                      "  slc: { size: 1MiB, ways: 16 }\n"
                      "  memory: [{ name: cxl0, kind: cxl, base: 0, size: 1GiB, "
                      "read_latency: 230ns, bandwidth: 32GB/s }]\n"
                      "firmware: { faults: [{ action: return, status: BUSY, prob: 1 }] }\n"
                      "cpus: {}\n";
    try {
        load_scenario_text("t.yaml", doc);
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.mark.line, 5u);
        EXPECT_EQ(e.mark.column, 54u);
        EXPECT_NE(e.message.find("firmware.faults[0]: unknown key 'prob' (did you mean "
                                 "'probability'?)"),
                  std::string::npos)
            << e.message;
    }
}
