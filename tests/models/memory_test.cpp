// SPDX-License-Identifier: Apache-2.0
// Memory regions: bandwidth queues and device-side extents.
// Each TEST runs in its own process (SystemC elaborates once per process).
#include <gtest/gtest.h>
#include <systemc>

#include "model_rig.h"

using namespace cmosim::models;
using namespace cmosim::test;
using sc_core::SC_NS;
using sc_core::sc_time;

TEST(MemoryTest, ReadsOfAReleasedExtentAreReportedUntilItIsAddedBack) {
    Rig rig(1);
    rig.run(0, [&](CpuCore &c) {
        c.sync();
        rig.memory->device_op(DeviceOp::DcdRelease, kCxl, 1ull << 30);
        c.load_range(kCxl, 256); // 4 lines from memory: offline
        c.sync();
        rig.memory->device_op(DeviceOp::DcdAdd, kCxl + 4096, 4096);
        c.load(kCxl + 4096); // added back
        c.load(kCxl + 8192); // still released
        c.sync();
        rig.memory->device_op(DeviceOp::Offline, kCxl + (1ull << 31), 1ull << 30);
        c.load(kCxl + (1ull << 31) + 64);
        c.sync();
        rig.memory->device_op(DeviceOp::Reset, kCxl, 1ull << 32);
        c.load(kCxl + 12288); // online again, content lost
    });
    sc_core::sc_start();
    EXPECT_EQ(rig.checker.count(EventKind::OfflineRead), 6u);
    EXPECT_EQ(rig.memory->stats(0).offline_reads, 6u);
    EXPECT_EQ(rig.memory->stats(0).device_ops, 4u);
    EXPECT_EQ(rig.memory->store().intervals(), 4u) << "each operation is one interval";
    EXPECT_EQ(rig.memory->store().pages_touched(), 0u);
    EXPECT_EQ(rig.checker.events()[0].kind, EventKind::OfflineRead);
    EXPECT_EQ(rig.checker.events()[0].addr, kCxl);
}

TEST(MemoryTest, ABurstOfDirtyWriteBacksCostsTheBandwidthQueueOnce) {
    // 1 GB/s: one 64 B write-back occupies the channel 64 ns, far longer than
    // the 5.25 ns issue interval, so the loop ends when the queue drains.
    RigOptions o;
    o.gbps = 1;
    Rig rig(2, o);
    CmoLoopResult closed, linewise;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 4096); // 64 dirty lines fill the L1 exactly
        closed = c.cmo_range(CmoOp::DcCivac, kCxl, 4096);
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(sc_time(1, sc_core::SC_MS)); // the queue is idle again
        c.store_range(kCxl + 65536, 4096);
        linewise = c.cmo_range_linewise(CmoOp::DcCivac, kCxl + 65536, 4096);
    });
    sc_core::sc_start();
    // Line i issues at 5.25 i ns; its L1 copy goes to the SLC (40 ns), then the
    // SLC's to memory: the first write-back is accepted at 40 + 64 = 104 ns,
    // each next one 64 ns later (the channel is the bottleneck): line 63 at
    // 104 + 63 x 64 = 4136 ns. The last lookup ends at 64 x 5.25 + 42 = 378 ns.
    EXPECT_EQ(closed.resident, 64u);
    EXPECT_EQ(closed.duration, sc_time(4136, SC_NS));
    EXPECT_EQ(linewise.duration, closed.duration);
    EXPECT_EQ(rig.memory->stats(0).writes, 128u);
}

// At 1 GB/s a line occupies the channel 64 ns, longer than 16 slots need per
// line (282 ns / 16): the stream runs at the channel's bandwidth. The first
// read reaches memory at 333 + 2000 + 40000 ps; read j starts its transfer
// 64 ns after read j - 1; the last (63) completes at 42333 + 64 x 64000 +
// 240000 ps.
TEST(MemoryTest, ABandwidthBoundStreamRunsAtTheChannelsBandwidth) {
    RigOptions o;
    o.gbps = 1;
    sc_time took = time_alone(o, [](CpuCore &c) { c.load_range(kCxl, 4096); });
    EXPECT_EQ(took, sc_time::from_value(42333 + 64 * 64000 + 240000));
}
