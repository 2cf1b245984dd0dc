// SPDX-License-Identifier: Apache-2.0
// The small sweep (8 points) run end to end through the cmosim binary: point
// reports, merged CSV, crossover; and bad input stopped before anything runs.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace {

const std::string kCmosim = std::string(CMOSIM_BINARY_DIR) + "/cmosim";
const std::string kSmall = std::string(CMOSIM_SOURCE_DIR) + "/tests/sweep/small-sweep.yaml";

struct Result {
    int code = -1;
    std::string out;
};

Result sh(const std::string &cmd) {
    Result r;
    FILE *p = popen((cmd + " 2>&1").c_str(), "r");
    char buf[4096];
    size_t n;
    while (p && (n = fread(buf, 1, sizeof buf, p)) > 0)
        r.out.append(buf, n);
    int st = p ? pclose(p) : -1;
    r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

std::string slurp(const std::string &path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::string temp_dir() {
    char t[] = "/tmp/cmosim-sweep-test.XXXXXX";
    return mkdtemp(t) ? t : "/tmp";
}

} // namespace

TEST(SweepRunTest, ASmallSweepRunsEveryPointAndMergesThem) {
    std::string out = temp_dir() + "/small";
    Result r = sh(kCmosim + " sweep " + kSmall + " -j2 --out " + out);
    ASSERT_EQ(r.code, 0) << r.out;
    // 8 points, one report each, all ok; the CSV has a header and 8 rows.
    std::string csv = slurp(out + "/points.csv");
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 9) << csv;
    EXPECT_EQ(csv.find(",missing,"), std::string::npos) << csv;
    for (int i = 0; i < 8; ++i) {
        struct stat st;
        std::string p = out + "/points/p000" + std::to_string(i) + ".json";
        EXPECT_EQ(stat(p.c_str(), &st), 0) << p;
    }
    EXPECT_NE(r.out.find("8 points: 8 ok"), std::string::npos) << r.out;
    // A DC CIVAC issues every (4 + 13 cycles at 3 GHz + 40 ns) / 8 = 5.71 ns;
    // the dirty lines' write-backs (2 ns each at 32 GB/s) keep up with that, so
    // va_cmo costs 5.71 ns per line: 23.4 us at 256 KiB, 187 us at 2 MiB. The
    // firmware call costs the SMC, the engine set-up and a 32 MiB SLC tag walk
    // (524288 tags / 8 per ns = 65.5 us) plus the write-backs: about 86 us at
    // 256 KiB, 135 us at 2 MiB. The break-even lies between 256 KiB and 2 MiB.
    EXPECT_NE(r.out.find("(between 256 KiB and 2 MiB); firmware ATTRIBUTES x4 advertises"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("cheapest: va_cmo 4 KiB..256 KiB, smccc 2 MiB"), std::string::npos)
        << r.out;
}

TEST(SweepRunTest, CollectMergesAFolderAgainAndReportsAMissingPoint) {
    std::string out = temp_dir() + "/small";
    ASSERT_EQ(sh(kCmosim + " sweep " + kSmall + " -j2 --out " + out).code, 0);
    std::remove((out + "/points/p0003.json").c_str());
    Result r = sh(kCmosim + " sweep --collect " + out);
    EXPECT_EQ(r.code, 3) << "a missing point is exit 3\n" << r.out;
    EXPECT_NE(r.out.find("8 points: 1 missing 7 ok"), std::string::npos) << r.out;
    EXPECT_NE(slurp(out + "/points.csv").find("p0003,missing,"), std::string::npos);
}

TEST(SweepRunTest, AnInvalidPointStopsTheSweepBeforeAnythingRuns) {
    std::string dir = temp_dir();
    std::ofstream(dir + "/bad.yaml")
        << "base: " CMOSIM_SOURCE_DIR "/configs/sweeps/base/invalidate.yaml\n"
        << "axes:\n"
        << "  - name: size\n"
        << "    path: cpus.0[2].invalidate.size\n"
        << "    values: [4KiB, 2TiB]\n";
    Result r = sh(kCmosim + " sweep " + dir + "/bad.yaml --out " + dir + "/out");
    EXPECT_EQ(r.code, 2) << r.out;
    // 2 TiB from cxl0+0 runs past the 1 TiB region: the loader says so, and
    // the sweep names the point.
    EXPECT_NE(r.out.find("runs past the end of region 'cxl0'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("error: point p0001 (size=2TiB) is not a valid scenario"),
              std::string::npos)
        << r.out;
    struct stat st;
    EXPECT_NE(stat((dir + "/out").c_str(), &st), 0) << "nothing was written";
}

TEST(SweepRunTest, SlurmModeWritesAJobArrayAndAManifest) {
    std::string out = temp_dir() + "/slurm";
    Result r = sh(kCmosim + " sweep " + kSmall + " --slurm --per-task 3 --out " + out +
                  " --sbatch-option=--partition=debug");
    ASSERT_EQ(r.code, 0) << r.out;
    std::string sb = slurp(out + "/sweep.sbatch");
    // 8 points, 3 per task: tasks 0..2 (points 0-2, 3-5, 6-7).
    EXPECT_NE(sb.find("#SBATCH --array=0-2\n"), std::string::npos) << sb;
    EXPECT_NE(sb.find("#SBATCH --partition=debug\n"), std::string::npos) << sb;
    EXPECT_NE(sb.find("first=$(( SLURM_ARRAY_TASK_ID * 3 ))"), std::string::npos) << sb;
    std::string man = slurp(out + "/manifest.json");
    EXPECT_NE(man.find("\"id\": \"p0007\""), std::string::npos) << "every point is listed";
    // What the last array task runs: points 6 and 7 (LAST is clamped to 8).
    Result t = sh(kCmosim + " sweep --run-points " + out + " 6 9");
    EXPECT_EQ(t.code, 0) << t.out;
    EXPECT_EQ(t.out, "p0006 ok\np0007 ok\n");
}
