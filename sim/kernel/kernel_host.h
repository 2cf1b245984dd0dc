// SPDX-License-Identifier: Apache-2.0
// KernelHost: runs the kernel shim (provider/) on SystemC simulated time.
//
// Every simulated CPU is an SC_THREAD bound to a CPU id. Kernel code called
// on that thread (initcalls, cpu_cache_invalidate_memregion, ...) sleeps,
// spins, blocks on locks and traps into the firmware on that thread:
//   sleep_ps / busy_ps -> sc_core::wait(ps): both advance the calling CPU's
//                         time; a sleep also counts as a scheduling point for
//                         the shim (the watchdog, the sleep-in-atomic rule).
//   waitq              -> an sc_event per wait queue (wake = immediate notify).
//   smc                -> the platform's handler, on the calling thread.
//   printk / rule      -> kept with the simulated time and CPU for the report.
// A CPU that uses temporal decoupling must sync its quantum keeper before it
// calls kernel code: the shim reads sc_time_stamp() as "now" and every wait
// starts from there.
//
// KernelHost is sim/'s only door to kernel code: it calls the kernel through
// the KernelImage selected when it was made (the built-in kernel, or one
// built from the user's sources at run time).
#ifndef CMOSIM_SIM_KERNEL_HOST_H
#define CMOSIM_SIM_KERNEL_HOST_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <systemc>

#include "cmosim/shim_host.h"
#include "kernel/kernel_image.h"

namespace cmosim::sim {

struct PrintkRecord {
    uint64_t time_ps;
    unsigned cpu;
    int level;
    std::string text;
};

struct RuleRecord {
    uint64_t time_ps;
    unsigned cpu;
    shim_rule rule;
    std::string detail;
};

// What kernel code made one CPU do, as seen by the host (monotonic counters:
// take differences around a call to attribute its time).
struct KernelCpuStats {
    uint64_t sleeps = 0; // sleep_ps calls: usleep_range, msleep, ...
    uint64_t sleep_ps = 0;
    uint64_t busy_waits = 0; // busy_ps calls: udelay, spinning
    uint64_t busy_ps = 0;
    uint64_t lock_blocks = 0;  // waits on a mutex/rwsem wait queue
    uint64_t lock_wait_ps = 0; // time blocked on them
    uint64_t smc_calls = 0;
    uint64_t smc_ps = 0; // time inside the firmware handler
};

// One interval a CPU spent in a host op, for timelines (the trace-event
// output). Recorded only after record_spans(true): a long run makes many.
enum class HostSpanKind { Sleep, Busy, LockWait, Smc };
const char *host_span_kind_name(HostSpanKind kind); // "sleep", "busy", "lock_wait", "smc"

struct HostSpan {
    HostSpanKind kind;
    unsigned cpu;
    uint64_t start_ps;
    uint64_t duration_ps;
    uint64_t fid = 0;    // Smc: x0 as passed
    uint64_t result = 0; // Smc: x0 as returned
};
// What kernel code is making a CPU do, as it happens: the simulator counts it
// against the run's event limit and tracks it to detect deadlocks. Sleep and
// Busy come before the time passes and Resume after it; Block before a wait
// queue wait and Unblock after it; Woken when another CPU wakes the queue the
// CPU is blocked on (it runs again at the next delta cycle).
enum class KernelActivity { Sleep, Busy, Resume, Block, Unblock, Woken };

class KernelHost {
public:
    // x[0] = FID, x[1..7] = arguments; the handler writes the results to x[0..4].
    using SmcHandler = std::function<void(unsigned cpu, uint64_t x[8])>;
    using RuleCallback = std::function<void(const RuleRecord &)>;
    using ActivityCallback = std::function<void(unsigned cpu, KernelActivity what)>;

    KernelHost(); // on KernelImage::selected()
    ~KernelHost();
    KernelHost(const KernelHost &) = delete;
    KernelHost &operator=(const KernelHost &) = delete;

    // Bind the calling SC_THREAD (or a given process) to a CPU id.
    void bind_cpu(unsigned cpu);
    void bind_cpu(const sc_core::sc_process_handle &process, unsigned cpu);

    void set_smc_handler(SmcHandler handler) { m_smc = std::move(handler); }
    void set_rule_callback(RuleCallback cb) { m_on_rule = std::move(cb); }
    void set_echo(bool echo) { m_echo = echo; } // printk lines to stderr too
    void set_activity_callback(ActivityCallback cb) { m_on_activity = std::move(cb); }

    // shim_set_host(this) / shim_set_host(NULL).
    void install();
    void uninstall();
    bool installed() const { return m_installed; }

    // The kernel API, bracketed by shim_kernel_enter/exit (NMI watchdog).
    int run_initcalls();
    int invalidate_memregion(uint64_t start, size_t len);
    bool has_invalidate_memregion();

    // The shim's settings (HZ, the SMC conduit, the checks it makes): the
    // defaults, then configure() before the first initcall. The static ones
    // ask the selected KernelImage (the one every KernelHost is made on).
    static shim_config default_config();
    void configure(const shim_config &cfg);
    // "built-in", or the path of the shared object the kernel came from.
    const std::string &image_origin() const { return m_img.origin; }

    const std::vector<PrintkRecord> &printk_log() const { return m_printk; }
    static const char *rule_name(shim_rule rule);
    // Every lock kernel code has used, with its contention and hold times.
    std::vector<shim_lock_stats> lock_stats() const;
    // The lock `cpu` waits for right now (kind NULL: none), for deadlock and
    // hang reports.
    shim_lock_wait lock_wait(unsigned cpu) const;
    const std::vector<RuleRecord> &rules() const { return m_rules; }
    size_t rule_count(shim_rule rule) const;
    KernelCpuStats cpu_stats(unsigned cpu) const;

    // Keep a HostSpan for every sleep, busy wait, lock wait and SMC from now
    // on, up to `limit` of them; later ones are only counted.
    void record_spans(bool on, size_t limit = kDefaultSpanLimit);
    const std::vector<HostSpan> &spans() const { return m_spans; }
    uint64_t spans_dropped() const { return m_spans_dropped; }
    static constexpr size_t kDefaultSpanLimit = 1000000;

    uint64_t now_ps() const;
    // The CPU of the calling thread; 0 outside any process (elaboration, or
    // after sc_start returned). An unbound SC_THREAD is a platform bug: abort.
    unsigned current_cpu() const;

private:
    struct WaitQueue {
        sc_core::sc_event ev;
    };

    static uint64_t op_now_ps(void *ctx);
    static unsigned op_current_cpu(void *ctx);
    static void op_sleep_ps(void *ctx, uint64_t ps);
    static void op_busy_ps(void *ctx, uint64_t ps);
    static void op_smc(void *ctx, uint64_t x[8]);
    static void *op_waitq_create(void *ctx);
    static void op_waitq_destroy(void *ctx, void *wq);
    static void op_waitq_wait(void *ctx, void *wq);
    static void op_waitq_wake_all(void *ctx, void *wq);
    static void op_printk(void *ctx, int level, const char *line);
    static void op_rule(void *ctx, enum shim_rule rule, const char *detail);

    void advance(uint64_t ps);
    KernelCpuStats &stats_of(unsigned cpu);
    void add_span(const HostSpan &span);

    KernelImage m_img;
    shim_host_ops m_ops{};
    bool m_installed = false;
    bool m_echo = false;
    SmcHandler m_smc;
    RuleCallback m_on_rule;
    ActivityCallback m_on_activity;
    void activity(unsigned cpu, KernelActivity what) {
        if (m_on_activity)
            m_on_activity(cpu, what);
    }
    std::vector<void *> m_blocked_on; // per CPU: the wait queue it waits on
    std::map<sc_core::sc_process_handle, unsigned> m_cpu_of;
    std::unordered_map<void *, std::unique_ptr<WaitQueue>> m_waitqs;
    std::vector<PrintkRecord> m_printk;
    std::vector<RuleRecord> m_rules;
    std::vector<KernelCpuStats> m_cpu_stats;
    bool m_record_spans = false;
    size_t m_span_limit = kDefaultSpanLimit;
    std::vector<HostSpan> m_spans;
    uint64_t m_spans_dropped = 0;
};

} // namespace cmosim::sim

#endif
