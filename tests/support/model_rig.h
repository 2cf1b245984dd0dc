// SPDX-License-Identifier: Apache-2.0
// A memory-system platform for the models' unit tests and the model
// benchmarks, elaborated by the simulator's own Platform (sim/run/platform.h)
// from options in the models' terms: N cores, each with an L1D and an
// optional L2, an SLC behind the home node (its flush engine and snoop latency
// at HomeNodeParams' defaults), one CXL region. The defaults
// are the smallest platform that shows each behaviour (1-2 cores, 64-line
// L1D, 1024-line SLC); RigOptions::default_platform() is the default platform
// of docs/timing-model.md. SystemC elaborates once per process: one rig each.
// Time resolution: SystemC's default, 1 ps, as the simulator sets it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "cmosim/models/cache.h"
#include "cmosim/models/checker.h"
#include "cmosim/models/cpu_core.h"
#include "cmosim/models/home_node.h"
#include "cmosim/models/memory.h"
#include "run/platform.h"

namespace cmosim::test {

namespace mdl = cmosim::models;

constexpr uint64_t kCxl = 0x1000000000ull;

inline mdl::TagStoreGeometry geometry(uint64_t size, unsigned ways) {
    mdl::TagStoreGeometry g;
    g.size_bytes = size;
    g.ways = ways;
    return g;
}

struct RigOptions {
    // CXL memory
    uint64_t mem_size = 1ull << 42; // 4 TiB
    sc_core::sc_time mem_latency = sc_core::sc_time(240, sc_core::SC_NS);
    double gbps = 32;
    // SLC: 64 KiB, 8 ways (128 sets), 40 ns
    mdl::TagStoreGeometry slc = geometry(64 * 1024, 8);
    sc_core::sc_time slc_hit = sc_core::sc_time(40, sc_core::SC_NS);
    mdl::Inclusion slc_inclusion = mdl::Inclusion::NonInclusive;
    unsigned slc_outstanding = 16;
    // L1D: 4 KiB, 4 ways (16 sets), 2 ns
    mdl::TagStoreGeometry l1 = geometry(4096, 4);
    sc_core::sc_time l1_hit = sc_core::sc_time(2, sc_core::SC_NS);
    unsigned l1_outstanding = 16;
    // Optional L1I: the L1D's geometry, hit latency and request slots
    bool l1i = false;
    // Optional L2: 8 KiB, 2 ways (64 sets), 5 ns
    bool l2 = false;
    mdl::TagStoreGeometry l2_geometry = geometry(8192, 2);
    sc_core::sc_time l2_hit = sc_core::sc_time(5, sc_core::SC_NS);
    mdl::Inclusion l2_inclusion = mdl::Inclusion::NonInclusive;
    // Cores: 3 GHz, 8 CMOs in flight
    mdl::CpuParams cpu;
    // TLM quantum (zero: SystemC's default, none)
    sc_core::sc_time quantum = sc_core::SC_ZERO_TIME;
    // Before every module's name: two rigs side by side in one simulation.
    std::string prefix;

    // The default platform of docs/timing-model.md, with a 2 TiB CXL window.
    static RigOptions default_platform() {
        using sc_core::SC_NS;
        using sc_core::sc_time;
        RigOptions o;
        o.mem_size = 2ull << 40;
        o.mem_latency = sc_time(230, SC_NS);
        o.slc = geometry(32 << 20, 16);
        o.l1 = geometry(64 << 10, 4);
        o.l1_hit = sc_time(4.0 / 3, SC_NS);
        o.l2 = true;
        o.l2_geometry = geometry(2 << 20, 8);
        o.l2_hit = sc_time(13.0 / 3, SC_NS);
        o.quantum = sc_time(1, sc_core::SC_US);
        return o;
    }
};

// The options as the simulator's Platform takes them.
inline sim::PlatformParams platform_params(unsigned cpus, const RigOptions &o) {
    using namespace mdl;
    auto params = [](const TagStoreGeometry &g, Level level, sc_core::sc_time hit,
                     Inclusion inclusion, unsigned outstanding) {
        CacheParams p;
        p.geometry = g;
        p.level = level;
        p.hit_latency = hit;
        p.inclusion = inclusion;
        p.outstanding = outstanding;
        return p;
    };
    sim::PlatformParams p;
    p.cpus = cpus;
    RegionParams r;
    r.name = "cxl0";
    r.kind = MemoryKind::CxlHdm;
    r.base = kCxl;
    r.size = o.mem_size;
    r.read_latency = o.mem_latency;
    r.bandwidth_gbps = o.gbps;
    p.regions = {r};
    p.slc = params(o.slc, Level::SLC, o.slc_hit, o.slc_inclusion, o.slc_outstanding);
    p.l1d = params(o.l1, Level::L1D, o.l1_hit, Inclusion::NonInclusive, o.l1_outstanding);
    if (o.l1i)
        p.l1i = params(o.l1, Level::L1I, o.l1_hit, Inclusion::NonInclusive, o.l1_outstanding);
    if (o.l2)
        p.l2 = params(o.l2_geometry, Level::L2, o.l2_hit, o.l2_inclusion, 16);
    p.cpu = o.cpu;
    p.quantum = o.quantum;
    p.name_prefix = o.prefix;
    return p;
}

// The simulator's own elaboration (sim/run/platform.h) on the options.
struct Rig : sim::Platform {
    explicit Rig(unsigned cpus, const RigOptions &o = RigOptions{})
        : sim::Platform(platform_params(cpus, o)) {}
    void run(unsigned i, std::function<void(mdl::CpuCore &)> f) {
        cores[i]->set_program(std::move(f));
    }
};

// One core alone on a rig with `o`: runs f on it to the end and returns the
// core's simulated time f took.
inline sc_core::sc_time time_alone(const RigOptions &o, std::function<void(mdl::CpuCore &)> f) {
    Rig rig(1, o);
    sc_core::sc_time took;
    rig.run(0, [&](mdl::CpuCore &c) {
        sc_core::sc_time t0 = c.local_time();
        f(c);
        c.sync();
        took = c.local_time() - t0;
    });
    sc_core::sc_start();
    return took;
}

} // namespace cmosim::test
