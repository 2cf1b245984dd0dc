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
using sc_core::SC_NS;
using sc_core::sc_time;

namespace {

constexpr uint64_t kCxl = 0x1000000000ull;

// Variations of the rig: memory bandwidth, inclusion, an optional private L2,
// the L1's request slots.
struct RigOptions {
    double gbps = 32;
    Inclusion slc_inclusion = Inclusion::NonInclusive;
    bool l2 = false; // 8 KiB, 2-way (64 sets), 5 ns
    Inclusion l2_inclusion = Inclusion::NonInclusive;
    unsigned l1_outstanding = 16;
};

struct Rig {
    Checker checker;
    std::unique_ptr<Memory> mem;
    std::unique_ptr<Cache> slc;
    std::unique_ptr<HomeNode> home;
    std::vector<std::unique_ptr<Cache>> l1, l2;
    std::vector<std::unique_ptr<CpuCore>> cpu;

    explicit Rig(unsigned cpus, const RigOptions &o = RigOptions{}, unsigned setway_cycles = 1) {
        RegionParams r;
        r.name = "cxl0";
        r.kind = MemoryKind::CxlHdm;
        r.base = kCxl;
        r.size = 1ull << 42; // 4 TiB
        r.read_latency = sc_time(240, SC_NS);
        r.bandwidth_gbps = o.gbps;
        mem = std::make_unique<Memory>("mem", std::vector<RegionParams>{r}, 64, checker);
        CacheParams sp;
        sp.geometry.size_bytes = 64 * 1024; // 1024 lines
        sp.geometry.ways = 8;
        sp.level = Level::SLC;
        sp.hit_latency = sc_time(40, SC_NS);
        sp.inclusion = o.slc_inclusion;
        slc = std::make_unique<Cache>("slc", sp);
        HomeNodeParams hp;
        home = std::make_unique<HomeNode>("home", *mem, checker, hp);
        home->set_slc(slc.get());
        home->mem_side.bind(slc->cpu_side);
        slc->mem_side.bind(mem->cpu_side);
        CpuParams cp; // 3 GHz, 8 CMOs in flight
        cp.setway_cycles = setway_cycles;
        for (unsigned i = 0; i < cpus; ++i) {
            CacheParams lp;
            lp.geometry.size_bytes = 4096; // 64 lines
            lp.geometry.ways = 4;
            lp.level = Level::L1D;
            lp.hit_latency = sc_time(2, SC_NS);
            lp.outstanding = o.l1_outstanding;
            l1.push_back(std::make_unique<Cache>(("l1_" + std::to_string(i)).c_str(), lp));
            if (o.l2) {
                CacheParams l2p;
                l2p.geometry.size_bytes = 8192;
                l2p.geometry.ways = 2;
                l2p.level = Level::L2;
                l2p.hit_latency = sc_time(5, SC_NS);
                l2p.inclusion = o.l2_inclusion;
                l2.push_back(std::make_unique<Cache>(("l2_" + std::to_string(i)).c_str(), l2p));
                l1.back()->mem_side.bind(l2.back()->cpu_side);
                l2.back()->mem_side.bind(home->cpu_side);
                home->add_cpu({l1.back().get(), l2.back().get()});
            } else {
                l1.back()->mem_side.bind(home->cpu_side);
                home->add_cpu({l1.back().get()});
            }
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
        out = rig.home->flush(kCxl, 1 << 20, false, FlushLevels{}, 0);
        rig.mem->device_op(DeviceOp::SecureErase, kCxl, 1 << 20);
        out = rig.home->flush(kCxl, 1 << 20, false, FlushLevels{}, 0);
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
        out = rig.home->flush(kCxl, 1 << 20, false, FlushLevels{}, 0);
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
        c.store_range(kCxl, 8192);           // 128 lines: 64 stay in L1, 64 were evicted to the SLC
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
        c.load_range(kCxl + 65536, 1024); // 16 clean lines
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

TEST(HierarchyTest, ABurstOfDirtyWriteBacksCostsTheBandwidthQueueOnce) {
    // 1 GB/s: one 64 B write-back occupies the channel 64 ns, far longer than
    // the 5.25 ns issue interval, so the loop ends when the queue drains.
    RigOptions o;
    o.gbps = 1;
    Rig rig(2, o);
    CmoLoopResult closed, linewise;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 4096); // 64 dirty lines fill the L1 exactly
        closed = c.cmo_range(CmoKind::CleanInvalidate, kCxl, 4096);
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(sc_time(1, sc_core::SC_MS)); // the queue is idle again
        c.store_range(kCxl + 65536, 4096);
        linewise = c.cmo_range_linewise(CmoKind::CleanInvalidate, kCxl + 65536, 4096);
    });
    sc_core::sc_start();
    // Line i issues at 5.25 i ns; its L1 copy goes to the SLC (40 ns), then the
    // SLC's to memory: the first write-back is accepted at 40 + 64 = 104 ns,
    // each next one 64 ns later (the channel is the bottleneck): line 63 at
    // 104 + 63 x 64 = 4136 ns. The last lookup ends at 64 x 5.25 + 42 = 378 ns.
    EXPECT_EQ(closed.resident, 64u);
    EXPECT_EQ(closed.duration, sc_time(4136, SC_NS));
    EXPECT_EQ(linewise.duration, closed.duration);
    EXPECT_EQ(rig.mem->stats(0).writes, 128u);
}

TEST(HierarchyTest, DirtyLinesFasterThanTheChannelCostOnlyTheLookups) {
    Rig rig(1); // 32 GB/s: 2 ns per write-back, less than one issue interval
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 4096);
        r = c.cmo_range(CmoKind::CleanInvalidate, kCxl, 4096);
    });
    sc_core::sc_start();
    // The last write-back (line 63) is accepted at 63 x 5.25 + 40 + 2 = 372.75
    // ns, before the last lookup reaches the PoC at 64 x 5.25 + 42 = 378 ns.
    EXPECT_EQ(r.duration, sc_time(378, SC_NS));
    EXPECT_EQ(rig.mem->stats(0).writes, 64u);
}

TEST(HierarchyTest, ATebibyteSweepWithDirtyLinesMatchesItsClosedForm) {
    Rig rig(1);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl + (1ull << 39), 2048); // 32 dirty lines half-way through
        r = c.cmo_range(CmoKind::CleanInvalidate, kCxl, 1ull << 40);
    });
    sc_core::sc_start();
    // Their write-backs are done long before the 2^34th issue slot.
    EXPECT_EQ(r.lines, 1ull << 34);
    EXPECT_EQ(r.resident, 32u);
    EXPECT_EQ(static_cast<uint64_t>(r.duration.value()), (1ull << 34) * 5250ull + 42000ull);
    EXPECT_EQ(rig.l1[0]->stats().cmo[static_cast<unsigned>(CmoOp::DcCivac)], 1ull << 34);
}

TEST(HierarchyTest, CmoCountersPerLevelAndKind) {
    Rig rig(2);
    sc_core::sc_event done0;
    rig.run(0, [&](CpuCore &c) {
        c.load(kCxl + 128);
        c.sync();
        done0.notify(sc_core::SC_ZERO_TIME);
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(done0);
        c.cmo_range(CmoKind::Clean, kCxl, 1024);              // 16 DC CVAC
        c.cmo_range_linewise(CmoKind::Invalidate, kCxl, 512); // 8 DC IVAC
        c.set_way(CmoKind::CleanInvalidate);                  // 16 sets x 4 ways
        c.set_way(CmoKind::Invalidate);
        c.set_way(CmoKind::Clean);
    });
    sc_core::sc_start();
    auto n = [](Cache &c, CmoOp op) { return c.stats().cmo[static_cast<unsigned>(op)]; };
    EXPECT_EQ(n(*rig.l1[1], CmoOp::DcCvac), 16u);
    EXPECT_EQ(n(*rig.l1[1], CmoOp::DcIvac), 8u);
    EXPECT_EQ(n(*rig.slc, CmoOp::DcCvac), 16u);
    EXPECT_EQ(n(*rig.slc, CmoOp::DcIvac), 8u);
    EXPECT_EQ(n(*rig.l1[0], CmoOp::DcCvac), 1u) << "only the line CPU0 held was forwarded";
    EXPECT_EQ(n(*rig.l1[0], CmoOp::DcIvac), 1u) << "DC CVAC kept it there for DC IVAC to find";
    EXPECT_LT(rig.l1[0]->tags().lookup(kCxl + 128), 0);
    EXPECT_EQ(n(*rig.l1[1], CmoOp::DcCisw), 64u);
    EXPECT_EQ(n(*rig.l1[1], CmoOp::DcIsw), 64u);
    EXPECT_EQ(n(*rig.l1[1], CmoOp::DcCsw), 64u);
    EXPECT_EQ(n(*rig.slc, CmoOp::DcCisw), 0u) << "set/way never reaches the SLC";
    EXPECT_EQ(n(*rig.l1[0], CmoOp::DcCisw), 0u) << "nor another core's L1";
    EXPECT_EQ(n(*rig.l1[1], CmoOp::DcCivac), 0u);
}

TEST(HierarchyTest, InclusiveSlcEvictionBackInvalidatesPrivateCopies) {
    RigOptions o;
    o.slc_inclusion = Inclusion::Inclusive;
    Rig rig(2, o);
    sc_core::sc_event done0;
    // Lines 8 KiB apart share SLC set 0 (128 sets, 8 ways) and L1 set 0.
    rig.run(0, [&](CpuCore &c) {
        c.store(kCxl); // dirty in CPU0's L1, clean in the SLC
        c.sync();
        done0.notify(sc_core::SC_ZERO_TIME);
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(done0);
        for (uint64_t i = 1; i <= 8; ++i)
            c.load(kCxl + i * 8192); // the 8th fill evicts the SLC's LRU line: kCxl
        c.sync();
    });
    sc_core::sc_start();
    EXPECT_LT(rig.l1[0]->tags().lookup(kCxl), 0) << "back-invalidated from CPU0's L1";
    EXPECT_LT(rig.slc->tags().lookup(kCxl), 0);
    EXPECT_EQ(rig.slc->stats().back_invalidations, 1u);
    EXPECT_EQ(rig.slc->stats().evictions, 1u);
    EXPECT_EQ(rig.mem->stats(0).writes, 1u) << "CPU0's dirty data left with the victim";
    EXPECT_GT(rig.mem->store().version(kCxl), 0u) << "memory holds CPU0's store";
    EXPECT_EQ(rig.checker.count(EventKind::LostCpuWrite), 0u);
}

TEST(HierarchyTest, NonInclusiveSlcEvictionLeavesPrivateCopies) {
    Rig rig(2);
    sc_core::sc_event done0;
    rig.run(0, [&](CpuCore &c) {
        c.store(kCxl);
        c.sync();
        done0.notify(sc_core::SC_ZERO_TIME);
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(done0);
        for (uint64_t i = 1; i <= 8; ++i)
            c.load(kCxl + i * 8192);
        c.sync();
    });
    sc_core::sc_start();
    EXPECT_GE(rig.l1[0]->tags().lookup(kCxl), 0) << "CPU0 keeps its dirty copy";
    EXPECT_LT(rig.slc->tags().lookup(kCxl), 0);
    EXPECT_EQ(rig.slc->stats().back_invalidations, 0u);
    EXPECT_EQ(rig.mem->stats(0).writes, 0u) << "the SLC's copy was clean";
}

TEST(HierarchyTest, InclusiveL2EvictionBackInvalidatesTheL1) {
    RigOptions o;
    o.l2 = true;
    o.l2_inclusion = Inclusion::Inclusive;
    Rig rig(1, o);
    rig.run(0, [&](CpuCore &c) {
        // 4 KiB apart: L1 set 0 (4 ways) and L2 set 0 (2 ways). The third
        // fill evicts the L2's LRU line, kCxl, which the L1 still holds.
        c.load(kCxl);
        c.load(kCxl + 4096);
        c.load(kCxl); // an L1 hit: the L2 does not see it
        c.load(kCxl + 8192);
        c.sync();
    });
    sc_core::sc_start();
    EXPECT_LT(rig.l1[0]->tags().lookup(kCxl), 0);
    EXPECT_GE(rig.l1[0]->tags().lookup(kCxl + 4096), 0);
    EXPECT_GE(rig.l1[0]->tags().lookup(kCxl + 8192), 0);
    EXPECT_EQ(rig.l2[0]->stats().back_invalidations, 1u);
    EXPECT_EQ(rig.l1[0]->stats().read_hits, 1u);
}

TEST(HierarchyTest, NonInclusiveL2EvictionLeavesTheL1Copy) {
    RigOptions o;
    o.l2 = true;
    Rig rig(1, o);
    rig.run(0, [&](CpuCore &c) {
        c.load(kCxl);
        c.load(kCxl + 4096);
        c.load(kCxl);
        c.load(kCxl + 8192);
        c.sync();
    });
    sc_core::sc_start();
    EXPECT_GE(rig.l1[0]->tags().lookup(kCxl), 0);
    EXPECT_LT(rig.l2[0]->tags().lookup(kCxl), 0);
    EXPECT_EQ(rig.l2[0]->stats().back_invalidations, 0u);
    EXPECT_EQ(rig.l2[0]->stats().evictions, 1u);
}

TEST(HierarchyTest, FewerRequestSlotsSlowTheVaLoop) {
    RigOptions o;
    o.l1_outstanding = 2; // below cmo_outstanding = 8
    Rig rig(1, o);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) { r = c.cmo_range(CmoKind::CleanInvalidate, kCxl, 1024); });
    sc_core::sc_start();
    // 42 ns to the PoC / 2 in flight = 21 ns per line: 16 x 21 + 42 = 378 ns.
    EXPECT_EQ(r.duration, sc_time(378, SC_NS));
}

TEST(HierarchyTest, ReadsOfAReleasedExtentAreReportedUntilItIsAddedBack) {
    Rig rig(1);
    rig.run(0, [&](CpuCore &c) {
        c.sync();
        rig.mem->device_op(DeviceOp::DcdRelease, kCxl, 1ull << 30);
        c.load_range(kCxl, 256); // 4 lines from memory: offline
        c.sync();
        rig.mem->device_op(DeviceOp::DcdAdd, kCxl + 4096, 4096);
        c.load(kCxl + 4096); // added back
        c.load(kCxl + 8192); // still released
        c.sync();
        rig.mem->device_op(DeviceOp::Offline, kCxl + (1ull << 31), 1ull << 30);
        c.load(kCxl + (1ull << 31) + 64);
        c.sync();
        rig.mem->device_op(DeviceOp::Reset, kCxl, 1ull << 32);
        c.load(kCxl + 12288); // online again, content lost
    });
    sc_core::sc_start();
    EXPECT_EQ(rig.checker.count(EventKind::OfflineRead), 6u);
    EXPECT_EQ(rig.mem->stats(0).offline_reads, 6u);
    EXPECT_EQ(rig.mem->stats(0).device_ops, 4u);
    EXPECT_EQ(rig.mem->store().intervals(), 4u) << "each operation is one interval";
    EXPECT_EQ(rig.mem->store().pages_touched(), 0u);
    EXPECT_EQ(rig.checker.events()[0].kind, EventKind::OfflineRead);
    EXPECT_EQ(rig.checker.events()[0].addr, kCxl);
}

TEST(HierarchyTest, DcCvacWritesBackAndKeepsTheLinesClean) {
    Rig rig(1);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 1024); // 16 dirty lines in L1, clean copies in the SLC
        r = c.cmo_range(CmoKind::Clean, kCxl, 1024);
    });
    sc_core::sc_start();
    // 16 x 5.25 ns + 42 ns = 126 ns; the last write-back (line 15) is accepted
    // at 15 x 5.25 + 40 + 2 = 120.75 ns, earlier.
    EXPECT_EQ(r.duration, sc_time(126, SC_NS));
    EXPECT_EQ(rig.mem->stats(0).writes, 16u) << "each line reached memory once";
    int w = rig.l1[0]->tags().lookup(kCxl + 64);
    ASSERT_GE(w, 0) << "DC CVAC keeps the line";
    EXPECT_FALSE(rig.l1[0]->tags().line(kCxl + 64, w).dirty);
    EXPECT_EQ(rig.slc->tags().valid_lines(), 16u);
    EXPECT_EQ(rig.checker.count(EventKind::LostCpuWrite), 0u);
}

TEST(HierarchyTest, DcIvacDiscardsDirtyDataAndSaysSo) {
    Rig rig(1);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 1024);
        r = c.cmo_range(CmoKind::Invalidate, kCxl, 1024);
    });
    sc_core::sc_start();
    // No write-back: the loop costs its issue slots and the DSB only.
    EXPECT_EQ(r.duration, sc_time(126, SC_NS));
    EXPECT_EQ(rig.mem->stats(0).writes, 0u);
    EXPECT_EQ(rig.l1[0]->tags().valid_lines(), 0u);
    EXPECT_EQ(rig.slc->tags().valid_lines(), 0u);
    EXPECT_EQ(rig.checker.count(EventKind::LostCpuWrite), 16u) << "one per dirty L1 line";
}

TEST(HierarchyTest, SetWayPostsItsWriteBacksAndTheDsbWaitsForTheLast) {
    Rig rig(1);
    sc_time t;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 1024); // 16 dirty lines in L1, sets 0-15, way 0
        t = c.set_way(CmoKind::CleanInvalidate);
    });
    sc_core::sc_start();
    // 64 operations of one 333 ps cycle = 21312 ps. The dirty line of set s is
    // operation 4s; its write-back is posted then and accepted by the SLC 40 ns
    // later (the SLC holds a clean copy, nothing reaches memory). The last, set
    // 15, goes at 60 x 333 = 19980 ps and is accepted at 59980 ps, after the
    // last operation: the DSB ends there. (Before write-backs were posted, each
    // stalled the loop: 21312 + 16 x 40000 ps.)
    EXPECT_EQ(t, sc_time(59980, sc_core::SC_PS));
    EXPECT_EQ(rig.l1[0]->tags().valid_lines(), 0u);
    EXPECT_EQ(rig.mem->stats(0).writes, 0u);
    EXPECT_EQ(rig.slc->stats().write_hits, 16u);
}

TEST(HierarchyTest, SetWayCyclesAreRoundedOnceNotPerCycle) {
    Rig rig(1, RigOptions{}, 3); // setway_cycles = 3 at 3 GHz: 1000 ps an operation
    sc_time t;
    rig.run(0, [&](CpuCore &c) { t = c.set_way(CmoKind::CleanInvalidate); });
    sc_core::sc_start();
    // 64 L1 operations (16 sets x 4 ways) of exactly 1 ns, not 3 x 333 ps.
    EXPECT_EQ(t, sc_time(64000, sc_core::SC_PS));
}

TEST(HierarchyTest, ALoopLongerThanSimulatedTimeCanCountSaturates) {
    Rig rig(1);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) { r = c.cmo_range(CmoKind::CleanInvalidate, kCxl, UINT64_MAX); });
    sc_core::sc_start();
    // (2^64 - 2^36) / 64 lines x 5250 ps overflows 64 bits: the loop part
    // saturates at 2^63 - 1 ps, then the 42 ns DSB.
    EXPECT_EQ(r.lines, (0ull - kCxl) / 64);
    EXPECT_EQ(static_cast<uint64_t>(r.duration.value()), UINT64_MAX / 2 + 42000ull);
}

// The flush engine walks the SLC's 128 sets over simulated time while another
// core keeps working. Setup 200 ns; each set takes 8 tags / (4 per cycle x
// 2 GHz) = 1 ns; each copy found costs 2 ns.
TEST(HierarchyTest, FlushEngineWalkRacesWithAnotherCoresLoads) {
    Rig rig(2);
    FlushOutcome out;
    sc_core::sc_event flushing;
    uint64_t stale_before_erase = 0;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 4096); // 64 dirty lines, SLC sets 0-63, in L1 and (clean) in the SLC
        c.sync();
        flushing.notify(sc_core::SC_ZERO_TIME);
        out = rig.home->flush(kCxl, 1 << 20, false, FlushLevels{}, 0);
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(flushing);
        // 300 ns after the call: setup done at 200 ns; set s (< 64) is done at
        // 200 + 5 (s + 1) ns (1 ns of tags, 2 copies of 2 ns), so set 5 at
        // 230 ns; sets 64-127 hold nothing of the range until now: set 120 is
        // reached at 200 + 121 + 64 x 4 = 577 ns.
        sc_core::wait(sc_time(300, SC_NS));
        c.begin_overlap();       // both issue at once
        c.load(kCxl + 5 * 64);   // refills a line the walk has passed
        c.load(kCxl + 120 * 64); // fills a line the walk has not reached
        c.end_overlap();
        c.sync();
        sc_core::wait(sc_time(2, sc_core::SC_US)); // the flush is over
        stale_before_erase = c.stats().stale_reads;
        rig.home->device_op(DeviceOp::SecureErase, kCxl, 1 << 20);
        c.load(kCxl + 5 * 64);
        c.sync();
    });
    sc_core::sc_start();
    EXPECT_EQ(out.lines_refilled, 1u) << "only the line of set 120 joined the walk";
    // 64 x 2 copies + the line of set 120 (CPU1's L1 and the SLC) = 130
    // copies: 200 + 128 + 130 x 2 = 588 ns.
    EXPECT_EQ(out.lines_invalidated, 130u);
    EXPECT_EQ(out.lines_written_back, 64u);
    EXPECT_EQ(out.duration, sc_time(588, SC_NS));
    EXPECT_LT(rig.l1[1]->tags().lookup(kCxl + 120 * 64), 0) << "cleaned when the walk got there";
    EXPECT_GE(rig.l1[1]->tags().lookup(kCxl + 5 * 64), 0) << "refilled behind the walk";
    EXPECT_EQ(stale_before_erase, 0u);
    EXPECT_EQ(rig.cpu[1]->stats().stale_reads, 1u) << "the refilled line went stale";
    EXPECT_EQ(rig.checker.count(EventKind::LostDeviceWrite), 0u);
}

TEST(HierarchyTest, FlushEngineWithNoTrafficLeavesTheRangeClean) {
    Rig rig(2);
    FlushOutcome out;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 4096);
        c.sync();
        out = rig.home->flush(kCxl, 1 << 20, false, FlushLevels{}, 0);
        rig.home->device_op(DeviceOp::SecureErase, kCxl, 1 << 20);
        c.load_range(kCxl, 4096);
    });
    sc_core::sc_start();
    EXPECT_EQ(out.lines_refilled, 0u);
    EXPECT_EQ(out.duration, sc_time(584, SC_NS)); // 200 + 128 + 128 x 2
    EXPECT_EQ(rig.checker.count(EventKind::StaleRead), 0u);
    EXPECT_EQ(rig.checker.count(EventKind::LostDeviceWrite), 0u);
}

// Independent stores overlap up to the 16 miss slots. With a 1000 GB/s
// channel (64 ps a line) nothing queues: a miss takes 333 ps of issue + L1
// 2 ns + SLC 40 ns + 64 ps + memory 240 ns = 282397 ps. Store i issues at
// (i mod 16) x 333 ps + (i / 16) x 282397 ps (each waits for the store 16
// before it); the last of 64 completes at 15 x 333 + 4 x 282397 ps.
TEST(HierarchyTest, IndependentMissesOverlapUpToTheMissSlots) {
    RigOptions o;
    o.gbps = 1000;
    Rig rig(1, o);
    sc_time took;
    rig.run(0, [&](CpuCore &c) {
        sc_time t0 = c.local_time();
        c.store_range(kCxl, 4096);
        took = c.local_time() - t0;
    });
    sc_core::sc_start();
    EXPECT_EQ(rig.cpu[0]->miss_slots(), 16u);
    EXPECT_EQ(took, sc_time::from_value(15 * 333 + 4 * 282397));
}

// At 1 GB/s a line occupies the channel 64 ns, longer than 16 slots need per
// line (282 ns / 16): the stream runs at the channel's bandwidth. The first
// read reaches memory at 333 + 2000 + 40000 ps; read j starts its transfer
// 64 ns after read j - 1; the last (63) completes at 42333 + 64 x 64000 +
// 240000 ps.
TEST(HierarchyTest, ABandwidthBoundStreamRunsAtTheChannelsBandwidth) {
    RigOptions o;
    o.gbps = 1;
    Rig rig(1, o);
    sc_time took;
    rig.run(0, [&](CpuCore &c) {
        sc_time t0 = c.local_time();
        c.load_range(kCxl, 4096);
        took = c.local_time() - t0;
    });
    sc_core::sc_start();
    EXPECT_EQ(took, sc_time::from_value(42333 + 64 * 64000 + 240000));
}

// A dependent access (load(), as a replayed trace's records) waits for its
// data before the next one issues.
TEST(HierarchyTest, DependentLoadsDoNotOverlap) {
    RigOptions o;
    o.gbps = 1000;
    Rig rig(1, o);
    sc_time took;
    rig.run(0, [&](CpuCore &c) {
        sc_time t0 = c.local_time();
        for (uint64_t a = kCxl; a < kCxl + 4096; a += 64)
            c.load(a);
        c.sync();
        took = c.local_time() - t0;
    });
    sc_core::sc_start();
    EXPECT_EQ(took, sc_time::from_value(64 * 282397));
}
