// SPDX-License-Identifier: Apache-2.0
// Platform: the memory system a scenario describes, elaborated as SystemC
// modules: per core an L1D, an optional L1I (both behind the core's bus) and
// an optional L2; the home node with its flush engine; the SLC; memory; the
// checker every model reports to. A simulation wires its firmware, kernel and
// programs onto one; the models' tests and benchmarks build one from their own
// parameters (tests/support/model_rig.h). SystemC elaborates once per
// process: one Platform each.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <systemc>

#include "cmosim/models/cache.h"
#include "cmosim/models/checker.h"
#include "cmosim/models/core_bus.h"
#include "cmosim/models/cpu_core.h"
#include "cmosim/models/home_node.h"
#include "cmosim/models/memory.h"
#include "config/scenario.h"

namespace cmosim::sim {

namespace mdl = cmosim::models;

// The platform in the models' own terms.
struct PlatformParams {
    unsigned cpus = 1;
    unsigned line_bytes = 64;
    std::vector<mdl::RegionParams> regions;
    mdl::CacheParams slc;
    mdl::HomeNodeParams home;
    mdl::CacheParams l1d;
    std::optional<mdl::CacheParams> l1i, l2; // absent: no such level
    mdl::CpuParams cpu;
    // TLM global quantum; zero leaves SystemC's (none).
    sc_core::sc_time quantum = sc_core::SC_ZERO_TIME;
    // Before every module's name, so that two platforms can share one
    // simulation (a test comparing two runs side by side).
    std::string name_prefix;
};

// A loaded scenario's platform in the models' terms. The first sc_time of a
// simulation is made here: call set_time_resolution() before it.
PlatformParams platform_params(const PlatformConfig &p);

// SystemC's time resolution, 1 ps, fixed before any sc_time is made (a
// simulation does; a test rig relies on SystemC's default, also 1 ps).
void set_time_resolution();

class Platform {
public:
    explicit Platform(const PlatformParams &p);
    Platform(const Platform &) = delete;
    Platform &operator=(const Platform &) = delete;

    // Every cache of the platform, as a report lists them: the L1Is, the
    // L1Ds, the L2s, then the SLC.
    std::vector<const mdl::Cache *> caches() const;

    mdl::Checker checker;
    std::unique_ptr<mdl::Memory> memory;
    std::unique_ptr<mdl::Cache> slc;
    std::unique_ptr<mdl::HomeNode> home;
    std::vector<std::unique_ptr<mdl::Cache>> l1i, l1d, l2;
    std::vector<std::unique_ptr<mdl::CoreBus>> buses; // L1I and L1D into the next level
    std::vector<std::unique_ptr<mdl::CpuCore>> cores;
};

} // namespace cmosim::sim
