// SPDX-License-Identifier: Apache-2.0
// A simulation wires a Platform (elaboration), the FirmwareHal (the
// firmware's view of it), the KernelHost (the kernel shim), one StepRunner
// per CPU and the RunMonitor together; runs; and collects the RunResult.
#include "run/simulation_impl.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

namespace cmosim::sim {

using sc_core::sc_time;

// The time resolution is fixed before the first sc_time of the run, which
// platform_params() makes.
static const PlatformConfig &with_time_resolution(const PlatformConfig &p) {
    set_time_resolution();
    return p;
}

SimulationImpl::SimulationImpl(const Scenario &sc)
    : s(sc), platform(platform_params(with_time_resolution(s.platform))),
      firmware(s, platform, [this](unsigned cpu) { hang_in_firmware(cpu); }),
      steps(s, platform, kernel, run, [this](unsigned cpu, uint64_t x[kSmcRegs]) { smc(cpu, x); }) {
    for (unsigned i = 0; i < s.platform.cpus; ++i) {
        runners.push_back(std::make_unique<StepRunner>(steps, i));
        platform.cores[i]->set_program(
            [r = runners.back().get()](mdl::CpuCore &c) { r->program(c); });
    }
    fw = fw_agent_create(&s.firmware, firmware.hal());
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

SimulationImpl::~SimulationImpl() {
    if (fw)
        fw_agent_destroy(fw);
}

void SimulationImpl::smc(unsigned cpu, uint64_t x[kSmcRegs]) {
    if (!run.charge(cpu, 1, "firmware call")) {
        run.set_state(cpu, CpuActivity::State::Halted);
        run.halt();
    }
    firmware.set_caller(cpu);
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

// What kernel code makes a CPU do, for the run limits and deadlock detection.
void SimulationImpl::on_kernel(unsigned cpu, KernelActivity what) {
    using State = CpuActivity::State;
    const State running = cpu == 0 && !steps.booted ? State::Booting : State::Running;
    switch (what) {
    case KernelActivity::Sleep:
    case KernelActivity::Busy:
    case KernelActivity::Block:
        if (!run.charge(cpu, 1,
                        what == KernelActivity::Sleep  ? "kernel sleep"
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
        const shim_lock_wait w = kernel.lock_wait(cpu);
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

void SimulationImpl::hang_in_firmware(unsigned cpu) {
    run.set_state(cpu, CpuActivity::State::HungInFirmware);
    run.check_deadlock();
    run.halt();
}

Simulation::Simulation(const Scenario &s) : m(std::make_unique<SimulationImpl>(s)) {}
Simulation::~Simulation() = default;

namespace {
constexpr size_t kReportReserveBytes = size_t(32) << 20;
} // namespace

const RunResult &Simulation::run() {
    auto t0 = std::chrono::steady_clock::now();
    // The run ends when every CPU is done, or at a limit, a deadlock or a
    // signal (run_control.h); the simulated-time limit is sc_start's bound.
    m->run.start();
    std::string failure;
    // Memory held back for the result and the report: when the run runs out
    // (bad_alloc), it is given back so that both can still be built and written.
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
    // Asking the framework takes its rw-semaphore, which only the initcalls
    // ever write-lock: safe once cpu0 has booted, even if the run stopped early.
    m->has_invalidate_at_end = m->steps.booted && m->kernel.has_invalidate_memregion();
    m_result = m->collect();
    return m_result;
}

void Simulation::record_timeline() {
    m->firmware.record_timeline();
    m->kernel.record_spans(true);
}

} // namespace cmosim::sim
