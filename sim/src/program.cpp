// SPDX-License-Identifier: Apache-2.0
// What a simulated CPU does: boot (the boot CPU runs the initcalls), then its
// scenario steps, recording what each did for the report.
#include "simulation_impl.h"

namespace cmosim::sim {

using sc_core::sc_time;
using sc_core::SC_NS;

void SimulationImpl::program(mdl::CpuCore &core) {
    unsigned id = core.id();
    kernel.bind_cpu(id);
    using State = CpuActivity::State;
    // The boot CPU runs the initcalls; the others come up once it is done.
    if (id == 0) {
        run.set_state(0, State::Booting);
        if (s.kernel.provider != "none")
            boot_initcalls = kernel.run_initcalls();
        booted = true;
        booted_ev.notify(sc_core::SC_ZERO_TIME);
        for (unsigned c = 0; c < run.cpus().size(); ++c)
            if (run.cpus()[c].state == State::WaitingForBoot)
                run.set_state(c, State::Running);
    } else if (!booted) {
        run.set_state(id, State::WaitingForBoot);
        sc_core::wait(booted_ev);
    }
    run.set_state(id, State::Running);
    auto it = s.cpus.find(id);
    const std::vector<Step> no_steps;
    const std::vector<Step> &steps = it == s.cpus.end() ? no_steps : it->second;
    for (size_t i = 0; i < steps.size(); ++i) {
        const Step &st = steps[i];
        if (!begin_step(id, i, st))
            return;
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
    run.set_state(id, State::Done);
    run.check_deadlock();
}

namespace {
const char *step_kind_name(StepKind k) {
    switch (k) {
    case StepKind::Load:
        return "load";
    case StepKind::Store:
        return "store";
    case StepKind::Device:
        return "device";
    case StepKind::Invalidate:
        return "invalidate";
    case StepKind::Sleep:
        return "sleep";
    }
    return "?";
}
} // namespace

// Charge a step's events before it starts: a load or store costs one event
// per line it touches, so a store of 1 PiB is refused before it runs.
bool SimulationImpl::begin_step(unsigned cpu, size_t i, const Step &st) {
    CpuActivity &a = run.cpu(cpu);
    a.step = static_cast<long>(i);
    a.step_kind = step_kind_name(st.kind);
    a.step_label = st.label;
    uint64_t events = 1;
    std::string what = "step " + std::to_string(i);
    if (st.kind == StepKind::Load || st.kind == StepKind::Store) {
        const uint64_t line = s.platform.line_bytes;
        const uint64_t lines = (st.base + st.size - 1) / line - st.base / line + 1;
        events += lines;
        what += ", a " + a.step_kind + " of " + std::to_string(lines) + " lines";
    }
    if (run.charge(cpu, events, what.c_str()))
        return true;
    run.set_state(cpu, CpuActivity::State::Halted);
    run.halt();
    return false;
}

void SimulationImpl::on_kernel(unsigned cpu, KernelActivity what) {
    using State = CpuActivity::State;
    const State running = cpu == 0 && !booted ? State::Booting : State::Running;
    switch (what) {
    case KernelActivity::Sleep:
    case KernelActivity::Busy:
    case KernelActivity::Block:
        if (!run.charge(cpu, 1, what == KernelActivity::Sleep  ? "kernel sleep"
                                : what == KernelActivity::Busy ? "kernel busy-wait"
                                                               : "kernel lock wait")) {
            run.set_state(cpu, State::Halted);
            run.halt();
            return;
        }
        break;
    default:
        break;
    }
    switch (what) {
    case KernelActivity::Sleep:
        run.set_state(cpu, State::Sleeping);
        break;
    case KernelActivity::Busy: {
        // A busy-wait on a held spinlock can only end if its holder runs.
        shim_lock_wait w;
        shim_lock_wait_get(cpu, &w);
        if (w.kind && std::string(w.kind) == "spinlock") {
            run.set_state(cpu, State::Spinning);
            run.check_deadlock();
        }
        break;
    }
    case KernelActivity::Block:
        run.set_state(cpu, State::BlockedOnLock);
        run.check_deadlock();
        break;
    case KernelActivity::Resume:
    case KernelActivity::Unblock:
    case KernelActivity::Woken:
        run.set_state(cpu, running);
        break;
    }
}

void SimulationImpl::hang_in_firmware() {
    run.set_state(smc_cpu, CpuActivity::State::HungInFirmware);
    run.check_deadlock();
    run.halt();
}

} // namespace cmosim::sim
