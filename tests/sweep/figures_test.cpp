// SPDX-License-Identifier: Apache-2.0
// Every sweep's figures (configs/sweeps/*.yaml) drawn from a reduced set of its
// points, run for real: gnuplot must draw each without a warning, and the
// scripts keep labels off each other and off the legend.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sweep/sweep.h"

using namespace cmosim::sim::sweep;

namespace {

std::string slurp(const std::string &path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::vector<std::string> sweep_files() {
    std::vector<std::string> v;
    for (const auto &e :
         std::filesystem::directory_iterator(std::string(CMOSIM_SOURCE_DIR) + "/configs/sweeps"))
        if (e.path().extension() == ".yaml")
            v.push_back(e.path().stem().string());
    std::sort(v.begin(), v.end());
    return v;
}

// At most four values of each axis (first, a third, two thirds, last), plus
// every value a figure selects with `where`.
void reduce(Spec &spec) {
    for (Axis &a : spec.axes) {
        const size_t n = a.values.size();
        std::set<size_t> keep{0, n / 3, 2 * n / 3, n - 1};
        for (const Figure &f : spec.figures)
            for (const auto &[axis, want] : f.where)
                if (axis == a.name)
                    for (size_t i = 0; i < n; ++i) {
                        auto x = parse_number(a.values[i].text), y = parse_number(want);
                        if (a.values[i].text == want || (x && y && *x == *y))
                            keep.insert(i);
                    }
        std::vector<AxisValue> v;
        for (size_t i : keep)
            v.push_back(a.values[i]);
        a.values = v;
    }
}

// The sweep configs/sweeps/NAME.yaml reduced, run with figures into a fresh
// folder under the build tree (`dir`, removed by the destructor).
struct ReducedSweep {
    explicit ReducedSweep(const std::string &name) {
        const std::string file =
            std::string(CMOSIM_SOURCE_DIR) + "/configs/sweeps/" + name + ".yaml";
        spec = parse_spec_file(file);
        reduce(spec);
        m.points = expand(spec);
        m.spec_file = file;
        m.spec_text = slurp(file);
        m.base = spec.base;
        m.cmosim = std::string(CMOSIM_BINARY_DIR) + "/cmosim";
        dir = std::string(CMOSIM_BINARY_DIR) + "/figures-test.XXXXXX";
        if (!mkdtemp(dir.data()))
            dir.clear();
        o.out = dir + "/" + name;
        o.jobs = 2;
        o.stop_signal = [] { return 0; };
    }
    ~ReducedSweep() {
        if (!dir.empty())
            std::filesystem::remove_all(dir);
    }
    int run() { return dir.empty() ? -1 : run_local(spec, m, o); }
    Spec spec;
    Manifest m;
    RunOptions o;
    std::string dir;
};

class SweepFigures : public testing::TestWithParam<std::string> {};

} // namespace

TEST_P(SweepFigures, DrawWithoutAGnuplotWarningAndWithoutLabelsOverLabels) {
    if (std::system("gnuplot --version > /dev/null 2>&1") != 0)
        GTEST_SKIP() << "gnuplot is not installed (Debian: gnuplot-nox)";
    ReducedSweep sw(GetParam());
    const int rc = sw.run();
    ASSERT_TRUE(rc == 0 || rc == 1) << "exit " << rc << " for " << sw.m.points.size() << " points";

    const std::string fig = sw.o.out + "/figures/";
    // gnuplot's stdout and stderr: nothing at all when every figure drew cleanly.
    const std::string log = slurp(fig + "gnuplot.log");
    EXPECT_EQ(log, "") << "gnuplot said, for " << GetParam() << ":\n" << log;
    for (const Figure &f : sw.spec.figures) {
        for (const char *ext : {".svg", ".png"})
            EXPECT_TRUE(std::filesystem::exists(fig + f.name + ext)) << f.name << ext;
        const std::string gp = slurp(fig + f.name + ".gp");
        // A legend under the plot meets the x-axis title when tic labels are rotated.
        EXPECT_EQ(gp.find("set key below"), std::string::npos) << f.name;
        // A legend inside the graph lies over the curves or bars of some sweep.
        EXPECT_EQ(gp.find("set key inside"), std::string::npos) << f.name;
        // Labels on the plot (not the table under it, placed in character
        // cells) are tags of at most two characters: long texts overlap.
        std::istringstream in(gp);
        std::string line;
        const std::regex tag(R"(^set label "[0-9]{1,2}" at [-0-9.e+]+, graph )");
        while (std::getline(in, line)) {
            if (line.rfind("set label", 0) != 0 || line.find(" at character ") != std::string::npos)
                continue;
            EXPECT_TRUE(std::regex_search(line, tag)) << f.name << ": " << line;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Sweeps, SweepFigures, testing::ValuesIn(sweep_files()),
                         [](const testing::TestParamInfo<std::string> &i) {
                             std::string n = i.param;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

// slc-size's va_cmo curves do not depend on the SLC: drawn once, named so.
TEST(SweepFiguresTest, IdenticalCurvesAreOneLegendEntryThatSaysSo) {
    if (std::system("gnuplot --version > /dev/null 2>&1") != 0)
        GTEST_SKIP() << "gnuplot is not installed (Debian: gnuplot-nox)";
    ReducedSweep sw("slc-size");
    ASSERT_EQ(sw.run(), 0);
    const std::string gp = slurp(sw.o.out + "/figures/slc-size-cost.gp");
    // Four SLC sizes (8, 16, 64, 128 MiB of the five) after the reduction.
    EXPECT_NE(gp.find("title \"va_cmo (4 identical: slc_size 8 MiB..128 MiB)\""), std::string::npos)
        << gp;
    EXPECT_EQ(gp.find("title \"va_cmo (slc_size="), std::string::npos) << gp;
    EXPECT_NE(gp.find("title \"smccc (slc_size=8 MiB)\""), std::string::npos) << gp;
    // Each break-even line is named in the table under the plot.
    EXPECT_NE(gp.find("measured (slc_size=8 MiB): "), std::string::npos) << gp;
}
