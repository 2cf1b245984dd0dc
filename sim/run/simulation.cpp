// SPDX-License-Identifier: Apache-2.0
// Elaboration (scenario structs -> SystemC modules), the firmware's HAL, and
// the SMC path from the kernel shim into the firmware.
#include "run/simulation_impl.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <cmath>
#include <cstdio>

namespace cmosim::sim {

using sc_core::SC_NS;
using sc_core::SC_PS;
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

SimulationImpl::SimulationImpl(const Scenario &sc) : s(sc), checker(64) {
    const PlatformConfig &p = s.platform;
    sc_core::sc_set_time_resolution(1, SC_PS);
    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time::from_value(p.quantum_ps));

    std::vector<mdl::RegionParams> regions;
    for (const RegionConfig &g : p.regions) {
        mdl::RegionParams r;
        r.name = g.name;
        r.kind = g.kind;
        r.base = g.base;
        r.size = g.size;
        r.read_latency = sc_time::from_value(g.read_ps);
        r.bandwidth_gbps = g.bandwidth_gbps;
        regions.push_back(r);
    }
    memory = std::make_unique<mdl::Memory>("memory", regions, p.line_bytes, checker);
    slc = std::make_unique<mdl::Cache>("slc", cache_params(p.slc, p.line_bytes, mdl::Level::SLC));
    mdl::HomeNodeParams hp;
    hp.flush.clock_ghz = p.engine_clock_ghz;
    hp.flush.tags_per_cycle = p.engine_tags_per_cycle;
    hp.flush.per_line = sc_time::from_value(p.engine_per_line_ps);
    hp.flush.setup = sc_time::from_value(p.engine_setup_ps);
    hp.snoop_latency = sc_time::from_value(p.snoop_ps);
    home = std::make_unique<mdl::HomeNode>("home", *memory, checker, hp);
    home->set_slc(slc.get());
    home->mem_side.bind(slc->cpu_side);
    slc->mem_side.bind(memory->cpu_side);

    mdl::CpuParams cp;
    cp.clock_ghz = p.clock_ghz;
    cp.cmo_outstanding = p.cmo_outstanding;
    cp.setway_cycles = p.setway_cycles;
    cp.access_cycles = p.access_cycles;
    for (unsigned i = 0; i < p.cpus; ++i) {
        std::string cpu = "cpu" + std::to_string(i);
        l1d.push_back(std::make_unique<mdl::Cache>(
            (cpu + "_l1d").c_str(), cache_params(p.l1d, p.line_bytes, mdl::Level::L1D)));
        std::vector<mdl::Cache *> levels{l1d.back().get()};
        // With an L1I, both L1s reach the next level through the core's bus.
        if (p.l1i.present) {
            l1i.push_back(std::make_unique<mdl::Cache>(
                (cpu + "_l1i").c_str(), cache_params(p.l1i, p.line_bytes, mdl::Level::L1I)));
            buses.push_back(std::make_unique<mdl::CoreBus>((cpu + "_bus").c_str()));
            l1i.back()->mem_side.bind(buses.back()->cpu_side);
            l1d.back()->mem_side.bind(buses.back()->cpu_side);
        }
        using Socket = tlm::tlm_initiator_socket<>;
        Socket &below = p.l1i.present ? static_cast<Socket &>(buses.back()->mem_side)
                                      : static_cast<Socket &>(l1d.back()->mem_side);
        if (p.l2.present) {
            l2.push_back(std::make_unique<mdl::Cache>(
                (cpu + "_l2").c_str(), cache_params(p.l2, p.line_bytes, mdl::Level::L2)));
            below.bind(l2.back()->cpu_side);
            l2.back()->mem_side.bind(home->cpu_side);
            levels.push_back(l2.back().get());
        } else {
            below.bind(home->cpu_side);
        }
        // The L1I last: it is never dirty, and data maintenance skips it.
        if (p.l1i.present)
            levels.push_back(l1i.back().get());
        home->add_cpu(levels);
        cores.push_back(
            std::make_unique<mdl::CpuCore>(cpu.c_str(), i, cp, *l1d.back(), *home, checker));
        cores.back()->mem_side.bind(l1d.back()->cpu_side);
        if (p.l1i.present)
            cores.back()->ifetch_side.bind(l1i.back()->cpu_side);
        cores.back()->set_program([this](mdl::CpuCore &c) { program(c); });
    }
    readers.resize(p.cpus);

    hal.ctx = this;
    hal.now_ps = &hal_now;
    hal.consume_ps = &hal_consume;
    hal.flush_range = &hal_flush_range;
    hal.flush_all = &hal_flush_all;
    hal.flush_lines = &hal_flush_lines;
    hal.breakeven_bytes = &hal_breakeven;
    hal.line_size = p.line_bytes;
    fw = fw_agent_create(&s.firmware, &hal);
    if (!fw)
        throw std::bad_alloc();

    shim_config kc = KernelHost::default_config();
    kc.hz = s.kernel.hz;
    kc.smccc_conduit = s.kernel.conduit == Conduit::Smc ? 1 : 0;
    kc.mutex_hold_limit_ps = s.kernel.mutex_hold_limit_ps;
    kc.nmi_watchdog_ps = s.kernel.nmi_watchdog_ps;
    kc.kzalloc_fail_nth = s.kernel.kzalloc_fail_nth;
    kernel.configure(kc);
    // The kernel's conduit passes x0..x7 (arm_smccc_1_1_invoke); the rest are zero.
    kernel.set_smc_handler([this](unsigned cpu, uint64_t x[8]) {
        uint64_t regs[kSmcRegs] = {};
        std::copy(x, x + 8, regs);
        smc(cpu, regs);
        std::copy(regs, regs + 8, x);
    });
    kernel.set_activity_callback([this](unsigned cpu, KernelActivity a) { on_kernel(cpu, a); });
    kernel.install();
}

// What a flush asked of the hardware may leave out (fault plan misbehaviour).
static mdl::FlushLevels flush_levels(const fw_flush_opts *o) {
    mdl::FlushLevels lv;
    lv.private_caches = (o->levels & (FW_LEVEL_L1 | FW_LEVEL_L2)) != 0;
    lv.slc = (o->levels & FW_LEVEL_SLC) != 0;
    lv.write_back = !o->skip_writeback;
    return lv;
}

// The calling CPU waits while the flush engine walks (other CPUs run on).
void SimulationImpl::engine(uint64_t base, uint64_t len, bool all, const fw_flush_opts *o,
                            fw_flush_result *res) {
    const uint64_t t0 = now_ps();
    mdl::FlushOutcome out = home->flush(base, len, all, flush_levels(o), static_cast<int>(smc_cpu));
    res->lines_invalidated = out.lines_invalidated;
    res->lines_written_back = out.lines_written_back;
    res->duration_ps = static_cast<uint64_t>(out.duration.value());
    record_flush(all ? FlushSpan::Kind::All : FlushSpan::Kind::Range, base, len, t0, *res);
}

void SimulationImpl::hal_flush_range(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *o,
                                     fw_flush_result *res) {
    static_cast<SimulationImpl *>(ctx)->engine(base, len, false, o, res);
}

void SimulationImpl::hal_flush_all(void *ctx, const fw_flush_opts *o, fw_flush_result *res) {
    static_cast<SimulationImpl *>(ctx)->engine(0, 0, true, o, res);
}

void SimulationImpl::hal_flush_lines(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *o,
                                     fw_flush_result *res) {
    auto *self = static_cast<SimulationImpl *>(ctx);
    const uint64_t t0 = now_ps();
    // EL3 runs DC CIVAC on the calling core, exactly as a kernel loop would;
    // firmware told to skip a level or the write-back leaves it out (DC IVAC).
    const mdl::FlushLevels lv = flush_levels(o);
    const mdl::CmoOp kind = lv.write_back ? mdl::CmoOp::DcCivac : mdl::CmoOp::DcIvac;
    mdl::CmoLoopResult r = self->cores[self->smc_cpu]->cmo_range(kind, base, len, lv);
    res->lines_invalidated = r.resident;
    res->lines_written_back = 0;
    res->duration_ps = static_cast<uint64_t>(r.duration.value());
    self->record_flush(FlushSpan::Kind::El3Lines, base, len, t0, *res);
}

// Where a DC CIVAC loop (one issue slot per line, as CpuCore times it on the
// calling core) costs what the firmware call costs with empty caches: SMC
// entry and bookkeeping, engine setup, SLC tag walk.
uint64_t SimulationImpl::model_breakeven() const {
    const PlatformConfig &p = s.platform;
    const double issue_ps = static_cast<double>(cores[smc_cpu]->cmo_issue_interval().value());
    const double tags = static_cast<double>(p.slc.size / p.line_bytes);
    const double call_ps = static_cast<double>(s.firmware.entry_ps + s.firmware.bookkeeping_ps) +
                           static_cast<double>(p.engine_setup_ps) +
                           tags / (p.engine_tags_per_cycle * p.engine_clock_ghz) * 1e3;
    return static_cast<uint64_t>(std::ceil(call_ps / issue_ps)) * p.line_bytes;
}

void SimulationImpl::smc(unsigned cpu, uint64_t x[kSmcRegs]) {
    if (!run.charge(cpu, 1, "firmware call")) {
        run.set_state(cpu, CpuActivity::State::Halted);
        run.halt();
    }
    smc_cpu = cpu;
    CpuActivity::State before = run.cpus()[cpu].state;
    char call[160];
    std::snprintf(call, sizeof(call), "%s(x1=0x%llx, x2=0x%llx, x3=0x%llx)",
                  fw_fid_name(static_cast<uint32_t>(x[0])), static_cast<unsigned long long>(x[1]),
                  static_cast<unsigned long long>(x[2]), static_cast<unsigned long long>(x[3]));
    run.cpu(cpu).detail = call;
    run.set_state(cpu, CpuActivity::State::InFirmware);
    fw_smc_regs(fw, cpu, x);
    run.set_state(cpu, before);
    run.cpu(cpu).detail.clear();
}

Simulation::Simulation(const Scenario &s) : m(std::make_unique<SimulationImpl>(s)) {}
Simulation::~Simulation() {
    if (m && m->fw)
        fw_agent_destroy(m->fw);
}

const std::vector<InvalidateRecord> &Simulation::invalidates() const {
    return m->invalidates;
}
const std::vector<AccessRecord> &Simulation::accesses() const {
    return m->accesses;
}
const std::vector<ReplayRecord> &Simulation::replays() const {
    return m->replays;
}

std::string Simulation::input_error() const {
    return m->run.reason() == StopReason::BadInput ? m->run.message() : std::string();
}

CgCounts &CgCounts::operator+=(const CgCounts &o) {
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

namespace {
constexpr size_t kReportReserveBytes = size_t(32) << 20;
} // namespace

std::string Simulation::run_to_json(bool *complete) {
    auto t0 = std::chrono::steady_clock::now();
    // The run ends when every CPU is done, or at a limit, a deadlock or a
    // signal (run_control.h); the simulated-time limit is sc_start's bound.
    m->run.start();
    std::string failure;
    // Memory held back for the report: when the run runs out (bad_alloc),
    // it is given back so that the report can still be built and written.
    // A member, so that the compiler cannot leave out an unused allocation.
    m->report_reserve.reset(new char[kReportReserveBytes]);
    m->report_reserve[0] = 1;
    try {
        if (m->s.time_limit_ps)
            sc_core::sc_start(sc_time::from_value(m->s.time_limit_ps),
                              sc_core::SC_EXIT_ON_STARVATION);
        else
            sc_core::sc_start();
    } catch (const std::exception &e) {
        // SystemC hands an exception of a CPU thread (std::bad_alloc when
        // the host runs out of memory) to sc_start's caller as an sc_report:
        // the run ends here, and its report still gets written.
        const std::string what = e.what();
        failure = what.find("bad_alloc") != std::string::npos
                      ? "the host ran out of memory (std::bad_alloc) after " +
                            std::to_string(m->run.events()) + " events"
                      : "internal error: " + what;
    }
    m->report_reserve.reset();
    m->run.finish(failure.empty() && sc_core::sc_pending_activity());
    if (!failure.empty())
        m->run.fail(failure);
    m->complete = m->run.complete();
    m->host_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (complete)
        *complete = m->complete;
    // Asking the framework takes its rw-semaphore, which only the initcalls
    // ever write-lock: safe once cpu0 has booted, even if the run stopped early.
    m->has_invalidate_at_end = m->booted && m->kernel.has_invalidate_memregion();
    return report_json(*m);
}

std::string Simulation::stop_description() const {
    return m->run.complete() ? std::string() : m->run.describe();
}

std::string Simulation::summary() const {
    return summary_text(*m);
}

} // namespace cmosim::sim
