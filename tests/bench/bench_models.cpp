// SPDX-License-Identifier: Apache-2.0
// Host-time benchmarks of the memory-system models (docs/performance.md):
//   throughput  simulated accesses per host second through L1D/L2/SLC/CXL with
//               SystemC and TLM, against the same access stream on the bare
//               tag arrays (TagStore) without SystemC;
//   invalidate  host time to clean+invalidate 1 GiB and 1 TiB with full caches,
//               for each strategy (DC CIVAC loop by VA, set/way, the flush
//               engine behind the SMCCC call).
// Usage: bench_models throughput [accesses] | invalidate
// SystemC elaborates once per process: each mode is its own run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "cmosim/models/cache.h"
#include "cmosim/models/checker.h"
#include "cmosim/models/cpu_core.h"
#include "cmosim/models/home_node.h"
#include "cmosim/models/memory.h"
#include "cmosim/models/tag_store.h"
#include "model_rig.h"

using namespace cmosim::models;
using namespace cmosim::test;
using sc_core::SC_NS;
using sc_core::sc_time;

namespace {

double now_s() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// The default platform of docs/timing-model.md, with a CXL window large
// enough for a 1 TiB range, elaborated by the simulator's Platform
// (tests/support/model_rig.h).
const RigOptions kPlatform = RigOptions::default_platform();
const TagStoreGeometry kL1 = kPlatform.l1, kL2 = kPlatform.l2_geometry, kSlc = kPlatform.slc;

// The access stream: half of the accesses in a 32 KiB set (L1D hits), 30 % in
// 1 MiB (L2), 15 % in 16 MiB (SLC), 5 % in 1 GiB (CXL memory); one in five is
// a store. Deterministic (xorshift64).
struct Stream {
    uint64_t x = 88172645463325252ull;
    uint64_t next() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    }
    void access(uint64_t *addr, bool *store) {
        uint64_t r = next();
        unsigned pick = static_cast<unsigned>(r % 100);
        uint64_t span = pick < 50   ? 32ull << 10
                        : pick < 80 ? 1ull << 20
                        : pick < 95 ? 16ull << 20
                                    : 1ull << 30;
        *addr = kCxl + ((r >> 8) % span & ~uint64_t(63));
        *store = (r >> 40) % 5 == 0;
    }
};

// The same hierarchy on bare tag arrays: write-back, write-allocate, dirty
// victims written into the level below, as Cache does (no SystemC, no TLM, no
// versions, no checker, no coherence).
struct Bare {
    TagStore l1{kL1}, l2{kL2}, slc{kSlc};
    uint64_t mem_reads = 0, mem_writes = 0;

    void write_into(TagStore &t, TagStore *below, uint64_t a) {
        int w = t.lookup(a);
        if (w >= 0) {
            t.touch(a, w);
        } else {
            Victim v;
            w = t.allocate(a, &v);
            if (v.valid && v.dirty) {
                if (below)
                    write_into(*below, below == &l2 ? &slc : nullptr, v.addr);
                else
                    ++mem_writes;
            }
        }
        t.line(a, w).dirty = true;
    }
    // Read a line into t (from `below`, or memory), returns its way.
    int read(TagStore &t, TagStore *below, uint64_t a) {
        int w = t.lookup(a);
        if (w >= 0) {
            t.touch(a, w);
            return w;
        }
        Victim v;
        w = t.allocate(a, &v);
        TagStore *next = below == &l2 ? &slc : nullptr;
        if (v.valid && v.dirty) {
            if (below)
                write_into(*below, next, v.addr);
            else
                ++mem_writes;
        }
        if (below)
            read(*below, next, a);
        else
            ++mem_reads;
        return w;
    }
    void access(uint64_t a, bool store) {
        int w = read(l1, &l2, a);
        if (store)
            l1.line(a, w).dirty = true;
    }
};

// Each side runs the stream once to warm up (page faults, cold tag arrays),
// then three more times; the fastest timed pass counts.
constexpr unsigned kPasses = 4;

int throughput(uint64_t n) {
    Bare bare;
    double bare_s = 1e30;
    for (unsigned pass = 0; pass < kPasses; ++pass) {
        Stream s1;
        double t0 = now_s();
        for (uint64_t i = 0; i < n; ++i) {
            uint64_t a;
            bool st;
            s1.access(&a, &st);
            bare.access(a, st);
        }
        if (pass > 0)
            bare_s = std::min(bare_s, now_s() - t0);
    }

    Rig p(1, kPlatform);
    double model_s = 1e30;
    p.cores[0]->set_program([&](CpuCore &c) {
        for (unsigned pass = 0; pass < kPasses; ++pass) {
            Stream s2;
            double t1 = now_s();
            for (uint64_t i = 0; i < n; ++i) {
                uint64_t a;
                bool st;
                s2.access(&a, &st);
                if (st)
                    c.store(a);
                else
                    c.load(a);
            }
            c.sync();
            if (pass > 0)
                model_s = std::min(model_s, now_s() - t1);
        }
    });
    sc_core::sc_start();
    const CacheStats &l1 = p.l1d[0]->stats(), &l2 = p.l2[0]->stats(), &sl = p.slc->stats();
    std::printf("stream: %llu accesses (50%% in 32 KiB, 30%% in 1 MiB, 15%% in 16 MiB, 5%% in "
                "1 GiB; 20%% stores), %u passes, the first untimed\n",
                static_cast<unsigned long long>(n), kPasses);
    std::printf("  model, all passes: hits L1D %llu, L2 %llu, SLC %llu; memory reads %llu, "
                "writes %llu\n",
                static_cast<unsigned long long>(l1.read_hits),
                static_cast<unsigned long long>(l2.read_hits),
                static_cast<unsigned long long>(sl.read_hits),
                static_cast<unsigned long long>(p.memory->stats(0).reads),
                static_cast<unsigned long long>(p.memory->stats(0).writes));
    std::printf("  bare, all passes: memory reads %llu, writes %llu\n",
                static_cast<unsigned long long>(bare.mem_reads),
                static_cast<unsigned long long>(bare.mem_writes));
    double model_rate = static_cast<double>(n) / model_s,
           bare_rate = static_cast<double>(n) / bare_s;
    std::printf("  SystemC model: best pass %.3f s, %.2f M accesses/s\n", model_s,
                model_rate / 1e6);
    std::printf("  bare arrays:   best pass %.3f s, %.2f M accesses/s\n", bare_s, bare_rate / 1e6);
    std::printf("  ratio model/bare: %.2f (target >= 0.5)\n", model_rate / bare_rate);
    return bare.mem_reads == p.memory->stats(0).reads ? 0 : 1;
}

// Fill every cache of the 4-core default platform with dirty lines of the
// first 64 MiB of the device: each core stores its own 16 MiB.
void fill(CpuCore &c, unsigned id) {
    c.store_range(kCxl + id * (16ull << 20), 16ull << 20);
}

int invalidate() {
    constexpr unsigned kCpus = 4;
    // 3 strategies x 2 sizes, three times, alternating sizes; the fastest of the
    // three host times counts (the machine may be shared).
    constexpr unsigned kReps = 3, kRounds = 3 * 2 * kReps;
    Rig p(kCpus, kPlatform);
    // The other cores fill on their own threads; a count and an event (a
    // notification nobody waits for yet is lost, the count is not).
    sc_core::sc_event filled, go[kCpus];
    unsigned filled_count = 0;
    struct Row {
        std::string strategy;
        uint64_t bytes;
        double host_s;
        uint64_t resident;
        double sim_s;
    };
    std::vector<Row> rows;
    const uint64_t sizes[2] = {1ull << 30, 1ull << 40};
    unsigned rounds = 0;
    for (unsigned i = 1; i < kCpus; ++i)
        p.cores[i]->set_program([&, i](CpuCore &c) {
            for (unsigned r = 0; r < kRounds; ++r) {
                sc_core::wait(go[i]);
                fill(c, i);
                c.sync();
                ++filled_count;
                filled.notify(sc_core::SC_ZERO_TIME);
            }
        });
    p.cores[0]->set_program([&](CpuCore &c) {
        for (const char *strategy : {"va_cmo", "set_way", "smccc"})
            for (unsigned rep = 0; rep < kReps; ++rep)
                for (uint64_t len : sizes) {
                    for (unsigned i = 1; i < kCpus; ++i)
                        go[i].notify(sc_core::SC_ZERO_TIME);
                    fill(c, 0);
                    c.sync();
                    while (filled_count < (rounds + 1) * (kCpus - 1))
                        sc_core::wait(filled);
                    uint64_t valid = 0;
                    for (const Cache *l : p.caches())
                        valid += l->tags().valid_lines();
                    double t0 = now_s();
                    sc_time s0 = c.local_time();
                    if (!std::strcmp(strategy, "va_cmo")) {
                        c.cmo_range(CmoOp::DcCivac, kCxl, len);
                    } else if (!std::strcmp(strategy, "set_way")) {
                        c.set_way(CmoOp::DcCisw); // the range does not matter
                    } else {
                        c.sync();
                        p.home->flush(kCxl, len, false, FlushLevels{}, 0);
                    }
                    c.sync();
                    double host = now_s() - t0;
                    Row row{strategy, len, host, valid, (c.local_time() - s0).to_seconds()};
                    if (rep == 0)
                        rows.push_back(row);
                    else
                        for (Row &r : rows)
                            if (r.strategy == row.strategy && r.bytes == row.bytes)
                                r.host_s = std::min(r.host_s, row.host_s);
                    ++rounds;
                }
    });
    sc_core::sc_start();
    std::printf("4 cores, L1D 64 KiB + L2 2 MiB each, SLC 32 MiB; before each invalidate every "
                "core stores 16 MiB (caches full of dirty lines); best of %u runs each\n",
                kReps);
    std::printf("%-8s %6s %14s %12s %14s\n", "strategy", "range", "lines cached", "host ms",
                "simulated s");
    for (const Row &r : rows)
        std::printf("%-8s %6s %14llu %12.2f %14.6f\n", r.strategy.c_str(),
                    r.bytes == (1ull << 30) ? "1 GiB" : "1 TiB",
                    static_cast<unsigned long long>(r.resident), r.host_s * 1e3, r.sim_s);
    for (size_t i = 0; i + 1 < rows.size(); i += 2)
        std::printf("%-8s host 1 TiB / 1 GiB = %.2f (target <= 1.5)\n", rows[i].strategy.c_str(),
                    rows[i + 1].host_s / rows[i].host_s);
    return rounds == kRounds ? 0 : 1;
}

} // namespace

int sc_main(int argc, char **argv) {
    std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "throughput")
        return throughput(argc > 2 ? std::strtoull(argv[2], nullptr, 0) : 2000000);
    if (mode == "invalidate")
        return invalidate();
    std::fprintf(stderr, "usage: bench_models throughput [accesses] | invalidate\n");
    return 2;
}
