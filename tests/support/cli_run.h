// SPDX-License-Identifier: Apache-2.0
// Run the cmosim executable from a test, as a user would, and read its files.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace cmosim::test {

struct CliResult {
    int code = -1; // exit code; -1 when killed by a signal
    std::string out, err;
};

inline std::string read_text(const std::string &path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream o;
    o << f.rdbuf();
    return o.str();
}

inline bool file_exists(const std::string &path) {
    return access(path.c_str(), F_OK) == 0;
}

// A fresh directory for one test's outputs (under the build tree).
inline std::string make_temp_dir() {
    std::string t = std::string(CMOSIM_BINARY_DIR) + "/test-out.XXXXXX";
    if (!mkdtemp(t.data()))
        std::abort();
    return t;
}

inline std::string source_path(const std::string &rel) {
    return std::string(CMOSIM_SOURCE_DIR) + "/" + rel;
}

// cmosim <args>, stdout and stderr captured through files in `dir`.
inline CliResult run_cmosim(const std::vector<std::string> &args, const std::string &dir) {
    std::vector<std::string> all = {"cmosim"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char *> argv;
    for (std::string &a : all)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string out = dir + "/cmosim.stdout", err = dir + "/cmosim.stderr";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const std::string exe = std::string(CMOSIM_BINARY_DIR) + "/cmosim";
    pid_t pid = -1;
    CliResult r;
    if (posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), environ) == 0) {
        int status = 0;
        waitpid(pid, &status, 0);
        r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    r.out = read_text(out);
    r.err = read_text(err);
    return r;
}

} // namespace cmosim::test
