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
#include "cmosim/models/kinds.h"
#include "cmosim/models/tag_store.h"

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

// The values of a loaded scenario: times in picoseconds, choices as enums
// (in the order of their schema row's "one of" list; choice_name() gives the
// name a scenario writes). Defaults are the schema rows' (schema.cpp), which
// the loader fills in: these structs carry none of their own.
namespace mdl = cmosim::models;

struct CacheConfig {
    bool present = false;
    uint64_t size = 0;
    unsigned ways = 0;
    unsigned hit_cycles = 0; // private levels: the lookup in core cycles
    uint64_t hit_ps = 0;     // the lookup (private levels: hit_cycles at the core clock)
    mdl::Replacement replacement{};
    uint64_t seed = 0;
    mdl::Inclusion inclusion{};   // of the levels above (l2, slc)
    unsigned outstanding = 0;     // request slots (misses, CMOs in flight)
    bool write_back_fill = false; // slc only (CacheParams::write_back_fill)
};

struct RegionConfig {
    std::string name;
    mdl::MemoryKind kind{};
    uint64_t base = 0, size = 0;
    uint64_t read_ps = 0;
    double bandwidth_gbps = 0;
    Mark mark;
};

struct PlatformConfig {
    unsigned cpus = 0;
    double clock_ghz = 0;
    unsigned line_bytes = 0;
    unsigned cmo_outstanding = 0;
    unsigned setway_cycles = 0;
    unsigned access_cycles = 0;
    uint64_t quantum_ps = 0;
    CacheConfig l1i, l1d, l2; // l1i and l2 optional
    // The SLC's request slots are shared by every core (docs/timing-model.md).
    CacheConfig slc;
    uint64_t snoop_ps = 0;
    std::vector<RegionConfig> regions;
    double engine_clock_ghz = 0;
    unsigned engine_tags_per_cycle = 0;
    uint64_t engine_per_line_ps = 0;
    uint64_t engine_setup_ps = 0;
};

// smccc: the provider's initcall runs; none: no initcall (the framework has no provider).
enum class KernelProvider { Smccc, None };
enum class Conduit { Smc, None };

struct KernelConfig {
    KernelProvider provider{};
    unsigned hz = 0;
    Conduit conduit{};
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
enum class StreamPattern { Sequential, Strided, Random };
enum class KernelCall { InvalidateMemregion, InvalidateAll, HasInvalidateMemregion };

struct Step {
    StepKind kind;
    Mark mark;
    std::string label; // for a barrier: its name
    uint64_t base = 0, size = 0;
    mdl::DeviceOp device_op{}; // device
    mdl::CmoOp cmo_op{};       // cmo, set_way
    KernelCall call{};         // kernel
    Strategy strategy = Strategy::None;
    uint64_t duration_ps = 0; // sleep
    // stream
    StreamPattern pattern{};
    uint64_t stride = 0, accesses = 0, seed = 1;
    double write_fraction = 0;
    // replay: a lackey trace, at most `limit` records (0: all), `gap` core
    // cycles between records, addresses in [map_from, map_from + map_size)
    // moved to map_to
    std::string trace;
    uint64_t limit = 0, gap = 0;
    uint64_t warmup = 0; // replay: the first `warmup` records run functionally
    // replay: or every record before the first I record at warmup_until (the
    // trace's address, before map:), when has_warmup_until
    uint64_t warmup_until = 0;
    bool has_warmup_until = false;
    uint64_t map_from = 0, map_to = 0, map_size = 0;
    // repeat
    uint64_t count = 0;
    std::vector<Step> body;
    // smc: the function ID (w0) and the argument registers x1.. as given
    uint32_t fid = 0;
    std::vector<uint64_t> regs;
};

// An expectation's comparison, in the order of kCompareSymbols.
enum class Compare { Eq, Ne, Lt, Le, Gt, Ge };
constexpr const char *kCompareSymbols[] = {"==", "!=", "<", "<=", ">", ">="};
inline const char *compare_symbol(Compare c) {
    return kCompareSymbols[static_cast<unsigned>(c)];
}
// The comparison written `symbol` ("<="); false if there is none.
inline bool compare_from_symbol(const std::string &symbol, Compare *c) {
    for (unsigned i = 0; i < sizeof kCompareSymbols / sizeof *kCompareSymbols; ++i)
        if (symbol == kCompareSymbols[i]) {
            *c = static_cast<Compare>(i);
            return true;
        }
    return false;
}

struct Expectation {
    Mark mark;
    std::string path; // e.g. "invalidate[1].return", "checker.stale_reads"
    Compare op = Compare::Eq;
    double value = 0;
};

// A firmware hang that never returns (fault action hang, latency: forever).
constexpr uint64_t kForeverPs = UINT64_MAX;

// Everything of a scenario but its steps: what a run's result keeps
// (RunResult::scenario), however many steps the scenario has.
struct ScenarioHeader {
    std::string file; // as given, or "<built-in default>"
    std::string name;
    std::string description;
    PlatformConfig platform;
    fw_config firmware{};
    KernelConfig kernel;
    std::map<std::string, std::vector<unsigned>> barriers; // name -> participating CPUs
    std::vector<Expectation> expect;
    // `expect: {findings: any}`: checker findings the expectations do not
    // state do not fail the run (report/expect.cpp, findings_verdicts).
    bool findings_any = false;
    Mark expect_mark;           // where `expect:` is, for a finding nobody expected
    uint64_t time_limit_ps = 0; // 0: none
    // limits: (docs/reliability.md). Events: see sim/run/run_control.h.
    uint64_t wall_limit_ps = 0; // host time; 0: none
    uint64_t event_limit = 0;   // 0: none (default: the limits.events row)
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

struct Scenario : ScenarioHeader {
    std::map<unsigned, std::vector<Step>> cpus; // CPU -> its steps
};

// Load and validate. `sets` are PATH=VALUE overrides applied to the YAML
// document (after includes and the platform file) before validation, e.g.
// "platform.slc.size=64MiB" or "cpus.0[2].invalidate.size=1GiB". Throws ConfigError.
Scenario load_scenario_file(const std::string &path, const std::vector<std::string> &sets = {});
Scenario load_scenario_text(const std::string &name, const std::string &text,
                            const std::vector<std::string> &sets = {});

// A PATH=VALUE override whose messages name `origin` (the command-line
// option it stands for: "--max-sim-time 10ms") instead of "--set PATH=VALUE".
std::string named_set(const std::string &origin, const std::string &path_value);

// A time as scenarios write it ("10ms", "1.5 s"), in ns, for command-line
// options; a mistake is a ConfigError naming `what`.
double parse_time_ns(const std::string &text, const std::string &what);
// A time in ns as whole picoseconds, rounded as SystemC rounds a time.
uint64_t ns_to_ps(double ns);

// The built-in default scenario (configs/default.yaml, embedded at build time).
const char *default_scenario_text();

} // namespace cmosim::sim
