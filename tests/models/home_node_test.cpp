// SPDX-License-Identifier: Apache-2.0
// The home node: coherence between the cores' private caches through the
// snoop filter.
// Each TEST runs in its own process (SystemC elaborates once per process).
#include <gtest/gtest.h>
#include <systemc>

#include "model_rig.h"

using namespace cmosim::models;
using namespace cmosim::test;
using sc_core::SC_NS;
using sc_core::sc_time;

TEST(HomeNodeTest, StoreOnOneCoreInvalidatesTheOtherCoresCopy) {
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
    EXPECT_LT(rig.l1d[0]->tags().lookup(kCxl), 0) << "CPU1's store took the line from CPU0";
    EXPECT_GE(rig.l1d[1]->tags().lookup(kCxl), 0);
    EXPECT_EQ(rig.home->stats().snoop_invalidations, 1u);
}

TEST(HomeNodeTest, LoadOfALineDirtyInAnotherCoreSeesItsData) {
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
              rig.l1d[1]->tags().line(kCxl, rig.l1d[1]->tags().lookup(kCxl)).version)
        << "CPU1 got the version CPU0 wrote";
}
