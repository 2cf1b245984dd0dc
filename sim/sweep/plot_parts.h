// SPDX-License-Identifier: Apache-2.0
// The pieces every kind of sweep figure is drawn with (plot.cpp): columns of
// the merged tables, labels and tics, the script's header and outputs, the
// legend's note for identical curves, and break-even marks with their table.
#pragma once

#include <string>
#include <vector>

#include "sweep/sweep.h"

namespace cmosim::sim::sweep::figure {

size_t column(const CsvTable &t, const std::string &name);

std::string gp_quote(const std::string &s);

// The terminals run without enhanced text, so a label is its text ('_' stays '_').
std::string label(const std::string &s);

std::string short_bytes(double b);

bool is_size_axis(const Spec &spec, const std::string &axis);

std::string value_label(const Spec &spec, const std::string &axis, const std::string &cell);

// Does a row's axis cell match a `where` value ("1MiB" matches 1048576)?
bool matches(const std::string &cell, const std::string &want);

bool row_selected(const CsvTable &t, const std::vector<std::string> &row, const Figure &f);

double cell_num(const std::string &s);

std::string header(const Figure &f, const std::string &title);

// The figure drawn to SVG and PNG, `extra` pixels taller than the usual 600
// for a table under the plot.
std::string outputs(const Figure &f, const std::string &plot, int extra = 0);

// log2 tics every 2^k bytes, labelled 4K, 1M, ..., at most ~12 of them.
std::string size_tics(double lo, double hi);

std::string unit_of(const std::string &column_name, double *scale);

// The legend's note for curves that coincide: "5 identical: slc_size 8 MiB..128 MiB"
// when they are every group of their strategy and differ in one axis only.
std::string identical_groups(const std::vector<std::string> &groups, size_t of);

struct BreakEvenMark {
    double x = 0;
    bool measured = false; // else advertised
    std::string what;
};

// The table of break-even marks: a heading and one row per mark, in two
// columns past six marks.
size_t table_rows(size_t marks);

// Pixels the table adds under the plot (rows of a 12-point font, and a gap).
int table_height(size_t marks);

// A vertical line per mark, a number at its top (staggered over four heights
// in the order of x, so close lines' numbers do not meet), and the table
// under the plot that names each number.
std::string break_even_marks(const std::vector<BreakEvenMark> &marks);

} // namespace cmosim::sim::sweep::figure
