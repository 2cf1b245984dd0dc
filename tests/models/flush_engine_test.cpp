// SPDX-License-Identifier: Apache-2.0
// The home node's flush engine: its cost, and its walk over simulated time
// racing with other cores.
// Each TEST runs in its own process (SystemC elaborates once per process).
#include <gtest/gtest.h>
#include <systemc>

#include "model_rig.h"

using namespace cmosim::models;
using namespace cmosim::test;
using sc_core::SC_NS;
using sc_core::sc_time;

TEST(FlushEngineTest, FlushEngineLeavesNoStaleLineAndWritesDirtyDataBack) {
    Rig rig(1);
    FlushOutcome out;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 4096); // 64 dirty lines; L1 (64 lines) holds them all
        c.sync();
        out = rig.home->flush(kCxl, 1 << 20, false, FlushLevels{}, 0);
        rig.memory->device_op(DeviceOp::SecureErase, kCxl, 1 << 20);
        out = rig.home->flush(kCxl, 1 << 20, false, FlushLevels{}, 0);
        c.load_range(kCxl, 4096);
    });
    sc_core::sc_start();
    EXPECT_EQ(rig.cores[0]->stats().stale_reads, 0u);
    EXPECT_EQ(rig.checker.count(EventKind::LostDeviceWrite), 0u)
        << "dirty data left before the erase";
    EXPECT_EQ(out.lines_written_back, 0u) << "the second flush found only clean lines";
    EXPECT_EQ(rig.home->audit(kCxl, 1 << 20, 0, "test"), 128u)
        << "the 64 lines read back after the flush sit in L1 and in the SLC";
}

TEST(FlushEngineTest, FlushEngineCostIsTagWalkPlusLinesPlusWriteBack) {
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

// The flush engine walks the SLC's 128 sets over simulated time while another
// core keeps working. Setup 200 ns; each set takes 8 tags / (4 per cycle x
// 2 GHz) = 1 ns; each copy found costs 2 ns.
TEST(FlushEngineTest, FlushEngineWalkRacesWithAnotherCoresLoads) {
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
    EXPECT_LT(rig.l1d[1]->tags().lookup(kCxl + 120 * 64), 0) << "cleaned when the walk got there";
    EXPECT_GE(rig.l1d[1]->tags().lookup(kCxl + 5 * 64), 0) << "refilled behind the walk";
    EXPECT_EQ(stale_before_erase, 0u);
    EXPECT_EQ(rig.cores[1]->stats().stale_reads, 1u) << "the refilled line went stale";
    EXPECT_EQ(rig.checker.count(EventKind::LostDeviceWrite), 0u);
}

TEST(FlushEngineTest, FlushEngineWithNoTrafficLeavesTheRangeClean) {
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
