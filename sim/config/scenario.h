// SPDX-License-Identifier: Apache-2.0
// A scenario as validated plain structs: the platform, the firmware, the
// kernel, the steps each CPU runs and the expectations on the report. The
// loader (config/loader.h) is the only code that reads YAML; elaboration
// only ever sees these structs.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "cmosim/fw/firmware.h"

namespace cmosim::sim {

// Where a value came from, for messages after loading.
struct Mark {
    std::string file;
    unsigned line = 0, column = 0;
    std::string str() const;
};

// A user's mistake in an input file: file:line:column and what was expected.
class ConfigError : public std::runtime_error {
public:
    ConfigError(const Mark &m, const std::string &msg);
    Mark mark;
    std::string message;
};

struct CacheConfig {
    bool present = false;
    uint64_t size = 0;
    unsigned ways = 0;
    double hit_ns = 0; // hit latency (L1/L2 given in core cycles, converted)
    std::string replacement = "lru";
    uint64_t seed = 1;
    std::string inclusion = "non_inclusive"; // of the levels above (l2, slc)
    unsigned outstanding = 16;               // request slots (misses, CMOs in flight)
    bool write_back_fill = true;             // slc only (CacheParams::write_back_fill)
};

struct RegionConfig {
    std::string name;
    std::string kind; // "dram" or "cxl"
    uint64_t base = 0, size = 0;
    double read_ns = 0;
    double bandwidth_gbps = 0;
    Mark mark;
};

struct PlatformConfig {
    unsigned cpus = 1;
    double clock_ghz = 3.0;
    unsigned line_bytes = 64;
    unsigned cmo_outstanding = 8;
    unsigned setway_cycles = 1;
    double quantum_ns = 1000;
    CacheConfig l1i, l1d, l2; // l1i and l2 optional
    // The SLC's request slots are shared by every core (docs/timing-model.md).
    CacheConfig slc{false, 0, 0, 0, "lru", 1, "non_inclusive", 64, true};
    double snoop_ns = 10;
    std::vector<RegionConfig> regions;
    double engine_clock_ghz = 2.0;
    unsigned engine_tags_per_cycle = 4;
    double engine_per_line_ns = 2;
    double engine_setup_ns = 200;
};

struct KernelConfig {
    std::string provider = "smccc"; // smccc | none (no provider initcall: the framework has none)
    unsigned hz = 250;
    bool conduit_smc = true;
    uint64_t mutex_hold_limit_ps = 0; // 0: no check
    uint64_t nmi_watchdog_ps = 0;     // 0: no check
    unsigned kzalloc_fail_nth = 0;    // 0: never fail
    // Kernel C files compiled at run time instead of ours ("": ours); paths
    // resolved against the scenario file.
    std::string provider_src, framework_src;
};

enum class StepKind {
    Load,
    Store,
    Stream,
    Device,
    Invalidate,
    Cmo,
    SetWay,
    Kernel,
    Sleep,
    Barrier,
    Repeat,
    Replay,
    Smc,
};
enum class Strategy { None, Smccc, VaCmo, SetWay };
const char *strategy_name(Strategy s);

struct Step {
    StepKind kind;
    Mark mark;
    std::string label; // for a barrier: its name
    uint64_t base = 0, size = 0;
    std::string op; // device op, DC op, set/way op, or kernel call
    Strategy strategy = Strategy::None;
    double duration_ns = 0;
    // stream
    std::string pattern;
    uint64_t stride = 0, accesses = 0, seed = 1;
    double write_fraction = 0;
    // replay: a lackey trace, at most `limit` records (0: all), `gap` core
    // cycles between records, addresses in [map_from, map_from + map_size)
    // moved to map_to
    std::string trace;
    uint64_t limit = 0, gap = 0;
    uint64_t warmup = 0; // replay: the first `warmup` records run functionally
    uint64_t map_from = 0, map_to = 0, map_size = 0;
    // repeat
    uint64_t count = 0;
    std::vector<Step> body;
    // smc: the function ID (w0) and the argument registers x1.. as given
    uint32_t fid = 0;
    std::vector<uint64_t> regs;
};

struct Expectation {
    Mark mark;
    std::string path; // e.g. "invalidate[1].return", "checker.stale_reads"
    std::string op;   // ==, !=, <, <=, >, >=
    double value = 0;
};

// A run stops after this many events unless the scenario or --max-events says
// otherwise: about a minute of host time, and what keeps a store of 1 PiB
// from running for days.
constexpr uint64_t kDefaultEventLimit = 1000000000ull;

// A firmware hang that never returns (fault action hang, latency: forever).
constexpr uint64_t kForeverPs = UINT64_MAX;

struct Scenario {
    std::string file; // as given, or "<built-in default>"
    std::string name;
    std::string description;
    PlatformConfig platform;
    fw_config firmware{};
    KernelConfig kernel;
    std::map<unsigned, std::vector<Step>> cpus;
    std::map<std::string, std::vector<unsigned>> barriers; // name -> participating CPUs
    std::vector<Expectation> expect;
    // `expect: {findings: any}`: checker findings the expectations do not
    // state do not fail the run (report/expect.cpp, findings_verdicts).
    bool findings_any = false;
    Mark expect_mark;           // where `expect:` is, for a finding nobody expected
    uint64_t time_limit_ps = 0; // 0: none
    // limits: (docs/reliability.md). Events: see sim/run/run_control.h.
    double wall_limit_s = 0;                   // 0: none
    uint64_t event_limit = kDefaultEventLimit; // 0: none
    // Not given (limits.events, --max-events): the default budget, which
    // grows by each record a replay step reads (the trace is the work).
    bool event_limit_given = false;
    // Host memory the run may be estimated to need (memory_estimate.h); 0:
    // the default, half of the host's memory.
    uint64_t memory_limit = 0;
    Mark memory_limit_mark;
    // Every file the scenario reads: itself, its includes and platform
    // files, the traces it replays (an output must name none of them).
    std::vector<std::string> inputs;
};

// Load and validate. `sets` are PATH=VALUE overrides applied to the YAML
// document (after includes and the platform file) before validation, e.g.
// "platform.slc.size=64MiB" or "cpus.0[2].invalidate.size=1GiB". Throws ConfigError.
Scenario load_scenario_file(const std::string &path, const std::vector<std::string> &sets = {});
Scenario load_scenario_text(const std::string &name, const std::string &text,
                            const std::vector<std::string> &sets = {});

// A time as scenarios write it ("10ms", "1.5 s"), in ns, for command-line
// options; a mistake is a ConfigError naming `what`.
double parse_time_ns(const std::string &text, const std::string &what);

// The built-in default scenario (configs/default.yaml, embedded at build time).
const char *default_scenario_text();

} // namespace cmosim::sim
