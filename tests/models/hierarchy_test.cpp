// SPDX-License-Identifier: Apache-2.0
// The smallest platform that shows each behaviour: 1-2 cores with a private
// L1D, an SLC behind the home node, one CXL region. Each TEST runs in its own
// process (SystemC elaborates once per process).
#include <functional>
#include <memory>

#include <gtest/gtest.h>
#include <systemc>

#include "cmosim/models/cache.h"
#include "cmosim/models/checker.h"
#include "cmosim/models/cpu_core.h"
#include "cmosim/models/home_node.h"
#include "cmosim/models/memory.h"

using namespace cmosim::models;
using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

constexpr uint64_t kCxl = 0x1000000000ull;

struct Rig {
    Checker checker;
    std::unique_ptr<Memory> mem;
    std::unique_ptr<Cache> slc;
    std::unique_ptr<HomeNode> home;
    std::vector<std::unique_ptr<Cache>> l1;
    std::vector<std::unique_ptr<CpuCore>> cpu;

    explicit Rig(unsigned cpus) {
        RegionParams r;
        r.name = "cxl0";
        r.kind = MemoryKind::CxlHdm;
        r.base = kCxl;
        r.size = 1ull << 42; // 4 TiB
        r.read_latency = r.write_latency = sc_time(240, SC_NS);
        r.bandwidth_gbps = 32;
        mem = std::make_unique<Memory>("mem", std::vector<RegionParams>{r}, 64, checker);
        CacheParams sp;
        sp.geometry.size_bytes = 64 * 1024; // 1024 lines
        sp.geometry.ways = 8;
        sp.level = Level::SLC;
        sp.hit_latency = sc_time(40, SC_NS);
        slc = std::make_unique<Cache>("slc", sp);
        HomeNodeParams hp;
        home = std::make_unique<HomeNode>("home", *mem, checker, hp);
        home->set_slc(slc.get());
        home->mem_side.bind(slc->cpu_side);
        slc->mem_side.bind(mem->cpu_side);
        CpuParams cp; // 3 GHz, 8 CMOs in flight
        for (unsigned i = 0; i < cpus; ++i) {
            CacheParams lp;
            lp.geometry.size_bytes = 4096; // 64 lines
            lp.geometry.ways = 4;
            lp.level = Level::L1D;
            lp.hit_latency = sc_time(2, SC_NS);
            l1.push_back(std::make_unique<Cache>(("l1_" + std::to_string(i)).c_str(), lp));
            l1.back()->mem_side.bind(home->cpu_side);
            home->add_cpu({l1.back().get()});
            cpu.push_back(std::make_unique<CpuCore>(("cpu" + std::to_string(i)).c_str(), i, cp,
                                                    *l1.back(), *home, checker));
            cpu.back()->mem_side.bind(l1.back()->cpu_side);
        }
    }
    void run(unsigned i, std::function<void(CpuCore &)> f) { cpu[i]->set_program(std::move(f)); }
};

} // namespace

TEST(HierarchyTest, LoadAfterDeviceEraseWithoutInvalidateIsStale) {
    Rig rig(1);
    rig.run(0, [&](CpuCore &c) {
        c.load_range(kCxl, 1024); // 16 lines, all in L1
        c.sync();
        rig.mem->device_op(DeviceOp::SecureErase, kCxl, 1 << 20);
        c.load_range(kCxl, 1024);
    });
    sc_core::sc_start();
    EXPECT_EQ(rig.cpu[0]->stats().stale_reads, 16u) << "all 16 lines hit in L1 after the erase";
    EXPECT_EQ(rig.checker.count(EventKind::StaleRead), 16u);
    ASSERT_FALSE(rig.checker.events().empty());
    EXPECT_EQ(rig.checker.events()[0].level, "l1d");
}

TEST(HierarchyTest, FlushEngineLeavesNoStaleLineAndWritesDirtyDataBack) {
    Rig rig(1);
    FlushOutcome out;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 4096); // 64 dirty lines; L1 (64 lines) holds them all
        c.sync();
        out = rig.home->flush(kCxl, 1 << 20, false, FlushLevels{}, sc_core::sc_time_stamp(), 0);
        sc_core::wait(out.duration);
        rig.mem->device_op(DeviceOp::SecureErase, kCxl, 1 << 20);
        out = rig.home->flush(kCxl, 1 << 20, false, FlushLevels{}, sc_core::sc_time_stamp(), 0);
        sc_core::wait(out.duration);
        c.load_range(kCxl, 4096);
    });
    sc_core::sc_start();
    EXPECT_EQ(rig.cpu[0]->stats().stale_reads, 0u);
    EXPECT_EQ(rig.checker.count(EventKind::LostDeviceWrite), 0u)
        << "dirty data left before the erase";
    EXPECT_EQ(out.lines_written_back, 0u) << "the second flush found only clean lines";
    EXPECT_EQ(rig.home->audit(kCxl, 1 << 20, 0, "test"), 128u)
        << "the 64 lines read back after the flush sit in L1 and in the SLC";
}

TEST(HierarchyTest, FlushEngineCostIsTagWalkPlusLinesPlusWriteBack) {
    Rig rig(1);
    FlushOutcome out;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 64 * 64); // 64 dirty lines in L1, none in the SLC yet
        c.sync();
        out = rig.home->flush(kCxl, 1 << 20, false, FlushLevels{}, sc_core::sc_time_stamp(), 0);
    });
    sc_core::sc_start();
    // Each line sits dirty in L1 and clean in the SLC (filled on the way up):
    // 128 lines invalidated, 64 written back. setup 200 ns + SLC walk 1024 tags
    // / (4 per cycle x 2 GHz) = 128 ns + 128 lines x 2 ns = 256 ns -> 584 ns;
    // the write-back of 64 x 64 B at 32 GB/s (128 ns after setup) ends earlier.
    EXPECT_EQ(out.lines_invalidated, 128u);
    EXPECT_EQ(out.lines_written_back, 64u);
    EXPECT_EQ(out.tags_walked, 1024u);
    EXPECT_EQ(out.duration, sc_time(584, SC_NS));
}

TEST(HierarchyTest, SetWayAloneLeavesStaleLinesInTheSlc) {
    Rig rig(1);
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 8192); // 128 lines: 64 stay in L1, 64 were evicted to the SLC
        c.set_way(CmoKind::CleanInvalidate); // L1 written back to the SLC, not past it
        c.sync();
        rig.mem->device_op(DeviceOp::SecureErase, kCxl, 1 << 20);
        c.load_range(kCxl, 8192);
    });
    sc_core::sc_start();
    EXPECT_EQ(rig.cpu[0]->stats().stale_reads, 128u)
        << "every line was served by the SLC, which set/way cannot reach";
    EXPECT_EQ(rig.checker.events()[0].level, "slc");
}

TEST(HierarchyTest, StoreOnOneCoreInvalidatesTheOtherCoresCopy) {
    Rig rig(2);
    sc_core::sc_event done0;
    rig.run(0, [&](CpuCore &c) {
        c.load(kCxl);
        c.sync();
        done0.notify(sc_core::SC_ZERO_TIME);
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(done0);
        c.store(kCxl);
        c.sync();
    });
    sc_core::sc_start();
    EXPECT_LT(rig.l1[0]->tags().lookup(kCxl), 0) << "CPU1's store took the line from CPU0";
    EXPECT_GE(rig.l1[1]->tags().lookup(kCxl), 0);
    EXPECT_EQ(rig.home->stats().snoop_invalidations, 1u);
}

TEST(HierarchyTest, LoadOfALineDirtyInAnotherCoreSeesItsData) {
    Rig rig(2);
    sc_core::sc_event done0;
    rig.run(0, [&](CpuCore &c) {
        c.store(kCxl);
        c.sync();
        done0.notify(sc_core::SC_ZERO_TIME);
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(done0);
        c.load(kCxl);
        c.sync();
    });
    sc_core::sc_start();
    EXPECT_EQ(rig.home->stats().snoop_writebacks, 1u) << "CPU0's dirty copy was cleaned first";
    EXPECT_EQ(rig.slc->tags().line(kCxl, rig.slc->tags().lookup(kCxl)).version,
              rig.l1[1]->tags().line(kCxl, rig.l1[1]->tags().lookup(kCxl)).version)
        << "CPU1 got the version CPU0 wrote";
}

TEST(HierarchyTest, ClosedFormCmoLoopEqualsTheLineByLineLoop) {
    Rig rig(2);
    CmoLoopResult closed, linewise;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl + 4096, 2048); // 32 dirty lines inside the range
        c.load_range(kCxl + 65536, 1024);  // 16 clean lines
        closed = c.cmo_range(CmoKind::CleanInvalidate, kCxl, 1 << 20);
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(sc_time(1, sc_core::SC_MS));
        c.store_range(kCxl + 4096, 2048);
        c.load_range(kCxl + 65536, 1024);
        linewise = c.cmo_range_linewise(CmoKind::CleanInvalidate, kCxl, 1 << 20);
    });
    sc_core::sc_start();
    EXPECT_EQ(closed.lines, 16384u) << "1 MiB / 64 B";
    EXPECT_EQ(closed.lines, linewise.lines);
    EXPECT_EQ(closed.resident, 48u);
    EXPECT_EQ(closed.resident, linewise.resident);
    EXPECT_EQ(closed.duration, linewise.duration) << "same simulated time, exactly";
}

TEST(HierarchyTest, ATebibyteCmoSweepIsCostedInClosedForm) {
    Rig rig(1);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) { r = c.cmo_range(CmoKind::CleanInvalidate, kCxl, 1ull << 40); });
    sc_core::sc_start();
    // 2^34 lines. Latency to the PoC = L1 2 ns + SLC 40 ns = 42 ns; 8 in
    // flight -> one issue every 5.25 ns = 5250 ps. Total = 2^34 x 5250 ps +
    // 42 ns DSB = 90194313216000 ps + 42000 ps.
    EXPECT_EQ(r.lines, 1ull << 34);
    EXPECT_EQ(static_cast<uint64_t>(r.duration.value()), (1ull << 34) * 5250ull + 42000ull);
}
