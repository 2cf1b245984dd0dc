// SPDX-License-Identifier: Apache-2.0
// How a Slurm sweep groups its points into array tasks: each task runs enough
// points for at least `task_seconds` of work by a per-point estimate measured
// here (a few points run locally first) or given by the user, so the cost of
// starting a task (scheduling, the binary's start-up) is paid rarely.
#include "sweep/sweep.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace cmosim::sim::sweep {

Grouping choose_grouping(size_t points, double point_seconds, double task_seconds,
                         size_t max_tasks) {
    Grouping g;
    g.point_seconds = point_seconds;
    g.task_seconds = task_seconds;
    if (points == 0) {
        g.per_task = 1;
        g.tasks = 0;
        return g;
    }
    // Enough points for the wanted work per task (one point at least)...
    double want = point_seconds > 0 ? std::ceil(task_seconds / point_seconds) : double(points);
    size_t per = want >= double(points) ? points : std::max<size_t>(1, size_t(want));
    // ...and never more tasks than the array may hold.
    per = std::max(per, (points + max_tasks - 1) / max_tasks);
    g.per_task = per;
    g.tasks = (points + per - 1) / per;
    return g;
}

Grouping fixed_grouping(size_t points, size_t per_task, size_t max_tasks) {
    Grouping g;
    g.per_task = std::max(per_task, (points + max_tasks - 1) / max_tasks);
    g.tasks = points ? (points + g.per_task - 1) / g.per_task : 0;
    g.how = "--per-task " + std::to_string(per_task);
    return g;
}

namespace {

// `cmosim run BASE --set ... --quiet --report DIR/PID.json --max-wall-time
// LIMITs` for one point; its wall-clock seconds, or a negative number when it
// could not be started or ended neither passing, failing an expectation nor
// at the limit.
double time_point(const Manifest &m, const Point &p, const std::string &dir, double limit) {
    std::vector<std::string> args = point_command(m, p, dir + "/" + p.id() + ".json");
    args.push_back("--max-wall-time");
    args.push_back(std::to_string(static_cast<long>(std::ceil(limit))) + "s");
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = spawn_point(std::move(args), "/dev/null");
    if (pid < 0)
        return -1;
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::remove((dir + "/" + p.id() + ".json").c_str());
    if (!WIFEXITED(ws))
        return -1;
    const int code = WEXITSTATUS(ws);
    return code == 0 || code == 1 || code == 3 ? s : -1;
}

} // namespace

std::optional<double> estimate_point_seconds(const Manifest &m, double task_seconds,
                                             std::string *how) {
    const size_t n = m.points.size();
    if (n == 0)
        return std::nullopt;
    // The first, middle and last points: sweeps grow along their axes, so these
    // span the cheap and the dear ones.
    std::vector<size_t> picks{0, n / 2, n - 1};
    picks.erase(std::unique(picks.begin(), picks.end()), picks.end());
    std::string err;
    const std::string tmp = make_work_dir("cmosim-sweep-probe", &err);
    if (tmp.empty()) {
        *how = "cannot time points: " + err;
        return std::nullopt;
    }
    double sum = 0;
    std::ostringstream detail;
    for (size_t k = 0; k < picks.size(); ++k) {
        const Point &p = m.points[picks[k]];
        // A point that alone runs past a task's worth of work needs no company.
        double s = time_point(m, p, tmp, task_seconds);
        if (s < 0) {
            rmdir(tmp.c_str());
            *how = "point " + p.id() + " did not run here";
            return std::nullopt;
        }
        sum += s;
        char b[64];
        std::snprintf(b, sizeof b, "%s%s %.2f s", k ? ", " : "", p.id().c_str(), s);
        detail << b;
    }
    rmdir(tmp.c_str());
    const double mean = sum / static_cast<double>(picks.size());
    std::ostringstream o;
    o << "measured here: the mean of " << picks.size() << " point" << (picks.size() == 1 ? "" : "s")
      << " (" << detail.str() << ")";
    *how = o.str();
    return mean;
}

std::string grouping_text(const Grouping &g, size_t points) {
    std::ostringstream o;
    char b[160];
    if (g.point_seconds > 0) {
        std::snprintf(b, sizeof b,
                      "%.2f s per point, %s; at least %.0f s of work per task: ", g.point_seconds,
                      g.how.c_str(), g.task_seconds);
        o << b;
    } else {
        o << g.how << ": ";
    }
    o << g.per_task << " point" << (g.per_task == 1 ? "" : "s") << " per array task, " << points
      << " point" << (points == 1 ? "" : "s") << " in " << g.tasks << " task"
      << (g.tasks == 1 ? "" : "s");
    if (g.point_seconds > 0) {
        std::snprintf(b, sizeof b, " (about %.0f s of work per task)",
                      g.point_seconds * static_cast<double>(std::min(g.per_task, points)));
        o << b;
    }
    return o.str();
}

} // namespace cmosim::sim::sweep
