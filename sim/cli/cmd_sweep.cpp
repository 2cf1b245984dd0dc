// SPDX-License-Identifier: Apache-2.0
// cmosim sweep: run a sweep file's points (locally or as a Slurm job array),
// merge their reports, find the strategy crossover, draw the figures.
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <iostream>
#include <unistd.h>

#include "cli/cli.h"
#include "run/run_control.h"
#include "sweep/sweep.h"

extern "C" {
#include "config/ynode.h"
}

namespace cmosim::sim::cli {

namespace {

const char *kSweepUsage =
    "usage: cmosim sweep SWEEP.yaml [-j N] [--out DIR] [--figures DIR] [--list]\n"
    "       cmosim sweep SWEEP.yaml --slurm [--out DIR] [--per-task K] [--sbatch-option OPT]...\n"
    "       cmosim sweep --collect DIR [--figures DIR]\n"
    "\n"
    "Run every point of the sweep (docs/sweeps.md) as its own `cmosim run BASE\n"
    "--set PATH=VALUE ...` process, N at a time, then merge the reports into CSV\n"
    "files, find where the low strategy's cost crosses the high one's, and draw the\n"
    "figures with gnuplot. Prints the measured break-even size beside the one the\n"
    "firmware advertises in CLEAN_INV_MEMREGION_ATTRIBUTES x4.\n"
    "\n"
    "  -j N                 points run in parallel (default: the online CPUs)\n"
    "  --out DIR            output folder (default out/sweeps/NAME): manifest.json,\n"
    "                       points/pNNNN.json, points.csv, invalidates.csv,\n"
    "                       crossover.csv, breakeven.csv, summary.txt, figures/\n"
    "  --figures DIR        also copy the figures (SVG, PNG) into DIR\n"
    "  --list               print the points and their --set options; run nothing\n"
    "  --slurm              write DIR/manifest.json and DIR/sweep.sbatch (a job array)\n"
    "                       instead of running; submit with sbatch, merge with --collect\n"
    "  --per-task K         points per array task (default: enough for <= 1000 tasks)\n"
    "  --sbatch-option OPT  an extra #SBATCH line, e.g. --sbatch-option=--partition=debug\n"
    "  --collect DIR        merge the points found in DIR (after a Slurm run)\n"
    "  -h, --help           this text\n"
    "\n"
    "exit codes: 0 every point ran and passed its expectations, 1 a point's\n"
    "            expectation failed, 2 bad input, 3 a point failed or is missing\n";

bool number_arg(const std::string &opt, const std::string &v, unsigned long lo,
                unsigned long *out) {
    char *end = nullptr;
    unsigned long n = std::strtoul(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < lo || n > 100000) {
        std::cerr << "cmosim sweep: " << opt << ": expected an integer >= " << lo << ", found '"
                  << v << "'\n";
        return false;
    }
    *out = n;
    return true;
}

std::string self_path() {
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return "cmosim";
    buf[n] = '\0';
    return buf;
}

std::string absolute(const std::string &p) {
    char buf[PATH_MAX];
    if (realpath(p.c_str(), buf))
        return buf;
    return p;
}

} // namespace

int cmd_sweep(const Args &args) {
    using namespace cmosim::sim::sweep;
    std::string file, out, figures, collect_dir, run_dir;
    unsigned long jobs = 0, per_task = 0, first = 0, last = 0;
    bool slurm = false, list = false, run_points_mode = false;
    std::vector<std::string> sbatch;
    auto value = [&](size_t &i, const std::string &a, std::string *dst) {
        size_t eq = a.find('=');
        if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
            *dst = a.substr(eq + 1);
            return true;
        }
        if (i + 1 >= args.size()) {
            std::cerr << "cmosim sweep: " << a << " needs a value\n";
            return false;
        }
        *dst = args[++i];
        return true;
    };
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        std::string opt = a.substr(0, a.find('='));
        std::string v;
        if (a == "-h" || a == "--help") {
            std::cout << kSweepUsage;
            return kPass;
        } else if (a == "-j" || opt == "--jobs" || (a.rfind("-j", 0) == 0 && a.size() > 2)) {
            if (a.rfind("-j", 0) == 0 && a.size() > 2)
                v = a.substr(2);
            else if (!value(i, a, &v))
                return kBadInput;
            if (!number_arg("-j", v, 1, &jobs))
                return kBadInput;
        } else if (opt == "--out") {
            if (!value(i, a, &out))
                return kBadInput;
        } else if (opt == "--figures") {
            if (!value(i, a, &figures))
                return kBadInput;
        } else if (opt == "--collect") {
            if (!value(i, a, &collect_dir))
                return kBadInput;
        } else if (opt == "--per-task") {
            if (!value(i, a, &v) || !number_arg("--per-task", v, 1, &per_task))
                return kBadInput;
        } else if (opt == "--sbatch-option") {
            if (!value(i, a, &v))
                return kBadInput;
            sbatch.push_back(v);
        } else if (a == "--slurm") {
            slurm = true;
        } else if (a == "--list") {
            list = true;
        } else if (a == "--run-points") {
            // Internal: what a Slurm array task runs (DIR FIRST LAST).
            if (i + 3 >= args.size()) {
                std::cerr << "cmosim sweep: --run-points needs DIR FIRST LAST\n";
                return kBadInput;
            }
            run_points_mode = true;
            run_dir = args[i + 1];
            if (!number_arg("--run-points FIRST", args[i + 2], 0, &first) ||
                !number_arg("--run-points LAST", args[i + 3], 0, &last))
                return kBadInput;
            i += 3;
        } else if (!a.empty() && a[0] == '-') {
            std::cerr << "cmosim sweep: unknown option '" << a << "' (see cmosim sweep --help)\n";
            return kBadInput;
        } else if (file.empty()) {
            file = a;
        } else {
            std::cerr << "cmosim sweep: expected one sweep file, found a second: '" << a << "'\n";
            return kBadInput;
        }
    }
    if (run_points_mode)
        return run_points(run_dir, first, last);
    if (!collect_dir.empty()) {
        if (!file.empty() || slurm) {
            std::cerr << "cmosim sweep: --collect DIR takes no sweep file and no --slurm\n";
            return kBadInput;
        }
        return collect(collect_dir, figures);
    }
    if (file.empty()) {
        std::cerr << kSweepUsage;
        return kBadInput;
    }

    Spec spec;
    std::vector<Point> points;
    Manifest m;
    try {
        spec = parse_spec_file(file);
        points = expand(spec);
    } catch (const ConfigError &e) {
        std::cerr << e.what() << "\n";
        return kBadInput;
    }
    {
        char why[256];
        int fd = ynode_open_input(spec.base.c_str(), why, sizeof why);
        if (fd < 0) {
            std::cerr << ConfigError(spec.base_mark, "base: cannot read the base scenario " +
                                                         spec.base + ": " + why)
                             .what()
                      << "\n";
            return kBadInput;
        }
        close(fd);
    }
    if (list) {
        for (const Point &p : points) {
            std::cout << p.id();
            for (const std::string &s : p.sets) {
                std::string q;
                for (char c : s)
                    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
                std::cout << " --set '" << q << "'";
            }
            std::cout << "\n";
        }
        return kPass;
    }
    // Every point is loaded (not run) first: a mistake shows before anything runs.
    for (const Point &p : points) {
        try {
            Scenario s = load_scenario_file(spec.base, p.sets);
            m.advertised.push_back(s.firmware.attr_breakeven_from_model
                                       ? std::nullopt
                                       : std::optional<uint64_t>(s.firmware.attr_breakeven));
        } catch (const ConfigError &e) {
            std::cerr << e.what() << "\n" << file << ": error: point " << p.id() << " (";
            for (size_t k = 0; k < spec.axes.size(); ++k)
                std::cerr << (k ? ", " : "") << spec.axes[k].name << "="
                          << spec.axes[k].values[p.pick[k]].text;
            std::cerr << ") is not a valid scenario\n";
            return kBadInput;
        }
    }
    m.spec_file = absolute(file);
    {
        std::ifstream f(file, std::ios::binary);
        std::stringstream ss;
        ss << f.rdbuf();
        m.spec_text = ss.str();
    }
    m.base = absolute(spec.base);
    m.cmosim = self_path();
    m.points = points;
    if (out.empty())
        out = "out/sweeps/" + (spec.name.empty() ? std::string("sweep") : spec.name);
    if (slurm)
        return write_slurm(spec, m, out, per_task, sbatch);

    RunOptions o;
    o.out = out;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o.jobs = jobs ? static_cast<unsigned>(jobs) : static_cast<unsigned>(cpus > 0 ? cpus : 1);
    o.progress = isatty(STDERR_FILENO) != 0;
    o.figures = figures;
    std::cout << "cmosim sweep: " << (spec.name.empty() ? file : spec.name) << ": " << points.size()
              << " point" << (points.size() == 1 ? "" : "s") << ", -j" << o.jobs << ", into " << out
              << std::endl;
    // Without SA_RESTART, as a suite: run_local polls the flag.
    ScopedStopSignals signals(false);
    o.stop_signal = [] { return stop_signal_received(); };
    return run_local(spec, m, o);
}

} // namespace cmosim::sim::cli
