// SPDX-License-Identifier: Apache-2.0
// Running a sweep's points: local child processes (-j N) with a progress bar,
// Slurm array tasks, and collecting what a run left in its output folder.
#include "sweep/sweep.h"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace cmosim::sim::sweep {

namespace {

bool make_dirs(const std::string &path, std::string *err) {
    std::string cur;
    std::stringstream in(path);
    std::string part;
    if (!path.empty() && path[0] == '/')
        cur = "/";
    while (std::getline(in, part, '/')) {
        if (part.empty())
            continue;
        cur += part + "/";
        if (mkdir(cur.c_str(), 0777) != 0 && errno != EEXIST) {
            *err = "cannot create " + cur + ": " + std::strerror(errno);
            return false;
        }
    }
    return true;
}

bool read_file(const std::string &path, std::string *text) {
    std::ifstream f(path, std::ios::binary);
    if (!f)
        return false;
    std::stringstream ss;
    ss << f.rdbuf();
    *text = ss.str();
    return true;
}

std::string absolute(const std::string &p) {
    if (!p.empty() && p[0] == '/')
        return p;
    char buf[4096];
    if (!getcwd(buf, sizeof buf))
        return p;
    std::string s = p;
    while (s.rfind("./", 0) == 0)
        s = s.substr(2);
    return std::string(buf) + "/" + s;
}

std::string point_file(const std::string &dir, const Point &p, const char *ext) {
    return dir + "/points/" + p.id() + ext;
}

void clear_point(const std::string &dir, const Point &p) {
    for (const char *ext : {".json", ".exit", ".log"})
        std::remove(point_file(dir, p, ext).c_str());
}

// Start `cmosim run BASE --set ... --report points/pNNNN.json --quiet` with
// its output in points/pNNNN.log. Returns the child's pid, or -1.
pid_t launch(const Manifest &m, const std::string &dir, const Point &p) {
    return spawn_point(point_command(m, p, point_file(dir, p, ".json")),
                       point_file(dir, p, ".log"));
}

int exit_code_of(int wstatus) {
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    return 128 + (WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0);
}

void record_exit(const std::string &dir, const Point &p, int code) {
    std::string err;
    if (!write_file(point_file(dir, p, ".exit"), std::to_string(code) + "\n", &err))
        std::cerr << "cmosim sweep: " << err << "\n";
}

PointResult read_point(const std::string &dir, const Point &p) {
    PointResult r;
    std::string exit_text;
    int code = -1;
    if (read_file(point_file(dir, p, ".exit"), &exit_text))
        code = std::atoi(exit_text.c_str());
    bool have = read_file(point_file(dir, p, ".json"), &r.report);
    if (!have)
        r.report.clear();
    if (have && code < 0) // the report is there, its exit code is not
        code = r.report.find("\"complete\": true") != std::string::npos ? 0 : 3;
    r.status = status_name(code, have);
    return r;
}

std::string clock_text(double s) {
    long t = std::lround(s);
    char b[32];
    if (t >= 3600)
        std::snprintf(b, sizeof b, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        std::snprintf(b, sizeof b, "%ld:%02ld", t / 60, t % 60);
    return b;
}

void draw_bar(size_t done, size_t total, size_t running, double elapsed) {
    const int width = 30;
    int fill = total ? static_cast<int>(width * done / total) : width;
    std::string bar(static_cast<size_t>(fill), '#');
    bar += std::string(static_cast<size_t>(width - fill), '.');
    std::string eta = "--:--";
    if (done > 0 && done < total)
        eta = clock_text(elapsed / static_cast<double>(done) * static_cast<double>(total - done));
    else if (done == total)
        eta = "0:00";
    std::fprintf(stderr, "\r[%s] %zu/%zu  %zu running  elapsed %s  ETA %s \x1b[K", bar.c_str(),
                 done, total, running, clock_text(elapsed).c_str(), eta.c_str());
    std::fflush(stderr);
}

// The merged outputs of whatever the folder holds; returns the exit code.
int finish(const Spec &spec, const Manifest &m, const std::string &dir,
           const std::string &figures_dir, double wall, const std::string &interrupted = {}) {
    std::vector<PointResult> results;
    for (const Point &p : m.points)
        results.push_back(read_point(dir, p));
    Merged merged = merge(spec, m, results);
    std::string err;
    std::vector<std::pair<std::string, const CsvTable *>> tables{
        {"points.csv", &merged.points}, {"invalidates.csv", &merged.invalidates}};
    if (spec.crossover.enabled) {
        tables.push_back({"crossover.csv", &merged.crossover});
        tables.push_back({"breakeven.csv", &merged.breakeven});
    }
    for (auto &[name, t] : tables)
        if (!write_file(dir + "/" + name, t->text(), &err)) {
            std::cerr << "cmosim sweep: " << err << "\n";
            return 2;
        }
    std::ostringstream summary;
    summary << "cmosim sweep: " << (spec.name.empty() ? spec.file : spec.name);
    if (wall >= 0)
        summary << " in " << clock_text(wall) << " (" << std::fixed << std::setprecision(1) << wall
                << " s)";
    summary << "\n";
    if (!interrupted.empty())
        summary << interrupted << "\n";
    for (const std::string &n : merged.notes)
        summary << n << "\n";
    std::vector<std::string> written;
    std::string why;
    if (!spec.figures.empty()) {
        if (plot(spec, m, merged, dir, &written, &why)) {
            if (!figures_dir.empty()) {
                if (!make_dirs(figures_dir, &err)) {
                    std::cerr << "cmosim sweep: " << err << "\n";
                    return 2;
                }
                for (const std::string &f : written) {
                    std::string text;
                    std::string leaf = f.substr(f.rfind('/') + 1);
                    if (!read_file(f, &text) || !write_file(figures_dir + "/" + leaf, text, &err)) {
                        std::cerr << "cmosim sweep: cannot copy " << f << " to " << figures_dir
                                  << "\n";
                        return 2;
                    }
                }
            }
            summary << "figures:";
            for (const std::string &f : written)
                summary << " " << f.substr(f.rfind('/') + 1);
            summary << " (in " << dir << "/figures"
                    << (figures_dir.empty() ? "" : " and " + figures_dir) << ")\n";
        } else {
            summary << "figures: not drawn: " << why << "\n";
        }
    }
    summary << "outputs: " << dir << "/points.csv, " << dir << "/invalidates.csv";
    if (spec.crossover.enabled)
        summary << ", " << dir << "/crossover.csv, " << dir << "/breakeven.csv";
    summary << "\n";
    if (!write_file(dir + "/summary.txt", summary.str(), &err)) {
        std::cerr << "cmosim sweep: " << err << "\n";
        return 2;
    }
    std::cout << summary.str();
    bool failed = false, expect_failed = false;
    for (size_t i = 0; i < results.size(); ++i) {
        const std::string &s = merged.points.rows[i][1];
        if (s == "expect_failed")
            expect_failed = true;
        else if (s != "ok") {
            if (!failed)
                std::cerr << "cmosim sweep: point " << m.points[i].id() << " " << s << "; see "
                          << point_file(dir, m.points[i], ".log") << "\n";
            failed = true;
        }
    }
    return failed ? 3 : expect_failed ? 1 : 0;
}

bool prepare_dir(const std::string &dir, const Spec &spec, const Manifest &m) {
    std::string err;
    if (!make_dirs(dir + "/points", &err) ||
        !write_file(dir + "/manifest.json", m.to_json(spec), &err)) {
        std::cerr << "cmosim sweep: " << err << "\n";
        return false;
    }
    return true;
}

} // namespace

std::vector<std::string> point_command(const Manifest &m, const Point &p,
                                       const std::string &report) {
    std::vector<std::string> args{m.cmosim, "run", m.base};
    for (const std::string &s : p.sets) {
        args.push_back("--set");
        args.push_back(s);
    }
    args.push_back("--report");
    args.push_back(report);
    args.push_back("--quiet");
    return args;
}

pid_t spawn_point(std::vector<std::string> args, const std::string &log) {
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    // A process group of its own: a Ctrl-C reaches the sweep only, which
    // passes it on once (a second one would end the point without a report).
    setpgid(0, 0);
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
    }
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    std::fprintf(stderr, "cmosim sweep: cannot run %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
}

std::string make_work_dir(const std::string &name, std::string *err) {
    const char *tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + name + ".XXXXXX";
    if (!mkdtemp(templ.data())) {
        *err = "cannot create a work directory " + templ + ": " + std::strerror(errno);
        return "";
    }
    return templ;
}

bool write_file(const std::string &path, const std::string &text, std::string *err) {
    std::string tmp = path + ".tmp." + std::to_string(getpid());
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f << text;
        f.flush();
        if (!f) {
            *err = "cannot write " + path + ": " + std::strerror(errno);
            std::remove(tmp.c_str());
            return false;
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        *err = "cannot write " + path + ": " + std::strerror(errno);
        std::remove(tmp.c_str());
        return false;
    }
    return true;
}

int run_local(const Spec &spec, Manifest &m, const RunOptions &o) {
    if (!prepare_dir(o.out, spec, m))
        return 2;
    for (const Point &p : m.points)
        clear_point(o.out, p);
    auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    std::map<pid_t, size_t> running;
    size_t next = 0, done = 0, total = m.points.size();
    unsigned jobs = std::max(1u, o.jobs);
    double last_draw = -1;
    // SIGINT/SIGTERM: start no more points, pass the signal once to each
    // running one (it stops and writes its report, marked incomplete), then
    // merge what there is; exit code 3, as a suite.
    int interrupted = 0;
    size_t not_started = 0;
    while (!running.empty() || (!interrupted && done < total)) {
        if (!interrupted && o.stop_signal && (interrupted = o.stop_signal()) != 0) {
            for (const auto &[cpid, i] : running) {
                (void)i;
                kill(cpid, interrupted);
            }
            not_started = total - next;
            next = total;
        }
        while (!interrupted && next < total && running.size() < jobs) {
            pid_t pid = launch(m, o.out, m.points[next]);
            if (pid < 0) {
                std::cerr << "cmosim sweep: fork: " << std::strerror(errno) << "\n";
                for (auto &[cpid, i] : running) {
                    (void)i;
                    kill(cpid, SIGTERM);
                    waitpid(cpid, nullptr, 0);
                }
                return 3;
            }
            running[pid] = next++;
        }
        int ws = 0;
        // Polled when a signal may come: a blocking wait would sit out the
        // longest point before passing the signal on.
        bool poll = o.progress || o.stop_signal;
        pid_t pid = poll ? waitpid(-1, &ws, WNOHANG) : waitpid(-1, &ws, 0);
        if (pid > 0 && running.count(pid)) {
            record_exit(o.out, m.points[running[pid]], exit_code_of(ws));
            running.erase(pid);
            ++done;
        } else if (pid < 0 && errno != EINTR) {
            std::cerr << "cmosim sweep: waitpid: " << std::strerror(errno) << "\n";
            return 3;
        }
        if (o.progress) {
            double t = elapsed();
            if (pid > 0 || t - last_draw >= 0.25) {
                draw_bar(done, total, running.size(), t);
                last_draw = t;
            }
        }
        if (poll && pid == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(o.progress ? 20 : 5));
    }
    if (o.progress)
        std::fprintf(stderr, "\n");
    std::string note;
    if (interrupted) {
        note = std::string("interrupted by ") + (interrupted == SIGINT ? "SIGINT" : "SIGTERM") +
               ": " + std::to_string(not_started) + " of " + std::to_string(total) +
               " points not started; the outputs are incomplete";
        std::cerr << "cmosim sweep: " << note << "\n";
    }
    int rc = finish(spec, m, o.out, o.figures, elapsed(), note);
    return interrupted ? std::max(rc, 3) : rc;
}

int collect(const std::string &dir, const std::string &figures_dir) {
    Spec spec;
    Manifest m;
    try {
        m = read_manifest(dir, &spec);
    } catch (const ConfigError &e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
    return finish(spec, m, dir, figures_dir, -1);
}

int run_points(const std::string &dir, size_t first, size_t last) {
    Spec spec;
    Manifest m;
    try {
        m = read_manifest(dir, &spec);
    } catch (const ConfigError &e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
    last = std::min(last, m.points.size());
    int worst = 0;
    for (size_t i = first; i < last; ++i) {
        const Point &p = m.points[i];
        clear_point(dir, p);
        pid_t pid = launch(m, dir, p);
        if (pid < 0) {
            std::cerr << "cmosim sweep: fork: " << std::strerror(errno) << "\n";
            return 3;
        }
        int ws = 0;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
        }
        int code = exit_code_of(ws);
        record_exit(dir, p, code);
        std::cout << p.id() << " " << status_name(code, code == 0 || code == 1 || code == 3)
                  << "\n";
        if (code != 0 && code != 1)
            worst = 3;
    }
    return worst;
}

int write_slurm(const Spec &spec, Manifest &m, const std::string &out, const Grouping &g,
                const std::vector<std::string> &sbatch_options) {
    std::string dir = absolute(out);
    if (!prepare_dir(dir, spec, m))
        return 2;
    for (const Point &p : m.points)
        clear_point(dir, p);
    size_t n = m.points.size();
    const size_t per_task = g.per_task, tasks = g.tasks;
    auto quote = [](const std::string &s) {
        std::string q = "'";
        for (char c : s)
            q += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return q + "'";
    };
    std::ostringstream sh;
    sh << "#!/bin/bash\n"
       << "# Written by `cmosim sweep --slurm`: one array task per " << per_task << " point(s) of "
       << dir << "/manifest.json.\n"
       << "# Submit: sbatch " << dir << "/sweep.sbatch\n"
       << "# Merge:  " << m.cmosim << " sweep --collect " << dir << "\n"
       << "#SBATCH --job-name=cmosim-" << (spec.name.empty() ? "sweep" : spec.name) << "\n"
       << "#SBATCH --array=0-" << tasks - 1 << "\n"
       << "#SBATCH --ntasks=1\n"
       << "#SBATCH --cpus-per-task=1\n"
       << "#SBATCH --output=" << dir << "/slurm/task-%a.out\n";
    for (const std::string &o : sbatch_options)
        sh << "#SBATCH " << o << "\n";
    sh << "set -eu\n"
       << "first=$(( SLURM_ARRAY_TASK_ID * " << per_task << " ))\n"
       << "exec " << quote(m.cmosim) << " sweep --run-points " << quote(dir)
       << " \"$first\" $(( first + " << per_task << " ))\n";
    std::string err;
    if (!make_dirs(dir + "/slurm", &err) || !write_file(dir + "/sweep.sbatch", sh.str(), &err)) {
        std::cerr << "cmosim sweep: " << err << "\n";
        return 2;
    }
    chmod((dir + "/sweep.sbatch").c_str(), 0755);
    std::cout << "cmosim sweep: " << grouping_text(g, n) << "\n"
              << "  manifest: " << dir << "/manifest.json\n"
              << "  submit:   sbatch " << dir << "/sweep.sbatch\n"
              << "  merge:    cmosim sweep --collect " << dir << "\n";
    return 0;
}

} // namespace cmosim::sim::sweep
