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

// The array is sparse: a 16 GiB 16-way cache (2^24 sets) costs memory only
// for the chunks of sets it has filled, and its index, not 8 GiB of entries.
TEST(TagStoreTest, AHugeCacheCostsOnlyTheChunksItFills) {
    TagStoreGeometry g;
    g.size_bytes = uint64_t(16) << 30;
    g.ways = 16;
    g.line_bytes = 64;
    g.replacement = Replacement::TreePlru;
    TagStore t(g);
    EXPECT_EQ(t.sets(), uint64_t(1) << 24);
    const uint64_t empty = t.allocated_bytes();
    EXPECT_LT(empty, uint64_t(2) << 20) << "the chunk index only";
    EXPECT_EQ(t.lookup(0x123440), -1) << "a set never filled holds nothing";
    EXPECT_FALSE(t.valid_at(5, 3));
    EXPECT_EQ(t.allocated_bytes(), empty) << "looking does not allocate";
    // 1 MiB of consecutive lines: 16384 sets, 64 chunks of 256 sets.
    for (uint64_t a = 0; a < (1u << 20); a += 64)
        fill(t, a);
    EXPECT_EQ(t.valid_lines(), 16384u);
    const uint64_t chunk = 256 * 16 * (sizeof(Line) + 16) + 256 * 8; // lines, keys, ticks, trees
    EXPECT_EQ(t.allocated_bytes(), empty + 64 * chunk);
    // Lines far apart keep their addresses and are all found.
    const uint64_t far = uint64_t(1) << 40;
    fill(t, far + 0x40);
    EXPECT_GE(t.lookup(far + 0x40), 0);
    uint64_t seen = 0, last = 0;
    t.for_each_valid([&](uint64_t a, Line &, uint64_t, unsigned) {
        ++seen;
        last = a > last ? a : last;
    });
    EXPECT_EQ(seen, 16385u);
    EXPECT_EQ(last, far + 0x40);
    t.invalidate(far + 0x40, t.lookup(far + 0x40));
    EXPECT_EQ(t.lookup(far + 0x40), -1);
    EXPECT_EQ(t.valid_lines(), 16384u);
}

// Estimating memory from the geometry: an entry per line, plus its share of
// the set's PLRU bits.
TEST(TagStoreTest, BytesPerLineCountsTheEntryAndItsPlruShare) {
    TagStoreGeometry g;
    g.ways = 16;
    g.replacement = Replacement::Lru;
    // A line and its key: 32 bytes.
    EXPECT_EQ(TagStore::bytes_per_line(g), 32u);
    g.replacement = Replacement::TreePlru;
    EXPECT_EQ(TagStore::bytes_per_line(g), 33u);
}

// lookup_touch() (replay's hit path: the line touched last at once, else a
// hinted way first, then a search of the set) gives lookup()'s answer and
// moves the replacement state as touch() does, for every policy and any
// hint, over a random mix of fills, hits (a quarter of them of the line
// touched just before) and invalidations.
TEST(TagStoreTest, LookupTouchMatchesLookupThenTouch) {
    for (Replacement r : {Replacement::Lru, Replacement::TreePlru, Replacement::Random}) {
        TagStore a(tiny(r)), b(tiny(r));
        uint64_t x = 99, prev = 0;
        for (int i = 0; i < 20000; ++i) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            // 64 lines over 4 sets, or the line before again
            const uint64_t addr = (x >> 50) % 4 == 0 ? prev : (x >> 33) % 4096 & ~uint64_t(63);
            prev = addr;
            const int hint = static_cast<int>((x >> 8) % 5) - 1; // -1 or any way
            const int w = a.lookup(addr);
            const bool inval = (x >> 20) % 16 == 0;
            if (w >= 0 && !inval)
                a.touch(addr, w);
            const int got = inval ? b.lookup(addr) : b.lookup_touch(addr, hint);
            ASSERT_EQ(got, w) << replacement_name(r) << " at access " << i << ", hint " << hint;
            if (w >= 0 && inval) {
                a.invalidate(addr, w);
                b.invalidate(addr, w);
            } else if (w < 0) {
                Victim va, vb;
                ASSERT_EQ(a.allocate(addr, &va), b.allocate(addr, &vb));
                ASSERT_EQ(va.addr, vb.addr);
            }
        }
        for (uint64_t set = 0; set < 4; ++set)
            for (unsigned w = 0; w < 4; ++w) {
                EXPECT_EQ(a.valid_at(set, w), b.valid_at(set, w));
                EXPECT_EQ(a.addr_of(set, w), b.addr_of(set, w));
                EXPECT_EQ(a.lru_at(set, w), b.lru_at(set, w));
            }
        // The tree bits too: the next victims of every set agree.
        for (uint64_t set = 0; set < 4; ++set) {
            Victim va, vb;
            EXPECT_EQ(a.allocate(set * 64 + 0x100000, &va), b.allocate(set * 64 + 0x100000, &vb));
        }
    }
}
