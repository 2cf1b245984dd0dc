// SPDX-License-Identifier: Apache-2.0
// cmosim replay against Valgrind's cachegrind, count for count: each program
// of tests/replay/programs is compiled, traced once under lackey and run under
// cachegrind for three cache geometries; cmosim replay of the trace with the
// same geometry must give all nine summary events exactly. Skipped (with the
// reason) when valgrind or a C compiler is missing.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli_run.h"

using cmosim::test::make_temp_dir;
using cmosim::test::read_text;
using cmosim::test::run_cmosim;
using cmosim::test::source_path;

namespace {

bool on_path(const std::string &tool) {
    const char *path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string d;
    while (std::getline(dirs, d, ':'))
        if (!d.empty() && access((d + "/" + tool).c_str(), X_OK) == 0)
            return true;
    return false;
}

std::string find_tool(const std::string &tool) {
    const char *path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string d;
    while (std::getline(dirs, d, ':'))
        if (!d.empty() && access((d + "/" + tool).c_str(), X_OK) == 0)
            return d + "/" + tool;
    return tool;
}

// Runs argv; valgrind with an empty environment: the traced program must see
// the same environment (and so the same stack layout) under lackey and
// cachegrind.
int run(std::vector<std::string> argv, const std::string &log) {
    const bool clean_env = argv[0] == "valgrind";
    argv[0] = find_tool(argv[0]);
    std::vector<char *> a;
    for (std::string &s : argv)
        a.push_back(s.data());
    a.push_back(nullptr);
    char *envp[] = {nullptr};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    pid_t pid = -1;
    int status = -1;
    if (posix_spawn(&pid, a[0], &fa, nullptr, a.data(), clean_env ? envp : environ) == 0)
        waitpid(pid, &status, 0);
    posix_spawn_file_actions_destroy(&fa);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string summary_of(const std::string &cg_out) {
    std::string t = read_text(cg_out);
    size_t p = t.find("\nsummary: ");
    return p == std::string::npos ? "(no summary in " + cg_out + ")"
                                  : t.substr(p + 10, t.find('\n', p + 1) - p - 10);
}

// Six geometries: small and low-associativity with a direct-mapped D1 and
// 32 B lines, a small LL that evicts often, a typical desktop L1,
// associativities that are not powers of two (3, 12, 12 ways; 64, 64 and 512
// sets), as cachegrind reads them off many CPUs, and fully associative caches
// (one set each: a record's two lines share the LL's set, so the order in
// which it reaches the LL counts), the last of more than 64 ways.
struct Geometry {
    const char *i1, *d1, *ll;
} const kGeometries[] = {
    // clang-format off
    {"8192,2,64", "8192,4,64", "65536,4,64"},
    {"16384,4,32", "4096,1,32", "32768,8,32"},
    {"32768,8,64", "32768,8,64", "262144,16,64"},
    {"12288,3,64", "49152,12,64", "393216,12,64"},
    {"1024,16,64", "1024,16,64", "4096,64,64"},
    {"8192,128,64", "16384,256,64", "65536,1024,64"},
    // clang-format on
};

class Cachegrind : public ::testing::TestWithParam<const char *> {};

TEST_P(Cachegrind, AllNineCountsAgree) {
    if (!on_path("valgrind"))
        GTEST_SKIP() << "valgrind is not installed (scripts/setup.sh installs it): nothing to "
                        "compare cmosim replay with";
    if (!on_path("cc"))
        GTEST_SKIP() << "no C compiler (cc) to build the traced program";
    const std::string name = GetParam();
    const std::string dir = make_temp_dir();
    const std::string log = dir + "/log.txt";
    const std::string prog = dir + "/" + name;
    ASSERT_EQ(run({"cc", "-std=c11", "-O2", "-o", prog,
                   source_path("tests/replay/programs/" + name + ".c")},
                  log),
              0)
        << read_text(log);
    const std::string trace = dir + "/" + name + ".lk";
    ASSERT_EQ(
        run({"valgrind", "--tool=lackey", "--trace-mem=yes", "--log-file=" + trace, prog}, log), 0)
        << read_text(log);
    for (const Geometry &g : kGeometries) {
        const std::string i1 = std::string("--I1=") + g.i1, d1 = std::string("--D1=") + g.d1,
                          ll = std::string("--LL=") + g.ll;
        const std::string cg = dir + "/cachegrind.out", ours = dir + "/cmosim.out";
        ASSERT_EQ(run({"valgrind", "--tool=cachegrind", "--cache-sim=yes", i1, d1, ll,
                       "--cachegrind-out-file=" + cg, prog},
                      log),
                  0)
            << read_text(log);
        auto r = run_cmosim({"replay", i1, d1, ll, "--cg-out=" + ours, trace}, dir);
        ASSERT_EQ(r.code, 0) << r.err;
        // Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw
        EXPECT_EQ(summary_of(ours), summary_of(cg)) << name << " " << i1 << " " << d1 << " " << ll;
    }
}

INSTANTIATE_TEST_SUITE_P(Programs, Cachegrind,
                         ::testing::Values("strided_sweep", "pointer_chase", "unaligned_copy"));

} // namespace
