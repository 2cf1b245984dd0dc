// SPDX-License-Identifier: Apache-2.0
#include <vector>

#include <gtest/gtest.h>

#include "cmosim/models/versioned_store.h"

using namespace cmosim::models;

TEST(VersionedStoreTest, UntouchedMemoryIsVersionZero) {
    VersionedStore s(64);
    EXPECT_EQ(s.version(0x123456789ull), 0u);
    EXPECT_EQ(s.pages_touched(), 0u);
}

TEST(VersionedStoreTest, DeviceEraseIsOneIntervalWhateverItsSize) {
    VersionedStore s(64);
    // 256 GiB erased: one interval, no per-line metadata.
    uint64_t v = s.write_range(1ull << 36, 256ull << 30);
    EXPECT_EQ(s.intervals(), 1u);
    EXPECT_EQ(s.pages_touched(), 0u);
    EXPECT_EQ(s.version((1ull << 36) + (200ull << 30)), v);
    EXPECT_EQ(s.version((1ull << 36) - 64), 0u) << "just below the range";
}

TEST(VersionedStoreTest, AWriteBackAfterAnEraseWinsWithItsOwnVersion) {
    VersionedStore s(64);
    uint64_t cpu = s.next_stamp(); // data a CPU produced before the erase
    uint64_t erase = s.write_range(0, 4096);
    EXPECT_EQ(s.version(64), erase);
    s.write_line(64, cpu); // the old dirty line lands over the erase
    EXPECT_EQ(s.version(64), cpu) << "memory now holds the CPU's (old) data";
    EXPECT_EQ(s.version(128), erase) << "neighbouring lines keep the erase";
    uint64_t erase2 = s.write_range(0, 4096);
    EXPECT_EQ(s.version(64), erase2) << "a later erase wins again";
}

TEST(VersionedStoreTest, OfflineAndOnlineRangesAreOneIntervalEach) {
    VersionedStore s(64);
    const uint64_t base = 1ull << 36;
    EXPECT_FALSE(s.offline(base));
    uint64_t rel = s.write_range(base, 256ull << 30, true); // 256 GiB released
    EXPECT_TRUE(s.offline(base + (255ull << 30)));
    EXPECT_FALSE(s.offline(base - 64)) << "just below";
    EXPECT_FALSE(s.offline(base + (256ull << 30))) << "just past the end";
    uint64_t add = s.write_range(base + (1ull << 30), 1ull << 30); // 1 GiB added back
    EXPECT_FALSE(s.offline(base + (1ull << 30)));
    EXPECT_TRUE(s.offline(base + (2ull << 30)));
    EXPECT_EQ(s.version(base + (1ull << 30)), add);
    EXPECT_EQ(s.version(base), rel);
    EXPECT_EQ(s.intervals(), 2u);
    EXPECT_EQ(s.pages_touched(), 0u);
}

TEST(VersionedStoreTest, ManyScatteredPagesKeepTheirOwnVersions) {
    // 5000 pages far apart (past several table growths), each with its own
    // line version; untouched neighbours stay at 0.
    VersionedStore s(64);
    std::vector<uint64_t> v;
    for (uint64_t i = 0; i < 5000; ++i) {
        uint64_t addr = i * 0x10001000ull + 64 * (i % 64);
        v.push_back(s.next_stamp());
        s.write_line(addr, v.back());
    }
    EXPECT_EQ(s.pages_touched(), 5000u);
    for (uint64_t i = 0; i < 5000; ++i) {
        uint64_t addr = i * 0x10001000ull + 64 * (i % 64);
        ASSERT_EQ(s.version(addr), v[i]) << i;
        EXPECT_EQ(s.version(addr + 4096), 0u) << "the next page was never written";
    }
    s.write_line(64 * 3, 7); // page 0 again: no new page
    EXPECT_EQ(s.pages_touched(), 5000u);
    EXPECT_EQ(s.version(64 * 3), 7u);
}
