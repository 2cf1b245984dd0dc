// SPDX-License-Identifier: Apache-2.0
// Malformed scenarios: each case asserts the message, the line and the column.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "config/scenario.h"

using namespace cmosim::sim;

namespace {

// A valid platform; cases append or replace lines. Line numbers in the cases
// count from the first line of the whole document.
const char *kPlatform = "platform:\n"                                          // 1
                        "  cpus: 2\n"                                          // 2
                        "  l1d: { size: 64KiB, ways: 4, hit_cycles: 4 }\n"     // 3
                        "  slc: { size: 1MiB, ways: 16, hit_latency: 40ns }\n" // 4
                        "  memory:\n"                                          // 5
                        "    - { name: cxl0, kind: cxl, base: 0x1000000000, size: 1GiB, "
                        "read_latency: 230ns, bandwidth: 32GB/s }\n" // 6
                        "cpus:\n";                                   // 7

struct Bad {
    const char *name;
    std::string yaml;
    unsigned line, column;
    const char *message;
};

std::string with_steps(const std::string &steps) {
    return std::string(kPlatform) + steps;
}

// A fault rule with `cpu: <cpu>`; the value starts at line 9, column 29.
std::string fault_on_cpu(const std::string &cpu) {
    return with_steps("  0: []\nfirmware: { faults: [{ cpu: " + cpu +
                      ", action: skip_writeback }] }\n");
}

std::string replace(std::string s, const std::string &from, const std::string &to) {
    size_t p = s.find(from);
    if (p != std::string::npos)
        s.replace(p, from.size(), to);
    return s;
}

const Bad kBad[] = {
    {"EmptyDocument", "", 1, 1, "the document is empty"},
    {"NotAMapping", "- a\n- b\n", 1, 1, "scenario: expected a mapping, found a sequence"},
    {"SyntaxError", "platform: {cpus: 2\n", 2, 1, "invalid YAML"},
    {"UnknownTopKey", with_steps("  0: []\nexpekt: {}\n"), 9, 1,
     "unknown key 'expekt' (did you mean 'expect'?)"},
    {"MissingPlatform", "cpus: {}\n", 1, 1, "missing required key 'platform'"},
    {"MissingCpus", std::string(kPlatform).substr(0, std::string(kPlatform).size() - 6), 1, 1,
     "missing required key 'cpus'"},
    {"DuplicateKey", "platform: {}\nplatform: {}\n", 2, 1,
     "duplicate key 'platform' (first at line 1)"},
    {"UnknownPlatformKey", replace(with_steps("  0: []\n"), "  cpus: 2\n", "  cpu: 2\n"), 2, 3,
     "platform: unknown key 'cpu' (did you mean 'cpus'?)"},
    {"CpusOutOfRange", replace(with_steps("  0: []\n"), "cpus: 2\n", "cpus: 65\n"), 2, 9,
     "platform.cpus: expected an integer in [1, 64], found '65'"},
    {"CpusNotANumber", replace(with_steps("  0: []\n"), "cpus: 2\n", "cpus: two\n"), 2, 9,
     "platform.cpus: expected an integer (a non-negative number), found 'two'"},
    {"WaysNotPowerOfTwo", replace(with_steps("  0: []\n"), "ways: 4,", "ways: 12,"), 3, 29,
     "platform.l1d.ways: expected a power of two in [1, 65536], or ways that divide the size into "
     "a "
     "power-of-two number of sets, found 12 (64KiB / (12 ways x 64 B) is not a power-of-two "
     "number of sets)"},
    {"TreePlruNeedsPowerOfTwoWays",
     replace(replace(with_steps("  0: []\n"), "ways: 4,", "ways: 12, replacement: tree_plru,"),
             "size: 64KiB", "size: 48KiB"),
     3, 46,
     "platform.l1d.replacement: tree_plru needs a power-of-two number of ways of at most 64, "
     "found 12 ways"},
    // 128 ways are one set of a 8 KiB L1 (fully associative); its tree would
    // need 127 bits.
    {"TreePlruAtMost64Ways",
     replace(replace(with_steps("  0: []\n"), "ways: 4,", "ways: 128, replacement: tree_plru,"),
             "size: 64KiB", "size: 8KiB"),
     3, 46,
     "platform.l1d.replacement: tree_plru needs a power-of-two number of ways of at most 64, "
     "found 128 ways"},
    {"WaysOutOfRange", replace(with_steps("  0: []\n"), "ways: 4,", "ways: 131072,"), 3, 29,
     "platform.l1d.ways: expected an integer in [1, 65536], found '131072'"},
    {"SizeNotPowerOfTwo", replace(with_steps("  0: []\n"), "size: 64KiB", "size: 48KiB"), 3, 16,
     "platform.l1d.size: expected a power of two"},
    {"SizeBadUnit", replace(with_steps("  0: []\n"), "size: 64KiB", "size: 64KB"), 3, 16,
     "platform.l1d.size: expected a size with a unit"},
    {"TimeWithoutUnit", replace(with_steps("  0: []\n"), "hit_latency: 40ns", "hit_latency: 40"), 4,
     45, "platform.slc.hit_latency: expected a time with a unit (ps, ns, us, ms, s), found '40'"},
    {"L1HitLatencyIsCycles", replace(with_steps("  0: []\n"), "hit_cycles: 4", "hit_latency: 1ns"),
     3, 32, "platform.l1d: unknown key 'hit_latency'; expected one of: size ways hit_cycles"},
    {"BadReplacement", replace(with_steps("  0: []\n"), "hit_cycles: 4", "replacement: fifo"), 3,
     45, "platform.l1d.replacement: expected one of lru, tree_plru, random, found 'fifo'"},
    {"CacheNotAMapping",
     replace(with_steps("  0: []\n"), "{ size: 64KiB, ways: 4, hit_cycles: 4 }", "64KiB"), 3, 8,
     "platform.l1d: expected a mapping, found a scalar"},
    {"NoRegions",
     replace(with_steps("  0: []\n"),
             "    - { name: cxl0, kind: cxl, base: 0x1000000000, size: 1GiB, "
             "read_latency: 230ns, bandwidth: 32GB/s }\n",
             "    []\n"),
     6, 5, "platform.memory: expected at least one region"},
    {"RegionBadKind", replace(with_steps("  0: []\n"), "kind: cxl", "kind: hbm"), 6, 27,
     "platform.memory[0].kind: expected one of dram, cxl, found 'hbm'"},
    {"RegionMissingBandwidth", replace(with_steps("  0: []\n"), ", bandwidth: 32GB/s", ""), 6, 7,
     "platform.memory[0]: missing required key 'bandwidth'"},
    {"RegionUnaligned",
     replace(with_steps("  0: []\n"), "base: 0x1000000000", "base: 0x1000000100"), 6, 7,
     "platform.memory[0]: base and size must be multiples of 4 KiB"},
    {"OverlappingRegions",
     replace(with_steps("  0: []\n"), "  memory:\n",
             "  memory:\n    - { name: dram0, kind: dram, base: 0xFFFFF000, size: 64GiB, "
             "read_latency: 100ns, bandwidth: 100GB/s }\n"),
     7, 7, "platform.memory[1]: region 'cxl0' overlaps region 'dram0' defined at t.yaml:6:7"},
    {"DuplicateRegionName",
     replace(with_steps("  0: []\n"), "  memory:\n",
             "  memory:\n    - { name: cxl0, kind: dram, base: 0, size: 1GiB, "
             "read_latency: 100ns, bandwidth: 100GB/s }\n"),
     7, 15, "platform.memory[1].name: region 'cxl0' is already defined at t.yaml:6:7"},
    {"BandwidthOutOfRange", replace(with_steps("  0: []\n"), "32GB/s", "0GB/s"), 6, 96,
     "platform.memory[0].bandwidth: expected a bandwidth in (0, 100 TB/s], found '0GB/s'"},
    {"CpuDoesNotExist", with_steps("  2:\n    - load: { base: cxl0, size: 64B }\n"), 8, 3,
     "cpus: CPU 2 does not exist (the platform has 2)"},
    {"StepsNotASequence", with_steps("  0: { load: {} }\n"), 8, 6,
     "cpus.0: expected a sequence, found a mapping"},
    {"UnknownStep", with_steps("  0:\n    - laod: { base: cxl0, size: 64B }\n"), 9, 7,
     "cpus.0[0]: unknown key 'laod' (did you mean 'load'?)"},
    {"TwoKindsInOneStep", with_steps("  0:\n    - { load: {}, store: {} }\n"), 9, 7,
     "cpus.0[0]: expected a step with exactly one kind"},
    {"UnknownRegionInAddress", with_steps("  0:\n    - load: { base: cxl1+0, size: 64B }\n"), 9, 21,
     "cpus.0[0].load.base: 'cxl1' is not a memory region (regions: cxl0)"},
    {"AddressOutsideRegions", with_steps("  0:\n    - load: { base: 0x10, size: 64B }\n"), 9, 21,
     "cpus.0[0].load.base: address 0x10 is outside every region"},
    {"RangePastRegionEnd", with_steps("  0:\n    - load: { base: cxl0+1023MiB, size: 2MiB }\n"), 9,
     13, "cpus.0[0].load: range of 2 MiB at cxl0+1023MiB runs past the end of region 'cxl0'"},
    {"OffsetPastRegion", with_steps("  0:\n    - load: { base: cxl0+2GiB, size: 64B }\n"), 9, 21,
     "cpus.0[0].load.base offset: expected a size in [0 B, "},
    {"ZeroSize", with_steps("  0:\n    - store: { base: cxl0, size: 0 }\n"), 9, 34,
     "cpus.0[0].store.size: expected a size in [1 B, "},
    {"MissingStrategy", with_steps("  0:\n    - invalidate: { base: cxl0, size: 1GiB }\n"), 9, 19,
     "cpus.0[0].invalidate: missing required key 'strategy'"},
    {"BadStrategy",
     with_steps("  0:\n    - invalidate: { base: cxl0, size: 1GiB, strategy: dc_civac }\n"), 9, 55,
     "cpus.0[0].invalidate.strategy: expected one of none, smccc, va_cmo, set_way, found "
     "'dc_civac'"},
    {"BadDeviceOp", with_steps("  0:\n    - device: { op: erase, base: cxl0, size: 1GiB }\n"), 9,
     21,
     "cpus.0[0].device.op: expected one of secure_erase, reset, dcd_release, dcd_add, "
     "offline, found 'erase'"},
    {"SleepWithoutUnit", with_steps("  0:\n    - sleep: 10\n"), 9, 14,
     "cpus.0[0].sleep: expected a time with a unit"},
    {"NegativeSleep", with_steps("  0:\n    - sleep: -1us\n"), 9, 14,
     "cpus.0[0].sleep: expected a time (a non-negative number), found '-1'"},
    {"BadSmcccVersion", with_steps("  0: []\nfirmware: { smccc_version: \"1.x\" }\n"), 9, 28,
     "firmware.smccc_version: expected MAJOR.MINOR such as \"1.7\", found '1.x'"},
    {"BadFirmwareMethod", with_steps("  0: []\nfirmware: { method: magic }\n"), 9, 21,
     "firmware.method: expected one of auto, range, global, lines, found 'magic'"},
    {"UnknownAttribute", with_steps("  0: []\nfirmware: { attributes: { latency: 5 } }\n"), 9, 27,
     "firmware.attributes: unknown key 'latency' (did you mean 'latency_us'?)"},
    {"BadBoolean", with_steps("  0: []\nfirmware: { attributes: { global: maybe } }\n"), 9, 35,
     "firmware.attributes.global: expected true or false, found 'maybe'"},
    {"BadHz", with_steps("  0: []\nkernel: { hz: 200 }\n"), 9, 15,
     "kernel.hz: expected one of 100, 250, 300, 1000, found 200"},
    {"BadProvider", with_steps("  0: []\nkernel: { provider: mine }\n"), 9, 21,
     "kernel.provider: expected one of smccc, none, found 'mine'"},
    {"BadExpectOperator", with_steps("  0: []\nexpect: { checker.stale_reads: \"=< 1\" }\n"), 9, 32,
     "expect.checker.stale_reads: expected a comparison (==, !=, <, <=, >, >=), found '=<'"},
    {"BadExpectNumber", with_steps("  0: []\nexpect: { checker.stale_reads: none }\n"), 9, 32,
     "expect.checker.stale_reads: expected a number, found 'none'"},
    {"ExpectUnknownField", with_steps("  0: []\nexpect:\n  invalidate[0].retrun: 0\n"), 10, 3,
     "expect.invalidate[0].retrun: no numeric field 'invalidate[].retrun' in the report (did you "
     "mean 'invalidate[0].return'?)"},
    {"ExpectStringField", with_steps("  0: []\nexpect:\n  accesses[2].label: 0\n"), 10, 3,
     "expect.accesses[2].label: no numeric field 'accesses[].label' in the report"},
    {"ExpectBadIndex", with_steps("  0: []\nexpect:\n  invalidate[x].return: 0\n"), 10, 3,
     "expect.invalidate[x].return: an index of digits in [], found '[x]'"},
    {"ExpectUnclosedIndex", with_steps("  0: []\nexpect:\n  invalidate[0.return: 0\n"), 10, 3,
     "expect.invalidate[0.return: a '[' without its ']'"},
    {"FindingsNotAny", with_steps("  0: []\nexpect: { findings: all }\n"), 9, 21,
     "expect.findings: expected 'any' (checker findings the expectations do not state do not "
     "fail the run), found 'all'"},
    {"FaultWithoutAction", with_steps("  0: []\nfirmware: { faults: [{ call: clean_inv }] }\n"), 9,
     22, "firmware.faults[0]: missing required key 'action'"},
    {"FaultUnknownStatus",
     with_steps("  0: []\nfirmware: { faults: [{ action: return, status: BUSSY }] }\n"), 9, 48,
     "firmware.faults[0].status: expected a status name (SUCCESS, NOT_SUPPORTED, NOT_REQUIRED, "
     "INVALID_PARAMETER, RATE_LIMITED, BUSY) or a 32-bit integer, found 'BUSSY'"},
    {"FaultReturnNeedsStatus", with_steps("  0: []\nfirmware: { faults: [{ action: return }] }\n"),
     9, 22, "firmware.faults[0] (action return): missing required key 'status'"},
    {"FaultStatusOnWrongAction",
     with_steps("  0: []\nfirmware: { faults: [{ action: skip_writeback, status: BUSY }] }\n"), 9,
     56, "firmware.faults[0].status: only the return and hang actions take a status"},
    {"FaultBadLevel",
     with_steps("  0: []\nfirmware: { faults: [{ action: skip_level, levels: [l3] }] }\n"), 9, 53,
     "firmware.faults[0].levels[0]: expected one of l1, l2, slc, found 'l3'"},
    {"FaultProbabilityAboveOne",
     with_steps("  0: []\nfirmware: { faults: [{ action: skip_writeback, probability: 1.5 }] }\n"),
     9, 61, "firmware.faults[0].probability: expected a number in [0, 1], found '1.5'"},
    {"FaultWindowReversed",
     with_steps(
         "  0: []\nfirmware: { faults: [{ action: skip_writeback, window: [2ms, 1ms] }] }\n"),
     9, 62, "firmware.faults[0].window[1]: expected a time after window[0]"},
    {"FaultUnknownCall",
     with_steps("  0: []\nfirmware: { faults: [{ call: flush, action: skip_writeback }] }\n"), 9,
     30,
     "firmware.faults[0].call: expected any, version, features, soc_id, clean_inv, attributes or "
     "a hex function ID, found 'flush'"},
    {"BusyAgentLongerThanPeriod",
     with_steps("  0: []\nfirmware: { busy_agents: [{ period: 1ms, duration: 2ms }] }\n"), 9, 27,
     "firmware.busy_agents[0]: expected 0 < duration <= period"},
    {"FaultCpuNotOnThePlatform", fault_on_cpu("2"), 9, 29,
     "firmware.faults[0].cpu: CPU 2 does not exist (the platform has 2)"},
    {"FaultCpuListNotOnThePlatform", fault_on_cpu("[0, 5]"), 9, 33,
     "firmware.faults[0].cpu[1]: CPU 5 does not exist (the platform has 2)"},
    {"FaultCpuAboveTheLargestPlatform", fault_on_cpu("64"), 9, 29,
     "firmware.faults[0].cpu: expected an integer in [0, 63], found '64'"},
    {"FaultCpuListedTwice", fault_on_cpu("[1, 1]"), 9, 33,
     "firmware.faults[0].cpu[1]: CPU 1 is listed twice"},
    {"FaultCpuEmptyList", fault_on_cpu("[]"), 9, 29,
     "firmware.faults[0].cpu: expected a CPU number or a list of CPU numbers, found an empty list"},
    {"FaultCpuNotANumber", fault_on_cpu("zero"), 9, 29,
     "firmware.faults[0].cpu: expected an integer (a non-negative number), found 'zero'"},
    {"BusyAgentCpuNotOnThePlatform",
     with_steps("  0: []\nfirmware: { busy_agents: [{ period: 1ms, duration: 1ms, cpu: 2 }] }\n"),
     9, 62, "firmware.busy_agents[0].cpu: CPU 2 does not exist (the platform has 2)"},
    {"RateLimitWithoutRate", with_steps("  0: []\nfirmware: { rate_limit: { burst: 4 } }\n"), 9, 25,
     "firmware.rate_limit: missing required key 'per_s'"},
    {"KernelCallWithRange",
     with_steps("  0:\n    - kernel: { call: invalidate_all, base: cxl0, size: 1GiB }\n"), 9, 45,
     "cpus.0[0].kernel.base: only invalidate_memregion takes a range"},
    {"SmcWithoutFid", with_steps("  0:\n    - smc: { args: [1] }\n"), 9, 12,
     "cpus.0[0].smc: missing required key 'fid'"},
    {"SmcAnyIsNotAFunction", with_steps("  0:\n    - smc: { fid: any }\n"), 9, 19,
     "cpus.0[0].smc.fid: expected version, features, soc_id, clean_inv, attributes or a hex "
     "function ID, found 'any'"},
    {"SmcFidWiderThan32Bits", with_steps("  0:\n    - smc: { fid: 0x100000000 }\n"), 9, 19,
     "cpus.0[0].smc.fid: expected an integer in [0, 4294967295], found '0x100000000'"},
    {"SmcMoreThan17Args",
     with_steps("  0:\n    - smc: { fid: version, args: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "
                "13, 14, 15, 16, 17, 18] }\n"),
     9, 34, "cpus.0[0].smc.args: expected at most 17 registers (x1..x17), found 18"},
    {"SmcArgNotANumber", with_steps("  0:\n    - smc: { fid: version, args: [1, cxl0] }\n"), 9, 38,
     "cpus.0[0].smc.args[1] (x2): expected an integer (a non-negative number), found 'cxl0'"},
    {"SmcArgsNotASequence", with_steps("  0:\n    - smc: { fid: version, args: 1 }\n"), 9, 34,
     "cpus.0[0].smc.args: expected a sequence"},
    {"RepeatWithoutSteps", with_steps("  0:\n    - repeat: { count: 3 }\n"), 9, 15,
     "cpus.0[0].repeat: missing required key 'steps'"},
    {"StreamBadPattern",
     with_steps("  0:\n    - stream: { base: cxl0, size: 1MiB, pattern: zigzag }\n"), 9, 50,
     "cpus.0[0].stream.pattern: expected one of sequential, strided, random, found 'zigzag'"},
    {"WriteFractionAboveOne",
     with_steps("  0:\n    - stream: { base: cxl0, size: 1MiB, write_fraction: 2 }\n"), 9, 57,
     "cpus.0[0].stream.write_fraction: expected a number in [0, 1], found '2'"},
    {"EmptyBarrierName", with_steps("  0:\n    - barrier: ''\n"), 9, 16,
     "cpus.0[0].barrier: expected a barrier name, found an empty value"},
    {"AliasOfAMapping", with_steps("  0: []\na: &x { b: 1 }\nc: *x\n"), 10, 4,
     "alias '*x' does not name a scalar anchor"},
    {"TwoDocuments", with_steps("  0: []\n---\nb: 1\n"), 9, 1,
     "expected one YAML document, found a second one"},
};

void PrintTo(const Bad &b, std::ostream *os) {
    *os << b.name;
}

class LoaderBadInput : public testing::TestWithParam<Bad> {};

} // namespace

// Sizes and associativities need not be powers of two, only the number of
// sets: 48 KiB of 12 ways of 64 B lines is 64 sets.
TEST(LoaderTest, TwelveWaysInAPowerOfTwoNumberOfSetsLoad) {
    Scenario s = load_scenario_text(
        "t.yaml", replace(replace(with_steps("  0: []\n"), "ways: 4,", "ways: 12,"), "size: 64KiB",
                          "size: 48KiB"));
    EXPECT_EQ(s.platform.l1d.size, 49152u);
    EXPECT_EQ(s.platform.l1d.ways, 12u);
}

TEST_P(LoaderBadInput, NamesFileLineColumnAndWhatWasExpected) {
    const Bad &b = GetParam();
    try {
        load_scenario_text("t.yaml", b.yaml);
        FAIL() << "accepted: " << b.yaml;
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.mark.file, "t.yaml");
        EXPECT_EQ(e.mark.line, b.line) << e.what();
        EXPECT_EQ(e.mark.column, b.column) << e.what();
        EXPECT_NE(e.message.find(b.message), std::string::npos)
            << "message: " << e.message << "\nwanted:  " << b.message;
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, LoaderBadInput, testing::ValuesIn(kBad),
                         [](const testing::TestParamInfo<Bad> &i) { return i.param.name; });

TEST(LoaderTest, CpuOnFaultsAndBusyAgentsIsAMaskOfThoseCpus) {
    Scenario s = load_scenario_text(
        "t.yaml", with_steps("  0: []\nfirmware:\n"
                             "  faults:\n"
                             "    - { cpu: 1, action: return, status: BUSY }\n"
                             "    - { cpu: [1, 0], action: return, status: BUSY }\n"
                             "    - { action: return, status: BUSY }\n"
                             "  busy_agents:\n"
                             "    - { period: 1ms, duration: 1ms, cpu: [0] }\n"
                             "    - { period: 1ms, duration: 1ms }\n"));
    ASSERT_EQ(s.firmware.n_faults, 3u);
    EXPECT_EQ(s.firmware.faults[0].cpu_mask, 0x2u);
    EXPECT_EQ(s.firmware.faults[1].cpu_mask, 0x3u);
    EXPECT_EQ(s.firmware.faults[2].cpu_mask, FW_ANY_CPU) << "no cpu: every CPU";
    ASSERT_EQ(s.firmware.n_busy_agents, 2u);
    EXPECT_EQ(s.firmware.busy_agents[0].cpu_mask, 0x1u);
    EXPECT_EQ(s.firmware.busy_agents[1].cpu_mask, FW_ANY_CPU);
}

TEST(LoaderTest, AnSmcStepTakesAFunctionIdAndUpTo17Registers) {
    Scenario s = load_scenario_text(
        "t.yaml", with_steps("  0:\n"
                             "    - smc: { fid: 0xC000ff00, args: [0xffffffffffffffff, 2] }\n"
                             "    - smc: { fid: features, args: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "
                             "11, 12, 13, 14, 15, 16, 17], label: all }\n"
                             "    - smc: { fid: version }\n"));
    const auto &st = s.cpus.at(0);
    ASSERT_EQ(st.size(), 3u);
    EXPECT_EQ(st[0].kind, StepKind::Smc);
    EXPECT_EQ(st[0].fid, 0xC000ff00u);
    ASSERT_EQ(st[0].regs.size(), 2u);
    EXPECT_EQ(st[0].regs[0], UINT64_MAX) << "all 64 bits of x1";
    EXPECT_EQ(st[1].fid, FW_FID_ARCH_FEATURES);
    ASSERT_EQ(st[1].regs.size(), 17u);
    EXPECT_EQ(st[1].regs[16], 17u) << "x17";
    EXPECT_EQ(st[1].label, "all");
    EXPECT_EQ(st[2].fid, FW_FID_SMCCC_VERSION);
    EXPECT_TRUE(st[2].regs.empty());
}

TEST(LoaderTest, FindingsAnyOptsOutAndIsNoExpectation) {
    Scenario s = load_scenario_text(
        "t.yaml", with_steps("  0: []\nexpect: { findings: any, checker.stale_reads: 0 }\n"));
    EXPECT_TRUE(s.findings_any);
    ASSERT_EQ(s.expect.size(), 1u) << "findings: any is not a report field";
    EXPECT_EQ(s.expect[0].path, "checker.stale_reads");
    EXPECT_EQ(s.expect_mark.line, 9u);
    Scenario strict = load_scenario_text("t.yaml", with_steps("  0: []\n"));
    EXPECT_FALSE(strict.findings_any) << "strict unless the scenario says otherwise";
}

TEST(LoaderTest, MissingFileIsNamed) {
    try {
        load_scenario_file("/nonexistent/missing.yaml");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/missing.yaml: error: cannot open"),
                  std::string::npos)
            << e.what();
    }
}

TEST(LoaderTest, TheDefaultScenarioLoadsWithUnitsAndNamedRegions) {
    Scenario s = load_scenario_text("default", default_scenario_text());
    EXPECT_EQ(s.platform.cpus, 4u);
    EXPECT_EQ(s.platform.slc.size, 32ull << 20) << "32MiB";
    EXPECT_EQ(s.platform.l2.hit_cycles, 13u) << "the l2 row default";
    EXPECT_EQ(s.platform.l2.hit_ps, 4333u) << "13 cycles at 3 GHz, in whole ps";
    ASSERT_EQ(s.platform.regions.size(), 2u);
    ASSERT_GE(s.cpus.at(0).size(), 5u);
    EXPECT_EQ(s.cpus.at(0)[4].base, 0x1000000000ull + (1ull << 30)) << "cxl0+1GiB";
    EXPECT_EQ(s.firmware.smccc_version, 0x10007u);
}

TEST(LoaderTest, SizeAndTimeUnits) {
    Scenario s = load_scenario_text(
        "t.yaml", with_steps("  0:\n    - sleep: 1.5us\n    - load: { base: 0x1000000000, size: "
                             "2KiB }\n    - store: { base: cxl0+0x40, size: 1_024 }\n"));
    const auto &st = s.cpus.at(0);
    EXPECT_EQ(st[0].duration_ps, 1500000u);
    EXPECT_EQ(st[1].size, 2048u);
    EXPECT_EQ(st[2].base, 0x1000000040ull);
    EXPECT_EQ(st[2].size, 1024u);
}

TEST(LoaderTest, AnAddressTakesSeveralOffsetsAddedOrSubtracted) {
    Scenario s = load_scenario_text(
        "t.yaml", with_steps("  0:\n    - load: { base: cxl0+8MiB+16KiB, size: 64B }\n"
                             "    - load: { base: cxl0+1MiB-4KiB+0x40, size: 64B }\n"
                             "    - load: { base: cxl0+1_024+1e3, size: 64B }\n"));
    const auto &st = s.cpus.at(0);
    EXPECT_EQ(st[0].base, 0x1000000000ull + (8ull << 20) + (16ull << 10));
    EXPECT_EQ(st[1].base, 0x1000000000ull + (1ull << 20) - 4096 + 0x40);
    EXPECT_EQ(st[2].base, 0x1000000000ull + 2024) << "an exponent is not a second term";
}

TEST(LoaderTest, AnOffsetSumOutsideItsRegionIsNamed) {
    for (auto [expr, where] :
         {std::pair<const char *, const char *>{"cxl0+4KiB-8KiB", "before its start"},
          {"cxl0+1023MiB+1MiB", "past its end"}}) {
        try {
            load_scenario_text("t.yaml", with_steps(std::string("  0:\n    - load: { base: ") +
                                                    expr + ", size: 64B }\n"));
            ADD_FAILURE() << expr << " loaded";
        } catch (const ConfigError &e) {
            const std::string m = e.what();
            EXPECT_NE(m.find("t.yaml:9:21: error: cpus.0[0].load.base: expected an offset in "
                             "[0 B, "),
                      std::string::npos)
                << m;
            EXPECT_NE(m.find(std::string("found '") + expr + "', " + where), std::string::npos)
                << m;
        }
    }
}

TEST(LoaderTest, ABareZeroIsATime) {
    Scenario s = load_scenario_text(
        "t.yaml", with_steps("  0: []\nfirmware:\n  busy_agents:\n"
                             "    - { period: 1ms, duration: 10us, phase: 0 }\n"
                             "    - { period: 1ms, duration: 10us, phase: 0.0 }\n"));
    ASSERT_EQ(s.firmware.n_busy_agents, 2u);
    EXPECT_EQ(s.firmware.busy_agents[0].phase_ps, 0u);
    EXPECT_EQ(s.firmware.busy_agents[1].phase_ps, 0u);
    EXPECT_THROW(load_scenario_text(
                     "t.yaml", with_steps("  0: []\nfirmware:\n  busy_agents:\n"
                                          "    - { period: 1ms, duration: 10us, phase: 5 }\n")),
                 ConfigError)
        << "a non-zero time still needs its unit";
}

namespace {

// Files under a fresh directory in the build tree, removed with the fixture.
class LoaderFiles : public testing::Test {
protected:
    void SetUp() override {
        dir = std::string(CMOSIM_BINARY_DIR) + "/loader-files-" +
              testing::UnitTest::GetInstance()->current_test_info()->name();
        std::string cmd = "rm -rf '" + dir + "' && mkdir -p '" + dir + "/platforms'";
        ASSERT_EQ(std::system(cmd.c_str()), 0);
    }
    void TearDown() override { std::system(("rm -rf '" + dir + "'").c_str()); }
    std::string write(const std::string &name, const std::string &text) {
        std::string path = dir + "/" + name;
        FILE *f = std::fopen(path.c_str(), "w");
        std::fputs(text.c_str(), f);
        std::fclose(f);
        return path;
    }
    std::string dir;
};

const char *kPlatformBody = "cpus: 2\n"
                            "l1d: { size: 64KiB, ways: 4, hit_cycles: 4 }\n"
                            "slc: { size: 1MiB, ways: 16, hit_latency: 40ns }\n"
                            "memory:\n"
                            "  - { name: cxl0, kind: cxl, base: 0x1000000000, size: 1GiB, "
                            "read_latency: 230ns, bandwidth: 32GB/s }\n";

} // namespace

TEST_F(LoaderFiles, PlatformByReferenceIsReadRelativeToTheScenario) {
    write("platforms/p.yaml", kPlatformBody);
    std::string s = write("s.yaml", "platform: platforms/p.yaml\ncpus: { 1: [] }\n");
    Scenario sc = load_scenario_file(s);
    EXPECT_EQ(sc.platform.cpus, 2u);
    EXPECT_EQ(sc.platform.slc.size, 1u << 20);
}

TEST_F(LoaderFiles, PlatformByReferenceWithOverrides) {
    write("platforms/p.yaml", kPlatformBody);
    std::string s = write("s.yaml", "platform:\n  from: platforms/p.yaml\n"
                                    "  slc: { size: 4MiB, ways: 16, hit_latency: 40ns }\n"
                                    "cpus: {}\n");
    Scenario sc = load_scenario_file(s);
    EXPECT_EQ(sc.platform.slc.size, 4u << 20) << "the scenario's slc wins";
    EXPECT_EQ(sc.platform.l1d.size, 64u << 10) << "the rest comes from the file";
}

TEST_F(LoaderFiles, AnErrorInsideAnIncludedFileNamesThatFile) {
    write("platforms/p.yaml", "cpus: 2\nl1d: { size: 64KiB, ways: 3, hit_cycles: 4 }\n");
    std::string s = write("s.yaml", "platform: platforms/p.yaml\ncpus: {}\n");
    try {
        load_scenario_file(s);
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.mark.file, dir + "/platforms/p.yaml");
        EXPECT_EQ(e.mark.line, 2u);
        EXPECT_EQ(e.mark.column, 27u);
        EXPECT_NE(e.message.find("platform.l1d.ways: expected a power of two"), std::string::npos);
    }
}

TEST_F(LoaderFiles, IncludesMergeAndTheIncludingFileWins) {
    write("common.yaml", std::string("platform:\n") +
                             "  cpus: 2\n  l1d: { size: 64KiB, ways: 4, hit_cycles: 4 }\n"
                             "  slc: { size: 1MiB, ways: 16, hit_latency: 40ns }\n"
                             "  memory:\n    - { name: cxl0, kind: cxl, base: 0x1000000000, "
                             "size: 1GiB, read_latency: 230ns, bandwidth: 32GB/s }\n"
                             "kernel: { hz: 1000 }\n");
    std::string s = write("s.yaml", "include: common.yaml\nplatform: { cpus: 1 }\ncpus: {}\n");
    Scenario sc = load_scenario_file(s);
    EXPECT_EQ(sc.platform.cpus, 1u) << "overridden";
    EXPECT_EQ(sc.kernel.hz, 1000u) << "inherited";
}

TEST_F(LoaderFiles, AnIncludeCycleIsReportedWithTheChain) {
    write("a.yaml", "include: b.yaml\n");
    write("b.yaml", "include: a.yaml\n");
    try {
        load_scenario_file(dir + "/a.yaml");
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.mark.file, dir + "/b.yaml");
        EXPECT_EQ(e.mark.line, 1u);
        EXPECT_EQ(e.mark.column, 10u);
        EXPECT_NE(e.message.find("include cycle: " + dir + "/a.yaml -> " + dir + "/b.yaml -> " +
                                 dir + "/a.yaml"),
                  std::string::npos)
            << e.message;
    }
}

TEST_F(LoaderFiles, AMissingIncludeIsNamedWhereItIsAskedFor) {
    std::string s = write("s.yaml", "include: [nothere.yaml]\n");
    try {
        load_scenario_file(s);
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.mark.file, s);
        EXPECT_EQ(e.mark.line, 1u);
        EXPECT_EQ(e.mark.column, 11u);
        EXPECT_NE(e.message.find("include: " + dir + "/nothere.yaml: cannot open"),
                  std::string::npos)
            << e.message;
    }
}

TEST(LoaderTest, OverridesReplaceValuesAnywhereInTheDocument) {
    Scenario s =
        load_scenario_text("default", default_scenario_text(),
                           {"platform.slc.size=64MiB", "cpus.0[5].invalidate.strategy=va_cmo",
                            "firmware.attributes={latency_us: 500}"});
    EXPECT_EQ(s.platform.slc.size, 64ull << 20);
    EXPECT_EQ(s.cpus.at(0)[5].strategy, Strategy::VaCmo);
    EXPECT_EQ(s.firmware.attr_latency_us, 500u);
}

TEST(LoaderTest, ABadOverrideValueIsReportedAgainstTheOption) {
    try {
        load_scenario_text("default", default_scenario_text(), {"platform.l2.ways=12"});
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_EQ(e.mark.file, "--set platform.l2.ways=12");
        EXPECT_NE(e.message.find("platform.l2.ways: expected a power of two"), std::string::npos);
    }
    try {
        load_scenario_text("default", default_scenario_text(), {"cpus.0[99].load.size=1"});
        FAIL();
    } catch (const ConfigError &e) {
        EXPECT_NE(e.message.find("no item [99] there (a sequence with 9 items)"), std::string::npos)
            << e.message;
    }
}
