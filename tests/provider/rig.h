// SPDX-License-Identifier: Apache-2.0
// Test rig for kernel code on SystemC: N simulated CPUs (SC_THREADs bound to
// a KernelHost) and a scripted fake firmware. One rig per test process:
// SystemC elaborates once per process, and initcalls run once per process.
#ifndef CMOSIM_TESTS_PROVIDER_RIG_H
#define CMOSIM_TESTS_PROVIDER_RIG_H

#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cmosim/shim_host.h"
#include "kernel/kernel_host.h"

namespace cmosim::test {

constexpr uint32_t kFidVersion = 0x80000000u;
constexpr uint32_t kFidFeatures = 0x80000001u;
constexpr uint32_t kFidCleanInv = 0xC0000005u;
constexpr uint32_t kFidCleanInvAttr = 0xC0000006u;

constexpr int64_t kSuccess = 0;
constexpr int64_t kNotSupported = -1;
constexpr int64_t kNotRequired = -2;
constexpr int64_t kInvalidParameter = -3;
constexpr int64_t kRateLimited = -4;
constexpr int64_t kBusy = -5;

constexpr uint64_t kPsPerUs = 1000000ull;
constexpr uint64_t kPsPerMs = 1000000000ull;

// Answers the Arm architecture service per a script and records every call.
struct FakeFirmware {
    uint32_t version = 0x10007; // SMCCC v1.7
    int64_t version_status = 0; // < 0: SMCCC_VERSION itself unsupported
    std::map<uint32_t, int64_t> features{{kFidCleanInv, 0}, {kFidCleanInvAttr, 0}};
    int64_t attr_status = 0;
    uint64_t attr_flags = 0, attr_latency_us = 0, attr_rate = 0, attr_breakeven = 0;
    std::deque<int64_t> clean_inv_script; // successive statuses; then SUCCESS
    uint64_t clean_inv_cost_ps = 0;       // simulated time of each CLEAN_INV

    struct Call {
        uint64_t start_ps, end_ps;
        unsigned cpu;
        uint64_t x[8];
        int64_t status;
    };
    std::vector<Call> calls;

    void operator()(unsigned cpu, uint64_t x[8]) {
        Call c{now(), 0, cpu, {}, 0};
        std::copy(x, x + 8, c.x);
        const uint32_t fid = static_cast<uint32_t>(x[0]);
        int64_t st = kNotSupported;
        uint64_t out[5] = {};
        switch (fid) {
        case kFidVersion:
            st = version_status < 0 ? version_status : version;
            break;
        case kFidFeatures: {
            auto it = features.find(static_cast<uint32_t>(x[1]));
            st = it == features.end() ? kNotSupported : it->second;
            break;
        }
        case kFidCleanInvAttr:
            st = attr_status;
            out[1] = attr_flags;
            out[2] = attr_latency_us;
            out[3] = attr_rate;
            out[4] = attr_breakeven;
            break;
        case kFidCleanInv:
            if (clean_inv_cost_ps)
                sc_core::wait(sc_core::sc_time(double(clean_inv_cost_ps), sc_core::SC_PS));
            if (!clean_inv_script.empty()) {
                st = clean_inv_script.front();
                clean_inv_script.pop_front();
            } else {
                st = kSuccess;
            }
            break;
        default:
            break;
        }
        out[0] = static_cast<uint64_t>(st);
        std::copy(out, out + 5, x);
        c.status = st;
        c.end_ps = now();
        calls.push_back(c);
    }

    std::vector<Call> calls_of(uint32_t fid) const {
        std::vector<Call> v;
        for (const auto &c : calls)
            if (static_cast<uint32_t>(c.x[0]) == fid)
                v.push_back(c);
        return v;
    }

    static uint64_t now() { return sc_core::sc_time_stamp().value(); } // 1 ps resolution
};

class KernelRig {
public:
    explicit KernelRig(unsigned ncpus) : m_ncpus(ncpus), m_scripts(ncpus) {
        host.set_smc_handler([this](unsigned cpu, uint64_t x[8]) { fw(cpu, x); });
        host.install();
    }
    ~KernelRig() { host.uninstall(); }

    // What CPU `cpu` runs once the simulation starts.
    void on_cpu(unsigned cpu, std::function<void()> fn) { m_scripts.at(cpu) = std::move(fn); }

    // Spawn one SC_THREAD per CPU with a script and simulate to the end.
    void run() {
        for (unsigned cpu = 0; cpu < m_ncpus; cpu++) {
            if (!m_scripts[cpu])
                continue;
            sc_core::sc_spawn(
                [this, cpu] {
                    host.bind_cpu(cpu);
                    m_scripts[cpu]();
                },
                ("cpu" + std::to_string(cpu)).c_str());
        }
        sc_core::sc_start();
    }

    // On the boot CPU: run the initcalls, then release the others.
    int boot() {
        int n = host.run_initcalls();
        m_booted = true;
        m_boot_ev.notify();
        return n;
    }
    void wait_boot() {
        if (!m_booted)
            sc_core::wait(m_boot_ev);
    }

    static uint64_t now_ps() { return sc_core::sc_time_stamp().value(); }
    static void delay_ps(uint64_t ps) {
        sc_core::wait(sc_core::sc_time(double(ps), sc_core::SC_PS));
    }

    static shim_stats stats() {
        shim_stats s{};
        shim_stats_get(&s);
        return s;
    }
    static bool lock_stats(const std::string &name, shim_lock_stats *out) {
        for (size_t i = 0; i < shim_lock_count(); i++) {
            shim_lock_stats_get(i, out);
            if (name == out->name)
                return true;
        }
        return false;
    }
    static std::vector<shim_sleep_event> sleeps() {
        std::vector<shim_sleep_event> v(shim_sleep_event_count());
        for (size_t i = 0; i < v.size(); i++)
            shim_sleep_event_get(i, &v[i]);
        return v;
    }

    sim::KernelHost host;
    FakeFirmware fw;

private:
    unsigned m_ncpus;
    std::vector<std::function<void()>> m_scripts;
    sc_core::sc_event m_boot_ev;
    bool m_booted = false;
};

} // namespace cmosim::test

#endif
