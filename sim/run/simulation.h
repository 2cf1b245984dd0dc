// SPDX-License-Identifier: Apache-2.0
// Elaborate a validated Scenario into SystemC modules, run it, and collect
// what it produced as a RunResult (run/run_result.h), which the report room
// turns into the JSON report, the summary, the CSV and the trace events.
// One Simulation per process: SystemC elaborates once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/scenario.h"
#include "run/run_result.h"

namespace cmosim::sim {

class SimulationImpl;

class Simulation {
public:
    explicit Simulation(const Scenario &s);
    ~Simulation();
    // Keep the spans the trace events are made from: call before run().
    // Off by default (a long run makes many); without it the trace holds
    // the steps only, no SMC, sleep, lock wait or flush spans.
    void record_timeline();
    // Runs to completion, or until a limit, a deadlock or SIGINT/SIGTERM stops
    // it (scenario limits; install_stop_signals), and collects the result
    // once. `result.complete` tells whether it finished; `result.stop` why not.
    const RunResult &run();
    // The result of the last run().
    const RunResult &result() const { return m_result; }

private:
    std::unique_ptr<SimulationImpl> m;
    RunResult m_result;
};

} // namespace cmosim::sim
