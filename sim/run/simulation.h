// SPDX-License-Identifier: Apache-2.0
// Elaborate a validated Scenario into SystemC modules, run it, and collect the
// results the report is made from. One Simulation per process: SystemC
// elaborates once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/scenario.h"

namespace cmosim::sim {

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
    CgCounts &operator+=(const CgCounts &o);
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
};

struct DeviceRecord {
    unsigned cpu = 0;
    size_t step = 0;
    std::string op;
    uint64_t base = 0, size = 0, at_ps = 0;
};

class SimulationImpl;

class Simulation {
public:
    explicit Simulation(const Scenario &s);
    ~Simulation();
    // Runs to completion, or until a limit, a deadlock or SIGINT/SIGTERM stops
    // it (scenario limits; install_stop_signals). Returns the JSON report.
    std::string run_to_json(bool *complete);
    // The one-screen summary of the last run.
    std::string summary() const;
    // Keep the spans the trace-event output is made from: call before
    // run_to_json(). Off by default (a long run makes many).
    void record_timeline();
    // The Chrome/Perfetto trace-event JSON of the last run, one process `pid`
    // (docs/report-format.md). Without record_timeline() it holds the steps
    // only, no SMC, sleep, lock wait or flush spans.
    std::string trace_json(int pid = 1) const;
    // Why a run that did not finish stopped, and what each CPU was doing
    // (empty when it finished).
    std::string stop_description() const;
    const std::vector<InvalidateRecord> &invalidates() const;
    const std::vector<AccessRecord> &accesses() const;
    const std::vector<ReplayRecord> &replays() const;
    // A replayed trace that turned out unreadable or malformed stops the run
    // (reported incomplete); this is its message ("file:line:col: expected
    // ..."), empty otherwise.
    std::string input_error() const;
    const std::vector<KernelCallRecord> &kernel_calls() const;

private:
    std::unique_ptr<SimulationImpl> m;
};

} // namespace cmosim::sim
