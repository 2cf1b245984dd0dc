// SPDX-License-Identifier: Apache-2.0
// cmosim run with several scenarios: SystemC elaborates once per process, so
// each scenario runs in a child process (this executable, single-scenario
// form) with its outputs in a private work directory; the parent prints one
// line per scenario in input order and merges the outputs.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "sweep/sweep.h"
#include "report/csv.h"
#include "report/trace_events.h"
#include "cli/revisions.h"
#include "cli/run.h"
#include "run/run_control.h"

extern char **environ;

namespace cmosim::sim::cli {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

bool is_scenario_name(const std::string &name) {
    auto ends = [&](const std::string &e) {
        return name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0;
    };
    return !name.empty() && name[0] != '.' && (ends(".yaml") || ends(".yml"));
}

bool read_file(const std::string &path, std::string *out) {
    std::ifstream f(path, std::ios::binary);
    if (!f)
        return false;
    std::ostringstream o;
    o << f.rdbuf();
    *out = o.str();
    return true;
}

std::string stem_of(const std::string &file) {
    std::string name, cls;
    junit_names(file, &name, &cls);
    return name;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

std::string seconds_text(double s) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(2) << s << " s";
    return o.str();
}

// One scenario's child process and where its outputs go.
struct Job {
    std::string file;
    std::string provider_src, report_name; // its revision ("": as the options say), --report file
    std::string report, trace, csv, out, err; // in the work directory
    pid_t pid = -1;
    Clock::time_point start;
    bool done = false;
    ScenarioResult result;
    RevisionRow figures; // from its report, parsed once when it ended
};

bool spawn(Job &job, const RunOptions &o) {
    std::vector<std::string> args = {"cmosim", "run", job.file, "--quiet", "--report", job.report};
    if (!o.trace.empty())
        args.insert(args.end(), {"--trace", job.trace});
    if (!o.csv.empty())
        args.insert(args.end(), {"--csv", job.csv});
    for (const std::string &set : o.sets)
        args.insert(args.end(), {"--set", set});
    if (!job.provider_src.empty())
        args.insert(args.end(), {"--provider-src", job.provider_src});
    if (!o.framework_src.empty())
        args.insert(args.end(), {"--framework-src", o.framework_src});
    for (const auto &[opt, value] :
         {std::pair<const char *, const std::string &>{"--max-sim-time", o.max_sim_time},
          {"--max-wall-time", o.max_wall_time},
          {"--max-events", o.max_events},
          {"--max-memory", o.max_memory}})
        if (!value.empty())
            args.insert(args.end(), {opt, value});
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, job.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, job.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    // Each child in a process group of its own: a Ctrl-C at the terminal
    // reaches the parent only, which passes it on exactly once (a second
    // SIGINT would make a child die without its report).
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    job.start = Clock::now();
    int rc = posix_spawn(&job.pid, "/proc/self/exe", &fa, &attr, argv.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        job.result.status = ScenarioResult::Status::Internal;
        job.result.rc = kInternal;
        job.result.error = std::string("cannot start a process: ") + std::strerror(rc);
        job.done = true;
        return false;
    }
    return true;
}

// What the child's exit status, report and error output say.
void classify(Job &job, int status) {
    ScenarioResult &r = job.result;
    r.seconds = std::chrono::duration<double>(Clock::now() - job.start).count();
    std::string err, report;
    read_file(job.err, &err);
    bool have_report = read_file(job.report, &report) && !report.empty();
    bool complete = true;
    if (have_report) {
        try {
            // Parsed once: what it says is taken out here.
            const nlohmann::json rep = nlohmann::json::parse(report);
            complete = rep.value("complete", true);
            read_verdicts(rep, &r);
            read_revision_figures(rep, &job.figures);
        } catch (const std::exception &e) {
            have_report = false;
            job.figures = RevisionRow{};
            err += std::string("unreadable report: ") + e.what() + "\n";
        }
    }
    r.error = trim(err);
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        r.status = ScenarioResult::Status::Internal;
        r.rc = kInternal;
        r.error = "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")" +
                  (r.error.empty() ? "" : "\n" + r.error);
        return;
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : kInternal;
    switch (code) {
    case kPass:
        r.status = ScenarioResult::Status::Pass;
        r.rc = kPass;
        break;
    case kExpectFailed:
        r.status = ScenarioResult::Status::Fail;
        r.rc = kExpectFailed;
        break;
    case kBadInput:
        r.status = ScenarioResult::Status::BadInput;
        r.rc = kBadInput;
        break;
    case kInternal:
        r.status = have_report && !complete ? ScenarioResult::Status::Limit
                                            : ScenarioResult::Status::Internal;
        r.rc = kInternal;
        break;
    default:
        r.status = ScenarioResult::Status::Internal;
        r.rc = kInternal;
        r.error = "exit code " + std::to_string(code) + (r.error.empty() ? "" : "\n" + r.error);
        break;
    }
}

// "PASS   file  (3 of 3 expectations, 0.21 s)" and, under it, what went wrong.
std::string result_line(const ScenarioResult &r) {
    const std::string file = r.revision.empty() ? r.file : r.file + " [" + r.revision + "]";
    std::ostringstream o;
    auto counts = [&]() {
        return std::to_string(r.passed) + " of " + std::to_string(r.expectations) +
               " expectations, ";
    };
    switch (r.status) {
    case ScenarioResult::Status::Pass:
        o << "PASS   " << file << "  (" << counts() << seconds_text(r.seconds) << ")\n";
        break;
    case ScenarioResult::Status::Fail:
        o << "FAIL   " << file << "  (" << counts() << seconds_text(r.seconds) << ")\n";
        for (const std::string &m : r.failed)
            o << "       " << m << "\n";
        break;
    case ScenarioResult::Status::BadInput:
        o << "ERROR  " << file << "  (bad input, " << seconds_text(r.seconds) << ")\n";
        break;
    case ScenarioResult::Status::Limit:
        o << "LIMIT  " << file << "  (limit reached, report incomplete, " << seconds_text(r.seconds)
          << ")\n";
        break;
    case ScenarioResult::Status::Internal:
        o << "ERROR  " << file << "  (internal error, " << seconds_text(r.seconds) << ")\n";
        break;
    case ScenarioResult::Status::NotRun:
        o << "NOTRUN " << file << "\n";
        break;
    }
    if (r.status != ScenarioResult::Status::Pass && r.status != ScenarioResult::Status::Fail) {
        std::istringstream in(r.error);
        std::string line;
        while (std::getline(in, line))
            o << "       " << line << "\n";
    }
    return o.str();
}

// Removes the work directory however the suite ends.
struct WorkDir {
    std::string path;
    ~WorkDir() {
        if (!path.empty()) {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    }
};

} // namespace

bool expand_inputs(const std::vector<std::string> &inputs, std::vector<std::string> *files,
                   bool *suite, std::string *err) {
    *suite = inputs.size() > 1;
    for (const std::string &in : inputs) {
        std::error_code ec;
        if (!fs::is_directory(in, ec)) {
            files->push_back(in);
            continue;
        }
        *suite = true;
        std::vector<std::string> names;
        for (const fs::directory_entry &e : fs::directory_iterator(in, ec)) {
            std::string name = e.path().filename().string();
            std::error_code ec2;
            if (is_scenario_name(name) && fs::is_regular_file(e.path(), ec2))
                names.push_back(name);
        }
        if (ec) {
            *err = in + ": error: cannot read the directory: " + ec.message();
            return false;
        }
        if (names.empty()) {
            *err = in + ": error: no *.yaml or *.yml scenario in this directory "
                        "(subdirectories are not searched)";
            return false;
        }
        std::sort(names.begin(), names.end());
        std::string dir = in;
        while (dir.size() > 1 && dir.back() == '/')
            dir.pop_back();
        for (const std::string &n : names)
            files->push_back(dir + "/" + n);
    }
    return true;
}

int run_suite(const std::vector<std::string> &files, const RunOptions &o) {
    const auto t0 = Clock::now();
    JunitSuite js = junit_suite_started();
    // Kernel sources from the command line are built once, here: compiler
    // errors show once, and the children find the objects in the cache.
    if (std::string err; !build_revisions(o, &err)) {
        std::cerr << "cmosim run: " << err << "\n";
        return kBadInput;
    }
    // Several --provider-src: every scenario once per revision.
    const std::vector<std::string> revisions =
        o.provider_srcs.size() > 1 ? o.provider_srcs : std::vector<std::string>{};
    const std::vector<std::string> labels = revision_labels(revisions);
    const size_t per_file = std::max<size_t>(1, revisions.size());
    // Outputs that would overwrite each other are refused before anything runs.
    if (!o.report.empty()) {
        std::error_code ec;
        if (fs::exists(o.report, ec) && !fs::is_directory(o.report, ec)) {
            std::cerr << "cmosim run: --report " << o.report
                      << ": with several scenarios --report names a directory, and this is a "
                         "file\n";
            return kBadInput;
        }
        std::map<std::string, std::string> by_stem;
        for (const std::string &f : files) {
            auto [it, fresh] = by_stem.emplace(stem_of(f), f);
            if (!fresh) {
                std::cerr << "cmosim run: --report " << o.report << ": " << it->second << " and "
                          << f << " would both write " << it->first << ".json\n";
                return kBadInput;
            }
        }
        fs::create_directories(o.report, ec);
        if (ec) {
            std::cerr << "cmosim run: --report " << o.report << ": " << ec.message() << "\n";
            return kBadInput;
        }
    }
    unsigned jobs = o.jobs;
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? static_cast<unsigned>(n) : 1;
    }

    WorkDir work;
    {
        std::string err;
        work.path = sweep::make_work_dir("cmosim-run", &err);
        if (work.path.empty()) {
            std::cerr << "cmosim run: " << err << "\n";
            return kInternal;
        }
    }
    std::vector<Job> all(files.size() * per_file);
    for (size_t i = 0; i < all.size(); ++i) {
        Job &j = all[i];
        const std::string base = work.path + "/" + std::to_string(i);
        j.file = files[i / per_file];
        j.result.file = j.file;
        j.provider_src = !revisions.empty()         ? revisions[i % per_file]
                         : !o.provider_srcs.empty() ? o.provider_srcs[0]
                                                    : "";
        j.result.revision = revisions.empty() ? "" : labels[i % per_file];
        j.report_name = revision_report_name(stem_of(j.file), j.result.revision);
        j.report = base + ".json";
        j.trace = base + ".trace.json";
        j.csv = base + ".csv";
        j.out = base + ".out";
        j.err = base + ".err";
    }

    // Start up to `jobs` children; print results in input order as they end.
    std::map<pid_t, size_t> running;
    std::string log; // the printed lines, for the JUnit system-out
    size_t next = 0, printed = 0;
    auto print_ready = [&]() {
        while (printed < all.size() && all[printed].done) {
            const ScenarioResult &r = all[printed++].result;
            std::string line = result_line(r);
            log += line;
            if (!o.quiet || r.status != ScenarioResult::Status::Pass)
                std::cout << line << std::flush;
        }
    };
    // SIGINT/SIGTERM: start nothing more, pass the signal to the running
    // children (each stops and writes its report, marked incomplete), and
    // finish the suite's outputs with what there is; exit code 3.
    // Without SA_RESTART, so that waitpid() returns when one arrives.
    ScopedStopSignals signals(false);
    int interrupted = 0;
    auto interrupt = [&](int sig) {
        interrupted = sig;
        for (const auto &[pid, index] : running)
            kill(pid, sig);
        const std::string why = std::string("not started: the suite was interrupted by ") +
                                (sig == SIGINT ? "SIGINT" : "SIGTERM");
        for (; next < all.size(); ++next) {
            ScenarioResult &r = all[next].result;
            r.status = ScenarioResult::Status::NotRun;
            r.rc = kInternal;
            r.error = why;
            all[next].done = true;
        }
    };
    while (printed < all.size()) {
        if (!interrupted && stop_signal_received())
            interrupt(stop_signal_received());
        while (running.size() < jobs && next < all.size()) {
            Job &j = all[next];
            if (spawn(j, o))
                running[j.pid] = next;
            ++next;
        }
        print_ready();
        if (running.empty())
            continue;
        int status = 0;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR) // a signal: handled at the top of the loop
                continue;
            std::cerr << "cmosim run: waitpid: " << std::strerror(errno) << "\n";
            return kInternal;
        }
        auto it = running.find(pid);
        if (it == running.end())
            continue;
        Job &j = all[it->second];
        running.erase(it);
        classify(j, status);
        j.done = true;
        print_ready();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();

    int rc = kPass;
    std::string comparison; // comparison.json, with several revisions
    size_t counts[6] = {};
    for (const Job &j : all) {
        rc = std::max(rc, j.result.rc);
        counts[static_cast<int>(j.result.status)]++;
    }
    using S = ScenarioResult::Status;
    std::ostringstream total;
    if (!revisions.empty()) {
        std::vector<RevisionRow> rows;
        for (const Job &j : all) {
            RevisionRow row = j.figures;
            row.scenario = stem_of(j.file);
            row.revision = j.result.revision;
            row.status = j.result.status;
            rows.push_back(std::move(row));
        }
        const std::string table = "\n" + comparison_table(rows);
        log += table;
        if (!o.quiet)
            std::cout << table;
        comparison = comparison_json(revisions, labels, rows).dump(2) + "\n";
    }
    total << "\n"
          << all.size() << (revisions.empty() ? " scenarios: " : " runs: ") << counts[int(S::Pass)]
          << " passed, " << counts[int(S::Fail)] << " failed, "
          << counts[int(S::BadInput)] + counts[int(S::Internal)]
          << (counts[int(S::BadInput)] + counts[int(S::Internal)] == 1 ? " error" : " errors");
    if (counts[int(S::Limit)])
        total << ", " << counts[int(S::Limit)] << " incomplete";
    if (counts[int(S::NotRun)])
        total << ", " << counts[int(S::NotRun)] << " not run";
    if (interrupted)
        total << ", interrupted by " << (interrupted == SIGINT ? "SIGINT" : "SIGTERM");
    total << "  (" << seconds_text(seconds) << " wall, -j " << jobs << ")\n";
    log += total.str();
    if (!o.quiet)
        std::cout << total.str();

    // Merge the outputs; a file that cannot be created is bad input (the
    // path came from the command line), one whose writing fails (a full
    // disk) an internal error, as for one scenario.
    std::string err;
    int write_rc = 0;
    auto fail_write = [&]() {
        std::cerr << "cmosim run: " << err << "\n";
        return std::max(rc, write_rc);
    };
    if (!o.report.empty()) {
        for (const Job &j : all) {
            std::string text;
            if (read_file(j.report, &text) && !text.empty() &&
                (write_rc = write_output(o.report + "/" + j.report_name, text, &err)) != 0)
                return fail_write();
        }
        if (!comparison.empty() &&
            (write_rc = write_output(o.report + "/comparison.json", comparison, &err)) != 0)
            return fail_write();
    }
    if (!o.trace.empty()) {
        std::vector<std::string> traces;
        for (const Job &j : all) {
            std::string text;
            if (read_file(j.trace, &text) && !text.empty())
                traces.push_back(std::move(text));
        }
        if ((write_rc = write_output(o.trace, merge_traces(traces), &err)) != 0)
            return fail_write();
    }
    if (!o.csv.empty()) {
        std::string csv = invalidate_csv_header();
        for (const Job &j : all) {
            std::string text;
            if (read_file(j.csv, &text) && !text.empty())
                csv += text.substr(std::min(text.size(), text.find('\n') + 1));
        }
        if ((write_rc = write_output(o.csv, csv, &err)) != 0)
            return fail_write();
    }
    if (!o.junit.empty()) {
        js.seconds = seconds;
        js.properties.push_back({"jobs", std::to_string(jobs)});
        for (size_t r = 0; r < revisions.size(); ++r)
            js.properties.push_back({"revision " + labels[r], revisions[r]});
        for (const Job &j : all)
            js.cases.push_back(junit_case(j.result));
        js.system_out = log;
        if ((write_rc = write_output(o.junit, junit_xml(js), &err)) != 0)
            return fail_write();
    }
    if (!o.quiet)
        for (const auto &[what, path] :
             {std::pair<const char *, const std::string &>{"reports", o.report},
              {"trace", o.trace},
              {"csv", o.csv},
              {"junit", o.junit}})
            if (!path.empty())
                std::cout << what << ": " << path << "\n";
    return rc;
}

} // namespace cmosim::sim::cli
