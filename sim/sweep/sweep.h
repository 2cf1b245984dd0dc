// SPDX-License-Identifier: Apache-2.0
// Design-space sweeps (docs/sweeps.md): a sweep file names a base scenario,
// axes over any scenario field and what to collect from each point's report.
// Each point runs as its own `cmosim run BASE --set PATH=VALUE ...` process
// (SystemC elaborates once per process), locally in parallel or as a Slurm
// job array; the points' reports merge into CSV files, the strategy
// crossover and gnuplot figures.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/scenario.h"

namespace cmosim::sim::sweep {

// One value of an axis: the YAML text given to --set, and its number in the
// axis' base unit (bytes for sizes, ns for times) when it has one.
struct AxisValue {
    std::string text;
    bool numeric = false;
    double num = 0;
};

struct Axis {
    std::string name;
    std::vector<std::string> paths; // none: a variable for ${...} only
    std::vector<AxisValue> values;
    Mark mark;
    bool numeric() const; // every value has a number
};

// A CSV column: a report path ("invalidate[0].latency_ps", "checker.stale_reads",
// "invalidate[-1].return"), or an aggregate over every item of an array
// ("sum(invalidate[*].latency_ps)"; sum, mean, min, max, count).
struct Column {
    std::string name;
    std::string path;
    std::string agg; // empty for a single value
    Mark mark;
};

// Where strategy `low` (cheaper for small ranges) stops being cheaper than
// strategy `high`, per group of the other axes' values.
struct CrossoverSpec {
    bool enabled = false;
    std::string size_axis = "size";
    std::string strategy_axis = "strategy";
    std::string cost = "latency_ps"; // a collected column
    std::string low = "va_cmo";
    std::string high = "smccc";
};

struct Figure {
    std::string kind; // cost | breakdown | stale | cdf | breakeven
    std::string name; // file stem
    std::string title;
    std::string x;                   // breakdown, stale, breakeven: the x axis
    std::string by;                  // cdf: one curve per value of this axis
    std::vector<std::string> series; // stale: the columns drawn
    std::vector<std::pair<std::string, std::string>> where; // axis = value filters
    bool log_x = false;
    Mark mark;
};

struct Spec {
    std::string file; // as given
    std::string name;
    std::string description;
    std::string base; // the base scenario, resolved against the sweep file's folder
    Mark base_mark;
    bool zip = false; // false: cartesian product of the axes
    std::vector<Axis> axes;
    std::vector<std::pair<std::string, std::string>> sets; // PATH, VALUE template
    std::vector<Mark> set_marks;
    std::vector<Column> collect;
    CrossoverSpec crossover;
    std::vector<Figure> figures;
    const Axis *axis(const std::string &name) const;
};

// One point of the sweep: which value of each axis, and the --set options.
struct Point {
    size_t index = 0;
    std::vector<size_t> pick; // per axis: index into Axis::values
    std::vector<std::string> sets;
    std::string id() const; // "p0007"
};

// Parse and validate a sweep file. Throws ConfigError (file:line:column).
Spec parse_spec_file(const std::string &path);
Spec parse_spec_text(const std::string &file, const std::string &text);

// Every point, in order (the last axis varies fastest in cartesian mode).
// Throws ConfigError when a ${...} expression cannot be evaluated.
std::vector<Point> expand(const Spec &spec);

// `${expr}` templates: expr is arithmetic (+ - * / parentheses) on numbers with
// an optional size or time unit (1MiB, 230ns), axis names, and min(), max(),
// floor(), ceil(), round(), log2(), pow(). `${name}` of a non-numeric axis is
// its text. Throws ConfigError at `where`.
std::string substitute(const std::string &tmpl, const std::map<std::string, AxisValue> &vars,
                       const Mark &where);
double evaluate_expr(const std::string &expr, const std::map<std::string, AxisValue> &vars,
                     const Mark &where);

// "4KiB" -> 4096 (bytes), "230ns" -> 230 (ns), "0.3" -> 0.3; nullopt otherwise.
std::optional<double> parse_number(const std::string &text, bool *is_size = nullptr,
                                   bool *is_time = nullptr);
std::string format_number(double v);   // integers without a decimal point
std::string human_bytes(double bytes); // "736 KiB", "1.5 MiB"

// ---------------------------------------------------------------- results

// What a point produced: its exit status and its report (empty when missing).
struct PointResult {
    std::string status; // ok | expect_failed | bad_input | incomplete | failed | missing
    std::string report; // JSON text
};

std::string status_name(int exit_code, bool have_report);

// The manifest (DIR/manifest.json): the sweep file's text, the base, the
// binary, and every point with its --set options; what --collect and Slurm
// array tasks read.
struct Manifest {
    std::string spec_file; // absolute
    std::string spec_text;
    std::string base;   // absolute
    std::string cmosim; // absolute path of the binary that runs the points
    std::vector<Point> points;
    std::vector<std::optional<uint64_t>> advertised; // ATTRIBUTES x4 when configured
    std::string to_json(const Spec &spec) const;
};
// Throws ConfigError on a malformed manifest.
Manifest read_manifest(const std::string &dir, Spec *spec);

// A report field by path ("a.b[2].c", "a[-1].b"); nullopt when absent or not a number.
std::optional<double> report_value(const std::string &report_json, const Column &c);

struct CsvTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::string text() const;
};

// The merged results of a sweep.
struct Merged {
    CsvTable points;                // one row per point: axes, status, collected columns
    CsvTable invalidates;           // one row per invalidate of every point
    CsvTable crossover;             // per group and size: each strategy's cost, the cheapest
    CsvTable breakeven;             // per group: measured and advertised break-even size
    std::vector<std::string> notes; // the lines printed at the end of the sweep
};

Merged merge(const Spec &spec, const Manifest &m, const std::vector<PointResult> &results);

// The crossover on one group's points: costs of the two strategies by size.
struct CrossoverResult {
    bool found = false;
    double breakeven = 0;        // bytes, log-log interpolation
    double below = 0, above = 0; // the neighbouring sizes that bracket it
    std::string why;             // when not found
};
CrossoverResult find_crossover(const std::vector<double> &sizes, const std::vector<double> &low,
                               const std::vector<double> &high);

// ---------------------------------------------------------------- running

struct RunOptions {
    std::string out; // output folder
    unsigned jobs = 1;
    bool progress = false; // draw a progress bar on stderr
    std::string figures;   // also copy the figures (SVG, PNG) here
    // SIGINT/SIGTERM received so far (0: none), polled between children:
    // the caller owns the handlers (cmd_sweep.cpp).
    std::function<int()> stop_signal;
};

// Write DIR/points/*.json and the merged outputs. Returns an exit code.
int run_local(const Spec &spec, Manifest &m, const RunOptions &o);
// Merge whatever points DIR holds. Returns an exit code.
int collect(const std::string &dir, const std::string &figures_dir);
// Run points [first, last) of DIR's manifest one after another (a Slurm array task).
int run_points(const std::string &dir, size_t first, size_t last);
// How points are grouped into Slurm array tasks (sweep_grouping.cpp).
struct Grouping {
    size_t per_task = 1;      // points per array task
    size_t tasks = 0;         // array tasks
    double point_seconds = 0; // the per-point estimate (0: none, --per-task given)
    double task_seconds = 0;  // the work wanted per task
    std::string how;          // where the estimate or the grouping came from
};
// Slurm's default MaxArraySize is 1001: at most 1000 tasks.
constexpr size_t kMaxArrayTasks = 1000;
// Enough points per task for `task_seconds` of work at `point_seconds` each,
// within `max_tasks` tasks.
Grouping choose_grouping(size_t points, double point_seconds, double task_seconds,
                         size_t max_tasks = kMaxArrayTasks);
// `per_task` points per task as asked (more only to stay within `max_tasks`).
Grouping fixed_grouping(size_t points, size_t per_task, size_t max_tasks = kMaxArrayTasks);
// Seconds a point takes on this machine: the first, middle and last points
// run here (each stopped after `task_seconds`), mean of their wall times.
// nullopt (and why in `how`) when a point cannot run here.
std::optional<double> estimate_point_seconds(const Manifest &m, double task_seconds,
                                             std::string *how);
// "0.41 s per point, measured here: ...; at least 30 s of work per task: 74
// points per array task, 130 points in 2 tasks (about 30 s of work per task)".
std::string grouping_text(const Grouping &g, size_t points);
// Write DIR/sweep.sbatch for a job array grouped as `g`.
int write_slurm(const Spec &spec, Manifest &m, const std::string &out, const Grouping &g,
                const std::vector<std::string> &sbatch_options);

// `cmosim run BASE --set ... --report REPORT --quiet`: one point's command.
std::vector<std::string> point_command(const Manifest &m, const Point &p,
                                       const std::string &report);
// Starts `args` (the executable first) in a process group of its own, its
// output to `log`; the child's pid, or -1.
pid_t spawn_point(std::vector<std::string> args, const std::string &log);

// Writes `text` to `path` through a temporary name and a rename: never a
// partial file under `path`. False with `err` set.
bool write_file(const std::string &path, const std::string &text, std::string *err);
// A fresh private directory $TMPDIR/NAME.XXXXXX (/tmp without TMPDIR); its
// path, or "" with `err` saying why.
std::string make_work_dir(const std::string &name, std::string *err);

// Write figures for the merged results into DIR/figures (gnuplot when found).
// Returns false (and says why in `why`) when gnuplot is missing or failed.
bool plot(const Spec &spec, const Manifest &m, const Merged &merged, const std::string &dir,
          std::vector<std::string> *written, std::string *why);

} // namespace cmosim::sim::sweep
