// SPDX-License-Identifier: Apache-2.0
// A CPU core: DC loops by VA in closed form, set/way, overlapping and
// dependent misses.
// Each TEST runs in its own process (SystemC elaborates once per process).
#include <memory>
#include <utility>

#include <gtest/gtest.h>
#include <systemc>

#include "model_rig.h"

using namespace cmosim::models;
using namespace cmosim::test;
using sc_core::SC_NS;
using sc_core::sc_time;

TEST(CpuCoreTest, ClosedFormCmoLoopEqualsTheLineByLineLoop) {
    Rig rig(2);
    CmoLoopResult closed, linewise;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl + 4096, 2048); // 32 dirty lines inside the range
        c.load_range(kCxl + 65536, 1024); // 16 clean lines
        closed = c.cmo_range(CmoOp::DcCivac, kCxl, 1 << 20);
    });
    rig.run(1, [&](CpuCore &c) {
        sc_core::wait(sc_time(1, sc_core::SC_MS));
        c.store_range(kCxl + 4096, 2048);
        c.load_range(kCxl + 65536, 1024);
        linewise = c.cmo_range_linewise(CmoOp::DcCivac, kCxl, 1 << 20);
    });
    sc_core::sc_start();
    EXPECT_EQ(closed.lines, 16384u) << "1 MiB / 64 B";
    EXPECT_EQ(closed.lines, linewise.lines);
    EXPECT_EQ(closed.resident, 48u);
    EXPECT_EQ(closed.resident, linewise.resident);
    EXPECT_EQ(closed.duration, linewise.duration) << "same simulated time, exactly";
}

TEST(CpuCoreTest, ATebibyteCmoSweepIsCostedInClosedForm) {
    Rig rig(1);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) { r = c.cmo_range(CmoOp::DcCivac, kCxl, 1ull << 40); });
    sc_core::sc_start();
    // 2^34 lines. Latency to the PoC = L1 2 ns + SLC 40 ns = 42 ns; 8 in
    // flight -> one issue every 5.25 ns = 5250 ps. Total = 2^34 x 5250 ps +
    // 42 ns DSB = 90194313216000 ps + 42000 ps.
    EXPECT_EQ(r.lines, 1ull << 34);
    EXPECT_EQ(static_cast<uint64_t>(r.duration.value()), (1ull << 34) * 5250ull + 42000ull);
}

TEST(CpuCoreTest, DirtyLinesFasterThanTheChannelCostOnlyTheLookups) {
    Rig rig(1); // 32 GB/s: 2 ns per write-back, less than one issue interval
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 4096);
        r = c.cmo_range(CmoOp::DcCivac, kCxl, 4096);
    });
    sc_core::sc_start();
    // The last write-back (line 63) is accepted at 63 x 5.25 + 40 + 2 = 372.75
    // ns, before the last lookup reaches the PoC at 64 x 5.25 + 42 = 378 ns.
    EXPECT_EQ(r.duration, sc_time(378, SC_NS));
    EXPECT_EQ(rig.memory->stats(0).writes, 64u);
}

TEST(CpuCoreTest, ATebibyteSweepWithDirtyLinesMatchesItsClosedForm) {
    Rig rig(1);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl + (1ull << 39), 2048); // 32 dirty lines half-way through
        r = c.cmo_range(CmoOp::DcCivac, kCxl, 1ull << 40);
    });
    sc_core::sc_start();
    // Their write-backs are done long before the 2^34th issue slot.
    EXPECT_EQ(r.lines, 1ull << 34);
    EXPECT_EQ(r.resident, 32u);
    EXPECT_EQ(static_cast<uint64_t>(r.duration.value()), (1ull << 34) * 5250ull + 42000ull);
    EXPECT_EQ(rig.l1d[0]->stats().cmo[static_cast<unsigned>(CmoOp::DcCivac)], 1ull << 34);
}

TEST(CpuCoreTest, FewerRequestSlotsSlowTheVaLoop) {
    RigOptions o;
    o.l1_outstanding = 2; // below cmo_outstanding = 8
    Rig rig(1, o);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) { r = c.cmo_range(CmoOp::DcCivac, kCxl, 1024); });
    sc_core::sc_start();
    // 42 ns to the PoC / 2 in flight = 21 ns per line: 16 x 21 + 42 = 378 ns.
    EXPECT_EQ(r.duration, sc_time(378, SC_NS));
}

TEST(CpuCoreTest, SetWayPostsItsWriteBacksAndTheDsbWaitsForTheLast) {
    Rig rig(1);
    sc_time t;
    rig.run(0, [&](CpuCore &c) {
        c.store_range(kCxl, 1024); // 16 dirty lines in L1, sets 0-15, way 0
        t = c.set_way(CmoOp::DcCisw);
    });
    sc_core::sc_start();
    // 64 operations of one 333 ps cycle = 21312 ps. The dirty line of set s is
    // operation 4s; its write-back is posted then and accepted by the SLC 40 ns
    // later (the SLC holds a clean copy, nothing reaches memory). The last, set
    // 15, goes at 60 x 333 = 19980 ps and is accepted at 59980 ps, after the
    // last operation: the DSB ends there. (Before write-backs were posted, each
    // stalled the loop: 21312 + 16 x 40000 ps.)
    EXPECT_EQ(t, sc_time(59980, sc_core::SC_PS));
    EXPECT_EQ(rig.l1d[0]->tags().valid_lines(), 0u);
    EXPECT_EQ(rig.memory->stats(0).writes, 0u);
    EXPECT_EQ(rig.slc->stats().write_hits, 16u);
}

TEST(CpuCoreTest, SetWayCyclesAreRoundedOnceNotPerCycle) {
    RigOptions o;
    o.cpu.setway_cycles = 3; // at 3 GHz: 1000 ps an operation
    Rig rig(1, o);
    sc_time t;
    rig.run(0, [&](CpuCore &c) { t = c.set_way(CmoOp::DcCisw); });
    sc_core::sc_start();
    // 64 L1 operations (16 sets x 4 ways) of exactly 1 ns, not 3 x 333 ps.
    EXPECT_EQ(t, sc_time(64000, sc_core::SC_PS));
}

TEST(CpuCoreTest, ALoopLongerThanSimulatedTimeCanCountSaturates) {
    Rig rig(1);
    CmoLoopResult r;
    rig.run(0, [&](CpuCore &c) { r = c.cmo_range(CmoOp::DcCivac, kCxl, UINT64_MAX); });
    sc_core::sc_start();
    // (2^64 - 2^36) / 64 lines x 5250 ps overflows 64 bits: the loop part
    // saturates at 2^63 - 1 ps, then the 42 ns DSB.
    EXPECT_EQ(r.lines, (0ull - kCxl) / 64);
    EXPECT_EQ(static_cast<uint64_t>(r.duration.value()), UINT64_MAX / 2 + 42000ull);
}

// Independent stores overlap up to the 16 miss slots. With a 1000 GB/s
// channel (64 ps a line) nothing queues: a miss takes 333 ps of issue + L1
// 2 ns + SLC 40 ns + 64 ps + memory 240 ns = 282397 ps. Store i issues at
// (i mod 16) x 333 ps + (i / 16) x 282397 ps (each waits for the store 16
// before it); the last of 64 completes at 15 x 333 + 4 x 282397 ps.
TEST(CpuCoreTest, IndependentMissesOverlapUpToTheMissSlots) {
    RigOptions o;
    o.gbps = 1000;
    unsigned slots = 0;
    sc_time took = time_alone(o, [&](CpuCore &c) {
        c.store_range(kCxl, 4096);
        slots = c.miss_slots();
    });
    EXPECT_EQ(slots, 16u);
    EXPECT_EQ(took, sc_time::from_value(15 * 333 + 4 * 282397));
}

// A dependent access (load(), as a replayed trace's records) waits for its
// data before the next one issues.
TEST(CpuCoreTest, DependentLoadsDoNotOverlap) {
    RigOptions o;
    o.gbps = 1000;
    sc_time took = time_alone(o, [](CpuCore &c) {
        for (uint64_t a = kCxl; a < kCxl + 4096; a += 64)
            c.load(a);
    });
    EXPECT_EQ(took, sc_time::from_value(64 * 282397));
}

namespace {

// Every line of a cache, in set and way order: what a functional warm-up must
// leave exactly as timed operation does (tag, dirty, version and the LRU
// tick, which orders each set's replacement).
std::vector<uint64_t> state_of(const Cache &c) {
    std::vector<uint64_t> out;
    const TagStore &t = c.tags();
    for (uint64_t set = 0; set < t.sets(); ++set)
        for (unsigned w = 0; w < t.ways(); ++w) {
            const Line &l = t.at(set, w);
            const bool valid = t.valid_at(set, w);
            out.insert(out.end(), {valid, valid ? t.addr_of(set, w) : 0, l.dirty, l.version,
                                   t.lru_at(set, w)});
        }
    const CacheStats &s = c.stats();
    out.insert(out.end(), {s.read_hits, s.read_misses, s.write_hits, s.write_misses, s.evictions,
                           s.writebacks, s.back_invalidations, s.lines_invalidated});
    return out;
}

// CPU1 caches lines (some dirty) that CPU0 then snoops; CPU0 runs a mix of
// fetch-less loads and stores that hit, miss, evict dirty lines from its L1,
// the inclusive L2 and the SLC, and re-reads lines a device rewrote meanwhile
// (stale reads). `functional`: CPU0 runs it all in functional mode.
void warm_up_program(Rig &rig, bool functional, sc_core::sc_event &cpu1_done,
                     sc_core::sc_event &cpu0_half, sc_core::sc_event &device_done,
                     sc_time &cpu0_time) {
    rig.run(1, [&](CpuCore &c) {
        for (uint64_t i = 0; i < 64; ++i)
            (i % 3 ? c.load(kCxl + i * 64) : c.store(kCxl + i * 64));
        c.sync();
        cpu1_done.notify(sc_core::SC_ZERO_TIME);
        sc_core::wait(cpu0_half);
        rig.home->device_op(DeviceOp::Reset, kCxl + (1 << 20), 1 << 16);
        device_done.notify(sc_core::SC_ZERO_TIME);
    });
    rig.run(0, [&rig, functional, &cpu1_done, &cpu0_half, &device_done, &cpu0_time](CpuCore &c) {
        sc_core::wait(cpu1_done);
        const sc_time t0 = c.local_time();
        c.set_functional(functional);
        for (uint64_t i = 0; i < 64; ++i) // CPU1's lines: snooped, some dirty
            (i % 2 ? c.load(kCxl + i * 64) : c.store(kCxl + i * 64));
        for (uint64_t i = 1; i < 64; i += 4) // hits on lines CPU1 shares: claimed
            c.store(kCxl + i * 64);
        uint64_t x = 12345;
        auto step = [&](int n) {
            for (int i = 0; i < n; ++i) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                // 512 lines over 2 MiB: every level's sets fill and evict.
                const uint64_t a = kCxl + ((x >> 30) % 512) * 4096 + ((x >> 20) % 64) * 64;
                (x >> 61) % 4 == 0 ? c.store(a) : c.load(a);
            }
        };
        step(3000);
        for (uint64_t a = kCxl + (1 << 20); a < kCxl + (1 << 20) + (1 << 16); a += 64)
            c.load(a); // cached before the device rewrites them
        c.sync();
        cpu0_half.notify(sc_core::SC_ZERO_TIME);
        sc_core::wait(device_done);
        for (uint64_t a = kCxl + (1 << 20); a < kCxl + (1 << 20) + (1 << 16); a += 64)
            c.load(a); // stale where still cached
        step(3000);
        c.set_functional(false);
        cpu0_time = c.local_time() - t0;
        c.sync();
    });
}

} // namespace

// A functional warm-up (a replay's `warmup`) leaves every cache, the other
// core's copies the snoops took, the versioned store and the checker exactly
// as the same accesses timed do, and takes no simulated time.
TEST(CpuCoreTest, FunctionalAccessesLeaveTheStateTimedOnesLeave) {
    RigOptions o = RigOptions::default_platform();
    o.l2_inclusion = Inclusion::Inclusive;
    o.l1 = geometry(4096, 4); // small levels: evictions everywhere
    o.l2_geometry = geometry(16384, 4);
    o.slc = geometry(65536, 8);
    RigOptions of = o;
    of.prefix = "f_";
    Rig timed(2, o), functional(2, of);
    sc_core::sc_event e[6];
    sc_time timed_cpu0, functional_cpu0;
    warm_up_program(timed, false, e[0], e[1], e[2], timed_cpu0);
    warm_up_program(functional, true, e[3], e[4], e[5], functional_cpu0);
    sc_core::sc_start();

    EXPECT_GT(timed_cpu0, sc_time(1, SC_NS));
    EXPECT_EQ(functional_cpu0, sc_core::SC_ZERO_TIME) << "functional accesses take no time";
    for (unsigned i = 0; i < 2; ++i) {
        EXPECT_EQ(state_of(*timed.l1d[i]), state_of(*functional.l1d[i])) << "cpu" << i << " L1D";
        EXPECT_EQ(state_of(*timed.l2[i]), state_of(*functional.l2[i])) << "cpu" << i << " L2";
    }
    EXPECT_EQ(state_of(*timed.slc), state_of(*functional.slc));
    EXPECT_GT(timed.slc->stats().evictions, 0u);
    EXPECT_GT(timed.l2[0]->stats().back_invalidations, 0u);
    const HomeNodeStats &ht = timed.home->stats(), &hf = functional.home->stats();
    EXPECT_GT(ht.snoops, 0u);
    EXPECT_EQ(ht.snoops, hf.snoops);
    EXPECT_EQ(ht.snoop_writebacks, hf.snoop_writebacks);
    EXPECT_EQ(ht.snoop_invalidations, hf.snoop_invalidations);
    const VersionedStore &st = timed.memory->store(), &sf = functional.memory->store();
    EXPECT_EQ(st.last_stamp(), sf.last_stamp());
    EXPECT_EQ(st.pages_touched(), sf.pages_touched());
    for (uint64_t a = kCxl; a < kCxl + (4 << 20); a += 64)
        ASSERT_EQ(st.version(a), sf.version(a)) << "memory's version of line " << std::hex << a;
    EXPECT_EQ(timed.memory->stats(0).reads, functional.memory->stats(0).reads);
    EXPECT_EQ(timed.memory->stats(0).writes, functional.memory->stats(0).writes);
    EXPECT_GT(timed.memory->stats(0).writes, 0u);
    EXPECT_EQ(functional.memory->stats(0).queueing, sc_core::SC_ZERO_TIME)
        << "no bandwidth booked while untimed";
    EXPECT_GT(timed.cores[0]->stats().stale_reads, 0u);
    EXPECT_EQ(timed.cores[0]->stats().stale_reads, functional.cores[0]->stats().stale_reads);
    EXPECT_EQ(timed.checker.count(EventKind::StaleRead),
              functional.checker.count(EventKind::StaleRead));
}

namespace {

// A replay's references on a one-core rig with an L1I, either each through
// reference() or served in bulk by HotHits as a replay's record loop serves
// them (reference() for what serve_run() declines). Most references repeat their
// kind's last line, many hit other lines of their level, some miss; a device
// write halfway makes cached lines stale; a stretch runs functionally. The
// quantum is short, so runs of hits reach its end again and again.
struct BulkRun {
    std::vector<uint64_t> l1i, l1d, l2, slc; // state_of() each level
    CpuStats stats;
    sc_time end;
    uint64_t stale_events = 0, last_stamp = 0;
};

void replay_refs(Rig &rig, bool bulk, BulkRun &out) {
    rig.run(0, [&rig, bulk, &out](CpuCore &c) {
        // What each code of a word makes (as a replay's: I, L, S, M).
        static constexpr CpuCore::Ref kCodes[4] = {CpuCore::Ref::Fetch, CpuCore::Ref::Load,
                                                   CpuCore::Ref::Store, CpuCore::Ref::Store};
        uint64_t x = 2024, last[4] = {kCxl, kCxl, kCxl, kCxl};
        auto refs = [&](size_t n, bool functional) {
            std::vector<uint64_t> words(n);
            for (uint64_t &w : words) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                const unsigned pick = (x >> 33) % 20;
                const unsigned code = pick < 12 ? 0 : pick < 18 ? 1 : pick < 19 ? 2 : 3;
                // Fetches over 96 lines of their own, data over 96 others:
                // more than a 64-line L1 holds.
                if ((x >> 40) % 8 < 3)
                    last[code] = kCxl + (code == 0 ? 0 : 1 << 20) + ((x >> 50) % 96) * 64;
                w = last[code] | code;
            }
            c.set_functional(functional);
            if (!bulk) {
                for (uint64_t w : words)
                    c.reference(kCodes[w & 7], w & ~uint64_t(7));
            } else {
                CpuCore::HotHits hot(c, kCodes);
                uint64_t served[4] = {0, 0, 0, 0};
                for (size_t i = 0; i < n; ++i) {
                    i = hot.serve_run(
                        i, n, [&words](size_t j) { return words[j]; }, served);
                    if (i == n)
                        break;
                    hot.flush();
                    c.reference(kCodes[words[i] & 7], words[i] & ~uint64_t(7));
                    hot.open();
                }
                EXPECT_GT(served[0] + served[1] + served[2] + served[3], n / 2);
                EXPECT_GT(served[3], 0u);
            }
            c.set_functional(false);
        };
        refs(30000, false);
        rig.home->device_op(DeviceOp::Reset, kCxl + (1 << 20), 48 * 64);
        refs(30000, false);
        refs(10000, true);
        refs(10000, false);
        c.sync();
        out.end = c.local_time();
    });
}

} // namespace

// Hits served in bulk (a replay's record loop) leave every level, the core's
// counters and time, the stale reads and memory's versions exactly as the
// same references one by one do.
TEST(CpuCoreTest, HitsServedInBulkLeaveWhatReferencesOneByOneLeave) {
    RigOptions o;
    o.l1i = true;
    o.l2 = true;
    o.quantum = sc_time(40, SC_NS);
    RigOptions ob = o;
    ob.prefix = "bulk_";
    Rig single(1, o), bulk(1, ob);
    BulkRun a, b;
    replay_refs(single, false, a);
    replay_refs(bulk, true, b);
    sc_core::sc_start();
    for (auto [rig, run] : {std::pair<Rig *, BulkRun *>{&single, &a}, {&bulk, &b}}) {
        run->l1i = state_of(*rig->l1i[0]);
        run->l1d = state_of(*rig->l1d[0]);
        run->l2 = state_of(*rig->l2[0]);
        run->slc = state_of(*rig->slc);
        run->stats = rig->cores[0]->stats();
        run->stale_events = rig->checker.count(EventKind::StaleRead);
        run->last_stamp = rig->memory->store().last_stamp();
    }
    EXPECT_EQ(a.l1i, b.l1i);
    EXPECT_EQ(a.l1d, b.l1d);
    EXPECT_EQ(a.l2, b.l2);
    EXPECT_EQ(a.slc, b.slc);
    EXPECT_EQ(a.end, b.end);
    EXPECT_GT(a.end, sc_time(10, sc_core::SC_US));
    EXPECT_EQ(a.stats.fetches, b.stats.fetches);
    EXPECT_EQ(a.stats.loads, b.stats.loads);
    EXPECT_EQ(a.stats.stores, b.stats.stores);
    EXPECT_GT(a.stats.stale_reads, 0u);
    EXPECT_EQ(a.stats.stale_reads, b.stats.stale_reads);
    EXPECT_EQ(a.stale_events, b.stale_events);
    EXPECT_EQ(a.last_stamp, b.last_stamp);
    // The references did hit, miss and evict (read_hits, read_misses, ...).
    EXPECT_GT(single.l1d[0]->stats().read_misses, 1000u);
    EXPECT_GT(single.l1d[0]->stats().evictions, 1000u);
    EXPECT_GT(single.l1i[0]->stats().read_hits, 10000u);
}
