// SPDX-License-Identifier: Apache-2.0
// The per-invalidate CSV: columns, one row per record, RFC 4180 quoting.
#include <sstream>

#include <gtest/gtest.h>

#include "report/csv.h"

using namespace cmosim::sim;

namespace {

std::vector<std::string> split_line(const std::string &line) {
    std::vector<std::string> out;
    std::string cell;
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out.push_back(cell);
            cell.clear();
        } else {
            cell += c;
        }
    }
    out.push_back(cell);
    return out;
}

} // namespace

TEST(CsvTest, AFieldWithACommaQuoteOrLineBreakIsQuoted) {
    EXPECT_EQ(csv_field("plain text"), "plain text");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

TEST(CsvTest, EachRecordIsOneRowUnderTheHeader) {
    InvalidateRecord r;
    r.cpu = 1;
    r.step = 4;
    r.label = "hand over, clean";
    r.strategy = Strategy::Smccc;
    r.base = 0x1040000000;
    r.size = 1 << 20;
    r.ret = -16;
    r.start_ps = 1000;
    r.end_ps = 135820;
    r.firmware_ps = 100000;
    r.sleep_ps = 30000;
    r.mutex_wait_ps = 4000;
    r.firmware_calls = 2;
    r.sleeps = 1;
    r.residual_lines = 7;
    std::string header = invalidate_csv_header();
    std::string rows = invalidate_csv_rows("demo", "s.yaml", {r, r});
    std::vector<std::string> cols = split_line(header.substr(0, header.size() - 1));
    ASSERT_EQ(cols.size(), 21u);
    std::istringstream in(rows);
    std::string line;
    size_t n = 0;
    while (std::getline(in, line)) {
        ++n;
        std::vector<std::string> f = split_line(line);
        ASSERT_EQ(f.size(), cols.size()) << line;
        auto at = [&](const std::string &c) {
            for (size_t i = 0; i < cols.size(); ++i)
                if (cols[i] == c)
                    return f[i];
            return std::string("<no column " + c + ">");
        };
        EXPECT_EQ(at("scenario"), "demo");
        EXPECT_EQ(at("label"), "hand over, clean");
        EXPECT_EQ(at("strategy"), "smccc");
        EXPECT_EQ(at("base"), "0x1040000000");
        EXPECT_EQ(at("return"), "-16");
        EXPECT_EQ(at("latency_ps"), "134820") << "end 135820 - start 1000";
        EXPECT_EQ(at("firmware_ps"), "100000");
        EXPECT_EQ(at("sleep_ps"), "30000");
        EXPECT_EQ(at("mutex_wait_ps"), "4000");
        EXPECT_EQ(at("residual_lines"), "7");
    }
    EXPECT_EQ(n, 2u) << "one row per record";
}

TEST(CsvTest, InvalidatingKernelCallsAreRowsInTheOrderTheyReturned) {
    InvalidateRecord v;
    v.strategy = Strategy::VaCmo;
    v.start_ps = 100;
    v.end_ps = 500;
    KernelCallRecord probe, all, region;
    probe.call = "has_invalidate_memregion"; // a question, not an invalidate
    probe.end_ps = 50;
    all.call = "invalidate_all";
    all.end_ps = 300;
    region.call = "invalidate_memregion";
    region.ret = -95;
    region.end_ps = 900;
    std::istringstream in(invalidate_csv_rows("s", "s.yaml", {v}, {probe, all, region}));
    std::vector<std::vector<std::string>> rows;
    for (std::string line; std::getline(in, line);)
        rows.push_back(split_line(line));
    // Returned at 300 (kernel_calls[1]), 500 (invalidate[0]), 900 (kernel_calls[2]).
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0][2] + "[" + rows[0][3] + "]", "kernel_calls[1]");
    EXPECT_EQ(rows[0][7], "invalidate_all");
    EXPECT_EQ(rows[1][2] + "[" + rows[1][3] + "]", "invalidate[0]");
    EXPECT_EQ(rows[1][7], "va_cmo");
    EXPECT_EQ(rows[1][12], "400") << "latency_ps: 500 - 100";
    EXPECT_EQ(rows[2][2] + "[" + rows[2][3] + "]", "kernel_calls[2]");
    EXPECT_EQ(rows[2][10], "-95");
}
