// SPDX-License-Identifier: Apache-2.0
// Sweep files: axis expansion, ${...} expressions, mistakes with their
// line:column, the merge of point reports into CSV, and the crossover.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "sweep/sweep.h"

using namespace cmosim::sim;
using namespace cmosim::sim::sweep;

namespace {

Spec parse(const std::string &yaml) {
    return parse_spec_text("/t/sweep.yaml", yaml);
}

// The message of the ConfigError that parsing (and expanding) `yaml` throws.
std::string error_of(const std::string &yaml) {
    try {
        expand(parse(yaml));
    } catch (const ConfigError &e) {
        return e.what();
    }
    return "(no error)";
}

const char *kTwoAxes = "base: b.yaml\n"
                       "axes:\n"
                       "  - { name: size, path: a.size, values: [4KiB, 8KiB, 16KiB] }\n"
                       "  - { name: strategy, path: a.strategy, values: [va_cmo, smccc] }\n";

} // namespace

TEST(SweepAxesTest, CartesianProductVariesTheLastAxisFastest) {
    Spec s = parse(kTwoAxes);
    std::vector<Point> p = expand(s);
    // 3 sizes x 2 strategies = 6 points: (4K,va) (4K,smccc) (8K,va) ...
    ASSERT_EQ(p.size(), 6u) << "3 x 2 points";
    EXPECT_EQ(p[0].sets, (std::vector<std::string>{"a.size=4KiB", "a.strategy=va_cmo"}));
    EXPECT_EQ(p[1].sets, (std::vector<std::string>{"a.size=4KiB", "a.strategy=smccc"}));
    EXPECT_EQ(p[5].sets, (std::vector<std::string>{"a.size=16KiB", "a.strategy=smccc"}));
    EXPECT_EQ(p[5].id(), "p0005") << "points are named by their index";
    EXPECT_EQ(s.base, "/t/b.yaml") << "the base resolves against the sweep file's folder";
}

TEST(SweepAxesTest, ZipPairsTheNthValueOfEveryAxis) {
    Spec s = parse("base: b.yaml\nmode: zip\naxes:\n"
                   "  - { name: slc, path: platform.slc.size, values: [16MiB, 32MiB] }\n"
                   "  - { name: ways, path: platform.slc.ways, values: [8, 16] }\n");
    std::vector<Point> p = expand(s);
    ASSERT_EQ(p.size(), 2u) << "zip: as many points as each axis has values";
    EXPECT_EQ(p[1].sets,
              (std::vector<std::string>{"platform.slc.size=32MiB", "platform.slc.ways=16"}));
}

TEST(SweepAxesTest, ZipRejectsAxesOfDifferentLengthsAtTheShorterAxis) {
    std::string e = error_of("base: b.yaml\nmode: zip\naxes:\n"
                             "  - { name: a, path: x, values: [1, 2] }\n"
                             "  - { name: b, path: y, values: [1] }\n");
    EXPECT_NE(e.find("/t/sweep.yaml:5:5: error: axes: in zip mode every axis needs the same "
                     "number of values; 'a' has 2, 'b' has 1"),
              std::string::npos)
        << e;
}

TEST(SweepAxesTest, GeometricRangeFrom4KiBTo1TiBHas29SizesInBytes) {
    Spec s = parse("base: b.yaml\naxes:\n"
                   "  - { name: size, path: x, range: { from: 4KiB, to: 1TiB, factor: 2 } }\n");
    const Axis &a = s.axes[0];
    // 4 KiB = 2^12 .. 1 TiB = 2^40: 40 - 12 + 1 = 29 sizes.
    ASSERT_EQ(a.values.size(), 29u);
    EXPECT_EQ(a.values.front().text, "4096");
    EXPECT_EQ(a.values.back().text, "1099511627776") << "2^40, reached exactly";
    EXPECT_TRUE(a.numeric()) << "a size axis has numbers for the CSV";
}

TEST(SweepAxesTest, CountRangeOnALogScaleAndATimeRangeKeepItsUnit) {
    Spec s = parse("base: b.yaml\naxes:\n"
                   "  - { name: p, path: x, range: { from: 1, to: 1000, count: 4, scale: log } }\n"
                   "  - { name: lat, path: y, range: { from: 100ns, to: 400ns, step: 150ns } }\n");
    // 1000^(0, 1/3, 2/3, 1) = 1, 10, 100, 1000.
    ASSERT_EQ(s.axes[0].values.size(), 4u);
    EXPECT_EQ(s.axes[0].values[1].text, "10");
    EXPECT_EQ(s.axes[0].values[3].text, "1000");
    // 100, 250, 400 ns: a time goes to --set with its unit.
    ASSERT_EQ(s.axes[1].values.size(), 3u);
    EXPECT_EQ(s.axes[1].values[1].text, "250ns");
    EXPECT_DOUBLE_EQ(s.axes[1].values[1].num, 250) << "times are numbers in ns";
}

TEST(SweepAxesTest, SetTemplatesComputeFromTheAxisValues) {
    Spec s = parse("base: b.yaml\naxes:\n"
                   "  - { name: size, values: [4KiB, 4MiB] }\n"
                   "  - { name: dirty, values: [0, 0.5] }\n"
                   "  - { name: strategy, values: [smccc] }\n"
                   "set:\n"
                   "  a.size: '${min(size, 1MiB)}'\n"
                   "  a.dirty: '${max(64, dirty * 1MiB)}'\n"
                   "  a.label: 'run ${strategy} at ${size / 1KiB} KiB'\n");
    std::vector<Point> p = expand(s);
    ASSERT_EQ(p.size(), 4u);
    // point 0: size 4 KiB, dirty 0 -> min(4096, 1048576) = 4096; max(64, 0) = 64.
    EXPECT_EQ(p[0].sets, (std::vector<std::string>{"a.size=4096", "a.dirty=64",
                                                   "a.label=run smccc at 4 KiB"}));
    // point 3: size 4 MiB, dirty 0.5 -> 1048576; 0.5 x 1048576 = 524288.
    EXPECT_EQ(p[3].sets[0], "a.size=1048576");
    EXPECT_EQ(p[3].sets[1], "a.dirty=524288");
}

TEST(SweepAxesTest, AnExpressionNamingNoAxisIsAnErrorAtItsLine) {
    std::string e = error_of("base: b.yaml\naxes:\n  - { name: size, values: [1] }\n"
                             "set:\n  a: '${sise * 2}'\n");
    EXPECT_NE(e.find("/t/sweep.yaml:5:6: error: ${sise * 2}: no axis named 'sise'"),
              std::string::npos)
        << e;
}

TEST(SweepAxesTest, AMappingValueGoesToSetAsFlowYaml) {
    Spec s = parse("base: b.yaml\naxes:\n"
                   "  - name: slc\n    path: platform.slc\n"
                   "    values: [{size: 64MiB, ways: 16}, {size: 8MiB, ways: 4}]\n");
    EXPECT_EQ(expand(s)[0].sets[0], "platform.slc={size: 64MiB, ways: 16}");
    EXPECT_FALSE(s.axes[0].numeric()) << "a mapping has no number";
}

TEST(SweepAxesTest, MistakesNameTheirLineAndColumn) {
    EXPECT_NE(error_of("base: b.yaml\naxes:\n  - { name: a, path: x, vals: [1] }\n")
                  .find("3:25: error: axes[0]: unknown key 'vals'"),
              std::string::npos);
    EXPECT_NE(error_of("axes: []\n").find("1:1: error: sweep: missing required key 'base'"),
              std::string::npos);
    EXPECT_NE(error_of("base: b.yaml\naxes:\n  - { name: a, path: x, range: { from: 4KiB, to: 1s, "
                       "factor: 2 } }\n")
                  .find("3:50: error: axes[0].range.to: expected the same kind of quantity as "
                        "'from' (a size)"),
              std::string::npos);
    EXPECT_NE(error_of(std::string(kTwoAxes) + "collect:\n  c: invalidate[0].latency_ps\n"
                                               "crossover: { cost: c, low: set_way }\n")
                  .find("7:12: error: crossover: strategy axis 'strategy' has no value 'set_way'"),
              std::string::npos);
    EXPECT_NE(error_of("base: b.yaml\naxes:\n  - { name: a, path: x, values: [1, 1] }\n")
                  .find("value '1' appears twice"),
              std::string::npos);
}

// ------------------------------------------------------------------ merge

namespace {

// A report with two invalidates, as cmosim run writes it (only the fields read).
std::string report(double lat0, double lat1, int stale) {
    return "{\"complete\": true, \"invalidate\": ["
           "{\"cpu\": 0, \"step\": 2, \"strategy\": \"smccc\", \"size\": 4096, \"return\": 0, "
           "\"latency_ps\": " +
           std::to_string(lat0) +
           ", \"firmware_ps\": 1000, \"sleep_ps\": 500, \"mutex_wait_ps\": 0, "
           "\"firmware_calls\": 2, \"sleeps\": 1, \"residual_lines\": 0},"
           "{\"cpu\": 1, \"step\": 0, \"strategy\": \"smccc\", \"size\": 4096, \"return\": -3, "
           "\"latency_ps\": " +
           std::to_string(lat1) +
           "}],"
           "\"checker\": {\"stale_reads\": " +
           std::to_string(stale) +
           "},"
           "\"firmware\": {\"model_breakeven_bytes\": 8192}}";
}

struct Fixture {
    Spec spec;
    Manifest m;
    std::vector<PointResult> results;
};

// size {4K, 16K} x strategy {va_cmo, smccc}; the cost is invalidate[0].latency_ps.
Fixture small(const std::vector<double> &costs) {
    Fixture f;
    f.spec = parse("base: b.yaml\naxes:\n"
                   "  - { name: size, path: s, values: [4KiB, 16KiB] }\n"
                   "  - { name: strategy, path: t, values: [va_cmo, smccc] }\n"
                   "collect:\n"
                   "  latency_ps: invalidate[0].latency_ps\n"
                   "  last_return: invalidate[-1].return\n"
                   "  total_ps: sum(invalidate[*].latency_ps)\n"
                   "  calls: count(invalidate[*])\n"
                   "  stale: checker.stale_reads\n"
                   "crossover: { cost: latency_ps }\n");
    f.m.points = expand(f.spec);
    f.m.advertised.assign(f.m.points.size(), std::nullopt);
    for (size_t i = 0; i < f.m.points.size(); ++i)
        f.results.push_back({"ok", report(costs[i], 100, static_cast<int>(i))});
    return f;
}

} // namespace

TEST(SweepMergeTest, OneRowPerPointWithAxesAndCollectedColumns) {
    Fixture f = small({10, 20, 40, 20});
    Merged mg = merge(f.spec, f.m, f.results);
    EXPECT_EQ(mg.points.header,
              (std::vector<std::string>{"point", "status", "size", "strategy", "latency_ps",
                                        "last_return", "total_ps", "calls", "stale",
                                        "advertised_breakeven_bytes"}));
    ASSERT_EQ(mg.points.rows.size(), 4u);
    // p0002: size 16 KiB (as bytes), va_cmo, latency 40; last invalidate returned -3;
    // 40 + 100 = 140 over both; 2 invalidates; stale = the point index 2;
    // ATTRIBUTES x4 from breakeven: model -> the report's 8192.
    EXPECT_EQ(mg.points.rows[2], (std::vector<std::string>{"p0002", "ok", "16384", "va_cmo", "40",
                                                           "-3", "140", "2", "2", "8192"}));
}

TEST(SweepMergeTest, InvalidatesTableSplitsEachLatency) {
    Fixture f = small({10, 20, 40, 20});
    Merged mg = merge(f.spec, f.m, f.results);
    // 4 points x 2 invalidates.
    ASSERT_EQ(mg.invalidates.rows.size(), 8u);
    const auto &h = mg.invalidates.header;
    auto col = [&](const char *n) { return std::find(h.begin(), h.end(), n) - h.begin(); };
    const auto &r = mg.invalidates.rows[0];
    EXPECT_EQ(r[col("inv_firmware_ps")], "1000");
    EXPECT_EQ(r[col("inv_sleep_ps")], "500");
    // other = latency - firmware - sleep - mutex wait = 10 - 1000 - 500 < 0 -> clamped to 0.
    EXPECT_EQ(r[col("inv_other_ps")], "0");
    EXPECT_EQ(mg.invalidates.rows[1][col("inv_return")], "-3");
}

TEST(SweepMergeTest, AMissingPointIsMarkedAndLeavesItsColumnsEmpty) {
    Fixture f = small({10, 20, 40, 20});
    f.results[1] = {"missing", ""};
    Merged mg = merge(f.spec, f.m, f.results);
    EXPECT_EQ(mg.points.rows[1][1], "missing");
    EXPECT_EQ(mg.points.rows[1][4], "") << "no latency without a report";
    EXPECT_EQ(mg.notes[0], "4 points: 1 missing 3 ok");
    // Without smccc at 4 KiB only one size has both strategies: no crossover.
    EXPECT_EQ(mg.breakeven.rows[0].back(), "fewer than two sizes with both strategies");
}

TEST(SweepMergeTest, CsvQuotesFieldsWithCommasAndQuotes) {
    CsvTable t;
    t.header = {"a", "b"};
    t.rows = {{"x,y", "say \"hi\""}};
    EXPECT_EQ(t.text(), "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n");
}

// --------------------------------------------------------------- crossover

TEST(SweepCrossoverTest, InterpolatesOnLogLogAxesBetweenTheBracketingSizes) {
    // 4K: va 10 < smccc 20; 16K: va 40 > smccc 20. In log cost the difference
    // goes ln(1/2) -> ln(2), zero half way; half way in log size between 4K and
    // 16K is sqrt(4096 x 16384) = 8192.
    CrossoverResult r = find_crossover({4096, 16384}, {10, 40}, {20, 20});
    ASSERT_TRUE(r.found);
    EXPECT_NEAR(r.breakeven, 8192, 1e-6);
    EXPECT_EQ(r.below, 4096);
    EXPECT_EQ(r.above, 16384);
}

TEST(SweepCrossoverTest, EqualCostAtAMeasuredSizeIsThatSize) {
    // d = ln(10/20) < 0, then ln(20/20) = 0 at 8K: the break-even is 8K itself.
    CrossoverResult r = find_crossover({4096, 8192, 16384}, {10, 20, 40}, {20, 20, 20});
    ASSERT_TRUE(r.found);
    EXPECT_NEAR(r.breakeven, 8192, 1e-6);
}

TEST(SweepCrossoverTest, SaysWhyWhenTheCurvesDoNotCross) {
    CrossoverResult never = find_crossover({4096, 8192}, {30, 40}, {20, 20});
    EXPECT_FALSE(never.found);
    EXPECT_EQ(never.why, "the low strategy is not cheaper even at the smallest size, 4 KiB");
    CrossoverResult always = find_crossover({4096, 8192}, {1, 2}, {20, 20});
    EXPECT_FALSE(always.found);
    EXPECT_EQ(always.why, "the low strategy is cheaper throughout, up to 8 KiB");
}

TEST(SweepCrossoverTest, MergeFindsTheBreakEvenAndTheCheapestStrategyPerSize) {
    // Points: (4K,va)=10 (4K,smccc)=20 (16K,va)=40 (16K,smccc)=20 -> break-even 8 KiB.
    Fixture f = small({10, 20, 40, 20});
    Merged mg = merge(f.spec, f.m, f.results);
    ASSERT_EQ(mg.breakeven.rows.size(), 1u);
    EXPECT_EQ(mg.breakeven.rows[0],
              (std::vector<std::string>{"8192", "4096", "16384", "8192", "1", ""}))
        << "measured 8192 between 4096 and 16384; advertised (model) 8192; ratio 1";
    ASSERT_EQ(mg.crossover.rows.size(), 2u);
    EXPECT_EQ(mg.crossover.rows[0], (std::vector<std::string>{"4096", "10", "20", "va_cmo"}));
    EXPECT_EQ(mg.crossover.rows[1], (std::vector<std::string>{"16384", "40", "20", "smccc"}));
    EXPECT_NE(std::find(mg.notes.begin(), mg.notes.end(),
                        "  measured 8 KiB (between 4 KiB and 16 KiB); firmware ATTRIBUTES x4 "
                        "advertises 8 KiB (8192 B); measured/advertised 1"),
              mg.notes.end());
}

TEST(SweepCrossoverTest, EachValueOfAnotherAxisIsItsOwnGroup) {
    Spec s = parse("base: b.yaml\naxes:\n"
                   "  - { name: slc, path: p, values: [16MiB, 32MiB] }\n"
                   "  - { name: size, path: s, values: [4KiB, 16KiB] }\n"
                   "  - { name: strategy, path: t, values: [va_cmo, smccc] }\n"
                   "collect:\n  latency_ps: invalidate[0].latency_ps\n"
                   "crossover: {}\n");
    Manifest m;
    m.points = expand(s);
    // A configured break-even (not "model") is what ATTRIBUTES x4 advertises.
    m.advertised.assign(m.points.size(), std::optional<uint64_t>(65536));
    // slc 16 MiB: va 10/40, smccc 20/20 -> 8 KiB; slc 32 MiB: va 10/40, smccc 40/40 -> 16 KiB.
    double costs[] = {10, 20, 40, 20, 10, 40, 40, 40};
    std::vector<PointResult> res;
    for (double c : costs)
        res.push_back({"ok", report(c, 1, 0)});
    Merged mg = merge(s, m, res);
    ASSERT_EQ(mg.breakeven.rows.size(), 2u);
    EXPECT_EQ(mg.breakeven.rows[0][0], "16777216") << "the group's axis value, in bytes";
    EXPECT_EQ(mg.breakeven.rows[0][1], "8192");
    EXPECT_EQ(mg.breakeven.rows[1][1], "16384") << "(4K,10/40) and (16K,40/40): equal at 16K";
    EXPECT_EQ(mg.breakeven.rows[1][4], "65536") << "the configured ATTRIBUTES x4 value";
}

TEST(SweepReportTest, PathsReadFieldsIndicesFromTheEndAndAggregates) {
    std::string r = report(10, 30, 7);
    EXPECT_EQ(report_value(r, {"", "checker.stale_reads", "", {}}), 7.0);
    EXPECT_EQ(report_value(r, {"", "invalidate[-1].latency_ps", "", {}}), 30.0);
    EXPECT_EQ(report_value(r, {"", "mean(invalidate[*].latency_ps)", "", {}}), std::nullopt)
        << "an aggregate is parsed by the spec, not written into the path";
    EXPECT_EQ(report_value(r, {"", "invalidate[*].latency_ps", "max", {}}), 30.0);
    EXPECT_EQ(report_value(r, {"", "invalidate[*].latency_ps", "mean", {}}), 20.0);
    EXPECT_EQ(report_value(r, {"", "invalidate[5].latency_ps", "", {}}), std::nullopt);
    EXPECT_EQ(report_value(r, {"", "checker", "", {}}), std::nullopt) << "not a number";
}
