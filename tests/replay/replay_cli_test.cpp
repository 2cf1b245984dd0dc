// SPDX-License-Identifier: Apache-2.0
// cmosim replay and the replay step as users meet them: the semantics of
// straddling and modify records, relocation into CXL memory, several CPUs at
// once, the cachegrind out-file, and bad traces (exit 2, file:line).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "cli_run.h"

using cmosim::test::make_temp_dir;
using cmosim::test::read_text;
using cmosim::test::run_cmosim;
using json = nlohmann::json;

namespace {

std::string write_file(const std::string &dir, const std::string &name, const std::string &text) {
    std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// The nine counts of a --cg-out file's summary line.
std::string summary_of(const std::string &cg_out) {
    std::string t = read_text(cg_out);
    size_t p = t.find("summary: ");
    return p == std::string::npos ? "" : t.substr(p + 9, t.find('\n', p) - p - 9);
}

// D1 and I1 of 1 KiB, 2 ways, 64 B lines: 8 sets; LL 8 KiB, 4 ways.
const std::string kI1 = "--I1=1024,2,64", kD1 = "--D1=1024,2,64", kLL = "--LL=8192,4,64";

TEST(ReplayCli, StraddleIsOneReferenceMissingIfEitherLineMisses) {
    std::string dir = make_temp_dir();
    std::string trace = write_file(dir, "t.lk",
                                   " L 1040,8\n"   // line 0x1040: miss
                                   " L 107c,8\n"   // 0x1040 hit, 0x1080 miss: one miss
                                   " L 1078,8\n"   // both hit
                                   "I  2000,4\n"   // I1 miss
                                   "I  203e,4\n"   // 0x2000 hit, 0x2040 miss
                                   " S 3000,4\n"); // write miss
    auto r = run_cmosim({"replay", kI1, kD1, kLL, "--cg-out=" + dir + "/cg.out", trace}, dir);
    ASSERT_EQ(r.code, 0) << r.err;
    // Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw
    EXPECT_EQ(summary_of(dir + "/cg.out"), "2 2 2 3 2 2 1 1 1");
    EXPECT_NE(r.out.find("D refs:        4  (3 rd + 1 wr)"), std::string::npos) << r.out;
}

TEST(ReplayCli, ModifyIsOneReadThatDirtiesTheLine) {
    std::string dir = make_temp_dir();
    // M at 0x4000, then two more lines of the same D1 set (8 sets x 64 B:
    // stride 512 B) evict it from the 2-way set: a write-back.
    std::string trace = write_file(dir, "m.lk", " M 4000,8\n L 4200,8\n L 4400,8\n");
    auto r = run_cmosim({"replay", kI1, kD1, kLL, "--cg-out=" + dir + "/cg.out",
                         "--report=" + dir + "/r.json", trace},
                        dir);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(summary_of(dir + "/cg.out"), "0 0 0 3 3 3 0 0 0");
    json rep = json::parse(read_text(dir + "/r.json"));
    bool seen = false;
    for (auto &c : rep["platform"]["caches"])
        if (c["name"] == "cpu0_l1d") {
            seen = true;
            EXPECT_EQ(c["writebacks"], 1) << c.dump();
            EXPECT_EQ(c["evictions"], 1) << c.dump();
        }
    EXPECT_TRUE(seen);
    EXPECT_EQ(rep["replays"][0]["events"]["Dr"], 3);
    EXPECT_EQ(rep["replays"][0]["records"], 3);
}

TEST(ReplayCli, CgOutFileHasCachegrindsHeader) {
    std::string dir = make_temp_dir();
    std::string trace = write_file(dir, "h.lk", "I  1000,4\n L 2000,8\n");
    auto r = run_cmosim({"replay", "--I1=16384,4,32", "--D1=8192,2,32", "--LL=131072,8,32",
                         "--cg-out=" + dir + "/cg.out", trace},
                        dir);
    ASSERT_EQ(r.code, 0) << r.err;
    std::string t = read_text(dir + "/cg.out");
    EXPECT_EQ(t.rfind("desc: I1 cache:         16384 B, 32 B, 4-way associative\n"
                      "desc: D1 cache:         8192 B, 32 B, 2-way associative\n"
                      "desc: LL cache:         131072 B, 32 B, 8-way associative\n"
                      "cmd: cmosim replay " +
                          trace +
                          "\n"
                          "events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw\n",
                      0),
              0u)
        << t;
    EXPECT_EQ(summary_of(dir + "/cg.out"), "1 1 1 1 1 1 0 0 0");
}

TEST(ReplayCli, LimitStopsEarly) {
    std::string dir = make_temp_dir();
    std::string trace = write_file(dir, "l.lk", "I  1000,4\nI  1004,4\nI  1008,4\n L 0,1\n");
    auto r = run_cmosim({"replay", "--limit=2", "--cg-out=" + dir + "/cg.out", trace}, dir);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(summary_of(dir + "/cg.out"), "2 1 1 0 0 0 0 0 0");
}

// --warmup=N: the first N records run functionally, counted apart; the
// timed rest's counts are the whole trace's less the first N records', and
// the caches end as the all-timed replay leaves them.
TEST(ReplayCli, WarmupCountsTheFunctionalPartApartFromTheTimedRest) {
    std::string dir = make_temp_dir();
    std::string text;
    uint64_t x = 7;
    for (int i = 0; i < 3000; ++i) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        const char *kind[4] = {"I ", " L", " S", " M"};
        char line[64];
        // 32 KiB of data and 4 KiB of code: misses in every level.
        std::snprintf(line, sizeof line, "%s %llx,%d\n", kind[(x >> 60) % 4],
                      (x >> 60) % 4 ? 0x10000ull + (x >> 20) % 32768 : 0x4000ull + (x >> 30) % 4096,
                      (x >> 59) % 2 ? 8 : 4);
        text += line;
    }
    std::string trace = write_file(dir, "w.lk", text);
    auto counts = [](const std::string &s) {
        std::vector<long long> v;
        std::istringstream in(s);
        for (long long n; in >> n;)
            v.push_back(n);
        return v;
    };
    auto run = [&](const std::string &name, const std::string &opt) {
        auto r = run_cmosim({"replay", kI1, kD1, kLL, "--cg-out=" + dir + "/" + name + ".cg",
                             "--report=" + dir + "/" + name + ".json", opt, trace},
                            dir);
        EXPECT_EQ(r.code, 0) << r.err;
        return json::parse(read_text(dir + "/" + name + ".json"));
    };
    json all = run("all", "--limit=3000");
    json first = run("first", "--limit=1000");
    json warm = run("warm", "--warmup=1000");
    const std::vector<long long> a = counts(summary_of(dir + "/all.cg")),
                                 f = counts(summary_of(dir + "/first.cg")),
                                 w = counts(summary_of(dir + "/warm.cg"));
    ASSERT_EQ(a.size(), 9u);
    ASSERT_EQ(w.size(), 9u);
    for (size_t i = 0; i < 9; ++i)
        EXPECT_EQ(w[i], a[i] - f[i]) << "count " << i << " of the timed part";
    const json &r = warm["replays"][0];
    EXPECT_EQ(r["records"], 2000);
    EXPECT_EQ(r["warmup"]["records"], 1000);
    EXPECT_EQ(r["warmup"]["events"], first["replays"][0]["events"]);
    EXPECT_FALSE(all["replays"][0].contains("warmup")) << "no warm-up, no field";
    EXPECT_LT(r["end_ps"], all["replays"][0]["end_ps"]) << "the warm-up takes no time";
    EXPECT_GT(a[4], f[4]) << "the timed part has D1 read misses of its own";
    // The caches' counters (hits, misses, evictions, write-backs) are the
    // same as after the all-timed replay: the warm-up counts in them.
    for (size_t i = 0; i < all["platform"]["caches"].size(); ++i)
        EXPECT_EQ(warm["platform"]["caches"][i], all["platform"]["caches"][i]) << i;
    auto bad = run_cmosim({"replay", "--warmup=-1", trace}, dir);
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("cmosim replay: --warmup: expected a number of records in [0, 2^53], "
                           "found '-1'"),
              std::string::npos)
        << bad.err;
}

// --warmup-until=ADDR: every record before the first instruction fetch at
// ADDR runs functionally, that fetch and the rest timed: the same split as
// --warmup with the marker's index, and the two parts add up to the
// all-timed replay.
TEST(ReplayCli, WarmupUntilEndsAtTheFirstFetchOfTheMarker) {
    std::string dir = make_temp_dir();
    std::string trace = write_file(dir, "u.lk",
                                   "I  2000,4\n"   // 1
                                   " L 2040,8\n"   // 2: the marker's address, not a fetch
                                   " S 3000,4\n"   // 3
                                   "I  2400,4\n"   // 4
                                   " L 3200,8\n"   // 5
                                   " M 3400,8\n"   // 6
                                   "I  2040,4\n"   // 7: the marker
                                   " L 3000,8\n"   // 8
                                   "I  2000,4\n"   // 9
                                   " L 3600,8\n"   // 10
                                   "I  2040,4\n"   // 11: the marker again, timed
                                   " S 3200,4\n"); // 12
    auto run = [&](const std::string &name, const std::string &opt, std::string *out = nullptr) {
        auto r = run_cmosim(
            {"replay", kI1, kD1, kLL, "--report=" + dir + "/" + name + ".json", opt, trace}, dir);
        EXPECT_EQ(r.code, 0) << name << ": " << r.err;
        if (out)
            *out = r.out;
        return json::parse(read_text(dir + "/" + name + ".json"));
    };
    std::string out;
    json until = run("until", "--warmup-until=0x2040", &out);
    json until_dec = run("until_dec", "--warmup-until=8256"); // 0x2040
    json count = run("count", "--warmup=6");
    json all = run("all", "--limit=12");
    const json &u = until["replays"][0];
    EXPECT_EQ(u["warmup"]["records"], 6);
    EXPECT_EQ(u["records"], 6);
    EXPECT_EQ(u["warmup"]["until"], "0x2040");
    EXPECT_EQ(u["warmup"]["marker_found"], true);
    EXPECT_EQ(u["events"]["Ir"], 3) << "the marker's fetch is the timed part's first";
    EXPECT_EQ(until_dec["replays"][0], u);
    EXPECT_FALSE(count["replays"][0]["warmup"].contains("until")) << "--warmup: no marker fields";
    EXPECT_FALSE(count["replays"][0]["warmup"].contains("marker_found"));
    // Without the marker's two fields, the replay record is --warmup=6's
    // (counts of both parts, times), and so are the caches' counters.
    json stripped = u;
    stripped["warmup"].erase("until");
    stripped["warmup"].erase("marker_found");
    EXPECT_EQ(stripped, count["replays"][0]);
    EXPECT_EQ(until["platform"]["caches"], count["platform"]["caches"]);
    EXPECT_EQ(until["platform"]["caches"], all["platform"]["caches"]);
    for (auto &[k, v] : all["replays"][0]["events"].items())
        EXPECT_EQ(u["warmup"]["events"][k].get<uint64_t>() + u["events"][k].get<uint64_t>(),
                  v.get<uint64_t>())
            << k;
    EXPECT_GT(u["warmup"]["events"]["D1mr"], 0) << "the warm-up has misses of its own";
    EXPECT_NE(out.find("functional warm-up until the fetch at 0x2040, 6 records (no time):\n"),
              std::string::npos)
        << out;
    EXPECT_EQ(out.find("marker not found"), std::string::npos) << out;
}

// A marker no fetch reaches (0x3000 is only loaded and stored): every record
// runs functionally, the run succeeds and says so.
TEST(ReplayCli, WarmupUntilAMarkerThatNeverComesWarmsOnEveryRecord) {
    std::string dir = make_temp_dir();
    std::string trace = write_file(dir, "n.lk", "I  2000,4\n S 3000,4\n L 3000,8\nI  2040,4\n");
    auto r = run_cmosim(
        {"replay", kI1, kD1, kLL, "--report=" + dir + "/n.json", "--warmup-until=0x3000", trace},
        dir);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("marker not found: no instruction fetch at 0x3000 in the trace; all 4 "
                         "records ran functionally\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("timed, 0 records:\n"), std::string::npos) << r.out;
    json rep = json::parse(read_text(dir + "/n.json"));
    const json &p = rep["replays"][0];
    EXPECT_EQ(p["records"], 0);
    EXPECT_EQ(p["warmup"]["records"], 4);
    EXPECT_EQ(p["warmup"]["marker_found"], false);
    EXPECT_EQ(p["warmup"]["until"], "0x3000");
    EXPECT_EQ(p["warmup"]["events"]["Ir"], 2);
    EXPECT_EQ(p["events"]["Ir"], 0);
    EXPECT_EQ(p["end_ps"], p["start_ps"]) << "nothing timed, no time";
}

TEST(ReplayCli, WarmupUntilBadValuesExitTwo) {
    std::string dir = make_temp_dir();
    std::string trace = write_file(dir, "b.lk", "I  2000,4\n");
    for (const char *v : {"zz", "0x", "0x12g4", "-1", "0x8000000000000000", "1e3"}) {
        auto r = run_cmosim(
            {"replay", "--report=" + dir + "/b.json", std::string("--warmup-until=") + v, trace},
            dir);
        EXPECT_EQ(r.code, 2) << v;
        EXPECT_NE(r.err.find("cmosim replay: --warmup-until: expected an address, 0x and hex "
                             "digits or decimal digits, in [0, 0x7fffffffffffffff], found '" +
                             std::string(v) + "'"),
                  std::string::npos)
            << r.err;
        EXPECT_EQ(r.out, "") << v;
        EXPECT_FALSE(std::ifstream(dir + "/b.json").good()) << "no report for " << v;
    }
    auto r = run_cmosim({"replay", "--warmup=2", "--warmup-until=0x2000", trace}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("cmosim replay: expected either --warmup (a number of records) or "
                         "--warmup-until (a marker address), found both"),
              std::string::npos)
        << r.err;
    r = run_cmosim({"replay", "--warmup-until=0x7fffffffffffffff", trace}, dir);
    EXPECT_EQ(r.code, 0) << "the largest address is taken: " << r.err;
}

TEST(ReplayCli, BadOptions) {
    std::string dir = make_temp_dir();
    std::string trace = write_file(dir, "o.lk", " L 0,1\n");
    auto r = run_cmosim({"replay", "--D1=32768,8", trace}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--D1: expected size,assoc,line_size"), std::string::npos) << r.err;
    r = run_cmosim({"replay", "--I1=32768,8,64", "--D1=32768,8,32", trace}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("line size"), std::string::npos) << r.err;
    r = run_cmosim({"replay", "--D1=30000,8,64", trace}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("cmosim replay: --D1: platform.l1d.size: expected a power of two"),
              std::string::npos)
        << r.err;
    r = run_cmosim({"replay", "--LL=12582912,10,64", trace}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("cmosim replay: --LL: platform.slc.ways: expected a power of two in "
                         "[1, 65536], or ways that divide the size into a power-of-two number of "
                         "sets, found 10"),
              std::string::npos)
        << r.err;
    // 12 MiB of 12 ways: 16384 sets, as cachegrind takes it.
    r = run_cmosim({"replay", "--LL=12582912,12,64", trace}, dir);
    EXPECT_EQ(r.code, 0) << r.err;
    r = run_cmosim({"replay"}, dir);
    EXPECT_EQ(r.code, 2);
}

// Each kind of bad trace: exit 2 and file:line on stderr, no counts printed.
TEST(ReplayCli, BadTracesExitTwoWithFileAndLine) {
    std::string dir = make_temp_dir();
    struct {
        const char *name, *text, *message;
    } cases[] = {
        {"malformed.lk", "I  1000,4\n L 10;4\n", ":2:6: expected ',' after the address"},
        {"kind.lk", "I  1000,4\n Q 10,4\n", ":2:2: expected a record kind (I, L, S or M)"},
        {"size0.lk", " L 10,4\n L 10,4\n S 20,0\n", ":3:7: expected a size of at least 1 byte"},
    };
    for (auto &c : cases) {
        std::string p = write_file(dir, c.name, c.text);
        auto r = run_cmosim({"replay", p}, dir);
        EXPECT_EQ(r.code, 2) << c.name;
        EXPECT_NE(r.err.find(p + c.message), std::string::npos) << r.err;
        EXPECT_EQ(r.out.find("I refs"), std::string::npos) << r.out;
    }
    auto r = run_cmosim({"replay", dir + "/missing.lk"}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find(dir + "/missing.lk"), std::string::npos) << r.err;

    // A gzip trace cut short.
    std::string text;
    for (int i = 0; i < 40000; ++i)
        text += " L " + std::to_string(1000000 + i * 64) + ",8\n";
    std::string gz = dir + "/cut.lk.gz";
    gzFile f = gzopen(gz.c_str(), "wb");
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
    std::string bytes = read_text(gz);
    write_file(dir, "cut.lk.gz", bytes.substr(0, bytes.size() / 2));
    r = run_cmosim({"replay", gz}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find(gz + ":"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("truncated trace"), std::string::npos) << r.err;
}

const char *kPlatform = R"(platform:
  cpus: 2
  l1i: { size: 4KiB, ways: 2 }
  l1d: { size: 4KiB, ways: 2 }
  slc: { size: 64KiB, ways: 4 }
  memory:
    - { name: dram0, kind: dram, base: 0x0, size: 1GiB, read_latency: 80ns, bandwidth: 50GB/s }
    - { name: cxl0, kind: cxl, base: 0x1000000000, size: 1GiB, read_latency: 250ns,
        bandwidth: 32GB/s }
kernel: { provider: smccc }
firmware: { method: range }
)";

TEST(ReplayStep, TwoCpusRelocatedIntoCxlThenInvalidated) {
    std::string dir = make_temp_dir();
    // 32 stores to 32 lines at 0x10000, then code fetches.
    std::string text = "==1== lackey\n";
    char line[64];
    for (int i = 0; i < 32; ++i) {
        std::snprintf(line, sizeof line, " S %x,8\nI  %x,4\n", 0x10000 + i * 64, 0x400 + i * 4);
        text += line;
    }
    write_file(dir, "w.lk", text);
    std::string scenario = std::string("name: replay-two\n") + kPlatform +
                           "cpus:\n"
                           "  0:\n"
                           "    - replay: { trace: w.lk, gap: 1000, map: { from: 0x10000, to: "
                           "cxl0+0, size: 4KiB }, label: warm }\n"
                           "    - barrier: warm\n"
                           "    - invalidate: { base: cxl0+0, size: 4KiB, strategy: smccc }\n"
                           "  1:\n"
                           "    - replay: { trace: w.lk, map: { from: 0x10000, to: cxl0+4KiB, "
                           "size: 4KiB } }\n"
                           "    - barrier: warm\n"
                           "expect:\n"
                           "  replays[0].events.Dw: 32\n"
                           "  replays[1].events.D1mw: 32\n";
    std::string file = write_file(dir, "s.yaml", scenario);
    auto r = run_cmosim({"run", file, "--report", dir + "/r.json"}, dir);
    ASSERT_EQ(r.code, 0) << r.err << r.out;
    json rep = json::parse(read_text(dir + "/r.json"));
    ASSERT_EQ(rep["replays"].size(), 2u);
    for (auto &p : rep["replays"]) {
        EXPECT_EQ(p["records"], 64);
        EXPECT_EQ(p["events"]["Ir"], 32);
        EXPECT_EQ(p["events"]["I1mr"], 2); // 32 fetches of 4 B: two 64 B lines
        EXPECT_EQ(p["events"]["Dw"], 32);
    }
    // The gap: 1000 cycles at 3 GHz after each of CPU 0's 64 records.
    // (Records are listed as the steps end: find CPU 0's.)
    const json &p0 = rep["replays"][0]["cpu"] == 0 ? rep["replays"][0] : rep["replays"][1];
    EXPECT_EQ(p0["cpu"], 0);
    EXPECT_GE(p0["end_ps"].get<uint64_t>() - p0["start_ps"].get<uint64_t>(),
              64u * 1000u * 1000u / 3u);
    // CPU 0's 32 dirty lines, relocated into cxl0, meet the invalidate: the
    // firmware writes back 32 and invalidates them in L1D and the SLC.
    ASSERT_EQ(rep["invalidate"].size(), 1u);
    EXPECT_EQ(rep["invalidate"][0]["return"], 0);
    EXPECT_EQ(rep["invalidate"][0]["residual_lines"], 0);
    const json &call = rep["firmware"]["log"].back();
    EXPECT_EQ(call["name"], "SMCCC_ARCH_CLEAN_INV_MEMREGION");
    EXPECT_EQ(call["lines_written_back"], 32);
    EXPECT_EQ(call["lines_invalidated"], 64);
    // CPU 1's lines (cxl0+4KiB) stay.
    for (auto &c : rep["platform"]["caches"])
        if (c["name"] == "cpu1_l1d") {
            EXPECT_EQ(c["valid_lines_at_end"], 32);
        }
}

TEST(ReplayStep, AddressOutsideEveryRegionIsBadInput) {
    std::string dir = make_temp_dir();
    write_file(dir, "far.lk", " L 10,4\n L 7000000000,4\n");
    std::string file = write_file(dir, "s.yaml",
                                  std::string("name: far\n") + kPlatform +
                                      "cpus:\n  0:\n    - replay: { trace: far.lk }\n");
    auto r = run_cmosim({"run", file}, dir);
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.err.find(dir + "/far.lk:2: expected an address inside a memory region"),
              std::string::npos)
        << r.err;
}

TEST(ReplayStep, MissingTraceIsAConfigError) {
    std::string dir = make_temp_dir();
    std::string file = write_file(dir, "s.yaml",
                                  std::string("name: missing\n") + kPlatform +
                                      "cpus:\n  0:\n    - replay: { trace: nowhere.lk }\n");
    auto r = run_cmosim({"run", file}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("s.yaml:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nowhere.lk"), std::string::npos) << r.err;
}

TEST(ReplayStep, MalformedTraceDuringARunIsBadInput) {
    std::string dir = make_temp_dir();
    write_file(dir, "bad.lk", " L 10,4\n L 10,4\n L zz,4\n");
    std::string file = write_file(dir, "s.yaml",
                                  std::string("name: bad\n") + kPlatform +
                                      "cpus:\n  0:\n    - replay: { trace: bad.lk }\n");
    auto r = run_cmosim({"run", file, "--report", dir + "/r.json"}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find(dir + "/bad.lk:3:4: expected a hexadecimal address"), std::string::npos)
        << r.err;
    json rep = json::parse(read_text(dir + "/r.json"));
    EXPECT_EQ(rep["complete"], false);
    EXPECT_EQ(rep["stop"]["reason"], "bad_input");
}

// warmup_until in a scenario: the marker is the trace's address, before
// map: relocates it (the fetches at 0x400.. land in cxl0).
TEST(ReplayStep, WarmupUntilMatchesTheTraceAddressBeforeMap) {
    std::string dir = make_temp_dir();
    std::string text;
    char line[64];
    for (int i = 0; i < 32; ++i) {
        std::snprintf(line, sizeof line, " S %x,8\nI  %x,4\n", 0x10000 + i * 64, 0x400 + i * 4);
        text += line;
    }
    write_file(dir, "m.lk", text);
    std::string file = write_file(
        dir, "s.yaml",
        std::string("name: marker\n") + kPlatform +
            "cpus:\n  0:\n"
            "    - replay: { trace: m.lk, warmup_until: 0x420, map: { from: 0x400, to: cxl0+0, "
            "size: 4KiB } }\n");
    auto r = run_cmosim({"run", file, "--report", dir + "/r.json"}, dir);
    ASSERT_EQ(r.code, 0) << r.err << r.out;
    json rep = json::parse(read_text(dir + "/r.json"));
    const json &p = rep["replays"][0];
    // The fetch at 0x420 is record 18 (S, I, S, I, ...: the 9th fetch).
    EXPECT_EQ(p["warmup"]["records"], 17);
    EXPECT_EQ(p["records"], 47);
    EXPECT_EQ(p["warmup"]["marker_found"], true);
    EXPECT_EQ(p["warmup"]["until"], "0x420");
    EXPECT_EQ(p["warmup"]["events"]["Ir"], 8);
    EXPECT_EQ(p["events"]["Ir"], 24);
    EXPECT_NE(r.out.find("functional warm-up before them, no time: 17 records (until the fetch "
                         "at 0x420):\n"),
              std::string::npos)
        << r.out;
}

TEST(ReplayStep, WarmupAndWarmupUntilTogetherIsAConfigError) {
    std::string dir = make_temp_dir();
    write_file(dir, "t.lk", "I  400,4\n");
    const std::string step = "    - replay: { trace: t.lk, warmup: 2, warmup_until: 0x400 }\n";
    std::string head = std::string("name: both\n") + kPlatform + "cpus:\n  0:\n";
    std::string file = write_file(dir, "s.yaml", head + step);
    auto r = run_cmosim({"run", file, "--report", dir + "/r.json"}, dir);
    EXPECT_EQ(r.code, 2) << r.out;
    const size_t line_no = static_cast<size_t>(std::count(head.begin(), head.end(), '\n')) + 1;
    const size_t column = step.find("0x400") + 1;
    EXPECT_NE(
        r.err.find(file + ":" + std::to_string(line_no) + ":" + std::to_string(column) +
                   ": error: cpus.0[0].replay: expected either warmup (a number of records) or "
                   "warmup_until (a marker address), found both"),
        std::string::npos)
        << r.err;
    EXPECT_FALSE(std::ifstream(dir + "/r.json").good()) << "no partial report";
}

} // namespace

// cmosim trace pack|unpack as users meet them, and replay of what they write.
namespace {

TEST(TraceCli, PackedReplaysToTheSameCountsAndUnpacksToTheSameText) {
    std::string dir = make_temp_dir();
    const std::string xz = cmosim::test::source_path("configs/regression/traces/small-walk.lk.xz");
    auto r = run_cmosim({"trace", "pack", xz, dir + "/sw.lkpack"}, dir);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("27899 records, 27924 lines, 395497 bytes of text"), std::string::npos)
        << r.out;
    const std::vector<std::string> geometry = {"--I1=4096,2,64", "--D1=4096,2,64",
                                               "--LL=16384,4,64"};
    std::string outs[2];
    const std::string traces[2] = {xz, dir + "/sw.lkpack"};
    for (int i = 0; i < 2; ++i) {
        std::vector<std::string> args = {"replay"};
        args.insert(args.end(), geometry.begin(), geometry.end());
        args.push_back("--cg-out=" + dir + "/cg" + std::to_string(i));
        args.push_back(traces[i]);
        auto rr = run_cmosim(args, dir);
        ASSERT_EQ(rr.code, 0) << rr.err;
        outs[i] = rr.out.substr(0, rr.out.find("cg-out:"));
    }
    EXPECT_EQ(outs[0], outs[1]);
    EXPECT_EQ(summary_of(dir + "/cg1"), "22307 527 449 3392 507 312 2200 214 202");
    r = run_cmosim({"trace", "unpack", dir + "/sw.lkpack", dir + "/sw.lk"}, dir);
    ASSERT_EQ(r.code, 0) << r.err;
    r = run_cmosim({"trace", "pack", dir + "/sw.lk", dir + "/again.lkpack"}, dir);
    ASSERT_EQ(r.code, 0) << r.err;
    // The same file but the header's note of the source's format (text, not xz).
    const std::string a = read_text(dir + "/again.lkpack"), b = read_text(dir + "/sw.lkpack");
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(a[24], 0);
    EXPECT_EQ(b[24], 2);
    EXPECT_TRUE(a.compare(32, std::string::npos, b, 32) == 0);
}

TEST(TraceCli, BadInputExitsTwoNamingTheFile) {
    std::string dir = make_temp_dir();
    std::string text;
    for (int i = 0; i < 100000; ++i)
        text += " L " + std::to_string(1000000 + i * 64) + ",8\n";
    std::string lk = write_file(dir, "t.lk", text);
    auto r = run_cmosim({"trace", "pack", lk, dir + "/t.lkpack"}, dir);
    ASSERT_EQ(r.code, 0) << r.err;
    std::string bytes = read_text(dir + "/t.lkpack");

    // Cut short: replay and unpack say so, after the records before.
    std::string cut = write_file(dir, "cut.lkpack", bytes.substr(0, bytes.size() - 10));
    r = run_cmosim({"replay", cut}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find(cut + ": expected the end of the packed trace (record count and "
                               "checksum) after 2 blocks (100000 records), found the end of the "
                               "file (truncated trace)"),
              std::string::npos)
        << r.err;
    r = run_cmosim({"trace", "unpack", cut, dir + "/cut.lk"}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find(cut + ": expected the end"), std::string::npos) << r.err;
    EXPECT_FALSE(cmosim::test::file_exists(dir + "/cut.lk"));

    // Another version.
    std::string v = bytes;
    v[8] = 9;
    std::string vp = write_file(dir, "v9.lkpack", v);
    r = run_cmosim({"replay", vp}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find(vp + ": expected packed trace version 1, found version 9"),
              std::string::npos)
        << r.err;

    // A damaged block, in a scenario's replay step: bad input, the report says so.
    std::string d = bytes;
    d[200] = static_cast<char>(d[200] ^ 0x01);
    std::string dp = write_file(dir, "d.lkpack", d);
    r = run_cmosim({"replay", dp}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find(dp + ": record 1: expected "), std::string::npos) << r.err;

    // Not the right kind of input.
    r = run_cmosim({"trace", "unpack", lk, dir + "/x.lk"}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find(lk + ": expected a packed trace"), std::string::npos) << r.err;
    std::string bad = write_file(dir, "bad.lk", "I  1000,4\n L 10;4\n");
    r = run_cmosim({"trace", "pack", bad, dir + "/bad.lkpack"}, dir);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find(bad + ":2:6: expected ',' after the address"), std::string::npos) << r.err;
    r = run_cmosim({"trace", "pack", lk}, dir);
    EXPECT_EQ(r.code, 2);
}

} // namespace
