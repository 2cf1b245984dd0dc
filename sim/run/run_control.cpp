// SPDX-License-Identifier: Apache-2.0
#include "run/run_control.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iomanip>
#include <sstream>
#include <thread>

#include <semaphore.h>
#include <unistd.h>

#include "kernel/kernel_host.h"

namespace cmosim::sim {

namespace {

// ---- signals ----------------------------------------------------------------
// The handler may only touch these: an atomic flag, a count, a semaphore post
// and, on the second signal, unlink() and raise() (all async-signal-safe).

volatile sig_atomic_t g_signal = 0;
volatile sig_atomic_t g_signals_seen = 0;
sem_t g_wake;
bool g_wake_ready = false;
char g_cleanup_path[4096];
volatile sig_atomic_t g_cleanup_set = 0;
struct sigaction g_old_int, g_old_term;
bool g_installed = false;

void on_stop_signal(int sig) {
    if (g_signals_seen++ == 0) {
        g_signal = sig;
        if (g_wake_ready)
            sem_post(&g_wake);
        return;
    }
    // The user insists: leave no temporary file, and die of the signal so
    // that a calling shell sees an interrupted command.
    if (g_cleanup_set)
        unlink(g_cleanup_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

void ensure_wake() {
    if (!g_wake_ready) {
        sem_init(&g_wake, 0, 0);
        g_wake_ready = true;
    }
}

std::string us(uint64_t ps) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(3) << static_cast<double>(ps) / 1e6 << " us";
    return o.str();
}

std::string signal_name(int sig) {
    switch (sig) {
    case SIGINT:
        return "SIGINT";
    case SIGTERM:
        return "SIGTERM";
    default:
        return "signal " + std::to_string(sig);
    }
}

bool stuck(CpuActivity::State s) {
    using S = CpuActivity::State;
    return s == S::WaitingForBoot || s == S::BlockedOnLock || s == S::Spinning ||
           s == S::HungInFirmware || s == S::AtBarrier;
}

} // namespace

void install_stop_signals(bool restart) {
    ensure_wake();
    if (g_installed)
        return;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGINT, &sa, &g_old_int);
    sigaction(SIGTERM, &sa, &g_old_term);
    g_installed = true;
}

void restore_stop_signals() {
    if (!g_installed)
        return;
    sigaction(SIGINT, &g_old_int, nullptr);
    sigaction(SIGTERM, &g_old_term, nullptr);
    g_installed = false;
}

int stop_signal_received() {
    return g_signal;
}

void set_signal_cleanup_path(const char *path) {
    g_cleanup_set = 0;
    if (path && std::snprintf(g_cleanup_path, sizeof(g_cleanup_path), "%s", path) <
                    static_cast<int>(sizeof(g_cleanup_path)))
        g_cleanup_set = 1;
}

// ---- names --------------------------------------------------------------------

const char *stop_reason_name(StopReason r) {
    switch (r) {
    case StopReason::Finished:
        return "finished";
    case StopReason::SimTime:
        return "sim_time_limit";
    case StopReason::WallTime:
        return "wall_time_limit";
    case StopReason::Events:
        return "event_limit";
    case StopReason::Deadlock:
        return "deadlock";
    case StopReason::FirmwareHang:
        return "firmware_hang";
    case StopReason::Signal:
        return "signal";
    case StopReason::BadInput:
        return "bad_input";
    case StopReason::InternalError:
        return "internal_error";
    }
    return "?";
}

const char *cpu_state_name(CpuActivity::State s) {
    using S = CpuActivity::State;
    switch (s) {
    case S::Booting:
        return "booting";
    case S::WaitingForBoot:
        return "waiting_for_boot";
    case S::Running:
        return "running";
    case S::Sleeping:
        return "sleeping";
    case S::InFirmware:
        return "in_firmware";
    case S::BlockedOnLock:
        return "blocked_on_lock";
    case S::Spinning:
        return "spinning";
    case S::HungInFirmware:
        return "hung_in_firmware";
    case S::AtBarrier:
        return "at_barrier";
    case S::Halted:
        return "halted";
    case S::Done:
        return "done";
    }
    return "?";
}

// ---- the stop channel and the watcher -------------------------------------------

// A primitive channel only for its update(): async_request_update() is the
// one SystemC call another host thread may make, and update() runs inside the
// kernel between delta cycles, where sc_stop() is safe.
class StopChannel : public sc_core::sc_prim_channel {
public:
    explicit StopChannel(RunMonitor &m)
        : sc_core::sc_prim_channel(sc_core::sc_gen_unique_name("run_control")), m_monitor(m) {}
    std::atomic<int> pending{0}; // 1 wall-clock limit, 2 signal
    void update() override {
        if (pending == 2) {
            m_monitor.stop(StopReason::Signal,
                           "interrupted by " + signal_name(stop_signal_received()));
        } else if (pending == 1) {
            std::ostringstream o;
            o << "the wall-clock limit of " << m_monitor.limits().wall_seconds << " s was reached";
            m_monitor.stop(StopReason::WallTime, o.str());
        }
    }

private:
    RunMonitor &m_monitor;
};

struct RunMonitor::Watcher {
    std::thread thread;
    std::atomic<bool> quit{false};
};

RunMonitor::RunMonitor(unsigned cpus, const RunLimits &limits, const KernelHost &kernel)
    : m_limits(limits), m_kernel(kernel), m_cpus(cpus), m_never("run_control_never"),
      m_channel(std::make_unique<StopChannel>(*this)) {
    // sc_stop() reports itself at info severity; our own message says more.
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                            sc_core::SC_DO_NOTHING);
}

RunMonitor::~RunMonitor() {
    if (m_watcher) {
        m_watcher->quit = true;
        sem_post(&g_wake);
        m_watcher->thread.join();
    }
}

void RunMonitor::watch() {
    timespec deadline{};
    if (m_limits.wall_seconds > 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        double whole = static_cast<double>(static_cast<time_t>(m_limits.wall_seconds));
        deadline.tv_sec += static_cast<time_t>(whole);
        deadline.tv_nsec += static_cast<long>((m_limits.wall_seconds - whole) * 1e9);
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec += 1;
            deadline.tv_nsec -= 1000000000L;
        }
    }
    for (;;) {
        if (m_watcher->quit)
            return;
        if (g_signal) {
            m_channel->pending = 2;
            m_channel->async_request_update();
            return;
        }
        int rc = m_limits.wall_seconds > 0 ? sem_clockwait(&g_wake, CLOCK_MONOTONIC, &deadline)
                                           : sem_wait(&g_wake);
        if (rc != 0 && errno == ETIMEDOUT && !m_watcher->quit && !g_signal) {
            m_channel->pending = 1;
            m_channel->async_request_update();
            return;
        }
    }
}

void RunMonitor::start() {
    ensure_wake();
    m_watcher = std::make_unique<Watcher>();
    m_watcher->thread = std::thread([this] { watch(); });
}

void RunMonitor::finish(bool activity_pending) {
    if (m_watcher) {
        m_watcher->quit = true;
        sem_post(&g_wake);
        m_watcher->thread.join();
        m_watcher.reset();
    }
    if (m_stopping)
        return;
    bool all_done = true;
    for (const CpuActivity &c : m_cpus)
        all_done = all_done && c.state == CpuActivity::State::Done;
    if (all_done)
        return;
    m_stopping = true;
    if (activity_pending) {
        m_reason = StopReason::SimTime;
        m_message = "the simulated-time limit of " + us(m_limits.sim_time_ps) + " was reached";
    } else {
        // Starved with CPUs unfinished: whatever they wait for never comes.
        m_reason = StopReason::Deadlock;
        m_message = "no CPU can make progress and nothing else is scheduled";
    }
}

void RunMonitor::fail(const std::string &message) {
    m_stopping = true;
    m_reason = StopReason::InternalError;
    m_message = message;
}

bool RunMonitor::would_exceed(uint64_t n) const {
    return m_limits.events && (m_events > m_limits.events || n > m_limits.events - m_events);
}

bool RunMonitor::charge(unsigned cpu, uint64_t n, const char *what) {
    if (m_stopping)
        return false;
    // Simulated time is 64-bit picoseconds, which SystemC does not check
    // for overflow: a run that passes 2^63 ps stops there as at a limit.
    // No single wait is longer than 10^16 ps, so it never gets near 2^64.
    constexpr uint64_t kMaxSimPs = uint64_t(1) << 63;
    if (sc_core::sc_time_stamp().value() > kMaxSimPs) {
        stop(StopReason::SimTime, "the simulated time passed 2^63 ps (106 days), the most that "
                                  "64-bit picoseconds hold safely");
        return false;
    }
    if (would_exceed(n)) {
        std::ostringstream o;
        o << "the event limit of " << m_limits.events << " was reached: cpu" << cpu << " needs "
          << n << " for " << what << ", " << (m_limits.events - m_events)
          << " are left; raise it with --max-events or limits.events (0: no limit)";
        stop(StopReason::Events, o.str());
        return false;
    }
    m_events += n;
    return true;
}

void RunMonitor::set_state(unsigned cpu, CpuActivity::State s) {
    if (cpu >= m_cpus.size())
        return;
    CpuActivity &c = m_cpus[cpu];
    if (c.state != s)
        c.since_ps = static_cast<uint64_t>(sc_core::sc_time_stamp().value());
    c.state = s;
}

void RunMonitor::check_deadlock() {
    if (m_stopping)
        return;
    bool any_stuck = false, only_firmware = true;
    for (unsigned i = 0; i < m_cpus.size(); ++i) {
        CpuActivity::State s = m_cpus[i].state;
        if (s == CpuActivity::State::Done)
            continue;
        if (!stuck(s))
            return;
        if (s == CpuActivity::State::Spinning || s == CpuActivity::State::BlockedOnLock) {
            // A lock released but whose waiter has not run yet is no deadlock.
            const shim_lock_wait w = m_kernel.lock_wait(i);
            if (!w.kind || (w.holder_cpu < 0 && w.readers == 0))
                return;
        }
        if (s != CpuActivity::State::HungInFirmware && s != CpuActivity::State::WaitingForBoot)
            only_firmware = false;
        any_stuck = true;
    }
    if (!any_stuck)
        return;
    if (!only_firmware)
        stop(StopReason::Deadlock, "deadlock: every CPU is finished or waits for a lock, a "
                                   "barrier or a firmware call that is never released");
    else
        stop(StopReason::FirmwareHang,
             "hang: every CPU is finished or waits for a firmware call that never returns");
}

void RunMonitor::stop(StopReason r, const std::string &message) {
    if (m_stopping)
        return;
    m_stopping = true;
    m_reason = r;
    m_message = message;
    sc_core::sc_stop();
}

void RunMonitor::halt() {
    sc_core::sc_process_handle self = sc_core::sc_get_current_process_handle();
    if (!self.valid() || self.proc_kind() != sc_core::SC_THREAD_PROC_)
        return;
    sc_core::wait(m_never);
}

// "cpu1, step 1 (invalidate "second"): blocked since 7.000 us on mutex m held by cpu0"
std::string RunMonitor::describe_cpu(unsigned i) const {
    using S = CpuActivity::State;
    const CpuActivity &c = m_cpus[i];
    std::ostringstream o;
    o << "cpu" << i;
    if (c.state == S::Done)
        return o.str() + ": finished its steps";
    if (c.step >= 0) {
        o << ", step " << c.step << " (" << c.step_kind;
        if (!c.step_label.empty())
            o << " \"" << c.step_label << "\"";
        o << ")";
    }
    const std::string since = " since " + us(c.since_ps);
    o << ": ";
    switch (c.state) {
    case S::Booting:
        o << "running the initcalls" << since;
        break;
    case S::WaitingForBoot:
        o << "waiting" << since << " for cpu0 to finish the initcalls";
        break;
    case S::Running:
        o << (c.step < 0 ? "starting its steps" : "running") << since;
        break;
    case S::Sleeping:
        o << "sleeping in kernel code" << since;
        break;
    case S::InFirmware:
        o << "inside the firmware" << since << ": " << c.detail;
        break;
    case S::HungInFirmware:
        o << "hung" << since << " in the firmware: " << c.detail << " never returns";
        break;
    case S::AtBarrier:
        o << "waiting" << since << " at barrier " << c.detail << " for the other CPUs";
        break;
    case S::BlockedOnLock:
    case S::Spinning: {
        const shim_lock_wait w = m_kernel.lock_wait(i);
        o << (c.state == S::Spinning ? "spinning" : "blocked") << since << " on "
          << (w.kind ? w.kind : "a lock") << " " << (w.name ? w.name : "?");
        if (w.holder_cpu >= 0) {
            o << " held by cpu" << w.holder_cpu;
            if (static_cast<unsigned>(w.holder_cpu) < m_cpus.size() &&
                m_cpus[w.holder_cpu].state == S::Done)
                o << ", which has finished its steps";
        } else if (w.readers) {
            o << " held by " << w.readers << " reader(s)";
        }
        break;
    }
    case S::Halted:
        o << "stopped" << since << " by the limit";
        break;
    case S::Done:
        break;
    }
    return o.str();
}

std::string RunMonitor::describe() const {
    std::ostringstream o;
    o << m_message << "\n";
    for (unsigned i = 0; i < m_cpus.size(); ++i)
        o << "  " << describe_cpu(i) << "\n";
    return o.str();
}

StopResult RunMonitor::stop_result() const {
    StopResult r;
    r.reason = stop_reason_name(m_reason);
    r.message = m_message;
    r.events = m_events;
    r.limit_sim_time_ps = m_limits.sim_time_ps;
    r.limit_wall_seconds = m_limits.wall_seconds;
    r.limit_events = m_limits.events;
    if (complete())
        return r;
    r.description = describe();
    for (unsigned i = 0; i < m_cpus.size(); ++i) {
        const CpuActivity &c = m_cpus[i];
        StoppedCpu e;
        e.cpu = i;
        e.state = cpu_state_name(c.state);
        e.since_ps = c.since_ps;
        e.step = c.step;
        e.step_kind = c.step_kind;
        e.label = c.step_label;
        if (c.state == CpuActivity::State::BlockedOnLock ||
            c.state == CpuActivity::State::Spinning) {
            const shim_lock_wait w = m_kernel.lock_wait(i);
            e.waits = StoppedCpu::Waits::Lock;
            e.waits_kind = w.kind ? w.kind : "lock";
            e.waits_name = w.name ? w.name : "?";
            e.holder_cpu = w.holder_cpu;
            e.readers = w.readers;
        } else if (c.state == CpuActivity::State::InFirmware ||
                   c.state == CpuActivity::State::HungInFirmware) {
            e.waits = StoppedCpu::Waits::Smc;
            e.call = c.detail;
        } else if (c.state == CpuActivity::State::WaitingForBoot) {
            e.waits = StoppedCpu::Waits::Boot;
        } else if (c.state == CpuActivity::State::AtBarrier) {
            e.waits = StoppedCpu::Waits::Barrier;
            e.waits_name = c.detail;
        }
        e.description = describe_cpu(i);
        r.cpus.push_back(std::move(e));
    }
    if (m_reason == StopReason::BadInput)
        r.input_error = m_message;
    return r;
}

} // namespace cmosim::sim
