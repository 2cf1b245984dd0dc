// SPDX-License-Identifier: Apache-2.0
// Elaboration: platform parameters -> SystemC modules, bound together.
#include "run/platform.h"

#include <string>

#include <tlm_utils/tlm_quantumkeeper.h>

namespace cmosim::sim {

using sc_core::sc_time;

namespace {

mdl::CacheParams cache_params(const CacheConfig &c, unsigned line, mdl::Level level) {
    mdl::CacheParams p;
    p.geometry.size_bytes = c.size;
    p.geometry.ways = c.ways;
    p.geometry.line_bytes = line;
    p.geometry.replacement = c.replacement;
    p.geometry.seed = c.seed;
    p.level = level;
    p.hit_latency = sc_time::from_value(c.hit_ps);
    p.outstanding = c.outstanding;
    p.inclusion = c.inclusion;
    // A scenario sets write_back_fill for the SLC only; private levels keep the model's.
    if (level == mdl::Level::SLC)
        p.write_back_fill = c.write_back_fill;
    return p;
}

} // namespace

void set_time_resolution() {
    sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
}

PlatformParams platform_params(const PlatformConfig &p) {
    PlatformParams pp;
    pp.cpus = p.cpus;
    pp.line_bytes = p.line_bytes;
    pp.quantum = sc_time::from_value(p.quantum_ps);
    for (const RegionConfig &g : p.regions) {
        mdl::RegionParams r;
        r.name = g.name;
        r.kind = g.kind;
        r.base = g.base;
        r.size = g.size;
        r.read_latency = sc_time::from_value(g.read_ps);
        r.bandwidth_gbps = g.bandwidth_gbps;
        pp.regions.push_back(r);
    }
    pp.slc = cache_params(p.slc, p.line_bytes, mdl::Level::SLC);
    pp.home.flush.clock_ghz = p.engine_clock_ghz;
    pp.home.flush.tags_per_cycle = p.engine_tags_per_cycle;
    pp.home.flush.per_line = sc_time::from_value(p.engine_per_line_ps);
    pp.home.flush.setup = sc_time::from_value(p.engine_setup_ps);
    pp.home.snoop_latency = sc_time::from_value(p.snoop_ps);
    pp.l1d = cache_params(p.l1d, p.line_bytes, mdl::Level::L1D);
    if (p.l1i.present)
        pp.l1i = cache_params(p.l1i, p.line_bytes, mdl::Level::L1I);
    if (p.l2.present)
        pp.l2 = cache_params(p.l2, p.line_bytes, mdl::Level::L2);
    pp.cpu.clock_ghz = p.clock_ghz;
    pp.cpu.cmo_outstanding = p.cmo_outstanding;
    pp.cpu.setway_cycles = p.setway_cycles;
    pp.cpu.access_cycles = p.access_cycles;
    return pp;
}

Platform::Platform(const PlatformParams &p) : checker(64) {
    if (p.quantum != sc_core::SC_ZERO_TIME)
        tlm_utils::tlm_quantumkeeper::set_global_quantum(p.quantum);
    memory = std::make_unique<mdl::Memory>((p.name_prefix + "memory").c_str(), p.regions,
                                           p.line_bytes, checker);
    slc = std::make_unique<mdl::Cache>((p.name_prefix + "slc").c_str(), p.slc);
    home =
        std::make_unique<mdl::HomeNode>((p.name_prefix + "home").c_str(), *memory, checker, p.home);
    home->set_slc(slc.get());
    home->mem_side.bind(slc->cpu_side);
    slc->mem_side.bind(memory->cpu_side);

    for (unsigned i = 0; i < p.cpus; ++i) {
        std::string cpu = p.name_prefix + "cpu" + std::to_string(i);
        l1d.push_back(std::make_unique<mdl::Cache>((cpu + "_l1d").c_str(), p.l1d));
        std::vector<mdl::Cache *> levels{l1d.back().get()};
        // With an L1I, both L1s reach the next level through the core's bus.
        if (p.l1i) {
            l1i.push_back(std::make_unique<mdl::Cache>((cpu + "_l1i").c_str(), *p.l1i));
            buses.push_back(std::make_unique<mdl::CoreBus>((cpu + "_bus").c_str()));
            l1i.back()->mem_side.bind(buses.back()->cpu_side);
            l1d.back()->mem_side.bind(buses.back()->cpu_side);
        }
        using Socket = tlm::tlm_initiator_socket<>;
        Socket &below = p.l1i ? static_cast<Socket &>(buses.back()->mem_side)
                              : static_cast<Socket &>(l1d.back()->mem_side);
        if (p.l2) {
            l2.push_back(std::make_unique<mdl::Cache>((cpu + "_l2").c_str(), *p.l2));
            below.bind(l2.back()->cpu_side);
            l2.back()->mem_side.bind(home->cpu_side);
            levels.push_back(l2.back().get());
        } else {
            below.bind(home->cpu_side);
        }
        // The L1I last: it is never dirty, and data maintenance skips it.
        if (p.l1i)
            levels.push_back(l1i.back().get());
        home->add_cpu(levels);
        cores.push_back(
            std::make_unique<mdl::CpuCore>(cpu.c_str(), i, p.cpu, *l1d.back(), *home, checker));
        cores.back()->mem_side.bind(l1d.back()->cpu_side);
        if (p.l1i)
            cores.back()->ifetch_side.bind(l1i.back()->cpu_side);
    }
}

std::vector<const mdl::Cache *> Platform::caches() const {
    std::vector<const mdl::Cache *> all;
    for (const auto *level : {&l1i, &l1d, &l2})
        for (const auto &c : *level)
            all.push_back(c.get());
    all.push_back(slc.get());
    return all;
}

} // namespace cmosim::sim
