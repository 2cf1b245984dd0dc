// SPDX-License-Identifier: Apache-2.0
#include "cmosim/sim/simulation.h"

#include <chrono>
#include <cmath>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>
#include <systemc>

#include "cmosim/fw/firmware.h"
#include "cmosim/models/cache.h"
#include "cmosim/models/checker.h"
#include "cmosim/models/cpu_core.h"
#include "cmosim/models/home_node.h"
#include "cmosim/models/memory.h"
#include "cmosim/shim_host.h"
#include "kernel_host.h"

namespace cmosim::sim {

using json = nlohmann::ordered_json;
using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_PS;
namespace mdl = cmosim::models;

namespace {

uint64_t now_ps() { return static_cast<uint64_t>(sc_core::sc_time_stamp().value()); }

mdl::Replacement replacement(const std::string &s) {
    if (s == "tree_plru")
        return mdl::Replacement::TreePlru;
    if (s == "random")
        return mdl::Replacement::Random;
    return mdl::Replacement::Lru;
}

mdl::CacheParams cache_params(const CacheConfig &c, unsigned line, mdl::Level level) {
    mdl::CacheParams p;
    p.geometry.size_bytes = c.size;
    p.geometry.ways = c.ways;
    p.geometry.line_bytes = line;
    p.geometry.replacement = replacement(c.replacement);
    p.geometry.seed = c.seed;
    p.level = level;
    p.hit_latency = sc_time(c.hit_ns, SC_NS);
    return p;
}

// Per-CPU accumulators, read before and after each invalidate step.
struct CpuAccount {
    uint64_t fw_calls = 0, fw_ps = 0;
};

} // namespace

class SimulationImpl {
public:
    explicit SimulationImpl(const Scenario &s);
    void program(mdl::CpuCore &core);
    void smc(unsigned cpu, uint64_t x[8]);
    uint64_t model_breakeven() const;

    // fw_hal callbacks (ctx = this)
    static uint64_t hal_now(void *) { return now_ps(); }
    static void hal_consume(void *, uint64_t ps) { sc_core::wait(sc_time::from_value(ps)); }
    static void hal_flush_range(void *ctx, uint64_t base, uint64_t len,
                                const fw_flush_opts *o, fw_flush_result *res);
    static void hal_flush_all(void *ctx, const fw_flush_opts *o, fw_flush_result *res);
    static void hal_flush_lines(void *ctx, uint64_t base, uint64_t len, const fw_flush_opts *o,
                                fw_flush_result *res);
    static uint64_t hal_breakeven(void *ctx) {
        return static_cast<SimulationImpl *>(ctx)->model_breakeven();
    }
    void engine(uint64_t base, uint64_t len, bool all, const fw_flush_opts *o,
                fw_flush_result *res);

    const Scenario s;
    mdl::Checker checker;
    std::unique_ptr<mdl::Memory> memory;
    std::unique_ptr<mdl::Cache> slc;
    std::unique_ptr<mdl::HomeNode> home;
    std::vector<std::unique_ptr<mdl::Cache>> l1d, l2;
    std::vector<std::unique_ptr<mdl::CpuCore>> cores;
    fw_hal hal{};
    fw_agent *fw = nullptr;
    KernelHost kernel;
    std::vector<CpuAccount> account;
    unsigned smc_cpu = 0;
    sc_core::sc_event booted_ev;
    bool booted = false;
    int boot_initcalls = 0;

    std::vector<InvalidateRecord> invalidates;
    std::vector<AccessRecord> accesses;
    std::vector<DeviceRecord> devices;
    double host_seconds = 0;
    bool complete = true;
};

SimulationImpl::SimulationImpl(const Scenario &sc) : s(sc), checker(64) {
    const PlatformConfig &p = s.platform;
    sc_core::sc_set_time_resolution(1, SC_PS);
    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(p.quantum_ns, SC_NS));

    std::vector<mdl::RegionParams> regions;
    for (const RegionConfig &g : p.regions) {
        mdl::RegionParams r;
        r.name = g.name;
        r.kind = g.kind == "cxl" ? mdl::MemoryKind::CxlHdm : mdl::MemoryKind::Dram;
        r.base = g.base;
        r.size = g.size;
        r.read_latency = sc_time(g.read_ns, SC_NS);
        r.write_latency = sc_time(g.write_ns, SC_NS);
        r.bandwidth_gbps = g.bandwidth_gbps;
        regions.push_back(r);
    }
    memory = std::make_unique<mdl::Memory>("memory", regions, p.line_bytes, checker);
    slc = std::make_unique<mdl::Cache>("slc", cache_params(p.slc, p.line_bytes, mdl::Level::SLC));
    mdl::HomeNodeParams hp;
    hp.flush.clock_ghz = p.engine_clock_ghz;
    hp.flush.tags_per_cycle = p.engine_tags_per_cycle;
    hp.flush.per_line = sc_time(p.engine_per_line_ns, SC_NS);
    hp.flush.setup = sc_time(p.engine_setup_ns, SC_NS);
    hp.snoop_latency = sc_time(p.snoop_ns, SC_NS);
    home = std::make_unique<mdl::HomeNode>("home", *memory, checker, hp);
    home->set_slc(slc.get());
    home->mem_side.bind(slc->cpu_side);
    slc->mem_side.bind(memory->cpu_side);

    mdl::CpuParams cp;
    cp.clock_ghz = p.clock_ghz;
    cp.cmo_outstanding = p.cmo_outstanding;
    cp.setway_cycles = p.setway_cycles;
    for (unsigned i = 0; i < p.cpus; ++i) {
        std::string cpu = "cpu" + std::to_string(i);
        l1d.push_back(std::make_unique<mdl::Cache>(
            (cpu + "_l1d").c_str(), cache_params(p.l1d, p.line_bytes, mdl::Level::L1D)));
        std::vector<mdl::Cache *> levels{l1d.back().get()};
        if (p.l2.present) {
            l2.push_back(std::make_unique<mdl::Cache>(
                (cpu + "_l2").c_str(), cache_params(p.l2, p.line_bytes, mdl::Level::L2)));
            l1d.back()->mem_side.bind(l2.back()->cpu_side);
            l2.back()->mem_side.bind(home->cpu_side);
            levels.push_back(l2.back().get());
        } else {
            l1d.back()->mem_side.bind(home->cpu_side);
        }
        home->add_cpu(levels);
        cores.push_back(
            std::make_unique<mdl::CpuCore>(cpu.c_str(), i, cp, *l1d.back(), *home, checker));
        cores.back()->mem_side.bind(l1d.back()->cpu_side);
        cores.back()->set_program([this](mdl::CpuCore &c) { program(c); });
    }
    account.resize(p.cpus);

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

    shim_config kc;
    shim_config_default(&kc);
    kc.hz = s.kernel.hz;
    kc.smccc_conduit = s.kernel.conduit_smc ? 1 : 0;
    kc.mutex_hold_limit_ps = s.kernel.mutex_hold_limit_ps;
    kc.nmi_watchdog_ps = s.kernel.nmi_watchdog_ps;
    kc.kzalloc_fail_nth = s.kernel.kzalloc_fail_nth;
    shim_configure(&kc);
    kernel.set_smc_handler([this](unsigned cpu, uint64_t x[8]) { smc(cpu, x); });
    kernel.install();
}

// The engine and EL3 loops run on the calling CPU: it waits as long as they take.
void SimulationImpl::engine(uint64_t base, uint64_t len, bool all, const fw_flush_opts *o,
                            fw_flush_result *res) {
    mdl::FlushLevels lv;
    lv.private_caches = (o->levels & (FW_LEVEL_L1 | FW_LEVEL_L2)) != 0;
    lv.slc = (o->levels & FW_LEVEL_SLC) != 0;
    lv.write_back = !o->skip_writeback;
    mdl::FlushOutcome out =
        home->flush(base, len, all, lv, sc_core::sc_time_stamp(), static_cast<int>(smc_cpu));
    sc_core::wait(out.duration);
    res->lines_invalidated = out.lines_invalidated;
    res->lines_written_back = out.lines_written_back;
    res->duration_ps = static_cast<uint64_t>(out.duration.value());
}

void SimulationImpl::hal_flush_range(void *ctx, uint64_t base, uint64_t len,
                                     const fw_flush_opts *o, fw_flush_result *res) {
    static_cast<SimulationImpl *>(ctx)->engine(base, len, false, o, res);
}

void SimulationImpl::hal_flush_all(void *ctx, const fw_flush_opts *o, fw_flush_result *res) {
    static_cast<SimulationImpl *>(ctx)->engine(0, 0, true, o, res);
}

void SimulationImpl::hal_flush_lines(void *ctx, uint64_t base, uint64_t len,
                                     const fw_flush_opts *o, fw_flush_result *res) {
    auto *self = static_cast<SimulationImpl *>(ctx);
    // EL3 runs DC CIVAC on the calling core, exactly as a kernel loop would.
    mdl::CmoLoopResult r =
        self->cores[self->smc_cpu]->cmo_range(mdl::CmoKind::CleanInvalidate, base, len);
    (void)o;
    res->lines_invalidated = r.resident;
    res->lines_written_back = 0;
    res->duration_ps = static_cast<uint64_t>(r.duration.value());
}

// Where a DC CIVAC loop (one issue slot per line) costs what the firmware call
// costs with empty caches: SMC entry and bookkeeping, engine setup, SLC tag walk.
uint64_t SimulationImpl::model_breakeven() const {
    const PlatformConfig &p = s.platform;
    double lookup_ns = p.l1d.hit_ns + (p.l2.present ? p.l2.hit_ns : 0) + p.slc.hit_ns;
    double issue_ns = std::max(lookup_ns / p.cmo_outstanding, 1.0 / p.clock_ghz);
    double tags = static_cast<double>(p.slc.size / p.line_bytes);
    double call_ns = (s.firmware.entry_ps + s.firmware.bookkeeping_ps) / 1e3 + p.engine_setup_ns +
                     tags / (p.engine_tags_per_cycle * p.engine_clock_ghz);
    return static_cast<uint64_t>(std::ceil(call_ns / issue_ns)) * p.line_bytes;
}

void SimulationImpl::smc(unsigned cpu, uint64_t x[8]) {
    uint64_t t0 = now_ps();
    smc_cpu = cpu;
    fw_smc(fw, cpu, x);
    account[cpu].fw_calls++;
    account[cpu].fw_ps += now_ps() - t0;
}

void SimulationImpl::program(mdl::CpuCore &core) {
    unsigned id = core.id();
    kernel.bind_cpu(id);
    // The boot CPU runs the initcalls; the others come up once it is done.
    if (id == 0) {
        if (s.kernel.provider != "none")
            boot_initcalls = kernel.run_initcalls();
        booted = true;
        booted_ev.notify(sc_core::SC_ZERO_TIME);
    } else if (!booted) {
        sc_core::wait(booted_ev);
    }
    auto it = s.cpus.find(id);
    if (it == s.cpus.end())
        return;
    const std::vector<Step> &steps = it->second;
    for (size_t i = 0; i < steps.size(); ++i) {
        const Step &st = steps[i];
        switch (st.kind) {
        case StepKind::Load:
        case StepKind::Store: {
            AccessRecord a;
            a.cpu = id;
            a.step = i;
            a.label = st.label;
            a.store = st.kind == StepKind::Store;
            a.base = st.base;
            a.size = st.size;
            a.start_ps = static_cast<uint64_t>(core.local_time().value());
            uint64_t stale0 = core.stats().stale_reads;
            uint64_t n0 = core.stats().loads + core.stats().stores;
            if (a.store)
                core.store_range(st.base, st.size);
            else
                core.load_range(st.base, st.size);
            core.sync();
            a.lines = core.stats().loads + core.stats().stores - n0;
            a.stale_reads = core.stats().stale_reads - stale0;
            a.end_ps = now_ps();
            accesses.push_back(a);
            break;
        }
        case StepKind::Device: {
            core.sync();
            mdl::DeviceOp op = st.device_op == "secure_erase" ? mdl::DeviceOp::SecureErase
                               : st.device_op == "reset"     ? mdl::DeviceOp::Reset
                               : st.device_op == "dcd_release" ? mdl::DeviceOp::DcdRelease
                                                                : mdl::DeviceOp::DcdAdd;
            memory->device_op(op, st.base, st.size);
            devices.push_back({id, i, st.device_op, st.base, st.size, now_ps()});
            break;
        }
        case StepKind::Invalidate: {
            core.sync();
            InvalidateRecord r;
            r.cpu = id;
            r.step = i;
            r.label = st.label;
            r.strategy = st.strategy;
            r.base = st.base;
            r.size = st.size;
            r.start_ps = now_ps();
            CpuAccount a0 = account[id];
            KernelCpuStats k0 = kernel.cpu_stats(id);
            switch (st.strategy) {
            case Strategy::None:
                break;
            case Strategy::Smccc:
                r.ret = kernel.invalidate_memregion(st.base, st.size);
                break;
            case Strategy::VaCmo: {
                mdl::CmoLoopResult c =
                    core.cmo_range(mdl::CmoKind::CleanInvalidate, st.base, st.size);
                r.cmo_lines = c.lines;
                r.resident_lines = c.resident;
                break;
            }
            case Strategy::SetWay:
                core.set_way(mdl::CmoKind::CleanInvalidate);
                break;
            }
            core.sync();
            r.end_ps = now_ps();
            KernelCpuStats k1 = kernel.cpu_stats(id);
            r.firmware_calls = account[id].fw_calls - a0.fw_calls;
            r.firmware_ps = account[id].fw_ps - a0.fw_ps;
            r.sleeps = k1.sleeps - k0.sleeps;
            r.sleep_ps = k1.sleep_ps - k0.sleep_ps;
            r.mutex_wait_ps = k1.lock_wait_ps - k0.lock_wait_ps;
            if (st.strategy != Strategy::None && r.ret == 0)
                r.residual_lines = home->audit(st.base, st.size, static_cast<int>(id),
                                               "line still cached when the invalidate returned");
            invalidates.push_back(r);
            break;
        }
        case StepKind::Sleep:
            core.sync();
            sc_core::wait(sc_time(st.duration_ns, SC_NS));
            break;
        }
    }
}

Simulation::Simulation(const Scenario &s) : m(std::make_unique<SimulationImpl>(s)) {}
Simulation::~Simulation() {
    if (m && m->fw)
        fw_agent_destroy(m->fw);
}

const std::vector<InvalidateRecord> &Simulation::invalidates() const { return m->invalidates; }
const std::vector<AccessRecord> &Simulation::accesses() const { return m->accesses; }

namespace {

std::string hex(uint64_t v) {
    std::ostringstream o;
    o << "0x" << std::hex << v;
    return o.str();
}

json cache_json(const mdl::Cache &c) {
    const mdl::CacheStats &st = c.stats();
    const mdl::TagStore &t = c.tags();
    return json{{"name", c.name()},
                {"size", t.sets() * t.ways() * t.line_bytes()},
                {"ways", t.ways()},
                {"sets", t.sets()},
                {"replacement", mdl::replacement_name(c.params().geometry.replacement)},
                {"hit_latency_ps", c.params().hit_latency.value()},
                {"read_hits", st.read_hits},
                {"read_misses", st.read_misses},
                {"write_hits", st.write_hits},
                {"write_misses", st.write_misses},
                {"evictions", st.evictions},
                {"writebacks", st.writebacks},
                {"lines_invalidated", st.lines_invalidated},
                {"valid_lines_at_end", t.valid_lines()}};
}

} // namespace

std::string Simulation::run_to_json(bool *complete) {
    auto t0 = std::chrono::steady_clock::now();
    if (m->s.time_limit_ps)
        sc_core::sc_start(sc_time::from_value(m->s.time_limit_ps));
    else
        sc_core::sc_start();
    m->complete = sc_core::sc_get_status() == sc_core::SC_STOPPED ||
                  !sc_core::sc_pending_activity();
    m->host_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (complete)
        *complete = m->complete;

    const Scenario &s = m->s;
    json r;
    r["format"] = "cmosim-report";
    r["format_version"] = 1;
    r["scenario"] = {{"name", s.name}, {"file", s.file}, {"description", s.description}};
    r["complete"] = m->complete;
    r["sim_time_ps"] = now_ps();

    json regions = json::array();
    for (size_t i = 0; i < m->memory->regions().size(); ++i) {
        const auto &g = m->memory->regions()[i];
        const auto &st = m->memory->stats(i);
        regions.push_back({{"name", g.name},
                           {"kind", g.kind == mdl::MemoryKind::CxlHdm ? "cxl" : "dram"},
                           {"base", hex(g.base)},
                           {"size", g.size},
                           {"reads", st.reads},
                           {"writes", st.writes},
                           {"device_ops", st.device_ops},
                           {"queueing_ps", st.queueing.value()}});
    }
    json caches = json::array();
    for (auto &c : m->l1d)
        caches.push_back(cache_json(*c));
    for (auto &c : m->l2)
        caches.push_back(cache_json(*c));
    caches.push_back(cache_json(*m->slc));
    r["platform"] = {{"cpus", s.platform.cpus},
                     {"clock_ghz", s.platform.clock_ghz},
                     {"line_size", s.platform.line_bytes},
                     {"caches", caches},
                     {"memory", regions},
                     {"store_pages_touched", m->memory->store().pages_touched()},
                     {"store_intervals", m->memory->store().intervals()}};

    json cpus = json::array();
    for (auto &c : m->cores)
        cpus.push_back({{"cpu", c->id()},
                        {"loads", c->stats().loads},
                        {"stores", c->stats().stores},
                        {"stale_reads", c->stats().stale_reads},
                        {"cmo_lines", c->stats().cmo_lines},
                        {"setway_ops", c->stats().setway_ops}});
    r["cpus"] = cpus;

    json acc = json::array();
    for (const AccessRecord &a : m->accesses)
        acc.push_back({{"cpu", a.cpu},
                       {"step", a.step},
                       {"label", a.label},
                       {"kind", a.store ? "store" : "load"},
                       {"base", hex(a.base)},
                       {"size", a.size},
                       {"lines", a.lines},
                       {"start_ps", a.start_ps},
                       {"end_ps", a.end_ps},
                       {"stale_reads", a.stale_reads}});
    r["accesses"] = acc;
    json dev = json::array();
    for (const DeviceRecord &d : m->devices)
        dev.push_back({{"cpu", d.cpu},
                       {"step", d.step},
                       {"op", d.op},
                       {"base", hex(d.base)},
                       {"size", d.size},
                       {"at_ps", d.at_ps}});
    r["device_ops"] = dev;
    json inv = json::array();
    for (const InvalidateRecord &v : m->invalidates)
        inv.push_back({{"cpu", v.cpu},
                       {"step", v.step},
                       {"label", v.label},
                       {"strategy", strategy_name(v.strategy)},
                       {"base", hex(v.base)},
                       {"size", v.size},
                       {"return", v.ret},
                       {"start_ps", v.start_ps},
                       {"latency_ps", v.end_ps - v.start_ps},
                       {"firmware_calls", v.firmware_calls},
                       {"firmware_ps", v.firmware_ps},
                       {"sleeps", v.sleeps},
                       {"sleep_ps", v.sleep_ps},
                       {"mutex_wait_ps", v.mutex_wait_ps},
                       {"cmo_lines", v.cmo_lines},
                       {"resident_lines", v.resident_lines},
                       {"residual_lines", v.residual_lines}});
    r["invalidate"] = inv;

    const fw_stats *fs = fw_agent_stats(m->fw);
    json calls = json::array();
    for (size_t i = 0; i < fw_agent_log_count(m->fw); ++i) {
        const fw_call_record *c = fw_agent_log_entry(m->fw, i);
        calls.push_back({{"t_ps", c->t_start_ps},
                         {"duration_ps", c->duration_ps},
                         {"cpu", c->cpu},
                         {"fid", hex(c->fid)},
                         {"name", fw_fid_name(c->fid)},
                         {"x1", hex(c->in[1])},
                         {"x2", hex(c->in[2])},
                         {"x3", hex(c->in[3])},
                         {"status", static_cast<int32_t>(c->out[0])},
                         {"status_name", fw_status_name(static_cast<int32_t>(c->out[0]))},
                         {"lines_invalidated", c->flush.lines_invalidated},
                         {"lines_written_back", c->flush.lines_written_back}});
    }
    r["firmware"] = {{"smccc_version", hex(s.firmware.smccc_version)},
                     {"method", fw_method_name(s.firmware.method)},
                     {"model_breakeven_bytes", m->model_breakeven()},
                     {"calls", fs->calls},
                     {"clean_inv_calls", fs->clean_inv_calls},
                     {"clean_inv_success", fs->clean_inv_success},
                     {"busy", fs->busy},
                     {"rate_limited", fs->rate_limited},
                     {"log_total", fw_agent_log_total(m->fw)},
                     {"log", calls}};

    json printk = json::array();
    for (const auto &l : m->kernel.printk_log())
        printk.push_back({{"t_ps", l.time_ps}, {"cpu", l.cpu}, {"level", l.level}, {"text", l.text}});
    json rules = json::array();
    for (const auto &e : m->kernel.rules())
        rules.push_back({{"t_ps", e.time_ps}, {"cpu", e.cpu}, {"rule", shim_rule_name(e.rule)}, {"detail", e.detail}});
    json locks = json::array();
    for (size_t i = 0; i < shim_lock_count(); ++i) {
        shim_lock_stats ls;
        shim_lock_stats_get(i, &ls);
        locks.push_back({{"name", ls.name ? ls.name : "?"},
                         {"rwsem", ls.is_rwsem != 0},
                         {"acquisitions", ls.acquisitions},
                         {"contended", ls.contended},
                         {"wait_total_ps", ls.wait_total_ps},
                         {"wait_max_ps", ls.wait_max_ps},
                         {"hold_total_ps", ls.hold_total_ps},
                         {"hold_max_ps", ls.hold_max_ps}});
    }
    r["kernel"] = {{"provider", s.kernel.provider},
                   {"initcalls", m->boot_initcalls},
                   {"has_invalidate_memregion", m->kernel.has_invalidate_memregion()},
                   {"printk", printk},
                   {"rule_events", rules},
                   {"locks", locks}};

    json events = json::array();
    for (const mdl::CheckerEvent &e : m->checker.events())
        events.push_back({{"kind", mdl::event_kind_name(e.kind)},
                          {"t_ps", e.time_ps},
                          {"cpu", e.cpu},
                          {"level", e.level},
                          {"addr", hex(e.addr)},
                          {"cause", e.cause}});
    r["checker"] = {{"stale_reads", m->checker.count(mdl::EventKind::StaleRead)},
                    {"lost_device_writes", m->checker.count(mdl::EventKind::LostDeviceWrite)},
                    {"residual_lines", m->checker.count(mdl::EventKind::ResidualLine)},
                    {"events_kept", m->checker.keep_first()},
                    {"events", events}};
    r["host"] = {{"wall_seconds", m->host_seconds}};
    return r.dump(2) + "\n";
}

std::string Simulation::summary() const {
    std::ostringstream o;
    const Scenario &s = m->s;
    auto us = [](uint64_t ps) {
        std::ostringstream t;
        t << std::fixed << std::setprecision(3) << static_cast<double>(ps) / 1e6 << " us";
        return t.str();
    };
    o << "cmosim: " << (s.name.empty() ? s.file : s.name) << "  (" << s.platform.cpus
      << " CPU, SLC " << (s.platform.slc.size >> 20) << " MiB, provider " << s.kernel.provider
      << ")\n";
    o << "simulated time " << us(now_ps()) << (m->complete ? "" : "  [INCOMPLETE]") << "\n\n";
    o << "accesses:\n";
    for (const AccessRecord &a : m->accesses)
        o << "  cpu" << a.cpu << " step " << a.step << "  " << (a.store ? "store" : "load ")
          << " " << hex(a.base) << " +" << a.size << " B  " << a.lines << " lines"
          << (a.store ? "" : "  stale reads: " + std::to_string(a.stale_reads))
          << (a.label.empty() ? "" : "  [" + a.label + "]") << "\n";
    o << "\ninvalidates:\n";
    for (const InvalidateRecord &v : m->invalidates) {
        o << "  cpu" << v.cpu << " step " << v.step << "  " << std::left << std::setw(8)
          << strategy_name(v.strategy) << std::right << " " << hex(v.base) << " +" << v.size
          << " B  return " << v.ret << "  latency " << us(v.end_ps - v.start_ps);
        if (v.strategy == Strategy::Smccc)
            o << " = firmware " << us(v.firmware_ps) << " (" << v.firmware_calls
              << " SMC) + provider sleep " << us(v.sleep_ps) << " (" << v.sleeps
              << " sleeps) + other " << us(v.end_ps - v.start_ps - v.firmware_ps - v.sleep_ps);
        o << "  residual lines " << v.residual_lines
          << (v.label.empty() ? "" : "  [" + v.label + "]") << "\n";
    }
    o << "\nchecker: stale reads " << m->checker.count(mdl::EventKind::StaleRead)
      << ", lost device writes " << m->checker.count(mdl::EventKind::LostDeviceWrite)
      << ", residual lines " << m->checker.count(mdl::EventKind::ResidualLine) << "\n";
    size_t shown = 0;
    for (const mdl::CheckerEvent &e : m->checker.events()) {
        if (shown++ == 5)
            break;
        o << "  " << mdl::event_kind_name(e.kind) << " at " << us(e.time_ps) << " cpu" << e.cpu
          << " " << e.level << " " << hex(e.addr) << ": " << e.cause << "\n";
    }
    if (m->checker.events().size() > 5)
        o << "  ... (" << m->checker.events().size() - 5 << " more kept in the report)\n";
    return o.str();
}

} // namespace cmosim::sim
