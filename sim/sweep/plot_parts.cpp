// SPDX-License-Identifier: Apache-2.0
#include "sweep/plot_parts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace cmosim::sim::sweep::figure {

size_t column(const CsvTable &t, const std::string &name) {
    for (size_t i = 0; i < t.header.size(); ++i)
        if (t.header[i] == name)
            return i;
    return SIZE_MAX;
}

std::string gp_quote(const std::string &s) {
    std::string q = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            q += '\\';
        q += c;
    }
    return q + "\"";
}

// The terminals run without enhanced text, so a label is its text ('_' stays '_').
std::string label(const std::string &s) {
    return s;
}

std::string short_bytes(double b) {
    std::string h = human_bytes(b);
    size_t sp = h.find(' ');
    std::string unit = h.substr(sp + 1);
    return h.substr(0, sp) + (unit == "B" ? "" : unit.substr(0, 1));
}

bool is_size_axis(const Spec &spec, const std::string &axis) {
    const Axis *a = spec.axis(axis);
    if (!a || !a->numeric())
        return false;
    bool sized = false;
    for (const AxisValue &v : a->values) {
        bool s = false;
        parse_number(v.text, &s);
        sized |= s;
    }
    // A range over sizes yields plain byte counts: a size axis by name then.
    return sized || axis.find("size") != std::string::npos || axis == spec.crossover.size_axis;
}

std::string value_label(const Spec &spec, const std::string &axis, const std::string &cell) {
    if (is_size_axis(spec, axis))
        if (auto n = parse_number(cell))
            return human_bytes(*n);
    return cell;
}

// Does a row's axis cell match a `where` value ("1MiB" matches 1048576)?
bool matches(const std::string &cell, const std::string &want) {
    if (cell == want)
        return true;
    auto a = parse_number(cell), b = parse_number(want);
    return a && b && *a == *b;
}

bool row_selected(const CsvTable &t, const std::vector<std::string> &row, const Figure &f) {
    for (auto &[axis, want] : f.where) {
        size_t c = column(t, axis);
        if (c == SIZE_MAX || !matches(row[c], want))
            return false;
    }
    return true;
}

double cell_num(const std::string &s) {
    auto v = parse_number(s);
    return v ? *v : NAN;
}

std::string header(const Figure &f, const std::string &title) {
    std::ostringstream g;
    g << "# Drawn by cmosim sweep; data in " << f.name << ".dat\n"
      << "set encoding utf8\n"
      << "set title " << gp_quote(label(f.title.empty() ? title : f.title)) << "\n"
      << "set key above\n"
      << "set grid\n";
    return g.str();
}

// The figure drawn to SVG and PNG, `extra` pixels taller than the usual 600
// for a table under the plot.
std::string outputs(const Figure &f, const std::string &plot, int extra) {
    std::ostringstream g;
    g << "set terminal svg size 960," << 600 + extra
      << " dynamic noenhanced font 'sans,12' background '#ffffff'\n"
      << "set output " << gp_quote(f.name + ".svg") << "\n"
      << plot << "set output\n"
      << "set terminal pngcairo size 960," << 600 + extra << " noenhanced font 'sans,10'\n"
      << "set output " << gp_quote(f.name + ".png") << "\n"
      << plot << "set output\n";
    return g.str();
}

// log2 tics every 2^k bytes, labelled 4K, 1M, ..., at most ~12 of them.
std::string size_tics(double lo, double hi) {
    int e0 = static_cast<int>(std::floor(std::log2(lo))),
        e1 = static_cast<int>(std::ceil(std::log2(hi)));
    int step = std::max(1, (e1 - e0 + 11) / 12);
    std::ostringstream g;
    g << "set xtics (";
    bool first = true;
    for (int e = e0; e <= e1; e += step) {
        g << (first ? "" : ", ") << gp_quote(short_bytes(std::ldexp(1.0, e))) << " "
          << format_number(std::ldexp(1.0, e));
        first = false;
    }
    g << ")\n";
    return g.str();
}

std::string unit_of(const std::string &column_name, double *scale) {
    if (column_name.size() > 3 && column_name.compare(column_name.size() - 3, 3, "_ps") == 0) {
        *scale = 1e-6;
        return "us";
    }
    *scale = 1;
    return "";
}

// The legend's note for curves that coincide: "5 identical: slc_size 8 MiB..128 MiB"
// when they are every group of their strategy and differ in one axis only.
std::string identical_groups(const std::vector<std::string> &groups, size_t of) {
    std::string axis;
    bool one_axis = true;
    std::vector<std::string> values;
    for (const std::string &g : groups) {
        size_t eq = g.find('=');
        if (eq == std::string::npos || g.find(", ") != std::string::npos ||
            (!axis.empty() && g.compare(0, eq, axis) != 0)) {
            one_axis = false;
            break;
        }
        axis = g.substr(0, eq);
        values.push_back(g.substr(eq + 1));
    }
    std::string out = std::to_string(groups.size()) + " identical: ";
    if (one_axis && groups.size() == of && groups.size() > 2)
        return out + axis + " " + values.front() + ".." + values.back();
    if (one_axis) {
        out += axis + " ";
        for (size_t i = 0; i < values.size(); ++i)
            out += (i ? ", " : "") + values[i];
        return out;
    }
    for (size_t i = 0; i < groups.size(); ++i)
        out += (i ? "; " : "") + groups[i];
    return out;
}

// The table of break-even marks: a heading and one row per mark, in two
// columns past six marks.
size_t table_rows(size_t marks) {
    return 1 + (marks > 6 ? (marks + 1) / 2 : marks);
}

// Pixels the table adds under the plot (rows of a 12-point font, and a gap).
int table_height(size_t marks) {
    return static_cast<int>(table_rows(marks)) * 20 + 10;
}

// A vertical line per mark, a number at its top (staggered over four heights
// in the order of x, so close lines' numbers do not meet), and the table
// under the plot that names each number.
std::string break_even_marks(const std::vector<BreakEvenMark> &marks) {
    if (marks.empty())
        return "";
    std::vector<size_t> by_x(marks.size());
    for (size_t i = 0; i < marks.size(); ++i)
        by_x[i] = i;
    std::stable_sort(by_x.begin(), by_x.end(),
                     [&](size_t a, size_t b) { return marks[a].x < marks[b].x; });
    std::vector<int> level(marks.size());
    for (size_t k = 0; k < by_x.size(); ++k)
        level[by_x[k]] = static_cast<int>(k % 4);
    const size_t rows = table_rows(marks.size());
    std::ostringstream g;
    // Tic labels and the axis title take about four lines under the plot.
    g << "set bmargin " << rows + 5 << "\n";
    g << "set label 'Break-even marks (vertical lines): solid measured where the cost curves "
         "cross, dashed advertised by the firmware' at character 2, character "
      << rows << " left\n";
    for (size_t i = 0; i < marks.size(); ++i) {
        const BreakEvenMark &m = marks[i];
        const char *colour = m.measured ? "#b00000" : "#404040";
        g << "set arrow from " << format_number(m.x) << ", graph 0 to " << format_number(m.x)
          << ", graph 1 nohead lw 2 " << (m.measured ? "" : "dt 2 ") << "lc rgb '" << colour
          << "'\n"
          << "set label " << gp_quote(std::to_string(i + 1)) << " at " << format_number(m.x)
          << ", graph " << 0.97 - 0.045 * level[i] << " center offset 0.9,0 textcolor rgb '"
          << colour << "'\n";
        const size_t half = marks.size() > 6 ? (marks.size() + 1) / 2 : marks.size();
        const size_t col = i / half, row = i % half;
        g << "set label "
          << gp_quote(std::to_string(i + 1) + "  " + m.what + ": " + human_bytes(m.x) + " (" +
                      format_number(m.x) + " B)")
          << " at character " << 4 + 64 * col << ", character " << rows - 1 - row
          << " left textcolor rgb '" << colour << "'\n";
    }
    return g.str();
}

} // namespace cmosim::sim::sweep::figure
