// SPDX-License-Identifier: Apache-2.0
// Private to sim/run: one simulation, its parts wired together.
//   platform.cpp        Platform: the models, elaborated
//   firmware_hal.cpp    FirmwareHal: the firmware's view of the platform
//   step_runner.cpp     StepRunner: what each CPU thread does with its steps
//   simulation.cpp      the wiring, the SMC path, kernel activity -> RunMonitor
//   collect_result.cpp  the RunResult, made once when the run ends
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "cmosim/fw/firmware.h"
#include "cmosim/shim_host.h"
#include "kernel/kernel_host.h"
#include "run/firmware_hal.h"
#include "run/platform.h"
#include "run/run_control.h"
#include "run/simulation.h"
#include "run/step_runner.h"

namespace cmosim::sim {

inline uint64_t now_ps() {
    return static_cast<uint64_t>(sc_core::sc_time_stamp().value());
}

class SimulationImpl {
public:
    explicit SimulationImpl(const Scenario &s);
    ~SimulationImpl();
    SimulationImpl(const SimulationImpl &) = delete;
    SimulationImpl &operator=(const SimulationImpl &) = delete;

    // The SMC instruction on a CPU: counted against the run's events, the
    // CPU shown inside the firmware meanwhile.
    void smc(unsigned cpu, uint64_t x[kSmcRegs]);
    // Run limits and deadlock detection (run_control.h).
    void on_kernel(unsigned cpu, KernelActivity what);
    void hang_in_firmware(unsigned cpu);
    // Everything the run produced, as plain values (collect_result.cpp).
    RunResult collect(); // once, at the end: takes the step records

    const Scenario s;
    Platform platform;
    FirmwareHal firmware;
    fw_agent *fw = nullptr;
    KernelHost kernel;
    RunMonitor run{s.platform.cpus,
                   RunLimits{s.time_limit_ps, static_cast<double>(s.wall_limit_ps) / 1e12,
                             s.event_limit, !s.event_limit_given},
                   kernel};
    StepsShared steps;
    std::vector<std::unique_ptr<StepRunner>> runners; // one per CPU

    std::unique_ptr<char[]> report_reserve; // Simulation::run
    double host_seconds = 0;
    bool complete = true;
    bool has_invalidate_at_end = false;
};

} // namespace cmosim::sim
