// SPDX-License-Identifier: Apache-2.0
// Private to sim/run and the command line: what keeps a run bounded and says why it stopped.
//
//   limits     simulated time (sc_start's bound), wall-clock time, events;
//   deadlock   every CPU is finished, blocked on a lock, hung in the firmware
//              or spinning on a spinlock nobody can release, and at least one
//              has not finished: nothing can ever change again;
//   signals    SIGINT/SIGTERM only set a flag and post a semaphore; a watcher
//              thread turns that into an async update of a primitive channel,
//              whose update() calls sc_stop() from inside the kernel.
//
// "Events" are the unit of host work a run does, counted where the simulator
// does it: one per CPU step, one per cache line a load or store step touches,
// one per firmware call and one per kernel sleep, busy-wait or lock wait. The
// count depends only on the scenario, so an event limit stops a run at the
// same point every time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include <nlohmann/json.hpp>

namespace cmosim::sim {

enum class StopReason {
    Finished,
    SimTime,
    WallTime,
    Events,
    Deadlock,
    FirmwareHang,
    Signal,
    BadInput,     // input read during the run (a replayed trace) is malformed
    InternalError // the simulation threw (out of host memory): the report says so
};
const char *stop_reason_name(StopReason r);

// What one simulated CPU is doing, kept current by the CPU's own thread.
struct CpuActivity {
    enum class State {
        Booting,        // cpu0 running the initcalls
        WaitingForBoot, // another CPU waiting for cpu0's initcalls
        Running,
        Sleeping,       // a timed kernel sleep
        InFirmware,     // inside an SMC
        BlockedOnLock,  // a mutex or rwsem wait queue
        Spinning,       // busy-waiting on a held spinlock
        HungInFirmware, // an SMC that never returns (fault plan: hang forever)
        AtBarrier,      // waiting for the other CPUs of a barrier (detail: its name)
        Halted,         // stopped by a limit while running
        Done,
    };
    State state = State::Booting;
    long step = -1;        // index of the step it runs, -1: none yet
    std::string step_kind; // load, store, device, invalidate, sleep
    std::string step_label;
    std::string detail;    // SMC: function and arguments
    uint64_t since_ps = 0; // when it entered `state`
};
const char *cpu_state_name(CpuActivity::State s);

// The limits of one run; 0 means none.
struct RunLimits {
    uint64_t sim_time_ps = 0;
    double wall_seconds = 0;
    uint64_t events = 0;
    bool events_grow = false; // the default budget: grow() raises it
};

class StopChannel;

class KernelHost;

class RunMonitor {
public:
    // `kernel` tells which lock a blocked or spinning CPU waits for.
    RunMonitor(unsigned cpus, const RunLimits &limits, const KernelHost &kernel);
    ~RunMonitor();
    RunMonitor(const RunMonitor &) = delete;
    RunMonitor &operator=(const RunMonitor &) = delete;

    const RunLimits &limits() const { return m_limits; }

    // Around sc_start(): start() arms the wall-clock and signal watcher,
    // finish() disarms it and settles the stop reason from what sc_start()
    // left behind (time limit reached, or starved with CPUs unfinished).
    void start();
    void finish(bool activity_pending);

    // On a CPU thread: add `n` events. False when that reaches the event
    // limit (the run is then stopping and the caller must halt()).
    bool charge(unsigned cpu, uint64_t n, const char *what);
    // Would `n` more events pass the limit? (Checked before a step whose
    // cost is known, so that a 1 PiB store is refused before it starts.)
    bool would_exceed(uint64_t n) const;
    // A replay step read `n` trace records: the default budget grows by as
    // many, so a long trace replays whole while other steps stay bounded.
    void grow(uint64_t n) {
        if (m_limits.events_grow && m_limits.events)
            m_limits.events = m_limits.events + n < n ? UINT64_MAX : m_limits.events + n;
    }
    // A load, store or stream step declares `n` line events: the default
    // budget grows by as many when n is at most kDeclaredStepEvents, so the
    // work the scenario asks for runs whole (a sweep point's budget grows
    // with its range) while a step of 1 PiB is still refused at once.
    static constexpr uint64_t kDeclaredStepEvents = uint64_t(1) << 32;
    void grow_declared(uint64_t n) {
        if (n <= kDeclaredStepEvents)
            grow(n);
    }

    void set_state(unsigned cpu, CpuActivity::State s);
    CpuActivity &cpu(unsigned i) { return m_cpus[i]; }
    const std::vector<CpuActivity> &cpus() const { return m_cpus; }

    // After a CPU blocked, hung, spun or finished: stop the run if no CPU can
    // ever make progress again.
    void check_deadlock();
    // Stop the run (the first reason given wins).
    void stop(StopReason r, const std::string &message);
    // After sc_start() threw (std::bad_alloc on a CPU thread): the run is
    // over, whatever stopped it before, and its report must say why.
    void fail(const std::string &message);
    // Suspend the calling CPU thread for good (after a stop, or a hang).
    void halt();

    StopReason reason() const { return m_reason; }
    const std::string &message() const { return m_message; }
    uint64_t events() const { return m_events; }
    bool complete() const { return m_reason == StopReason::Finished; }

    // The report's "stop" section and the text cmosim prints on stderr.
    nlohmann::ordered_json to_json() const;
    std::string describe() const;

private:
    std::string describe_cpu(unsigned i) const;
    void watch();

    RunLimits m_limits;
    const KernelHost &m_kernel;
    std::vector<CpuActivity> m_cpus;
    uint64_t m_events = 0;
    bool m_stopping = false;
    StopReason m_reason = StopReason::Finished;
    std::string m_message;
    sc_core::sc_event m_never; // notified by nobody: halt() waits on it
    std::unique_ptr<StopChannel> m_channel;
    struct Watcher;
    std::unique_ptr<Watcher> m_watcher;
};

// SIGINT/SIGTERM: the first asks the running simulation to stop (and is
// remembered if none runs yet); a second one removes the temporary report
// file being written, if any, and ends the process by that signal.
// `restart`: system calls resume after the handler (a single run, whose
// watcher learns of the signal from the semaphore); false makes a blocking
// waitpid() return EINTR, which is how a suite's parent learns of it.
void install_stop_signals(bool restart = true);
void restore_stop_signals();
int stop_signal_received(); // 0 or the signal number

// Installs the handlers for a scope; the old dispositions come back however
// the scope is left.
struct ScopedStopSignals {
    explicit ScopedStopSignals(bool restart = true) { install_stop_signals(restart); }
    ~ScopedStopSignals() { restore_stop_signals(); }
    ScopedStopSignals(const ScopedStopSignals &) = delete;
    ScopedStopSignals &operator=(const ScopedStopSignals &) = delete;
};
// The temporary file a second signal must not leave behind (nullptr: none).
void set_signal_cleanup_path(const char *path);

} // namespace cmosim::sim
