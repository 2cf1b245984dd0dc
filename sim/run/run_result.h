// SPDX-License-Identifier: Apache-2.0
// RunResult: everything a finished run produced, as plain values. The run
// (sim/run) fills it once, when the run ends; the JSON report, the summary,
// the CSV, the trace events and the expectations (sim/report) read it and
// nothing else. No SystemC and no model type here: the report room builds
// without either.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cmosim/fw/firmware.h"
#include "config/scenario.h"

namespace cmosim::sim {

// Registers the firmware's SMC entry carries: x0..x17 (fw_smc_regs(), SMCCC v1.2).
constexpr size_t kSmcRegs = FW_SMC_REGS;

// A step inside a repeat calls once per run: the first this many calls of a
// step on a CPU each get a record (invalidate, cmo, set_way, kernel, smc,
// device), the rest are counted (RunResult::step_records_dropped), so records
// and the report stay bounded whatever the repeat counts (docs/reliability.md).
constexpr uint64_t kMaxCallRecordsPerStep = 10000;

// What an invalidate step and a kernel API step have in common: one call
// into the kernel on a CPU, its latency and where that time went.
struct KernelCallCost {
    unsigned cpu = 0;
    size_t step = 0;
    std::string label;
    uint64_t base = 0, size = 0;
    int ret = 0;
    uint64_t start_ps = 0, end_ps = 0;
    uint64_t firmware_calls = 0;
    uint64_t firmware_ps = 0; // time inside SMCs
    uint64_t sleeps = 0;
    uint64_t sleep_ps = 0; // time the provider slept between attempts
    uint64_t mutex_wait_ps = 0;
    uint64_t residual_lines = 0; // audit at return
};

struct InvalidateRecord : KernelCallCost {
    Strategy strategy = Strategy::None;
    uint64_t cmo_lines = 0; // va_cmo: lines covered; set_way: set/way operations
    uint64_t resident_lines = 0;
};

struct AccessRecord {
    unsigned cpu = 0;
    size_t step = 0;
    std::string label;
    std::string kind; // load, store, stream
    uint64_t base = 0, size = 0, lines = 0;
    uint64_t start_ps = 0, end_ps = 0;
    uint64_t loads = 0, stores = 0;
    uint64_t stale_reads = 0;
    // How many times the step ran: the runs of one step inside a repeat are
    // one record (sums of lines, loads, stores and stale reads; the first
    // start, the last end), so records stay bounded by the scenario's steps
    // whatever the repeat counts (docs/reliability.md).
    uint64_t count = 1;
};

// A DC loop by VA or a set/way pass (step kinds cmo and set_way).
struct MaintenanceRecord {
    unsigned cpu = 0;
    size_t step = 0;
    std::string label;
    std::string op; // dc_civac, dc_cvac, dc_ivac, dc_cisw, dc_csw, dc_isw
    uint64_t base = 0, size = 0;
    uint64_t lines = 0, resident = 0;
    uint64_t start_ps = 0, end_ps = 0;
};

// A kernel API call (step kind kernel).
struct KernelCallRecord : KernelCallCost {
    std::string call;
};

// cachegrind's nine events (its out-file `events:` line), for one replay step
// or one `cmosim replay` run.
struct CgCounts {
    uint64_t ir = 0, i1mr = 0, ilmr = 0;
    uint64_t dr = 0, d1mr = 0, dlmr = 0;
    uint64_t dw = 0, d1mw = 0, dlmw = 0;
    CgCounts &operator+=(const CgCounts &o) {
        ir += o.ir;
        i1mr += o.i1mr;
        ilmr += o.ilmr;
        dr += o.dr;
        d1mr += o.d1mr;
        dlmr += o.dlmr;
        dw += o.dw;
        d1mw += o.d1mw;
        dlmw += o.dlmw;
        return *this;
    }
};

// A replay step: a lackey trace through one CPU's caches.
struct ReplayRecord {
    unsigned cpu = 0;
    size_t step = 0;
    std::string label;
    std::string trace;
    uint64_t records = 0; // timed, their events in `counts`
    uint64_t start_ps = 0, end_ps = 0;
    CgCounts counts;
    // The functional warm-up before them (step key `warmup`), no time spent.
    uint64_t warmup_records = 0;
    CgCounts warmup_counts;
    // With step key `warmup_until`: its address and whether its record came
    // (if not, every record ran in the warm-up).
    bool has_warmup_until = false;
    uint64_t warmup_until = 0;
    bool marker_found = false;
};

struct DeviceRecord {
    unsigned cpu = 0;
    size_t step = 0;
    std::string op;
    uint64_t base = 0, size = 0, at_ps = 0;
};

// A raw smc step: what it passed and what the firmware left in the registers.
struct SmcRecord {
    unsigned cpu = 0;
    size_t step = 0;
    std::string label;
    uint32_t fid = 0;
    std::vector<uint64_t> in;    // x1.. as the step gave them
    uint64_t out[kSmcRegs] = {}; // x0..x17 on return
    uint64_t start_ps = 0, end_ps = 0;
};

// One flush the firmware asked of the hardware, for the trace: the flush
// engine's range or whole-cache walk, or the EL3 DC CIVAC loop on the calling
// CPU (trace_events.cpp).
struct FlushSpan {
    enum class Kind { Range, All, El3Lines } kind;
    unsigned cpu;
    uint64_t base, len;
    uint64_t start_ps, duration_ps;
    uint64_t lines_invalidated, lines_written_back;
};

// One cache at the end of the run: its shape and its counters.
struct CacheResult {
    std::string name;
    uint64_t size = 0;
    unsigned ways = 0;
    uint64_t sets = 0;
    std::string replacement, inclusion;
    uint64_t hit_latency_ps = 0;
    unsigned outstanding = 0;
    uint64_t read_hits = 0, read_misses = 0, write_hits = 0, write_misses = 0;
    uint64_t evictions = 0, writebacks = 0, lines_invalidated = 0, back_invalidations = 0;
    std::vector<std::pair<std::string, uint64_t>> cmos; // per CMO kind, in CmoOp order
    uint64_t valid_lines_at_end = 0;
};

// One memory region and its traffic.
struct RegionResult {
    std::string name, kind; // kind: dram, cxl
    uint64_t base = 0, size = 0;
    uint64_t reads = 0, writes = 0, device_ops = 0, offline_reads = 0;
    uint64_t queueing_ps = 0;
};

struct CpuResult {
    unsigned cpu = 0;
    uint64_t loads = 0, stores = 0, fetches = 0, stale_reads = 0, cmo_lines = 0, setway_ops = 0;
};

// The firmware's counters and the calls its log still holds.
struct FirmwareResult {
    uint64_t model_breakeven_bytes = 0;
    uint64_t calls = 0, clean_inv_calls = 0, clean_inv_success = 0, busy = 0, rate_limited = 0;
    uint64_t log_total = 0;
    std::vector<fw_call_record> log;
};

struct PrintkLine {
    uint64_t t_ps = 0;
    unsigned cpu = 0;
    int level = 0;
    std::string text;
};

struct RuleEvent {
    uint64_t t_ps = 0;
    unsigned cpu = 0;
    std::string rule, detail;
};

struct LockResult {
    std::string name;
    bool rwsem = false;
    uint64_t acquisitions = 0, contended = 0;
    uint64_t wait_total_ps = 0, wait_max_ps = 0, hold_total_ps = 0, hold_max_ps = 0;
};

// An interval a CPU spent in a kernel host operation (kept with the timeline).
struct KernelSpan {
    enum class Kind { Sleep, Busy, LockWait, Smc } kind;
    unsigned cpu;
    uint64_t start_ps, duration_ps;
    uint64_t fid, result; // Smc: x0 as passed and as returned
};

struct KernelResult {
    int initcalls = 0;
    bool has_invalidate_memregion = false;
    std::vector<PrintkLine> printk;
    std::vector<RuleEvent> rule_events;
    std::vector<LockResult> locks;
};

struct FindingEvent {
    std::string kind;
    uint64_t t_ps = 0;
    int cpu = -1;
    std::string level;
    uint64_t addr = 0;
    std::string cause;
};

struct CheckerResult {
    uint64_t stale_reads = 0, lost_device_writes = 0, residual_lines = 0, lost_cpu_writes = 0,
             offline_reads = 0;
    uint64_t events_kept = 0;
    std::vector<FindingEvent> events;
};

// What a CPU was doing when an unfinished run stopped, and what it waited for.
struct StoppedCpu {
    unsigned cpu = 0;
    std::string state;
    uint64_t since_ps = 0;
    long step = -1;
    std::string step_kind, label;
    enum class Waits { Nothing, Lock, Smc, Boot, Barrier } waits = Waits::Nothing;
    std::string waits_kind, waits_name; // Lock: kind and name; Barrier: name
    int holder_cpu = -1;                // Lock
    int readers = 0;                    // Lock
    std::string call;                   // Smc
    std::string description;
};

// Why the run ended, under which limits.
struct StopResult {
    std::string reason, message;
    uint64_t events = 0;
    uint64_t limit_sim_time_ps = 0;
    double limit_wall_seconds = 0;
    uint64_t limit_events = 0;
    std::vector<StoppedCpu> cpus; // an unfinished run only
    std::string description;      // the text cmosim prints on stderr; empty when finished
    std::string input_error;      // a malformed replayed trace: its message
};

// Everything that differs between two runs of the same scenario.
struct HostResult {
    double wall_seconds = 0;
    long long max_rss_kib = 0;
};

// The records of a run's steps, in the order the steps ended (StepRunner
// keeps them while the run goes; RunResult hands them on).
struct StepRecordLists {
    std::vector<AccessRecord> accesses;
    std::vector<ReplayRecord> replays;
    std::vector<DeviceRecord> devices;
    std::vector<InvalidateRecord> invalidates;
    std::vector<MaintenanceRecord> maintenance;
    std::vector<KernelCallRecord> kernel_calls;
    std::vector<SmcRecord> smcs;
    // Calls past the first kMaxCallRecordsPerStep of one step on one CPU:
    // counted, not recorded (their effects are in every other section).
    uint64_t step_records_dropped = 0;
};

struct RunResult : StepRecordLists {
    ScenarioHeader scenario; // as run, without its steps
    bool complete = true;
    uint64_t sim_time_ps = 0;

    std::vector<CacheResult> caches; // L1Is, L1Ds, L2s, then the SLC
    std::vector<RegionResult> regions;
    uint64_t store_pages_touched = 0, store_intervals = 0;
    std::vector<CpuResult> cpus;

    FirmwareResult firmware;
    KernelResult kernel;
    CheckerResult checker;
    StopResult stop;

    // The timeline (Simulation::record_timeline()): empty without it.
    bool timeline_recorded = false;
    std::vector<KernelSpan> kernel_spans;
    std::vector<FlushSpan> flush_spans;
    uint64_t spans_dropped = 0;

    HostResult host;
};

} // namespace cmosim::sim
