// SPDX-License-Identifier: Apache-2.0
// The stale-line checker: what it reports, seen through the whole hierarchy.
// Each TEST runs in its own process (SystemC elaborates once per process).
#include <gtest/gtest.h>
#include <systemc>

#include "model_rig.h"

using namespace cmosim::models;
using namespace cmosim::test;
using sc_core::SC_NS;
using sc_core::sc_time;

TEST(CheckerTest, LoadAfterDeviceEraseWithoutInvalidateIsStale) {
    Rig rig(1);
    rig.run(0, [&](CpuCore &c) {
        c.load_range(kCxl, 1024); // 16 lines, all in L1
        c.sync();
        rig.memory->device_op(DeviceOp::SecureErase, kCxl, 1 << 20);
        c.load_range(kCxl, 1024);
    });
    sc_core::sc_start();
    EXPECT_EQ(rig.cores[0]->stats().stale_reads, 16u) << "all 16 lines hit in L1 after the erase";
    EXPECT_EQ(rig.checker.count(EventKind::StaleRead), 16u);
    ASSERT_FALSE(rig.checker.events().empty());
    EXPECT_EQ(rig.checker.events()[0].level, "l1d");
}

TEST(CheckerTest, SetWayAloneLeavesStaleLinesInTheSlc) {
    Rig rig(1);
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 8192); // 128 lines: 64 stay in L1, 64 were evicted to the SLC
        c.set_way(CmoOp::DcCisw);  // L1 written back to the SLC, not past it
        c.sync();
        rig.memory->device_op(DeviceOp::SecureErase, kCxl, 1 << 20);
        c.load_range(kCxl, 8192);
    });
    sc_core::sc_start();
    EXPECT_EQ(rig.cores[0]->stats().stale_reads, 128u)
        << "every line was served by the SLC, which set/way cannot reach";
    EXPECT_EQ(rig.checker.events()[0].level, "slc");
}

TEST(CheckerTest, CountsEveryEventAndKeepsTheFirstOnes) {
    Checker c(2);
    c.report(EventKind::StaleRead, 10, 0, "l1d", kCxl, "a");
    c.report(EventKind::StaleRead, 20, 1, "slc", kCxl + 64, "b");
    c.report(EventKind::ResidualLine, 30, -1, "l2", kCxl + 128, "c");
    EXPECT_EQ(c.count(EventKind::StaleRead), 2u);
    EXPECT_EQ(c.count(EventKind::ResidualLine), 1u);
    EXPECT_EQ(c.count(EventKind::LostDeviceWrite), 0u);
    ASSERT_EQ(c.events().size(), 2u) << "only the first keep_first events are kept";
    EXPECT_EQ(c.events()[1].cpu, 1);
    EXPECT_EQ(c.events()[1].level, "slc");
    EXPECT_EQ(c.events()[1].time_ps, 20u);
}
