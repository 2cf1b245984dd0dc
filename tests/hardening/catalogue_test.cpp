// SPDX-License-Identifier: Apache-2.0
// The bad-input catalogue of docs/reliability.md, checked against the real
// binary so that it cannot drift: every case below is run, and its exit code
// and first line of stderr must be exactly what the document's table says.
// Hostile inputs must also stay within bounded memory.
//
// After changing a message on purpose, regenerate the table:
//   CMOSIM_UPDATE_CATALOGUE=1 build/dev/tests/hardening/test_hardening_catalogue
//       --gtest_filter='*ListsEveryCase*'   (one command line)
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "run_cmosim.h"

namespace cmosim::test {
namespace {

struct Case {
    std::string id;                     // also the input's file name: <id>.yaml
    std::string what;                   // the document's description of the input
    std::function<std::string()> input; // the file's text (nullptr: no file)
    std::vector<std::string> args;      // after "cmosim"; "@" is the input file
    // Other files beside it (name, text), for includes.
    std::vector<std::pair<std::string, std::string>> files = {};
    // Special files beside it: each name becomes a FIFO.
    std::vector<std::string> fifos = {};
};

const char *kPlatform = "platform:\n"
                        "  l1d: { size: 32KiB, ways: 4 }\n"
                        "  slc: { size: 1MiB, ways: 8 }\n"
                        "  memory:\n"
                        "    - { name: cxl0, kind: cxl, base: 0x1000000000, size: 1GiB,\n"
                        "        read_latency: 200ns, bandwidth: 32GB/s }\n";

std::string with_platform(const std::string &rest) {
    return kPlatform + rest;
}
std::string one_step(const std::string &step) {
    return with_platform("cpus:\n  0:\n    - " + step + "\n");
}
std::string repeat(const std::string &s, size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

// A sweep over n = 1 whose set: template is `expr` (issue 18: the template
// parser recurses on parentheses and calls).
const std::vector<std::string> kSweepList{"sweep", "@", "--list"};
const std::vector<std::pair<std::string, std::string>> kSweepBase{{"base.yaml", "name: base\n"}};
std::string sweep_setting(const std::string &expr) {
    return "base: base.yaml\naxes:\n  - { name: n, values: [1] }\nset:\n"
           "  cpus.0[0].load.size: \"${" +
           expr + "}\"\n";
}
// 64 CPUs, each with a 16 GiB L2, over `dram` of memory (issue 18: this
// passed check, then needed about 1 TB at run), and `rest`.
std::string huge_caches(const std::string &dram, const std::string &rest) {
    return "platform:\n"
           "  cpus: 64\n"
           "  l1d: { size: 32KiB, ways: 4 }\n"
           "  l2: { size: 16GiB, ways: 16 }\n"
           "  slc: { size: 16GiB, ways: 16 }\n"
           "  memory:\n"
           "    - { name: dram0, kind: dram, base: 0x0, size: " +
           dram +
           ",\n"
           "        read_latency: 80ns, bandwidth: 50GB/s }\n"
           "cpus:\n  0:\n    - load: { base: dram0, size: 4KiB }\n" +
           rest;
}
// Expectations on `n` records of an array of the report: "  ARRAY[i].return: 1".
std::string many_keys(const std::string &array, size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i)
        s += array + "[" + std::to_string(i) + "].return: 1\n";
    return s;
}
// One 4 KiB region at `base`, and one step.
std::string high_region(const std::string &base, const std::string &step) {
    return "platform:\n"
           "  l1d: { size: 32KiB, ways: 4 }\n"
           "  slc: { size: 1MiB, ways: 8 }\n"
           "  memory:\n"
           "    - { name: top, kind: cxl, base: " +
           base +
           ", size: 4KiB,\n"
           "        read_latency: 200ns, bandwidth: 32GB/s }\n"
           "kernel: { provider: none }\n"
           "cpus:\n  0:\n    - " +
           step + "\n";
}
std::string region_named(const std::string &name) {
    return "platform:\n"
           "  l1d: { size: 32KiB, ways: 4 }\n"
           "  slc: { size: 1MiB, ways: 8 }\n"
           "  memory:\n"
           "    - { name: " +
           name +
           ", kind: cxl, base: 0x1000000000, size: 1GiB,\n"
           "        read_latency: 200ns, bandwidth: 32GB/s }\n"
           "cpus: {}\n";
}

// gtest prints a parameter with this (and the test name carries the id).
void PrintTo(const Case &c, std::ostream *os) {
    *os << c.id;
}

const std::vector<std::string> kCheck{"check", "@"};
const std::vector<std::string> kRun{"run", "@", "--quiet"};

std::vector<Case> cases() {
    return {
        // ---- the YAML layer (sim/config/ynode.c)
        {"empty", "an empty file", [] { return std::string(); }, kCheck},
        {"unterminated-quote", "a quoted scalar that never ends",
         [] { return std::string("name: \"unterminated\n"); }, kCheck},
        {"tab-indentation", "a tab used for indentation",
         [] { return std::string("platform:\n\tcpus: 1\n"); }, kCheck},
        {"two-documents", "two YAML documents in one file",
         [] { return std::string("a: 1\n---\nb: 2\n"); }, kCheck},
        {"duplicate-key", "the same key twice in a mapping (libyaml accepts it)",
         [] { return std::string("name: a\nname: b\n"); }, kCheck},
        {"duplicate-key-after-400000-keys",
         "a mapping of 400000 keys whose last key repeats the first (found in linear time)",
         [] {
             std::string s;
             for (int i = 0; i < 400000; ++i)
                 s += "k" + std::to_string(i) + ": 1\n";
             return s + "k0: 2\n";
         },
         kCheck},
        {"complex-key", "a sequence used as a mapping key",
         [] { return std::string("? [a, b]\n: c\n"); }, kCheck},
        {"billion-laughs", "the classic alias bomb: aliases of sequences of aliases",
         [] {
             return std::string("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                                "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n");
         },
         kCheck},
        {"scalar-alias-bomb", "a 1 MiB scalar aliased 20 times (20 MiB of copies)",
         [] {
             return "a: &a \"" + std::string(1 << 20, 'x') + "\"\nb: [" + repeat("*a, ", 19) +
                    "*a]\n";
         },
         kCheck},
        {"unknown-alias", "an alias of an anchor that does not exist",
         [] { return std::string("name: *nowhere\n"); }, kCheck},
        {"257-anchors", "more anchors than the parser keeps",
         [] {
             std::string s = "x:\n";
             for (int i = 0; i < 257; ++i)
                 s += "  - &a" + std::to_string(i) + " v\n";
             return s;
         },
         kCheck},
        {"nesting-100-deep", "sequences nested 100 deep",
         [] { return "a: " + std::string(100, '[') + std::string(100, ']') + "\n"; }, kCheck},
        {"million-nodes", "a sequence of 1000001 scalars",
         [] { return "x:\n" + repeat("- a\n", 1000001); }, kCheck},
        {"140000-steps", "140000 load steps: a scenario within the node cap (it loads)",
         [] {
             return with_platform("cpus:\n  0:\n" +
                                  repeat("    - load: {base: cxl0, size: 64B}\n", 140000));
         },
         kCheck},
        {"150000-steps", "150000 load steps: past the node cap",
         [] {
             return with_platform("cpus:\n  0:\n" +
                                  repeat("    - load: {base: cxl0, size: 64B}\n", 150000));
         },
         kCheck},
        {"file-over-64MiB", "a file of 65 MiB (one comment)",
         [] { return "# " + std::string(65u << 20, 'x') + "\n"; }, kCheck},
        {"directory", "a directory given as the scenario", nullptr, {"check", "."}},
        {"missing-file", "a file that does not exist", nullptr, {"check", "missing.yaml"}},
        // ---- includes (sim/config/document.cpp)
        {"include-self", "a scenario that includes itself",
         [] { return std::string("include: include-self.yaml\n"); }, kCheck},
        {"include-cycle",
         "a includes b, b includes a",
         [] { return std::string("include: b.yaml\n"); },
         kCheck,
         {{"b.yaml", "include: include-cycle.yaml\n"}}},
        {"include-missing", "an include of a file that does not exist",
         [] { return std::string("include: nowhere.yaml\n"); }, kCheck},
        {"include-fan-out", "each file includes the next one 8 times, 9 levels deep (8^8 reads)",
         [] {
             return std::string("include: [l1.yaml, l1.yaml, l1.yaml, l1.yaml, l1.yaml, "
                                "l1.yaml, l1.yaml, l1.yaml]\n");
         },
         kCheck,
         [] {
             std::vector<std::pair<std::string, std::string>> f;
             for (int i = 1; i < 9; ++i) {
                 std::string next = "l" + std::to_string(i + 1) + ".yaml";
                 f.push_back({"l" + std::to_string(i) + ".yaml",
                              i == 8 ? std::string("name: leaf\n")
                                     : "include: [" + repeat(next + ", ", 7) + next + "]\n"});
             }
             return f;
         }()},
        {"include-node-budget",
         "4 includes of a 300000-node file: the node cap counts them all",
         [] { return std::string("include: [big.yaml, big.yaml, big.yaml, big.yaml]\n"); },
         kCheck,
         {{"big.yaml", "description: [" + repeat("a, ", 299999) + "a]\n"}}},
        // ---- the scenario layer (sim/config/load_*.cpp)
        {"all-ones-length", "an invalidate of length 0xffffffffffffffff",
         [] {
             return one_step("invalidate: {base: cxl0, size: 0xffffffffffffffff, strategy: smccc}");
         },
         kCheck},
        {"all-ones-base", "a load at address 0xffffffffffffffff",
         [] { return one_step("load: {base: 0xffffffffffffffff, size: 64B}"); }, kCheck},
        {"negative-size", "a negative size",
         [] { return one_step("store: {base: cxl0, size: -64B}"); }, kCheck},
        {"size-overflow", "a size too large for a double",
         [] { return one_step("store: {base: cxl0, size: 1e400}"); }, kCheck},
        {"range-past-region", "a 2 GiB store into a 1 GiB region",
         [] { return one_step("store: {base: cxl0, size: 2GiB}"); }, kCheck},
        {"region-over-4PiB", "a memory region of 8 PiB",
         [] {
             return std::string("platform:\n"
                                "  l1d: { size: 32KiB, ways: 4 }\n"
                                "  slc: { size: 1MiB, ways: 8 }\n"
                                "  memory: [ { name: big, kind: cxl, base: 0, size: 8PiB,"
                                " read_latency: 200ns, bandwidth: 32GB/s } ]\n"
                                "cpus: {}\n");
         },
         kCheck},
        {"limits-unknown-key", "a misspelt key in limits:",
         [] { return with_platform("limits: { event: 10 }\ncpus: {}\n"); }, kCheck},
        {"limits-wall-time-without-unit", "limits.wall_time without a unit",
         [] { return with_platform("limits: { wall_time: 30 }\ncpus: {}\n"); }, kCheck},
        {"limits-events-negative", "a negative event limit",
         [] { return with_platform("limits: { events: -1 }\ncpus: {}\n"); }, kCheck},
        {"hang-latency-typo", "a firmware hang whose latency is neither a time nor forever",
         [] {
             return with_platform("firmware:\n  faults: [ { action: hang, latency: forevr } ]\n"
                                  "cpus: {}\n");
         },
         kCheck},
        // ---- runs that must stop by themselves
        {"pebibyte-store", "a store of 1 PiB into a 1 PiB region (refused by the event limit)",
         [] {
             return std::string("platform:\n"
                                "  l1d: { size: 32KiB, ways: 4 }\n"
                                "  slc: { size: 1MiB, ways: 8 }\n"
                                "  memory: [ { name: p, kind: cxl, base: 0, size: 1PiB,"
                                " read_latency: 200ns, bandwidth: 32GB/s } ]\n"
                                "kernel: { provider: none }\n"
                                "cpus: { 0: [ { store: { base: p, size: 1PiB } } ] }\n");
         },
         kRun},
        {"repeat-a-billion-sleeps",
         "repeat: a billion 1 ns sleeps (stopped by the event limit)",
         [] {
             return with_platform("kernel: { provider: none }\n"
                                  "cpus: { 0: [ { repeat: { count: 1000000000,"
                                  " steps: [ { sleep: 1ns } ] } } ] }\n");
         },
         {"run", "@", "--quiet", "--max-events", "1000000"}},
        {"barrier-never-reached", "cpu1 waits at a barrier that cpu0 passes only once",
         [] {
             std::string two = with_platform("");
             two.replace(two.find("platform:\n"), 10, "platform:\n  cpus: 2\n");
             return two + std::string("cpus:\n"
                                      "  0: [ { barrier: sync } ]\n"
                                      "  1: [ { barrier: sync }, { barrier: sync } ]\n");
         },
         kRun},
        {"firmware-hang-forever", "a firmware call that never returns",
         [] {
             return with_platform(
                 "firmware:\n  faults: [ { action: hang, latency: forever } ]\n"
                 "cpus: { 0: [ { invalidate: { base: cxl0, size: 1MiB, strategy: smccc } } ] }\n");
         },
         kRun},
        {"sim-time-past-2-to-the-63-ps",
         "2000 sleeps of 10000 s: 2 x 10^19 ps, past 64-bit picoseconds (stopped, not wrapped)",
         [] {
             return with_platform("kernel: { provider: none }\n"
                                  "cpus: { 0: [ { repeat: { count: 2000,"
                                  " steps: [ { sleep: 10000s } ] } } ] }\n");
         },
         kRun},
        // ---- the command line
        {"max-events-not-a-number", "--max-events abc", nullptr, {"run", "--max-events", "abc"}},
        {"max-sim-time-without-unit",
         "--max-sim-time 10",
         nullptr,
         {"run", "--max-sim-time", "10"}},
        {"max-wall-time-missing-value",
         "--max-wall-time with no value",
         nullptr,
         {"run", "--max-wall-time"}},
        {"unknown-option", "an option cmosim does not know", nullptr, {"run", "--frobnicate"}},
        // ---- issue 18: sweep templates (sim/sweep/spec.cpp)
        {"sweep-parentheses-30000-deep", "a set: template of 30000 nested parentheses (60 KB)",
         [] { return sweep_setting(repeat("(", 30000) + "n" + repeat(")", 30000)); }, kSweepList,
         kSweepBase},
        {"sweep-calls-30000-deep", "a set: template of 30000 nested max() calls",
         [] { return sweep_setting(repeat("max(", 30000) + "n" + repeat(")", 30000)); }, kSweepList,
         kSweepBase},
        {"sweep-parentheses-64-deep", "64 nested parentheses: within the limit (it lists)",
         [] { return sweep_setting(repeat("(", 64) + "n * 64" + repeat(")", 64)); }, kSweepList,
         kSweepBase},
        {"sweep-unary-minus-chain", "a set: template of 100000 unary minus signs (an even number)",
         [] { return sweep_setting(repeat("-", 100000) + "n * 64"); }, kSweepList, kSweepBase},
        {"sweep-range-with-spaces", "a sweep range from \"1 2 8 KiB\"",
         [] {
             return std::string("base: base.yaml\naxes:\n  - name: size\n    path: x\n"
                                "    range: { from: \"1 2 8 KiB\", to: 1MiB, factor: 2 }\n");
         },
         kSweepList, kSweepBase},
        // ---- issue 18: inputs that are not regular files (sim/config/ynode.c)
        {"fifo-as-scenario",
         "a FIFO given as the scenario (never opened: no wait for a writer)",
         nullptr,
         {"check", "s.yaml"},
         {},
         {"s.yaml"}},
        {"fifo-as-include",
         "an include that names a FIFO",
         [] { return std::string("include: inc.yaml\n"); },
         kCheck,
         {},
         {"inc.yaml"}},
        {"fifo-as-replay-step-trace",
         "a replay step whose trace is a FIFO",
         [] { return one_step("replay: {trace: t.lackey}"); },
         kCheck,
         {},
         {"t.lackey"}},
        {"directory-as-replay-step-trace", "a replay step whose trace is a directory",
         [] { return one_step("replay: {trace: .}"); }, kCheck},
        {"fifo-as-replay-trace",
         "cmosim replay of a FIFO",
         nullptr,
         {"replay", "t.lackey"},
         {},
         {"t.lackey"}},
        {"fifo-as-sweep",
         "a FIFO given as the sweep file",
         nullptr,
         {"sweep", "s.yaml", "--list"},
         {},
         {"s.yaml"}},
        {"fifo-as-sweep-base",
         "a sweep whose base scenario is a FIFO",
         [] { return sweep_setting("n"); },
         kSweepList,
         {},
         {"base.yaml"}},
        // ---- issue 18: include merging is linear (sim/config/ynode.c)
        {"include-merge-2x240000-keys",
         "240000 expectations over an include of 240000 others (merged in linear time)",
         [] {
             return "include: big.yaml\n" + with_platform("cpus: {}\nexpect:\n") +
                    many_keys("  invalidate", 240000);
         },
         kCheck,
         {{"big.yaml", "expect:\n" + many_keys("  kernel_calls", 240000)}}},
        // ---- issue 18: numbers parsed exactly (sim/config/reader.cpp)
        {"address-exact-64-bit",
         "a load at 0x4000000000000fc1 in a 4 KiB region at 2^62 (a double makes it ...1000)",
         [] {
             return high_region("0x4000000000000000", "load: {base: 0x4000000000000fc1, size: 1B}");
         },
         kCheck},
        {"address-highest-line", "a load at the last line below 2^63 (a double rounds it to 2^63)",
         [] {
             return high_region("0x7ffffffffffff000",
                                "load: {base: 0x7fffffffffffffc0, size: 64B}");
         },
         kCheck},
        {"address-past-64-bit", "an address of 17 hex digits",
         [] { return one_step("load: {base: 0x10000000000000000, size: 64B}"); }, kCheck},
        {"size-with-spaces", "a size written \"1 2 8 K i B\"",
         [] { return one_step("store: {base: cxl0, size: \"1 2 8 K i B\"}"); }, kCheck},
        {"size-nan", "a size of nan", [] { return one_step("store: {base: cxl0, size: nan}"); },
         kCheck},
        {"events-infinity", "an event limit of inf",
         [] { return with_platform("limits: { events: inf }\ncpus: {}\n"); }, kCheck},
        {"expect-not-nan", "an expectation \"!= nan\" (NaN compares unequal to everything)",
         [] { return with_platform("cpus: {}\nexpect: { checker.stale_reads: \"!= nan\" }\n"); },
         kCheck},
        {"expect-infinity", "an expectation \"< inf\"",
         [] { return with_platform("cpus: {}\nexpect: { checker.stale_reads: \"< inf\" }\n"); },
         kCheck},
        {"cpu-keys-0-and-0x0", "CPU keys 0 and 0x0: one CPU given twice",
         [] {
             return with_platform("cpus:\n  0: [ { sleep: 1ns } ]\n  0x0: [ { sleep: 2ns } ]\n");
         },
         kCheck},
        {"cpu-keys-0-and-00", "CPU keys 0 and 00: one CPU given twice",
         [] { return with_platform("cpus:\n  0: [ { sleep: 1ns } ]\n  00: [ { sleep: 2ns } ]\n"); },
         kCheck},
        {"region-name-empty", "a memory region named \"\"", [] { return region_named("\"\""); },
         kCheck},
        {"region-name-a-number", "a memory region named \"4096\" (it would shadow address 4096)",
         [] { return region_named("\"4096\""); }, kCheck},
        // ---- issue 18: the command line (sim/cli/main.cpp, cmd_*.cpp)
        {"report-empty-value",
         "--report= with an empty file name",
         [] { return one_step("sleep: 1ns"); },
         {"run", "@", "--quiet", "--report="}},
        {"help-unknown-command",
         "help for a command that does not exist",
         nullptr,
         {"help", "nosuch"}},
        {"check-unknown-option",
         "an option check does not know",
         nullptr,
         {"check", "--frobnicate"}},
        {"replay-negative-geometry",
         "--I1 with a negative size",
         nullptr,
         {"replay", "--I1=-32768,8,64", "t.lackey"}},
        {"replay-limit-not-a-number",
         "--limit=abc",
         nullptr,
         {"replay", "--limit=abc", "t.lackey"}},
        {"replay-report-empty-value",
         "--report= with an empty file name",
         nullptr,
         {"replay", "--report=", "t.lackey"}},
        {"replay-warmup-until-not-an-address",
         "--warmup-until=zz",
         nullptr,
         {"replay", "--warmup-until=zz", "t.lackey"}},
        {"replay-warmup-and-warmup-until",
         "a replay step with both warmup and warmup_until",
         [] { return one_step("replay: {trace: t.lackey, warmup: 1, warmup_until: 0x400}"); },
         kCheck,
         {{"t.lackey", "I  400,4\n"}}},
        // ---- issue 18: messages point at the true place
        {"invalid-utf8-on-line-2", "a byte 0xff inside a quoted scalar on line 2",
         [] { return std::string("name: a\ndescription: \"caf\xff\"\n"); }, kCheck},
        {"nul-byte-on-line-2", "a NUL byte inside a scalar on line 2",
         [] { return std::string("name: a\ndescription: x\0y\n", 25); }, kCheck},
        {"range-in-binary-units", "a store of 4194305 MiB into a 1 GiB region: the size in MiB",
         [] { return one_step("store: {base: cxl0, size: 4194305MiB}"); }, kCheck},
        {"time-range-in-units", "a sleep of 1000000 s: the range in s, not in ns with decimals",
         [] { return one_step("sleep: 1000000s"); }, kCheck},
        {"trace-crlf",
         "a trace with CRLF line ends",
         nullptr,
         {"replay", "t.lackey"},
         {{"t.lackey", "I  0400d7d4,8\r\nI  0400d7d8,4\r\n"}}},
        {"trace-line-over-1MiB",
         "a trace whose second line is 2 MiB long",
         nullptr,
         {"replay", "t.lackey"},
         {{"t.lackey", "I  0400d7d4,8\n" + std::string(2u << 20, 'x') + "\n"}}},
        // ---- issue 18: outputs that would destroy an input (sim/cli/cli_util.cpp)
        {"report-is-the-scenario",
         "--report naming the scenario being run",
         [] { return one_step("sleep: 1ns"); },
         {"run", "@", "--quiet", "--report", "@"}},
        {"report-is-an-include",
         "--report naming a file the scenario includes",
         [] { return "include: inc.yaml\n" + one_step("sleep: 1ns"); },
         {"run", "@", "--quiet", "--report", "inc.yaml"},
         {{"inc.yaml", "name: included\n"}}},
        {"junit-is-the-report",
         "--junit and --report naming one file",
         [] { return one_step("sleep: 1ns"); },
         {"run", "@", "--quiet", "--report", "x.json", "--junit", "./x.json"}},
        {"cg-out-is-the-trace",
         "replay --cg-out naming the trace it replays",
         nullptr,
         {"replay", "--cg-out=t.lackey", "t.lackey"},
         {{"t.lackey", "I  0400d7d4,8\n"}}},
        {"suite-junit-is-an-include",
         "a suite whose --junit names a file one of its scenarios includes",
         [] { return "include: inc.yaml\n" + one_step("sleep: 1ns"); },
         {"run", "@", "b.yaml", "--quiet", "--junit", "inc.yaml"},
         {{"inc.yaml", "name: included\n"}, {"b.yaml", one_step("sleep: 1ns")}}},
        {"suite-csv-is-a-platform-file",
         "a suite whose --csv names the platform file of one of its scenarios",
         [] { return std::string("platform: plat.yaml\ncpus:\n  0:\n    - sleep: 1ns\n"); },
         {"run", "@", "b.yaml", "--quiet", "--csv", "./plat.yaml"},
         {{"plat.yaml", std::string(kPlatform).substr(10)}, {"b.yaml", one_step("sleep: 1ns")}}},
        // ---- issue 18: host memory estimated before the run
        {"memory-64-cpus-16GiB-caches",
         "64 CPUs with 16 GiB L2 caches over 1 TiB of memory (about 1 TB of tag arrays)",
         [] { return huge_caches("1TiB", ""); },
         {"check", "--max-memory", "16GiB", "@"}},
        {"memory-run-refused-too",
         "the same platform given to run: refused before anything is allocated",
         [] { return huge_caches("1TiB", ""); },
         {"run", "@", "--quiet", "--max-memory=16GiB"}},
        {"memory-limit-in-the-scenario", "the same platform with limits.max_memory: 16GiB",
         [] { return huge_caches("1TiB", "limits: { max_memory: 16GiB }\n"); }, kCheck},
        {"memory-small-memory-bounds-the-caches",
         "the same caches over 64 MiB of memory: no cache can hold more lines than exist",
         [] { return huge_caches("64MiB", ""); },
         {"check", "--max-memory", "16GiB", "@"}},
        {"memory-million-step-records",
         "a million invalidate calls (repeat): the first 10000 are recorded, the rest counted, "
         "so the estimate stays within 1 GiB",
         [] {
             return one_step("repeat: { count: 1000000, steps: [ { invalidate: { base: cxl0, "
                             "size: 4KiB, strategy: smccc } } ] }");
         },
         {"check", "--max-memory=1GiB", "@"}},
        {"memory-max-memory-not-a-size",
         "--max-memory with a decimal unit",
         [] { return one_step("sleep: 1ns"); },
         {"run", "@", "--max-memory=16GB"}},
        {"records-a-million-loads",
         "a million 64 B loads in a repeat: one record, a small report, bounded memory",
         [] {
             return one_step("repeat: { count: 1000000, steps: [ { load: { base: cxl0, size: "
                             "64B } } ] }");
         },
         {"run", "@", "--quiet", "--report", "r.json"}},
        {"replay-16GiB-LL-one-record",
         "replay --LL=16GiB for one record: the sparse tag array touches one chunk",
         nullptr,
         {"replay", "--LL=17179869184,16,64", "--limit=1", "t.lackey"},
         {{"t.lackey", "I  0400d7d4,8\n L 1ffefffd40,8\n"}}},
    };
}

struct Outcome {
    int exit_code = -1;
    std::string message; // first line of stderr
    long max_rss_kb = 0;
};

Outcome run_case(const Case &c) {
    TempDir d;
    std::vector<std::string> args;
    if (c.input)
        d.write(c.id + ".yaml", c.input());
    for (const auto &[name, text] : c.files)
        d.write(name, text);
    for (const std::string &name : c.fifos)
        if (mkfifo(d.file(name).c_str(), 0644) != 0)
            ADD_FAILURE() << "mkfifo " << name;
    for (const std::string &a : c.args)
        args.push_back(a == "@" ? c.id + ".yaml" : a);
    CmosimRun r = run_cmosim(args, d.path());
    Outcome o;
    o.exit_code = r.exit_code;
    std::string all = r.err.empty() ? r.out : r.err;
    o.message = all.substr(0, all.find('\n'));
    o.max_rss_kb = r.max_rss_kb;
    return o;
}

// ---- the document's table -------------------------------------------------

const std::string kDoc = source_path("docs/reliability.md");
const std::string kBegin = "<!-- catalogue: begin -->";
const std::string kEnd = "<!-- catalogue: end -->";

std::string escape_cell(const std::string &s) {
    std::string out;
    for (char ch : s)
        out += ch == '|' ? std::string("\\|") : std::string(1, ch);
    return out;
}

std::string row(const Case &c, const Outcome &o) {
    std::string cmd;
    for (const std::string &a : c.args)
        cmd += " " + (a == "@" ? c.id + ".yaml" : a);
    return "| `" + c.id + "` | " + c.what + " | `cmosim" + escape_cell(cmd) + "` | " +
           std::to_string(o.exit_code) + " | `" + escape_cell(o.message) + "` |";
}

// id -> the row the document holds for it.
std::map<std::string, std::string> document_rows() {
    std::string doc = read_file(kDoc);
    std::map<std::string, std::string> rows;
    size_t b = doc.find(kBegin), e = doc.find(kEnd);
    if (b == std::string::npos || e == std::string::npos)
        return rows;
    std::istringstream in(doc.substr(b, e - b));
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("| `", 0) != 0)
            continue;
        size_t q = line.find('`', 3);
        rows[line.substr(3, q - 3)] = line;
    }
    return rows;
}

class CatalogueTest : public ::testing::TestWithParam<Case> {};

TEST_P(CatalogueTest, TheBinaryGivesExactlyTheMessageTheDocumentLists) {
    const Case &c = GetParam();
    Outcome o = run_case(c);
    EXPECT_NE(o.exit_code, -1) << c.id << ": cmosim crashed or was killed";
    auto rows = document_rows();
    auto it = rows.find(c.id);
    ASSERT_NE(it, rows.end()) << c.id
                              << " is missing from docs/reliability.md; regenerate it "
                                 "(see the top of catalogue_test.cpp)";
    EXPECT_EQ(it->second, row(c, o)) << "docs/reliability.md is out of date for " << c.id;
#if !defined(__SANITIZE_ADDRESS__)
    // Hostile inputs stay within bounded memory: the largest, a million YAML
    // nodes, holds about 130 MB (measured in docs/reliability.md).
    EXPECT_LT(o.max_rss_kb, 400 * 1024) << c.id << " used " << o.max_rss_kb << " KiB";
#endif
}

INSTANTIATE_TEST_SUITE_P(Inputs, CatalogueTest, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case> &i) {
                             std::string n;
                             for (char ch : i.param.id)
                                 n += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                             return n;
                         });

// With CMOSIM_UPDATE_CATALOGUE set, first rewrite the table from the binary.
void update_document() {
    std::string table = kBegin + "\n| case | input | command | exit | message |\n"
                                 "|---|---|---|---|---|\n";
    for (const Case &c : cases())
        table += row(c, run_case(c)) + "\n";
    table += kEnd;
    std::string doc = read_file(kDoc);
    size_t b = doc.find(kBegin), e = doc.find(kEnd);
    ASSERT_NE(b, std::string::npos) << "docs/reliability.md needs the catalogue markers";
    ASSERT_NE(e, std::string::npos);
    doc = doc.substr(0, b) + table + doc.substr(e + kEnd.size());
    std::ofstream(kDoc, std::ios::binary) << doc;
}

TEST(CatalogueDocumentTest, ListsEveryCaseAndNoOther) {
    if (std::getenv("CMOSIM_UPDATE_CATALOGUE"))
        update_document();
    auto rows = document_rows();
    std::vector<Case> all = cases();
    EXPECT_EQ(rows.size(), all.size()) << "rows in docs/reliability.md vs cases in the test";
    for (const Case &c : all)
        EXPECT_EQ(rows.count(c.id), 1u) << c.id;
}

} // namespace
} // namespace cmosim::test
