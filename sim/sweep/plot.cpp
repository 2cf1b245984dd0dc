// SPDX-License-Identifier: Apache-2.0
// Figures of a sweep: a data file and a gnuplot script per figure, drawn to
// SVG and PNG by gnuplot (Debian's gnuplot-nox) when it is installed.
#include "sweep/plot_parts.h"
#include "sweep/sweep.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cmosim::sim::sweep {

namespace {

using namespace figure;

// ---------------------------------------------------------------- the kinds

void cost_figure(const Spec &spec, const Merged &mg, const Figure &f, std::string *dat,
                 std::string *gp) {
    const CrossoverSpec &cs = spec.crossover;
    const CsvTable &t = mg.points;
    size_t sc = column(t, cs.size_axis), gc = column(t, cs.strategy_axis), cc = column(t, cs.cost);
    std::vector<std::string> group_axes;
    for (const Axis &a : spec.axes)
        if (a.name != cs.size_axis && a.name != cs.strategy_axis && a.values.size() > 1)
            group_axes.push_back(a.name);
    double scale;
    std::string unit = unit_of(cs.cost, &scale);
    // series: (group, strategy) -> size -> cost
    std::map<std::pair<std::string, std::string>, std::map<double, double>> series;
    std::vector<std::pair<std::string, std::string>> order;
    double lo = INFINITY, hi = 0;
    for (const auto &row : t.rows) {
        if (!row_selected(t, row, f) || row[cc].empty() || row[gc] == "none")
            continue;
        std::string g;
        for (const std::string &a : group_axes)
            g += (g.empty() ? "" : ", ") + a + "=" + value_label(spec, a, row[column(t, a)]);
        auto key = std::make_pair(g, row[gc]);
        if (!series.count(key))
            order.push_back(key);
        double x = cell_num(row[sc]), y = cell_num(row[cc]) * scale;
        if (y <= 0) // a log axis has no place for a zero cost
            continue;
        series[key][x] = y;
        lo = std::min(lo, x);
        hi = std::max(hi, x);
    }
    std::ostringstream d, p;
    size_t idx = 0;
    p << "plot ";
    // Curves of one strategy with the same points are drawn once, their
    // groups named in the legend: one line would otherwise hide the others.
    std::set<size_t> drawn;
    for (size_t i = 0; i < order.size(); ++i) {
        if (drawn.count(i))
            continue;
        const auto &key = order[i];
        std::vector<std::string> same{key.first};
        for (size_t j = i + 1; j < order.size(); ++j)
            if (!drawn.count(j) && order[j].second == key.second &&
                series[order[j]] == series[key]) {
                same.push_back(order[j].first);
                drawn.insert(j);
            }
        size_t of = 0;
        for (const auto &k : order)
            of += k.second == key.second;
        std::string groups = same.size() == 1 ? key.first : identical_groups(same, of);
        d << "# " << key.second << (groups.empty() ? "" : " [" + groups + "]") << "\n";
        for (auto &[x, y] : series[key])
            d << format_number(x) << " " << y << "\n";
        d << "\n\n";
        std::string title = key.second + (groups.empty() ? "" : " (" + groups + ")");
        p << (idx ? ", \\\n     " : "") << gp_quote(f.name + ".dat") << " index " << idx
          << " using 1:2 with linespoints lw 2 title " << gp_quote(label(title));
        ++idx;
    }
    p << "\n";
    std::ostringstream g;
    g << header(f, "Invalidate cost against range size") << "set logscale xy 2\n"
      << "set logscale y 10\n"
      << "set format y '%g'\n"
      << "set xlabel 'range size (bytes, log scale)'\n"
      << "set ylabel "
      << gp_quote((unit.empty() ? cs.cost : cs.cost.substr(0, cs.cost.size() - 3)) + " (" +
                  (unit.empty() ? "" : unit + ", ") + "log scale)")
      << "\n";
    if (lo < hi)
        g << size_tics(lo, hi);
    // The break-even sizes: measured (solid) and advertised by ATTRIBUTES x4
    // (dashed), each line tagged with a number at its top and named in a
    // table under the plot: labels on the plot would run into each other.
    const CsvTable &b = mg.breakeven;
    size_t mc = column(b, "measured_breakeven_bytes"), ac = column(b, "advertised_breakeven_bytes");
    std::vector<BreakEvenMark> marks;
    std::set<std::string> advertised_done;
    for (const auto &row : b.rows) {
        bool keep = true;
        for (auto &[axis, want] : f.where) {
            size_t c = column(b, axis);
            if (c != SIZE_MAX && !matches(row[c], want))
                keep = false;
        }
        if (!keep)
            continue;
        std::string g2;
        for (const std::string &a : group_axes)
            g2 += (g2.empty() ? "" : ", ") + a + "=" + value_label(spec, a, row[column(b, a)]);
        if (!row[mc].empty())
            marks.push_back(
                {cell_num(row[mc]), true, "measured" + (g2.empty() ? "" : " (" + g2 + ")")});
        if (!row[ac].empty() && advertised_done.insert(row[ac]).second)
            marks.push_back({cell_num(row[ac]), false, "advertised by ATTRIBUTES x4"});
    }
    g << break_even_marks(marks);
    if (marks.empty())
        g << outputs(f, p.str());
    else
        g << outputs(f, p.str(), table_height(marks.size()));
    *dat = d.str();
    *gp = g.str();
}

void breakdown_figure(const Spec &spec, const Merged &mg, const Figure &f, std::string *dat,
                      std::string *gp) {
    const CsvTable &t = mg.invalidates;
    size_t xc = column(t, f.x), sg = column(t, "inv_strategy");
    const char *parts[] = {"inv_firmware_ps", "inv_sleep_ps", "inv_mutex_wait_ps", "inv_other_ps"};
    const char *names[] = {"firmware (inside SMCs)", "provider sleep (BUSY/RATE_LIMITED retries)",
                           "mutex wait", "CPU and kernel (DC CIVAC loop, set/way, call path)"};
    std::vector<std::string> xs;
    std::map<std::string, std::vector<double>> sum;
    std::map<std::string, size_t> n;
    for (const auto &row : t.rows) {
        if (!row_selected(t, row, f) || row[sg] == "none")
            continue;
        const std::string &x = row[xc];
        if (!sum.count(x)) {
            xs.push_back(x);
            sum[x].assign(4, 0);
        }
        for (size_t i = 0; i < 4; ++i)
            sum[x][i] += cell_num(row[column(t, parts[i])]) * 1e-6;
        n[x]++;
    }
    const Axis *ax = spec.axis(f.x);
    if (ax && ax->numeric())
        std::sort(xs.begin(), xs.end(), [](const std::string &a, const std::string &b) {
            return cell_num(a) < cell_num(b);
        });
    std::ostringstream d, p;
    d << "# " << f.x << " firmware_us sleep_us mutex_wait_us other_us (means over invalidates)\n";
    for (const std::string &x : xs) {
        d << gp_quote(value_label(spec, f.x, x));
        for (double v : sum[x])
            d << " " << v / static_cast<double>(n[x]);
        d << "\n";
    }
    std::string file = gp_quote(f.name + ".dat");
    p << "plot " << file << " using 2:xtic(1) title " << gp_quote(label(names[0]));
    for (int i = 1; i < 4; ++i)
        p << ", \\\n     '' using " << i + 2 << " title " << gp_quote(label(names[i]));
    p << "\n";
    std::ostringstream g;
    g << header(f, "Invalidate latency breakdown") << "set style data histograms\n"
      << "set style histogram rowstacked\n"
      << "set key above\n"
      << "set style fill solid 0.85 border -1\n"
      << "set boxwidth 0.7\n"
      << (std::any_of(xs.begin(), xs.end(),
                      [&](const std::string &x) { return value_label(spec, f.x, x).size() > 6; })
              ? "set xtics rotate by -45\n"
              : "")
      << "set yrange [0:*]\n"
      << "set xlabel " << gp_quote(label(f.x)) << "\n"
      << "set ylabel 'mean invalidate latency (us)'\n"
      << outputs(f, p.str());
    *dat = d.str();
    *gp = g.str();
}

void stale_figure(const Spec &spec, const Merged &mg, const Figure &f, std::string *dat,
                  std::string *gp) {
    const CsvTable &t = mg.points;
    size_t xc = column(t, f.x);
    std::vector<std::string> xs;
    std::map<std::string, std::vector<double>> sum;
    std::map<std::string, size_t> n;
    for (const auto &row : t.rows) {
        if (!row_selected(t, row, f))
            continue;
        const std::string &x = row[xc];
        if (!sum.count(x)) {
            xs.push_back(x);
            sum[x].assign(f.series.size(), 0);
        }
        for (size_t i = 0; i < f.series.size(); ++i) {
            double v = cell_num(row[column(t, f.series[i])]);
            sum[x][i] += std::isnan(v) ? 0 : v;
        }
        n[x]++;
    }
    std::ostringstream d, p;
    d << "# " << f.x;
    for (const std::string &s : f.series)
        d << " " << s;
    d << " (means over the selected points)\n";
    for (const std::string &x : xs) {
        d << gp_quote(value_label(spec, f.x, x));
        for (double v : sum[x])
            d << " " << v / static_cast<double>(n[x]);
        d << "\n";
    }
    std::string file = gp_quote(f.name + ".dat");
    p << "plot ";
    for (size_t i = 0; i < f.series.size(); ++i)
        p << (i ? ", \\\n     '' using " : file + " using ") << i + 2 << (i ? "" : ":xtic(1)")
          << " title " << gp_quote(label(f.series[i]));
    // Each bar's value above it (a zero bar is otherwise invisible); bar i of n
    // in a cluster with gap 1 sits at x + (i - (n-1)/2) / (n+1).
    double ns = static_cast<double>(f.series.size());
    for (size_t i = 0; i < f.series.size(); ++i)
        p << ", \\\n     '' using ($0 + " << (static_cast<double>(i) - (ns - 1) / 2) / (ns + 1)
          << "):" << i + 2 << ":(sprintf('%g', $" << i + 2
          << ")) with labels offset 0,0.7 font ',9' notitle";
    p << "\n";
    std::ostringstream g;
    g << header(f, "Stale-line outcome per strategy") << "set style data histograms\n"
      << "set style histogram clustered gap 1\n"
      << "set key above\n"
      << "set style fill solid 0.85 border -1\n"
      << "set yrange [0:*]\n"
      << "set xlabel " << gp_quote(label(f.x)) << "\n"
      << "set ylabel 'lines (mean per point)'\n"
      << outputs(f, p.str());
    *dat = d.str();
    *gp = g.str();
}

void cdf_figure(const Spec &spec, const Merged &mg, const Figure &f, std::string *dat,
                std::string *gp) {
    const CsvTable &t = mg.invalidates;
    size_t bc = column(t, f.by), sg = column(t, "inv_strategy"), lc = column(t, "inv_latency_ps");
    std::vector<std::string> keys;
    std::map<std::string, std::vector<double>> lat;
    for (const auto &row : t.rows) {
        if (!row_selected(t, row, f) || row[sg] == "none")
            continue;
        if (!lat.count(row[bc]))
            keys.push_back(row[bc]);
        lat[row[bc]].push_back(cell_num(row[lc]) * 1e-6);
    }
    const Axis *ax = spec.axis(f.by);
    if (ax && ax->numeric())
        std::sort(keys.begin(), keys.end(), [](const std::string &a, const std::string &b) {
            return cell_num(a) < cell_num(b);
        });
    std::ostringstream d, p;
    p << "plot ";
    size_t idx = 0;
    for (const std::string &k : keys) {
        std::vector<double> &v = lat[k];
        std::sort(v.begin(), v.end());
        d << "# " << f.by << " = " << k << ": " << v.size()
          << " invalidates; latency_us fraction\n";
        for (size_t i = 0; i < v.size(); ++i)
            d << v[i] << " " << static_cast<double>(i + 1) / static_cast<double>(v.size()) << "\n";
        d << "\n\n";
        p << (idx ? ", \\\n     " : "") << gp_quote(f.name + ".dat") << " index " << idx
          << " using 1:2 with steps lw 2 title "
          << gp_quote(label(f.by + " = " + value_label(spec, f.by, k) +
                            " (n=" + std::to_string(v.size()) + ")"));
        ++idx;
    }
    p << "\n";
    std::ostringstream g;
    g << header(f, "Distribution of invalidate latency") << "set yrange [0:1.02]\n"
      << (f.log_x ? "set logscale x 10\n" : "") << "set xlabel 'invalidate latency (us"
      << (f.log_x ? ", log scale" : "") << ")'\n"
      << "set ylabel 'fraction of invalidates at or below'\n"
      << outputs(f, p.str());
    *dat = d.str();
    *gp = g.str();
}

void breakeven_figure(const Spec &spec, const Merged &mg, const Figure &f, std::string *dat,
                      std::string *gp) {
    const CsvTable &b = mg.breakeven;
    size_t xc = column(b, f.x), mc = column(b, "measured_breakeven_bytes"),
           ac = column(b, "advertised_breakeven_bytes");
    std::vector<std::vector<std::string>> rows;
    for (const auto &row : b.rows) {
        bool keep = true;
        for (auto &[axis, want] : f.where) {
            size_t c = column(b, axis);
            if (c != SIZE_MAX && !matches(row[c], want))
                keep = false;
        }
        if (keep)
            rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end(),
              [&](const auto &a, const auto &c) { return cell_num(a[xc]) < cell_num(c[xc]); });
    bool sized = is_size_axis(spec, f.x);
    std::ostringstream d, p;
    d << "# " << f.x << " measured_breakeven_bytes advertised_breakeven_bytes (? = none)\n";
    for (const auto &row : rows)
        d << row[xc] << " " << (row[mc].empty() ? "?" : row[mc]) << " "
          << (row[ac].empty() ? "?" : row[ac]) << "\n";
    std::string file = gp_quote(f.name + ".dat");
    p << "plot " << file
      << " using 1:2 with linespoints lw 2 pt 7 title 'measured (cost curves cross)', \\\n"
      << "     '' using 1:3 with linespoints lw 2 dt 2 pt 5 title 'advertised (ATTRIBUTES x4)'\n";
    std::ostringstream g;
    g << header(f, "Break-even range size") << "set datafile missing '?'\n"
      << "set logscale y 2\n";
    double lo = INFINITY, hi = 0;
    for (const auto &row : rows)
        for (size_t c : {mc, ac})
            if (!row[c].empty()) {
                lo = std::min(lo, cell_num(row[c]));
                hi = std::max(hi, cell_num(row[c]));
            }
    if (lo < hi) {
        std::string tics = size_tics(lo, hi);
        g << "set ytics" << tics.substr(std::string("set xtics").size());
    }
    if (sized) {
        double xl = INFINITY, xh = 0;
        for (const auto &row : rows) {
            xl = std::min(xl, cell_num(row[xc]));
            xh = std::max(xh, cell_num(row[xc]));
        }
        g << "set logscale x 2\n";
        if (xl < xh)
            g << size_tics(xl, xh);
        g << "set xrange [" << format_number(xl / 1.5) << ":" << format_number(xh * 1.5) << "]\n";
    } else if (f.log_x) {
        g << "set logscale x 10\n";
    }
    g << "set xlabel " << gp_quote(label(f.x)) << "\n"
      << "set ylabel 'break-even range size (log scale)'\n"
      << outputs(f, p.str());
    *dat = d.str();
    *gp = g.str();
}

// gnuplot SCRIPT in DIR; its messages go to DIR/gnuplot.log. 127: not installed.
int run_gnuplot(const std::string &dir, const std::string &script) {
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(dir.c_str()) != 0)
            _exit(126);
        int fd = open("gnuplot.log", O_WRONLY | O_CREAT | O_APPEND, 0666);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execlp("gnuplot", "gnuplot", script.c_str(), static_cast<char *>(nullptr));
        _exit(127);
    }
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128;
}

} // namespace

bool plot(const Spec &spec, const Manifest &m, const Merged &merged, const std::string &dir,
          std::vector<std::string> *written, std::string *why) {
    (void)m;
    std::string fdir = dir + "/figures";
    mkdir(fdir.c_str(), 0777);
    std::remove((fdir + "/gnuplot.log").c_str());
    for (const Figure &f : spec.figures) {
        std::string dat, gp;
        if (f.kind == "cost")
            cost_figure(spec, merged, f, &dat, &gp);
        else if (f.kind == "breakdown")
            breakdown_figure(spec, merged, f, &dat, &gp);
        else if (f.kind == "stale")
            stale_figure(spec, merged, f, &dat, &gp);
        else if (f.kind == "cdf")
            cdf_figure(spec, merged, f, &dat, &gp);
        else
            breakeven_figure(spec, merged, f, &dat, &gp);
        if (std::string err; !write_file(fdir + "/" + f.name + ".dat", dat, &err) ||
                             !write_file(fdir + "/" + f.name + ".gp", gp, &err)) {
            *why = err;
            return false;
        }
        int rc = run_gnuplot(fdir, f.name + ".gp");
        if (rc == 127) {
            *why = "gnuplot is not installed (Debian: apt-get install gnuplot-nox); the scripts "
                   "are in " +
                   fdir + "/*.gp";
            return false;
        }
        if (rc != 0) {
            *why = "gnuplot failed on " + fdir + "/" + f.name + ".gp; see " + fdir + "/gnuplot.log";
            return false;
        }
        written->push_back(fdir + "/" + f.name + ".svg");
        written->push_back(fdir + "/" + f.name + ".png");
    }
    return true;
}

} // namespace cmosim::sim::sweep
