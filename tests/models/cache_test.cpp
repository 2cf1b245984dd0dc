// SPDX-License-Identifier: Apache-2.0
// A cache level: inclusion and back-invalidation, what each kind of DC
// operation does to a line, and the per-level CMO counters.
// Each TEST runs in its own process (SystemC elaborates once per process).
#include <gtest/gtest.h>
#include <systemc>

#include "model_rig.h"

using namespace cmosim::models;
using namespace cmosim::test;
using sc_core::SC_NS;
using sc_core::sc_time;

TEST(CacheTest, InclusiveSlcEvictionBackInvalidatesPrivateCopies) {
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
    EXPECT_LT(rig.l1d[0]->tags().lookup(kCxl), 0) << "back-invalidated from CPU0's L1";
    EXPECT_LT(rig.slc->tags().lookup(kCxl), 0);
    EXPECT_EQ(rig.slc->stats().back_invalidations, 1u);
    EXPECT_EQ(rig.slc->stats().evictions, 1u);
    EXPECT_EQ(rig.memory->stats(0).writes, 1u) << "CPU0's dirty data left with the victim";
    EXPECT_GT(rig.memory->store().version(kCxl), 0u) << "memory holds CPU0's store";
    EXPECT_EQ(rig.checker.count(EventKind::LostCpuWrite), 0u);
}

TEST(CacheTest, NonInclusiveSlcEvictionLeavesPrivateCopies) {
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
    EXPECT_GE(rig.l1d[0]->tags().lookup(kCxl), 0) << "CPU0 keeps its dirty copy";
    EXPECT_LT(rig.slc->tags().lookup(kCxl), 0);
    EXPECT_EQ(rig.slc->stats().back_invalidations, 0u);
    EXPECT_EQ(rig.memory->stats(0).writes, 0u) << "the SLC's copy was clean";
}

TEST(CacheTest, InclusiveL2EvictionBackInvalidatesTheL1) {
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
    EXPECT_LT(rig.l1d[0]->tags().lookup(kCxl), 0);
    EXPECT_GE(rig.l1d[0]->tags().lookup(kCxl + 4096), 0);
    EXPECT_GE(rig.l1d[0]->tags().lookup(kCxl + 8192), 0);
    EXPECT_EQ(rig.l2[0]->stats().back_invalidations, 1u);
    EXPECT_EQ(rig.l1d[0]->stats().read_hits, 1u);
}

TEST(CacheTest, NonInclusiveL2EvictionLeavesTheL1Copy) {
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
    EXPECT_GE(rig.l1d[0]->tags().lookup(kCxl), 0);
    EXPECT_LT(rig.l2[0]->tags().lookup(kCxl), 0);
    EXPECT_EQ(rig.l2[0]->stats().back_invalidations, 0u);
    EXPECT_EQ(rig.l2[0]->stats().evictions, 1u);
}

TEST(CacheTest, DcCvacWritesBackAndKeepsTheLinesClean) {
    Rig rig(1);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 1024); // 16 dirty lines in L1, clean copies in the SLC
        r = c.cmo_range(CmoOp::DcCvac, kCxl, 1024);
    });
    sc_core::sc_start();
    // 16 x 5.25 ns + 42 ns = 126 ns; the last write-back (line 15) is accepted
    // at 15 x 5.25 + 40 + 2 = 120.75 ns, earlier.
    EXPECT_EQ(r.duration, sc_time(126, SC_NS));
    EXPECT_EQ(rig.memory->stats(0).writes, 16u) << "each line reached memory once";
    int w = rig.l1d[0]->tags().lookup(kCxl + 64);
    ASSERT_GE(w, 0) << "DC CVAC keeps the line";
    EXPECT_FALSE(rig.l1d[0]->tags().line(kCxl + 64, w).dirty);
    EXPECT_EQ(rig.slc->tags().valid_lines(), 16u);
    EXPECT_EQ(rig.checker.count(EventKind::LostCpuWrite), 0u);
}

TEST(CacheTest, DcIvacDiscardsDirtyDataAndSaysSo) {
    Rig rig(1);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 1024);
        r = c.cmo_range(CmoOp::DcIvac, kCxl, 1024);
    });
    sc_core::sc_start();
    // No write-back: the loop costs its issue slots and the DSB only.
    EXPECT_EQ(r.duration, sc_time(126, SC_NS));
    EXPECT_EQ(rig.memory->stats(0).writes, 0u);
    EXPECT_EQ(rig.l1d[0]->tags().valid_lines(), 0u);
    EXPECT_EQ(rig.slc->tags().valid_lines(), 0u);
    EXPECT_EQ(rig.checker.count(EventKind::LostCpuWrite), 16u) << "one per dirty L1 line";
}

TEST(CacheTest, CmoCountersPerLevelAndKind) {
    Rig rig(2);
    sc_core::sc_event done0;
    rig.run(0, [&](CpuCore &c) {
        c.load(kCxl + 128);
        c.sync();
        done0.notify(sc_core::SC_ZERO_TIME);
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(done0);
        c.cmo_range(CmoOp::DcCvac, kCxl, 1024);         // 16 DC CVAC
        c.cmo_range_linewise(CmoOp::DcIvac, kCxl, 512); // 8 DC IVAC
        c.set_way(CmoOp::DcCisw);                       // 16 sets x 4 ways
        c.set_way(CmoOp::DcIsw);
        c.set_way(CmoOp::DcCsw);
    });
    sc_core::sc_start();
    auto n = [](Cache &c, CmoOp op) { return c.stats().cmo[static_cast<unsigned>(op)]; };
    EXPECT_EQ(n(*rig.l1d[1], CmoOp::DcCvac), 16u);
    EXPECT_EQ(n(*rig.l1d[1], CmoOp::DcIvac), 8u);
    EXPECT_EQ(n(*rig.slc, CmoOp::DcCvac), 16u);
    EXPECT_EQ(n(*rig.slc, CmoOp::DcIvac), 8u);
    EXPECT_EQ(n(*rig.l1d[0], CmoOp::DcCvac), 1u) << "only the line CPU0 held was forwarded";
    EXPECT_EQ(n(*rig.l1d[0], CmoOp::DcIvac), 1u) << "DC CVAC kept it there for DC IVAC to find";
    EXPECT_LT(rig.l1d[0]->tags().lookup(kCxl + 128), 0);
    EXPECT_EQ(n(*rig.l1d[1], CmoOp::DcCisw), 64u);
    EXPECT_EQ(n(*rig.l1d[1], CmoOp::DcIsw), 64u);
    EXPECT_EQ(n(*rig.l1d[1], CmoOp::DcCsw), 64u);
    EXPECT_EQ(n(*rig.slc, CmoOp::DcCisw), 0u) << "set/way never reaches the SLC";
    EXPECT_EQ(n(*rig.l1d[0], CmoOp::DcCisw), 0u) << "nor another core's L1";
    EXPECT_EQ(n(*rig.l1d[1], CmoOp::DcCivac), 0u);
}

// A hit is served in place (Cache::read_hit), starting from the way of the
// last request: a line another core's store took away since is a miss again,
// and a hit costs the L1's hit latency, as over the socket.
TEST(CacheTest, AHitInPlaceSeesASnoopInvalidationOfTheLastLine) {
    Rig rig(2);
    sc_core::sc_event done0, done1;
    Level first = Level::Memory, again = Level::Memory, after = Level::Memory;
    sc_time hit_cost;
    rig.run(0, [&](CpuCore &c) {
        c.load(kCxl);
        first = c.last_served();
        const sc_time t0 = c.local_time();
        c.load(kCxl);
        hit_cost = c.local_time() - t0;
        again = c.last_served();
        c.sync();
        done0.notify(sc_core::SC_ZERO_TIME);
        sc_core::wait(done1);
        c.load(kCxl); // the line CPU1's store invalidated here
        after = c.last_served();
        c.sync();
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(done0);
        c.store(kCxl);
        c.sync();
        done1.notify(sc_core::SC_ZERO_TIME);
    });
    sc_core::sc_start();
    EXPECT_EQ(first, Level::Memory);
    EXPECT_EQ(again, Level::L1D);
    EXPECT_EQ(hit_cost, rig.cores[0]->cycle() + rig.l1d[0]->params().hit_latency)
        << "one access cycle and the L1's hit latency";
    EXPECT_NE(after, Level::L1D) << "CPU1's store invalidated CPU0's copy";
    EXPECT_EQ(rig.l1d[0]->stats().read_hits, 1u);
    EXPECT_EQ(rig.l1d[0]->stats().read_misses, 2u);
}
