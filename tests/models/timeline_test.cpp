// SPDX-License-Identifier: Apache-2.0
// Shared resources booked by simulated time, whatever the host order.
#include <gtest/gtest.h>

#include "cmosim/models/timeline.h"

using cmosim::models::FifoChannel;
using cmosim::models::SlotPool;

TEST(FifoChannelTest, RequestsThatDoNotOverlapNeverWait) {
    FifoChannel c;
    // Booked latest first, as a core a quantum ahead would.
    EXPECT_EQ(c.book(1000, 10), 1000u);
    EXPECT_EQ(c.book(500, 10), 500u);
    EXPECT_EQ(c.book(0, 10), 0u);
}

TEST(FifoChannelTest, AnEarlierArrivalBookedLaterIsNotHeldUpByLaterOnes) {
    FifoChannel c;
    EXPECT_EQ(c.book(100, 50), 100u); // booked first, arrives second
    EXPECT_EQ(c.book(90, 50), 90u) << "first come by simulated time, not by host order";
    EXPECT_EQ(c.book(95, 50), 140u) << "behind the arrival at 90, which leaves at 140";
}

TEST(FifoChannelTest, SameArrivalQueuesInBookingOrder) {
    FifoChannel c;
    EXPECT_EQ(c.book(0, 2000), 0u);
    EXPECT_EQ(c.book(0, 2000), 2000u);
    EXPECT_EQ(c.book(0, 2000), 4000u);
    EXPECT_EQ(c.book(1000, 2000), 6000u);
}

TEST(FifoChannelTest, ForgettingKeepsTheBacklogAhead) {
    FifoChannel c;
    c.book(0, 1000);
    c.book(10, 1000); // leaves at 2000
    c.forget(15);
    EXPECT_EQ(c.book(20, 10), 2000u);
}

TEST(SlotPoolTest, KRequestsAtOnceThenTheNextWaitsForTheFirstToLeave) {
    SlotPool p(2);
    EXPECT_EQ(p.book(0, 100), 0u);
    EXPECT_EQ(p.book(10, 100), 10u);
    EXPECT_EQ(p.book(20, 100), 100u);
    EXPECT_EQ(p.book(30, 100), 110u);
}

TEST(SlotPoolTest, NeverMoreThanKHeldWhateverTheBookingOrder) {
    SlotPool p(1);
    EXPECT_EQ(p.book(200, 100), 200u); // booked first, later in time
    // Would overlap [200, 300) if it started at 150: it goes after.
    EXPECT_EQ(p.book(150, 100), 300u);
    // Fits entirely before the first booking.
    EXPECT_EQ(p.book(0, 100), 0u);
}

TEST(SlotPoolTest, AnyFreeSlotWillDoNoFragmentation) {
    // Two slots, holds booked so that no single slot is free for [50, 150)
    // although at most one is held at any time in it.
    SlotPool p(2);
    p.book(0, 100);
    p.book(100, 100);
    EXPECT_EQ(p.book(50, 100), 50u);
}
