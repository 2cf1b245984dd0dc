// SPDX-License-Identifier: Apache-2.0
#include "config/schema.h"

#include <cstring>
#include <sstream>

#include "config/scenario.h"

namespace cmosim::sim {

namespace {

const char *kAddr = "address";
const char *kRange = "a region name with optional offsets added or subtracted (cxl0, cxl0+1GiB, "
                     "dram0+8MiB+16KiB-64) or an absolute address (0x1000000000); the range must "
                     "lie inside one region";

} // namespace

const std::vector<Section> &schema_sections() {
    static const std::vector<Section> s = {
        {"scenario", "top level", "A scenario: the platform, the firmware, the kernel, what each CPU does, and what the report must show."},
        {"platform", "platform:", "The simulated machine. A mapping, a file name (`platform: ../platforms/default.yaml`, relative to the scenario), or `{from: FILE, <keys to override>}`."},
        {"platform.private_cache", "platform.l1i:, platform.l1d:, platform.l2:", "A private cache level of every core (write-back, write-allocate). `l1i` and `l2` are optional."},
        {"platform.slc", "platform.slc:", "The system-level cache, shared, behind the home node; set/way operations cannot reach it."},
        {"platform.memory[]", "platform.memory: - {...}", "A memory region: DRAM or a CXL Type-3 HDM window. Regions must not overlap."},
        {"platform.flush_engine", "platform.flush_engine:", "The home node's flush engine, which the firmware drives for CLEAN_INV_MEMREGION."},
        {"firmware", "firmware:", "The emulated EL3 firmware (Arm DEN0028 v1.7 arch service)."},
        {"firmware.functions", "firmware.functions:", "Which optional functions exist (ARCH_FEATURES answers accordingly; absent ones return NOT_SUPPORTED)."},
        {"firmware.features", "firmware.features:", "What ARCH_FEATURES returns for each implemented function ID (>= 0)."},
        {"firmware.attributes", "firmware.attributes:", "CLEAN_INV_MEMREGION_ATTRIBUTES results (x0..x4)."},
        {"firmware.validation", "firmware.validation:", "Choices where DEN0028 is silent (smccc-interface.md section 6)."},
        {"firmware.rate_limit", "firmware.rate_limit:", "A token bucket enforced by the firmware: a call without a token returns RATE_LIMITED and does nothing."},
        {"firmware.busy_agents[]", "firmware.busy_agents: - {...}", "A background agent (scrubber, patrol) holding the flush engine: calls while it runs return BUSY."},
        {"firmware.faults[]", "firmware.faults: - {...}", "One fault rule; the first rule matching a call applies. Deterministic for a given firmware.seed."},
        {"kernel", "kernel:", "The simulated Linux kernel: the shim and which provider registers."},
        {"limits", "limits:", "Limits of one run; a run that reaches one writes its report marked incomplete (exit code 3)."},
        {"step.load", "cpus: N: - load: {...}", "Load every line of the range, in order; each load is checked for staleness."},
        {"step.store", "cpus: N: - store: {...}", "Store to every line of the range, in order (the lines become dirty)."},
        {"step.stream", "cpus: N: - stream: {...}", "A stream of accesses with a pattern and a load/store mix."},
        {"step.device", "cpus: N: - device: {...}", "A device-side operation on CXL memory that bypasses every CPU cache."},
        {"step.invalidate", "cpus: N: - invalidate: {...}", "Clean and invalidate a range by one strategy; the report records its latency split and audits the range for residual lines when it returns success (strategy `none` included: it returns 0 and leaves the range cached)."},
        {"step.cmo", "cpus: N: - cmo: {...}", "A loop of one DC operation by VA over every line of the range, then DSB."},
        {"step.set_way", "cpus: N: - set_way: {...}", "One DC operation by set/way over every set and way of this core's own cache levels."},
        {"step.kernel", "cpus: N: - kernel: {...}", "A call of the kernel API, on this CPU's thread."},
        {"step.smc", "cpus: N: - smc: {...}", "One SMC instruction on this CPU, straight to the firmware through the path the kernel's arm_smccc_1_1_invoke() takes; the report's `smc` array records the registers it returned."},
        {"step.sleep", "cpus: N: - sleep: 10us", "Idle for a time (the CPU does nothing)."},
        {"step.barrier", "cpus: N: - barrier: NAME", "Wait until every CPU whose steps name this barrier has reached it."},
        {"step.repeat", "cpus: N: - repeat: {...}", "Run a list of steps several times."},
        {"step.replay", "cpus: N: - replay: {...}", "Replay a Valgrind lackey trace (docs/traces.md) through this CPU's caches: `I` records are instruction fetches (to the L1I), `L` loads, `S` stores, `M` one load whose line becomes dirty; an access that straddles lines touches each and counts as one reference, a miss if any line misses. The report's `replays` carries cachegrind's nine counts."},
        {"replay.map", "cpus: N: - replay: {map: {...}}", "Relocation of the trace's addresses: [from, from + size) moves to [to, to + size), e.g. a program's heap into a CXL window. Other addresses are replayed as recorded."},
        {"expect", "expect:", "Expectations on report fields: `PATH: \"OP VALUE\"` with OP one of ==, !=, <, <=, >, >= (== when omitted). PATH is a dotted path into the JSON report with [i] for array items, e.g. `invalidate[1].return: 0`, `checker.stale_reads: \"> 0\"`; it must name a numeric or boolean field the report has (docs/report-format.md), checked when the scenario loads: a typo (`invalidate[0].retrun`) is bad input, with the nearest field. Every checker finding (the counts in the report's `checker` section: stale_reads, lost_device_writes, residual_lines, lost_cpu_writes, offline_reads) fails the run unless the expectations state its count: any comparison on `checker.KIND` (`checker.stale_reads: 16384`, `checker.lost_device_writes: \">= 0\"`), or comparisons on the KIND fields of records of one array whose values add up to the checker's count (`accesses[1].stale_reads: \"> 0\"` when that access has every stale read; `invalidate[0].residual_lines: 33792` and `invalidate[2].residual_lines: 0`). `findings: any` in `expect` opts out: findings nobody stated do not fail the run. The failure names each unstated kind and its count."},
    };
    return s;
}

const std::vector<Param> &schema() {
    static const std::vector<Param> p = {
        {"scenario", "name", "string", "", "-", "", "Shown in the summary and the report."},
        {"scenario", "description", "string", "", "-", "", "One line saying what the scenario shows."},
        {"scenario", "include", "string or sequence", "", "-", "files", "Documents merged under this one (relative paths from this file); this file's keys win, mappings merge key by key."},
        {"scenario", "platform", "mapping or string", "", "required", "", "The platform inline (see the platform section), a file, or the name of a ready platform built into cmosim (default, small, large, cachegrind-like; `cmosim platforms` lists them); `{from: FILE or NAME, <overrides>}` changes some keys of one."},
        {"scenario", "firmware", "mapping", "", "defaults", "", "See the firmware section."},
        {"scenario", "kernel", "mapping", "", "defaults", "", "See the kernel section."},
        {"scenario", "cpus", "mapping", "", "required", "CPU number -> sequence of steps; each CPU once (0, 00 and 0x0 are one CPU)", "What each CPU does, in order. CPUs not listed only boot."},
        {"scenario", "expect", "mapping", "", "-", "", "See the expect section."},
        {"scenario", "limits", "mapping", "", "-", "", "See the limits section."},

        {"platform", "cpus", "integer", "", "1", "", "Number of cores.", at<&PlatformConfig::cpus>("1", "64")},
        {"platform", "clock_ghz", "real", "GHz", "3.0", "", "Core clock; converts hit_cycles to time.", at<&PlatformConfig::clock_ghz>("0.01", "20")},
        {"platform", "line_size", "power-of-two size", "bytes", "64B", "", "Cache line size of every level.", at<&PlatformConfig::line_bytes>("16B", "512B")},
        {"platform", "cmo_outstanding", "integer", "", "8", "", "DC C*VAC operations a core keeps in flight: one issues every (lookup latency to the PoC) / cmo_outstanding.", at<&PlatformConfig::cmo_outstanding>("1", "256")},
        {"platform", "access_cycles", "integer", "cycles", "1", "", "Core cycles to issue one load or store (on top of the caches' lookups).", at<&PlatformConfig::access_cycles>("1", "1000")},
        {"platform", "setway_cycles", "integer", "cycles", "1", "", "Core cycles per DC C*SW operation (per set and way).", at<&PlatformConfig::setway_cycles>("1", "1000")},
        {"platform", "quantum", "time", "", "1us", "", "TLM quantum of the cores' temporal decoupling.", at<&PlatformConfig::quantum_ps>("1ns", "1s")},
        {"platform", "l1d", "mapping", "", "required", "", "Private L1 data cache (platform.private_cache)."},
        {"platform", "l1i", "mapping", "", "absent", "", "Private L1 instruction cache (platform.private_cache), fed by replayed `I` records; absent means instruction fetches go to L1D."},
        {"platform", "l2", "mapping", "", "absent", "", "Private L2 cache (platform.private_cache); absent means L1D connects to the home node."},
        {"platform", "slc", "mapping", "", "required", "", "The system-level cache (platform.slc)."},
        {"platform", "snoop_latency", "time", "", "10ns", "", "Added per core whose private copy a request must snoop.", at<&PlatformConfig::snoop_ps>("0", "1ms")},
        {"platform", "memory", "sequence", "", "required", "at least one region", "Memory regions (platform.memory[])."},
        {"platform", "flush_engine", "mapping", "", "defaults", "", "Flush engine costs (platform.flush_engine)."},

        {"platform.private_cache", "size", "size", "bytes", "required", "ways x line size x a power of two", "Capacity: the number of sets (size / (ways x line size)) is a power of two; size and ways need not be (12 MiB, 12 ways).", at<&CacheConfig::size>("1KiB", "16GiB")},
        {"platform.private_cache", "ways", "integer", "", "required", "a power of two of at most 64 for tree_plru", "Associativity: 65536 ways is a fully associative cache of 4 MiB with 64 B lines (a lookup searches every way, as cachegrind's does).", at<&CacheConfig::ways>("1", "65536")},
        {"platform.private_cache", "hit_cycles", "integer", "cycles", "l1i 4, l1d 4, l2 13", "", "Lookup latency, in core cycles.", at<&CacheConfig::hit_cycles>("1", "1000")},
        {"platform.private_cache", "replacement", "one of lru|tree_plru|random", "", "lru", "", "Replacement policy.", at<&CacheConfig::replacement>()},
        {"platform.private_cache", "seed", "integer", "", "1", "", "Seed of the random replacement policy.", at<&CacheConfig::seed>("0", "0x1fffffffffffff")},
        {"platform.private_cache", "inclusion", "one of non_inclusive|inclusive", "", "non_inclusive", "l2 only", "inclusive: the L2 holds every line of the core's L1D; evicting a line from the L2 first invalidates it in the L1D (back-invalidation), and a dirty L1D copy leaves with the victim. non_inclusive: each level evicts on its own.", at<&CacheConfig::inclusion>()},
        {"platform.private_cache", "outstanding", "integer", "", "16", "", "Requests the level keeps in flight (miss slots). A core's independent loads and stores (load, store and stream steps) keep at most the smallest limit on their way to memory in flight; a DC loop by VA the smallest on its way to the PoC (with platform.cmo_outstanding).", at<&CacheConfig::outstanding>("1", "1024")},
        {"platform.slc", "size", "size", "bytes", "required", "ways x line size x a power of two", "Capacity: the number of sets (size / (ways x line size)) is a power of two; size and ways need not be (12 MiB, 12 ways).", at<&CacheConfig::size>("1KiB", "16GiB")},
        {"platform.slc", "ways", "integer", "", "required", "a power of two of at most 64 for tree_plru", "Associativity: 65536 ways is a fully associative cache of 4 MiB with 64 B lines (a lookup searches every way, as cachegrind's does).", at<&CacheConfig::ways>("1", "65536")},
        {"platform.slc", "hit_latency", "time", "", "40ns", "", "Lookup latency including the interconnect.", at<&CacheConfig::hit_ps>("1ps", "1ms")},
        {"platform.slc", "replacement", "one of lru|tree_plru|random", "", "lru", "", "Replacement policy.", at<&CacheConfig::replacement>()},
        {"platform.slc", "seed", "integer", "", "1", "", "Seed of the random replacement policy.", at<&CacheConfig::seed>("0", "0x1fffffffffffff")},
        {"platform.slc", "inclusion", "one of non_inclusive|inclusive", "", "non_inclusive", "", "inclusive: the SLC holds every line of every core's private caches; evicting a line from the SLC first invalidates every private copy (back-invalidation through the snoop filter), and a dirty private copy leaves with the victim. non_inclusive: private copies stay.", at<&CacheConfig::inclusion>()},
        {"platform.slc", "outstanding", "integer", "", "64", "", "Request slots of the SLC (the home node's point-of-coherency queue), shared by every core: a read holds one from its arrival until its data returns, and waits when all are busy. Also bounds DC loops by VA like the private levels' limit.", at<&CacheConfig::outstanding>("1", "1024")},
        {"platform.slc", "write_back_fill", "bool", "", "true", "", "A write-back from above that misses allocates a line and one that hits refreshes the replacement order; false: a hit only marks the line dirty and a miss goes on to memory, so only fills change the contents (cachegrind's LL).", at<&CacheConfig::write_back_fill>()},

        {"platform.memory[]", "name", "string", "", "required", "unique; not empty, not starting with a digit, no '+' or '-'", "Name used in addresses (cxl0+1GiB)."},
        {"platform.memory[]", "kind", "one of dram|cxl", "", "required", "", "DRAM or a CXL HDM window (device operations need cxl).", at<&RegionConfig::kind>()},
        {"platform.memory[]", "base", "size", "bytes", "required", "multiple of 4KiB", "Physical base address.", at<&RegionConfig::base>("0", "0x7fffffffffffffff")},
        {"platform.memory[]", "size", "size", "bytes", "required", "multiple of 4KiB", "Size.", at<&RegionConfig::size>("4KiB", "4PiB")},
        {"platform.memory[]", "read_latency", "time", "", "required", "", "Load-to-use latency of a line read.", at<&RegionConfig::read_ps>("1ns", "1ms")},
        {"platform.memory[]", "bandwidth", "bandwidth", "GB/s", "required", "(0, 100TB/s]", "Per direction; requests queue behind each other at this rate.", at<&RegionConfig::bandwidth_gbps>()},

        {"platform.flush_engine", "clock_ghz", "real", "GHz", "2.0", "", "Engine clock.", at<&PlatformConfig::engine_clock_ghz>("0.01", "20")},
        {"platform.flush_engine", "tags_per_cycle", "integer", "", "4", "", "SLC tag entries examined per engine cycle.", at<&PlatformConfig::engine_tags_per_cycle>("1", "1024")},
        {"platform.flush_engine", "per_line", "time", "", "2ns", "", "Cost per line found (invalidation, back-invalidation of a private copy).", at<&PlatformConfig::engine_per_line_ps>("0", "1ms")},
        {"platform.flush_engine", "setup", "time", "", "200ns", "", "Cost of programming the engine, per call.", at<&PlatformConfig::engine_setup_ps>("0", "1s")},

        {"firmware", "smccc_version", "string", "", "\"1.7\"", "MAJOR.MINOR", "What SMCCC_VERSION returns."},
        {"firmware", "functions", "mapping", "", "defaults", "", "firmware.functions."},
        {"firmware", "features", "mapping", "", "defaults", "", "firmware.features."},
        {"firmware", "attributes", "mapping", "", "defaults", "", "firmware.attributes."},
        {"firmware", "method", "one of auto|range|global|lines", "", "auto", "", "How CLEAN_INV_MEMREGION flushes: the PA-range engine, a global flush, a per-line DC CIVAC walk at EL3, or auto (lines below the break-even size, range above).", at<&fw_config::method>()},
        {"firmware", "validation", "mapping", "", "defaults", "", "firmware.validation."},
        {"firmware", "rate_limit", "mapping", "", "not enforced", "", "firmware.rate_limit."},
        {"firmware", "entry_cost", "time", "", "1us", "", "Trap into EL3 and return, charged to the calling CPU per SMC.", at<&fw_config::entry_ps>("0", "1s")},
        {"firmware", "bookkeeping", "time", "", "500ns", "", "Firmware bookkeeping per SMC.", at<&fw_config::bookkeeping_ps>("0", "1s")},
        {"firmware", "busy_agents", "sequence", "", "none", "at most 8", "firmware.busy_agents[]."},
        {"firmware", "faults", "sequence", "", "none", "at most 32", "firmware.faults[]."},
        {"firmware", "seed", "integer", "", "1", "", "Seed of the fault plan's probabilities.", at<&fw_config::seed>("0", "0x1fffffffffffff")},
        {"firmware", "log_capacity", "integer", "", "4096", "", "SMC call-log entries kept in the report (counts stay exact).", at<&fw_config::log_capacity>("0", "1000000")},

        {"firmware.functions", "clean_inv", "bool", "", "true", "", "CLEAN_INV_MEMREGION (0xC0000005) exists.", at<&fw_config::has_clean_inv>()},
        {"firmware.functions", "attributes", "bool", "", "true", "", "CLEAN_INV_MEMREGION_ATTRIBUTES (0xC0000006) exists.", at<&fw_config::has_attributes>()},
        {"firmware.functions", "soc_id", "bool", "", "false", "", "SMCCC_ARCH_SOC_ID exists.", at<&fw_config::has_soc_id>()},
        {"firmware.features", "clean_inv", "integer", "", "0", "", "ARCH_FEATURES(0xC0000005) result.", at<&fw_config::features_clean_inv>("0", "2147483647")},
        {"firmware.features", "attributes", "integer", "", "0", "", "ARCH_FEATURES(0xC0000006) result.", at<&fw_config::features_attributes>("0", "2147483647")},
        {"firmware.attributes", "status", "status", "", "SUCCESS", "SUCCESS, NOT_SUPPORTED, NOT_REQUIRED, INVALID_PARAMETER, RATE_LIMITED, BUSY or an integer", "x0 of ATTRIBUTES (the provider registers only on 0)."},
        {"firmware.attributes", "global", "bool", "", "false", "", "x1 bit 0: the implementation flushes all caches globally.", at<&fw_config::attr_global>()},
        {"firmware.attributes", "latency_us", "integer", "us", "2000", "", "x2: worst-case latency advertised.", at<&fw_config::attr_latency_us>("0", "4294967295")},
        {"firmware.attributes", "rate_limit_per_s", "integer", "calls/s", "0", "", "x3: maximum calls per second advertised (0: none). The firmware enforces firmware.rate_limit, not this.", at<&fw_config::attr_rate_limit>("0", "4294967295")},
        {"firmware.attributes", "breakeven", "size or model", "bytes", "model", "", "x4: the break-even size; `model` derives it from the platform (VA CMO loop cost = firmware call cost)."},
        {"firmware.validation", "strict_alignment", "bool", "", "false", "", "Unaligned base/length -> INVALID_PARAMETER (else rounded outward to lines).", at<&fw_validation::strict_alignment>()},
        {"firmware.validation", "zero_length_ok", "bool", "", "false", "", "Length 0 -> SUCCESS (else INVALID_PARAMETER).", at<&fw_validation::zero_length_ok>()},
        {"firmware.validation", "all_ones_is_global", "bool", "", "true", "", "Length 0xFFFFFFFFFFFFFFFF is served as a global flush (else INVALID_PARAMETER).", at<&fw_validation::all_ones_is_global>()},
        {"firmware.validation", "wrap_ok", "bool", "", "false", "", "base + length past 2^64 is clipped (else INVALID_PARAMETER).", at<&fw_validation::wrap_ok>()},
        {"firmware.validation", "reserved_flags_ok", "bool", "", "false", "", "Unknown x3 flag bits are ignored (else INVALID_PARAMETER).", at<&fw_validation::reserved_flags_ok>()},
        {"firmware.rate_limit", "per_s", "integer", "calls/s", "required", "", "Token refill rate.", at<&fw_config::rate_per_s>("0", "1000000000")},
        {"firmware.rate_limit", "burst", "integer", "calls", "1", "", "Bucket capacity (tokens start full).", at<&fw_config::burst>("1", "1000000")},
        {"firmware.busy_agents[]", "period", "time", "", "required", "> 0", "The agent starts every period."},
        {"firmware.busy_agents[]", "duration", "time", "", "required", "0 < duration <= period", "It holds the engine this long."},
        {"firmware.busy_agents[]", "phase", "time", "", "0", "", "Time of its first start."},
        {"firmware.busy_agents[]", "cpu", "integer or sequence of integers", "", "every CPU", "CPU numbers of the platform", "Only calls from these CPUs find the engine held by this agent; the others find it free."},
        {"firmware.faults[]", "call", "function", "", "clean_inv", "any, version, features, soc_id, clean_inv, attributes, or a hex FID", "Which calls the rule selects."},
        {"firmware.faults[]", "cpu", "integer or sequence of integers", "", "every CPU", "CPU numbers of the platform", "Only calls from these CPUs are selected. With `cpu`, `attempts` counts each CPU's own calls of the function."},
        {"firmware.faults[]", "attempts", "integer or [first, last]", "", "any", "1-based", "Per-function call index range: among the calls of every CPU, or with `cpu` among the calling CPU's calls only (so `cpu: 0, attempts: [1, 3]` is CPU0's first three calls whatever the other CPUs do)."},
        {"firmware.faults[]", "window", "[from, to]", "time", "any", "from < to", "Simulated-time window of the call."},
        {"firmware.faults[]", "probability", "real", "", "1", "0..1", "Chance that a selected call is hit."},
        {"firmware.faults[]", "action", "one of return|add_latency|hang|skip_level|skip_writeback|partial", "", "required", "", "return: answer `status`, do nothing; add_latency: do the call plus `latency`; hang: spend `latency`, then answer `status`; skip_level: report SUCCESS but leave `levels` alone; skip_writeback: report SUCCESS but drop dirty data; partial: report SUCCESS but flush only `fraction` of the range."},
        {"firmware.faults[]", "status", "status", "", "required by return, hang", "as firmware.attributes.status", "Status returned."},
        {"firmware.faults[]", "latency", "time or forever (hang)", "", "required by add_latency, hang", "", "Extra or hang time; a hang with `forever` never returns (status then optional), which cmosim reports as a firmware hang."},
        {"firmware.faults[]", "levels", "sequence of l1|l2|slc", "", "required by skip_level", "", "Levels left unflushed."},
        {"firmware.faults[]", "fraction", "real", "", "required by partial", "0..1", "Share of the range flushed (from its start, whole lines)."},

        {"kernel", "provider", "one of smccc|none", "", "smccc", "", "smccc: the SMCCC provider's arch_initcall runs at boot; none: no initcall runs, so the framework has no provider and returns 0 doing nothing.", at<&KernelConfig::provider>()},
        {"kernel", "hz", "integer", "Hz", "250", "100, 250, 300 or 1000", "CONFIG_HZ: sets fsleep's switch from usleep_range to msleep and msleep's rounding.", at<&KernelConfig::hz>("100", "1000")},
        {"kernel", "conduit", "one of smc|none", "", "smc", "", "SMCCC conduit (none: arm_smccc_1_1_invoke returns -1).", at<&KernelConfig::conduit>()},
        {"kernel", "mutex_hold_limit", "time", "", "0", "0: off", "A mutex held longer raises a rule event.", at<&KernelConfig::mutex_hold_limit_ps>("0", "10000s")},
        {"kernel", "nmi_watchdog", "time", "", "0", "0: off", "Kernel code running longer without touch_nmi_watchdog() raises a rule event.", at<&KernelConfig::nmi_watchdog_ps>("0", "10000s")},
        {"kernel", "kzalloc_fail_nth", "integer", "", "0", "0: never", "The Nth slab allocation returns NULL.", at<&KernelConfig::kzalloc_fail_nth>("0", "1000000")},
        {"kernel", "provider_src", "string", "", "ours", "a C file", "Your SMCCC provider (instead of provider/drivers/cache/arm_smccc_cache.c), compiled unchanged at run time against the shim headers built into cmosim and cached (docs/bring-your-own-driver.md); relative to the scenario file. `cmosim run --provider-src` overrides it."},
        {"kernel", "framework_src", "string", "", "ours", "a C file", "Your generic framework (instead of provider/lib/cache_maint.c), compiled like provider_src; relative to the scenario file. `cmosim run --framework-src` overrides it."},

        {"limits", "sim_time", "time", "", "none", "", "Stop the run at this simulated time.", at<&ScenarioHeader::time_limit_ps>("1ns", "10000s")},
        {"limits", "wall_time", "time", "", "none", "", "Stop the run after this much host (wall-clock) time.", at<&ScenarioHeader::wall_limit_ps>("1ms", "604800s")},
        {"limits", "events", "integer", "", "250000000", "0: none", "Stop the run before it passes this many events: one per step, per line a load or store touches, per stream access, per replayed trace record, per firmware call, per kernel sleep, busy-wait or lock wait. When not given, the default grows by the work the steps declare: the lines of each load or store and the accesses of each stream of at most 2^32 (a larger one is refused before it starts), and each replayed record; so declared work runs whole and what no step declares (retries, sleeps, waits, steps in a runaway repeat) stops within about a minute (docs/reliability.md).", at<&ScenarioHeader::event_limit>("0", "9007199254740992")},
        {"limits", "max_memory", "size", "bytes", "half of the host's memory", "", "Refuse the scenario (exit code 2, at check and run) when the host memory it is estimated to need is larger: its caches' tag arrays as far as its memory regions and event limit let them fill, and its step records (docs/reliability.md). --max-memory overrides it.", at<&ScenarioHeader::memory_limit>("1MiB", "4096PiB")},

        {"step.load", "base", kAddr, "", "required", kRange, "First byte."},
        {"step.load", "size", "size", "bytes", "required", "1B..", "Length."},
        {"step.load", "label", "string", "", "-", "", "Shown in the summary and the report."},
        {"step.store", "base", kAddr, "", "required", kRange, "First byte."},
        {"step.store", "size", "size", "bytes", "required", "1B..", "Length."},
        {"step.store", "label", "string", "", "-", "", "Shown in the summary and the report."},
        {"step.stream", "base", kAddr, "", "required", kRange, "First byte of the window."},
        {"step.stream", "size", "size", "bytes", "required", "1B..", "Window length."},
        {"step.stream", "pattern", "one of sequential|strided|random", "", "sequential", "", "Address pattern inside the window (strided and sequential wrap around).", at<&Step::pattern>()},
        {"step.stream", "stride", "size", "bytes", "line_size", "1B..window", "Distance between accesses (strided)."},
        {"step.stream", "accesses", "integer", "", "lines in the window", "1..2^40", "Number of accesses."},
        {"step.stream", "write_fraction", "real", "", "0", "", "Share of accesses that are stores (drawn per access).", at<&Step::write_fraction>("0", "1")},
        {"step.stream", "seed", "integer", "", "1", "", "Seed of the random pattern and of the load/store draw.", at<&Step::seed>("0", "0x1fffffffffffff")},
        {"step.stream", "label", "string", "", "-", "", "Shown in the summary and the report."},
        {"step.device", "op", "one of secure_erase|reset|dcd_release|dcd_add|offline", "", "required", "", "What the device does to the range; each is one interval in the backing store whatever its size. secure_erase: zeros or a pattern; reset: the range comes back online with its content lost; dcd_release: a dynamic-capacity extent is released (offline); dcd_add: an extent is added (online, fresh content); offline: the range goes away. A read that reaches an offline or released range is a checker event (offline_read).", at<&Step::device_op>()},
        {"step.device", "base", kAddr, "", "required", kRange, "First byte."},
        {"step.device", "size", "size", "bytes", "required", "1B..", "Length."},
        {"step.device", "label", "string", "", "-", "", "Shown in the summary and the report."},
        {"step.invalidate", "base", kAddr, "", "required", kRange, "First byte."},
        {"step.invalidate", "size", "size", "bytes", "required", "1B..", "Length."},
        {"step.invalidate", "strategy", "one of none|smccc|va_cmo|set_way", "", "required", "", "none: nothing (the range is still audited, so its cached lines count as residual); smccc: cpu_cache_invalidate_memregion() through the framework and the provider; va_cmo: DC CIVAC over every line then DSB; set_way: DC CISW over this core's levels.", at<&Step::strategy>()},
        {"step.invalidate", "label", "string", "", "-", "", "Shown in the summary and the report."},
        {"step.cmo", "op", "one of dc_civac|dc_cvac|dc_ivac", "", "required", "", "Clean+invalidate, clean, or invalidate (dirty data discarded), to the PoC.", at<&Step::cmo_op>()},
        {"step.cmo", "base", kAddr, "", "required", kRange, "First byte."},
        {"step.cmo", "size", "size", "bytes", "required", "1B..", "Length."},
        {"step.cmo", "label", "string", "", "-", "", "Shown in the summary and the report."},
        {"step.set_way", "op", "one of dc_cisw|dc_csw|dc_isw", "", "required", "", "Clean+invalidate, clean, or invalidate by set/way."},
        {"step.set_way", "label", "string", "", "-", "", "Shown in the summary and the report."},
        {"step.kernel", "call", "one of invalidate_memregion|invalidate_all|has_invalidate_memregion", "", "required", "", "cpu_cache_invalidate_memregion(base, size), cpu_cache_invalidate_all() (= (0, -1)), or cpu_cache_has_invalidate_memregion().", at<&Step::call>()},
        {"step.kernel", "base", kAddr, "", "required by invalidate_memregion", kRange, "First byte."},
        {"step.kernel", "size", "size", "bytes", "required by invalidate_memregion", "1B..", "Length."},
        {"step.kernel", "label", "string", "", "-", "", "Shown in the summary and the report."},
        {"step.smc", "fid", "function", "", "required", "version, features, soc_id, clean_inv, attributes, or a hex FID (32 bits)", "The function ID, passed in w0 as given: an SMC32 or SMC64, fast or yielding, known or unknown ID."},
        {"step.smc", "args", "sequence of integers", "", "none (all zero)", "at most 17 (x1..x17), each 0..2^64-1", "The argument registers x1, x2, ... in order; registers not given are zero. All reach the firmware (SMCCC v1.2 passes x1..x17; no function it implements reads past x3), which leaves x5..x17 as passed."},
        {"step.smc", "label", "string", "", "-", "", "Shown in the report."},
        {"step.replay", "trace", "string", "", "required", "a file", "The trace: lackey's text (`--trace-mem=yes --log-file=F`), plain or compressed with gzip, xz or zstd, or packed by `cmosim trace pack` (recognised by content); relative to the scenario file."},
        {"step.replay", "limit", "integer", "records", "all", "", "Replay at most this many records.", at<&Step::limit>("1", "9007199254740992")},
        {"step.replay", "gap", "integer", "cycles", "0", "", "Core cycles between records, on top of each access's own time.", at<&Step::gap>("0", "1000000")},
        {"step.replay", "warmup", "integer", "records", "0", "", "Functional warm-up: the first this many records (of `limit`, if given) run functionally, changing the caches, the snoop filter and the versioned store as timed replay would but taking no simulated time (no latency, no bandwidth, no gap); stale loads are still checked. Their counts are reported apart (the report's `replays[].warmup`); `events` and `records` are the timed rest's (docs/traces.md).", at<&Step::warmup>("0", "9007199254740992")},
        {"step.replay", "warmup_until", kAddr, "", "none", "an absolute address (0x4001234) or a region name with optional offsets (dram0+0x4001234)", "Functional warm-up up to a marker: every record before the first instruction fetch (`I` record) at this address, as the trace writes it (before `map:`), runs functionally as under `warmup`; that record and the rest run timed. A region name with an offset names the address it stands for. If no such record comes, every record runs functionally and the report says so (`replays[].warmup.marker_found: false`). Not together with `warmup` (docs/traces.md)."},
        {"step.replay", "map", "mapping", "", "none", "", "Address relocation (replay.map)."},
        {"step.replay", "label", "string", "", "-", "", "Shown in the summary and the report."},
        {"replay.map", "from", "size", "bytes", "required", "", "First trace address moved."},
        {"replay.map", "to", kAddr, "", "required", kRange, "Where `from` lands; [to, to + size) must lie inside one region."},
        {"replay.map", "size", "size", "bytes", "required", "1B..", "Length of the relocated range."},
        {"step.repeat", "count", "integer", "", "required", "", "How many times.", at<&Step::count>("1", "1000000000")},
        {"step.repeat", "steps", "sequence", "", "required", "steps", "The steps to repeat (nesting allowed)."},
        {"step.repeat", "label", "string", "", "-", "", "Shown in the report."},
    };
    return p;
}

const Param *param(const std::string &section, const std::string &key) {
    for (const Param &p : schema())
        if (section == p.section && key == p.key)
            return &p;
    return nullptr;
}

std::string choice_name(const std::string &section, const std::string &key, unsigned index) {
    const Param *p = param(section, key);
    if (!p || std::strncmp(p->type, "one of ", 7) != 0)
        return "?";
    std::string list = p->type + 7;
    size_t at = 0;
    for (unsigned i = 0; i < index; ++i) {
        at = list.find('|', at);
        if (at == std::string::npos)
            return "?";
        ++at;
    }
    return list.substr(at, list.find('|', at) - at);
}

std::string accepted_text(const Param &p) {
    std::string bounds;
    if (*p.slot.lo || *p.slot.hi)
        bounds = std::string(p.slot.lo) + ".." + p.slot.hi;
    if (bounds.empty() || !*p.range)
        return bounds + p.range;
    return bounds + "; " + p.range;
}

std::vector<const char *> keys_of(const std::string &section) {
    std::vector<const char *> out;
    for (const Param &p : schema())
        if (section == p.section)
            out.push_back(p.key);
    return out;
}

std::string schema_markdown() {
    std::ostringstream o;
    o << "# Scenario reference\n\n"
         "Generated from the loader's schema (`sim/config/schema.cpp`) by `cmosim explain "
         "--markdown`; a test fails when this file and the schema differ.\n\n"
         "Units: sizes take B, KiB, MiB, GiB, TiB, PiB (binary; `_` may separate digits, hex "
         "with 0x); times take ps, ns, us, ms, s (a bare 0 needs none); bandwidths GB/s, MB/s, TB/s (decimal). "
         "Whole numbers, addresses and sizes included, are read exactly as 64-bit integers "
         "(never through floating point); a number holds no spaces; NaN and infinity are "
         "refused everywhere, expectations included. "
         "Errors name `file:line:column`, what was expected and what was found.\n";
    for (const Section &s : schema_sections()) {
        o << "\n## `" << s.name << "`\n\n" << s.help << "\n\nWhere: `" << s.where << "`\n";
        bool any = false;
        for (const Param &p : schema()) {
            if (std::string(p.section) != s.name)
                continue;
            if (!any)
                o << "\n| key | type | unit | default | accepted | meaning |\n"
                     "|---|---|---|---|---|---|\n";
            any = true;
            o << "| `" << p.key << "` | " << p.type << " | " << p.unit << " | " << p.def << " | "
              << accepted_text(p) << " | " << p.help << " |\n";
        }
    }
    return o.str();
}

std::string schema_explain(const std::string &what) {
    std::ostringstream o;
    for (const Section &s : schema_sections()) {
        std::string name = s.name;
        bool whole = what.empty() || what == name;
        for (const Param &p : schema()) {
            if (name != p.section)
                continue;
            std::string full = name + "." + p.key;
            if (!whole && what != full && what != p.key)
                continue;
            o << full << "  (" << p.type << (*p.unit ? std::string(", ") + p.unit : "")
              << "; default " << p.def
              << (accepted_text(p).empty() ? "" : "; " + accepted_text(p)) << ")\n    "
              << p.help << "\n";
        }
    }
    return o.str();
}

} // namespace cmosim::sim
