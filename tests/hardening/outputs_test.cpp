// SPDX-License-Identifier: Apache-2.0
// Outputs never destroy anything (issue 18): a device node or a FIFO named as
// an output is written to, never replaced by a rename; a full device is an
// internal error (exit 3) with no partial file left; an output that names an
// input of the run, or another output, is refused before anything runs.
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <csignal>
#include <fcntl.h>
#include <optional>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

#include "run_cmosim.h"

namespace cmosim::test {
namespace {

const char *kScenario = "platform:\n"
                        "  l1d: { size: 32KiB, ways: 4 }\n"
                        "  slc: { size: 1MiB, ways: 8 }\n"
                        "  memory:\n"
                        "    - { name: cxl0, kind: cxl, base: 0x1000000000, size: 1GiB,\n"
                        "        read_latency: 200ns, bandwidth: 32GB/s }\n"
                        "kernel: { provider: none }\n"
                        "cpus: { 0: [ { store: { base: cxl0, size: 4KiB } } ] }\n";

bool is_kind(const std::string &path, mode_t kind) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == kind;
}

// Runs with --report naming a character device like /dev/null (minor 3) or
// /dev/full (7), made in the test's own directory so that a regression
// replaces nothing of the system's: the node must stay a device and nothing
// else may be left beside it. nullopt when mknod is not allowed (not root).
std::optional<CmosimRun> report_to_device(const TempDir &d, const std::string &name,
                                          unsigned minor) {
    d.write("s.yaml", kScenario);
    if (::mknod(d.file(name).c_str(), S_IFCHR | 0666, makedev(1, minor)) != 0)
        return std::nullopt;
    CmosimRun r = run_cmosim({"run", "s.yaml", "--quiet", "--report", name}, d.path());
    EXPECT_TRUE(is_kind(d.file(name), S_IFCHR)) << "still a device";
    EXPECT_EQ(d.list(), (std::vector<std::string>{name, "s.yaml"})) << "no temporary file";
    return r;
}

TEST(OutputsTest, ADeviceNodeNamedAsTheReportIsWrittenToNotReplaced) {
    TempDir d;
    std::optional<CmosimRun> r = report_to_device(d, "null", 3);
    if (!r)
        GTEST_SKIP() << "mknod needs root";
    EXPECT_EQ(r->exit_code, 0) << r->err;
}

TEST(OutputsTest, AFullDeviceIsAnInternalErrorAndLeavesNoPartialFile) {
    TempDir d;
    std::optional<CmosimRun> r = report_to_device(d, "full", 7);
    if (!r)
        GTEST_SKIP() << "mknod needs root";
    EXPECT_EQ(r->exit_code, 3) << r->err;
    EXPECT_NE(r->err.find("cannot write full: No space left on device"), std::string::npos)
        << r->err;
}

TEST(OutputsTest, ReportToDevStdoutIsPrintedOnStandardOutput) {
    TempDir d;
    d.write("s.yaml", kScenario);
    CmosimRun r = run_cmosim({"run", "s.yaml", "--quiet", "--report", "/dev/stdout"}, d.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    ASSERT_FALSE(r.out.empty());
    EXPECT_TRUE(nlohmann::json::parse(r.out)["complete"].get<bool>());
    EXPECT_TRUE(is_kind("/dev/stdout", S_IFLNK)) << "/dev/stdout is still a link";
}

TEST(OutputsTest, AFifoNamedAsTheReportIsWrittenThrough) {
    TempDir d;
    d.write("s.yaml", kScenario);
    ASSERT_EQ(::mkfifo(d.file("pipe").c_str(), 0644), 0);
    std::string got;
    std::thread reader([&] {
        int fd = ::open(d.file("pipe").c_str(), O_RDONLY);
        char buf[4096];
        ssize_t n;
        while (fd >= 0 && (n = ::read(fd, buf, sizeof buf)) > 0)
            got.append(buf, static_cast<size_t>(n));
        if (fd >= 0)
            ::close(fd);
    });
    CmosimRun r = run_cmosim({"run", "s.yaml", "--quiet", "--report", "pipe"}, d.path());
    reader.join();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(is_kind(d.file("pipe"), S_IFIFO)) << "still a FIFO";
    ASSERT_FALSE(got.empty());
    EXPECT_TRUE(nlohmann::json::parse(got)["complete"].get<bool>());
}

TEST(OutputsTest, ASignalEndsTheWaitForAReaderOfAFifoReport) {
    TempDir d;
    d.write("s.yaml", kScenario);
    ASSERT_EQ(::mkfifo(d.file("pipe").c_str(), 0644), 0);
    Signal sig;
    sig.number = SIGINT;
    sig.after_s = 1.0; // the run takes milliseconds: cmosim waits for a reader by then
    CmosimRun r = run_cmosim({"run", "s.yaml", "--quiet", "--report", "pipe"}, d.path(), sig);
    EXPECT_EQ(r.term_signal, 0) << "the first signal ended the wait, not the process";
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("cannot write pipe: interrupted while waiting for a reader"),
              std::string::npos)
        << r.err;
    EXPECT_TRUE(is_kind(d.file("pipe"), S_IFIFO));
}

TEST(OutputsTest, AScenarioFileNameThatIsNotUtf8StillGetsItsReportAndTrace) {
    TempDir d;
    const std::string name = "bad\xffname.yaml";
    d.write(name, kScenario);
    CmosimRun r =
        run_cmosim({"run", name, "--quiet", "--report", "r.json", "--trace", "t.json"}, d.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // JSON holds UTF-8 only: the byte is written as U+FFFD.
    EXPECT_NE(read_file(d.file("r.json")).find("bad\xef\xbf\xbdname.yaml"), std::string::npos);
    EXPECT_NO_THROW(read_json(d.file("t.json")));
}

TEST(OutputsTest, AReportThroughASymbolicLinkReplacesItsTargetAndKeepsTheLink) {
    TempDir d;
    d.write("s.yaml", kScenario);
    d.write("real.json", "old");
    ASSERT_EQ(::symlink("real.json", d.file("link.json").c_str()), 0);
    CmosimRun r = run_cmosim({"run", "s.yaml", "--quiet", "--report", "link.json"}, d.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(is_kind(d.file("link.json"), S_IFLNK));
    EXPECT_TRUE(read_json(d.file("real.json"))["complete"].get<bool>());
}

TEST(OutputsTest, AnOutputNamingTheScenarioLeavesTheScenarioAlone) {
    TempDir d;
    d.write("s.yaml", kScenario);
    CmosimRun r = run_cmosim({"run", "s.yaml", "--quiet", "--report", "./s.yaml"}, d.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(read_file(d.file("s.yaml")), kScenario);
}

TEST(OutputsTest, AnOutputNamingAHardLinkOfTheScenarioLeavesItAlone) {
    TempDir d;
    d.write("s.yaml", kScenario);
    ASSERT_EQ(::link(d.file("s.yaml").c_str(), d.file("h.yaml").c_str()), 0);
    CmosimRun r = run_cmosim({"run", "s.yaml", "--quiet", "--csv", "h.yaml"}, d.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(read_file(d.file("s.yaml")), kScenario);
}

TEST(OutputsTest, ReplayCgOutNamingTheTraceLeavesTheTraceAlone) {
    TempDir d;
    const std::string trace = "I  0400d7d4,8\n L 7ff000398,8\n";
    d.write("t.lackey", trace);
    CmosimRun r = run_cmosim({"replay", "--cg-out=t.lackey", "t.lackey"}, d.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(read_file(d.file("t.lackey")), trace);
}

TEST(OutputsTest, TwoOutputsOfOneRunMayNotShareAFileButMayShareDevNull) {
    TempDir d;
    d.write("s.yaml", kScenario);
    CmosimRun r = run_cmosim(
        {"run", "s.yaml", "--quiet", "--report", "x.json", "--junit", "x.json"}, d.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(d.list(), std::vector<std::string>{"s.yaml"}) << "nothing written";
    r = run_cmosim({"run", "s.yaml", "--quiet", "--report", "/dev/null", "--junit", "/dev/null"},
                   d.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(is_kind("/dev/null", S_IFCHR));
}

} // namespace
} // namespace cmosim::test
