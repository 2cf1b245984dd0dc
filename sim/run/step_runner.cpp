// SPDX-License-Identifier: Apache-2.0
// What a simulated CPU does: boot (the boot CPU runs the initcalls), then its
// scenario steps, recording what each did for the run's result.
#include "run/step_runner.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "cmosim/models/bug.h"
#include "config/schema.h"

namespace cmosim::sim {

using sc_core::SC_NS;
using sc_core::sc_time;

namespace {

uint64_t now_ps() {
    return static_cast<uint64_t>(sc_core::sc_time_stamp().value());
}

} // namespace

void StepRunner::program(mdl::CpuCore &core) {
    unsigned id = core.id();
    m.kernel.bind_cpu(id);
    using State = CpuActivity::State;
    // The boot CPU runs the initcalls; the others come up once it is done.
    if (id == 0) {
        m.run.set_state(0, State::Booting);
        if (m.s.kernel.provider != KernelProvider::None)
            m.boot_initcalls = m.kernel.run_initcalls();
        m.booted = true;
        m.booted_ev.notify(sc_core::SC_ZERO_TIME);
        for (unsigned c = 0; c < m.run.cpus().size(); ++c)
            if (m.run.cpus()[c].state == State::WaitingForBoot)
                m.run.set_state(c, State::Running);
    } else if (!m.booted) {
        m.run.set_state(id, State::WaitingForBoot);
        sc_core::wait(m.booted_ev);
    }
    m.run.set_state(id, State::Running);
    auto it = m.s.cpus.find(id);
    if (it != m.s.cpus.end())
        for (size_t i = 0; i < it->second.size(); ++i)
            run_step(core, it->second[i], i);
    m.run.set_state(id, State::Done);
    m.run.check_deadlock();
}

void StepRunner::run_steps(mdl::CpuCore &core, const std::vector<Step> &steps, size_t top) {
    for (const Step &st : steps)
        run_step(core, st, top);
}

void StepRunner::barrier(mdl::CpuCore &core, const std::string &name) {
    using State = CpuActivity::State;
    core.sync();
    StepsShared::Barrier &b = m.barriers[name];
    size_t parties = m.s.barriers.at(name).size();
    if (++b.arrived == parties) {
        b.arrived = 0;
        ++b.generation;
        b.released.notify(sc_core::SC_ZERO_TIME);
        // The others run again at the next delta cycle: no longer stuck.
        for (unsigned c = 0; c < m.run.cpus().size(); ++c)
            if (m.run.cpus()[c].state == State::AtBarrier && m.run.cpus()[c].detail == name)
                m.run.set_state(c, State::Running);
        return;
    }
    uint64_t gen = b.generation;
    m.run.cpu(core.id()).detail = name;
    m.run.set_state(core.id(), State::AtBarrier);
    m.run.check_deadlock();
    while (b.generation == gen)
        sc_core::wait(b.released);
    m.run.set_state(core.id(), State::Running);
    m.run.cpu(core.id()).detail.clear();
}

void StepRunner::run_step(mdl::CpuCore &core, const Step &st, size_t top) {
    unsigned id = core.id();
    if (!begin_step(top, st))
        return;
    // What a kernel call cost this CPU: differences of the kernel host's
    // counters around it (its SMCs, sleeps and lock waits).
    auto begin_kernel = [&]() { return m.kernel.cpu_stats(id); };
    auto end_kernel = [&](const KernelCpuStats &k0, KernelCallCost &rec) {
        KernelCpuStats k1 = m.kernel.cpu_stats(id);
        rec.firmware_calls = k1.smc_calls - k0.smc_calls;
        rec.firmware_ps = k1.smc_ps - k0.smc_ps;
        rec.sleeps = k1.sleeps - k0.sleeps;
        rec.sleep_ps = k1.sleep_ps - k0.sleep_ps;
        rec.mutex_wait_ps = k1.lock_wait_ps - k0.lock_wait_ps;
    };
    // A call's record starts once the core's local time is synchronised.
    auto begin_record = [&](auto &rec) {
        core.sync();
        rec.cpu = id;
        rec.step = top;
        rec.label = st.label;
        rec.start_ps = now_ps();
    };
    switch (st.kind) {
    case StepKind::Load:
    case StepKind::Store:
    case StepKind::Stream: {
        AccessRecord a;
        a.cpu = id;
        a.step = top;
        a.kind = st.kind == StepKind::Load    ? "load"
                 : st.kind == StepKind::Store ? "store"
                                              : "stream";
        a.base = st.base;
        a.size = st.size;
        a.start_ps = static_cast<uint64_t>(core.local_time().value());
        const mdl::CpuStats c0 = core.stats();
        if (st.kind == StepKind::Load) {
            core.load_range(st.base, st.size);
        } else if (st.kind == StepKind::Store) {
            core.store_range(st.base, st.size);
        } else {
            // One draw per access decides load or store; a second (random
            // pattern) the offset. Same seed, same stream.
            // The accesses are independent: they overlap up to the miss slots.
            core.begin_overlap();
            std::mt19937_64 rng(st.seed);
            std::uniform_real_distribution<double> coin(0.0, 1.0);
            uint64_t line = m.s.platform.line_bytes;
            uint64_t offset = 0;
            for (uint64_t n = 0; n < st.accesses; ++n) {
                bool store = st.write_fraction > 0 && coin(rng) < st.write_fraction;
                uint64_t off;
                if (st.pattern == StreamPattern::Random)
                    off = (rng() % ((st.size + line - 1) / line)) * line;
                else
                    off = offset;
                if (store)
                    core.store(st.base + off);
                else
                    core.load(st.base + off);
                offset += st.pattern == StreamPattern::Strided ? st.stride : line;
                if (offset >= st.size)
                    offset %= st.size;
            }
            core.end_overlap();
        }
        core.sync();
        a.loads = core.stats().loads - c0.loads;
        a.stores = core.stats().stores - c0.stores;
        a.lines = a.loads + a.stores;
        a.stale_reads = core.stats().stale_reads - c0.stale_reads;
        a.end_ps = now_ps();
        a.label = st.label;
        m.records.add_access(a, &st);
        break;
    }
    case StepKind::Device:
        core.sync();
        m.platform.home->device_op(st.device_op, st.base, st.size);
        if (m.records.keep(id, top, &st))
            m.records.devices.push_back(
                {id, top, mdl::device_op_name(st.device_op), st.base, st.size, now_ps()});
        break;
    case StepKind::Invalidate: {
        InvalidateRecord r;
        begin_record(r);
        r.strategy = st.strategy;
        r.base = st.base;
        r.size = st.size;
        const KernelCpuStats k = begin_kernel();
        switch (st.strategy) {
        case Strategy::None:
            break;
        case Strategy::Smccc:
            r.ret = m.kernel.invalidate_memregion(st.base, st.size);
            break;
        case Strategy::VaCmo: {
            mdl::CmoLoopResult c = core.cmo_range(mdl::CmoOp::DcCivac, st.base, st.size);
            r.cmo_lines = c.lines;
            r.resident_lines = c.resident;
            break;
        }
        case Strategy::SetWay:
            core.set_way(mdl::CmoOp::DcCisw);
            break;
        }
        core.sync();
        r.end_ps = now_ps();
        end_kernel(k, r);
        // Every strategy is audited, `none` too: it leaves the range cached.
        if (r.ret == 0)
            r.residual_lines =
                m.platform.home->audit(st.base, st.size, static_cast<int>(id),
                                       "line still cached when the invalidate returned");
        if (m.records.keep(id, top, &st))
            m.records.invalidates.push_back(r);
        break;
    }
    case StepKind::Cmo:
    case StepKind::SetWay: {
        core.sync();
        MaintenanceRecord mr;
        mr.cpu = id;
        mr.step = top;
        mr.base = st.base;
        mr.size = st.size;
        mr.start_ps = now_ps();
        if (st.kind == StepKind::Cmo) {
            mdl::CmoLoopResult c = core.cmo_range(st.cmo_op, st.base, st.size);
            mr.lines = c.lines;
            mr.resident = c.resident;
        } else {
            uint64_t ops0 = core.stats().setway_ops;
            core.set_way(st.cmo_op);
            mr.lines = core.stats().setway_ops - ops0;
        }
        core.sync();
        mr.end_ps = now_ps();
        mr.label = st.label;
        mr.op = mdl::cmo_op_name(st.cmo_op);
        if (m.records.keep(id, top, &st))
            m.records.maintenance.push_back(mr);
        break;
    }
    case StepKind::Kernel: {
        KernelCallRecord r;
        begin_record(r);
        const KernelCpuStats k = begin_kernel();
        if (st.call == KernelCall::HasInvalidateMemregion) {
            r.ret = m.kernel.has_invalidate_memregion() ? 1 : 0;
        } else {
            // cpu_cache_invalidate_all() is the kernel's inline for (0, -1).
            r.base = st.call == KernelCall::InvalidateAll ? 0 : st.base;
            r.size = st.call == KernelCall::InvalidateAll ? SIZE_MAX : st.size;
            r.ret = m.kernel.invalidate_memregion(r.base, r.size);
        }
        core.sync();
        r.end_ps = now_ps();
        end_kernel(k, r);
        if (st.call == KernelCall::InvalidateMemregion && r.ret == 0)
            r.residual_lines =
                m.platform.home->audit(st.base, st.size, static_cast<int>(id),
                                       "line still cached when the kernel call returned");
        r.call = choice_name("step.kernel", "call", static_cast<unsigned>(st.call));
        if (m.records.keep(id, top, &st))
            m.records.kernel_calls.push_back(r);
        break;
    }
    case StepKind::Smc: {
        // The SMC instruction itself, on this CPU, through the path the
        // kernel shim's arm_smccc_1_1_invoke() takes (SimulationImpl::smc).
        SmcRecord r;
        begin_record(r);
        r.fid = st.fid;
        r.in = st.regs;
        uint64_t x[kSmcRegs] = {st.fid};
        for (size_t i = 0; i < st.regs.size() && i + 1 < kSmcRegs; ++i)
            x[i + 1] = st.regs[i];
        m.smc(id, x);
        core.sync();
        r.end_ps = now_ps();
        std::copy(x, x + kSmcRegs, r.out);
        if (m.records.keep(id, top, &st))
            m.records.smcs.push_back(std::move(r));
        break;
    }
    case StepKind::Sleep:
        core.sync();
        sc_core::wait(sc_time::from_value(st.duration_ps));
        break;
    case StepKind::Barrier:
        barrier(core, st.label);
        break;
    case StepKind::Repeat:
        for (uint64_t n = 0; n < st.count; ++n)
            run_steps(core, st.body, top);
        break;
    case StepKind::Replay: {
        // Only plain values on this stack while the replay runs (see begin_step).
        CgCounts counts, warm_counts;
        uint64_t records = 0, warm_records = 0;
        bool marker_found = false;
        const uint64_t start = static_cast<uint64_t>(core.local_time().value());
        if (!replay(core, st, counts, records, warm_counts, warm_records, marker_found)) {
            m.run.halt();
            return;
        }
        core.sync();
        ReplayRecord r;
        r.cpu = id;
        r.step = top;
        r.label = st.label;
        r.trace = st.trace;
        r.records = records;
        r.start_ps = start;
        r.end_ps = now_ps();
        r.counts = counts;
        r.warmup_records = warm_records;
        r.warmup_counts = warm_counts;
        r.has_warmup_until = st.has_warmup_until;
        r.warmup_until = st.warmup_until;
        r.marker_found = marker_found;
        if (m.records.keep(id, top, &st))
            m.records.replays.push_back(r);
        break;
    }
    }
}

void StepRunner::bad_input(const std::string &msg) {
    const unsigned cpu = m_cpu;
    m_reader.reset();
    m.run.stop(StopReason::BadInput, msg);
    m.run.set_state(cpu, CpuActivity::State::Halted);
}

namespace {
const char *step_kind_name(StepKind k) {
    switch (k) {
    case StepKind::Load:
        return "load";
    case StepKind::Store:
        return "store";
    case StepKind::Stream:
        return "stream";
    case StepKind::Device:
        return "device";
    case StepKind::Invalidate:
        return "invalidate";
    case StepKind::Cmo:
        return "cmo";
    case StepKind::SetWay:
        return "set_way";
    case StepKind::Kernel:
        return "kernel";
    case StepKind::Smc:
        return "smc";
    case StepKind::Sleep:
        return "sleep";
    case StepKind::Barrier:
        return "barrier";
    case StepKind::Repeat:
        return "repeat";
    case StepKind::Replay:
        return "replay";
    }
    return "?";
}
} // namespace

bool StepRecords::keep(unsigned cpu, size_t top, const Step *st) {
    uint64_t &n = m_calls[{cpu, top, st}];
    if (n < kMaxCallRecordsPerStep) {
        ++n;
        return true;
    }
    ++step_records_dropped;
    return false;
}

void StepRecords::add_access(const AccessRecord &a, const Step *st) {
    auto [it, first] = m_access_index.try_emplace({a.cpu, a.step, st}, accesses.size());
    if (first) {
        accesses.push_back(a);
        return;
    }
    AccessRecord &r = accesses[it->second];
    r.count += 1;
    r.lines += a.lines;
    r.loads += a.loads;
    r.stores += a.stores;
    r.stale_reads += a.stale_reads;
    r.end_ps = a.end_ps;
}

// Charge a step's events before it starts (each step a repeat runs is charged
// again): a load or store costs one event per line it touches and a stream
// one per access, so a store of 1 PiB is refused before it runs.
bool StepRunner::begin_step(size_t i, const Step &st) {
    const unsigned cpu = m_cpu;
    CpuActivity &a = m.run.cpu(cpu);
    a.step = static_cast<long>(i);
    a.step_kind = step_kind_name(st.kind);
    a.step_label = st.label;
    // The description goes out of scope before halt(): whatever a suspended
    // SC_THREAD holds on its stack is never destroyed (SystemC 2.3 cannot
    // unwind it from sc_main after a stop), so nothing there owns heap memory.
    {
        uint64_t events = 1;
        std::string what = "step " + std::to_string(i);
        if (st.kind == StepKind::Load || st.kind == StepKind::Store) {
            const uint64_t line = m.s.platform.line_bytes;
            const uint64_t lines = (st.base + st.size - 1) / line - st.base / line + 1;
            events += lines;
            m.run.grow_declared(lines);
            what += ", a " + a.step_kind + " of " + std::to_string(lines) + " lines";
        } else if (st.kind == StepKind::Stream) {
            events += st.accesses;
            m.run.grow_declared(st.accesses);
            what += ", a stream of " + std::to_string(st.accesses) + " accesses";
        } else {
            what += " (" + a.step_kind + ")";
        }
        if (m.run.charge(cpu, events, what.c_str()))
            return true;
    }
    m.run.set_state(cpu, CpuActivity::State::Halted);
    m.run.halt();
    return false;
}

} // namespace cmosim::sim
