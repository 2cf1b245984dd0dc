// SPDX-License-Identifier: Apache-2.0
#include <gtest/gtest.h>

#include "cmosim/models/tag_store.h"

using namespace cmosim::models;

namespace {

// 4 sets x 4 ways x 64 B = 1 KiB: set index = bits [7:6], one set's lines are
// 256 B apart.
TagStoreGeometry tiny(Replacement r) {
    TagStoreGeometry g;
    g.size_bytes = 1024;
    g.ways = 4;
    g.line_bytes = 64;
    g.replacement = r;
    g.seed = 7;
    return g;
}

uint64_t set0(unsigned i) {
    return uint64_t(i) * 256;
}

int fill(TagStore &t, uint64_t a, Victim *v = nullptr) {
    Victim dummy;
    return t.allocate(a, v ? v : &dummy);
}

} // namespace

TEST(TagStoreTest, GeometryIsDerivedOnce) {
    TagStore t(tiny(Replacement::Lru));
    EXPECT_EQ(t.sets(), 4u) << "1 KiB / (4 ways x 64 B)";
    EXPECT_EQ(t.set_of(0x1c0), 3u) << "bits [7:6] of 0x1c0 are 0b11";
    EXPECT_EQ(t.line_addr(0x1ff), 0x1c0u);
}

// 3 ways of 64 B in 4 sets (768 B, as cachegrind's --I1=768,3,64 would
// have it): the index is still bits [7:6]; a set holds three lines, LRU
// among them.
TEST(TagStoreTest, ThreeWaysInAPowerOfTwoNumberOfSets) {
    TagStoreGeometry g = tiny(Replacement::Lru);
    g.size_bytes = 768;
    g.ways = 3;
    TagStore t(g);
    EXPECT_EQ(t.sets(), 4u) << "768 B / (3 ways x 64 B)";
    EXPECT_EQ(t.set_of(0x1c0), 3u);
    for (unsigned i = 0; i < 3; ++i)
        fill(t, set0(i));
    t.touch(set0(0), t.lookup(set0(0)));
    Victim v;
    fill(t, set0(3), &v);
    ASSERT_TRUE(v.valid) << "a fourth line in a 3-way set evicts";
    EXPECT_EQ(v.addr, set0(1)) << "the least recently used of the three";
    EXPECT_GE(t.lookup(set0(0)), 0);
    EXPECT_GE(t.lookup(set0(2)), 0);
}

TEST(TagStoreTest, LruEvictsTheLeastRecentlyUsedWay) {
    TagStore t(tiny(Replacement::Lru));
    // A B C D fill set 0; touch A; E must evict B (the oldest untouched).
    for (unsigned i = 0; i < 4; ++i)
        fill(t, set0(i));
    t.touch(set0(0), t.lookup(set0(0)));
    Victim v;
    fill(t, set0(4), &v);
    ASSERT_TRUE(v.valid);
    EXPECT_EQ(v.addr, set0(1)) << "B was used least recently";
    EXPECT_GE(t.lookup(set0(0)), 0) << "A was touched and stays";
}

TEST(TagStoreTest, TreePlruFollowsTheTreeBits) {
    TagStore t(tiny(Replacement::TreePlru));
    // Fill ways 0..3 in order (A B C D). After touching D (way 3) last, the
    // root points left, node 1 points at way 0's sibling pair: victim way 0.
    for (unsigned i = 0; i < 4; ++i)
        fill(t, set0(i));
    Victim v;
    fill(t, set0(4), &v);
    EXPECT_EQ(v.addr, set0(0)) << "tree after A,B,C,D points at way 0";
    // Now E is in way 0; touch B (way 1): root left->right? root points right
    // (away from ways 0-1), node 2 points away from D (way 3) -> way 2 (C).
    t.touch(set0(1), t.lookup(set0(1)));
    fill(t, set0(5), &v);
    EXPECT_EQ(v.addr, set0(2)) << "C is the way the tree points at";
}

TEST(TagStoreTest, RandomReplacementIsDeterministicForASeed) {
    TagStore a(tiny(Replacement::Random)), b(tiny(Replacement::Random));
    for (unsigned i = 0; i < 64; ++i) {
        Victim va, vb;
        fill(a, set0(i), &va);
        fill(b, set0(i), &vb);
        EXPECT_EQ(va.addr, vb.addr) << "same seed, same victims, at fill " << i;
    }
}

TEST(TagStoreTest, DirtyVictimCarriesItsVersion) {
    TagStore t(tiny(Replacement::Lru));
    int w = fill(t, set0(0));
    t.line(set0(0), w).dirty = true;
    t.line(set0(0), w).version = 42;
    for (unsigned i = 1; i < 4; ++i)
        fill(t, set0(i));
    Victim v;
    fill(t, set0(4), &v);
    EXPECT_TRUE(v.dirty);
    EXPECT_EQ(v.version, 42u) << "the write-back must carry the data version";
    EXPECT_EQ(t.valid_lines(), 4u);
}
