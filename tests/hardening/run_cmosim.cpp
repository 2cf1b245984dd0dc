// SPDX-License-Identifier: Apache-2.0
#include "run_cmosim.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace cmosim::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
    std::string tmpl = std::string(CMOSIM_BINARY_DIR) + "/hardening-XXXXXX";
    if (!mkdtemp(tmpl.data()))
        throw std::runtime_error("mkdtemp failed");
    m_path = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

void TempDir::write(const std::string &name, const std::string &text) const {
    std::ofstream f(file(name), std::ios::binary);
    f << text;
}

std::vector<std::string> TempDir::list(const std::string &sub) const {
    std::vector<std::string> names;
    for (const auto &e : fs::directory_iterator(sub.empty() ? m_path : file(sub)))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string source_path(const std::string &rel) {
    return std::string(CMOSIM_SOURCE_DIR) + "/" + rel;
}

std::string read_file(const std::string &path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream o;
    o << f.rdbuf();
    return o.str();
}

nlohmann::json read_json(const std::string &path) {
    return nlohmann::json::parse(read_file(path));
}

CmosimRun run_cmosim(const std::vector<std::string> &args, const std::string &cwd,
                     const Signal &sig) {
    const std::string bin = std::string(CMOSIM_BINARY_DIR) + "/cmosim";
    const std::string out_path = cwd + "/.stdout", err_path = cwd + "/.stderr";
    std::vector<char *> argv;
    argv.push_back(const_cast<char *>(bin.c_str()));
    for (const std::string &a : args)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);

    CmosimRun r;
    auto t0 = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        if (chdir(cwd.c_str()) != 0)
            _exit(127);
        int o = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (o < 0 || e < 0)
            _exit(127);
        dup2(o, 1);
        dup2(e, 2);
        // The test runner may have left these ignored or blocked; the child
        // must start with the defaults a shell gives it.
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        if (sig.address_space) {
            struct rlimit rl {
                sig.address_space, sig.address_space
            };
            if (setrlimit(RLIMIT_AS, &rl) != 0)
                _exit(127);
        }
        execv(bin.c_str(), argv.data());
        _exit(127);
    }
    if (sig.number) {
        for (;;) {
            double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            bool ready = sig.once_exists.empty() ? t >= sig.after_s
                                                 : fs::exists(cwd + "/" + sig.once_exists);
            int status;
            if (waitpid(pid, &status, WNOHANG) == pid) {
                // Ended before the signal could be sent: record that.
                r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
                r.term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
                r.out = read_file(out_path);
                r.err = read_file(err_path) + "\n[test: the process ended before the signal]";
                return r;
            }
            if (ready)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        for (int i = 0; i < sig.count; ++i) {
            if (i)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            kill(pid, sig.number);
        }
    }
    int status = 0;
    rusage ru{};
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.term_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    r.max_rss_kb = ru.ru_maxrss;
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    fs::remove(out_path);
    fs::remove(err_path);
    return r;
}

} // namespace cmosim::test
