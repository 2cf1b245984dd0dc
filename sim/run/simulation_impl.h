// SPDX-License-Identifier: Apache-2.0
// Private to sim/run and sim/report: the elaborated platform and what a run collects.
//   simulation.cpp  elaboration and the firmware HAL
//   program.cpp     what each CPU thread does with its steps
//   report.cpp      the JSON report and the summary
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <systemc>

#include "cmosim/fw/firmware.h"
#include "cmosim/models/cache.h"
#include "cmosim/models/checker.h"
#include "cmosim/models/core_bus.h"
#include "cmosim/models/cpu_core.h"
#include "cmosim/models/home_node.h"
#include "cmosim/models/memory.h"
#include "cmosim/shim_host.h"
#include "run/simulation.h"
#include "kernel/kernel_host.h"
#include "replay/lackey_reader.h"
#include "run/run_control.h"

#include <nlohmann/json.hpp>

namespace cmosim::sim {

namespace mdl = cmosim::models;

// Registers the firmware's SMC entry carries: x0..x17 (fw_smc_regs(), SMCCC v1.2).
constexpr size_t kSmcRegs = FW_SMC_REGS;

inline uint64_t now_ps() {
    return static_cast<uint64_t>(sc_core::sc_time_stamp().value());
}

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

class SimulationImpl {
public:
    explicit SimulationImpl(const Scenario &s);
    void program(mdl::CpuCore &core);
    void run_steps(mdl::CpuCore &core, const std::vector<Step> &steps, size_t top);
    void run_step(mdl::CpuCore &core, const Step &st, size_t top);
    void barrier(mdl::CpuCore &core, const std::string &name);
    void smc(unsigned cpu, uint64_t x[kSmcRegs]);
    uint64_t model_breakeven() const;

    // fw_hal callbacks (ctx = this)
    static uint64_t hal_now(void *) { return now_ps(); }
    static void hal_consume(void *ctx, uint64_t ps) {
        if (ps == kForeverPs)
            static_cast<SimulationImpl *>(ctx)->hang_in_firmware();
        else
            sc_core::wait(sc_core::sc_time::from_value(ps));
    }
    static void hal_flush_range(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *o,
                                fw_flush_result *res);
    static void hal_flush_all(void *ctx, const fw_flush_opts *o, fw_flush_result *res);
    static void hal_flush_lines(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *o,
                                fw_flush_result *res);
    static uint64_t hal_breakeven(void *ctx) {
        return static_cast<SimulationImpl *>(ctx)->model_breakeven();
    }
    void engine(uint64_t base, uint64_t len, bool all, const fw_flush_opts *o,
                fw_flush_result *res);
    void record_flush(FlushSpan::Kind kind, uint64_t base, uint64_t len, uint64_t start_ps,
                      const fw_flush_result &res);
    // Run limits and deadlock detection (run_control.h).
    void on_kernel(unsigned cpu, KernelActivity what);
    void hang_in_firmware();
    bool begin_step(unsigned cpu, size_t i, const Step &st);
    // A replay step (program.cpp); false when the run stopped during it.
    bool replay(mdl::CpuCore &core, const Step &st, CgCounts &counts, uint64_t &records,
                CgCounts &warm_counts, uint64_t &warm_records);
    void bad_input(unsigned cpu, const std::string &msg);

    const Scenario s;
    mdl::Checker checker;
    std::unique_ptr<mdl::Memory> memory;
    std::unique_ptr<mdl::Cache> slc;
    std::unique_ptr<mdl::HomeNode> home;
    std::vector<std::unique_ptr<mdl::Cache>> l1i, l1d, l2;
    std::vector<std::unique_ptr<mdl::CoreBus>> buses; // L1I and L1D into the next level
    std::vector<std::unique_ptr<mdl::CpuCore>> cores;
    fw_hal hal{};
    fw_agent *fw = nullptr;
    KernelHost kernel;
    unsigned smc_cpu = 0;
    sc_core::sc_event booted_ev;
    bool booted = false;
    int boot_initcalls = 0;

    std::vector<InvalidateRecord> invalidates;
    std::vector<AccessRecord> accesses;
    std::unique_ptr<char[]> report_reserve; // Simulation::run_to_json
    // Where the record of a step inside a repeat is: (cpu, top-level step,
    // the step's own address in the scenario) -> index into `accesses`.
    std::map<std::tuple<unsigned, size_t, const Step *>, size_t> access_index;
    void add_access(const AccessRecord &a, const Step *st);
    std::vector<DeviceRecord> devices;
    std::vector<ReplayRecord> replays;
    // Per CPU: the trace a replay step reads, which holds the records the
    // step replays (owned here, not by the CPU thread's stack, which a stopped
    // run never unwinds).
    std::vector<std::unique_ptr<TracePrefetcher>> readers;
    bool record_spans = false; // Simulation::record_timeline()
    std::vector<FlushSpan> flush_spans;
    uint64_t flush_spans_dropped = 0;
    std::vector<MaintenanceRecord> maintenance;
    std::vector<KernelCallRecord> kernel_calls;
    std::vector<SmcRecord> smcs;
    struct Barrier {
        size_t arrived = 0;
        uint64_t generation = 0;
        sc_core::sc_event released;
    };
    std::map<std::string, Barrier> barriers;
    double host_seconds = 0;
    bool complete = true;
    bool has_invalidate_at_end = false;
    RunMonitor run{s.platform.cpus,
                   RunLimits{s.time_limit_ps, static_cast<double>(s.wall_limit_ps) / 1e12,
                             s.event_limit, !s.event_limit_given},
                   kernel};
};

std::string report_json(const SimulationImpl &sim);
nlohmann::ordered_json cg_counts_json(const CgCounts &c);
std::string summary_text(const SimulationImpl &sim);
std::string trace_events_json(const SimulationImpl &sim, int pid);

} // namespace cmosim::sim
