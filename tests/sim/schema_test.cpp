// SPDX-License-Identifier: Apache-2.0
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "config/scenario.h"
#include "config/schema.h"
#include "cmosim/models/cache.h"
#include "cmosim/models/memory.h"
#include "cmosim/models/tag_store.h"

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

TEST(SchemaTest, EveryRowWithASlotReadsItsBoundsAndItsDefault) {
    for (const std::string &p : schema_problems())
        ADD_FAILURE() << p;
    size_t slots = 0;
    for (const Param &p : schema())
        slots += p.slot.store != nullptr;
    EXPECT_GE(slots, 60u) << "the platform, kernel, limits, firmware and step rows fill the config";
}

namespace {

const char *kSmallest = "platform:\n"
                        "  l1d: { size: 64KiB, ways: 4 }\n"
                        "  slc: { size: 1MiB, ways: 16 }\n"
                        "  memory:\n"
                        "    - { name: dram0, kind: dram, base: 0, size: 1GiB, read_latency: 80ns,"
                        " bandwidth: 50GB/s }\n"
                        "cpus: { 0: [ { sleep: 1us } ] }\n";

} // namespace

TEST(SchemaTest, AnAbsentKeyTakesItsRowsDefaultAndNothingElse) {
    // Each default below is the text of its schema row, read as a scenario
    // would write it: the loaded values come from nowhere else.
    const Scenario s = load_scenario_text("smallest.yaml", kSmallest);
    EXPECT_EQ(s.platform.cpus, 1u);
    EXPECT_DOUBLE_EQ(s.platform.clock_ghz, 3.0);
    EXPECT_EQ(s.platform.line_bytes, 64u);
    EXPECT_EQ(s.platform.quantum_ps, 1000000u) << "1us";
    EXPECT_EQ(s.platform.snoop_ps, 10000u) << "10ns";
    EXPECT_EQ(s.platform.engine_setup_ps, 200000u) << "200ns";
    EXPECT_EQ(s.platform.engine_per_line_ps, 2000u) << "2ns";
    EXPECT_EQ(s.platform.engine_tags_per_cycle, 4u);
    EXPECT_EQ(s.platform.l1d.hit_cycles, 4u) << "the l1d default of 'l1i 4, l1d 4, l2 13'";
    EXPECT_EQ(s.platform.l1d.hit_ps, 1333u) << "4 cycles at 3 GHz";
    EXPECT_EQ(s.platform.l1d.outstanding, 16u);
    EXPECT_EQ(s.platform.slc.outstanding, 64u) << "the SLC's own row";
    EXPECT_EQ(s.platform.slc.hit_ps, 40000u) << "40ns";
    EXPECT_TRUE(s.platform.slc.write_back_fill);
    EXPECT_EQ(s.platform.slc.replacement, cmosim::models::Replacement::Lru);
    EXPECT_FALSE(s.platform.l2.present);
    EXPECT_EQ(s.kernel.hz, 250u);
    EXPECT_EQ(s.kernel.provider, KernelProvider::Smccc);
    EXPECT_EQ(s.kernel.conduit, Conduit::Smc);
    EXPECT_EQ(s.event_limit, 250000000u);
    EXPECT_FALSE(s.event_limit_given);
    EXPECT_EQ(s.time_limit_ps, 0u) << "none";
}

TEST(SchemaTest, TheFirmwareRowsDefaultsAreTheFirmwaresOwn) {
    // The firmware library keeps its defaults for its own users
    // (fw_config_default); a scenario's come from the rows. They agree.
    fw_config d;
    fw_config_default(&d);
    const fw_config f = load_scenario_text("smallest.yaml", kSmallest).firmware;
    EXPECT_EQ(f.smccc_version, d.smccc_version);
    EXPECT_EQ(f.has_clean_inv, d.has_clean_inv);
    EXPECT_EQ(f.has_attributes, d.has_attributes);
    EXPECT_EQ(f.has_soc_id, d.has_soc_id);
    EXPECT_EQ(f.features_clean_inv, d.features_clean_inv);
    EXPECT_EQ(f.features_attributes, d.features_attributes);
    EXPECT_EQ(f.attributes_status, d.attributes_status);
    EXPECT_EQ(f.attr_global, d.attr_global);
    EXPECT_EQ(f.attr_latency_us, d.attr_latency_us);
    EXPECT_EQ(f.attr_rate_limit, d.attr_rate_limit);
    EXPECT_EQ(f.attr_breakeven, d.attr_breakeven);
    EXPECT_EQ(f.attr_breakeven_from_model, d.attr_breakeven_from_model);
    EXPECT_EQ(f.method, d.method);
    EXPECT_EQ(f.validation.strict_alignment, d.validation.strict_alignment);
    EXPECT_EQ(f.validation.zero_length_ok, d.validation.zero_length_ok);
    EXPECT_EQ(f.validation.all_ones_is_global, d.validation.all_ones_is_global);
    EXPECT_EQ(f.validation.wrap_ok, d.validation.wrap_ok);
    EXPECT_EQ(f.validation.reserved_flags_ok, d.validation.reserved_flags_ok);
    EXPECT_EQ(f.rate_per_s, d.rate_per_s);
    EXPECT_EQ(f.burst, d.burst);
    EXPECT_EQ(f.entry_ps, d.entry_ps);
    EXPECT_EQ(f.bookkeeping_ps, d.bookkeeping_ps);
    EXPECT_EQ(f.seed, d.seed);
    EXPECT_EQ(f.log_capacity, d.log_capacity);
    EXPECT_EQ(f.n_faults, 0u);
    EXPECT_EQ(f.n_busy_agents, 0u);
}

TEST(SchemaTest, ChoicesAreTheModelsEnumsInTheRowsOrder) {
    namespace mdl = cmosim::models;
    for (unsigned i = 0; i < 3; ++i)
        EXPECT_EQ(choice_name("platform.slc", "replacement", i),
                  mdl::replacement_name(static_cast<mdl::Replacement>(i)));
    for (unsigned i = 0; i < 2; ++i)
        EXPECT_EQ(choice_name("platform.private_cache", "inclusion", i),
                  mdl::inclusion_name(static_cast<mdl::Inclusion>(i)));
    for (unsigned i = 0; i < 5; ++i)
        EXPECT_EQ(choice_name("step.device", "op", i),
                  mdl::device_op_name(static_cast<mdl::DeviceOp>(i)));
    for (unsigned i = 0; i < 3; ++i) {
        EXPECT_EQ(choice_name("step.cmo", "op", i), mdl::cmo_op_name(static_cast<mdl::CmoOp>(i)));
        EXPECT_EQ(choice_name("step.set_way", "op", i),
                  mdl::cmo_op_name(static_cast<mdl::CmoOp>(i + 3)));
    }
    EXPECT_EQ(choice_name("platform.memory[]", "kind", 1), "cxl");
    EXPECT_EQ(static_cast<unsigned>(mdl::MemoryKind::CxlHdm), 1u);
    EXPECT_EQ(choice_name("step.invalidate", "strategy", 2), strategy_name(Strategy::VaCmo));
}

TEST(SchemaTest, MaxOptionsAreShorthandsCheckedByTheLimitsRows) {
    // --max-sim-time T is limits.sim_time=T: the same row's bounds, a
    // message naming the option.
    const Scenario s = load_scenario_text("smallest.yaml", kSmallest,
                                          {named_set("--max-sim-time 5us", "limits.sim_time=5us")});
    EXPECT_EQ(s.time_limit_ps, 5000000u);
    try {
        load_scenario_text("smallest.yaml", kSmallest,
                           {named_set("--max-wall-time 0", "limits.wall_time=0")});
        ADD_FAILURE() << "a wall time under the row's 1ms was accepted";
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.mark.file, "--max-wall-time 0");
        EXPECT_NE(e.message.find("limits.wall_time: expected a time in [1 ms,"), std::string::npos)
            << e.message;
    }
}
