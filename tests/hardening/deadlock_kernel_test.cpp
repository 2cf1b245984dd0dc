// SPDX-License-Identifier: Apache-2.0
// Deadlocks between simulated CPUs caused by kernel code: a buggy provider
// (kernel/buggy_provider.c, registered ahead of the SMCCC provider) forgets to
// release a mutex, a spinlock or an rw-semaphore, or takes two mutexes in
// opposite orders. The run must stop by itself and say which CPU waits for
// which lock held by whom. One simulation per test process.
#include <csignal>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "buggy_provider.h"
#include "config/scenario.h"
#include "report/report.h"
#include "run/simulation.h"
#include "run/run_control.h"

namespace cmosim::test {
namespace {

using nlohmann::json;

// cpu0 invalidates at once; cpu1 after `cpu1_delay` (so that, with a delay,
// cpu0 has finished and left its lock behind).
json run(int mode, const std::string &cpu1_delay) {
    buggy_provider_mode = mode;
    std::string text = "platform:\n"
                       "  cpus: 2\n"
                       "  l1d: { size: 32KiB, ways: 4 }\n"
                       "  slc: { size: 1MiB, ways: 8 }\n"
                       "  memory:\n"
                       "    - { name: cxl0, kind: cxl, base: 0x1000000000, size: 1GiB,\n"
                       "        read_latency: 200ns, bandwidth: 32GB/s }\n"
                       "cpus:\n"
                       "  0: [ { invalidate: { base: cxl0, size: 64KiB, strategy: smccc } } ]\n"
                       "  1:\n"
                       "    - sleep: " +
                       cpu1_delay +
                       "\n"
                       "    - invalidate: { base: cxl0, size: 64KiB, strategy: smccc }\n";
    sim::Scenario s = sim::load_scenario_text("buggy.yaml", text);
    sim::Simulation simulation(s);
    bool complete = true;
    json j = json::parse(sim::report_json(simulation.run()));
    complete = simulation.result().complete;
    EXPECT_FALSE(complete);
    EXPECT_FALSE(j["complete"].get<bool>());
    EXPECT_EQ(j["stop"]["reason"], "deadlock") << j["stop"].dump(2);
    return j;
}

TEST(DeadlockKernelTest, AMutexNeverReleasedBlocksTheNextCpuAndIsReported) {
    json j = run(BUGGY_MUTEX_NEVER_RELEASED, "100us");
    const json &c0 = j["stop"]["cpus"][0], &c1 = j["stop"]["cpus"][1];
    EXPECT_EQ(c0["state"], "done") << "cpu0 returned with the mutex still held";
    EXPECT_EQ(c1["state"], "blocked_on_lock");
    EXPECT_EQ(c1["waits_on"]["kind"], "mutex");
    EXPECT_EQ(c1["waits_on"]["name"], "buggy_lock");
    EXPECT_EQ(c1["waits_on"]["holder_cpu"], 0);
    EXPECT_EQ(c1["description"].get<std::string>().find("cpu1, step 1 (invalidate): blocked"), 0u)
        << c1["description"];
    EXPECT_NE(c1["description"].get<std::string>().find(
                  "on mutex buggy_lock held by cpu0, which has finished its steps"),
              std::string::npos)
        << c1["description"];
    EXPECT_EQ(j["stop"]["message"], "deadlock: every CPU is finished or waits for a lock, a "
                                    "barrier or a firmware call that is never released");
}

TEST(DeadlockKernelTest, ASpinlockNeverReleasedIsADeadlockThoughTheSpinnerKeepsRunning) {
    json j = run(BUGGY_SPINLOCK_NEVER_RELEASED, "100us");
    const json &c1 = j["stop"]["cpus"][1];
    EXPECT_EQ(c1["state"], "spinning");
    EXPECT_EQ(c1["waits_on"]["kind"], "spinlock");
    EXPECT_EQ(c1["waits_on"]["name"], "buggy_spin");
    EXPECT_EQ(c1["waits_on"]["holder_cpu"], 0);
    // Detected at the first 10 ns spin poll: the stop is immediate, not at a limit.
    EXPECT_LT(j["stop"]["events"].get<uint64_t>(), 100u);
}

TEST(DeadlockKernelTest, AnRwsemWriteLockNeverReleasedBlocksAReader) {
    json j = run(BUGGY_RWSEM_WRITE_NEVER_RELEASED, "100us");
    const json &c1 = j["stop"]["cpus"][1];
    EXPECT_EQ(c1["state"], "blocked_on_lock");
    EXPECT_EQ(c1["waits_on"]["kind"], "rwsem (read)");
    EXPECT_EQ(c1["waits_on"]["name"], "buggy_rwsem");
    EXPECT_EQ(c1["waits_on"]["holder_cpu"], 0) << "the writer";
}

TEST(DeadlockKernelTest, TwoMutexesTakenInOppositeOrdersDeadlockBothCpus) {
    // cpu0: a, sleep 1 ms, b; cpu1: b, sleep 1 ms, a -- both start together.
    json j = run(BUGGY_ABBA, "0ns");
    const json &c0 = j["stop"]["cpus"][0], &c1 = j["stop"]["cpus"][1];
    EXPECT_EQ(c0["state"], "blocked_on_lock");
    EXPECT_EQ(c0["waits_on"]["name"], "buggy_lock_b");
    EXPECT_EQ(c0["waits_on"]["holder_cpu"], 1);
    EXPECT_EQ(c1["state"], "blocked_on_lock");
    EXPECT_EQ(c1["waits_on"]["name"], "buggy_lock");
    EXPECT_EQ(c1["waits_on"]["holder_cpu"], 0);
}

TEST(DeadlockKernelTest, WithoutABugTheSameScenarioFinishes) {
    buggy_provider_mode = BUGGY_NONE;
    sim::Scenario s = sim::load_scenario_text(
        "fine.yaml", "platform:\n"
                     "  cpus: 2\n"
                     "  l1d: { size: 32KiB, ways: 4 }\n"
                     "  slc: { size: 1MiB, ways: 8 }\n"
                     "  memory:\n"
                     "    - { name: cxl0, kind: cxl, base: 0x1000000000, size: 1GiB,\n"
                     "        read_latency: 200ns, bandwidth: 32GB/s }\n"
                     "cpus:\n"
                     "  0: [ { invalidate: { base: cxl0, size: 64KiB, strategy: smccc } } ]\n"
                     "  1: [ { invalidate: { base: cxl0, size: 64KiB, strategy: smccc } } ]\n");
    sim::Simulation simulation(s);
    bool complete = false;
    json j = json::parse(sim::report_json(simulation.run()));
    complete = simulation.result().complete;
    EXPECT_TRUE(complete) << j["stop"].dump(2);
    EXPECT_EQ(j["stop"]["reason"], "finished");
    EXPECT_EQ(j["invalidate"].size(), 2u);
}

TEST(DeadlockKernelTest, ASignalBeforeTheRunStartsStopsItAtOnce) {
    buggy_provider_mode = BUGGY_NONE;
    sim::Scenario s = sim::load_scenario_text(
        "sig.yaml", "platform:\n"
                    "  l1d: { size: 32KiB, ways: 4 }\n"
                    "  slc: { size: 1MiB, ways: 8 }\n"
                    "  memory:\n"
                    "    - { name: cxl0, kind: cxl, base: 0x1000000000, size: 1GiB,\n"
                    "        read_latency: 200ns, bandwidth: 32GB/s }\n"
                    "cpus: { 0: [ { store: { base: cxl0, size: 64MiB } } ] }\n");
    sim::install_stop_signals();
    std::raise(SIGINT); // handled: only a flag is set
    sim::Simulation simulation(s);
    bool complete = true;
    json j = json::parse(sim::report_json(simulation.run()));
    complete = simulation.result().complete;
    sim::restore_stop_signals();
    EXPECT_FALSE(complete);
    EXPECT_EQ(j["stop"]["reason"], "signal");
    EXPECT_EQ(j["stop"]["message"], "interrupted by SIGINT");
    EXPECT_TRUE(j["accesses"].empty()) << "the 64 MiB store never finished";
}

} // namespace
} // namespace cmosim::test
