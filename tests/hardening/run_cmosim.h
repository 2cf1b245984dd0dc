// SPDX-License-Identifier: Apache-2.0
// Runs the real cmosim binary as a user (or CI) would: in a directory of its
// own, with stdout and stderr captured, its exit status and peak memory
// recorded, and optionally a signal sent while it runs.
#ifndef CMOSIM_TESTS_HARDENING_RUN_CMOSIM_H
#define CMOSIM_TESTS_HARDENING_RUN_CMOSIM_H

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cmosim::test {

struct CmosimRun {
    int exit_code = -1;   // -1 when it died of a signal
    int term_signal = 0;  // the signal that ended it, if any
    std::string out, err; // what it printed
    long max_rss_kb = 0;  // peak resident memory
    double seconds = 0;   // host time it took
};

// A fresh directory under the build tree, removed with the object.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;
    const std::string &path() const { return m_path; }
    std::string file(const std::string &name) const { return m_path + "/" + name; }
    void write(const std::string &name, const std::string &text) const;
    // File names, sorted, in the directory or in its subdirectory `sub`.
    std::vector<std::string> list(const std::string &sub = {}) const;

private:
    std::string m_path;
};

struct Signal {
    int number = 0;          // 0: none
    double after_s = 0;      // sent this long after the start...
    std::string once_exists; // ...or as soon as this file exists (if set)
    int count = 1;           // how many, 50 ms apart
    // Not a signal: the child's address-space limit (RLIMIT_AS) in bytes, so
    // that its allocations fail as on a host out of memory (0: none).
    unsigned long long address_space = 0;
};

// Run `cmosim args...` in `cwd`.
CmosimRun run_cmosim(const std::vector<std::string> &args, const std::string &cwd,
                     const Signal &sig = {});

std::string source_path(const std::string &rel); // CMOSIM_SOURCE_DIR/rel
std::string read_file(const std::string &path);
nlohmann::json read_json(const std::string &path);

} // namespace cmosim::test

#endif
