// SPDX-License-Identifier: Apache-2.0
// StepRunner: what one simulated CPU does on its SystemC thread: boot (the
// boot CPU runs the initcalls, the others wait for it), then its scenario
// steps, each recorded for the run's result. The CPUs' runners share the
// records (in the order steps end, across CPUs), the barriers and the boot.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <systemc>

#include "config/scenario.h"
#include "kernel/kernel_host.h"
#include "replay/lackey_reader.h"
#include "run/platform.h"
#include "run/run_control.h"
#include "run/run_result.h"

namespace cmosim::sim {

// What the steps of every CPU recorded, in the order they ended.
struct StepRecords : StepRecordLists {
    // An access record, or the runs of a step inside a repeat added to the
    // step's one record.
    void add_access(const AccessRecord &a, const Step *st);
    // Whether the call a step just made gets its own record: the first
    // kMaxCallRecordsPerStep calls of each step on each CPU do (a step inside
    // a repeat calls once per run); later ones are counted in
    // step_records_dropped only.
    bool keep(unsigned cpu, size_t top, const Step *st);

private:
    std::map<std::tuple<unsigned, size_t, const Step *>, uint64_t> m_calls;
    // (cpu, top-level step, the step's own address in the scenario) -> index
    // into `accesses`.
    std::map<std::tuple<unsigned, size_t, const Step *>, size_t> m_access_index;
};

// What the CPUs' step runners share.
struct StepsShared {
    using SmcPath = std::function<void(unsigned cpu, uint64_t x[kSmcRegs])>;
    StepsShared(const Scenario &s_, Platform &platform_, KernelHost &kernel_, RunMonitor &run_,
                SmcPath smc_)
        : s(s_), platform(platform_), kernel(kernel_), run(run_), smc(std::move(smc_)) {}

    const Scenario &s;
    Platform &platform;
    KernelHost &kernel;
    RunMonitor &run;
    // The SMC instruction on a CPU, x0..x17 in and out (the path the kernel
    // shim's arm_smccc_1_1_invoke() takes).
    SmcPath smc;
    StepRecords records;
    struct Barrier {
        size_t arrived = 0;
        uint64_t generation = 0;
        sc_core::sc_event released;
    };
    std::map<std::string, Barrier> barriers;
    sc_core::sc_event booted_ev;
    bool booted = false;
    int boot_initcalls = 0;
};

class StepRunner {
public:
    StepRunner(StepsShared &shared, unsigned cpu) : m(shared), m_cpu(cpu) {}
    StepRunner(const StepRunner &) = delete;
    StepRunner &operator=(const StepRunner &) = delete;

    // The CPU thread's program: boot, then the CPU's steps.
    void program(mdl::CpuCore &core);

private:
    void run_steps(mdl::CpuCore &core, const std::vector<Step> &steps, size_t top);
    void run_step(mdl::CpuCore &core, const Step &st, size_t top);
    void barrier(mdl::CpuCore &core, const std::string &name);
    // Charge a step's events before it starts; false when the run stops.
    bool begin_step(size_t i, const Step &st);
    // A replay step; false when the run stopped during it.
    // The first st.warmup records (or, with st.has_warmup_until, those before
    // the marker's record; marker_found: it came) run functionally, counted
    // in warm_counts and warm_records; the rest timed, in counts and records.
    bool replay(mdl::CpuCore &core, const Step &st, CgCounts &counts, uint64_t &records,
                CgCounts &warm_counts, uint64_t &warm_records, bool &marker_found);
    void bad_input(const std::string &msg);

    StepsShared &m;
    const unsigned m_cpu;
    // The trace a replay step reads, which holds the records the step
    // replays (owned here, not by the CPU thread's stack, which a stopped run
    // never unwinds).
    std::unique_ptr<TracePrefetcher> m_reader;
};

} // namespace cmosim::sim
